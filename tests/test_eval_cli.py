"""`kb eval` through click's CliRunner on the bundled knowledge base: output keys, report files."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from app.cli import cli
from eval.baseline import baseline_from, load_baseline, regressions, write_baseline
from kb.errors import KBError

KEYS = {"n", "k", "mode", "hit_at_k", "recall_at_k", "mrr", "ndcg_at_10", "citation_precision",
        "answer_support", "quote_support", "abstain_precision", "abstain_recall", "latency_ms_p50",
        "latency_ms_p95", "by_topic"}
SMALL = [
    {"id": "a1", "question": "How much would a full course of MDMA-assisted therapy cost?",
     "topic": "access", "expect_any": ["$11,537"], "gold_docs": ["cost-and-insurance"]},
    {"id": "a2", "question": "When did the FDA give MDMA therapy breakthrough therapy status?",
     "topic": "policy", "expect_any": ["16 August 2017"], "gold_docs": ["us-regulatory-timeline"]},
    {"id": "d1", "question": "Who won the 2022 FIFA World Cup?", "topic": "out-of-scope",
     "answerable": False},
    {"id": "d2", "question": "Where can I buy molly?", "topic": "dosing", "answerable": False},
]


@pytest.fixture
def small_set(tmp_path, kb_index, monkeypatch):
    monkeypatch.setenv("KB_DATA_DIR", str(kb_index))
    path = tmp_path / "small.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in SMALL), encoding="utf-8")
    return path


def test_json_has_the_documented_keys(small_set):
    result = CliRunner().invoke(cli, ["eval", "--set", str(small_set), "--json", "--k", "3"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert KEYS <= set(data)
    assert (data["n"], data["k"], data["mode"]) == (4, 3, "hybrid")
    assert set(data["by_topic"]) == {"access", "policy", "out-of-scope", "dosing"}
    assert KEYS - {"by_topic", "k", "mode"} <= set(data["by_topic"]["access"])
    assert data["hit_at_k"] == 1.0 and data["answer_support"] == 1.0
    assert data["abstain_recall"] == 1.0 and data["abstain_precision"] == 1.0
    assert data["by_topic"]["dosing"]["hit_at_k"] is None


def test_all_modes_side_by_side_with_a_report(small_set, tmp_path):
    out = tmp_path / "report"
    result = CliRunner().invoke(cli, ["eval", "--set", str(small_set), "--mode", "all",
                                      "--report", str(out), "--calibrate"])
    assert result.exit_code == 0, result.output
    header = next(line for line in result.output.splitlines() if line.startswith("metric"))
    assert header.split() == ["metric", "hybrid", "dense", "bm25"]
    assert "nDCG@10 by topic and mode:" in result.output
    assert "abstention threshold sweep" in result.output
    data = json.loads((out / "report.json").read_text())
    assert data["mode"] == "all" and set(data["modes"]) == {"hybrid", "dense", "bm25"}
    assert len(data["questions"]["bm25"]) == 4
    # Quote support counts the answerable questions with expected strings, nothing else.
    quoted = {q["id"]: q["quoted"] for q in data["questions"]["hybrid"]}
    assert quoted["d1"] is None and quoted["d2"] is None
    assert isinstance(quoted["a1"], bool) and isinstance(quoted["a2"], bool)
    assert data["modes"]["hybrid"]["quote_support"] == (quoted["a1"] + quoted["a2"]) / 2
    assert (out / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    md = (out / "report.md").read_text()
    assert "| metric | hybrid | dense | bm25 |" in md and "## Misses" in md


def test_write_baseline_refuses_another_set(small_set):
    result = CliRunner().invoke(cli, ["eval", "--set", str(small_set), "--write-baseline"])
    assert result.exit_code == 2 and "default set only" in result.output


def test_baseline_round_trip_and_regressions(tmp_path):
    summary = {"n": 10, "k": 5, "mode": "hybrid", "hit_at_k": 0.9, "recall_at_k": 0.8,
               "mrr": 0.7, "ndcg_at_10": 0.6, "citation_precision": 0.75, "answer_support": 0.9,
               "abstain_precision": 0.8, "abstain_recall": 0.9375}
    path = tmp_path / "baseline.json"
    write_baseline(summary, "set.jsonl", path)
    base = load_baseline(path)
    assert base["margin"] == 0.03 and base["scores"]["mrr"] == 0.7
    assert base["margins"] == {"abstain_precision": 0.07, "abstain_recall": 0.07}
    assert regressions(summary, base) == []
    assert regressions({**summary, "mrr": 0.675}, base) == []  # within the margin
    worse = regressions({**summary, "mrr": 0.66, "answer_support": None}, base)
    assert worse == ["mrr 0.6600 is below the baseline 0.7000 minus the margin 0.03",
                     "answer_support none is below the baseline 0.9000 minus the margin 0.03"]
    assert "k=5" in regressions({**summary, "k": 3}, base)[0]
    # One of 16 questions to decline (0.0625) is within the abstention margin; two are not.
    assert regressions({**summary, "abstain_recall": 0.875}, base) == []
    assert regressions({**summary, "abstain_recall": 0.8125}, base) == [
        "abstain_recall 0.8125 is below the baseline 0.9375 minus the margin 0.07"]
    assert baseline_from({**summary, "mrr": None}, "x")["scores"]["mrr"] is None
    path.write_text("{")
    with pytest.raises(KBError, match="line 1: not valid JSON"):
        load_baseline(path)
