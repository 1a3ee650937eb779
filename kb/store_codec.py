"""How a Chunk and its sentence vectors are written into, and read back from, one stored record."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field

import numpy as np

from kb.records import Chunk, Source


def pack_vectors(vecs: np.ndarray) -> str:
    """Sentence vectors as base64 float16 (metadata values must be scalars)."""
    return base64.b64encode(np.asarray(vecs, dtype=np.float16).tobytes()).decode("ascii")


def unpack_vectors(text: str, dim: int) -> np.ndarray:
    arr = np.frombuffer(base64.b64decode(text), dtype=np.float16).astype(np.float32)
    return arr.reshape(-1, dim)


def chunk_metadata(chunk: Chunk, sentence_vecs: np.ndarray | None = None) -> dict:
    meta = {
        "doc_id": chunk.doc_id, "n": chunk.n, "title": chunk.title, "section": chunk.section,
        "start": chunk.start, "end": chunk.end,
        "sentences": json.dumps([list(s) for s in chunk.sentences]),
        "evidence_type": chunk.evidence_type, "as_of": chunk.as_of,
        "sources": json.dumps([s.__dict__ for s in chunk.sources]),
        "source": chunk.source, "page": -1 if chunk.page is None else chunk.page,
        "doc_hash": chunk.doc_hash, "n_chunks": chunk.n_chunks, "origin": chunk.origin,
        "aliases": json.dumps(list(chunk.aliases)),
        "flagged_sentences": json.dumps(list(chunk.flagged_sentences)),
    }
    # Chroma rejects empty lists; store labels as lists only when present, and as flags
    # so a `where` filter can select them.
    if chunk.topics:
        meta["topics"] = list(chunk.topics)
    if chunk.populations:
        meta["populations"] = list(chunk.populations)
    if sentence_vecs is not None:
        meta["sentence_vectors"] = pack_vectors(sentence_vecs)
    return meta


def chunk_from_record(chunk_id: str, text: str, meta: dict) -> Chunk:
    return _decode(chunk_id, text, meta)


class RecordDecoder:
    """`chunk_from_record` for a whole collection: the parts a document's chunks share (title,
    sources, labels, aliases, hashes) are decoded once and shared by every chunk, so a read view
    of 250k chunks holds each document's references once, not once per chunk."""

    def __init__(self) -> None:
        self._shared: dict = {}

    def _one(self, kind: str, raw, make):
        key = (kind, raw if isinstance(raw, str) else tuple(raw or ()))
        got = self._shared.get(key)
        if got is None:
            got = self._shared[key] = make(raw)
        return got

    def chunk(self, chunk_id: str, text: str, meta: dict) -> Chunk:
        return _decode(chunk_id, text, meta, self._one)


def _fresh(kind: str, raw, make):
    return make(raw)


def _text(raw) -> str:
    return raw or ""


def _labels(raw) -> tuple[str, ...]:
    return tuple(raw or ())


def _sources(raw: str) -> tuple[Source, ...]:
    return tuple(Source(**s) for s in json.loads(raw))


def _json_tuple(raw: str) -> tuple:
    return tuple(json.loads(raw))


def _decode(chunk_id: str, text: str, meta: dict, shared=_fresh) -> Chunk:
    page = meta.get("page", -1)
    return Chunk(
        chunk_id=chunk_id, doc_id=shared("s", meta["doc_id"], _text), n=int(meta["n"]),
        text=text, title=shared("s", meta.get("title", ""), _text),
        section=shared("s", meta.get("section", ""), _text),
        start=int(meta.get("start", 0)), end=int(meta.get("end", 0)),
        sentences=tuple(tuple(s) for s in json.loads(meta.get("sentences", "[]"))),
        topics=shared("l", meta.get("topics"), _labels),
        populations=shared("l", meta.get("populations"), _labels),
        evidence_type=shared("s", meta.get("evidence_type", ""), _text),
        as_of=shared("s", meta.get("as_of", ""), _text),
        sources=shared("src", meta.get("sources", "[]"), _sources),
        source=shared("s", meta.get("source", ""), _text),
        page=None if page in (-1, None) else int(page),
        doc_hash=shared("s", meta.get("doc_hash", ""), _text),
        n_chunks=int(meta.get("n_chunks", 0)),
        aliases=shared("j", meta.get("aliases", "[]"), _json_tuple),
        origin=shared("s", meta.get("origin", "curated"), _text),
        flagged_sentences=shared("j", meta.get("flagged_sentences", "[]"), _json_tuple),
    )


def packed_sentence_vectors(meta: dict, dim: int) -> np.ndarray:
    """A record's sentence vectors [n, dim] as stored (float16, read-only), no float32 copy."""
    packed = meta.get("sentence_vectors")
    if not packed:
        return np.zeros((0, dim), dtype=np.float16)
    return np.frombuffer(base64.b64decode(packed), dtype=np.float16).reshape(-1, dim)


def view_columns(pages, count: int, dim: int, *, sentences: bool = True):
    """`Index.view_columns` from the collection's pages: chunks, the passage matrix filled in
    place (grown if a writer added rows since `count`), per page the sentence vectors."""
    decoder = RecordDecoder()
    chunks: list[Chunk] = []
    matrix = np.empty((count, dim), dtype=np.float32)
    blocks: list[list[np.ndarray]] = []
    for page in pages:
        block = []
        for cid, text, meta, emb in zip(page["ids"], page["documents"], page["metadatas"],
                                        page["embeddings"], strict=True):
            if len(chunks) == len(matrix):
                matrix = np.concatenate([matrix, np.empty((len(page["ids"]), dim), np.float32)])
            matrix[len(chunks)] = emb
            chunks.append(decoder.chunk(cid, text or "", meta))
            if sentences:
                block.append(packed_sentence_vectors(meta, dim))
        blocks.append(block)
    return chunks, matrix[:len(chunks)], blocks if sentences else None


def sentence_vectors_of(meta: dict, dim: int) -> np.ndarray:
    """A record's sentence vectors [n, dim] (zero rows when it was stored without them)."""
    packed = meta.get("sentence_vectors")
    return unpack_vectors(packed, dim) if packed else np.zeros((0, dim), dtype=np.float32)


def where_clause(filters) -> dict | None:
    """A Chroma `where` for a Filters-like object (topics, populations, evidence_types, doc_ids)."""
    if filters is None:
        return None
    clauses = []
    for name in ("topics", "populations"):
        values = getattr(filters, name, ())
        if values:
            parts = [{name: {"$contains": v}} for v in values]
            clauses.append(parts[0] if len(parts) == 1 else {"$or": parts})
    if getattr(filters, "evidence_types", ()):
        clauses.append({"evidence_type": {"$in": list(filters.evidence_types)}})
    if getattr(filters, "doc_ids", ()):
        clauses.append({"doc_id": {"$in": list(filters.doc_ids)}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


@dataclass
class StoredDocument:
    """What the index holds of one document: its chunk ids and the hashes they were built from."""

    ids: set[str] = field(default_factory=set)
    hashes: set[str] = field(default_factory=set)
    n_chunks: int = 0
    source: str = ""
    content_hash: str = ""
    origin: str = "curated"

    def complete(self, doc_hash: str, doc_id: str) -> bool:
        """All chunks of this exact version are stored, and nothing else."""
        return (self.hashes == {doc_hash}
                and self.ids == {f"{doc_id}#{i}" for i in range(self.n_chunks)})


def add_stored(docs: dict[str, StoredDocument], chunk_id: str, meta: dict) -> None:
    """Count one stored record into `docs` (doc id -> StoredDocument)."""
    d = docs.setdefault(meta["doc_id"], StoredDocument())
    d.ids.add(chunk_id)
    d.hashes.add(meta.get("doc_hash", ""))
    d.n_chunks = int(meta.get("n_chunks", 0))
    d.source = meta.get("source", "")
    d.content_hash = meta.get("content_hash", "")
    d.origin = meta.get("origin", "curated")


def check_columns(pages, count: int, dim: int):
    """What the integrity check reads, in one pass and without the texts: chunk ids, the passage
    matrix [n, dim] (ValueError when the stored vectors have another dimension) and the stored
    documents."""
    ids: list[str] = []
    matrix = np.empty((count, dim), dtype=np.float32)
    docs: dict[str, StoredDocument] = {}
    for page in pages:
        for cid, meta, emb in zip(page["ids"], page["metadatas"], page["embeddings"], strict=True):
            if len(ids) == len(matrix):
                matrix = np.concatenate([matrix, np.empty((len(page["ids"]), dim), np.float32)])
            matrix[len(ids)] = emb
            ids.append(cid)
            add_stored(docs, cid, meta)
    return ids, matrix[:len(ids)], docs


@dataclass(frozen=True)
class StoredChunk:
    """One stored chunk with its passage vector and its sentence vectors ([0, dim] if none)."""

    chunk: Chunk
    vector: np.ndarray
    sentence_vectors: np.ndarray
