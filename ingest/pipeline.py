"""run_ingest(settings, inputs) -> IngestReport: load, dedupe, chunk, flag, embed, upsert, prune."""

from __future__ import annotations

import dataclasses
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from tqdm import tqdm

from ingest.chunk import CHUNKER_VERSION, document_hash, split_into_chunks
from ingest.flag import flag_chunk
from ingest.load import Item, discover, load_item
from ingest.lock import writer_lock
from ingest.meta import Metadata
from ingest.report import IngestReport
from kb.config import BUNDLED_DOCUMENTS, Settings
from kb.errors import KBError
from kb.manifest import recorded_inputs, write_manifest
from kb.records import Chunk, Document
from kb.store import Index, StoredDocument
from kb.store_clients import set_aside, settle_aside

__all__ = ["IngestReport", "extracted_metadata", "index_identity", "run_ingest"]


def index_identity(embedder) -> dict:
    return {"embedding_model": embedder.name, "chunker_version": CHUNKER_VERSION}


def extracted_metadata(doc: Document) -> dict:
    """The title and reference fields a user document will be cited with."""
    src = doc.sources[0] if doc.sources else None
    return {"doc_id": doc.doc_id, "title": doc.title, "authors": src.authors if src else "",
            "date": doc.as_of, "outlet": src.outlet if src else "", "url": src.url if src else ""}


def _delete_leftovers(index: Index, chunks: list[Chunk], stored: StoredDocument | None) -> int:
    """After a document's chunks are upserted, delete its ids that are gone; returns how many."""
    new_ids = {c.chunk_id for c in chunks}
    stale = sorted((stored.ids if stored else set()) - new_ids)
    index.delete(stale)
    return len(stale)


class _Run:
    """One ingest into an open index: its pending batch, what is stored, and the report."""

    def __init__(self, settings: Settings, index: Index, embedder, report: IngestReport,
                 progress: bool, corrections: Metadata | None = None) -> None:
        self.settings, self.index, self.embedder = settings, index, embedder
        self.report, self.progress, self.corrections = report, progress, corrections
        self.stored = index.stored_documents()
        self.by_content = {d.content_hash: doc_id for doc_id, d in self.stored.items()
                           if d.content_hash}
        self.seen: set[str] = set()
        self.pending: list[tuple[Document, list[Chunk]]] = []
        self.dirty = index.is_writing
        # Chroma writes run on one background thread while the next batch embeds: a write
        # mostly waits on disk, and the model keeps both cores busy meanwhile.
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kb-ingest-write")
        self._writes: list[Future] = []

    def mark_dirty(self) -> None:
        if not self.dirty:
            self.index.begin_write()
            self.dirty = True

    def embed(self, chunks: list[Chunk]) -> tuple[list, list]:
        """Passage and sentence vectors for one batch, in one call: the embedder orders the
        whole batch by length, so its model batches pad as little as they can."""
        bar = tqdm(total=len(chunks), desc="embedding", unit="chunk", disable=not self.progress,
                   leave=False)
        vectors, sentence_vecs = self.embedder.embed_passages(
            [c.embed_text() for c in chunks], [_shift(c) for c in chunks],
            batch_size=self.settings.embed_batch_size)
        bar.update(len(chunks))
        bar.close()
        return vectors, sentence_vecs

    def flush(self) -> None:
        if not self.pending:
            return
        self.mark_dirty()
        batch, self.pending = self.pending, []
        chunks = [c for _, doc_chunks in batch for c in doc_chunks]
        vectors, sentence_vecs = self.embed(chunks)
        self._raise_failed_write()
        self._writes.append(self._writer.submit(self._write, batch, chunks, vectors,
                                                sentence_vecs))

    def _write(self, batch, chunks, vectors, sentence_vecs) -> None:
        # One upsert for all pending documents: each Chroma write commits to disk, and a
        # write per document cost as much as embedding them (see docs/benchmarks.md).
        self.index.upsert(chunks, vectors, sentence_vecs,
                          content_hashes={doc.doc_id: doc.content_hash for doc, _ in batch})
        for doc, doc_chunks in batch:
            self.report.chunks_removed += _delete_leftovers(self.index, doc_chunks,
                                                            self.stored.get(doc.doc_id))
            self.report.chunks_added += len(doc_chunks)

    def _raise_failed_write(self) -> None:
        for done in [f for f in self._writes if f.done()]:
            done.result()  # re-raises the write's error here, in the ingest's own thread

    def wait_for_writes(self, *, raise_errors: bool = True) -> None:
        """Every submitted write finished (the first error raised here); the writer stops."""
        self._writer.shutdown(wait=True)
        writes, self._writes = self._writes, []
        errors = [w.exception() for w in writes if w.exception() is not None]
        if errors and raise_errors:
            raise errors[0]

    def admit(self, item: Item) -> Document | None:
        """The item's document if it needs (re-)indexing; records why not in the report."""
        report = self.report
        report.read += 1
        try:
            doc, note = load_item(item, self.settings, self.corrections)
        except KBError as exc:
            report.skipped.append((item.location, _reason(exc, item)))
            return None
        if note:
            report.notes.append(note)
        if doc.origin == "user":
            report.extracted.append(extracted_metadata(doc))
        if doc.doc_id in self.seen:
            report.skipped.append((item.location, f"duplicate id {doc.doc_id!r} in this batch"))
            return None
        twin = self.by_content.get(doc.content_hash)
        if twin and twin != doc.doc_id and (twin in self.seen
                                            or _still_exists(self.stored.get(twin))):
            report.skipped.append((item.location, f"same content as {twin}; indexed once"))
            return None
        self.seen.add(doc.doc_id)
        self.by_content[doc.content_hash] = doc.doc_id
        previous = self.stored.get(doc.doc_id)
        if previous and previous.complete(document_hash(doc), doc.doc_id):
            report.unchanged += 1
            return None
        (report.changed if previous else report.added).append(doc.doc_id)
        return doc

    def add(self, doc: Document) -> None:
        chunks = []
        for chunk in split_into_chunks(doc, self.embedder.count_tokens):
            flagged = flag_chunk(chunk)
            self.report.flagged += [(chunk.chunk_id, chunk.text[slice(*chunk.sentences[i])])
                                    for i in flagged]
            chunks.append(dataclasses.replace(chunk, flagged_sentences=flagged))
        self.pending.append((doc, chunks))
        if sum(len(c) for _, c in self.pending) >= self.settings.embed_batch_size * 8:
            self.flush()

    def prune(self, inputs: list[str]) -> None:
        """Documents from a folder given now whose file has gone: delete their chunks."""
        roots = [str(Path(i).resolve()) for i in inputs if Path(i).is_dir()]
        for doc_id, d in self.stored.items():
            if doc_id in self.seen or not d.source or d.source.startswith(("http://", "https://")):
                continue
            if any(d.source.startswith(r + "/") for r in roots) and not Path(d.source).exists():
                self.mark_dirty()
                self.index.delete(sorted(d.ids))
                self.report.removed.append(doc_id)
                self.report.chunks_removed += len(d.ids)

    def finish(self, inputs: list[str]) -> None:
        version = self.index.publish() if self.dirty else self.index.version
        stored = self.index.stored_documents()
        self.report.chunks = self.index.count()
        self.report.documents = len(stored) if self.report.chunks else 0
        write_manifest(self.settings, version=version, identity=index_identity(self.embedder),
                       inputs=[_recordable(i) for i in inputs],
                       documents={doc_id: {"chunks": len(d.ids), "doc_hash": min(d.hashes),
                                           "source": d.source, "origin": d.origin}
                                  for doc_id, d in stored.items()})


def run_ingest(settings: Settings, inputs: list[str] | None, embedder, *,
               progress: bool = True, rebuild: bool = False,
               corrections: Metadata | None = None) -> IngestReport:
    """Bring the index in line with the inputs; default input is the bundled knowledge base.

    `corrections` (from `kb ingest FILE --title ...`) override what is extracted from the file.

    `rebuild`: set the current index aside and build a new one from the inputs recorded in the
    manifest (plus any given now); the old one is deleted once the new one is published.
    """
    started = time.perf_counter()
    if rebuild:
        inputs = list(dict.fromkeys(recorded_inputs(settings) + list(inputs or [])))
    inputs = inputs or [str(BUNDLED_DOCUMENTS)]
    report = IngestReport(rebuilt=rebuild)
    items, problems = discover(inputs)
    report.skipped += problems
    with writer_lock(settings.data_dir):
        aside = set_aside(settings) if rebuild else None
        index = Index.open(settings, create=True, expect=index_identity(embedder))
        run = _Run(settings, index, embedder, report, progress, corrections)
        try:
            for item in tqdm(items, desc="documents", unit="doc", disable=not progress):
                doc = run.admit(item)
                if doc is not None:
                    run.add(doc)
            run.flush()
        except BaseException:
            run.wait_for_writes(raise_errors=False)  # no write outlives the lock; the first
            raise                                     # error is the one reported
        run.wait_for_writes()
        run.prune(inputs)
        missing = {raw for raw, _ in problems}
        run.finish([i for i in inputs if i not in missing])
        settle_aside(aside)
    report.seconds = time.perf_counter() - started
    return report


def _recordable(raw: str) -> str:
    """An input as the manifest records it: URLs as given, paths made absolute."""
    return raw if raw.startswith(("http://", "https://")) else str(Path(raw).resolve())


def _still_exists(stored) -> bool:
    if stored is None:
        return False
    return stored.source.startswith(("http://", "https://")) or Path(stored.source).exists()


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
