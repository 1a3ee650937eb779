"""A real `kb serve` in a subprocess: cold start to the first answer, and its peak memory."""

from __future__ import annotations

import os
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from bench import processes

ROOT = Path(__file__).resolve().parent.parent


class RssSampler:
    """Samples the resident memory of a process and its children; keeps the peak."""

    def __init__(self, pid: int, every_s: float = 0.05) -> None:
        import psutil

        self._proc = psutil.Process(pid)
        self.every_s = every_s
        self.peak_mb = 0.0
        self.last_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> float:
        import psutil

        total = 0
        try:
            procs = [self._proc, *self._proc.children(recursive=True)]
        except psutil.Error:
            return 0.0
        for p in procs:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        return total / 2**20

    def _run(self) -> None:
        while not self._stop.is_set():
            mb = self._sample()
            if mb:
                self.last_mb = mb
                self.peak_mb = max(self.peak_mb, mb)
            self._stop.wait(self.every_s)

    def start(self) -> RssSampler:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)


def server_env(data_dir: Path, extra: dict | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
    env.update(KB_DATA_DIR=str(data_dir), HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False",
               TOKENIZERS_PARALLELISM="false", GRADIO_ANALYTICS_ENABLED="False",
               **(extra or {}))
    return env


@contextmanager
def running_server(data_dir: Path, extra_env: dict | None = None, log: Path | None = None):
    """Start `python -m app serve` on 127.0.0.1:free port; yields (process, url, started_at)."""
    port = processes.free_port()
    started = time.perf_counter()
    argv = [sys.executable, "-m", "app", "serve", "--host", "127.0.0.1", "--port", str(port)]
    with processes.running(argv, env=server_env(data_dir, extra_env), cwd=ROOT, log=log) as proc:
        yield proc, f"http://127.0.0.1:{port}/", started


def wait_until_up(proc, url: str, timeout_s: float = 120.0) -> float:
    """Seconds until the server answers HTTP; raises if it exits or times out."""
    # a short poll interval: http_up_s is one of the measurements
    return processes.wait_until_up(url, proc, what="`kb serve`", timeout_s=timeout_s,
                                   every_s=0.05)


def ask_api(client, question: str) -> dict:
    return client.predict(question, "all", "all", [], api_name="/ask")


BARE = ("import gradio\n"
        "from kb.embedders import get_embedder\n"
        "get_embedder({backend!r}, {models!r}).embed_query('a first question')\n")


def bare_start(backend: str, models_dir: Path) -> float:
    """Seconds for a bare process to import gradio and load the model (the cold start floor)."""
    import subprocess

    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", BARE.format(backend=backend, models=str(models_dir))],
                   cwd=ROOT, env=server_env(models_dir), check=True, capture_output=True,
                   timeout=300)
    return round(time.perf_counter() - t0, 2)


def cold_start(data_dir: Path, question: str, extra_env: dict | None = None,
               warm_asks: list[str] | None = None, log: Path | None = None) -> dict:
    """Launch to first answer served through gradio_client; peak RSS over start and warm asks."""
    from gradio_client import Client

    with running_server(data_dir, extra_env, log) as (proc, url, started):
        sampler = RssSampler(proc.pid).start()
        try:
            up_s = wait_until_up(proc, url)
            client = Client(url, verbose=False, download_files=False)
            result = ask_api(client, question)
            first_answer_s = time.perf_counter() - started
            rss_after_first = sampler.last_mb
            for q in warm_asks or []:
                ask_api(client, q)
            time.sleep(0.2)
        finally:
            sampler.stop()
        return {"http_up_s": round(up_s, 2), "first_answer_s": round(first_answer_s, 2),
                "answered": bool(result.get("answer")), "rss_after_first_answer_mb":
                round(rss_after_first, 1), "peak_rss_mb": round(sampler.peak_mb, 1),
                "warm_asks": len(warm_asks or [])}
