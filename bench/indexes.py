"""The benchmark's own data dirs under .kbdata/bench/ (git-ignored), reused between runs."""

from __future__ import annotations

import os
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


def bundled_index(embedder, base: Path | None = None) -> Settings:
    """The bundled knowledge base, ingested incrementally into .kbdata/bench/bundled."""
    from ingest.pipeline import run_ingest

    settings = Settings(data_dir=bench_dir("bundled", base))
    run_ingest(settings, None, embedder, progress=False)
    return settings
