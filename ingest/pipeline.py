"""run_ingest(settings, inputs) -> IngestReport: load, dedupe, chunk, embed, upsert, prune."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from ingest.chunk import CHUNKER_VERSION, document_hash, split_into_chunks
from ingest.load import Item, discover, load_item
from ingest.lock import writer_lock
from ingest.meta import Metadata
from kb import store
from kb.config import BUNDLED_DOCUMENTS, Settings
from kb.errors import KBError
from kb.records import Chunk, Document

WRITING = "writing-"


@dataclass
class IngestReport:
    read: int = 0
    unchanged: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (item, reason)
    notes: list[str] = field(default_factory=list)
    # what was read from each user document (title, authors, date, outlet), so a wrong guess shows
    extracted: list[dict] = field(default_factory=list)
    chunks_added: int = 0
    chunks_removed: int = 0
    seconds: float = 0.0
    documents: int = 0
    chunks: int = 0

    @property
    def ingested(self) -> int:
        return len(self.added) + len(self.changed) + self.unchanged

    def to_dict(self) -> dict:
        d = self.__dict__.copy()
        d["skipped"] = [{"item": i, "reason": r} for i, r in self.skipped]
        return d

    def summary(self) -> str:
        lines = [
            f"read {self.read}, unchanged {self.unchanged}, added {len(self.added)}, "
            f"changed {len(self.changed)}, removed {len(self.removed)}, "
            f"skipped {len(self.skipped)}",
            f"chunks +{self.chunks_added} -{self.chunks_removed}; index now "
            f"{self.documents} documents, {self.chunks} chunks; {self.seconds:.1f} s",
        ]
        lines += [f"  skipped {item}: {why}" for item, why in self.skipped]
        lines += [f"  note: {n}" for n in self.notes]
        lines += [f"  read {e['doc_id']}: title “{e['title']}”; author {e['authors'] or '(none)'}; "
                  f"date {e['date'] or '(none)'}; outlet {e['outlet'] or '(none)'}"
                  + (f"; url {e['url']}" if e["url"] else "") for e in self.extracted]
        return "\n".join(lines)


def index_identity(embedder) -> dict:
    return {"embedding_model": embedder.name, "chunker_version": CHUNKER_VERSION}


@dataclass
class _Stored:
    ids: set = field(default_factory=set)
    hashes: set = field(default_factory=set)
    n_chunks: int = 0
    source: str = ""
    content_hash: str = ""

    def complete(self, doc_hash: str, doc_id: str) -> bool:
        return (self.hashes == {doc_hash}
                and self.ids == {f"{doc_id}#{i}" for i in range(self.n_chunks)})


def _stored_documents(col) -> dict[str, _Stored]:
    docs: dict[str, _Stored] = defaultdict(_Stored)
    for cid, _, meta in store.iter_records(col, with_text=False):
        d = docs[meta["doc_id"]]
        d.ids.add(cid)
        d.hashes.add(meta.get("doc_hash", ""))
        d.n_chunks = int(meta.get("n_chunks", 0))
        d.source = meta.get("source", "")
        d.content_hash = meta.get("content_hash", "")
    return dict(docs)


def _delete_leftovers(col, chunks: list[Chunk], stored: _Stored | None) -> int:
    """After a document's chunks are upserted, delete its ids that are gone; returns how many."""
    new_ids = {c.chunk_id for c in chunks}
    stale = sorted((stored.ids if stored else set()) - new_ids)
    store.delete_ids(col, stale)
    return len(stale)


def extracted_metadata(doc: Document) -> dict:
    """The title and reference fields a user document will be cited with."""
    src = doc.sources[0] if doc.sources else None
    return {"doc_id": doc.doc_id, "title": doc.title, "authors": src.authors if src else "",
            "date": doc.as_of, "outlet": src.outlet if src else "", "url": src.url if src else ""}


def run_ingest(settings: Settings, inputs: list[str] | None, embedder, *,
               progress: bool = True, corrections: Metadata | None = None) -> IngestReport:
    """Bring the index in line with the inputs; default input is the bundled knowledge base.
    `corrections` (from `kb ingest FILE --title ...`) override what is extracted from the file."""
    started = time.perf_counter()
    inputs = inputs or [str(BUNDLED_DOCUMENTS)]
    report = IngestReport()
    items, problems = discover(inputs)
    report.skipped += problems
    with writer_lock(settings.data_dir):
        col = store.open_collection(settings, create=True, expect=index_identity(embedder))
        dirty = store.index_version(col).startswith(WRITING)
        stored = _stored_documents(col)
        by_content = {d.content_hash: doc_id for doc_id, d in stored.items() if d.content_hash}
        seen: set[str] = set()
        pending: list[tuple[Document, list[Chunk]]] = []

        def flush() -> None:
            nonlocal dirty
            if not pending:
                return
            if not dirty:
                col.modify(metadata={**_plain_meta(col), "index_version": WRITING + "1"})
                dirty = True
            texts = [c.embed_text() for _, chunks in pending for c in chunks]
            spans = [_shift(c) for _, chunks in pending for c in chunks]
            vectors, sentence_vecs = [], []
            bar = tqdm(total=len(texts), desc="embedding", unit="chunk", disable=not progress,
                       leave=False)
            step = settings.embed_batch_size * 4
            for i in range(0, len(texts), step):
                v, s = embedder.embed_passages(texts[i:i + step], spans[i:i + step],
                                               batch_size=settings.embed_batch_size)
                vectors.extend(v)
                sentence_vecs.extend(s)
                bar.update(len(v))
            bar.close()
            # One upsert for all pending documents: each Chroma write commits to disk, and a
            # write per document cost as much as embedding them (see docs/benchmarks.md).
            store.upsert_chunks(col, [c for _, chunks in pending for c in chunks], vectors,
                                sentence_vecs, extras=[{"content_hash": doc.content_hash}
                                                       for doc, chunks in pending for _ in chunks])
            for doc, chunks in pending:
                report.chunks_removed += _delete_leftovers(col, chunks, stored.get(doc.doc_id))
                report.chunks_added += len(chunks)
            pending.clear()

        for item in tqdm(items, desc="documents", unit="doc", disable=not progress):
            report.read += 1
            try:
                doc, note = load_item(item, settings, corrections)
            except KBError as exc:
                report.skipped.append((item.location, _reason(exc, item)))
                continue
            if note:
                report.notes.append(note)
            if doc.origin == "user":
                report.extracted.append(extracted_metadata(doc))
            if doc.doc_id in seen:
                report.skipped.append((item.location, f"duplicate id {doc.doc_id!r} in this batch"))
                continue
            twin = by_content.get(doc.content_hash)
            if twin and twin != doc.doc_id and (twin in seen or _still_exists(stored.get(twin))):
                report.skipped.append((item.location, f"same content as {twin}; indexed once"))
                continue
            seen.add(doc.doc_id)
            by_content[doc.content_hash] = doc.doc_id
            previous = stored.get(doc.doc_id)
            doc_hash = document_hash(doc)
            if previous and previous.complete(doc_hash, doc.doc_id):
                report.unchanged += 1
                continue
            chunks = split_into_chunks(doc, embedder.count_tokens)
            (report.changed if previous else report.added).append(doc.doc_id)
            pending.append((doc, chunks))
            if sum(len(c) for _, c in pending) >= settings.embed_batch_size * 8:
                flush()
        flush()
        # Documents from a folder given now whose file has gone: delete their chunks.
        roots = [str(Path(i).resolve()) for i in inputs if Path(i).is_dir()]
        for doc_id, d in stored.items():
            if doc_id in seen or not d.source or d.source.startswith(("http://", "https://")):
                continue
            if any(d.source.startswith(r + "/") for r in roots) and not Path(d.source).exists():
                if not dirty:
                    col.modify(metadata={**_plain_meta(col), "index_version": WRITING + "1"})
                    dirty = True
                store.delete_ids(col, sorted(d.ids))
                report.removed.append(doc_id)
                report.chunks_removed += len(d.ids)
        if dirty:
            store.bump_version(col)
        report.chunks = col.count()
        report.documents = len(_stored_documents(col)) if report.chunks else 0
    report.seconds = time.perf_counter() - started
    return report


def _still_exists(stored) -> bool:
    if stored is None:
        return False
    return stored.source.startswith(("http://", "https://")) or Path(stored.source).exists()


def _plain_meta(col) -> dict:
    return {k: v for k, v in (col.metadata or {}).items() if not k.startswith("hnsw:")}


def _shift(chunk: Chunk) -> list[tuple[int, int]]:
    """Sentence spans moved into the embedded text (which starts with title > section)."""
    offset = len(chunk.embed_text()) - len(chunk.text)
    return [(s + offset, e + offset) for s, e in chunk.sentences]


def _reason(exc: KBError, item: Item) -> str:
    msg = str(exc)
    name = item.doc_id() if item.root else Path(item.location).name
    for prefix in (name + ": ", name + ", "):
        if msg.startswith(prefix):
            return msg.removeprefix(prefix)
    return msg
