"""Eval metrics on hand-made rankings and outcomes, with values worked out by hand."""

from __future__ import annotations

import math

import pytest

from eval.calibrate import choose_threshold, cross_validate, scores_at, threshold_table
from eval.metrics import (
    QuestionResult,
    ranking_measures,
    score_runs,
    summarize,
    summarize_by_topic,
)


def test_ranking_measures_match_hand_computed_values():
    qrels = {"q1": {"a": 2, "b": 1}, "q2": {"x": 1}, "q3": {"m": 1}}
    run = {"q1": ["z", "b", "a"], "q2": ["y"], "q3": ["m", "n"]}
    got = score_runs(ranking_measures(2), qrels, run)
    assert got["q1"]["hit_at_k"] == 1.0  # b at rank 2
    assert got["q1"]["mrr"] == 0.5
    assert got["q1"]["recall_at_k"] == 0.5  # only b of {a, b} in the top 2
    # trec_eval nDCG uses linear gains: DCG = 1/log2(3) + 2/log2(4); ideal = 2 + 1/log2(3).
    ideal = 2 + 1 / math.log2(3)
    assert got["q1"]["ndcg_at_10"] == pytest.approx((1 / math.log2(3) + 1) / ideal)
    assert got["q2"] == {"hit_at_k": 0.0, "recall_at_k": 0.0, "mrr": 0.0, "ndcg_at_10": 0.0}
    assert got["q3"]["hit_at_k"] == got["q3"]["mrr"] == got["q3"]["ndcg_at_10"] == 1.0


def test_rank_order_is_kept_even_when_ids_sort_differently():
    # trec_eval breaks score ties by id; score_runs must never leave ties.
    got = score_runs(ranking_measures(1), {"q": {"a": 1}}, {"q": ["b", "a"]})
    assert got["q"]["hit_at_k"] == 0.0 and got["q"]["mrr"] == 0.5


def test_a_query_with_no_hits_scores_zero_and_is_not_dropped():
    got = score_runs(ranking_measures(5), {"q1": {"a": 1}, "q2": {"b": 1}}, {"q1": ["a"]})
    assert got["q2"]["hit_at_k"] == 0.0 and got["q1"]["hit_at_k"] == 1.0


def _r(id, topic="t", answerable=True, declined=False, **kw):
    return QuestionResult(id=id, topic=topic, answerable=answerable, declined=declined, **kw)


def test_summary_scores_answers_abstention_and_latency():
    results = [
        _r("a1", hit=1.0, recall=1.0, rr=1.0, ndcg=1.0, citations=4, relevant_citations=3,
           latency_ms=10, quoted=True),
        _r("a2", hit=0.0, recall=0.0, rr=0.0, ndcg=0.0, citations=2, relevant_citations=0,
           latency_ms=20, quoted=False),
        _r("a3", declined=True, abstained=True, hit=1.0, recall=0.5, rr=0.5, ndcg=0.5,
           latency_ms=30),
        _r("d1", answerable=False, declined=True, safety="dosing", latency_ms=40),
        _r("d2", answerable=False, declined=False, citations=3, latency_ms=50),
    ]
    s = summarize(results)
    assert (s["n"], s["n_answerable"], s["n_decline"]) == (5, 3, 2)
    assert s["hit_at_k"] == pytest.approx(2 / 3)
    assert s["recall_at_k"] == pytest.approx(0.5)
    assert s["mrr"] == pytest.approx(0.5)
    assert s["citation_precision"] == pytest.approx(3 / 6)  # d2's citations do not count
    assert s["answer_support"] == pytest.approx(1 / 3)
    assert s["quote_support"] == pytest.approx(1 / 2)  # a3 has no expected strings
    assert s["abstain_precision"] == pytest.approx(1 / 2)  # d1 right, a3 wrong
    assert s["abstain_recall"] == pytest.approx(1 / 2)  # d2 missed
    assert s["latency_ms_p50"] == 30 and s["latency_ms_p95"] == pytest.approx(48)


def test_undefined_scores_are_none_not_zero():
    s = summarize([_r("a", hit=1.0, recall=1.0, rr=1.0, ndcg=1.0)])
    assert s["abstain_precision"] is None and s["abstain_recall"] is None
    assert s["citation_precision"] is None and s["answer_support"] == 0.0
    assert s["quote_support"] is None


def test_by_topic_splits_the_results():
    results = [_r("a", topic="x", hit=1.0), _r("b", topic="y", hit=0.0),
               _r("c", topic="x", hit=0.0)]
    s = summarize_by_topic(results)
    assert list(s["by_topic"]) == ["x", "y"]
    assert s["by_topic"]["x"]["hit_at_k"] == 0.5 and s["by_topic"]["y"]["n"] == 1


def test_threshold_sweep_and_choice_in_the_middle_of_the_gap():
    results = [_r(f"a{i}", best_cosine=c) for i, c in enumerate((0.50, 0.55, 0.60, 0.70))]
    results += [_r(f"d{i}", answerable=False, best_cosine=c)
                for i, c in enumerate((0.10, 0.20, 0.30))]
    results.append(_r("s", answerable=False, safety="dosing"))
    row = scores_at(results, 0.40)
    assert (row["precision"], row["recall"], row["declined_answerable"]) == (1.0, 1.0, 0)
    row = scores_at(results, 0.25)
    assert row["recall"] == 0.75 and row["answered_to_decline"] == 1
    assert scores_at(results, 0.52)["declined_answerable"] == 1
    # Perfect F1 from 0.31 to 0.50: the choice is the middle of the gap (0.30 to 0.50).
    assert choose_threshold(results) == pytest.approx(0.40)
    # A lone answerable question at 0.45 moves the gap to 0.30-0.45.
    assert choose_threshold(results + [_r("a9", best_cosine=0.45)]) == pytest.approx(0.37)
    assert len(threshold_table(results)) == 41
    cv = cross_validate(results, folds=2)
    assert cv["folds"] == 2 and cv["recall"] is not None


def test_answer_text_checks_lead_repeats_and_orphans():
    from types import SimpleNamespace as C

    from eval import answer_text

    text = ("MAPP2 found a drop of 23.7 points [1] The placebo group fell 14.8 points. [2] "
            "Caveat: MAPP2 was sponsored by MAPS. [3]")
    assert answer_text.lead(text) == "MAPP2 found a drop of 23.7 points"
    assert answer_text.answer_sentences(text)[-1] == "MAPP2 was sponsored by MAPS."
    assert not answer_text.has_duplicate(text)
    assert answer_text.has_duplicate("MAPP1 enrolled 90 adults with severe PTSD at 15 sites. [1] "
                                     "MAPP1 enrolled 90 adults with severe PTSD at 15 sites in "
                                     "all. [2]")
    passage = "MAPP1 enrolled 90 adults. That study found a large effect."
    first = C(chunk_id="a", text=passage, quote="MAPP1 enrolled 90 adults.", quote_start=0,
              quote_end=25)
    second = C(chunk_id="a", text=passage, quote="That study found a large effect.",
               quote_start=26, quote_end=len(passage))
    assert not answer_text.has_orphan([first, second])
    assert answer_text.has_orphan([second])


def test_answer_rates_and_the_gate_for_scores_where_lower_is_better():
    from eval.baseline import regressions

    results = [_r("a", answer_has=True, lead_has=False, duplicate=True),
               _r("b", answer_has=False, lead_has=False, follow_up=True, orphan=True),
               _r("c", answerable=False, declined=True, duplicate=True)]
    s = summarize(results)
    assert s["answer_contains"] == 0.5 and s["lead_contains"] == 0.0
    assert s["followup_answer_contains"] == 0.0
    assert s["duplicate_rate"] == 0.5 and s["orphan_rate"] == 0.5  # over the 2 answers shown
    base = {"scores": {"duplicate_rate": 0.0, "answer_contains": 0.5}, "margin": 0.03}
    problems = regressions(s, base)
    assert len(problems) == 1 and "duplicate_rate 0.5000 is above the baseline" in problems[0]
