"""The embedder factory: the backend named in settings -> one loaded Embedder per process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from kb.embed import MODEL_NAME, Embedder
from kb.embed_onnx import ONNX_NAME, OnnxEmbedder

BACKENDS = ("torch", "onnx-int8")
MODEL_NAMES = {"torch": MODEL_NAME, "onnx-int8": ONNX_NAME}


def model_name(backend: str) -> str:
    """The model name an index built with this backend records (known without loading it)."""
    if backend not in MODEL_NAMES:
        raise ValueError(f"embedding backend must be one of {', '.join(BACKENDS)}, not {backend!r}")
    return MODEL_NAMES[backend]


@lru_cache(maxsize=4)
def get_embedder(backend: str = "torch", cache_dir: Path | None = None) -> Embedder:
    """One model per process and backend: loading takes seconds (and happens on first use).

    `backend` is "torch" (default) or "onnx-int8" (a quantised ONNX export of the same model,
    built once into `cache_dir`; its vectors differ slightly, so it records another model name
    and an index built with one backend refuses the other).
    """
    model_name(backend)
    if backend == "onnx-int8":
        return OnnxEmbedder(cache_dir or Path(".kbdata") / "models")
    return Embedder()
