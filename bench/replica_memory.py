"""One replica's memory on a large index, measured directly (outside the `make bench` curve).

    python -m bench.replica_memory build DATA_DIR --copies 725   # 345 x 725 = 250,125 passages
    python -m bench.replica_memory measure DATA_DIR              # prints one JSON line
    python -m bench.replica_memory measure DATA_DIR --server     # the replica of a `chroma run`

`build` repeats the bundled index's passages under new ids (text marked, passage vector perturbed
by N(0, 0.02) per component and renormalised, stored sentence vectors kept), so no model runs.
`measure` does what `kb serve` does before its first answer (load the torch model, the start-up
check, build the assistant and its read view), asks the eval questions, and reports RSS after
each step and the kernel's peak (VmHWM). With `--server` the index is served by a real
`chroma run` on 127.0.0.1 over DATA_DIR's files, and the server's own peak RSS is reported too.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from bench.indexes import quiet_environment
from bench.machine import peak_rss_mb
from kb.config import Settings


def build(folder: Path, copies: int) -> int:
    from kb.store import Index

    source = Index.open(Settings())
    chunks, vectors, blocks = source.view_columns(384)
    sentences = [v.astype(np.float32) for block in blocks for v in block]
    target = Index.open(Settings(data_dir=folder), create=True, expect={
        k: source.metadata[k] for k in ("embedding_model", "chunker_version")})
    rng = np.random.default_rng(1)
    for r in range(target.count() // len(chunks), copies):
        copy = [dataclasses.replace(c, chunk_id=f"r{r}-{c.chunk_id}", doc_id=f"r{r}-{c.doc_id}",
                                    text=f"{c.text} variant {r}") for c in chunks]
        noisy = vectors + rng.normal(0, 0.02, vectors.shape).astype(np.float32)
        target.upsert(copy, noisy / np.linalg.norm(noisy, axis=1, keepdims=True), sentences)
    target.publish()
    return target.count()


def measure(folder: Path, chroma_url: str | None = None) -> dict:
    import psutil

    from app.cli_serve import startup_check
    from eval.sets import DEFAULT_SET, load_eval_set
    from kb.assistant import build_assistant
    from kb.embedders import get_embedder

    def rss() -> float:
        return round(psutil.Process().memory_info().rss / 2**20, 1)

    embedder = get_embedder("torch", Settings().models_dir)
    embedder.embed_query("warm up")
    out = {"rss_model_mb": rss()}
    settings = Settings(data_dir=folder, chroma_url=chroma_url)
    t0 = time.perf_counter()
    startup_check(settings, embedder)
    out.update(check_s=round(time.perf_counter() - t0, 1), rss_checked_mb=rss(),
               peak_rss_check_mb=peak_rss_mb())
    t0 = time.perf_counter()
    assistant = build_assistant(settings, embedder)
    assistant.ask("warm up the assistant's view")
    out.update(view_build_s=round(time.perf_counter() - t0, 1),
               chunks=len(assistant.retriever.chunks), rss_built_mb=rss(),
               view_mb=round(assistant.retriever.view.nbytes / 2**20, 1))
    questions = [c.question for c in load_eval_set(DEFAULT_SET) if not c.history]
    for q in questions[:20]:
        assistant.ask(q)
    ms = []
    for q in questions:
        t0 = time.perf_counter()
        assistant.ask(q)
        ms.append((time.perf_counter() - t0) * 1000)
    ms.sort()
    out.update(ask_p50_ms=round(statistics.median(ms), 1),
               ask_p95_ms=round(ms[int(0.95 * len(ms))], 1), rss_after_asks_mb=rss(),
               peak_rss_mb=peak_rss_mb(),
               questions=len(questions))
    return out


def measure_with_server(folder: Path) -> dict:
    """`measure` as a replica of a real `chroma run` serving the same files; plus its peak."""
    from bench import processes
    from bench.serving import RssSampler

    chroma = Path(sys.executable).parent / "chroma"
    port = processes.free_port()
    argv = [str(chroma), "run", "--path", str(folder / "chroma"), "--host", "127.0.0.1",
            "--port", str(port)]
    with processes.running(argv, env=os.environ.copy(), log=folder / "chroma-run.log") as proc:
        url = f"http://127.0.0.1:{port}"
        processes.wait_until_up(f"{url}/api/v2/heartbeat", proc, what="chroma run")
        server = RssSampler(proc.pid).start()
        try:
            out = measure(folder, url)
        finally:
            server.stop()
    return {**out, "server_peak_rss_mb": round(server.peak_mb, 1),
            "server_rss_end_mb": round(server.last_mb, 1)}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("step", choices=("build", "measure"))
    p.add_argument("folder", type=Path)
    p.add_argument("--copies", type=int, default=725)
    p.add_argument("--server", action="store_true", help="measure a replica of `chroma run`")
    args = p.parse_args()
    quiet_environment()
    if args.step == "build":
        print(build(args.folder, args.copies))
    else:
        print(json.dumps(measure_with_server(args.folder) if args.server else measure(args.folder)))


if __name__ == "__main__":
    main()
