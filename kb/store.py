"""The index object: the only code that talks to Chroma (on disk, or a `chroma run` server).

`Index.open(settings)` owns the client and the collection and speaks in the project's records
(Chunk, StoredDocument, StoredChunk, numpy arrays). The index-version protocol lives here too:
`begin_write()` marks the collection "writing-..." before the first change, `publish()` gives it
a fresh version that readers (replicas, the chat) compare to rebuild their in-memory view.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import Iterator, Mapping, Sequence

import numpy as np

from kb import serve_lock
from kb import store_codec as codec
from kb.config import Settings
from kb.errors import EmptyIndexError, StoreUnavailableError
from kb.memory import release_freed_memory
from kb.records import Chunk
from kb.store_checks import check_files, check_identity, is_missing, translate
from kb.store_clients import drop_collection, private_client, shared_client
from kb.store_codec import StoredChunk, StoredDocument, chunk_from_record, chunk_metadata

PAGE = 500  # rows per request when reading the whole collection
TRIM_EVERY = 10 * PAGE  # rows between handing a bulk read's freed heap back to the system
WRITING = "writing-"


class Index:
    """One collection of chunks: open it, read it, write it, publish versions, check it."""

    def __init__(self, settings: Settings, client, collection, *, private: bool = False) -> None:
        self.settings = settings
        self._client = client
        self._col = collection
        self._private = private  # its client is its own (opened_privately): reads go through it

    @classmethod
    @contextlib.contextmanager
    def opened_privately(cls, settings: Settings,
                         expect: Mapping[str, str] | None = None) -> Iterator[Index]:
        """The index for one whole-index job (the start-up check): on disk through a Chroma
        client of its own, stopped on exit so what the job read does not stay in memory."""
        if settings.chroma_url:
            yield cls.open(settings, expect=expect)
        else:
            check_files(settings, False)
            with private_client(settings) as client:
                index = cls.open(settings, expect=expect, client=client)
                index._private = True
                yield index
        release_freed_memory()

    @classmethod
    def open(cls, settings: Settings, *, create: bool = False,
             expect: Mapping[str, str] | None = None, client=None) -> Index:
        """The index named by settings, checked against `expect` (model, chunker...).

        `create=True` means the caller will write: the collection is made if missing, and an
        on-disk index served by another process (`kb serve`) is refused (see kb/serve_lock.py).
        Missing -> EmptyIndexError; damaged files -> IndexDamagedError naming the fix.
        """
        if not settings.chroma_url:
            if create:
                serve_lock.refuse_if_served_elsewhere(settings.data_dir)
            check_files(settings, create)
        client = client or shared_client(settings)
        try:
            if create:
                meta = {**(expect or {}), "index_version": "empty", "built_at": ""}
                col = client.get_or_create_collection(
                    settings.collection, metadata=meta, embedding_function=None,
                    configuration={"hnsw": {"space": "cosine"}})
            else:
                col = client.get_collection(settings.collection, embedding_function=None)
        except Exception as exc:
            if is_missing(exc):
                raise EmptyIndexError(
                    f"no index in {settings.where()} (collection {settings.collection!r}); "
                    "run `kb ingest` first.") from exc
            raise translate(settings, exc) from exc
        check_identity(settings, col.metadata or {}, expect or {})
        return cls(settings, client, col)

    @staticmethod
    def drop(settings: Settings) -> None:
        """Delete the collection (vectors, texts, labels); a missing one is not an error."""
        drop_collection(settings)

    def _call(self, method: str, collection=None, **kwargs):
        try:
            return getattr(collection or self._col, method)(**kwargs)
        except Exception as exc:
            raise translate(self.settings, exc) from exc

    @property
    def name(self) -> str:
        return self._col.name

    @property
    def where(self) -> str:
        return self.settings.where()

    @property
    def metadata(self) -> dict:
        """The collection's labels as stored now (re-read: another process may have published)."""
        try:
            self._col = self._client.get_collection(self.settings.collection,
                                                    embedding_function=None)
        except Exception as exc:
            if is_missing(exc):
                raise EmptyIndexError(f"the index at {self.where} was deleted; run `kb ingest`."
                                      ) from exc
            raise translate(self.settings, exc) from exc
        return {k: v for k, v in (self._col.metadata or {}).items() if not k.startswith("hnsw:")}

    @property
    def version(self) -> str:
        """The published index version ("writing-..." while an ingest is under way or was killed)."""
        return str(self.metadata.get("index_version", ""))

    @property
    def is_writing(self) -> bool:
        return self.version.startswith(WRITING)

    def count(self) -> int:
        return int(self._call("count"))

    def begin_write(self) -> None:
        """Mark the index half-written before its first change (readers keep their old view)."""
        if not self.settings.chroma_url:
            serve_lock.refuse_if_served_elsewhere(self.settings.data_dir)
        meta = self.metadata
        if not str(meta.get("index_version", "")).startswith(WRITING):
            self._call("modify", metadata={**meta, "index_version": WRITING + "1"})

    def publish(self) -> str:
        """Give the index a new version, so every reader rebuilds its view; returns it."""
        version = uuid.uuid4().hex[:12]
        meta = self.metadata
        meta.update(index_version=version,
                    built_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
        self._call("modify", metadata=meta)
        return version

    def set_search_breadth(self, ef_search: int) -> None:
        """HNSW's search breadth; set it before the first write (a loaded index keeps its own)."""
        self._call("modify", configuration={"hnsw": {"ef_search": ef_search}})

    def upsert(self, chunks: Sequence[Chunk], vectors: np.ndarray,
               sentence_vectors: Sequence[np.ndarray | None], *,
               content_hashes: Mapping[str, str] | None = None) -> None:
        """Write chunks by id in one request; `content_hashes[doc_id]` marks identical content."""
        if not chunks:
            return
        hashes = content_hashes or {}
        metas = []
        for c, s in zip(chunks, sentence_vectors, strict=True):
            meta = chunk_metadata(c, s)
            if c.doc_id in hashes:
                meta["content_hash"] = hashes[c.doc_id]
            metas.append(meta)
        self._call("upsert", ids=[c.chunk_id for c in chunks],
                   embeddings=np.asarray(vectors, dtype=np.float32),
                   documents=[c.text for c in chunks], metadatas=metas)

    def delete(self, ids: Sequence[str]) -> None:
        ids = list(ids)
        for i in range(0, len(ids), PAGE):
            self._call("delete", ids=ids[i:i + PAGE])

    def _pages(self, include: list[str], col=None) -> Iterator[dict]:
        """Every row, PAGE ids at a time (ids listed first: a page by offset rescans the rows
        before it, 1 s a page at 250k rows against 0.4 s by ids)."""
        ids = self._call("get", col, include=[])["ids"]
        for start in range(0, len(ids), PAGE):
            yield self._call("get", col, ids=ids[start:start + PAGE], include=include)
            if (start + PAGE) % TRIM_EVERY == 0:
                release_freed_memory()  # the pages already read are garbage: hand it back

    @contextlib.contextmanager
    def _bulk_collection(self) -> Iterator:
        """The collection for a whole-collection read: on disk through a private client whose
        memory is freed when the read ends (kb/store_clients.py); from a server through the
        shared client (the server holds that memory, not this process)."""
        if self.settings.chroma_url or self._private:
            yield self._col
        else:
            with private_client(self.settings) as client:
                try:
                    col = client.get_collection(self.settings.collection, embedding_function=None)
                except Exception as exc:
                    raise translate(self.settings, exc) from exc
                yield col
        release_freed_memory()

    def stored_documents(self) -> dict[str, StoredDocument]:
        """doc id -> what is stored of it (chunk ids, hashes, source)."""
        docs: dict[str, StoredDocument] = {}
        for page in self._pages(["metadatas"]):
            for cid, meta in zip(page["ids"], page["metadatas"], strict=True):
                codec.add_stored(docs, cid, meta)
        return docs

    def check_columns(self, dim: int):
        """One whole-collection pass for the integrity check (kb/store_codec.py): chunk ids,
        passage matrix, stored documents."""
        with self._bulk_collection() as col:
            count = int(self._call("count", col))
            return codec.check_columns(self._pages(["metadatas", "embeddings"], col), count, dim)

    def chunks(self, *, with_text: bool = True) -> list[Chunk]:
        """Every chunk as stored now (text "" when with_text=False)."""
        include = ["metadatas", "documents"] if with_text else ["metadatas"]
        out, decoder = [], codec.RecordDecoder()
        for page in self._pages(include):
            texts = page.get("documents") or [""] * len(page["ids"])
            out += [decoder.chunk(i, t or "", m)
                    for i, t, m in zip(page["ids"], texts, page["metadatas"], strict=True)]
        return out

    def view_columns(self, dim: int, *, sentences: bool = True,
                     sentences_up_to: int | None = None):
        """What a read view needs, page by page, nothing held twice (kb/store_codec.py): chunks,
        passage matrix, per page the sentence vectors as stored (None if `sentences` is off, or
        the index holds more than `sentences_up_to` rows)."""
        try:
            with self._bulk_collection() as col:
                return self._columns(col, dim, sentences, sentences_up_to)
        except StoreUnavailableError:
            if self.settings.chroma_url:
                raise
            # a write through this process's shared client can trip the private one mid-read
            return self._columns(self._col, dim, sentences, sentences_up_to)

    def _columns(self, col, dim: int, sentences: bool, sentences_up_to: int | None):
        count = int(self._call("count", col))
        keep = sentences and (sentences_up_to is None or count <= sentences_up_to)
        pages = self._pages(["metadatas", "documents", "embeddings"], col)
        return codec.view_columns(pages, count, dim, sentences=keep)

    def sentence_vectors(self, ids: Sequence[str], dim: int) -> dict[str, np.ndarray]:
        """chunk id -> its stored sentence vectors (float32), for a few ids (one request)."""
        got = self._call("get", ids=list(ids), include=["metadatas"]) if ids else {"ids": []}
        return {cid: codec.sentence_vectors_of(meta, dim)
                for cid, meta in zip(got["ids"], got.get("metadatas", []), strict=True)}

    def get(self, ids: Sequence[str]) -> list[StoredChunk]:
        """The stored chunks with these ids, in the order asked; ids no longer stored are left out."""
        if not ids:
            return []
        got = self._call("get", ids=list(ids), include=["metadatas", "documents", "embeddings"])
        by_id = {}
        for cid, text, meta, emb in zip(got["ids"], got["documents"], got["metadatas"],
                                        got["embeddings"], strict=True):
            vec = np.asarray(emb, dtype=np.float32)
            by_id[cid] = StoredChunk(chunk_from_record(cid, text or "", meta), vec,
                                     codec.sentence_vectors_of(meta, len(vec)))
        return [by_id[i] for i in ids if i in by_id]

    def query(self, vector: np.ndarray, n: int, where=None) -> tuple[list[str], np.ndarray]:
        """The n nearest chunk ids to a normalised vector, with their cosine similarities.

        `where` is a Filters-like object (topics, populations, evidence_types, doc_ids).
        """
        n = min(n, self.count())
        if n <= 0:
            return [], np.zeros(0, dtype=np.float32)
        res = self._call("query", query_embeddings=[np.asarray(vector, dtype=np.float32).tolist()],
                         n_results=n, where=codec.where_clause(where), include=["distances"])
        return list(res["ids"][0]), 1.0 - np.asarray(res["distances"][0], dtype=np.float32)

    def check(self, dim: int, *, view_ids: Sequence[str] | None = None, sample: int = 20):
        """Integrity report (kb/integrity.py): manifest, Chroma ids and the read view agree,
        vectors have `dim` dimensions, sampled vectors find their own id."""
        from kb.integrity import check_index

        return check_index(self, dim, view_ids=view_ids, sample=sample)
