"""Scale-out: replicas sharing one real `chroma run` server see a new ingest without a restart."""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import pytest
from conftest import ROOT

from bench import processes, serving
from kb.config import Settings

pytestmark = pytest.mark.slow  # a real `chroma run` and `kb serve` replicas

CHROMA = Path(sys.executable).parent / "chroma"
ENV = {"HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False", "TOKENIZERS_PARALLELISM": "false"}


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    """A real `chroma run` on 127.0.0.1:<free port>, stopped after the module's tests."""
    if not CHROMA.exists():
        pytest.fail(f"{CHROMA} is missing; it comes with the chromadb package (make install)")
    port = processes.free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    argv = [str(CHROMA), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)]
    with processes.running(argv, env={**os.environ, **ENV},
                           log=path.parent / f"{path.name}.log") as proc:
        url = f"http://127.0.0.1:{port}"
        processes.wait_until_up(f"{url}/api/v2/heartbeat", proc, what="chroma run")
        yield url


@pytest.fixture(scope="module")
def shared_index(chroma_url, tmp_path_factory, embedder) -> str:
    """The bundled knowledge base ingested into the server once for the module."""
    from ingest.pipeline import run_ingest

    settings = Settings(chroma_url=chroma_url, data_dir=tmp_path_factory.mktemp("ingester"))
    report = run_ingest(settings, None, embedder, progress=False)
    assert report.ingested >= 24 and not report.skipped, report.summary()
    return chroma_url


def _replica(chroma_url: str, data_dir: Path, embedder):
    from kb.assistant import build_assistant

    settings = Settings(chroma_url=chroma_url, data_dir=data_dir, index_check_s=0)
    return build_assistant(settings, embedder)


def _write_fact(folder: Path, name: str, clinic: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.md"
    path.write_text(
        f"---\ntitle: The {clinic} Clinic pilot programme\n---\n\n"
        f"# The {clinic} Clinic pilot programme\n\n"
        f"The {clinic} Clinic in Harbor Valley opened a pilot programme of MDMA-assisted "
        "therapy for veterans with PTSD. The pilot offers three preparatory sessions, three "
        "medication sessions and nine integration sessions to each participant. Places are "
        "funded by a regional veterans' charity, so participants pay nothing for treatment.\n",
        encoding="utf-8")
    return path


def _cli_ingest(path: Path, chroma_url: str, data_dir: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
    env.update(ENV, KB_CHROMA_URL=chroma_url, KB_DATA_DIR=str(data_dir))
    return subprocess.run([sys.executable, "-m", "app", "ingest", "--quiet", str(path)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=600)


def test_two_replicas_find_a_document_ingested_through_the_cli(shared_index, tmp_path, embedder):
    """Two Assistants on one Chroma server; a CLI ingest elsewhere reaches both, BM25 included."""
    replicas = [_replica(shared_index, tmp_path / f"replica{i}", embedder) for i in (1, 2)]
    question = "Does insurance cover MDMA-assisted therapy?"
    answers = [r.ask(question) for r in replicas]
    assert all(not a.abstained and a.citations for a in answers)
    assert [c.chunk_id for c in answers[0].citations] == \
        [c.chunk_id for c in answers[1].citations]
    versions = {r.retriever.version for r in replicas}

    doc = _write_fact(tmp_path / "new", "quillfeather-pilot", "Quillfeather")
    done = _cli_ingest(doc, shared_index, tmp_path / "cli")
    assert done.returncode == 0, done.stderr
    assert "added 1" in done.stdout

    for r in replicas:
        lexical = r.retriever.search("Quillfeather", 5, mode="bm25")
        assert lexical and lexical[0].chunk.doc_id == "quillfeather-pilot.md"
        dense = r.retriever.search(
            "Which Harbor Valley clinic, Quillfeather, runs an MDMA therapy pilot for veterans?", 5,
            mode="dense")
        assert dense[0].chunk.doc_id == "quillfeather-pilot.md"
        answer = r.ask("What does the Quillfeather Clinic pilot offer veterans?")
        assert not answer.abstained
        assert any(c.doc_id == "quillfeather-pilot.md" for c in answer.citations)
    assert {r.retriever.version for r in replicas} != versions  # both rebuilt their BM25 view
    assert replicas[0].retriever.version == replicas[1].retriever.version


def test_a_lagging_replica_answers_from_one_version_until_its_next_check(shared_index, tmp_path,
                                                                          embedder):
    """Between index checks a replica serves the version it holds in memory, whole (an ask makes
    no Chroma call but the optional HNSW query); at its next check it moves to the new one."""
    from ingest.pipeline import run_ingest

    folder = tmp_path / "docs"
    doc = _write_fact(folder, "marrowby-pilot", "Marrowby")
    writer = Settings(chroma_url=shared_index, data_dir=tmp_path / "writer")
    assert run_ingest(writer, [str(folder)], embedder, progress=False).chunks_added >= 1
    lagging = _replica(shared_index, tmp_path / "lagging", embedder)
    assert lagging.retriever.search("Marrowby", 5, mode="bm25")[0].chunk.doc_id \
        == "marrowby-pilot.md"
    old_version = lagging.retriever.version
    lagging.retriever.check_every_s = 3600  # it will not look for a new version now
    doc.unlink()
    report = run_ingest(writer, [str(folder)], embedder, progress=False)
    assert report.removed == ["marrowby-pilot.md"]
    stale = lagging.retriever.search("Marrowby", 5)
    assert lagging.retriever.version == old_version
    assert {h.chunk.chunk_id for h in stale} <= {c.chunk_id for c in lagging.retriever.chunks}
    lagging.retriever.check_every_s = 0  # its check is due
    hits = lagging.retriever.search("Marrowby", 5, mode="bm25")
    assert lagging.retriever.version != old_version
    assert all(h.chunk.doc_id != "marrowby-pilot.md" for h in hits)


def test_two_kb_serve_replicas_answer_from_a_new_ingest(shared_index, tmp_path):
    """Two real `kb serve` processes on one Chroma server, asked through gradio_client."""
    from gradio_client import Client

    env = {"KB_CHROMA_URL": shared_index, "KB_INDEX_CHECK_S": "0"}
    with ExitStack() as stack:
        servers = [stack.enter_context(serving.running_server(
            tmp_path / f"serve{i}", env, tmp_path / f"serve{i}.log")) for i in (0, 1)]
        urls = [url for _, url, _ in servers]
        for proc, url, _ in servers:
            serving.wait_until_up(proc, url, timeout_s=240)
        clients = [Client(u, verbose=False, download_files=False) for u in urls]
        question = "What does the Wrenhollow Clinic pilot offer veterans?"
        before = [c.predict(question, "all", "all", [], api_name="/ask") for c in clients]
        assert all(not any(x["doc_id"] == "wrenhollow-pilot.md" for x in b["citations"])
                   for b in before)

        doc = _write_fact(tmp_path / "new", "wrenhollow-pilot", "Wrenhollow")
        done = _cli_ingest(doc, shared_index, tmp_path / "cli")
        assert done.returncode == 0, done.stderr

        for client in clients:
            reply = client.predict(question, "all", "all", [], api_name="/ask")
            assert reply["question"] == question and not reply["abstained"]
            assert any(c["doc_id"] == "wrenhollow-pilot.md" for c in reply["citations"])
