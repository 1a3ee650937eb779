"""What a question asks for, as the composer's Focus: kind, topic, counted noun, premise, terms."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from kb.compose import Focus
from kb.conversation import anchor_question, content_words
from kb.lead_rules import asks_coverage, asks_definition
from kb.sentences import counted_noun, presumes_access, question_kind, question_topic, stem, stems_of

_ACCESS = re.compile(r"\b(?:approv\w*|prescri\w*|refer\w*|legal|available|insur\w*|covers?|"
                     r"covered|reimburs\w*)\b", re.IGNORECASE)
# A turn that continues the last one's question with a new object ("And the placebo group?",
# "What about MAPP1?"): it asks for the same kind of fact. "What happens next?" does not.
_ELLIPTICAL = re.compile(r"^\s*(?:and|but|or|what about|how about|same for|and for|for|then)\b",
                         re.IGNORECASE)
ANCHOR_TERMS = 0.25  # a follow-up's words weigh this much more than the turn it continues


def question_focus(question: str, turns: Sequence[str], follow_up: bool,
                   subjects: tuple[str, ...], *, mentions, strict: bool, idf: dict,
                   places_in=None) -> Focus:
    """The Focus for one question; `turns` are the earlier questions, `subjects` the documents
    it is about (named, carried or dominant), `idf` the knowledge base's stem weights,
    `places_in` text -> the knowledge base's places it names (a follow-up naming none keeps the
    places of the turn it continues)."""
    anchor = anchor_question(turns) if follow_up else ""
    places = frozenset()
    if places_in is not None:
        places = places_in(question) or (places_in(anchor) if anchor else frozenset())
    return Focus(kind=asked_kind(question, turns, follow_up), subjects=subjects,
                 mentions=mentions, strict=strict, terms=question_terms(question, idf, anchor),
                 about_access=bool(_ACCESS.search(question)), topic=question_topic(question),
                 counted=counted_noun(question), presumes=presumes_access(question),
                 wants_definition=asks_definition(question), coverage=asks_coverage(question),
                 places=places, places_in=places_in if places else None)


def asked_kind(question: str, turns: Sequence[str], follow_up: bool) -> str:
    """The kind of fact asked for; an elliptical follow-up ("And the placebo group?") asks for
    the same kind as the turn it continues."""
    kind = question_kind(question)
    if follow_up and kind in ("other", "yesno") and turns and _ELLIPTICAL.match(question):
        # the nearest earlier turn that asked for a kind of fact ("How big was the effect?"
        # before "And the placebo group?"), else the turn the conversation started from
        for turn in reversed(turns):
            earlier = question_kind(turn)
            if earlier not in ("other", "yesno"):
                return earlier
        return question_kind(anchor_question(turns))
    return kind


def idf_of(chunks) -> dict:
    """Word stem -> inverse document frequency over the chunks."""
    df: dict[str, int] = {}
    for c in chunks:
        for t in stems_of(c.text):
            df[t] = df.get(t, 0) + 1
    n = max(len(chunks), 1)
    return {t: math.log((n + 1) / (d + 0.5)) for t, d in df.items()}


# Users' words for what the documents say otherwise ("turn it down" -> "declined"): the
# documents' word joins the question's terms for the word overlap.
_SAYS = ((re.compile(r"\bturn(?:ed|s)? (?:\w+ )?down\b|\breject\w*|\brefus\w*|\bsaid no\b",
                     re.IGNORECASE), "declined"),
         (re.compile(r"\bpaid for\b|\bpays? for\b|\bbankroll\w*|\bbehind\b", re.IGNORECASE),
          "sponsor"))


def question_terms(question: str, idf: dict, anchor: str = "") -> dict:
    """The question's content-word stems the knowledge base uses, weighted by IDF; a follow-up
    also holds the words of the turn it continues, at ANCHOR_TERMS of their weight ("When?"
    after "Which papers were retracted?" is about retraction)."""
    terms = {stem(w): ANCHOR_TERMS * idf[stem(w)] for w in content_words(anchor)
             if stem(w) in idf}
    terms.update({stem(w): idf[stem(w)] for w in content_words(question) if stem(w) in idf})
    for pattern, word in _SAYS:
        if pattern.search(question) and stem(word) in idf:
            terms[stem(word)] = idf[stem(word)]
    return terms
