"""Rank fusion (pure): reciprocal-rank fusion of id lists, and z-score convex fusion of scores."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

import numpy as np


def fuse_rankings(
    rankings: Sequence[Sequence[Hashable]],
    weights: Sequence[float] | None = None,
    k: int = 60,
) -> list[tuple[Hashable, float]]:
    """Weighted RRF: score(d) = sum_i w_i / (k + rank_i(d)), ranks from 1. Ties keep first-seen order."""
    weights = weights or [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking")
    scores: dict[Hashable, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, 1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda kv: -kv[1])


def fuse_scores(
    scores: Sequence[Mapping[Hashable, float]],
    weights: Sequence[float] | None = None,
) -> list[tuple[Hashable, float]]:
    """Convex fusion: sum_i w_i * z_i(d), each score list z-normalised over its own values.

    Give every list a score for the same candidates (the union of the retrievers' top lists) so
    the means and spreads compare like with like; an id missing from a list gets that list's lowest
    z-score. A list whose scores are all equal adds nothing. Ties keep first-seen order.
    """
    weights = weights or [1.0] * len(scores)
    if len(weights) != len(scores):
        raise ValueError("one weight per score list")
    ids = list(dict.fromkeys(i for s in scores for i in s))
    total = np.zeros(len(ids))
    for score_map, weight in zip(scores, weights, strict=True):
        if not score_map:
            continue
        vals = np.array(list(score_map.values()), dtype=float)
        spread = vals.std()
        if spread <= 1e-12:
            continue
        z = {i: (v - vals.mean()) / spread for i, v in zip(score_map, vals, strict=True)}
        floor = min(z.values())
        total += weight * np.array([z.get(i, floor) for i in ids])
    order = sorted(range(len(ids)), key=lambda n: -total[n])
    return [(ids[n], float(total[n])) for n in order]
