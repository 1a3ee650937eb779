"""Hits -> Answer: query-focused extractive sentences with [n] citations, or an explicit abstention."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from kb.records import Citation, Hit

# Cosine between the question and the best passage below which the knowledge base is taken not to
# cover it. Calibrated on eval/sets/default.jsonl with `kb eval --calibrate` (see docs/abstention.md).
DEFAULT_MIN_SCORE = 0.42
MAX_SENTENCES, MIN_SENTENCES = 5, 2
_MARKER = re.compile(r"\[(\d+)\]")


def nearest_topics(hits: Sequence[Hit], n: int = 3) -> tuple[str, ...]:
    counts = Counter(t for h in hits for t in h.chunk.topics)
    return tuple(t for t, _ in counts.most_common(n))


def abstention_text(topics: Sequence[str], covered: Sequence[str]) -> str:
    text = ("The knowledge base does not cover this question, so I can't answer it with a "
            "source. It covers MDMA-assisted therapy for PTSD: " + ", ".join(covered) + ".")
    if topics:
        text += " The nearest topics it does cover: " + ", ".join(topics) + "."
    return text


def _usable(sentence: str) -> bool:
    words = sentence.split()
    return len(words) >= 6 and not sentence.rstrip().endswith(":")


def select_sentences(hits: Sequence[Hit], query_vec: np.ndarray, *, lam: float = 0.85,
                     max_sentences: int = MAX_SENTENCES,
                     weights: tuple[float, float, float] = (0.5, 0.2, 0.2)
                     ) -> list[tuple[int, int, float]]:
    """(hit index, sentence index, relevance) chosen by MMR over sentence vectors.

    Relevance = w_s * cos(sentence, question) + w_p * cos(passage, question) + w_r * rank prior,
    the prior falling from 1 for the first hit to 1/k for the last, so the hybrid ranking (which
    BM25 helps) reaches the answer, not only the dense cosines. `weights` = (w_s, w_p, w_r) and
    lambda were picked on the default eval set (docs/answer-tuning.md has the sweeps). Adding word
    overlap with the question made the chosen quotes worse there.
    """
    cands, vecs, rels = [], [], []
    for hi, hit in enumerate(hits):
        if hit.sentence_vectors is None:
            continue
        for si, (s, e) in enumerate(hit.chunk.sentences):
            if si >= len(hit.sentence_vectors) or not _usable(hit.chunk.text[s:e]) \
                    or si in hit.chunk.flagged_sentences:  # flagged at ingest: never quoted
                continue
            vec = hit.sentence_vectors[si]
            # The passage's own similarity keeps sentences in context of a relevant passage.
            rel = weights[0] * float(vec @ query_vec) + weights[1] * float(hit.dense_score or 0.0) \
                + weights[2] * (1.0 - hi / len(hits))
            cands.append((hi, si))
            vecs.append(vec)
            rels.append(rel)
    if not cands:
        return []
    vecs_arr = np.asarray(vecs)
    rel_arr = np.asarray(rels)
    best = float(rel_arr.max())
    chosen: list[int] = []
    while len(chosen) < min(max_sentences, len(cands)):
        if chosen:
            redundancy = (vecs_arr @ vecs_arr[chosen].T).max(axis=1)
        else:
            redundancy = np.zeros(len(cands))
        mmr = lam * rel_arr - (1 - lam) * redundancy
        mmr[chosen] = -np.inf
        i = int(np.argmax(mmr))
        too_weak = rel_arr[i] < best - 0.12 or (chosen and redundancy[i] > 0.9)
        if len(chosen) >= MIN_SENTENCES and too_weak:
            break
        chosen.append(i)
    return [(cands[i][0], cands[i][1], float(rel_arr[i])) for i in chosen]


def sources_for(quote: str, chunk) -> list:
    """The publications a quote cites inline; else those its passage cites; else the first."""
    for text in (quote, chunk.text):
        cited = [src for src in chunk.sources if src.cite and src.cite in text]
        if cited:
            return cited
    return list(chunk.sources[:1])


def citation_for(n: int, hit: Hit, sentence_index: int) -> Citation:
    c = hit.chunk
    s, e = c.sentences[sentence_index]
    cited = sources_for(c.text[s:e], c)
    return Citation(
        n=n, chunk_id=c.chunk_id, doc_id=c.doc_id, title=c.title, section=c.section,
        text=c.text, quote=c.text[s:e], quote_start=s, quote_end=e,
        source="; ".join(src.reference() for src in cited) or c.source,
        link=next((src.link for src in cited if src.link), c.source if
                  c.source.startswith(("http://", "https://")) else ""),
        evidence_type=c.evidence_type, as_of=c.as_of, origin=c.origin,
    )


def extractive_answer(hits: Sequence[Hit], query_vec: np.ndarray) -> tuple[str, list[Citation]]:
    """2-5 sentences from the passages, in reading order, each followed by its [n]."""
    picked = select_sentences(hits, query_vec)
    # Read well: passages in rank order, sentences in document order within a passage.
    picked.sort(key=lambda p: (p[0], p[1]))
    parts, citations = [], []
    for n, (hi, si, _) in enumerate(picked, 1):
        cit = citation_for(n, hits[hi], si)
        citations.append(cit)
        parts.append(f"{cit.quote} [{n}]")
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
