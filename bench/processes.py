"""Servers on a free 127.0.0.1 port: start a subprocess, poll until it answers HTTP, stop it."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen | None = None, *, what: str = "the server",
                  timeout_s: float = 120.0, ok: Sequence[int] = (200,),
                  every_s: float = 0.2) -> float:
    """Seconds until `url` answers with a status in `ok`; raises if `proc` exits or time runs out."""
    t0 = time.perf_counter()
    while True:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what} exited with code {proc.returncode}")
        try:
            if httpx.get(url, timeout=2.0).status_code in ok:
                return time.perf_counter() - t0
        except httpx.HTTPError:
            pass
        if time.perf_counter() - t0 > timeout_s:
            raise TimeoutError(f"{what} did not answer at {url} within {timeout_s:.0f} s")
        time.sleep(every_s)


def stop(proc: subprocess.Popen) -> None:
    """Terminate, then kill if it has not exited within 15 s."""
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@contextmanager
def running(argv: Sequence[str], *, env: dict | None = None, cwd: Path | None = None,
            log: Path | None = None) -> Iterator[subprocess.Popen]:
    """Run argv with stdout and stderr into `log` (or discarded); stop it and close the log after."""
    out = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115 (closed below)
    try:
        proc = subprocess.Popen(list(argv), cwd=cwd, env=env, stdout=out,
                                stderr=subprocess.STDOUT)
        try:
            yield proc
        finally:
            stop(proc)
    finally:
        if log:
            out.close()
