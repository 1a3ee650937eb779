"""On topic but not answerable from the knowledge base: local, live or one-payer questions."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

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


def unknown_words(question: str, vocab: frozenset[str]) -> list[str]:
    """Words of the question the knowledge base never uses (nor anything spelt nearly alike):
    a question that brings in such a word has moved to something the knowledge base lacks."""
    from difflib import get_close_matches

    from kb.conversation import content_words

    out = []
    for w in content_words(question):
        if w in vocab or w in GLUE or len(w) < 3 or not _TOPIC_WORD.fullmatch(w):
            continue
        if len(w) >= 6 and get_close_matches(w, vocab, n=1, cutoff=0.85):
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
