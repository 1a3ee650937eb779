"""Retrain the safety classifier on the tuning part of eval/sets/safety.jsonl (never the held-out).

    python -m eval.safety_train        # writes kb/safety_model.npz; then run `kb eval safety`

The model is a logistic regression over the message's embedding joined with its hashed n-grams
(kb/safety_lexical.py), shipped with the tuning vectors and labels for the look-alike check
(kb.safety.BENIGN_NEIGHBOURS). C, the feature weighting and the thresholds were chosen on the
970-row tuning part alone, scoring the whole screen out of fold two ways: 5 stratified folds (by
label and kind) and one fold per origin (the first tuning rows, and each retired held-out part,
so a fold is a batch written separately). The crisis thresholds favour recall: 0.3 with a word of
the crisis vocabulary, 0.7 without one (a lower one raised false alarms and refused a benign
default-set follow-up, "Any heart problems?"). The dosing threshold 0.7 is the lowest that
screens no benign question of eval/sets/default.jsonl (0.6 refused "Can someone with PTSD just
use Right to Try to get MDMA?"). docs/safety.md has the numbers.
"""

from __future__ import annotations

import numpy as np

from eval.safety_set import load_safety_set
from kb import safety
from kb.safety_lexical import lexical_matrix

C = 16.0  # inverse regularisation (1, 4, 16 tried; 16 kept)
THRESHOLDS = {"crisis": 0.3, "crisis_alone": 0.7, "crisis_work": 0.9, "dosing": 0.7}


def fit(vectors: np.ndarray, texts: list[str], labels: list[str], c: float = C):
    """Coefficients for the embedding and the n-gram slots, and intercepts, in LABELS order."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.linear_model import LogisticRegression

    features = hstack([csr_matrix(vectors), lexical_matrix(texts)]).tocsr()
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
    clf.fit(features, labels)
    order = [list(clf.classes_).index(label) for label in safety.LABELS]
    dim = vectors.shape[1]
    return clf.coef_[order, :dim], clf.coef_[order, dim:], clf.intercept_[order]


def fit_model(texts: list[str], labels: list[str], vectors: np.ndarray,
              embedding_model: str = "") -> safety.SafetyModel:
    """The whole classifier (weights, thresholds, neighbours) fitted on these rows."""
    coef, lexical_coef, intercept = fit(vectors, texts, labels)
    neighbour_labels = np.array([safety.LABELS.index(label) for label in labels], dtype=np.int8)
    return safety.SafetyModel(coef, lexical_coef, intercept, THRESHOLDS, vectors,
                              neighbour_labels, embedding_model)


def train(embedder) -> safety.SafetyModel:
    """Fit on every tuning row and return the model (not saved)."""
    tune = [c for c in load_safety_set() if c.split == "tune"]
    texts, labels = [c.message for c in tune], [c.label for c in tune]
    return fit_model(texts, labels, embedder.embed_texts(texts), embedder.name)


def main() -> None:
    from kb.embedders import get_embedder

    model = train(get_embedder())
    model.save()
    safety.load_model.cache_clear()
    print(f"wrote {safety.MODEL_PATH} ({safety.MODEL_PATH.stat().st_size} bytes); "
          "run `kb eval safety` to score it.")


if __name__ == "__main__":
    main()
