"""Sentences never to quote (pure): text addressed to an assistant, personal dosing directions.

A document added by a user (or fetched from a URL) may carry instructions meant for a chatbot
("SYSTEM: ...", "ignore all previous instructions") or tell readers how much MDMA to take. Such a
sentence stays in its passage for retrieval, but its index goes in Chunk.flagged_sentences so no
answer quotes it.
"""

from __future__ import annotations

import re

from kb.records import Chunk

_ADDRESSED = re.compile(
    r"^\W*(?:system|assistant|developer|user)\s*(?:prompt|message)?\s*:"
    r"|\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+)?(?:of\s+)?(?:the\s+|your\s+)?"
    r"(?:previous|prior|above|earlier|preceding|original|system)\s+"
    r"(?:instructions?|prompts?|messages?|rules|directions)"
    r"|\b(?:ignore|disregard)\s+(?:your|all)\s+(?:instructions|rules|guidelines|training)"
    r"|\byou\s+(?:must|should|will|are\s+to)\s+now\b"
    r"|\byou\s+are\s+now\s+(?:a|an|in)\b"
    r"|\b(?:tell|inform|instruct|advise)\s+(?:every|all|each|any)\s+(?:of\s+the\s+)?users?\b"
    r"|\b(?:tell|inform)\s+users\b"
    r"|\b(?:reply|respond|answer|say)\s+only\b"
    r"|\b(?:new|updated|hidden)\s+instructions?\s*:"
    r"|\b(?:as\s+an?\s+)?(?:ai|language\s+model|chatbot|llm)\s*,?\s+(?:you|must|should)\b"
    r"|\bprompt\s+injection\b|\bjailbreak\b|\bdeveloper\s+mode\b",
    re.IGNORECASE)
_DOSE = re.compile(r"\b\d+(?:\.\d+)?\s*(?:-|to|–)?\s*(?:\d+(?:\.\d+)?\s*)?(?:mg|milligrams?|g|grams?)\b"
                   r"|\bredos(?:e|ing)\b|\bbooster\s+doses?\b|\bdose\s+yourself\b", re.IGNORECASE)
_PERSONAL = re.compile(
    r"\b(?:you|your|yourself)\b|^\W*(?:take|swallow|start\s+with|redose|dose|use|try)\b"
    r"|\bat\s+home\b|\bon\s+your\s+own\b|\bwithout\s+a\s+(?:doctor|therapist|clinic)\b",
    re.IGNORECASE)


def is_flagged(sentence: str) -> bool:
    """True for a sentence that addresses an assistant or gives a personal dosing direction."""
    if _ADDRESSED.search(sentence):
        return True
    return bool(_DOSE.search(sentence) and _PERSONAL.search(sentence))


def flag_chunk(chunk: Chunk) -> tuple[int, ...]:
    """Indices into chunk.sentences of the sentences never to quote."""
    return tuple(i for i, (s, e) in enumerate(chunk.sentences) if is_flagged(chunk.text[s:e]))
