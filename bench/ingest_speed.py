"""Ingest throughput against raw model.encode on the same chunks, and re-ingest of an unchanged KB."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.stats import ratio, summarise
from kb.config import Settings


def _fresh_ingest(embedder, inputs, base: Path, n: int, batch_size: int):
    from ingest.pipeline import run_ingest

    settings = Settings(data_dir=base / f"fresh-{n}", embed_batch_size=batch_size)
    t0 = time.perf_counter()
    report = run_ingest(settings, inputs, embedder, progress=False)
    return settings, report, time.perf_counter() - t0


def _raw_encode(model, texts, batch_size: int) -> float:
    t0 = time.perf_counter()
    model.encode(texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True)
    return time.perf_counter() - t0


def run(embedder, reference_model=None, inputs: list[str] | None = None, repeats: int = 3,
        batch_size: int = 32, cli_reingest: bool = True) -> dict:
    """Fresh ingests (new data dir each) alternated with raw encodes of the same chunk texts.

    The process is warm for both sides: the model is loaded and has run once, chromadb is
    imported. `reference_model` is the SentenceTransformer whose encode() is the yardstick
    (the torch model, even when the embedder uses another backend).
    """
    import chromadb  # noqa: F401  (import cost is start-up, not throughput)

    from kb.embed import load_sentence_transformer
    from kb.store import Index

    reference_model = reference_model or load_sentence_transformer()
    reference_model.encode(["warm up the model"] * 4)
    embedder.embed_texts(["warm up the embedder"] * 4)
    with tempfile.TemporaryDirectory(prefix="kb-bench-ingest-") as tmp:
        base = Path(tmp)
        settings, first, _ = _fresh_ingest(embedder, inputs, base, 0, batch_size)  # warm-up run
        texts = [c.embed_text() for c in Index.open(settings).chunks()]
        ingest_s, encode_s, own_s = [], [], []
        own = getattr(embedder, "backend", "torch") != "torch"
        for n in range(1, repeats + 1):
            encode_s.append(_raw_encode(reference_model, texts, batch_size))
            if own:  # the backend's own encoder, for the pipeline's overhead alone
                t0 = time.perf_counter()
                embedder.embed_texts(texts, batch_size)
                own_s.append(time.perf_counter() - t0)
            settings, report, seconds = _fresh_ingest(embedder, inputs, base, n, batch_size)
            ingest_s.append(seconds)
        reingest_s = []
        for _ in range(repeats):
            from ingest.pipeline import run_ingest

            t0 = time.perf_counter()
            again = run_ingest(settings, inputs, embedder, progress=False)
            reingest_s.append(time.perf_counter() - t0)
            assert again.chunks_added == 0, again.summary()
        chunks = report.chunks_added
        ingest_med = summarise(ingest_s, 3)["p50"]
        encode_med = summarise(encode_s, 3)["p50"]
        out = {
            "documents": report.documents, "chunks": chunks, "repeats": repeats,
            "batch_size": batch_size, "backend": getattr(embedder, "backend", "torch"),
            "embedding_model": embedder.name,
            "ingest_s": summarise(ingest_s, 3), "raw_encode_s": summarise(encode_s, 3),
            "ingest_chunks_per_s": round(chunks / ingest_med, 1),
            "raw_encode_chunks_per_s": round(len(texts) / encode_med, 1),
            "throughput_ratio": ratio(chunks / ingest_med, len(texts) / encode_med),
            "reingest_unchanged_s": summarise(reingest_s, 3),
        }
        if own_s:
            own_med = summarise(own_s, 3)["p50"]
            out["own_encode_chunks_per_s"] = round(len(texts) / own_med, 1)
            out["ratio_to_own_encoder"] = ratio(chunks / ingest_med, len(texts) / own_med)
        if cli_reingest:
            out["reingest_cli_s"] = time_cli_reingest(settings, inputs, out["backend"])
    return out


def time_cli_reingest(settings: Settings, inputs: list[str] | None,
                      backend: str = "torch") -> dict:
    """Wall time of `python -m app ingest` on the unchanged index: a user's view (start-up included)."""
    env = {**os.environ, "KB_DATA_DIR": str(settings.data_dir), "HF_HUB_OFFLINE": "1",
           "ANONYMIZED_TELEMETRY": "False", "TOKENIZERS_PARALLELISM": "false",
           "KB_EMBED_BACKEND": backend}
    cmd = [sys.executable, "-m", "app", "ingest", "--quiet", *(inputs or [])]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300,
                          cwd=Path(__file__).resolve().parent.parent)
    wall = time.perf_counter() - t0
    return {"wall_s": round(wall, 2), "exit": proc.returncode,
            "summary": proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else
            proc.stderr.strip()[-300:]}
