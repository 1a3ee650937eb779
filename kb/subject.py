"""Which document a question is about: front-matter aliases, matched in users' loose wording."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kb.records import Chunk

# Words users write for the same thing (and common misspellings), mapped to one form.
_SAME = {
    "study": "trial", "studies": "trial", "trials": "trial", "trail": "trial", "trails": "trial",
    "paper": "trial", "papers": "trial", "pilot": "pilot", "iii": "3", "three": "3", "ii": "2",
    "two": "2", "one": "1", "i": "1", "2nd": "second", "1st": "first", "followup": "follow",
    "confimatory": "confirmatory", "mdma's": "mdma",
}
_SPLIT = re.compile(r"\b(mapp|mp|phase)\s*-?\s*(\d)\b", re.IGNORECASE)
_TITLE_NAME = re.compile(r"\(([A-Z][a-z]+) et al\.")


def normalize(text: str) -> list[str]:
    """Lower-case word tokens with synonyms merged and "MAPP 2" / "phase-3" joined or split alike."""
    text = _SPLIT.sub(lambda m: f"{m.group(1)}{m.group(2)}" if m.group(1).lower() != "phase"
                      else f"phase {m.group(2)}", text)
    tokens = re.findall(r"[a-z0-9$%]+(?:[.'][a-z0-9]+)?", text.lower())
    return [_SAME.get(t, t) for t in tokens]


def matches(alias: Sequence[str], tokens: Sequence[str], gap: int = 1) -> bool:
    """The alias's tokens occur in order in `tokens`, at most `gap` words between neighbours."""
    if not alias:
        return False
    for start, tok in enumerate(tokens):
        if tok != alias[0]:
            continue
        pos, ok = start, True
        for want in alias[1:]:
            window = tokens[pos + 1: pos + 2 + gap]
            if want not in window:
                ok = False
                break
            pos = pos + 1 + window.index(want)
        if ok:
            return True
    return False


def title_aliases(title: str) -> tuple[str, ...]:
    """Names a title gives its subject in parentheses: "(Barone et al. 2019)" -> "Barone"."""
    return tuple(_TITLE_NAME.findall(title))


@dataclass(frozen=True)
class SubjectTable:
    """Every document's aliases, as normalized token sequences."""

    aliases: dict[str, tuple[tuple[str, ...], ...]]
    # text -> mentioned(text), filled as sentences are seen (the same ones recur across questions)
    cache: dict = field(default_factory=dict, compare=False)
    # first token -> (doc, alias) pairs: a text is checked only against aliases that can start
    # in it, so the cost follows the text's length, not the number of documents
    by_first: dict = field(default_factory=dict, compare=False)
    order: dict = field(default_factory=dict, compare=False)  # doc -> its place in `aliases`

    def __post_init__(self) -> None:
        for doc, aliases in self.aliases.items():
            self.order[doc] = len(self.order)
            for alias in aliases:
                self.by_first.setdefault(alias[0], []).append((doc, alias))

    @classmethod
    def from_chunks(cls, chunks: Iterable[Chunk]) -> SubjectTable:
        names: dict[str, set[str]] = {}
        for c in chunks:
            got = names.setdefault(c.doc_id, set())
            got.update(c.aliases)
            got.update(title_aliases(c.title))
        return cls({doc: tuple(tuple(normalize(a)) for a in sorted(found) if normalize(a))
                    for doc, found in names.items() if found})

    def mentioned(self, text: str) -> dict[str, int]:
        """Documents whose alias occurs in `text`, each with its longest matching alias length."""
        hit = self.cache.get(text)
        if hit is not None:
            return hit
        if len(self.cache) > 50_000:
            self.cache.clear()
        tokens = normalize(text)
        found: dict[str, int] = {}
        for first in dict.fromkeys(tokens):
            for doc, alias in self.by_first.get(first, ()):
                if len(alias) > found.get(doc, 0) and matches(alias, tokens):
                    found[doc] = len(alias)
        found = {doc: found[doc] for doc in sorted(found, key=self.order.__getitem__)}
        self.cache[text] = found
        return found

    def subjects(self, question: str) -> tuple[str, ...]:
        """The documents a question names, longest alias first ("first phase 3 trial" beats
        "phase 3 trial"); empty when it names none."""
        found = self.mentioned(question)
        if not found:
            return ()
        top = max(found.values())
        return tuple(d for d, n in sorted(found.items(), key=lambda x: -x[1]) if n == top)


def dominant_doc(doc_ids: Sequence[str], top: int = 3) -> str | None:
    """The document holding most of the first `top` hits, when it holds at least two of them
    and the first one (the best document is then clearly about what was asked)."""
    head = list(doc_ids[:top])
    if not head:
        return None
    first = head[0]
    return first if head.count(first) >= 2 else None
