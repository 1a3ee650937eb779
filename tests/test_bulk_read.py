"""Whole-index reads (the read view, the start-up check) go through a Chroma client of their
own, stopped when the read ends, so what Chroma loads for them (about 6 KB a passage, measured
in docs/benchmarks.md) does not stay in a serving process. Real Chroma on a copy of the index."""

from __future__ import annotations

import json

import numpy as np
import pytest
from chromadb.api.shared_system_client import SharedSystemClient as Shared

from app.cli_serve import startup_check
from kb import store
from kb.errors import KBError, StoreUnavailableError
from kb.manifest import read_manifest
from kb.retrieve import Retriever
from kb.store import Index


def _systems(settings) -> set[str]:
    root = str(settings.chroma_path)
    return {key for key in Shared._identifier_to_system if key.startswith(root)}


def test_the_view_is_read_through_a_private_client_stopped_afterwards(kb_copy, embedder,
                                                                     monkeypatch):
    index = Index.open(kb_copy)
    seen = []
    real = store.codec.view_columns

    def watching(pages, count, dim, *, sentences=True):
        seen.append(_systems(kb_copy))  # while the read runs
        return real(pages, count, dim, sentences=sentences)

    monkeypatch.setattr(store.codec, "view_columns", watching)
    chunks, vectors, blocks = index.view_columns(embedder.dim)
    assert seen == [{str(kb_copy.chroma_path), f"{kb_copy.chroma_path}/."}]
    assert _systems(kb_copy) == {str(kb_copy.chroma_path)}  # the private one is gone
    monkeypatch.undo()
    # the same rows as a read through the shared client, and the shared client still answers
    shared = store.codec.view_columns(index._pages(["metadatas", "documents", "embeddings"]),
                                      index.count(), embedder.dim)
    assert [c.chunk_id for c in chunks] == [c.chunk_id for c in shared[0]]
    assert np.array_equal(vectors, shared[1])
    assert all(np.array_equal(a, b) for a, b in zip(
        (v for blk in blocks for v in blk), (v for blk in shared[2] for v in blk), strict=True))
    ids, _ = index.query(vectors[3], 1)
    assert ids == [chunks[3].chunk_id]


def test_sentence_vectors_are_left_out_above_the_limit(kb_copy, embedder):
    index = Index.open(kb_copy)
    count = index.count()
    assert index.view_columns(embedder.dim, sentences_up_to=count)[2] is not None
    assert index.view_columns(embedder.dim, sentences_up_to=count - 1)[2] is None


def test_a_failed_private_read_falls_back_to_the_shared_client(kb_copy, embedder, monkeypatch):
    index = Index.open(kb_copy)
    expected = index.view_columns(embedder.dim)

    class Tripped:
        def __enter__(self):
            raise StoreUnavailableError("a write tripped the private reader")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(store, "private_client", lambda settings: Tripped())
    chunks, vectors, _ = index.view_columns(embedder.dim)
    assert [c.chunk_id for c in chunks] == [c.chunk_id for c in expected[0]]
    assert np.array_equal(vectors, expected[1])


def test_a_retriever_built_on_the_private_read_answers(kb_copy, embedder):
    retriever = Retriever(Index.open(kb_copy), embedder)
    retriever.refresh(force=True)
    hits = retriever.search("What did the second phase 3 trial find?", k=5)
    assert hits and hits[0].sentence_vectors is not None
    assert _systems(kb_copy) == {str(kb_copy.chroma_path)}


def test_the_start_up_check_runs_privately_and_still_refuses_a_damaged_index(kb_copy,
                                                                            embedder):
    startup_check(kb_copy, embedder)  # a clean index passes
    assert f"{kb_copy.chroma_path}/." not in _systems(kb_copy)
    path = kb_copy.data_dir / "manifests" / "kb_chunks.json"
    manifest = read_manifest(kb_copy)
    path.write_text(json.dumps({**manifest, "index_version": "v-other"}))
    with pytest.raises(KBError, match="failed its start-up check: .*describes version v-other"):
        startup_check(kb_copy, embedder)
    assert f"{kb_copy.chroma_path}/." not in _systems(kb_copy)
