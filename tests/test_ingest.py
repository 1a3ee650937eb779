"""Ingest pipeline on a real Chroma in temp dirs with the real model: incremental, bad input, limits."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import DATA

from ingest.chunk import MODEL_LIMIT
from ingest.pipeline import run_ingest
from kb.config import Settings
from kb.errors import ModelMismatchError
from kb.store import Index


def chunk_state(settings: Settings) -> dict[str, tuple[str, str]]:
    """chunk id -> (doc hash, text) for everything in the collection."""
    return {c.chunk_id: (c.doc_hash, c.text) for c in Index.open(settings).chunks()}


@pytest.fixture
def corpus(tmp_path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(DATA / "corpus", target)
    return target


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


def test_ingest_builds_labelled_chunks_within_the_model_limit(corpus, settings, embedder):
    report = run_ingest(settings, [str(corpus)], embedder, progress=False)
    assert (report.read, len(report.added), report.skipped) == (3, 3, [])
    chunks = Index.open(settings).chunks()
    assert {c.doc_id for c in chunks} == {"lumen-study", "harbor-costs",
                                         "nested/glacier-notes.txt"}
    for c in chunks:
        assert embedder.count_tokens(c.embed_text()) <= MODEL_LIMIT
        assert c.sentences and all(0 <= s < e <= len(c.text) for s, e in c.sentences)
        assert c.chunk_id == f"{c.doc_id}#{c.n}"
    lumen = [c for c in chunks if c.doc_id == "lumen-study"]
    assert {c.section for c in lumen} == {"Design", "Results", "Limitations"}
    first = lumen[0]
    assert first.topics == ("efficacy",) and first.populations == ("veterans",)
    assert first.evidence_type == "rct" and first.as_of == "2025-01-15"
    assert first.sources[0].doi == "10.0000/fixture.lumen"
    source_text = (corpus / "lumen-study.md").read_text()
    assert all(c.text in source_text for c in lumen)
    meta = Index.open(settings).metadata
    assert meta["embedding_model"] == embedder.name
    assert meta["chunker_version"]


def test_second_run_reembeds_nothing_and_a_change_replaces_exactly(corpus, settings, embedder):
    run_ingest(settings, [str(corpus)], embedder, progress=False)
    before = chunk_state(settings)
    again = run_ingest(settings, [str(corpus)], embedder, progress=False)
    assert (again.unchanged, again.chunks_added, again.chunks_removed) == (3, 0, 0)
    assert chunk_state(settings) == before

    doc = corpus / "harbor-costs.md"
    doc.write_text(doc.read_text().replace("## Insurance\n", "## Insurance\n\nA new first line "
                                           "about insurance appears here.\n"))
    changed = run_ingest(settings, [str(corpus)], embedder, progress=False)
    assert changed.changed == ["harbor-costs"] and changed.unchanged == 2
    after = chunk_state(settings)
    assert {k: v for k, v in after.items() if not k.startswith("harbor-costs#")} == \
        {k: v for k, v in before.items() if not k.startswith("harbor-costs#")}
    harbor = {k: v for k, v in after.items() if k.startswith("harbor-costs#")}
    assert len({h for h, _ in harbor.values()}) == 1  # no stale chunk of the old version
    assert any("A new first line" in t for _, t in harbor.values())


def test_removed_file_is_deleted_and_twins_are_indexed_once(corpus, settings, embedder):
    shutil.copy(corpus / "nested" / "glacier-notes.txt", corpus / "glacier-copy.txt")
    report = run_ingest(settings, [str(corpus)], embedder, progress=False)
    assert len(report.added) == 3
    assert report.skipped == [(str(corpus / "nested" / "glacier-notes.txt"),
                               "same content as glacier-copy.txt; indexed once")] or \
        report.skipped == [(str(corpus / "glacier-copy.txt"),
                            "same content as nested/glacier-notes.txt; indexed once")]
    (corpus / "lumen-study.md").unlink()
    pruned = run_ingest(settings, [str(corpus)], embedder, progress=False)
    assert pruned.removed == ["lumen-study"]
    assert not any(k.startswith("lumen-study#") for k in chunk_state(settings))


def _make_pdf(path: Path, pages: list[str], password: str | None = None) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    pdf.output(str(path))
    if password:
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(str(path)))
        writer.encrypt(user_password=password, owner_password=password)
        with open(path, "wb") as fh:
            writer.write(fh)


def test_bad_inputs_are_reported_and_the_rest_is_ingested(tmp_path, settings, embedder):
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "good.txt").write_text("A perfectly ordinary note about clinic opening hours "
                                    "on weekdays and weekends.")
    (batch / "empty.txt").write_text("")
    (batch / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (batch / "windows.txt").write_bytes("Caf\u00e9 notes: the caf\u00e9 opens at nine for "
                                        "every visitor.".encode("cp1252"))
    (batch / "utf16.txt").write_bytes("Notes saved by an old editor in UTF-16 with a "
                                      "byte order mark.".encode("utf-16"))
    (batch / "corrupt.pdf").write_bytes(b"%PDF-1.7\n garbage that is not a pdf at all")
    _make_pdf(batch / "locked.pdf", ["Secret page text that nobody can read."], "hunter2")
    _make_pdf(batch / "paper.pdf", ["Page one talks about the Nimbus survey of 12 towns.",
                                    "Page two reports the Nimbus survey found 7 libraries."])
    (batch / "big.txt").write_text("word " * 300_000)
    (batch / "image.png").write_bytes(b"\x89PNG\r\n")  # not a supported type: not even read
    small = settings.model_copy(update={"max_file_mb": 1.0})

    report = run_ingest(small, [str(batch)], embedder, progress=False)
    reasons = dict(report.skipped)
    by_name = {Path(k).name: v for k, v in reasons.items()}
    assert by_name == {
        "empty.txt": "empty file",
        "binary.txt": "binary file (NUL bytes); not text",
        "corrupt.pdf": by_name["corrupt.pdf"],
        "locked.pdf": "encrypted PDF (password protected); save an unprotected copy and "
                      "ingest that",
        "big.txt": "1.4 MB is over the 1 MB limit (KB_MAX_FILE_MB)",
    }
    assert by_name["corrupt.pdf"].startswith("corrupt or unreadable PDF")
    assert sorted(report.added) == ["good.txt", "paper.pdf", "utf16.txt", "windows.txt"]
    assert any("windows.txt" in n and "Windows-1252" in n for n in report.notes)
    chunks = Index.open(small).chunks()
    cafe = [c for c in chunks if c.doc_id == "windows.txt"]
    assert "café opens at nine" in cafe[0].text
    pages = sorted({c.page for c in chunks if c.doc_id == "paper.pdf"})
    assert pages == [1, 2]
    page_two = [c for c in chunks if c.doc_id == "paper.pdf" and "7 libraries" in c.text]
    assert [c.page for c in page_two] == [2] and page_two[0].section == "page 2"


def test_pdf_pages_are_kept_for_citations(tmp_path, settings, embedder):
    long_page = " ".join(f"Sentence {i} about the first page of the report." for i in range(60))
    _make_pdf(tmp_path / "report.pdf", [long_page, "The second page names the Orion archive."])
    run_ingest(settings, [str(tmp_path / "report.pdf")], embedder, progress=False)
    chunks = Index.open(settings).chunks()
    orion = [c for c in chunks if "Orion archive" in c.text]
    assert orion and orion[-1].page == 2
    assert chunks[0].page == 1


def test_bad_input_never_damages_the_stored_index(corpus, settings, embedder, tmp_path):
    run_ingest(settings, [str(corpus)], embedder, progress=False)
    before = chunk_state(settings)
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: [unclosed\n---\nBody text that is long enough to index.\n")
    report = run_ingest(settings, [str(bad)], embedder, progress=False)
    [(item, reason)] = report.skipped
    assert item == str(bad)
    assert reason.startswith("line 2: front matter is not valid YAML (")
    assert reason.endswith("fix the YAML between the --- lines.")
    assert chunk_state(settings) == before


def test_another_model_is_refused_with_reindex_required(corpus, settings, embedder):
    run_ingest(settings, [str(corpus)], embedder, progress=False)
    import chromadb  # the test relabels the collection behind the Index's back

    col = chromadb.PersistentClient(path=str(settings.chroma_path)).get_collection(
        settings.collection)
    meta = {k: v for k, v in col.metadata.items() if not k.startswith("hnsw:")}
    col.modify(metadata={**meta, "embedding_model": "some-other-model"})
    with pytest.raises(ModelMismatchError, match="re-index required"):
        run_ingest(settings, [str(corpus)], embedder, progress=False)
    with pytest.raises(ModelMismatchError, match=r"Run `kb ingest --rebuild` to rebuild it"):
        Index.open(settings, expect={"embedding_model": embedder.name})
    # what the message says to do works: the rebuild replaces the mislabelled index
    rebuilt = run_ingest(settings, [], embedder, progress=False, rebuild=True)
    assert rebuilt.rebuilt
    index = Index.open(settings, expect={"embedding_model": embedder.name})
    assert index.count() == rebuilt.chunks > 0
    assert index.metadata["embedding_model"] == embedder.name


def test_a_source_link_that_is_not_http_is_refused(tmp_path, settings, embedder):
    doc = tmp_path / "sneaky.md"
    doc.write_text("---\ntitle: Sneaky\nsources:\n  - title: A paper\n    url: \"javascript:alert(1)\"\n"
                   "---\n\n## Body\nA body long enough to be indexed if it were allowed in.\n")
    report = run_ingest(settings, [str(doc)], embedder, progress=False)
    assert report.skipped == [(str(doc), "source 1 url must start with http:// or https://")]


def test_an_edit_to_front_matter_aliases_alone_re_ingests_that_document(corpus, settings,
                                                                         embedder):
    run_ingest(settings, [str(corpus)], embedder, progress=False)
    doc = corpus / "lumen-study.md"
    doc.write_text(doc.read_text().replace("as_of: 2025-01-15\n",
                                           "as_of: 2025-01-15\naliases: [the Lumen trial]\n"))
    changed = run_ingest(settings, [str(corpus)], embedder, progress=False)
    assert changed.changed == ["lumen-study"] and changed.unchanged == 2
    lumen = [c for c in Index.open(settings).chunks() if c.doc_id == "lumen-study"]
    assert lumen and all(c.aliases == ("the Lumen trial",) for c in lumen)


def test_a_failed_background_write_is_raised_and_the_next_ingest_repairs(corpus, settings,
                                                                          embedder, monkeypatch):
    """Chroma writes run on a writer thread while the next batch embeds; a write that fails
    there is raised by run_ingest itself (the store's own error, nothing swallowed), no writer
    thread outlives the call, and the next ingest finishes the job."""
    import threading

    from kb.errors import StoreUnavailableError

    run_ingest(settings, [str(corpus)], embedder, progress=False)
    doc = corpus / "harbor-costs.md"
    doc.write_text(doc.read_text().replace("## Insurance\n", "## Insurance\n\nA changed line "
                                           "about insurance appears here.\n"))

    def failing_upsert(self, *args, **kwargs):
        raise StoreUnavailableError("disk full (injected)")

    with monkeypatch.context() as patch:
        patch.setattr(Index, "upsert", failing_upsert)
        with pytest.raises(StoreUnavailableError, match="disk full"):
            run_ingest(settings, [str(corpus)], embedder, progress=False)
    assert not [t for t in threading.enumerate() if t.name.startswith("kb-ingest-write")]
    assert Index.open(settings).is_writing  # readers can tell the index is half-written
    repaired = run_ingest(settings, [str(corpus)], embedder, progress=False)
    assert repaired.changed == ["harbor-costs"]
    assert not Index.open(settings).is_writing
    assert any("A changed line" in t for _, t in chunk_state(settings).values())
