"""Simulated chat users (gradio_client) against one `kb serve`: lost, wrong and busy answers."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Sequence

from bench.serving import ask_api
from bench.stats import summarise

BUSY_MARKERS = ("queue is full", "busy", "try again")


def _classify(error: Exception) -> str:
    text = f"{type(error).__name__}: {error}".lower()
    return "busy" if any(m in text for m in BUSY_MARKERS) else "error"


class _Tally:
    """Outcomes, latencies and the first few failures, shared by the user threads."""

    def __init__(self, expected: dict[str, str]) -> None:
        self.expected = expected
        self.latencies: list[float] = []
        self.outcomes: Counter = Counter()
        self.errors: list[str] = []
        self.wrong: list[dict] = []
        self.lock = threading.Lock()

    def ask(self, client, q: str) -> None:
        t0 = time.perf_counter()
        try:
            reply = ask_api(client, q)
            ms = (time.perf_counter() - t0) * 1000
            ok = reply.get("question") == q and reply.get("answer") == self.expected[q]
            kind = "ok" if ok else "wrong"
            if not ok:
                with self.lock:
                    if len(self.wrong) < 3:
                        self.wrong.append({"asked": q, "got_question": reply.get("question"),
                                           "got": str(reply.get("answer"))[:160],
                                           "expected": self.expected[q][:160]})
        except Exception as exc:  # noqa: BLE001 (every failure is counted, none hidden)
            ms, kind = None, _classify(exc)
            with self.lock:
                if len(self.errors) < 5:
                    self.errors.append(f"{type(exc).__name__}: {str(exc)[:200]}")
        with self.lock:
            self.outcomes[kind] += 1
            if ms is not None:
                self.latencies.append(ms)


def simulate_users(url: str, questions: Sequence[str], expected: dict[str, str], users: int = 25,
                   seconds: float = 60.0, think_s: float = 0.0) -> dict:
    """Each user asks questions in turn for `seconds`; every reply is checked against `expected`.

    wrong = an answer whose question or text differs from the one computed in-process for the
    same question (a mixed-up or corrupted reply); lost = a request that failed for another
    reason than an explicit busy message.
    """
    from gradio_client import Client

    clients = [Client(url, verbose=False, download_files=False) for _ in range(users)]
    tally = _Tally(expected)
    start = threading.Barrier(users + 1)
    deadline = [0.0]

    def user(i: int) -> None:
        n = i  # users start at different questions
        start.wait()
        while time.perf_counter() < deadline[0]:
            tally.ask(clients[i], questions[n % len(questions)])
            n += users
            if think_s:
                time.sleep(think_s)

    threads = [threading.Thread(target=user, args=(i,), daemon=True) for i in range(users)]
    for t in threads:
        t.start()
    deadline[0] = time.perf_counter() + seconds
    t0 = time.perf_counter()
    start.wait()
    for t in threads:
        t.join(timeout=seconds + 120)
    wall = time.perf_counter() - t0
    outcomes = tally.outcomes
    return {"users": users, "seconds": round(wall, 1), "requests": sum(outcomes.values()),
            "ok": outcomes["ok"], "wrong": outcomes["wrong"], "busy": outcomes["busy"],
            "lost": outcomes["error"], "answers_per_s": round(outcomes["ok"] / wall, 2),
            "latency_ms": summarise(tally.latencies, 1), "first_errors": tally.errors,
            "first_wrong": tally.wrong, "unfinished_users": sum(t.is_alive() for t in threads)}


def burst(url: str, question: str, expected: str, requests: int) -> dict:
    """`requests` asks fired at once (beyond the queue limit): each is answered or told busy."""
    from gradio_client import Client

    clients = [Client(url, verbose=False, download_files=False) for _ in range(requests)]
    outcomes: Counter = Counter()
    messages: Counter = Counter()
    lock = threading.Lock()
    gate = threading.Barrier(requests)

    def one(client) -> None:
        gate.wait()
        try:
            reply = ask_api(client, question)
            kind = "ok" if reply.get("answer") == expected else "wrong"
        except Exception as exc:  # noqa: BLE001
            kind = _classify(exc)
            with lock:
                messages[str(exc)[:120]] += 1
        with lock:
            outcomes[kind] += 1

    threads = [threading.Thread(target=one, args=(c,), daemon=True) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    return {"requests": requests, "ok": outcomes["ok"], "wrong": outcomes["wrong"],
            "busy": outcomes["busy"], "lost": outcomes["error"],
            "messages": dict(messages.most_common(3))}
