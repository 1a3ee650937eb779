"""The safety classifier's shipped parts: weights, thresholds and labelled neighbours (numpy only).

A multinomial logistic regression over the message's normalised embedding joined with its hashed
n-grams (kb/safety_lexical.py), and the tuning part's own vectors and labels for a nearest-
neighbour look-alike check. Everything lives in kb/safety_model.npz, written by
`python -m eval.safety_train`; at run time it is two small matrix products, no scikit-learn.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from kb.safety_lexical import lexical_features

MODEL_PATH = Path(__file__).parent / "safety_model.npz"
LABELS = ("crisis", "dosing", "none")


class SafetyModel:
    """Logistic regression on [embedding; n-grams], per-class thresholds, labelled neighbours."""

    def __init__(self, coef: np.ndarray, lexical_coef: np.ndarray, intercept: np.ndarray,
                 thresholds: dict[str, float], neighbours: np.ndarray, neighbour_labels: np.ndarray,
                 embedding_model: str = "") -> None:
        self.coef = np.asarray(coef, dtype=np.float32)  # [3, dim], rows in LABELS order
        self.lexical_coef = np.asarray(lexical_coef, dtype=np.float32)  # [3, SLOTS]
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self.crisis_threshold = float(thresholds["crisis"])  # with a crisis word
        self.crisis_alone_threshold = float(thresholds["crisis_alone"])  # without one
        # Without a crisis word and next to work, study, game or sports words (design 6).
        self.crisis_work_threshold = float(thresholds.get("crisis_work", thresholds["crisis_alone"]))
        self.dosing_threshold = float(thresholds["dosing"])
        self.neighbours = np.asarray(neighbours, dtype=np.float32)  # [n, dim] tuning vectors
        # Blocks of at most 512 rows: OpenBLAS runs a matrix-vector product this small on one
        # thread, and a multi-threaded one stalls for milliseconds on a loaded 2-core machine
        # (mean 0.49 against 0.13 ms over the 1,568 tuning vectors; docs/safety.md, Cost).
        self._blocks = [np.ascontiguousarray(self.neighbours[i:i + 512])
                        for i in range(0, len(self.neighbours), 512)]
        self.neighbour_labels = np.asarray(neighbour_labels)  # [n] label index into LABELS
        self.embedding_model = embedding_model

    def probabilities(self, text: str, vector: np.ndarray) -> np.ndarray:
        slots, weight = lexical_features(text)
        logits = self.coef @ np.asarray(vector, dtype=np.float32) + self.intercept
        logits += weight * self.lexical_coef[:, slots].sum(axis=1)
        logits = np.exp(logits - logits.max())
        return logits / logits.sum()

    def benign_neighbours(self, vector: np.ndarray, k: int = 5) -> int:
        """How many of the k tuning messages nearest to this one (cosine) are labelled none."""
        v = np.asarray(vector, dtype=np.float32)
        sims = np.concatenate([block @ v for block in self._blocks])
        nearest = np.argpartition(-sims, k)[:k]
        return int((self.neighbour_labels[nearest] == LABELS.index("none")).sum())

    def thresholds(self) -> dict[str, float]:
        return {"crisis": self.crisis_threshold, "crisis_alone": self.crisis_alone_threshold,
                "crisis_work": self.crisis_work_threshold, "dosing": self.dosing_threshold}

    def save(self, path: Path = MODEL_PATH) -> None:
        t = self.thresholds()
        np.savez_compressed(path, coef=self.coef.astype(np.float16),
                            lexical_coef=self.lexical_coef.astype(np.float16),
                            intercept=self.intercept, threshold_names=np.array(list(t)),
                            thresholds=np.array(list(t.values())),
                            **_quantised(self.neighbours),
                            neighbour_labels=self.neighbour_labels.astype(np.int8),
                            embedding_model=np.array(self.embedding_model))


def _quantised(vectors: np.ndarray) -> dict:
    """The neighbour vectors as int8 with a float16 scale per row (under the repository's 5 MB
    per-file limit at 7,839 rows; a component's error is at most 1/254 of its row's largest)."""
    scale = np.abs(vectors).max(axis=1, keepdims=True) / 127.0
    scale[scale == 0] = 1.0
    return {"neighbours_q": np.round(vectors / scale).astype(np.int8),
            "neighbours_scale": scale.astype(np.float16)}


def _dequantised(data) -> np.ndarray:
    if "neighbours_q" not in data.files:  # a model saved before the int8 storage
        return data["neighbours"].astype(np.float32)
    return data["neighbours_q"].astype(np.float32) * data["neighbours_scale"].astype(np.float32)


@lru_cache(maxsize=2)
def load_model(path: Path = MODEL_PATH) -> SafetyModel:
    with np.load(path) as data:
        thresholds = dict(zip(data["threshold_names"].tolist(), data["thresholds"].tolist()))
        return SafetyModel(data["coef"].astype(np.float32), data["lexical_coef"].astype(np.float32),
                           data["intercept"], thresholds, _dequantised(data),
                           data["neighbour_labels"], str(data["embedding_model"]))
