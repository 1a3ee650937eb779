"""Targets stated as ratios measured in one run (absolute times do not carry between machines)."""

from __future__ import annotations

from bench.stats import ratio

ASK_LIMITS = {"ask_p50_vs_peer_p50": 1.3, "ask_p50_vs_query_embedding_p50": 1.6,
              "ask_p95_vs_peer_p95": 2.0}
COLD_START_LIMIT = 1.5
INGEST_LIMIT = 0.9
CURVE_LIMITS = {"ask_p50_vs_smallest": 3.0, "peak_rss_gb": 2.5}


def _get(d, *path):
    for key in path:
        if not isinstance(d, dict) or key not in d:
            return None
        d = d[key]
    return d


def _ratio(numerator, denominator) -> float | None:
    return None if numerator is None or not denominator else ratio(numerator, denominator)


def ask_ratios(peer_section: dict, backend: str) -> dict:
    """Our full ask against the peer's similarity_search and the bare query embedding, on the
    same questions in the same process (bench/suite.py, peer section)."""
    ours, peer = peer_section.get(f"ours-{backend}", {}), peer_section.get("peer", {})
    out = {
        "ask_p50_vs_peer_p50": _ratio(_get(ours, "ask_ms", "p50"), _get(peer, "search_ms", "p50")),
        "ask_p50_vs_query_embedding_p50": _ratio(_get(ours, "ask_ms", "p50"),
                                                _get(ours, "embed_query_ms", "p50")),
        "ask_p95_vs_peer_p95": _ratio(_get(ours, "ask_ms", "p95"), _get(peer, "search_ms", "p95")),
    }
    return {k: v for k, v in out.items() if v is not None}


def verdict_rows(sections: dict) -> list[tuple[str, str, float, float, str]]:
    """(target, backend, value, limit, "<=" | ">=") for every ratio target that was measured."""
    rows = []
    peer = sections.get("peer", {})
    for name in peer:
        if name.startswith("ours-"):
            backend = name.removeprefix("ours-")
            for key, value in ask_ratios(peer, backend).items():
                rows.append((key.replace("_", " "), backend, value, ASK_LIMITS[key], "<="))
    for backend, r in sections.get("serve", {}).items():
        value = _get(r, "cold_start_ratio")
        if value is not None:
            rows.append(("cold start / (import gradio + load model)", backend, value,
                         COLD_START_LIMIT, "<="))
    for backend, r in sections.get("curve", {}).items():
        sizes = _get(r, "ratios") or {}
        if not sizes:
            continue
        largest = max(sizes, key=int)
        last = sizes[largest]
        rows.append((f"ask p50 at {int(largest):,} chunks / at the smallest", backend,
                     last["ask_p50_vs_smallest"], CURVE_LIMITS["ask_p50_vs_smallest"], "<="))
        rows.append((f"peak RSS GB per replica at {int(largest):,} chunks", backend,
                     max(v["peak_rss_gb"] for v in sizes.values()), CURVE_LIMITS["peak_rss_gb"],
                     "<="))
        rows.append(("nDCG@10 vs exact search (worst size)", backend,
                     min(v["ndcg_vs_exact"] for v in sizes.values()), 0.0, ">="))
    return rows
