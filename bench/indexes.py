"""The benchmark's own data dirs under .kbdata/bench/ (git-ignored), reused between runs."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from kb.config import Settings

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATA = ROOT / ".kbdata" / "bench"


def bench_dir(name: str, base: Path | None = None) -> Path:
    path = (base or BENCH_DATA) / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def quiet_environment() -> None:
    """Offline model, no telemetry, no tokenizer thread pools fighting torch."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import logging

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    import bm25s  # noqa: F401  (it sets its own logger to DEBUG on import: quiet it after)

    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG


def ingest_cached(settings: Settings, inputs: list[str] | None, embedder, progress: bool = False):
    """`run_ingest` into one of the benchmark's caches, rebuilt when the index says another model
    or chunker built it (the cache is ours to throw away; a user's index never is)."""
    from ingest.pipeline import run_ingest
    from kb.errors import ModelMismatchError
    from kb.store import Index

    try:
        return run_ingest(settings, inputs, embedder, progress=progress)
    except ModelMismatchError as exc:
        print(f"[bench] rebuilding {settings.data_dir}: {exc}", file=sys.stderr, flush=True)
        Index.drop(settings)  # through the client: it caches what it has opened
        return run_ingest(settings, inputs, embedder, progress=progress)
