"""Abstention threshold calibration (pure): decline precision/recall per threshold, with a CV check."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from eval.metrics import QuestionResult

THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.20, 0.61, 0.01))


def _declines(r: QuestionResult, t: float) -> bool:
    """Would the question be declined at threshold t? Safety rules decline regardless."""
    if r.safety is not None:
        return True
    return r.best_cosine is None or r.best_cosine < t


def scores_at(results: Sequence[QuestionResult], t: float) -> dict:
    tp = sum(1 for r in results if not r.answerable and _declines(r, t))
    fp = sum(1 for r in results if r.answerable and _declines(r, t))
    must = sum(1 for r in results if not r.answerable)
    p = tp / (tp + fp) if tp + fp else None
    rec = tp / must if must else None
    f1 = 2 * p * rec / (p + rec) if p and rec else 0.0
    return {"threshold": t, "precision": p, "recall": rec, "f1": f1, "declined_answerable": fp,
            "answered_to_decline": must - tp}


def threshold_table(results: Sequence[QuestionResult],
                    thresholds: Sequence[float] = THRESHOLDS) -> list[dict]:
    return [scores_at(results, t) for t in thresholds]


def choose_threshold(results: Sequence[QuestionResult],
                     thresholds: Sequence[float] = THRESHOLDS) -> float:
    """Among the thresholds with the best decline F1, the one farthest from any question's cosine.

    That is the middle of the gap between the two classes where F1 peaks, so a question reworded
    by a user has the most room before it crosses the line. Ties go to the lower threshold.
    """
    table = threshold_table(results, thresholds)
    best = max(row["f1"] for row in table)
    cosines = [r.best_cosine for r in results if r.safety is None and r.best_cosine is not None]

    def margin(t: float) -> float:
        return min((abs(t - c) for c in cosines), default=0.0)

    tied = [row["threshold"] for row in table if row["f1"] >= best - 1e-12]
    return max(tied, key=lambda t: (margin(t), -t))


def _fold(qid: str, folds: int) -> int:
    return int(hashlib.sha1(qid.encode()).hexdigest(), 16) % folds


def cross_validate(results: Sequence[QuestionResult], folds: int = 5,
                   thresholds: Sequence[float] = THRESHOLDS) -> dict:
    """Choose the threshold on the other folds, score it on the held-out fold (fixed folds by id).

    The gap between these held-out scores and the in-sample ones estimates the overfitting.
    """
    held_out: list[QuestionResult] = []
    decisions: list[bool] = []
    chosen = []
    for f in range(folds):
        train = [r for r in results if _fold(r.id, folds) != f]
        test = [r for r in results if _fold(r.id, folds) == f]
        if not train or not test:
            continue
        t = choose_threshold(train, thresholds)
        chosen.append(t)
        held_out.extend(test)
        decisions.extend(_declines(r, t) for r in test)
    tp = sum(1 for r, d in zip(held_out, decisions, strict=True) if d and not r.answerable)
    fp = sum(1 for r, d in zip(held_out, decisions, strict=True) if d and r.answerable)
    must = sum(1 for r in held_out if not r.answerable)
    return {"folds": folds, "thresholds": chosen,
            "precision": tp / (tp + fp) if tp + fp else None,
            "recall": tp / must if must else None,
            "declined_answerable": fp, "answered_to_decline": must - tp}


def separation(results: Sequence[QuestionResult]) -> dict:
    """Where the two classes' best cosines meet (safety-declined questions left out)."""
    ans = sorted((r.best_cosine, r.id) for r in results
                 if r.answerable and r.safety is None and r.best_cosine is not None)
    dec = sorted((r.best_cosine, r.id) for r in results
                 if not r.answerable and r.safety is None and r.best_cosine is not None)
    return {"lowest_answerable": ans[:5], "highest_to_decline": dec[-5:][::-1]}
