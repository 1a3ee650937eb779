"""What the safety screen adds per message: kb.safety.classify against embed_query on the safety set."""

from __future__ import annotations

import time

from bench.stats import ratio, summarise
from eval.safety_set import load_safety_set
from kb import safety


def run(embedder, rounds: int = 3, limit: int | None = None) -> dict:
    """Every message of eval/sets/safety.jsonl: embed it, then screen it; ms each, and the ratio.

    The screen gets the vector the assistant computes anyway, so its own cost is the rules plus
    one 3 x 384 matrix product; the target is less than a quarter of the query embedding.
    """
    messages = [c.message for c in load_safety_set()][:limit]
    for m in messages[:20]:  # warm up the model, the regexes and the weights
        safety.classify(m, embedder.embed_query(m))
    embed_ms, screen_ms = [], []
    for _ in range(rounds):
        for m in messages:
            t0 = time.perf_counter()
            vector = embedder.embed_query(m)
            t1 = time.perf_counter()
            safety.classify(m, vector)
            t2 = time.perf_counter()
            embed_ms.append((t1 - t0) * 1000)
            screen_ms.append((t2 - t1) * 1000)
    embed, screen = summarise(embed_ms, 3), summarise(screen_ms, 4)
    return {"messages": len(messages), "rounds": rounds, "embed_query_ms": embed,
            "screen_ms": screen, "screen_over_embed_p50": ratio(screen["p50"], embed["p50"], 4),
            "screen_over_embed_mean": ratio(screen["mean"], embed["mean"], 4)}
