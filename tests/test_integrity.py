"""Damaged, half-written and mismatched indexes: one line naming the fix; `--rebuild` restores."""

from __future__ import annotations

import json
import os
import shutil

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import DATA, ROOT

from app.cli import cli
from ingest.pipeline import run_ingest
from kb.config import Settings
from kb.manifest import read_manifest
from kb.store import Index

BUNDLED = len([p for p in (ROOT / "kb" / "documents").glob("*.md") if p.name != "README.md"])
QUESTIONS = [
    "Does insurance cover MDMA-assisted therapy?",
    "What did the MAPP2 trial find?",
    "Why is MDMA a Schedule I drug?",
    "What adverse events were seen in the phase 3 trials?",
    "How can social workers support clients interested in MDMA-assisted therapy?",
    "Why did the FDA not approve MDMA-assisted therapy in 2024?",
]


def run(data_dir, *args, **env):
    return CliRunner().invoke(cli, list(args), env={"KB_DATA_DIR": str(data_dir), **env},
                              catch_exceptions=False)


def _damage(chroma, kind: str) -> None:
    sqlite = chroma / "chroma.sqlite3"
    if kind == "truncated":
        os.truncate(sqlite, sqlite.stat().st_size // 2)
    elif kind == "emptied":
        os.truncate(sqlite, 0)
    else:
        sqlite.unlink()


@pytest.mark.parametrize("kind", ["truncated", "emptied", "deleted"])
def test_a_damaged_sqlite_file_gets_one_line_naming_the_fix(kb_index, tmp_path, kind):
    data_dir = tmp_path / f"damaged-{kind}"  # a path this process has never opened
    shutil.copytree(kb_index, data_dir)
    _damage(data_dir / "chroma", kind)
    for args in (["stats"], ["stats", "--check"], ["ask", "What did MAPP1 find?"],
                 ["ingest", "-q"]):
        result = run(data_dir, *args)
        assert result.exit_code == 1, (args, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1, (args, result.output)
        assert lines[0].startswith(f"Error: the index at {data_dir / 'chroma'} is damaged (")
        assert lines[0].endswith("run `kb ingest --rebuild` to rebuild it from the sources "
                                 "recorded in its manifest.")
        assert "unexpected" not in lines[0]


@pytest.mark.slow  # re-embeds the whole bundled KB
def test_rebuild_restores_answers_identical_to_a_clean_build(kb_copy, embedder):
    from kb.assistant import build_assistant

    golden = [build_assistant(kb_copy, embedder).ask(q).to_dict() for q in QUESTIONS]
    _damage(kb_copy.chroma_path, "truncated")
    result = run(kb_copy.data_dir, "ingest", "-q", "--rebuild")
    assert result.exit_code == 0, result.output
    assert "rebuilt from the manifest" in result.output and f"added {BUNDLED}," in result.output
    assert not (kb_copy.data_dir / "chroma.before-rebuild").exists()
    rebuilt = build_assistant(kb_copy, embedder)
    for want, question in zip(golden, QUESTIONS, strict=True):
        got = rebuilt.ask(question).to_dict()
        assert got["answer"] == want["answer"], question
        assert got["citations"] == want["citations"], question
    check = run(kb_copy.data_dir, "stats", "--check")
    assert check.exit_code == 0 and f"integrity: ok ({BUNDLED} documents" in check.output


def test_stats_check_passes_on_a_clean_index_and_names_disagreement(kb_copy, embedder,
                                                                    tmp_path):
    clean = run(kb_copy.data_dir, "stats", "--check", "--json")
    assert clean.exit_code == 0, clean.output
    assert json.loads(clean.output)["integrity"] == {"ok": True, "problems": [], "fix": ""}
    index = Index.open(kb_copy)
    assert index.check(embedder.dim).ok
    # A document the manifest does not know, and a vector of another model's dimension.
    corpus = tmp_path / "corpus"
    shutil.copytree(DATA / "corpus", corpus)
    manifest = read_manifest(kb_copy)
    run_ingest(kb_copy, [str(corpus)], embedder, progress=False)
    path = kb_copy.data_dir / "manifests" / "kb_chunks.json"
    path.write_text(json.dumps({**manifest, "index_version": Index.open(kb_copy).version}))
    report = Index.open(kb_copy).check(embedder.dim)
    assert not report.ok
    assert report.problems[0].startswith("3 document(s) in the index are not in ")
    wrong_dim = Index.open(kb_copy).check(embedder.dim + 1)
    assert wrong_dim.problems[-1] == (f"stored vectors have {embedder.dim} dimensions, the model "
                                      f"gives {embedder.dim + 1}")
    failed = run(kb_copy.data_dir, "stats", "--check")
    assert failed.exit_code == 1
    assert failed.output.strip().endswith(
        "Error: the index has 1 integrity problem(s); `kb ingest` finishes an interrupted "
        "ingest; `kb ingest --rebuild` rebuilds the index from the sources recorded in its "
        "manifest.")


def test_stats_warns_on_a_half_written_index(kb_copy):
    Index.open(kb_copy, create=True).begin_write()  # what a killed ingest leaves
    result = CliRunner().invoke(cli, ["stats"], env={"KB_DATA_DIR": str(kb_copy.data_dir)})
    assert result.exit_code == 0
    assert ("Warning: the index is half-written (an ingest was interrupted): the counts above "
            "are partial. Run `kb ingest` to finish it.") in result.output
    checked = run(kb_copy.data_dir, "stats", "--check")
    assert checked.exit_code == 1
    assert "the index is half-written: an ingest was interrupted" in checked.output
    assert json.loads(run(kb_copy.data_dir, "stats", "--json").stdout)["half_written"] is True


def test_stats_under_the_wrong_embedding_backend_exits_non_zero(kb_copy):
    result = run(kb_copy.data_dir, "stats", KB_EMBED_BACKEND="onnx-int8")
    assert result.exit_code == 1
    assert result.output.strip().startswith(
        f"Error: re-index required: the index at {kb_copy.chroma_path.resolve()} was built with "
        "embedding_model='sentence-transformers/all-MiniLM-L6-v2', this version uses "
        "'sentence-transformers/all-MiniLM-L6-v2+onnx-int8'.")


def test_a_sampled_vector_finds_its_own_chunk(kb_index, embedder):
    index = Index.open(Settings(data_dir=kb_index))
    chunks, vectors, blocks = index.view_columns(embedder.dim)
    sentences = [v for block in blocks for v in block]
    assert vectors.shape == (len(chunks), embedder.dim) and vectors.dtype == np.float32
    assert len(sentences) == len(chunks) and all(s.shape[1] == embedder.dim for s in sentences)
    assert all(s.dtype == np.float16 for s in sentences)  # as stored: no float32 copy held
    again = index.sentence_vectors([chunks[7].chunk_id], embedder.dim)[chunks[7].chunk_id]
    assert np.array_equal(again, sentences[7].astype(np.float32))
    assert index.view_columns(embedder.dim, sentences=False)[2] is None
    ids, cosines = index.query(vectors[7], 3)
    assert ids[0] == chunks[7].chunk_id and cosines[0] == pytest.approx(1.0, abs=1e-4)
    got = index.get([ids[1], "no-such#0", ids[0]])
    assert [g.chunk.chunk_id for g in got] == [ids[1], ids[0]]
    assert np.allclose(got[1].vector, vectors[7], atol=1e-5)
