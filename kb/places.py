"""Countries and US states a text names, among those the knowledge base itself names (pure).

Names come from pycountry (ISO 3166 countries and US states), so "can doctors in switzerland
use mdma" and "Switzerland and Israel allow compassionate access" meet on one name. Only names
the knowledge base uses count: a question naming a place no document mentions is
kb.answerability's business, and the table stays small. The United States is left out, since
nearly every document is about it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

_LEFT_OUT = frozenset({"united states", "united states of america"})


@lru_cache(maxsize=1)
def _all_names() -> dict[str, str]:
    """Lower-case name -> canonical place name, for every country and US state."""
    import pycountry

    names: dict[str, str] = {}
    for country in pycountry.countries:
        canonical = getattr(country, "common_name", None) or country.name
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value and "," not in value and "(" not in value:
                names[value.lower()] = canonical
    for state in pycountry.subdivisions.get(country_code="US"):
        if state.type == "State":
            names[state.name.lower()] = state.name
    return {k: v for k, v in names.items() if k not in _LEFT_OUT}


@dataclass(frozen=True)
class PlaceTable:
    """The places the knowledge base names, and a matcher for them."""

    names: dict[str, str]  # lower-case name -> canonical name
    cache: dict = field(default_factory=dict, compare=False)
    pattern: re.Pattern | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.names and self.pattern is None:
            object.__setattr__(self, "pattern", _pattern(tuple(self.names)))

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> PlaceTable:
        every = _all_names()
        pattern = _pattern(tuple(every))
        found: dict[str, str] = {}
        for text in texts:
            for m in pattern.finditer(text):
                name = m.group(0).lower()
                found[name] = every[name]
        return cls(found)

    def places_in(self, text: str) -> frozenset[str]:
        """Canonical names of the knowledge base's places that `text` names."""
        hit = self.cache.get(text)
        if hit is not None:
            return hit
        if len(self.cache) > 50_000:
            self.cache.clear()
        got = frozenset(self.names[m.group(0).lower()] for m in self.pattern.finditer(text)) \
            if self.pattern else frozenset()
        self.cache[text] = got
        return got


def _pattern(names: tuple[str, ...]) -> re.Pattern:
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)
