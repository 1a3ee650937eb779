"""Shared pieces of the safety patterns: the drug's names, a pattern builder, text normalising (pure)."""

from __future__ import annotations

import re

_DRUG = (r"(?:mdma|molly|mollies|ecstasy|ecstacy|extasy|\bxtc\b|mandy|\be\b pills?|pingers?|eccies|"
         r"eckies|eccys?|pressies)")
_SELF = r"(?:myself|my self|myslef|meself)"
_THEM = r"(?:himself|herself|themselves|themself)"
_WANT = r"(?:wants?|wanna|going|gonna|plan|planning|ready|trying|need|wish|decided)"
# The drug as a substance, not as part of "MDMA therapy", "an MDMA trial" or "MDMA access".
_USE = _DRUG + r"(?![- ]?(?:assisted|therapy|therapies|treatment|trials?|research|stud\w+|" \
    r"sessions?|access|programs?|policy|laws?|rescheduling)\b)"


def _rx(*patterns: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def normalise(text: str) -> str:
    """Lowercase, straight apostrophes, single spaces."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").lower()
    return re.sub(r"\s+", " ", text).strip()
