"""Hits -> Answer: query-focused extractive sentences with [n] citations, or an explicit abstention."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np

from kb import caveats, compose
from kb.records import Chunk, Citation, Hit

# Cosine between the question and the best passage below which the knowledge base is taken not to
# cover it. Calibrated on eval/sets/default.jsonl with `kb eval --calibrate` (see docs/abstention.md).
DEFAULT_MIN_SCORE = 0.42
_MARKER = re.compile(r"\[(\d+)\]")
CAVEAT_LABEL = "Caveat: "


def nearest_topics(hits: Sequence[Hit], n: int = 3) -> tuple[str, ...]:
    counts = Counter(t for h in hits for t in h.chunk.topics)
    return tuple(t for t, _ in counts.most_common(n))


def abstention_text(topics: Sequence[str], covered: Sequence[str]) -> str:
    text = ("The knowledge base does not cover this question, so I can't answer it with a "
            "source. It covers MDMA-assisted therapy for PTSD: " + ", ".join(covered) + ".")
    if topics:
        text += " The nearest topics it does cover: " + ", ".join(topics) + "."
    return text


# What a citation's reference line says when its sentence names no source of its own, so no
# publication is credited with a sentence it may not support (28% of the tune answers'
# citations were such fallbacks): the sources its passage cites, labelled; or, when the passage
# cites none, a plain statement that the sentence is the knowledge base's own summary.
NOT_OWN = "Sentence not cited individually; its passage cites: "
OWN_SUMMARY = ("Sentence not cited individually: this knowledge base's own summary, drawn from "
               "the {n} sources of the document.")


def sources_for(quote: str, chunk) -> tuple[list, str]:
    """The publications behind a quote, and whose they are: `sentence` (cited inline in the quote,
    or the document has only one source), `passage` (cited elsewhere in its passage) or
    `document` (the passage cites nothing: the document's sources)."""
    own = [src for src in chunk.sources if src.cited_in(quote)]
    if own or len(chunk.sources) <= 1:
        return own or list(chunk.sources), "sentence"
    passage = [src for src in chunk.sources if src.cited_in(chunk.text)]
    if passage:
        return passage, "passage"
    return list(chunk.sources), "document"


def reference_line(cited: list, scope: str) -> str:
    if scope == "document":
        return OWN_SUMMARY.format(n=len(cited))
    line = "; ".join(src.reference() for src in cited)
    return NOT_OWN + line if line and scope == "passage" else line


def _one_line(quote: str) -> str:
    """A quote from a hard-wrapped paragraph, its line breaks read as spaces."""
    return " ".join(quote.split())


def citation_for(n: int, hit: Hit, sentence_index: int) -> Citation:
    c = hit.chunk
    s, e = c.sentences[sentence_index]
    cited, scope = sources_for(c.text[s:e], c)
    return Citation(
        n=n, chunk_id=c.chunk_id, doc_id=c.doc_id, title=c.title, section=c.section,
        text=c.text, quote=c.text[s:e], quote_start=s, quote_end=e,
        source=reference_line(cited, scope) or c.source,
        link="" if scope == "document" else next(
            (src.link for src in cited if src.link),
            c.source if c.source.startswith(("http://", "https://")) else ""),
        evidence_type=c.evidence_type, as_of=c.as_of, origin=c.origin, attributed=scope,
    )


def extractive_answer(hits: Sequence[Hit], query_vec: np.ndarray, *,
                      focus: compose.Focus | None = None, ranked: int | None = None,
                      pool: Mapping[str, Sequence[Chunk]] | None = None,
                      own_vec: np.ndarray | None = None) -> tuple[str, list[Citation]]:
    """The sentence that answers first, then 1-3 supporting sentences from distinct passages,
    then at most one labelled caveat from a cited document; each followed by its [n].

    `ranked`: how many of `hits` are the retrieval's own ranking (the rest are other sections of
    the subject document); `pool`: every chunk of the cited documents, by doc_id (for caveats);
    `own_vec`: a follow-up's own words, averaged with the combined query for sentence relevance.
    """
    focus = focus or compose.Focus()
    vecs = [query_vec] if own_vec is None else [query_vec, own_vec]
    cands = compose.candidates(hits, vecs, focus, ranked or len(hits))
    chosen = compose.choose(cands, focus)
    parts, citations = [], []
    for n, c in enumerate(chosen, 1):
        cit = citation_for(n, c.hit, c.si)
        citations.append(cit)
        parts.append(f"{_one_line(cit.quote)} [{n}]")
    extra = caveats.caveat(chosen, pool or {}, focus) if chosen else None
    if extra is not None and len(citations) < compose.MAX_TOTAL:
        cit = citation_for(len(citations) + 1, *extra)
        citations.append(cit)
        parts.append(f"{CAVEAT_LABEL}{_one_line(cit.quote)} [{cit.n}]")
    return " ".join(parts), citations


def validate_citations(answer: str, citations: Sequence[Citation],
                       chunk_texts: dict[str, str]) -> list[str]:
    """Problems: markers with no citation, citations whose quote is not in the stored chunk."""
    problems = []
    by_n = {c.n: c for c in citations}
    for m in _MARKER.finditer(answer):
        if int(m.group(1)) not in by_n:
            problems.append(f"marker [{m.group(1)}] has no citation")
    for c in citations:
        stored = chunk_texts.get(c.chunk_id)
        if stored is None:
            problems.append(f"[{c.n}] cites unknown passage {c.chunk_id}")
        elif stored[c.quote_start:c.quote_end] != c.quote or not c.quote.strip():
            problems.append(f"[{c.n}] quote does not occur at its offsets in {c.chunk_id}")
    return problems
