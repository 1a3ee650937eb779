"""One writer per on-disk index: an OS file lock (freed by the kernel if the holder dies)."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import sys
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from kb.errors import IndexLockedError


@contextmanager
def writer_lock(data_dir: Path):
    """Hold the ingest lock for data_dir; a lock left by a killed process is simply taken over."""
    data_dir.mkdir(parents=True, exist_ok=True)
    holder_file = data_dir / "ingest.lock.holder"
    lock = FileLock(str(data_dir / "ingest.lock"), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        try:
            holder = json.loads(holder_file.read_text())
            who = (f"pid {holder['pid']} on {holder['host']}, started {holder['started']}: "
                   f"{holder['command']}")
        except (OSError, ValueError, KeyError):
            who = "another process"
        raise IndexLockedError(f"the index in {data_dir} is being written by {who}. Wait for it "
                               "to finish, then run this again.") from None
    try:
        holder_file.write_text(json.dumps({
            "pid": os.getpid(), "host": socket.gethostname(),
            "started": dt.datetime.now().isoformat(timespec="seconds"),
            "command": " ".join(os.path.basename(a) if i == 0 else a
                                for i, a in enumerate(sys.argv))[:300],
        }))
        yield
    finally:
        holder_file.unlink(missing_ok=True)
        lock.release()
