"""The cost curve: ask latency, quality, memory and view build time from 13k to 250k chunks.

Each size is measured in its own process (`python -m bench.curve DATA_DIR ...`), one replica
as `kb serve` would hold it, so its peak resident memory is that replica's alone. Both dense
searches are timed there: the exact matrix product over the in-memory view and Chroma's HNSW
query; quality is nDCG@10 on the SciFact test claims, the distractors counting as misses.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench import scale, scifact, synthetic
from bench.indexes import ROOT, bench_dir
from bench.machine import peak_rss_mb
from bench.stats import ratio, summarise

SIZES = (25_000, 100_000, 250_000)  # after the real chunks alone (13,196 for SciFact)
DENSE = ("matrix", "chroma")


def run(embedder, source: Path, base_dir: Path | None = None, sizes=SIZES,
        limit: int | None = None, models_dir: Path | None = None, progress: bool = True) -> dict:
    """Build (or reuse) each size's index, measure each in a fresh process, derive the ratios."""
    settings, real = scale.ingest_scifact(embedder, source, base_dir, limit, progress=progress)
    base = synthetic.Base.read(settings, embedder.dim)
    identity = {"embedding_model": embedder.name}
    rows = []
    for size in (len(base.chunks), *(s for s in sizes if s > len(base.chunks))):
        folder = bench_dir(f"curve-{size}-{embedder.backend}", base_dir)
        built = synthetic.build(base, size, folder, identity, progress=False)
        if progress:
            print(f"[bench] curve {size} chunks: measuring", file=sys.stderr, flush=True)
        rows.append({**built, **measure_in_process(folder, embedder.backend, source, models_dir)})
    return {"real": real, "sizes": rows, "ratios": ratios(rows)}


def ratios(rows: list[dict]) -> dict:
    """Each size against the smallest (the real chunks alone), for the default dense search."""
    if not rows:
        return {}
    first = rows[0]
    out = {}
    for row in rows:
        auto = row["default_dense"]
        out[str(row["chunks"])] = {
            "dense": auto,
            "ask_p50_vs_smallest": ratio(row[auto]["ask_ms"]["p50"],
                                         first[first["default_dense"]]["ask_ms"]["p50"]),
            "peak_rss_gb": round(row.get("peak_rss_serving_mb", row["peak_rss_mb"]) / 1024, 3),
            "peak_rss_both_searches_gb": round(row["peak_rss_mb"] / 1024, 3),
            "ndcg_vs_exact": round(row[auto]["ndcg_at_10"] - row["matrix"]["ndcg_at_10"], 4),
            "same_top10_as_exact": row[auto]["same_top10_as_exact"],
        }
    return out


def measure_in_process(folder: Path, backend: str, source: Path, models_dir: Path | None) -> dict:
    """`python -m bench.curve` on one index; its peak RSS is sampled from outside (psutil)."""
    from bench.serving import RssSampler

    argv = [sys.executable, "-m", "bench.curve", str(folder), "--backend", backend,
            "--source", str(source)]
    if models_dir:
        argv += ["--models", str(models_dir)]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False",
           "TOKENIZERS_PARALLELISM": "false"}
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    sampler = RssSampler(proc.pid, every_s=0.1).start()
    try:
        out, _ = proc.communicate(timeout=1800)
    finally:
        sampler.stop()
    if proc.returncode:
        raise RuntimeError(f"measuring {folder} failed (exit {proc.returncode})")
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_rss_mb"] = round(sampler.peak_mb, 1)
    return result


def _rss_mb() -> float:
    import psutil

    return round(psutil.Process().memory_info().rss / 2**20, 1)


def measure(folder: Path, backend: str, source: Path, models_dir: Path | None = None) -> dict:
    """In this process: view build, then asks and quality with each dense search."""
    from kb.assistant import build_assistant
    from kb.config import Settings
    from kb.embedders import get_embedder
    from kb.retrieve import MATRIX_UP_TO

    settings = Settings(data_dir=folder, embed_backend=backend)
    embedder = get_embedder(backend, models_dir or settings.models_dir)
    embedder.embed_query("warm up the model")
    out = {"rss_model_loaded_mb": _rss_mb()}
    t0 = time.perf_counter()
    assistant = build_assistant(settings, embedder)
    out["view_build_s"] = round(time.perf_counter() - t0, 2)
    retriever = assistant.retriever
    out.update(rss_view_built_mb=_rss_mb(), view_mb=round(retriever.view.nbytes / 2**20, 1),
               chunks_in_view=len(retriever.chunks),
               default_dense="matrix" if len(retriever.chunks) <= MATRIX_UP_TO else "chroma")
    real = {scifact.doc_of(c.doc_id) for c in retriever.chunks if not c.doc_id.startswith("synth-")}
    queries = scifact.read_test_queries(source, real)
    rankings = {}
    # The default search first: the process's peak after it is what a replica serving this size
    # holds (the other search then loads Chroma's HNSW index, which that replica never would).
    for dense in sorted(DENSE, key=lambda d: d != out["default_dense"]):
        retriever.dense_search = dense
        out[dense] = _asks(assistant, queries)
        rankings[dense] = out[dense].pop("rankings")
        out[dense]["rss_after_mb"] = _rss_mb()
        out[dense]["peak_rss_so_far_mb"] = peak_rss_mb()
    for dense in DENSE:
        out[dense]["same_top10_as_exact"] = round(sum(
            a == b for a, b in zip(rankings[dense], rankings["matrix"], strict=True))
            / max(len(queries), 1), 4)
    out["peak_rss_serving_mb"] = out[out["default_dense"]]["peak_rss_so_far_mb"]
    return out


def _asks(assistant, queries) -> dict:
    """Time `ask` on every claim; score the retriever's document ranking as `kb eval` scores."""
    import ir_measures

    from eval.metrics import score_runs

    for _, claim, _ in queries[:10]:
        assistant.ask(claim)
    times, retrieve, rankings = [], [], []
    for _, claim, _ in queries:
        t0 = time.perf_counter()
        ans = assistant.ask(claim)
        times.append((time.perf_counter() - t0) * 1000)
        retrieve.append(ans.timings_ms.get("retrieve", 0.0))
        hits = assistant.retriever.search(claim, 20)
        rankings.append(list(dict.fromkeys(scifact.doc_of(h.chunk.doc_id) for h in hits))[:10])
    measures = {"ndcg_at_10": ir_measures.parse_measure("nDCG@10"),
                "hit_at_5": ir_measures.parse_measure("Success@5")}
    per_query = score_runs(measures, {qid: {d: 1 for d in rel} for qid, _, rel in queries},
                           {qid: ranked for (qid, _, _), ranked in zip(queries, rankings,
                                                                      strict=True)})
    n = max(len(queries), 1)
    return {"queries": len(queries), "ask_ms": summarise(times), "retrieve_ms": summarise(retrieve),
            **{name: round(sum(s[name] for s in per_query.values()) / n, 4) for name in measures},
            "rankings": rankings}


def main(argv: list[str] | None = None) -> int:
    from bench.indexes import quiet_environment

    quiet_environment()
    p = argparse.ArgumentParser(prog="python -m bench.curve", description=__doc__.splitlines()[0])
    p.add_argument("data_dir", type=Path)
    p.add_argument("--backend", default="torch")
    p.add_argument("--source", type=Path, default=scifact.find_scifact())
    p.add_argument("--models", type=Path, default=None)
    args = p.parse_args(argv)
    print(json.dumps(measure(args.data_dir, args.backend, args.source, args.models)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
