"""Checks on the answer text a user sees (pure): its lead, repeats, and orphaned references.

These are written independently of kb/ (which composes the answer) so the eval does not grade the
composer by its own rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_MARKER = re.compile(r"\s*\[\d+\]")
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+|$)")
_WORD = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)?")
# A sentence that opens by pointing back at something earlier ("That study...", "In the same
# survey...", "The authors...", "These doses...") or refers to text "above".
_ORPHAN_OPENING = re.compile(
    r"^(?:[\"'(]?)(?:(?:in|at|from|of|for|by|on|during|after|unlike|like|with|across) )?"
    r"(?:that|this|these|those|such|the same|the latter|the former|the authors|the researchers|"
    r"its|their|they|it|he|she|his|her|both groups)\b", re.IGNORECASE)
_ABOVE = re.compile(
    r"\babove(?=[\s,.;:]+(?:are|is|was|were|have|has|do|does|can|should|must|may)\b|[,.;:])"
    r"|\baforementioned\b|\b(?:as|see) (?:noted|described|mentioned|shown) above\b"
    r"|\bthe previous (?:section|paragraph|point|study|trial)\b", re.IGNORECASE)
# A connective that leans on what came before ("Even so, ...", "Despite this, ...").
_CONNECTIVE = re.compile(
    r"^(?:[\"'(]?)(?:even so|nevertheless|nonetheless|despite (?:this|that)|as a result|"
    r"likewise|similarly|by contrast|in contrast|(?:still|instead|otherwise),)", re.IGNORECASE)
LABEL = re.compile(r"^(?:Caveat|Note|Context|Notice)\s*:\s*", re.IGNORECASE)


def answer_sentences(text: str) -> list[str]:
    """The answer's sentences: each quoted sentence ends at its [n] marker; text with no markers
    (abstentions, safety replies) is split at sentence punctuation."""
    if _MARKER.search(text):
        parts = [p.strip() for p in _MARKER.split(text)]
        return [LABEL.sub("", p) for p in parts if p and any(ch.isalnum() for ch in p)]
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def lead(text: str) -> str:
    """The first sentence the reader sees."""
    parts = answer_sentences(text)
    return parts[0] if parts else ""


def contains_any(text: str, wanted: Sequence[str]) -> bool:
    low = text.lower()
    return any(w.lower() in low for w in wanted)


def _words(sentence: str) -> set[str]:
    return set(_WORD.findall(sentence.lower()))


def has_duplicate(text: str, threshold: float = 0.8) -> bool:
    """Two sentences of the answer with the same words, or nearly (Jaccard >= threshold)."""
    sets = [_words(s) for s in answer_sentences(text)]
    for i, a in enumerate(sets):
        for b in sets[i + 1:]:
            if a and b and len(a & b) / len(a | b) >= threshold:
                return True
    return False


_STOP = frozenset("""a an the of in on at to for and or but with by from as is are was were be been
that this it its their they than then which who""".split())
_CITATION = re.compile(r"\([^()]*\b(?:19|20)\d\d[a-z]?\b[^()]*\)")


def _content(sentence: str) -> set[str]:
    return set(_WORD.findall(_CITATION.sub("", sentence.lower()))) - _STOP


def has_restatement(sentences: Sequence[str], vectors, cosine: float = 0.85,
                    share: float = 0.6) -> bool:
    """Two sentences that say the same thing in other words: their vectors (one per sentence,
    unit length, embedded from the answer text) have a cosine of at least `cosine`, and at least
    `share` of the shorter one's content words are in the other. Either test alone is too loose:
    two results of one trial read alike to the model, and one source's words recur in others."""
    words = [_content(s) for s in sentences]
    for i in range(len(sentences)):
        for j in range(i + 1, len(sentences)):
            a, b = words[i], words[j]
            if not a or not b or float(vectors[i] @ vectors[j]) < cosine:
                continue
            if len(a & b) / min(len(a), len(b)) >= share:
                return True
    return False


def has_orphan(citations: Sequence) -> bool:
    """A quoted sentence that points back at something, shown without the sentence just before it
    in its passage (the one it leans on)."""
    for i, c in enumerate(citations):
        quote = c.quote.strip()
        if not (_ORPHAN_OPENING.search(quote) or _ABOVE.search(quote)
                or _CONNECTIVE.search(quote)):
            continue
        prev = citations[i - 1] if i else None
        joined = prev is not None and prev.chunk_id == c.chunk_id and \
            not c.text[prev.quote_end:c.quote_start].strip()
        if not joined:
            return True
    return False
