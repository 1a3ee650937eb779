"""The Chroma side of the index: open the collection (disk or `chroma run` server), read/write chunks."""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from collections.abc import Iterator, Sequence
from urllib.parse import urlparse

import numpy as np

from kb.config import Settings
from kb.errors import EmptyIndexError, ModelMismatchError, StoreUnavailableError
from kb.records import Chunk, Source

PAGE = 500  # rows per request when reading the whole collection


def _client(settings: Settings):
    import chromadb

    chroma_settings = chromadb.Settings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise StoreUnavailableError(
                f"KB_CHROMA_URL={settings.chroma_url!r} is not a URL like http://127.0.0.1:8000.")
        try:
            return chromadb.HttpClient(host=url.hostname, port=url.port or 8000,
                                       ssl=url.scheme == "https", settings=chroma_settings)
        except Exception as exc:  # chromadb raises plain ValueError/ConnectError here
            raise StoreUnavailableError(
                f"cannot reach the Chroma server at {settings.chroma_url} ({type(exc).__name__}); "
                "is `chroma run` running there?") from None
    settings.chroma_path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)


def _is_missing(exc: Exception) -> bool:
    """Chroma's way of saying the collection does not exist (the error class varies by client)."""
    return "does not exist" in str(exc) or "NotFound" in type(exc).__name__


def drop_collection(settings: Settings) -> None:
    """Delete the collection (vectors, texts, labels); a missing one is not an error."""
    try:
        _client(settings).delete_collection(settings.collection)
    except Exception as exc:
        if not _is_missing(exc):
            raise


def open_collection(settings: Settings, *, create: bool = False, expect: dict | None = None):
    """The collection, checked against `expect` (model, chunker). Missing -> EmptyIndexError."""
    client = _client(settings)
    try:
        if create:
            meta = {**(expect or {}), "index_version": "empty", "built_at": ""}
            col = client.get_or_create_collection(
                settings.collection, metadata=meta, embedding_function=None,
                configuration={"hnsw": {"space": "cosine"}})
        else:
            col = client.get_collection(settings.collection, embedding_function=None)
    except StoreUnavailableError:
        raise
    except Exception as exc:
        if _is_missing(exc):
            raise EmptyIndexError(
                f"no index in {settings.where()} (collection {settings.collection!r}); "
                "run `kb ingest` first.") from None
        raise StoreUnavailableError(
            f"cannot open the index at {settings.where()}: {type(exc).__name__}") from None
    for key, wanted in (expect or {}).items():
        have = (col.metadata or {}).get(key)
        if have != wanted:
            raise ModelMismatchError(
                f"re-index required: the index at {settings.where()} was built with "
                f"{key}={have!r}, this version uses {wanted!r}. Delete the index (or use a new "
                "KB_COLLECTION) and run `kb ingest` again.")
    return col


def index_version(col) -> str:
    return str((col.metadata or {}).get("index_version", ""))


def bump_version(col) -> str:
    """Mark the collection changed so replicas rebuild their BM25 view."""
    version = uuid.uuid4().hex[:12]
    meta = {k: v for k, v in (col.metadata or {}).items() if not k.startswith("hnsw:")}
    meta.update(index_version=version, built_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    col.modify(metadata=meta)
    return version


def _pack_vectors(vecs: np.ndarray) -> str:
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
        meta["sentence_vectors"] = _pack_vectors(sentence_vecs)
    return meta


def chunk_from_record(chunk_id: str, text: str, meta: dict) -> Chunk:
    page = meta.get("page", -1)
    return Chunk(
        chunk_id=chunk_id, doc_id=meta["doc_id"], n=int(meta["n"]), text=text,
        title=meta.get("title", ""), section=meta.get("section", ""),
        start=int(meta.get("start", 0)), end=int(meta.get("end", 0)),
        sentences=tuple(tuple(s) for s in json.loads(meta.get("sentences", "[]"))),
        topics=tuple(meta.get("topics") or ()), populations=tuple(meta.get("populations") or ()),
        evidence_type=meta.get("evidence_type", ""), as_of=meta.get("as_of", ""),
        sources=tuple(Source(**s) for s in json.loads(meta.get("sources", "[]"))),
        source=meta.get("source", ""), page=None if page in (-1, None) else int(page),
        doc_hash=meta.get("doc_hash", ""), n_chunks=int(meta.get("n_chunks", 0)),
        aliases=tuple(json.loads(meta.get("aliases", "[]"))), origin=meta.get("origin", "curated"),
        flagged_sentences=tuple(json.loads(meta.get("flagged_sentences", "[]"))),
    )


def upsert_chunks(col, chunks: Sequence[Chunk], vectors: np.ndarray,
                  sentence_vecs: Sequence[np.ndarray], *,
                  extras: Sequence[dict] | None = None) -> None:
    """One write for many chunks; `extras[i]` goes on chunk i's metadata."""
    if not chunks:
        return
    extras = extras or [{}] * len(chunks)
    col.upsert(
        ids=[c.chunk_id for c in chunks],
        embeddings=np.asarray(vectors, dtype=np.float32),
        documents=[c.text for c in chunks],
        metadatas=[{**chunk_metadata(c, s), **x}
                   for c, s, x in zip(chunks, sentence_vecs, extras, strict=True)],
    )


def delete_ids(col, ids: Sequence[str]) -> None:
    ids = list(ids)
    for i in range(0, len(ids), PAGE):
        col.delete(ids=ids[i:i + PAGE])


def iter_records(col, *, with_text: bool = True) -> Iterator[tuple[str, str, dict]]:
    """Every (id, text, metadata) in the collection, a page at a time."""
    include = ["metadatas", "documents"] if with_text else ["metadatas"]
    offset = 0
    while True:
        page = col.get(limit=PAGE, offset=offset, include=include)
        ids = page["ids"]
        if not ids:
            return
        docs = page.get("documents") or [""] * len(ids)
        yield from zip(ids, docs, page["metadatas"], strict=True)
        offset += len(ids)


def records_with_vectors(col, page: int = 5000) -> tuple[list[str], list[str], list[dict], np.ndarray]:
    """Every row's id, text, metadata and passage vector (one float32 matrix), a page at a time."""
    ids: list[str] = []
    texts: list[str] = []
    metas: list[dict] = []
    blocks: list[np.ndarray] = []
    while True:
        got = col.get(limit=page, offset=len(ids), include=["metadatas", "documents", "embeddings"])
        if not got["ids"]:
            break
        ids += got["ids"]
        texts += got["documents"] or [""] * len(got["ids"])
        metas += got["metadatas"]
        blocks.append(np.asarray(got["embeddings"], dtype=np.float32))
    dim = blocks[0].shape[1] if blocks else 0
    return ids, texts, metas, (np.concatenate(blocks) if blocks else np.zeros((0, dim), np.float32))


def load_chunks(col) -> list[Chunk]:
    return [chunk_from_record(i, t, m) for i, t, m in iter_records(col)]
