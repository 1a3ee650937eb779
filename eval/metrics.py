"""Metrics (pure): ranking scores through ir-measures, answer and abstention scores, summaries."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import ir_measures
import numpy as np

HEADLINE = ("hit_at_k", "recall_at_k", "mrr", "ndcg_at_10", "citation_precision",
            "answer_support", "quote_support", "answer_contains", "lead_contains",
            "followup_answer_contains", "duplicate_rate", "orphan_rate", "abstain_precision",
            "abstain_recall")
# Scores where lower is better (the CI gate fails when they rise above the baseline plus margin).
LOWER_IS_BETTER = frozenset({"duplicate_rate", "orphan_rate"})
LATENCY = ("latency_ms_p50", "latency_ms_p95")


def ranking_measures(k: int) -> dict[str, object]:
    """Our names for the ir-measures measures (relevance >= 1 counts for hit, MRR and recall)."""
    return {
        "hit_at_k": ir_measures.parse_measure(f"Success@{k}"),
        "recall_at_k": ir_measures.parse_measure(f"R@{k}"),
        "mrr": ir_measures.parse_measure("RR@10"),
        "ndcg_at_10": ir_measures.parse_measure("nDCG@10"),
    }


def score_runs(measures: Mapping[str, object], qrels: Mapping[str, Mapping[str, int]],
               run: Mapping[str, Sequence[str]]) -> dict[str, dict[str, float]]:
    """Per query, each measure over a ranked id list. Queries with no hits score 0.

    The ranked list becomes strictly decreasing scores, so trec_eval's tie-breaking by id never
    reorders it.
    """
    trec_run = {qid: {doc: float(len(ids) - i) for i, doc in enumerate(dict.fromkeys(ids))}
                for qid, ids in run.items() if ids}
    judged = {qid: {d: int(r) for d, r in rels.items()} for qid, rels in qrels.items()}
    out = {qid: {name: 0.0 for name in measures} for qid in qrels}
    by_measure = {m: name for name, m in measures.items()}
    for metric in ir_measures.iter_calc(list(measures.values()), judged, trec_run):
        if metric.query_id in out:
            out[metric.query_id][by_measure[metric.measure]] = float(metric.value)
    return out


@dataclass(frozen=True)
class QuestionResult:
    """What happened to one question; ranking fields are None for questions to decline."""

    id: str
    topic: str
    answerable: bool
    declined: bool  # abstained, or a safety rule answered instead
    abstained: bool = False
    safety: str | None = None
    hit: float | None = None
    recall: float | None = None
    rr: float | None = None
    ndcg: float | None = None
    citations: int = 0
    relevant_citations: int = 0
    latency_ms: float = 0.0
    best_cosine: float | None = None
    retrieved: tuple[str, ...] = ()
    cited: tuple[str, ...] = ()
    # Does a quoted sentence hold one of the case's `expect_any` strings? None without them.
    quoted: bool | None = None
    # The same on the answer text the user sees: anywhere in it, and in its first sentence.
    answer_has: bool | None = None
    lead_has: bool | None = None
    duplicate: bool = False  # a sentence repeated, or nearly, in the answer
    orphan: bool = False  # a sentence that leans on an antecedent the answer does not show
    follow_up: bool = False  # asked after earlier turns (the case has a history)
    split: str = "tune"

    @property
    def supported(self) -> bool:
        return self.relevant_citations > 0


def _mean(values: Iterable[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return float(np.mean(vals)) if vals else None


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def summarize(results: Sequence[QuestionResult]) -> dict:
    """Headline scores: ranking and citations over answerable questions, abstention over all."""
    ans = [r for r in results if r.answerable]
    tp = sum(1 for r in results if not r.answerable and r.declined)
    fp = sum(1 for r in ans if r.declined)
    must = sum(1 for r in results if not r.answerable)
    cites = sum(r.citations for r in ans)
    lat = np.asarray([r.latency_ms for r in results], dtype=float)
    shown = [r for r in results if not r.declined]
    with_expect = [r for r in ans if r.answer_has is not None]
    follow = [r for r in with_expect if r.follow_up]
    return {
        "n": len(results),
        "n_answerable": len(ans),
        "n_decline": must,
        "hit_at_k": _mean(r.hit for r in ans),
        "recall_at_k": _mean(r.recall for r in ans),
        "mrr": _mean(r.rr for r in ans),
        "ndcg_at_10": _mean(r.ndcg for r in ans),
        "citation_precision": _ratio(sum(r.relevant_citations for r in ans), cites),
        "answer_support": _ratio(sum(1 for r in ans if r.supported), len(ans)),
        "quote_support": _ratio(sum(1 for r in ans if r.quoted),
                                sum(1 for r in ans if r.quoted is not None)),
        "answer_contains": _ratio(sum(1 for r in with_expect if r.answer_has), len(with_expect)),
        "lead_contains": _ratio(sum(1 for r in with_expect if r.lead_has), len(with_expect)),
        "followup_answer_contains": _ratio(sum(1 for r in follow if r.answer_has), len(follow)),
        "duplicate_rate": _ratio(sum(1 for r in shown if r.duplicate), len(shown)),
        "orphan_rate": _ratio(sum(1 for r in shown if r.orphan), len(shown)),
        "n_follow_up": sum(1 for r in results if r.follow_up),
        "abstain_precision": _ratio(tp, tp + fp),
        "abstain_recall": _ratio(tp, must),
        "latency_ms_p50": float(np.percentile(lat, 50)) if lat.size else None,
        "latency_ms_p95": float(np.percentile(lat, 95)) if lat.size else None,
    }


def summarize_by_topic(results: Sequence[QuestionResult]) -> dict:
    """summarize() overall, plus `by_topic` in first-seen topic order and `by_split` (tune,
    heldout)."""
    topics = list(dict.fromkeys(r.topic for r in results))
    summary = summarize(results)
    summary["by_topic"] = {t: summarize([r for r in results if r.topic == t]) for t in topics}
    summary["by_split"] = {s: summarize([r for r in results if r.split == s])
                           for s in ("tune", "heldout") if any(r.split == s for r in results)}
    return summary


def rounded(obj, places: int = 4):
    """Floats rounded for JSON, recursively."""
    if isinstance(obj, float):
        return round(obj, places)
    if isinstance(obj, dict):
        return {k: rounded(v, places) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [rounded(v, places) for v in obj]
    return obj
