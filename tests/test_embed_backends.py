"""Embedding backends: torch matches sentence-transformers; onnx-int8 stays close and never mixes."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import ROOT

from kb.config import Settings
from kb.errors import ModelMismatchError

TEXTS = [
    "MDMA-assisted therapy > Safety\nBlood pressure and heart rate rose during sessions. "
    "No participant needed treatment for it.",
    "Insurance rarely covers psychedelic therapy in the United States.",
    "short",
]


# The export takes a minute: keep it between test sessions (the file name carries the export
# recipe's version, so a changed recipe builds a new one).
ONNX_CACHE = ROOT / ".kbdata" / "test-cache" / "models"


@pytest.fixture(scope="module")
def onnx_embedder():
    pytest.importorskip("onnx", reason="the onnx package builds the int8 model (dev extra)")
    from kb.embed_onnx import OnnxEmbedder

    return OnnxEmbedder(ONNX_CACHE)


def test_torch_backend_equals_the_sentence_transformers_pipeline(embedder):
    from kb.embed import load_sentence_transformer

    reference = load_sentence_transformer()
    ours = embedder.embed_texts(TEXTS)
    theirs = reference.encode(TEXTS, normalize_embeddings=True)
    assert ours.shape == (3, embedder.dim)
    assert np.allclose((ours * theirs).sum(axis=1), 1.0, atol=1e-5)
    for text in TEXTS:
        assert embedder.count_tokens(text) == len(reference.tokenizer(text)["input_ids"])


@pytest.mark.slow  # builds the ONNX export on a first run
def test_onnx_int8_is_close_to_torch_and_shares_the_tokenizer(embedder, onnx_embedder):
    spans = [[(0, 20), (21, len(TEXTS[0]))], [(0, len(TEXTS[1]))], [(0, 5)]]
    p_torch, s_torch = embedder.embed_passages(TEXTS, spans)
    p_onnx, s_onnx = onnx_embedder.embed_passages(TEXTS, spans)
    assert (p_torch * p_onnx).sum(axis=1).min() > 0.97
    for a, b in zip(s_torch, s_onnx, strict=True):
        assert a.shape == b.shape and (a * b).sum(axis=1).min() > 0.95
    assert [onnx_embedder.count_tokens(t) for t in TEXTS] == \
        [embedder.count_tokens(t) for t in TEXTS]
    assert onnx_embedder.path.exists()  # built once, reused by the next process


@pytest.mark.slow
def test_an_index_built_with_one_backend_refuses_the_other(kb_copy, onnx_embedder):
    from ingest.pipeline import run_ingest
    from kb.assistant import build_assistant

    assert onnx_embedder.name != "sentence-transformers/all-MiniLM-L6-v2"
    with pytest.raises(ModelMismatchError, match="re-index required"):
        run_ingest(kb_copy, None, onnx_embedder, progress=False)
    settings = Settings(data_dir=kb_copy.data_dir, embed_backend="onnx-int8")
    with pytest.raises(ModelMismatchError, match="re-index required"):
        build_assistant(settings, onnx_embedder)
