"""Hashed word and character n-grams of a message: the safety classifier's spelling-aware features (pure).

The sentence embedding hears meaning but not spelling: "disapear", "kil myslef" and "suicidel"
land away from their correct forms. Word uni- and bigrams plus character 3- to 5-grams inside each
word, hashed into a fixed number of slots (crc32, so the same on every run and machine), give the
logistic regression features that a misspelling mostly shares with the word it misspells.
"""

from __future__ import annotations

import re
import zlib

import numpy as np

SLOTS = 2**14  # hashed feature slots; 3 classes x 16384 float16 weights is 96 KB
_WORD = re.compile(r"[a-z0-9']+")


def ngrams(text: str) -> set[str]:
    """Word unigrams, word bigrams and in-word character 3- to 5-grams, tagged by kind."""
    words = _WORD.findall(text.lower())
    grams = {f"w:{w}" for w in words} | {f"b:{a} {b}" for a, b in zip(words, words[1:])}
    for w in words:
        padded = f"<{w}>"
        grams.update(f"c:{padded[i:i + n]}" for n in (3, 4, 5) for i in range(len(padded) - n + 1))
    return grams


def lexical_features(text: str) -> tuple[np.ndarray, float]:
    """The distinct hashed slots of a message and the weight each gets (1/sqrt(count): unit norm)."""
    slots = np.array(sorted({zlib.crc32(g.encode()) % SLOTS for g in ngrams(text)}), dtype=np.int64)
    return slots, 1.0 / np.sqrt(max(len(slots), 1))


def lexical_matrix(texts: list[str]):
    """A scipy CSR matrix of the features of many messages (training only)."""
    from scipy.sparse import csr_matrix

    rows, cols, vals = [], [], []
    for r, text in enumerate(texts):
        slots, weight = lexical_features(text)
        rows.extend([r] * len(slots))
        cols.extend(slots.tolist())
        vals.extend([weight] * len(slots))
    return csr_matrix((vals, (rows, cols)), shape=(len(texts), SLOTS), dtype=np.float64)
