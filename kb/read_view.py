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


class SentenceVectors:
    """Every chunk's stored sentence vectors (float16), kept in the page blocks they were read in
    (never joined into one array, which would hold them twice while it is built)."""

    def __init__(self, blocks: Sequence[Sequence[np.ndarray]], dim: int) -> None:
        self.dim = dim
        self._blocks: list[np.ndarray] = []
        block_of, start_of, count_of = [], [], []
        for b, block in enumerate(blocks):
            counts = [len(v) for v in block]
            self._blocks.append(np.concatenate(block).astype(np.float16, copy=False)
                                if sum(counts) else np.zeros((0, dim), np.float16))
            block_of += [b] * len(block)
            start_of += np.concatenate([[0], np.cumsum(counts)[:-1]]).tolist() if counts else []
            count_of += counts
        self._block = np.asarray(block_of, dtype=np.int32)
        self._start = np.asarray(start_of, dtype=np.int64)
        self._count = np.asarray(count_of, dtype=np.int32)

    def __len__(self) -> int:
        return len(self._count)

    def of(self, row: int) -> np.ndarray:
        """Row's sentence vectors as float16 [m, dim] (m may be 0)."""
        start = int(self._start[row])
        return self._blocks[int(self._block[row])][start:start + int(self._count[row])]

    def per_chunk(self) -> list[np.ndarray]:
        return [self.of(i) for i in range(len(self))]

    @property
    def nbytes(self) -> int:
        return int(sum(b.nbytes for b in self._blocks))


@dataclass(frozen=True, eq=False)
class ReadView:
    """Row i of every array is `chunks[i]`; `vectors` are unit passage vectors (float32)."""

    version: str | None
    chunks: tuple[Chunk, ...]
    row: dict[str, int]
    vectors: np.ndarray
    lexical: LexicalIndex
    # every chunk's sentence vectors (float16, as stored); None for a large index, whose hits
    # fetch theirs from the store (see SENTENCES_IN_VIEW_UP_TO in kb/retrieve.py)
    sentence_store: SentenceVectors | None
    sentences: SentenceIndex | None = None  # float32 copy for sentence scoring, when it is on

    @classmethod
    def empty(cls, dim: int = 0) -> ReadView:
        return cls(None, (), {}, np.zeros((0, dim), np.float32), LexicalIndex([]),
                   SentenceVectors([], dim))

    @classmethod
    def build(cls, version: str | None, chunks: Sequence[Chunk], vectors: np.ndarray,
              sentence_blocks: Sequence[Sequence[np.ndarray]] | None,
              sentence_scoring: bool = False) -> ReadView:
        """From what `Index.view_columns` returns: chunks, their passage vectors [n, dim] and,
        page by page, each chunk's sentence vectors (kept as float16, as they are stored)."""
        dim = vectors.shape[1] if vectors.ndim == 2 else 0
        chunks = tuple(chunks)
        store = None if sentence_blocks is None else SentenceVectors(sentence_blocks, dim)
        scoring = sentence_scoring and store is not None
        return cls(version, chunks, {c.chunk_id: i for i, c in enumerate(chunks)},
                   np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, dim),
                   LexicalIndex.from_texts(c.embed_text() for c in chunks), store,
                   SentenceIndex(store.per_chunk(), dim) if scoring else None)

    def sentence_vectors(self, row: int) -> np.ndarray | None:
        """Chunk `row`'s stored sentence vectors as float32 (None when it has none, or when this
        view does not hold them)."""
        if self.sentence_store is None:
            return None
        vecs = self.sentence_store.of(row)
        return vecs.astype(np.float32) if len(vecs) else None

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
        held = self.sentence_store.nbytes if self.sentence_store is not None else 0
        return int(self.vectors.nbytes + held
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
