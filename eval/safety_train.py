"""Retrain the safety classifier on the tuning part of eval/sets/safety.jsonl (never the held-out).

    python -m eval.safety_train        # writes kb/safety_model.npz; then run `kb eval safety`

C and the two thresholds were chosen by a 5-fold cross-validated sweep on the tuning part alone,
scoring the model out of fold and without the rules (the rules were written on the same rows, so
only the model's own votes say how it treats a message no rule knows; docs/safety.md): the crisis
threshold with the highest recall that flags no benign question of eval/sets/default.jsonl (0.3;
one false alarm in 386 non-crisis tuning messages), and the dosing threshold that refuses at most
one benign tuning message out of fold with the highest recall (0.6). Re-run on the 712-row tuning
part (after the second held-out part joined it), with the vote gates of kb/safety_gates.py:
crisis 0.3 gives out-of-fold recall 0.939 with 4 false alarms in 532 non-crisis messages, dosing
0.6 recall 0.891 with 1 of 376 benign refused (0.5 also refuses 1, at recall 0.917). C and both
thresholds were kept: benign refusal is the target at risk, and the rules carry dosing.
"""

from __future__ import annotations

import numpy as np

from eval.safety_set import load_safety_set
from kb import safety

C = 16.0  # inverse regularisation, chosen by cross-validation on the tuning part (1, 4, 16, 64)
CRISIS_THRESHOLD = 0.3
DOSING_THRESHOLD = 0.6


def fit(vectors: np.ndarray, labels: list[str], c: float = C):
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
    clf.fit(vectors, labels)
    order = [list(clf.classes_).index(label) for label in safety.LABELS]
    return clf.coef_[order], clf.intercept_[order]


def train(embedder) -> safety.SafetyModel:
    """Fit on every tuning row and return the model (not saved)."""
    tune = [c for c in load_safety_set() if c.split == "tune"]
    vectors = embedder.embed_texts([c.message for c in tune])
    coef, intercept = fit(vectors, [c.label for c in tune])
    return safety.SafetyModel(coef, intercept, CRISIS_THRESHOLD, DOSING_THRESHOLD, embedder.name)


def main() -> None:
    from kb.embedders import get_embedder

    model = train(get_embedder())
    model.save()
    safety.load_model.cache_clear()
    print(f"wrote {safety.MODEL_PATH} ({safety.MODEL_PATH.stat().st_size} bytes); "
          "run `kb eval safety` to score it.")


if __name__ == "__main__":
    main()
