"""Exact dense search over every stored sentence vector, for sentence-level dense scoring."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class SentenceIndex:
    """The sentence vectors of a chunk set in one matrix, to find each chunk's best sentence.

    Row i of the chunk set owns a contiguous block of matrix rows; a chunk stored without
    sentence vectors owns none.
    """

    def __init__(self, per_chunk: Sequence[np.ndarray], dim: int) -> None:
        counts = np.array([len(v) for v in per_chunk], dtype=np.int64)
        self.size = len(per_chunk)
        self.vectors = (np.concatenate(per_chunk).astype(np.float32) if counts.sum()
                        else np.zeros((0, dim), dtype=np.float32))
        self._owners = np.flatnonzero(counts)  # chunks that have sentences, in order
        self._starts = (np.cumsum(counts) - counts)[self._owners]

    def best_per_chunk(self, query_vector: np.ndarray) -> np.ndarray:
        """Each chunk's best sentence cosine to the (normalised) query; -inf without sentences."""
        best = np.full(self.size, -np.inf, dtype=np.float32)
        if len(self.vectors):
            scores = self.vectors @ np.asarray(query_vector, dtype=np.float32)
            best[self._owners] = np.maximum.reduceat(scores, self._starts)
        return best
