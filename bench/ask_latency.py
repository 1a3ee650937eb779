"""Warm `kb ask` latency on the bundled knowledge base, split into retrieve and answer, profiled."""

from __future__ import annotations

import cProfile
import pstats
import time
from collections.abc import Sequence

from bench.questions import hit_at_k
from bench.stats import summarise
from eval.sets import EvalCase

# Where an ask spends its time: (label, module path fragment, function name).
PROFILE_POINTS = (
    ("safety.classify", "kb/safety.py", "classify"),
    ("embed_query (model)", "kb/embed.py", "embed_query"),
    ("retriever.refresh", "kb/retrieve.py", "refresh"),
    ("chroma query", "chromadb/api/models/Collection.py", "query"),
    ("chroma get (should be 0: the read view answers)", "chromadb/api/models/Collection.py",
     "get"),
    ("dense: matrix product", "kb/read_view.py", "cosines"),
    ("bm25 scores", "kb/lexical.py", "scores"),
    ("fusion", "kb/fusion.py", "fuse_scores"),
    ("sentence vectors of the hits", "kb/read_view.py", "sentence_vectors"),
    ("near-duplicate collapse", "kb/retrieve.py", "collapse_near_duplicates"),
    ("retriever.search (all)", "kb/retrieve.py", "search"),
    ("extractive_answer", "kb/answer.py", "extractive_answer"),
    ("validate_citations", "kb/answer.py", "validate_citations"),
)


def time_asks(assistant, questions: Sequence[EvalCase], rounds: int = 3) -> dict:
    """Ask every question once to warm up, then `rounds` times; timings in ms."""
    for q in questions:
        assistant.ask(q.question)
    total, retrieve, answer = [], [], []
    for _ in range(rounds):
        for q in questions:
            t0 = time.perf_counter()
            ans = assistant.ask(q.question)
            total.append((time.perf_counter() - t0) * 1000)
            retrieve.append(ans.timings_ms.get("retrieve", 0.0))
            answer.append(ans.timings_ms.get("answer", 0.0))
    answerable = [q for q in questions if q.answerable]
    hits = 0
    for q in answerable:
        ans = assistant.ask(q.question)
        hits += hit_at_k(q, [(h.chunk.doc_id, h.chunk.text) for h in ans.retrieved], 5)
    return {
        "questions": len(questions), "rounds": rounds,
        "total_ms": summarise(total), "retrieve_ms": summarise(retrieve),
        "answer_ms": summarise(answer),
        "hit_at_5": round(hits / len(answerable), 3) if answerable else None,
    }


def time_retrieval(retriever, questions: Sequence[EvalCase], k: int = 5) -> dict:
    """Retriever.search alone (query embedding included), ms."""
    for q in questions[:5]:
        retriever.search(q.question, k)
    samples = []
    for q in questions:
        t0 = time.perf_counter()
        retriever.search(q.question, k)
        samples.append((time.perf_counter() - t0) * 1000)
    return summarise(samples)


def profile_asks(assistant, questions: Sequence[EvalCase]) -> dict:
    """cProfile one pass over the questions: ms per ask in each PROFILE_POINT, plus the top self-time."""
    prof = cProfile.Profile()
    prof.enable()
    for q in questions:
        assistant.ask(q.question)
    prof.disable()
    stats = pstats.Stats(prof).stats  # {(file, line, func): (cc, nc, tt, ct, callers)}
    n = max(len(questions), 1)
    points = {}
    for label, path, func in PROFILE_POINTS:
        ct = sum(v[3] for (f, _, name), v in stats.items() if name == func and f.endswith(path))
        points[label] = round(ct * 1000 / n, 2)
    top = sorted(stats.items(), key=lambda kv: kv[1][2], reverse=True)[:12]
    self_time = [{"function": f"{_short(f)}:{line}({name})", "ms_per_ask": round(v[2] * 1000 / n, 2)}
                 for (f, line, name), v in top]
    total = sum(v[2] for v in stats.values())
    return {"ms_per_ask_under_profiler": round(total * 1000 / n, 2), "cumulative_ms_per_ask": points,
            "top_self_time": self_time}


def _short(path: str) -> str:
    for marker in ("site-packages/", "/work/main/", "/main/"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path.rsplit("/", 2)[-1] if "/" in path else path


def run(embedder, settings, questions: Sequence[EvalCase], rounds: int = 3) -> dict:
    """Everything for the bundled knowledge base: ask timings, retrieval alone, a profile."""
    from kb.assistant import build_assistant

    assistant = build_assistant(settings, embedder)
    result = time_asks(assistant, questions, rounds)
    result["retrieve_only_ms"] = time_retrieval(assistant.retriever, questions)
    result["embed_query_ms"] = time_embed_query(embedder, questions)
    result["profile"] = profile_asks(assistant, questions)
    result["chunks"] = len(assistant.retriever.chunks)
    return result


def time_embed_query(embedder, questions: Sequence[EvalCase]) -> dict:
    samples = []
    for q in questions:
        t0 = time.perf_counter()
        embedder.embed_query(q.question)
        samples.append((time.perf_counter() - t0) * 1000)
    return summarise(samples)
