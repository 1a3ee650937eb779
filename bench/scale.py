"""SciFact at knowledge-base scale: ingest 5,183 abstracts (cached), then ask latency and quality."""

from __future__ import annotations

import time
from pathlib import Path

from bench import scifact
from bench.indexes import bench_dir, ingest_cached
from bench.stats import summarise
from kb.config import Settings
from kb.vocabulary import RETRIEVAL_MODES


def ingest_scifact(embedder, source: Path, base: Path | None = None, limit: int | None = None,
                   progress: bool = True) -> tuple[Settings, dict]:
    """Write the abstracts as documents and ingest them incrementally into their own data dir."""
    rows = scifact.read_corpus(source, limit)
    tag = f"-{limit}" if limit else ""
    docs = bench_dir(f"scifact{tag}-docs", base)
    scifact.write_documents(rows, docs)
    settings = Settings(data_dir=bench_dir(f"scifact{tag}-{embedder.backend}", base))
    t0 = time.perf_counter()
    report = ingest_cached(settings, [str(docs)], embedder, progress=progress)
    seconds = time.perf_counter() - t0
    info = {"documents": report.documents, "chunks": report.chunks,
            "embedded_now": len(report.added) + len(report.changed),
            "chunks_embedded_now": report.chunks_added, "ingest_s": round(seconds, 2),
            "documents_skipped": len(report.skipped), "data_dir": str(settings.data_dir)}
    if report.chunks_added:
        info["chunks_per_s"] = round(report.chunks_added / seconds, 1)
        info["docs_per_s"] = round((len(report.added) + len(report.changed)) / seconds, 2)
    return settings, info


def run(embedder, source: Path, base: Path | None = None, limit: int | None = None,
        progress: bool = True) -> dict:
    """Ingest, then time `ask` on the test claims and score hybrid and dense retrieval."""
    from kb.assistant import build_assistant

    settings, info = ingest_scifact(embedder, source, base, limit, progress)
    t0 = time.perf_counter()
    assistant = build_assistant(settings, embedder)
    info["assistant_load_s"] = round(time.perf_counter() - t0, 2)
    doc_ids = {scifact.doc_of(c.doc_id) for c in assistant.retriever.chunks}
    queries = scifact.read_test_queries(source, doc_ids)
    for _, claim, _ in queries[:10]:
        assistant.ask(claim)
    total, retrieve, answer = [], [], []
    for _, claim, _ in queries:
        t = time.perf_counter()
        ans = assistant.ask(claim)
        total.append((time.perf_counter() - t) * 1000)
        retrieve.append(ans.timings_ms.get("retrieve", 0.0))
        answer.append(ans.timings_ms.get("answer", 0.0))
    info.update(queries=len(queries), total_ms=summarise(total), retrieve_ms=summarise(retrieve),
                answer_ms=summarise(answer))
    info["quality"] = {mode: score_retrieval(assistant.retriever, queries, mode)
                       for mode in RETRIEVAL_MODES}
    return info


def score_retrieval(retriever, queries, mode: str) -> dict:
    """nDCG@10 and hit@5 over documents (a document ranks where its best chunk does), scored by
    eval/metrics.py as `kb eval` scores them."""
    import ir_measures

    from eval.metrics import score_runs

    measures = {"ndcg_at_10": ir_measures.parse_measure("nDCG@10"),
                "hit_at_5": ir_measures.parse_measure("Success@5")}
    qrels = {qid: {doc: 1 for doc in relevant} for qid, _, relevant in queries}
    run = {qid: list(dict.fromkeys(scifact.doc_of(h.chunk.doc_id)
                                   for h in retriever.search(claim, 20, mode=mode)))
           for qid, claim, _ in queries}
    per_query = score_runs(measures, qrels, run)
    n = max(len(queries), 1)
    return {name: round(sum(s[name] for s in per_query.values()) / n, 4) for name in measures}
