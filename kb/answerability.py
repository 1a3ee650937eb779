"""On topic but not answerable from the knowledge base: local, live or one-payer questions."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from kb.records import Hit

# Questions whose answer is a particular place, person, phone number or today's situation: the
# knowledge base describes research, policy and access in general, never a directory.
_LOCAL = re.compile(
    r"\bnear (?:me|us|here)\b|\bnearby\b|\bclosest\b|\bnearest (?:clinic|provider|therapist|doctor)"
    r"|\bin my (?:area|city|town|state|county|region|neighbou?rhood|zip)\b"
    r"|\bphone number\b|\bemail address\b|\bcontact (?:details|information|info)\b"
    r"|\bopening hours\b|\bbook (?:an? )?appointment\b|\bsign (?:me|my client) up\b"
    r"|\bwhich (?:clinics?|therapists?|doctors?|psychiatrists?|providers?|practitioners?|"
    r"cent(?:er|re)s?) (?:in|near|around)\b"
    r"|\bwaiting list\b|\bwait ?list\b|\bright now\b|\bcurrently accepting\b"
    r"|\bwhere (?:can|could|do|should) (?:i|we|my clients?|someone|a client|people)\s+"
    r"(?:get|find|obtain|receive)\b.*\b(?:prescription|clinic|therapist|provider|doctor)s?\b",
    re.IGNORECASE)
# "What does <Payer> pay", "Which therapists in <City> ...", "Is it legal in <Country>?": a named
# party or place the knowledge base never mentions, asked about as a payer, provider or law.
_SERVICE = re.compile(
    r"\b(?:pay|pays|paid|cover|covers|covered|reimburse|reimburses|offer|offers|provide|provides|"
    r"accept|accepts|prescribe|prescribes|give|gives|trained|sell|sells|legal|illegal|legali[sz]ed|"
    r"allowed|permitted|banned|approved|available)\b", re.IGNORECASE)
_NAME = re.compile(r"\b[A-Z][A-Za-z]+(?:[A-Z][a-z]+)*\b")
_COMMON = frozenset("""I MDMA PTSD FDA DEA VA US USA UK MAPS What Which Who How Does Do Did Is Are
Can Could Would Will Where When Why And But So Also My Our The A An In Of For""".split())


def vocabulary(texts: Iterable[str]) -> frozenset[str]:
    """Every word of the knowledge base, lower-cased (to tell a name it mentions from one it
    never does)."""
    words: set[str] = set()
    for text in texts:
        words.update(re.findall(r"[a-z0-9]+", text.lower()))
    return frozenset(words)


# Conversation words that carry no topic: never a sign that a question left the knowledge base.
GLUE = frozenset("""you your yours my mine me we us our i im ive youre doing done next pass passed
guess guessed happen happens happened now still later ever else really actually right wrong good
bad mean means tell know think say says get got go goes going come comes make makes take takes
give gives want need look keep stay start stop end try tried thing things stuff okay ok please
thanks thank hi hello yes yeah sure explain anything something much many lot lots kind sort""".split())
_TOPIC_WORD = re.compile(r"[a-z][a-z0-9']+")


NEAR_SPELLING = 0.85  # difflib ratio at which a word counts as a misspelling of a known one


@lru_cache(maxsize=4)  # one vocabulary per read view; a frozenset's hash is computed once
def _words_by_length(vocab: frozenset[str]) -> dict[int, list[str]]:
    by_length: dict[int, list[str]] = {}
    for word in vocab:
        by_length.setdefault(len(word), []).append(word)
    return by_length


def spelt_nearly_alike(word: str, vocab: frozenset[str]) -> bool:
    """Is some vocabulary word within NEAR_SPELLING of `word` (difflib's ratio, as before)?

    Only words of a length that can reach the ratio are tried (2 x shorter / total length is its
    ceiling); rapidfuzz finds candidates among them in C++ (its ratio, 2 x longest common
    subsequence / total length, is never below difflib's, so no match is lost) and difflib
    confirms each. difflib alone over a 250k-chunk vocabulary cost 44 ms a word; this, 1 ms."""
    from difflib import SequenceMatcher

    from rapidfuzz import fuzz, process

    by_length, n = _words_by_length(vocab), len(word)
    low = math.floor(n * NEAR_SPELLING / (2 - NEAR_SPELLING))
    high = math.ceil(n * (2 - NEAR_SPELLING) / NEAR_SPELLING)
    for length in range(low, high + 1):
        for candidate, _, _ in process.extract(
                word, by_length.get(length, ()), scorer=fuzz.ratio, limit=None,
                score_cutoff=NEAR_SPELLING * 100 - 1e-6):
            if SequenceMatcher(None, candidate, word).ratio() >= NEAR_SPELLING:
                return True
    return False


def unknown_words(question: str, vocab: frozenset[str]) -> list[str]:
    """Words of the question the knowledge base never uses (nor anything spelt nearly alike):
    a question that brings in such a word has moved to something the knowledge base lacks."""
    from kb.conversation import content_words

    out = []
    for w in content_words(question):
        if w in vocab or w in GLUE or len(w) < 3 or not _TOPIC_WORD.fullmatch(w):
            continue
        if len(w) >= 6 and spelt_nearly_alike(w, vocab):
            continue
        out.append(w)
    return out


def unknown_names(question: str, vocab: frozenset[str]) -> list[str]:
    """Capitalised words after the first that the knowledge base never uses."""
    start = len(question) - len(question.lstrip())
    return [m.group() for m in _NAME.finditer(question) if m.start() > start
            and m.group() not in _COMMON and m.group().lower() not in vocab]


def not_answerable(question: str, vocab: frozenset[str]) -> str | None:
    """Why the knowledge base cannot answer an on-topic question, or None when it may."""
    if _LOCAL.search(question):
        return "local"
    if _SERVICE.search(question) and unknown_names(question, vocab):
        return "named"
    return None


def not_covered_text(reason: str, hits: Sequence[Hit], n: int = 3) -> str:
    what = ("particular clinics, therapists, contact details or today's local availability"
            if reason == "local" else "that particular insurer, provider or place")
    titles = list(dict.fromkeys(h.chunk.title for h in hits if h.chunk.title))[:n]
    text = (f"Not covered: the knowledge base has nothing on {what}, so I can't answer this "
            "with a source.")
    if titles:
        text += " The nearest things it does cover: " + "; ".join(titles) + "."
    return text
