"""Hybrid retrieval: dense (Chroma) and BM25 candidates fused (z-score convex or RRF) into list[Hit]."""

from __future__ import annotations

import math
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from kb.errors import EmptyIndexError
from kb.fusion import fuse_rankings, fuse_scores
from kb.lexical import LexicalIndex, top_rows
from kb.records import Chunk, Hit
from kb.sentence_index import SentenceIndex
from kb.store import Index
from kb.vocabulary import RETRIEVAL_MODES

MODES = RETRIEVAL_MODES
FUSIONS = ("convex", "rrf")
# BM25's share in convex fusion, chosen on the default eval set (SciFact dev is flat from 0.3 to
# 0.5 with passage windows; docs/benchmarks.md, BEIR section).
DEFAULT_ALPHA = 0.35


@dataclass(frozen=True)
class Filters:
    """Restrict retrieval by labels; an empty tuple means any."""

    topics: tuple[str, ...] = ()
    populations: tuple[str, ...] = ()
    evidence_types: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = ()

    def admits(self, chunk: Chunk) -> bool:
        return (
            (not self.topics or bool(set(self.topics) & set(chunk.topics)))
            and (not self.populations or bool(set(self.populations) & set(chunk.populations)))
            and (not self.evidence_types or chunk.evidence_type in self.evidence_types)
            and (not self.doc_ids or chunk.doc_id in self.doc_ids)
        )


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def collapse_near_duplicates(hits: list[Hit], threshold: float = 0.85,
                             limit: int | None = None) -> list[Hit]:
    """Drop a hit whose words overlap a better hit's by `threshold` (Jaccard) or more.

    Stops once `limit` hits are kept. Only pairs that pass the exact prefix filter of set-similarity
    joins are compared: two sets with Jaccard >= t share a word among the first n - ceil(t * n) + 1
    words of each, in one fixed order (rarest first), so a few hundred hits stay cheap.
    """
    sets = [_words(h.chunk.text) for h in hits]
    df = Counter(w for words in sets for w in words)
    kept: list[int] = []
    by_word: dict[str, list[int]] = {}
    for i, words in enumerate(sets):
        if limit is not None and len(kept) >= limit:
            break
        cut = len(words) - math.ceil(threshold * len(words)) + 1 if words else 0
        prefix = sorted(words, key=lambda w: (df[w], w))[:cut]
        near = {j for w in prefix for j in by_word.get(w, ())}
        if any(len(words & sets[j]) / max(len(words | sets[j]), 1) >= threshold for j in near):
            continue
        for w in prefix:
            by_word.setdefault(w, []).append(i)
        kept.append(i)
    return [hits[i] for i in kept]


@dataclass(frozen=True)
class _View:
    """One index version as searches see it, replaced whole so a search never mixes two."""

    version: str | None = None
    chunks: tuple[Chunk, ...] = ()
    row: dict[str, int] = field(default_factory=dict)
    lexical: LexicalIndex = field(default_factory=lambda: LexicalIndex([]))
    sentences: SentenceIndex | None = None


@dataclass(frozen=True)
class _Dense:
    """One candidate as the dense side sees it: `cosine` to the passage vector (what abstention
    is calibrated on) and `score`, the value it is ranked and fused by."""

    cosine: float
    score: float


class Retriever:
    """Searches one Index; rebuilds its BM25 view when the index version changes."""

    def __init__(self, index: Index, embedder, *,
                 check_every_s: float = 2.0, candidates: int = 30, fusion: str = "convex",
                 alpha: float = DEFAULT_ALPHA, rrf_k: int = 60,
                 weights: tuple[float, float] = (1.0, 1.0), sentence_scoring: bool = False) -> None:
        """`fusion` "convex": (1 - alpha) * z(cosine) + alpha * z(BM25) over the union of both
        top-`candidates` lists; "rrf": reciprocal-rank fusion with `rrf_k` and (dense, BM25)
        `weights`. `sentence_scoring`: the dense side scores a passage by its best match, the
        passage vector or one of its stored sentence vectors, and takes its candidates by that
        score (every stored sentence is searched, in memory)."""
        if fusion not in FUSIONS:
            raise ValueError(f"fusion must be one of {FUSIONS}")
        self.index = index
        self.embedder = embedder
        self.check_every_s = check_every_s
        self.candidates = candidates
        self.fusion = fusion
        self.alpha = alpha
        self.rrf_k = rrf_k
        self.weights = weights
        self.sentence_scoring = sentence_scoring
        self._lock = threading.Lock()
        self._checked = 0.0
        self._fresh = False
        self._view = _View()

    @property
    def version(self) -> str | None:
        return self._view.version

    @property
    def chunks(self) -> tuple[Chunk, ...]:
        return self._view.chunks

    def refresh(self, force: bool = False) -> None:
        """Reload chunks and BM25 if another process published a new index version."""
        now = time.monotonic()
        if not force and self._fresh and now - self._checked < self.check_every_s:
            return
        with self._lock:
            self._checked = now
            version = self.index.version
            if version != self.version or force:
                if self.sentence_scoring:
                    listed, _, sentence_vecs = self.index.chunks_with_vectors(self.embedder.dim)
                else:
                    listed, sentence_vecs = self.index.chunks(), None
                chunks = tuple(listed)
                self._view = _View(
                    version, chunks, {c.chunk_id: i for i, c in enumerate(chunks)},
                    LexicalIndex([c.embed_text() for c in chunks]),
                    SentenceIndex(sentence_vecs, self.embedder.dim) if sentence_vecs is not None
                    else None)
            self._fresh = True

    def search(self, query: str, k: int = 5, filters: Filters | None = None,
               mode: str = "hybrid", query_vector: np.ndarray | None = None) -> list[Hit]:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        self.refresh()
        view, index = self._view, self.index
        if not view.chunks:
            raise EmptyIndexError("the index is empty; run `kb ingest` first.")
        filters = filters or Filters()
        qv = self.embedder.embed_query(query) if query_vector is None else query_vector
        n = min(self.candidates, len(view.chunks))
        allowed = None
        if filters != Filters():
            allowed = np.array([filters.admits(c) for c in view.chunks], dtype=bool)
        best = view.sentences.best_per_chunk(qv) if view.sentences is not None else None

        def dense_score(cid: str, cosine: float) -> float:
            """The dense side's ranking score: the passage cosine, or its best sentence's when
            sentence scoring is on (a passage written since the last refresh has no row yet)."""
            row = view.row.get(cid)
            return cosine if best is None or row is None else max(cosine, float(best[row]))

        stored: dict = {}

        def fetch(ids: list[str]) -> None:
            """Add the stored chunks (and the dense view) of `ids` not fetched yet."""
            for record in index.get([cid for cid in ids if cid not in stored]):
                cid = record.chunk.chunk_id
                stored[cid] = record
                if cid not in dense:
                    cosine = float(np.dot(qv, record.vector))
                    dense[cid] = _Dense(cosine, dense_score(cid, cosine))

        dense: dict[str, _Dense] = {}
        dense_ranking: list[str] = []
        if mode in ("hybrid", "dense"):
            ids, cosines = index.query(qv, n, where=filters)
            for cid, cosine in zip(ids, cosines.tolist(), strict=True):
                dense[cid] = _Dense(cosine, dense_score(cid, cosine))
                dense_ranking.append(cid)
            if best is not None:
                # The passages with the best sentences join the nearest passage vectors, so the
                # ranking is the exact top n by score, whichever of the two gives it.
                fetch([cid for i, _ in top_rows(best, n, allowed)
                       if (cid := view.chunks[i].chunk_id) not in dense])
                dense_ranking = sorted(dense, key=lambda cid: -dense[cid].score)[:n]
        lexical: dict[str, float] = {}
        if mode in ("hybrid", "bm25"):
            lex_scores = view.lexical.scores(query)
            lexical = {view.chunks[i].chunk_id: s for i, s in top_rows(lex_scores, n, allowed)}
        lexical_ranking = list(lexical)
        if mode == "hybrid" and self.fusion == "convex":
            # Both sides need a score for every candidate: cosines for BM25-only candidates,
            # BM25 for dense-only ones (zero when it shares no word with the query).
            fetch([cid for cid in lexical if cid not in dense])
            union = list(dict.fromkeys(dense_ranking + lexical_ranking))
            fused = fuse_scores(
                [{cid: dense[cid].score for cid in union if cid in dense},
                 {cid: float(lex_scores[view.row[cid]]) if cid in view.row else 0.0
                  for cid in union}],
                [1.0 - self.alpha, self.alpha])
        elif mode == "hybrid":
            fused = fuse_rankings([dense_ranking, lexical_ranking], self.weights, self.rrf_k)
        else:
            ranking = dense_ranking or lexical_ranking
            fused = [(cid, 1.0 / (self.rrf_k + r)) for r, cid in enumerate(ranking, 1)]
        # Take a few extra so near-duplicate collapsing still leaves k.
        top = fused[: k * 2]
        fetch([cid for cid, _ in top])
        lex_rank = {cid: r for r, cid in enumerate(lexical_ranking, 1)}
        dense_rank = {cid: r for r, cid in enumerate(dense_ranking, 1)}
        hits = []
        for cid, score in top:
            if cid not in dense or cid not in stored:  # deleted between the BM25 view and now
                continue
            d, record = dense[cid], stored[cid]
            hits.append(Hit(
                chunk=record.chunk, score=score,
                dense_score=d.cosine, bm25_rank=lex_rank.get(cid), dense_rank=dense_rank.get(cid),
                sentence_vectors=record.sentence_vectors if len(record.sentence_vectors) else None,
            ))
        return collapse_near_duplicates(hits, limit=k)
