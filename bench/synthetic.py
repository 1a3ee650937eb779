"""Synthetic knowledge bases for the cost curve: real SciFact chunks plus recombined distractors.

A distractor chunk is made of sentences drawn at random from the real chunks; its sentence
vectors are those sentences' stored vectors and its passage vector is their mean, renormalised,
so no model runs however many chunks are made. The real chunks keep their ids, so retrieval
quality is still measured on the SciFact test claims.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kb.config import Settings
from kb.errors import ModelMismatchError
from kb.records import Chunk
from kb.store import Index

RECIPE = "synthetic-v1"  # bump when the recombination changes: cached indexes rebuild
BATCH = 2000  # rows per Chroma write (one request; Chroma caps a write at ~5k rows)


@dataclass(frozen=True)
class Base:
    """The real chunks: records, passage vectors and per-chunk sentence vectors (float32)."""

    chunks: list[Chunk]
    vectors: np.ndarray
    sentences: list[np.ndarray]
    version: str

    @classmethod
    def read(cls, settings: Settings, dim: int) -> Base:
        index = Index.open(settings)
        chunks, vectors, blocks = index.view_columns(dim)
        sentences = [v.astype(np.float32) for block in blocks for v in block]
        return cls(chunks, vectors, sentences, index.version)


def _pool(base: Base) -> tuple[list[str], list[str], np.ndarray]:
    """Every stored sentence: its text, the title of its chunk, and its vector."""
    texts, titles, vecs = [], [], []
    for chunk, sv in zip(base.chunks, base.sentences, strict=True):
        for (start, end), vec in zip(chunk.sentences, sv, strict=False):
            texts.append(chunk.text[start:end].strip())
            titles.append(chunk.title)
            vecs.append(vec)
    return texts, titles, np.asarray(vecs, dtype=np.float32)


def distractors(base: Base, count: int, seed: int = 17, per_doc: int = 3):
    """`count` synthetic chunks (a batch at a time): (chunks, passage vectors, sentence vectors)."""
    rng = np.random.default_rng(seed)
    texts, titles, vecs = _pool(base)
    lengths = np.array([max(1, len(s)) for s in base.sentences])
    made = 0
    while made < count:
        n = min(BATCH, count - made)
        chunks, passage, sentence = [], np.zeros((n, vecs.shape[1]), np.float32), []
        for row in range(n):
            picks = rng.integers(0, len(texts), size=int(rng.choice(lengths)))
            parts, spans, at = [], [], 0
            for p in picks:
                parts.append(texts[p])
                spans.append((at, at + len(texts[p])))
                at += len(texts[p]) + 1
            doc, n_in_doc = divmod(made + row, per_doc)
            chunks.append(Chunk(
                chunk_id=f"synth-{doc}.md#{n_in_doc}", doc_id=f"synth-{doc}.md", n=n_in_doc,
                text=" ".join(parts), title=titles[picks[0]], section="", start=0, end=at - 1,
                sentences=tuple(spans), n_chunks=per_doc, evidence_type="synthetic",
                doc_hash=f"{RECIPE}-{doc}", origin="user"))
            mean = vecs[picks].mean(axis=0)
            passage[row] = mean / max(float(np.linalg.norm(mean)), 1e-12)
            sentence.append(vecs[picks])
        made += n
        yield chunks, passage, sentence


def build(base: Base, size: int, folder: Path, identity: dict, progress: bool = False) -> dict:
    """An index of `size` chunks in `folder` (the real ones first), reused while it matches."""
    settings = Settings(data_dir=folder)
    want = {**identity, "synthetic": f"{RECIPE}-{size}-{base.version}"}
    info = folder / "synthetic.json"
    try:
        index = Index.open(settings, expect=want)
        if index.count() == size and not index.is_writing and info.is_file():
            return {**json.loads(info.read_text()), "cached": True}
    except ModelMismatchError:
        Index.drop(settings)
    except Exception:  # noqa: BLE001 (missing or half-built: rebuild)
        pass
    Index.drop(settings)
    index = Index.open(settings, create=True, expect=want)
    index.begin_write()
    real = min(size, len(base.chunks))
    t0 = time.perf_counter()
    for i in range(0, real, BATCH):
        index.upsert(base.chunks[i:i + BATCH], base.vectors[i:i + BATCH],
                     base.sentences[i:i + BATCH])
    for chunks, passage, sentence in distractors(base, size - real):
        index.upsert(chunks, passage, sentence)
        if progress:
            print(f"[bench] curve {size}: {index.count()} chunks written", flush=True)
    index.publish()
    seconds = time.perf_counter() - t0
    out = {"chunks": size, "real_chunks": real, "data_dir": str(folder),
           "write_s": round(seconds, 1), "write_chunks_per_s": round(size / seconds, 1)}
    info.write_text(json.dumps(out))
    return {**out, "cached": False}
