"""The kept test index is rebuilt whenever anything an ingest reads changes (tests/index_cache.py)."""

from __future__ import annotations

from conftest import ROOT
from index_cache import DOCUMENTS, digest, key_files


def test_the_key_covers_ingest_code_and_every_document_but_not_answer_code():
    files = set(key_files())
    for needed in ("ingest/pipeline.py", "ingest/chunk.py", "kb/store.py", "kb/embed.py",
                   "kb/front_matter.py", "kb/__init__.py", "tests/index_cache.py"):
        assert ROOT / needed in files, needed
    assert {p for p in DOCUMENTS.rglob("*.md")} <= files
    # Editing how answers are composed or shown does not throw the index away.
    assert not files & {ROOT / "kb" / "compose.py", ROOT / "kb" / "answer.py", ROOT / "app" / "ui.py"}


def test_one_changed_byte_or_version_changes_the_key(tmp_path):
    a, b = tmp_path / "a.md", tmp_path / "b.py"
    a.write_text("MAPP1 enrolled 90 participants.")
    b.write_text("x = 1\n")
    key = digest([a, b], ["chromadb==1.5.9"])
    assert digest([a, b], ["chromadb==1.5.9"]) == key
    assert digest([a, b], ["chromadb==1.6.0"]) != key
    a.write_text("MAPP1 enrolled 91 participants.")
    assert digest([a, b], ["chromadb==1.5.9"]) != key
