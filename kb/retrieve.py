"""Hybrid retrieval: dense (Chroma) and BM25 results fused by reciprocal rank into list[Hit]."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from kb import store
from kb.errors import EmptyIndexError
from kb.fusion import fuse_rankings
from kb.lexical import LexicalIndex
from kb.records import Chunk, Hit

MODES = ("hybrid", "dense", "bm25")


@dataclass(frozen=True)
class Filters:
    """Restrict retrieval by labels; an empty tuple means any."""

    topics: tuple[str, ...] = ()
    populations: tuple[str, ...] = ()
    evidence_types: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = ()

    def chroma_where(self) -> dict | None:
        clauses = []
        for field, values in (("topics", self.topics), ("populations", self.populations)):
            if values:
                parts = [{field: {"$contains": v}} for v in values]
                clauses.append(parts[0] if len(parts) == 1 else {"$or": parts})
        if self.evidence_types:
            clauses.append({"evidence_type": {"$in": list(self.evidence_types)}})
        if self.doc_ids:
            clauses.append({"doc_id": {"$in": list(self.doc_ids)}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def admits(self, chunk: Chunk) -> bool:
        return (
            (not self.topics or bool(set(self.topics) & set(chunk.topics)))
            and (not self.populations or bool(set(self.populations) & set(chunk.populations)))
            and (not self.evidence_types or chunk.evidence_type in self.evidence_types)
            and (not self.doc_ids or chunk.doc_id in self.doc_ids)
        )


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def collapse_near_duplicates(hits: list[Hit], threshold: float = 0.85) -> list[Hit]:
    """Drop a hit whose words overlap a better hit's by `threshold` (Jaccard) or more."""
    kept: list[tuple[Hit, set[str]]] = []
    for hit in hits:
        words = _words(hit.chunk.text)
        if any(len(words & w) / max(len(words | w), 1) >= threshold for _, w in kept):
            continue
        kept.append((hit, words))
    return [h for h, _ in kept]


class Retriever:
    """Searches one collection; rebuilds its BM25 view when the index version changes."""

    def __init__(self, open_collection: Callable[[], object], embedder, *,
                 check_every_s: float = 2.0, candidates: int = 30,
                 rrf_k: int = 60, weights: tuple[float, float] = (1.0, 1.0)) -> None:
        self._open = open_collection
        self.embedder = embedder
        self.check_every_s = check_every_s
        self.candidates = candidates
        self.rrf_k = rrf_k
        self.weights = weights
        self._lock = threading.Lock()
        self._checked = 0.0
        self.version: str | None = None
        self.collection = None
        self.chunks: list[Chunk] = []
        self._row: dict[str, int] = {}
        self._lexical = LexicalIndex([])

    def refresh(self, force: bool = False) -> None:
        """Reload chunks and BM25 if another process published a new index version."""
        now = time.monotonic()
        if not force and self.collection is not None and now - self._checked < self.check_every_s:
            return
        with self._lock:
            col = self._open()
            self._checked = now
            version = store.index_version(col)
            if version != self.version or force:
                chunks = store.load_chunks(col)
                self._lexical = LexicalIndex([c.embed_text() for c in chunks])
                self._row = {c.chunk_id: i for i, c in enumerate(chunks)}
                self.chunks = chunks
                self.version = version
            self.collection = col

    def search(self, query: str, k: int = 5, filters: Filters | None = None,
               mode: str = "hybrid", query_vector: np.ndarray | None = None) -> list[Hit]:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        self.refresh()
        if not self.chunks:
            raise EmptyIndexError("the index is empty; run `kb ingest` first.")
        filters = filters or Filters()
        qv = self.embedder.embed_query(query) if query_vector is None else query_vector
        n = min(self.candidates, len(self.chunks))
        dense: dict[str, tuple[float, dict, str]] = {}
        dense_ranking: list[str] = []
        if mode in ("hybrid", "dense"):
            res = self.collection.query(query_embeddings=[qv.tolist()], n_results=n,
                                        where=filters.chroma_where(),
                                        include=["metadatas", "documents", "distances"])
            for cid, text, meta, dist in zip(res["ids"][0], res["documents"][0],
                                             res["metadatas"][0], res["distances"][0], strict=True):
                dense[cid] = (1.0 - float(dist), meta, text)
                dense_ranking.append(cid)
        lexical_ranking: list[str] = []
        if mode in ("hybrid", "bm25"):
            allowed = None
            if filters != Filters():
                allowed = np.array([filters.admits(c) for c in self.chunks], dtype=bool)
            lexical_ranking = [self.chunks[i].chunk_id
                               for i, _ in self._lexical.search(query, n, allowed)]
        if mode == "hybrid":
            fused = fuse_rankings([dense_ranking, lexical_ranking], self.weights, self.rrf_k)
        else:
            ranking = dense_ranking or lexical_ranking
            fused = [(cid, 1.0 / (self.rrf_k + r)) for r, cid in enumerate(ranking, 1)]
        # Take a few extra so near-duplicate collapsing still leaves k.
        top = fused[: k * 2]
        missing = [cid for cid, _ in top if cid not in dense]
        if missing:
            got = self.collection.get(ids=missing, include=["metadatas", "documents", "embeddings"])
            for cid, text, meta, emb in zip(got["ids"], got["documents"], got["metadatas"],
                                            got["embeddings"], strict=True):
                dense[cid] = (float(np.dot(qv, np.asarray(emb, dtype=np.float32))), meta, text)
        lex_rank = {cid: r for r, cid in enumerate(lexical_ranking, 1)}
        dense_rank = {cid: r for r, cid in enumerate(dense_ranking, 1)}
        hits = []
        for cid, score in top:
            if cid not in dense:  # deleted between the BM25 view and now
                continue
            sim, meta, text = dense[cid]
            vecs = meta.get("sentence_vectors")
            hits.append(Hit(
                chunk=store.chunk_from_record(cid, text, meta), score=score, dense_score=sim,
                bm25_rank=lex_rank.get(cid), dense_rank=dense_rank.get(cid),
                sentence_vectors=store.unpack_vectors(vecs, len(qv)) if vecs else None,
            ))
        return collapse_near_duplicates(hits)[:k]
