"""Crash safety and the writer lock, with real subprocesses killed by SIGKILL."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT
from test_ingest import chunk_state

from ingest.lock import writer_lock
from ingest.pipeline import run_ingest
from kb.config import Settings
from kb.errors import IndexLockedError
from kb.retrieve import Retriever
from kb.store import Index

pytestmark = pytest.mark.slow  # real processes killed mid-ingest


def _env(data_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
    env.update(KB_DATA_DIR=str(data_dir), HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False")
    return env


def _wait_for(path: Path, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else "process ended"
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.02)


def test_kill_9_during_ingest_then_rerun_gives_the_clean_chunk_set(kb_index, embedder, tmp_path):
    clean = chunk_state(Settings(data_dir=kb_index))
    rng = random.Random(20261122)
    killed_mid_write = 0
    for trial in range(3):
        data_dir = tmp_path / f"trial{trial}"
        proc = subprocess.Popen([sys.executable, "-m", "app", "ingest", "-q"], cwd=ROOT,
                                env=_env(data_dir), stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        try:
            _wait_for(data_dir / "ingest.lock.holder", proc)  # the lock is taken: writing starts
            time.sleep(rng.uniform(0.2, 4.0))
            proc.send_signal(signal.SIGKILL)
        finally:
            proc.wait(timeout=60)
        killed_mid_write += proc.returncode == -signal.SIGKILL
        settings = Settings(data_dir=data_dir)
        rerun = run_ingest(settings, None, embedder, progress=False)
        assert not rerun.skipped
        after = chunk_state(settings)
        assert after == clean, f"trial {trial}: chunk set differs from a clean run"
        retriever = Retriever(Index.open(settings), embedder)
        retriever.refresh(force=True)
        assert sorted(c.chunk_id for c in retriever.chunks) == sorted(clean)
        assert not Index.open(settings).version.startswith("writing-")
    assert killed_mid_write >= 2, "the ingest finished before most kills: the test proved little"


def test_second_writer_is_refused_naming_the_holder_and_a_stale_lock_is_recovered(
        tmp_path, embedder):
    data_dir = tmp_path / "data"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from ingest.lock import writer_lock\n"
         "with writer_lock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(120)",
         str(data_dir)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(IndexLockedError) as err:
            run_ingest(Settings(data_dir=data_dir), None, embedder, progress=False)
        message = str(err.value)
        assert f"pid {holder.pid} on " in message
        assert "Wait for it to finish, then run this again." in message
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    # The killed holder left its note behind; the OS freed the lock, so this just works.
    assert (data_dir / "ingest.lock.holder").exists()
    with writer_lock(data_dir):
        pass
    assert not (data_dir / "ingest.lock.holder").exists()
