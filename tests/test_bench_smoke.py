"""`make bench` code on tiny inputs: every measurement runs and reports its fields (no speed asserted)."""

from __future__ import annotations

import json

import ir_measures
import pytest
from conftest import DATA, ROOT

from bench import ask_latency, ingest_speed, peer, report, safety_screen, scale, serving
from bench.questions import hit_at_k
from bench.stats import summarise
from eval.metrics import score_runs
from eval.sets import DEFAULT_SET, EvalCase, load_eval_set
from kb.config import Settings

SUMMARY_KEYS = {"n", "p5", "p25", "p50", "p75", "p95", "min", "max", "mean"}


def test_summaries_and_metrics_on_hand_made_numbers():
    s = summarise(range(1, 101))
    assert set(s) == SUMMARY_KEYS and s["n"] == 100 and s["p50"] == 50.5 and s["max"] == 100
    assert summarise([]) == {"n": 0}
    # bench scores rankings with eval/metrics.py, as `kb eval` does
    ndcg = {"ndcg": ir_measures.parse_measure("nDCG@10")}
    scores = score_runs(ndcg, {"q1": {"a": 1}, "q2": {"a": 1}, "q3": {"a": 1}},
                        {"q1": ["x", "a"], "q2": ["a", "x"], "q3": ["x"]})
    assert scores["q1"]["ndcg"] == pytest.approx(1 / 1.5849625, rel=1e-6)
    assert scores["q2"]["ndcg"] == 1.0 and scores["q3"]["ndcg"] == 0.0


def test_the_relevance_rule_is_the_eval_sets():
    q = EvalCase(id="q", question="?", topic="cost", gold_docs=("cost-and-insurance",),
                 expect_any=("Schedule III",))
    assert hit_at_k(q, [("other.md", "nothing"), ("cost-and-insurance.md", "x")], 5)
    assert hit_at_k(q, [("other.md", "moved to schedule iii in 1985")], 5)
    assert not hit_at_k(q, [("other.md", "nothing")] * 5 + [("cost-and-insurance.md", "")], 5)
    assert all(q.question for q in load_eval_set(DEFAULT_SET))


def test_ask_latency_reports_retrieve_and_answer_split(kb_index, embedder):
    questions = load_eval_set(DEFAULT_SET)[:4]
    result = ask_latency.run(embedder, Settings(data_dir=kb_index), questions, rounds=1)
    for key in ("total_ms", "retrieve_ms", "answer_ms", "retrieve_only_ms", "embed_query_ms"):
        assert set(result[key]) == SUMMARY_KEYS and result[key]["n"] >= len(questions)
    assert result["profile"]["cumulative_ms_per_ask"]["embed_query (model)"] > 0
    assert result["hit_at_5"] >= 0.5 and result["chunks"] > 0


def test_safety_screen_is_timed_against_the_query_embedding(embedder):
    result = safety_screen.run(embedder, rounds=1, limit=12)
    assert result["messages"] == 12 and result["screen_ms"]["n"] == 12
    assert result["embed_query_ms"]["p50"] > 0 and result["screen_over_embed_mean"] > 0
    results = {"command": "x", "machine": {"nproc": 2}, "errors": {},
               "sections": {"safety": {"torch": result}}}
    results["verdicts"] = report.verdicts(results)
    assert results["verdicts"][0]["target"] == "safety screen / query embedding time (mean)"
    assert "### Safety screen" in report.render(results, ROOT / "x.json")


@pytest.mark.slow  # a bench run: ingest timed against a raw encode of the same passages
def test_ingest_speed_compares_with_raw_encode(embedder):
    result = ingest_speed.run(embedder, inputs=[str(DATA / "corpus")], repeats=1,
                              cli_reingest=False)
    assert result["chunks"] > 0 and result["throughput_ratio"] > 0
    assert result["reingest_unchanged_s"]["n"] == 1
    assert result["embedding_model"] == embedder.name


def test_scale_runs_on_a_tiny_beir_set(embedder, tmp_path):
    result = scale.run(embedder, DATA / "beir-mini", base=tmp_path, progress=False)
    assert result["documents"] > 0 and result["queries"] > 0
    assert set(result["quality"]) == {"hybrid", "dense", "bm25"}
    assert 0 <= result["quality"]["hybrid"]["ndcg_at_10"] <= 1
    again = scale.run(embedder, DATA / "beir-mini", base=tmp_path, progress=False)
    assert again["chunks_embedded_now"] == 0  # the cached index is reused


@pytest.mark.slow  # a bench run: the LangChain peer loads its own copy of the model
def test_the_langchain_peer_builds_once_and_answers(tmp_path):
    docs = [("a", "The Harbor clinic charges nothing for veterans. " * 40),
            ("b", "Lumen study participants reported fewer symptoms. " * 40)]
    p = peer.Peer(docs, tmp_path / "peer")
    assert p.build_s is not None and p.chunks >= 2
    result = peer.measure(p, ["Harbor clinic veterans"], lambda i, found: found[0][0] == "a")
    assert result["hit_at_5"] == 1.0 and result["search_ms"]["n"] == 1
    assert peer.Peer(docs, tmp_path / "peer").build_s is None  # reused, not rebuilt


def test_report_keeps_the_beir_section(tmp_path):
    doc = tmp_path / "benchmarks.md"
    results = {"command": "make bench", "machine": {"nproc": 2}, "sections": {
        "ask": {"torch": {"questions": 1, "rounds": 1, "total_ms": summarise([20, 40]),
                          "retrieve_ms": summarise([19]), "answer_ms": summarise([1]),
                          "embed_query_ms": summarise([13]), "hit_at_5": 1.0}}}, "errors": {}}
    results["verdicts"] = report.verdicts(results)
    assert [v["pass"] for v in results["verdicts"]] == [True, True]
    report.update_markdown(doc, report.render(results, tmp_path / "latest.json"))
    text = doc.read_text()
    doc.write_text(text.replace(report.BEIR_START + "\n",
                                report.BEIR_START + "\nBEIR numbers by someone else\n"))
    report.update_markdown(doc, "second run\n")
    text = doc.read_text()
    assert "second run" in text and "BEIR numbers by someone else" in text
    assert text.count(report.START) == 1 and "ask p50" not in text


@pytest.mark.slow  # a whole `bench.run --quick`, which ingests the bundled KB afresh
def test_bench_run_writes_json_and_markdown(tmp_path):
    from bench.run import main

    out, doc = tmp_path / "latest.json", tmp_path / "benchmarks.md"
    code = main(["--quick", "--only", "ask", "--backends", "torch", "--json", str(out),
                 "--doc", str(doc), "--data", str(tmp_path / "data")])
    results = json.loads(out.read_text())
    assert code == 0 and not results["errors"]
    assert results["machine"]["nproc"] and results["machine"]["packages"]["torch"]
    assert results["sections"]["ask"]["torch"]["total_ms"]["n"] > 0
    assert "python -m bench.run --quick" in doc.read_text()
    assert {v["target"] for v in results["verdicts"]} >= {"ask p50 ms (bundled KB)"}


@pytest.mark.slow  # real `kb serve` subprocesses
def test_serving_cold_start_load_and_burst(kb_index):
    """A real `kb serve` subprocess: first answer, memory, simulated users, a burst past the queue."""
    from kb.assistant import build_assistant

    question = "Does insurance cover MDMA-assisted therapy?"
    start = serving.cold_start(kb_index, question, warm_asks=[question])
    assert start["answered"] and start["peak_rss_mb"] > 0 and start["first_answer_s"] > 0

    from bench import load

    expected = {question: build_assistant(Settings(data_dir=kb_index)).ask(question).answer}
    env = {"KB_MAX_QUEUE": "1", "KB_CONCURRENCY": "1"}
    with serving.running_server(kb_index, env) as (proc, url, _):
        serving.wait_until_up(proc, url)
        users = load.simulate_users(url, [question], expected, users=2, seconds=2)
        assert users["requests"] >= 1 and users["wrong"] == 0 and users["lost"] == 0
        burst = load.burst(url, question, expected[question], 6)
        assert burst["ok"] + burst["busy"] + burst["wrong"] + burst["lost"] == 6
        assert burst["wrong"] == 0 and burst["lost"] == 0 and burst["ok"] >= 1


def test_a_bench_cache_built_by_another_chunker_is_rebuilt(embedder, tmp_path, monkeypatch):
    from bench.indexes import ingest_cached
    from ingest import pipeline
    from kb.store import Index

    settings = Settings(data_dir=tmp_path / "cache")
    one_doc = [str(DATA / "corpus" / "lumen-study.md")]
    assert ingest_cached(settings, one_doc, embedder).chunks_added > 0
    monkeypatch.setattr(pipeline, "CHUNKER_VERSION", "another-chunker")
    again = ingest_cached(settings, one_doc, embedder)
    assert again.chunks_added == again.chunks > 0  # embedded afresh, nothing left over
    assert Index.open(settings).metadata["chunker_version"] == "another-chunker"


def test_ratio_targets_are_computed_from_one_runs_sections():
    """Hand-made section results: every ratio target gets its value, limit and verdict."""
    sections = {
        "peer": {"peer": {"search_ms": summarise([10, 20, 30])},
                 "ours-torch": {"ask_ms": summarise([12, 24, 90]),
                                "embed_query_ms": summarise([8, 16, 24])}},
        "serve": {"torch": {"cold_start_ratio": 1.2}},
        "curve": {"torch": {"ratios": {
            "13196": {"ask_p50_vs_smallest": 1.0, "peak_rss_gb": 0.6, "ndcg_vs_exact": 0.0},
            "250000": {"ask_p50_vs_smallest": 3.5, "peak_rss_gb": 1.9, "ndcg_vs_exact": 0.0}}}},
    }
    verdicts = {v["target"]: v for v in report.verdicts({"sections": sections})}
    assert verdicts["ask p50 vs peer p50"]["value"] == 1.2 and verdicts["ask p50 vs peer p50"]["pass"]
    assert verdicts["ask p50 vs query embedding p50"]["value"] == 1.5
    assert verdicts["ask p95 vs peer p95"]["value"] == pytest.approx(83.4 / 29, abs=1e-3)
    assert not verdicts["ask p95 vs peer p95"]["pass"]
    assert verdicts["cold start / (import gradio + load model)"]["pass"]
    assert not verdicts["ask p50 at 250,000 chunks / at the smallest"]["pass"]
    assert verdicts["peak RSS GB per replica at 250,000 chunks"]["value"] == 1.9
    assert verdicts["nDCG@10 vs exact search (worst size)"]["pass"]


@pytest.mark.slow  # a 2,000-chunk index built and measured in its own process
def test_cost_curve_on_a_tiny_base(embedder, tmp_path):
    """2,000 chunks recombined from the 8-abstract BEIR set, measured in its own process."""
    from bench import curve
    from bench.curve_plot import plot, table_lines

    result = curve.run(embedder, DATA / "beir-mini", tmp_path, sizes=(2000,), progress=False)
    small, large = result["sizes"]
    assert small["chunks"] == small["real_chunks"] < large["chunks"] == 2000
    assert large["chunks_in_view"] == 2000 and large["view_build_s"] > 0
    for row in (small, large):
        for dense in curve.DENSE:
            assert row[dense]["queries"] > 0 and row[dense]["ask_ms"]["n"] == row[dense]["queries"]
            assert 0 <= row[dense]["ndcg_at_10"] <= 1
        assert row["matrix"]["same_top10_as_exact"] == 1.0 and row["peak_rss_mb"] > 100
    ratios = result["ratios"]["2000"]
    assert ratios["ask_p50_vs_smallest"] > 0 and ratios["ndcg_vs_exact"] == 0.0
    assert plot(result, tmp_path / "scale.png").stat().st_size > 10_000
    assert any("2,000" in line for line in table_lines(result, "torch"))
    assert curve.run(embedder, DATA / "beir-mini", tmp_path, sizes=(2000,),
                     progress=False)["sizes"][1]["cached"]
