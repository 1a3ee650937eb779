"""When two quotable sentences say the same thing (pure): the composer shows only one of them.

`restates` takes any two objects with `text`, `words` (a word set) and `vec` (a unit vector), as
kb.compose.Candidate has.
"""

from __future__ import annotations

import re

SUBSUMED = 0.75  # share of the shorter sentence's content words the longer one holds: a restatement
RESTATE_SHARE, RESTATE_COS = 0.6, 0.75  # or this share, with sentence vectors this close

_STOP = frozenset("a an the of in on at to for and or but with by from as is are was were be been "
                  "that this it its their they than then which who".split())


_FULL_DATE = re.compile(r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|September|"
                        r"October|November|December) \d{4}\b")
_INLINE_CITE = re.compile(r"\(([^()]*\d{4}[a-z]?)\)")


def same_dated_fact(a: str, b: str) -> bool:
    """Two sentences giving the same full date from the same inline source report one event
    ("...declined the application in a complete response letter on 9 August 2024 (Phillips
    Lytle 2024)" and "On 9 August 2024, the FDA issued a complete response letter...")."""
    dates = set(_FULL_DATE.findall(a)) & set(_FULL_DATE.findall(b))
    return bool(dates) and bool(set(_INLINE_CITE.findall(a)) & set(_INLINE_CITE.findall(b)))


def restates(c, o) -> bool:
    """One sentence says what the other does in other words: most of the shorter one's content
    words are in the other ("As of December 2026, there is no FDA-approved therapy for insurers
    to cover" after "There is no FDA-approved therapy for insurers to cover ..., because ..."),
    or many are and their stored vectors are close."""
    if same_dated_fact(c.text, o.text):
        return True
    a, b = c.words - _STOP, o.words - _STOP
    if not a or not b:
        return False
    share = len(a & b) / min(len(a), len(b))
    return share >= SUBSUMED or (share >= RESTATE_SHARE and float(c.vec @ o.vec) >= RESTATE_COS)
