"""One index version held in memory: chunk records, the passage-vector matrix, sentence vectors, BM25.

A search reads only this object (built once per index version, never changed afterwards), so
an ask needs no Chroma `get`, and a replica swaps to a new version by replacing one reference.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kb.lexical import LexicalIndex
from kb.records import Chunk
from kb.sentence_index import SentenceIndex


@dataclass(frozen=True, eq=False)
class ReadView:
    """Row i of every array is `chunks[i]`; `vectors` are unit passage vectors (float32)."""

    version: str | None
    chunks: tuple[Chunk, ...]
    row: dict[str, int]
    vectors: np.ndarray
    lexical: LexicalIndex
    sentence_store: np.ndarray  # every chunk's sentence vectors back to back (float16, as stored)
    sentence_starts: np.ndarray  # row i owns sentence_store[starts[i]:starts[i + 1]]
    sentences: SentenceIndex | None = None  # float32 copy for sentence scoring, when it is on

    @classmethod
    def empty(cls, dim: int = 0) -> ReadView:
        return cls(None, (), {}, np.zeros((0, dim), np.float32), LexicalIndex([]),
                   np.zeros((0, dim), np.float16), np.zeros(1, np.int64))

    @classmethod
    def build(cls, version: str | None, chunks: Sequence[Chunk], vectors: np.ndarray,
              sentences: Sequence[np.ndarray], sentence_scoring: bool = False) -> ReadView:
        """From what `Index.chunks_with_vectors` returns: chunks, their passage vectors [n, dim]
        and each chunk's sentence vectors (kept as float16, the precision they are stored in)."""
        dim = vectors.shape[1] if vectors.ndim == 2 and vectors.shape[1] else (
            sentences[0].shape[1] if sentences else 0)
        counts = np.array([len(v) for v in sentences], dtype=np.int64)
        flat = (np.concatenate(sentences).astype(np.float16) if counts.sum()
                else np.zeros((0, dim), np.float16))
        starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        chunks = tuple(chunks)
        return cls(version, chunks, {c.chunk_id: i for i, c in enumerate(chunks)},
                   np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, dim),
                   LexicalIndex([c.embed_text() for c in chunks]), flat, starts,
                   SentenceIndex(sentences, dim) if sentence_scoring else None)

    def sentence_vectors(self, row: int) -> np.ndarray | None:
        """Chunk `row`'s stored sentence vectors as float32 (None when it has none)."""
        start, end = int(self.sentence_starts[row]), int(self.sentence_starts[row + 1])
        return self.sentence_store[start:end].astype(np.float32) if end > start else None

    def cosines(self, query_vector: np.ndarray) -> np.ndarray:
        """Every passage's cosine to the (normalised) query: one matrix product."""
        return self.vectors @ np.asarray(query_vector, dtype=np.float32)

    def admitted(self, filters) -> np.ndarray | None:
        """Rows the filters let through (None: every row)."""
        if filters is None or not (filters.topics or filters.populations
                                   or filters.evidence_types or filters.doc_ids):
            return None
        return np.fromiter((filters.admits(c) for c in self.chunks), dtype=bool,
                           count=len(self.chunks))

    @property
    def nbytes(self) -> int:
        return int(self.vectors.nbytes + self.sentence_store.nbytes
                   + (self.sentences.vectors.nbytes if self.sentences is not None else 0))


def top_by_score(scores: np.ndarray, n: int, allowed: np.ndarray | None = None) -> list[int]:
    """The n best rows by score (any sign), best first, among `allowed` rows."""
    if allowed is not None:
        scores = np.where(allowed, scores, -np.inf)
    n = min(n, int(scores.size if allowed is None else allowed.sum()))
    if n <= 0:
        return []
    top = np.argpartition(-scores, n - 1)[:n]
    return [int(i) for i in top[np.argsort(-scores[top], kind="stable")]]
