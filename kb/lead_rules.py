"""Which sentences should not open an answer: pooled summaries, definitions, and what leads instead."""

from __future__ import annotations

import re
from functools import lru_cache

# A sentence about several studies at once ("the two phase 3 trials together", "a pooled
# analysis", "across the phase 3 programme"): not the result of the one study asked about.
_POOLED = re.compile(
    r"\b(?:both|the two|two|all|several|three|six) (?:phase [123] |phase [123] and [123] |MDMA )?"
    r"(?:trials|studies)\b|\bpooled\b|\btogether\b|\bacross (?:the |both )?(?:phase [123] )?"
    r"(?:trials|studies|programme|program)\b", re.IGNORECASE)
# A definition ("Medicaid is the public health-insurance program that...", "A phase 2 trial is a
# mid-stage study..."): what a term means, not what was asked about it.
_DEFINITION = re.compile(
    r"^(?:(?:A|An|The)\s)?[A-Z][\w'-]*(?:\s[\w'()-]+){0,4}\s(?:is|are)\s(?:a|an|the)\s"
    r"(?:[\w'-]+\s){0,5}(?:that|which|who|where|for)\b|^(?:(?:A|An|The)\s)?[A-Z][\w'-]*"
    r"(?:\s[\w'()-]+){0,4}\s(?:means|refers to)\s")
# A question that asks what something is or means: a definition then answers it.
_DEFINE_QUESTION = re.compile(
    r"\bwhat(?:'s| is| are| does| do)\b(?:(?!\b(?:find|found|say|show|happen)\b).)*"
    r"(?:\bmean\b|\?\s*$)|\bdifference between\b|\bdefin", re.IGNORECASE)
# A yes/no question about paying for or covering the treatment ("Does Medicaid cover it?"), or
# about its approval ("Is it FDA approved yet?"): the dated "not approved" correction answers it.
_COVERAGE = re.compile(r"\b(?:cover|covers|covered|coverage|reimburse\w*|pay for|pays for|"
                       r"approved|approval)\b", re.IGNORECASE)


# A date that says when the text was checked, not when something happened ("As of December
# 2026, ...", "when it was last checked, in 2024", "the last status found ... that April 2026").
_STATUS_DATE = re.compile(
    r"\bas of (?:\w+ )?(?:19|20)\d\d\b|\b(?:last )?checked(?: for this \w+ \w+)?,? in (?:\w+ )?"
    r"(?:19|20)\d\d\b|\bthe last status found\b.*", re.IGNORECASE)


@lru_cache(maxsize=50_000)
def without_status_dates(sentence: str) -> str:
    """The sentence without the dates that only say when its facts were checked."""
    return _STATUS_DATE.sub("", sentence)


@lru_cache(maxsize=50_000)
def is_pooled(sentence: str) -> bool:
    """Is the sentence about several studies together rather than one?"""
    return bool(_POOLED.search(sentence))


@lru_cache(maxsize=50_000)
def is_definition(sentence: str) -> bool:
    """Does the sentence define a term ("X is the ... that ...")?"""
    return bool(_DEFINITION.search(sentence))


def asks_definition(question: str) -> bool:
    """Does the question ask what something is or means?"""
    return bool(_DEFINE_QUESTION.search(question))


def asks_coverage(question: str) -> bool:
    """Does the question ask whether someone covers or pays for the treatment, or whether it is
    approved?"""
    return bool(_COVERAGE.search(question))
