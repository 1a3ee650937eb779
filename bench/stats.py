"""Summaries of timing samples: median, percentiles, spread (pure)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def summarise(samples: Sequence[float], digits: int = 2) -> dict:
    """n, p5, p25, p50, p75, p95, min, max and mean of the samples (empty -> n=0 only)."""
    values = np.asarray(list(samples), dtype=np.float64)
    if values.size == 0:
        return {"n": 0}
    p5, p25, p50, p75, p95 = np.percentile(values, [5, 25, 50, 75, 95])
    out = {"n": int(values.size), "p5": p5, "p25": p25, "p50": p50, "p75": p75, "p95": p95,
           "min": values.min(), "max": values.max(), "mean": values.mean()}
    return {k: (v if k == "n" else round(float(v), digits)) for k, v in out.items()}


def ratio(numerator: float, denominator: float, digits: int = 3) -> float | None:
    return round(numerator / denominator, digits) if denominator else None
