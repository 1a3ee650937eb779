"""One replica's memory on a large index, measured directly (outside the `make bench` curve).

    python -m bench.replica_memory build DATA_DIR --copies 725   # 345 x 725 = 250,125 passages
    python -m bench.replica_memory measure DATA_DIR              # prints one JSON line

`build` repeats the bundled index's passages under new ids (text marked, passage vector perturbed
by N(0, 0.02) per component and renormalised, stored sentence vectors kept), so no model runs.
`measure` loads the torch model, builds the assistant and its read view, asks the eval questions
and reports RSS after each step and the kernel's peak (`ru_maxrss`).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import resource
import statistics
import time
from pathlib import Path

import numpy as np

from bench.indexes import quiet_environment
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


def measure(folder: Path) -> dict:
    import psutil

    from eval.sets import DEFAULT_SET, load_eval_set
    from kb.assistant import build_assistant
    from kb.embedders import get_embedder

    def rss() -> float:
        return round(psutil.Process().memory_info().rss / 2**20, 1)

    embedder = get_embedder("torch", Settings().models_dir)
    embedder.embed_query("warm up")
    out = {"rss_model_mb": rss()}
    t0 = time.perf_counter()
    assistant = build_assistant(Settings(data_dir=folder), embedder)
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
               peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
               questions=len(questions))
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("step", choices=("build", "measure"))
    p.add_argument("folder", type=Path)
    p.add_argument("--copies", type=int, default=725)
    args = p.parse_args()
    quiet_environment()
    if args.step == "build":
        print(build(args.folder, args.copies))
    else:
        print(json.dumps(measure(args.folder)))


if __name__ == "__main__":
    main()
