"""One writer per on-disk index: a real `kb serve` and a real CLI `kb ingest` on one data dir.

Two processes on one embedded Chroma path are unsupported by Chroma (the server's in-memory
vector index never sees the other's rows). So the serving process is the only writer: the CLI
refuses, naming the server's PID and port, and the chat keeps answering. A second `kb serve` on
the same data dir refuses the same way. The stale note of a killed server is ignored.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, ROOT

from bench import processes, serving
from ingest.pipeline import run_ingest
from kb import serve_lock
from kb.config import Settings
from kb.errors import IndexServedError

pytestmark = pytest.mark.slow

QUESTION = "Does insurance cover MDMA-assisted therapy?"
BUNDLED = len([p for p in (ROOT / "kb" / "documents").glob("*.md") if p.name != "README.md"])


def _cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT,
                          env=serving.server_env(data_dir), capture_output=True, text=True,
                          timeout=600)


def _served_message(data_dir: Path, pid: int, port: int) -> str:
    return (f"Error: the index in {data_dir} (KB_DATA_DIR) is served by PID {pid} on port "
            f"{port}; stop it, ingest through the chat (KB_ENABLE_UPLOAD=1), or use a Chroma "
            "server (KB_CHROMA_URL).")


def test_cli_ingest_and_a_second_serve_refuse_while_the_chat_serves_and_it_keeps_answering(
        kb_index, tmp_path):
    from gradio_client import Client

    data_dir = tmp_path / "served"
    shutil.copytree(kb_index, data_dir)
    corpus = tmp_path / "corpus"
    shutil.copytree(DATA / "corpus", corpus)
    with serving.running_server(data_dir, None, tmp_path / "serve.log") as (proc, url, _):
        serving.wait_until_up(proc, url, timeout_s=240)
        port = int(url.rsplit(":", 1)[1].strip("/"))
        client = Client(url, verbose=False, download_files=False)
        before = client.predict(QUESTION, "all", "all", [], api_name="/ask")
        assert not before["abstained"] and before["citations"]

        refused = _cli(data_dir, "ingest", "-q", str(corpus))
        assert refused.returncode == 1
        assert refused.stderr.strip() == _served_message(data_dir, proc.pid, port)
        assert "unexpected" not in refused.stderr

        second_port = processes.free_port()
        second = _cli(data_dir, "serve", "--port", str(second_port))
        assert second.returncode == 1
        assert second.stderr.strip() == _served_message(data_dir, proc.pid, port)

        # Reading is fine, and nothing changed: the chat answers as before.
        stats = json.loads(_cli(data_dir, "stats", "--json").stdout)
        assert stats["documents"] == BUNDLED and not stats["half_written"]
        after = client.predict(QUESTION, "all", "all", [], api_name="/ask")
        assert after["answer"] == before["answer"]
        lumen = client.predict("How many participants did the Lumen study enroll?", "all", "all",
                               [], api_name="/ask")
        assert not any(c["doc_id"] == "lumen-study" for c in lumen["citations"])
    # Once the server has stopped, the same ingest goes through.
    done = _cli(data_dir, "ingest", "-q", str(corpus))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("read 3, unchanged 0, added 3")


def test_a_killed_servers_note_does_not_block_writers(kb_index, tmp_path, embedder):
    """The OS frees a dead server's lock; its PID note alone blocks nobody."""
    data_dir = tmp_path / "data"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from kb import serve_lock\n"
         "serve_lock.hold(Path(sys.argv[1]), 7777, '127.0.0.1'); print('held', flush=True)\n"
         "time.sleep(120)", str(data_dir)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert serve_lock.holder(data_dir)["pid"] == holder.pid
        with pytest.raises(IndexServedError) as err:
            run_ingest(Settings(data_dir=data_dir), None, embedder, progress=False)
        assert f"served by PID {holder.pid} on port 7777" in str(err.value)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    assert (data_dir / serve_lock.HOLDER).exists()  # the note is left behind...
    assert serve_lock.holder(data_dir) is None  # ...but nobody holds the lock
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "note.txt").write_text("A short note about weekend clinic hours for the pilot.")
    assert run_ingest(Settings(data_dir=data_dir), [str(folder)], embedder,
                      progress=False).added == ["note.txt"]


def test_the_serving_process_itself_may_write(tmp_path, embedder):
    """The chat's upload path ingests inside the serving process, which holds the lock."""
    data_dir = tmp_path / "data"
    serve_lock.hold(data_dir, 7860, "127.0.0.1")
    try:
        assert serve_lock.holder(data_dir)["pid"] == os.getpid()
        folder = tmp_path / "docs"
        folder.mkdir()
        (folder / "note.txt").write_text("A short note about weekend clinic hours for the pilot.")
        report = run_ingest(Settings(data_dir=data_dir), [str(folder)], embedder, progress=False)
        assert report.added == ["note.txt"]
    finally:
        serve_lock.release(data_dir)
    assert not (data_dir / serve_lock.HOLDER).exists()
