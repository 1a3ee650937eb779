"""Sentence-level dense scoring in the retriever (real Chroma on a temp dir, hand-made vectors).

The vectors are built by hand so the expected order is known exactly. No model is loaded: every
search passes its query vector, and the retriever only asks the embedder for its dimension.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from kb.config import Settings
from kb.records import Chunk
from kb.retrieve import Retriever
from kb.store import Index

DIM = 8


def _unit(*parts: tuple[int, float]) -> np.ndarray:
    v = np.zeros(DIM, dtype=np.float32)
    for i, x in parts:
        v[i] = x
    return v / np.linalg.norm(v)


def _chunk(doc: str, text: str) -> Chunk:
    return Chunk(chunk_id=f"{doc}#0", doc_id=doc, n=0, text=text, title=doc, section="",
                 start=0, end=len(text), sentences=((0, len(text)),), n_chunks=1)


def _retriever(tmp_path, **options) -> Retriever:
    settings = Settings(data_dir=tmp_path / "kbdata")
    index = Index.open(settings, create=True, expect={"embedding_model": "hand"})
    query = _unit((0, 1.0))
    # "broad": its passage vector leans to the query (cosine 0.6) but no sentence does better.
    # "pinpoint": its passage vector is mostly about something else (cosine 0.3), yet one of its
    # sentences says exactly what the query asks (cosine 1.0).
    broad = _unit((0, 0.6), (1, 0.8))
    pinpoint = _unit((0, 0.3), (2, float(np.sqrt(1 - 0.09))))
    index.upsert(
        [_chunk("broad", "broad words"), _chunk("pinpoint", "pinpoint words")],
        np.stack([broad, pinpoint]),
        [np.stack([broad]), np.stack([_unit((2, 1.0)), query])])
    index.publish()
    retriever = Retriever(Index.open(settings),
                          embedder=SimpleNamespace(dim=DIM), **options)
    retriever.refresh(force=True)
    return retriever, query


def test_best_sentence_ranks_a_passage_only_when_switched_on(tmp_path):
    off, query = _retriever(tmp_path)
    hits = off.search("anything", k=2, mode="dense", query_vector=query)
    assert [h.chunk.doc_id for h in hits] == ["broad", "pinpoint"]

    on, query = _retriever(tmp_path, sentence_scoring=True)
    hits = on.search("anything", k=2, mode="dense", query_vector=query)
    assert [h.chunk.doc_id for h in hits] == ["pinpoint", "broad"]
    # Abstention stays calibrated on the passage cosine, whatever the ranking used.
    assert abs(hits[0].dense_score - 0.3) < 1e-3 and abs(hits[1].dense_score - 0.6) < 1e-3
    assert hits[0].sentence_vectors.shape == (2, DIM)


def test_hybrid_fusion_uses_the_sentence_score(tmp_path):
    # BM25's weight is 0 here, so the fused order is the dense side's: the passage cosine without
    # sentence scoring, the best sentence with it.
    off, query = _retriever(tmp_path, alpha=0.0)
    assert off.search("words", k=2, query_vector=query)[0].chunk.doc_id == "broad"
    on, query = _retriever(tmp_path, alpha=0.0, sentence_scoring=True)
    assert on.search("words", k=2, query_vector=query)[0].chunk.doc_id == "pinpoint"


def test_a_passage_is_found_by_its_best_sentence_beyond_the_nearest_passage_vectors(tmp_path):
    # One dense candidate: by passage vectors alone it is "broad"; the sentence search brings in
    # "pinpoint", whose sentence matches the query exactly, and the top 1 is taken by score.
    off, query = _retriever(tmp_path, candidates=1)
    assert [h.chunk.doc_id for h in off.search("x", k=1, mode="dense", query_vector=query)] \
        == ["broad"]
    on, query = _retriever(tmp_path, candidates=1, sentence_scoring=True)
    hits = on.search("x", k=1, mode="dense", query_vector=query)
    assert [h.chunk.doc_id for h in hits] == ["pinpoint"]
    assert abs(hits[0].dense_score - 0.3) < 1e-3


def test_sentence_candidates_respect_filters(tmp_path):
    from kb.retrieve import Filters

    on, query = _retriever(tmp_path, candidates=1, sentence_scoring=True)
    hits = on.search("x", k=1, mode="dense", query_vector=query,
                     filters=Filters(doc_ids=("broad",)))
    assert [h.chunk.doc_id for h in hits] == ["broad"]


def test_a_large_index_fetches_its_hits_sentence_vectors_and_finds_the_same(kb_index, embedder,
                                                                             monkeypatch):
    """Above SENTENCES_IN_VIEW_UP_TO passages the view holds no sentence vectors (memory); each
    search fetches its hits' from the store. Hits and their vectors must be exactly the same."""
    import kb.retrieve as retrieve

    settings = Settings(data_dir=kb_index)
    held = Retriever(Index.open(settings), embedder)
    held.refresh(force=True)
    monkeypatch.setattr(retrieve, "SENTENCES_IN_VIEW_UP_TO", 10)
    fetched = Retriever(Index.open(settings), embedder)
    fetched.refresh(force=True)
    assert held.view.sentence_store is not None and fetched.view.sentence_store is None
    assert fetched.view.nbytes < held.view.nbytes
    for question in ("How much does MDMA-assisted therapy cost?",
                     "What did the second phase 3 trial find?", "Is MDMA legal in Australia?"):
        qv = embedder.embed_query(question)
        a, b = held.search(question, 5, query_vector=qv), fetched.search(question, 5,
                                                                         query_vector=qv)
        assert [h.chunk.chunk_id for h in a] == [h.chunk.chunk_id for h in b]
        for x, y in zip(a, b, strict=True):
            assert x.sentence_vectors is not None and np.array_equal(x.sentence_vectors,
                                                                     y.sentence_vectors)
