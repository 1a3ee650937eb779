"""BM25 over the chunk set (bm25s, English stop words, Snowball stemming)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import bm25s
import numpy as np
import Stemmer

_STEMMER = Stemmer.Stemmer("english")


def _tokens(texts: Iterable[str]):
    return bm25s.tokenize(texts, stopwords="en", stemmer=_STEMMER, show_progress=False)


class LexicalIndex:
    """An in-memory BM25 index; row i is the i-th text it was built from."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.size = 0
        self._bm25 = bm25s.BM25()
        if len(texts):
            self._index(texts)

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> LexicalIndex:
        """From texts made one at a time (a generator): the texts are never all held at once."""
        lexical = cls([])
        lexical._index(texts)
        return lexical

    def _index(self, texts: Iterable[str]) -> None:
        tokens = _tokens(texts)  # bm25s reads an iterable once, text by text
        self.size = len(tokens.ids)
        if self.size:
            self._bm25.index(tokens, show_progress=False)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every row for the query (zeros when no query word is indexed)."""
        if not self.size:
            return np.zeros(0, dtype=np.float32)
        words = bm25s.tokenize([query], stopwords="en", stemmer=_STEMMER,
                               return_ids=False, show_progress=False)[0]
        vocab = self._bm25.vocab_dict
        known = [w for w in words if w in vocab]
        if not known:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)

    def search(self, query: str, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Top-k rows with a positive score, optionally restricted to `allowed` (bool mask)."""
        return top_rows(self.scores(query), k, allowed)


def top_rows(scores: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
    """The k best (row, score) pairs with a positive score, best first; `allowed` masks rows."""
    if allowed is not None and scores.size:
        scores = np.where(allowed, scores, 0.0)
    if not scores.size or k <= 0:
        return []
    k = min(k, scores.size)
    top = np.argpartition(-scores, k - 1)[:k]
    top = top[np.argsort(-scores[top], kind="stable")]
    return [(int(i), float(scores[i])) for i in top if scores[i] > 0]
