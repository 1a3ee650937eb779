"""Hybrid retrieval: dense (Chroma) and BM25 candidates fused (z-score convex or RRF) into list[Hit]."""

from __future__ import annotations

import math
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass

import numpy as np

from kb.errors import EmptyIndexError
from kb.fusion import fuse_rankings, fuse_scores
from kb.lexical import top_rows
from kb.memory import release_freed_memory
from kb.read_view import ReadView, top_by_score
from kb.records import Chunk, Hit
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


# Below this many passages the dense side is one exact matrix product over the view; above it,
# Chroma's HNSW index answers the nearest-neighbour query (bench/scale.py measures both).
MATRIX_UP_TO = 300_000
DENSE_SEARCHES = ("auto", "matrix", "chroma")
# Up to this many passages the view holds every stored sentence vector (float16, ~3 KB a
# passage); above it a search fetches its hits' sentence vectors from the store in one request,
# which keeps a 250k-passage replica within its memory budget (docs/benchmarks.md, cost curve).
SENTENCES_IN_VIEW_UP_TO = 50_000


@dataclass(frozen=True)
class _Candidates:
    """What one search found on each side, as view rows: rankings best first, and every row's
    cosine (`cosines`) and dense ranking score (`dense`, the best sentence's when that is higher
    and sentence scoring is on)."""

    dense_ranking: list[int]
    lexical_ranking: list[int]
    cosines: np.ndarray
    dense: np.ndarray
    lexical: np.ndarray


class Retriever:
    """Searches one Index through an in-memory view rebuilt when the index version changes."""

    def __init__(self, index: Index, embedder, *,
                 check_every_s: float = 2.0, candidates: int = 30, fusion: str = "convex",
                 alpha: float = DEFAULT_ALPHA, rrf_k: int = 60,
                 weights: tuple[float, float] = (1.0, 1.0), sentence_scoring: bool = False,
                 dense_search: str = "auto") -> None:
        """`fusion` "convex": (1 - alpha) * z(cosine) + alpha * z(BM25) over the union of both
        top-`candidates` lists; "rrf": reciprocal-rank fusion with `rrf_k` and (dense, BM25)
        `weights`. `sentence_scoring`: the dense side scores a passage by its best match, the
        passage vector or one of its stored sentence vectors, and takes its candidates by that
        score (every stored sentence is searched, in memory). `dense_search`: "matrix" (exact, in
        memory), "chroma" (Chroma's HNSW query) or "auto" (matrix up to MATRIX_UP_TO passages)."""
        if fusion not in FUSIONS:
            raise ValueError(f"fusion must be one of {FUSIONS}")
        if dense_search not in DENSE_SEARCHES:
            raise ValueError(f"dense_search must be one of {DENSE_SEARCHES}")
        self.index = index
        self.embedder = embedder
        self.check_every_s = check_every_s
        self.candidates = candidates
        self.fusion = fusion
        self.alpha = alpha
        self.rrf_k = rrf_k
        self.weights = weights
        self.sentence_scoring = sentence_scoring
        self.dense_search = dense_search
        self._lock = threading.Lock()
        self._checked = 0.0
        self._fresh = False
        self._view = ReadView.empty()

    @property
    def version(self) -> str | None:
        return self._view.version

    @property
    def chunks(self) -> tuple[Chunk, ...]:
        return self._view.chunks

    @property
    def view(self) -> ReadView:
        return self._view

    def refresh(self, force: bool = False) -> None:
        """Rebuild the view if another process published a new index version."""
        now = time.monotonic()
        if not force and self._fresh and now - self._checked < self.check_every_s:
            return
        with self._lock:
            self._checked = now
            version = self.index.version
            if version != self.version or force:
                held = None if self.sentence_scoring else SENTENCES_IN_VIEW_UP_TO
                chunks, vectors, sentences = self.index.view_columns(self.embedder.dim,
                                                                     sentences_up_to=held)
                # One object per version, swapped in one assignment: a search that started on
                # the old view finishes on it.
                self._view = ReadView.build(version, chunks, vectors, sentences,
                                            self.sentence_scoring)
                del chunks, vectors, sentences
                release_freed_memory()
            self._fresh = True

    def search(self, query: str, k: int = 5, filters: Filters | None = None,
               mode: str = "hybrid", query_vector: np.ndarray | None = None) -> list[Hit]:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        self.refresh()
        view = self._view
        if not view.chunks:
            raise EmptyIndexError("the index is empty; run `kb ingest` first.")
        qv = self.embedder.embed_query(query) if query_vector is None else query_vector
        found = self._candidates(view, query, qv, mode, filters or Filters())
        return self._hits(view, found, self._fuse(found, mode), k)

    def _uses_matrix(self, view: ReadView) -> bool:
        return self.dense_search == "matrix" or (
            self.dense_search == "auto" and len(view.chunks) <= MATRIX_UP_TO)

    def _candidates(self, view: ReadView, query: str, qv: np.ndarray, mode: str,
                    filters: Filters) -> _Candidates:
        """The top `candidates` rows of the dense side and of BM25, within the filters."""
        n = min(self.candidates, len(view.chunks))
        allowed = view.admitted(filters)
        in_memory = view.sentences is not None or self._uses_matrix(view)
        cosines = view.cosines(qv) if in_memory else np.full(len(view.chunks), np.nan, np.float32)
        dense = cosines
        if view.sentences is not None:
            dense = np.maximum(cosines, view.sentences.best_per_chunk(qv))
        dense_ranking: list[int] = []
        if mode in ("hybrid", "dense") and in_memory:
            dense_ranking = top_by_score(dense, n, allowed)
        elif mode in ("hybrid", "dense"):
            ids, _ = self.index.query(qv, n, where=filters)
            # a passage written since this view was built is not in it: skip it
            dense_ranking = [r for cid in ids if (r := view.row.get(cid)) is not None]
        lexical = np.zeros(len(view.chunks), dtype=np.float32)
        lexical_ranking: list[int] = []
        if mode in ("hybrid", "bm25"):
            lexical = view.lexical.scores(query)
            lexical_ranking = [i for i, _ in top_rows(lexical, n, allowed)]
        if not in_memory:  # cosines of the candidates only, from their rows of the matrix
            rows = np.array(sorted(set(dense_ranking) | set(lexical_ranking)), dtype=np.int64)
            cosines[rows] = view.vectors[rows] @ np.asarray(qv, dtype=np.float32)
        return _Candidates(dense_ranking, lexical_ranking, cosines, dense, lexical)

    def _fuse(self, found: _Candidates, mode: str) -> list[tuple[int, float]]:
        """(row, fused score), best first."""
        if mode == "hybrid" and self.fusion == "convex":
            # Both sides score every candidate: cosines for BM25-only candidates, BM25 for
            # dense-only ones (zero when it shares no word with the query).
            union = list(dict.fromkeys(found.dense_ranking + found.lexical_ranking))
            return fuse_scores([{r: float(found.dense[r]) for r in union},
                                {r: float(found.lexical[r]) for r in union}],
                               [1.0 - self.alpha, self.alpha])
        if mode == "hybrid":
            return fuse_rankings([found.dense_ranking, found.lexical_ranking], self.weights,
                                 self.rrf_k)
        ranking = found.dense_ranking or found.lexical_ranking
        return [(r, 1.0 / (self.rrf_k + rank)) for rank, r in enumerate(ranking, 1)]

    def _hits(self, view: ReadView, found: _Candidates, fused: list[tuple[int, float]],
              k: int) -> list[Hit]:
        """The best fused rows as hits, near-duplicates collapsed (a few extra taken so k stay)."""
        lex_rank = {r: rank for rank, r in enumerate(found.lexical_ranking, 1)}
        dense_rank = {r: rank for rank, r in enumerate(found.dense_ranking, 1)}
        rows = fused[: k * 2]
        fetched = {} if view.sentence_store is not None else self.index.sentence_vectors(
            [view.chunks[r].chunk_id for r, _ in rows], view.vectors.shape[1])
        hits = [Hit(chunk=view.chunks[r], score=score, dense_score=float(found.cosines[r]),
                    bm25_rank=lex_rank.get(r), dense_rank=dense_rank.get(r),
                    sentence_vectors=view.sentence_vectors(r) if not fetched else
                    _some(fetched.get(view.chunks[r].chunk_id)))
                for r, score in rows]
        return collapse_near_duplicates(hits, limit=k)


def _some(vectors: np.ndarray | None) -> np.ndarray | None:
    return vectors if vectors is not None and len(vectors) else None
