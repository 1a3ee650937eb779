"""The serve lock: a running `kb serve` is the only writer of its on-disk (embedded) index.

Two processes on one embedded Chroma path are not supported by Chroma: a write from the second
is invisible to the first's in-memory vector index, and its reads then fail. So `kb serve` holds
an OS file lock in KB_DATA_DIR for its whole life (the kernel frees it if the process dies) and
writes its PID and port next to it; any other process that would write the index refuses, naming
both. The chat's own upload path writes in the serving process, which holds the lock.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from filelock import FileLock, Timeout

from kb.errors import IndexServedError

LOCK = "serve.lock"
HOLDER = "serve.lock.holder"
_held: dict[str, FileLock] = {}  # data dir -> the lock this process holds


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def holder(data_dir: Path) -> dict | None:
    """{"pid", "port", "host"} of the live process serving data_dir, or None.

    The holder note alone is not trusted: a killed server leaves it behind. The server is live
    when its PID is alive and the OS lock is still held by someone.
    """
    try:
        note = json.loads((Path(data_dir) / HOLDER).read_text())
        pid = int(note["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if pid == os.getpid():
        return note if str(Path(data_dir).resolve()) in _held else None
    if not _pid_alive(pid):
        return None
    probe = FileLock(str(Path(data_dir) / LOCK), timeout=0)
    try:
        probe.acquire()
    except Timeout:
        return note
    probe.release()
    return None


def served_message(data_dir: Path, note: dict) -> str:
    return (f"the index in {data_dir} (KB_DATA_DIR) is served by PID {note['pid']} on port "
            f"{note.get('port', '?')}; stop it, ingest through the chat (KB_ENABLE_UPLOAD=1), "
            "or use a Chroma server (KB_CHROMA_URL).")


def refuse_if_served_elsewhere(data_dir: Path) -> None:
    """Raise IndexServedError when another live process serves data_dir."""
    note = holder(data_dir)
    if note is not None and int(note["pid"]) != os.getpid():
        raise IndexServedError(served_message(data_dir, note))


def hold(data_dir: Path, port: int, host: str) -> None:
    """Take the serve lock for this process's lifetime; refuses if another process serves it."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(data_dir / LOCK), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        note = holder(data_dir) or {"pid": "unknown", "port": "?"}
        raise IndexServedError(served_message(data_dir, note)) from None
    (data_dir / HOLDER).write_text(json.dumps({"pid": os.getpid(), "port": port, "host": host}))
    _held[str(data_dir.resolve())] = lock


def release(data_dir: Path) -> None:
    lock = _held.pop(str(Path(data_dir).resolve()), None)
    if lock is not None:
        (Path(data_dir) / HOLDER).unlink(missing_ok=True)
        lock.release()
