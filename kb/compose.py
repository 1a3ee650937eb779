"""Answer-first extractive composition: the sentence that answers, support, then caveats."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from kb import lead_rules, restatement
from kb import sentences as sent
from kb.records import Hit

# Relevance = W_SENT * cos(sentence, question) + W_PASSAGE * cos(passage, question) + W_RANK * rank
# prior (docs/answer-tuning.md has the sweeps that chose them), plus the bonuses below.
W_SENT, W_PASSAGE, W_RANK = 0.5, 0.2, 0.2
W_FACT = 0.06  # per fact of the kind asked for that the sentence carries (a number, date, name)
MAX_FACTS = 2
ONE_FACT = frozenset({"when", "who", "funding"})  # one date or name is the answer, more is noise
W_SECTION = 0.1  # its section is the kind the question asks for ("Results" for a finding)
W_SUBJECT = 0.08  # it is about the subject the question names (its document or an alias)
W_OFF_SUBJECT = 0.08  # it is from another document and does not name the subject
W_OTHER_SUBJECT = 0.25  # it names another study than the one asked about
W_PLACE = 0.08  # it names the country or state asked about (+), or only another one (-)
W_REUSE = 0.03  # per sentence already taken from the same passage (prefer distinct passages)
W_LEAD_LEX = 0.2  # the lead: IDF-weighted share of the question's words it holds
W_BODY_LEX = 0.05  # the same, smaller, for every sentence
W_HEADLINE = 0.06  # a finding question: the study's primary outcome or effect size
W_DISCLAIMER = 0.1  # a disclaimer about the text itself ("not guidance for anyone's use")
W_DEFINITION = 0.1  # the lead: a definition, when the question did not ask what a term means
# The lead: a sentence that cites its own publication inline ("... (Mitchell et al. 2023).") is
# the one a practitioner can quote with its source, and its reference line credits that
# publication (kb.answer.sources_for); preferred by this much (docs/answer-tuning.md).
W_CITED_LEAD = 0.08
# A finding question's lead is the study's primary outcome or effect size when one scores within
# this much of the best sentence.
HEADLINE_MARGIN = 0.05
# The lead carries the kind of fact asked for (a number, a date, a name) when a sentence that
# does scores within this much of the best one that does not.
LEAD_FACT_MARGIN = 0.15
LEAD_FACT_KINDS = frozenset({"effect", "share", "cost", "when", "duration", "who", "count",
                             "funding"})
LAMBDA = 0.95
MAX_BODY, MIN_BODY, MAX_TOTAL = 4, 2, 5
STOP_GAP = 0.3  # support stops once a sentence scores this far below the best
SAME_POINT = 0.9  # cosine above which a sentence makes a point already made
FACT_KINDS = frozenset({"effect", "share", "cost", "when", "duration", "who", "count", "finding",
                        "funding", "why"})
OWN_WEIGHT = 0.6  # a follow-up's own words against the joined query, in sentence relevance


@dataclass(frozen=True)
class Focus:
    """What the answer should be about: the question's kind, its subject documents, and the
    documents other subjects belong to (aliases), as found by kb.subject."""

    kind: str = "other"
    subjects: tuple[str, ...] = ()
    mentions: object = None  # callable text -> {doc_id: alias length}, or None
    # True when the question (or the turn it continues) names the subject: sentences about
    # other subjects are then held back; False when the subject is only the dominant document.
    strict: bool = True
    # the question's content-word stems with their IDF weights (for the lead's word overlap)
    terms: dict = field(default_factory=dict)
    # the question is about approval, prescribing, referral or coverage (the "not approved"
    # caveat is then owed whatever the documents cited)
    about_access: bool = False
    # the subject area that names the section to look in ("safety"), whatever the kind
    topic: str = ""
    # what a how-many question counts (kb.sentences.counted_noun), or ""
    counted: str = ""
    # the question takes an approval or rescheduling for granted: the correction leads
    presumes: bool = False
    # the question asks what a term means (a definition may then lead)
    wants_definition: bool = True
    # a yes/no question about covering or paying for the treatment ("Does Medicaid cover it?")
    coverage: bool = False
    # the countries and US states the question names (kb.places), and text -> the places it names
    places: frozenset = frozenset()
    places_in: object = None


@dataclass
class Candidate:
    hit: Hit
    rank: int
    si: int
    text: str
    vec: np.ndarray
    score: float
    key: tuple[str, int]
    words: frozenset = field(default_factory=frozenset)
    back: bool = False
    overlap: float = 0.0  # IDF-weighted share of the question's stems the sentence holds
    cited: bool = False  # it names one of its document's sources inline


@lru_cache(maxsize=50_000)
def usable(sentence: str) -> bool:
    words = sentence.split()
    return len(words) >= 6 and not sentence.rstrip().endswith(":")


def _subject_term(c_doc: str, text: str, focus: Focus) -> float:
    if not focus.subjects:
        return 0.0
    if not focus.strict:
        return W_SUBJECT / 2 if c_doc in focus.subjects else 0.0
    named = focus.mentions(text) if focus.mentions else {}
    if len(focus.subjects) == 1 and lead_rules.is_pooled(text) and len(named) != 1:
        return -W_OFF_SUBJECT  # several studies together: not the one study asked about
    if c_doc in focus.subjects or any(d in focus.subjects for d in named):
        return W_SUBJECT
    if any(d not in focus.subjects for d in named):
        return -W_OTHER_SUBJECT
    return -W_OFF_SUBJECT


def _place_term(text: str, focus: Focus) -> float:
    """A question naming a country or state: its sentences count more, sentences about another
    place only less ("can doctors in switzerland use mdma" is not answered with Australia)."""
    if not focus.places or focus.places_in is None:
        return 0.0
    named = focus.places_in(text)
    if named & focus.places:
        return W_PLACE
    return -W_PLACE if named else 0.0


def candidates(hits: Sequence[Hit], query_vecs: Sequence[np.ndarray], focus: Focus,
               ranked: int) -> list[Candidate]:
    """Every quotable sentence once (a sentence two overlapping passages share counts once),
    scored. Hits past `ranked` are other sections of the subject document: they get the rank
    prior of that document's best-ranked passage (the document as a whole was ranked there)."""
    out: list[Candidate] = []
    seen: set[tuple[str, int]] = set()
    doc_prior: dict[str, float] = {}
    for hi, hit in enumerate(hits[:ranked]):
        doc_prior.setdefault(hit.chunk.doc_id, 1.0 - hi / ranked)
    for hi, hit in enumerate(hits):
        c, vecs = hit.chunk, hit.sentence_vectors
        if vecs is None:
            continue
        prior = 1.0 - hi / ranked if hi < ranked else doc_prior.get(c.doc_id, 0.5)
        flagged = set(c.flagged_sentences)
        for si, (s, e) in enumerate(c.sentences):
            text = c.text[s:e]
            key = (c.doc_id, c.start + s)
            if si >= len(vecs) or si in flagged or not usable(text) or key in seen:
                continue
            seen.add(key)
            cos = float(vecs[si] @ query_vecs[0]) if len(query_vecs) == 1 else \
                (1 - OWN_WEIGHT) * float(vecs[si] @ query_vecs[0]) + \
                OWN_WEIGHT * float(vecs[si] @ query_vecs[1])
            score = W_SENT * cos + W_PASSAGE * float(hit.dense_score or 0.0) + W_RANK * prior
            score += W_FACT * _facts(focus, text)
            if sent.section_fits(focus.kind, c.section, focus.topic):
                score += W_SECTION
            if focus.kind in ("finding", "effect") and sent.is_headline(text):
                score += W_HEADLINE
            if sent.is_disclaimer(text):
                score -= W_DISCLAIMER
            term = _subject_term(c.doc_id, text, focus)
            if focus.strict and term == -W_OTHER_SUBJECT:
                continue  # about another study than the one named: never quoted for it
            score += term + _place_term(text, focus)
            overlap = sent.overlap(focus.terms, text) if focus.terms else 0.0
            score += W_BODY_LEX * overlap
            cited = any(src.cited_in(text) for src in c.sources)
            out.append(Candidate(hit, hi, si, text, vecs[si], score, key, sent.word_set(text),
                                 sent.leans_back(text), overlap, cited))
    return out


def _facts(focus: Focus, text: str) -> float:
    """Facts of the asked kind the sentence carries, capped; for a how-many question that names
    what it counts, a number of something else counts half."""
    if focus.kind not in FACT_KINDS:
        return 0.0
    cap = 1 if focus.kind in ONE_FACT else MAX_FACTS
    if focus.kind == "count" and focus.counted:
        hits = sent.counts_of(focus.counted, text)
        return float(min(hits, cap)) if hits else 0.5 * min(sent.fact_count("count", text), 1)
    if focus.kind == "when":
        text = lead_rules.without_status_dates(text)
    return float(min(sent.fact_count(focus.kind, text), cap))


def carries(focus: Focus, text: str) -> bool:
    """Does the sentence carry the kind of fact the question asks for?"""
    if focus.kind == "count" and focus.counted:
        return sent.counts_of(focus.counted, text) > 0
    if focus.kind == "when":
        text = lead_rules.without_status_dates(text)
    return sent.carries(focus.kind, text)


def _predecessor(cands: Sequence[Candidate], c: Candidate) -> Candidate | None:
    """The sentence just before `c` in its passage, if it can be quoted and stands on its own."""
    for other in cands:
        if other.hit is c.hit and other.si == c.si - 1 and not other.back:
            return other
    return None


def _fits(c: Candidate, chosen: Sequence[Candidate]) -> bool:
    return all(c.key != o.key and not sent.near_duplicate(c.words, o.words)
               and not restatement.restates(c, o) for o in chosen)


def pick_lead(cands: Sequence[Candidate], focus: Focus | None = None) -> Candidate:
    """The best sentence that stands on its own; for a how-many / when / who question, the best
    one carrying that kind of fact, unless it scores far below."""
    standalone = [c for c in cands if not c.back] or list(cands)

    focus = focus or Focus()

    def value(c: Candidate) -> float:
        defines = not focus.wants_definition and lead_rules.is_definition(c.text)
        return c.score + W_LEAD_LEX * c.overlap - (W_DEFINITION if defines else 0.0) \
            + (W_CITED_LEAD if c.cited else 0.0)

    lead = max(standalone, key=value)
    if focus.presumes or (focus.coverage and focus.kind == "yesno"):
        corrections = [c for c in standalone if sent.corrects_access(c.text)]
        best = max(corrections, key=value) if corrections else None
        if best is not None and (focus.presumes or
                                 value(best) >= value(lead) - LEAD_FACT_MARGIN):
            return best
    if focus.kind in ("finding", "effect") and not sent.is_headline(lead.text):
        headlines = [c for c in standalone if sent.is_headline(c.text)]
        best = max(headlines, key=value) if headlines else None
        if best is not None and value(best) >= value(lead) - HEADLINE_MARGIN:
            lead = best
    if focus.kind in LEAD_FACT_KINDS and not carries(focus, lead.text):
        carriers = [c for c in standalone if carries(focus, c.text)]
        if carriers:
            best = max(carriers, key=value)
            if value(best) >= value(lead) - LEAD_FACT_MARGIN:
                lead = best
    return lead


def choose(cands: Sequence[Candidate], focus: Focus | None = None) -> list[Candidate]:
    """Lead first (see pick_lead), then support by MMR: one sentence per point, a sentence that
    leans back only right after the one it leans on."""
    if not cands:
        return []
    lead = pick_lead(cands, focus)
    chosen = [lead]
    best = lead.score
    pool = [c for c in cands if c is not lead]
    while pool and len(chosen) < MAX_BODY:
        vecs = np.asarray([o.vec for o in chosen])

        def value(c: Candidate, vecs: np.ndarray = vecs) -> float:
            reuse = sum(1 for o in chosen if o.hit.chunk.chunk_id == c.hit.chunk.chunk_id)
            redundancy = float((vecs @ c.vec).max())
            return LAMBDA * (c.score - W_REUSE * reuse) - (1 - LAMBDA) * redundancy

        pick = max(pool, key=value)
        pool.remove(pick)
        redundancy = float((vecs @ pick.vec).max())
        if len(chosen) >= MIN_BODY and pick.score < best - STOP_GAP:
            break
        if redundancy > SAME_POINT or not _fits(pick, chosen):
            continue
        if pick.back:
            prev = _predecessor(cands, pick)
            if prev is None or len(chosen) + (prev not in chosen) + 1 > MAX_BODY:
                continue
            if prev not in chosen:
                if not _fits(prev, chosen):
                    continue
                chosen.append(prev)
                if prev in pool:
                    pool.remove(prev)
        chosen.append(pick)
    return _adjacent(chosen)


def _adjacent(chosen: list[Candidate]) -> list[Candidate]:
    """Each sentence that leans back placed right after the one it leans on."""
    out: list[Candidate] = []
    for c in chosen:
        if c in out:
            continue
        if c.back:
            continue
        out.append(c)
        for d in chosen:
            if d.back and d.hit is c.hit and d.si == c.si + 1:
                out.append(d)
    return out
