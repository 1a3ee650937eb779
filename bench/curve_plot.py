"""The cost curve as a picture (docs/benchmarks-scale.png) and as a markdown table."""

from __future__ import annotations

from pathlib import Path


def plot(curve: dict, path: Path) -> Path:
    """Four panels against chunks: ask p50/p95 per dense search, peak RSS, view build, nDCG@10."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = curve["sizes"]
    x = [r["chunks"] for r in rows]
    fig, axes = plt.subplots(2, 2, figsize=(10, 7), constrained_layout=True)
    ax = axes[0][0]
    for dense, style in (("matrix", "-o"), ("chroma", "--s")):
        ax.plot(x, [r[dense]["ask_ms"]["p50"] for r in rows], style, label=f"{dense} p50")
        ax.plot(x, [r[dense]["ask_ms"]["p95"] for r in rows], style, alpha=0.4,
                label=f"{dense} p95")
    ax.set(title="full ask, ms", xlabel="chunks")
    ax.legend(fontsize=8)
    axes[0][1].plot(x, [r.get("peak_rss_serving_mb", r["peak_rss_mb"]) / 1024 for r in rows],
                    "-o", label="default search")
    axes[0][1].plot(x, [r["peak_rss_mb"] / 1024 for r in rows], "--s", alpha=0.5,
                    label="after both searches")
    axes[0][1].legend(fontsize=8)
    axes[0][1].axhline(2.5, color="red", lw=0.8, ls=":")
    axes[0][1].set(title="peak RSS per replica, GB", xlabel="chunks")
    axes[1][0].plot(x, [r["view_build_s"] for r in rows], "-o")
    axes[1][0].set(title="read view build, s", xlabel="chunks")
    for dense, style in (("matrix", "-o"), ("chroma", "--s")):
        axes[1][1].plot(x, [r[dense]["ndcg_at_10"] for r in rows], style, label=dense)
    axes[1][1].set(title="nDCG@10, SciFact test (distractors added)", xlabel="chunks")
    axes[1][1].legend(fontsize=8)
    for a in axes.flat:
        a.set_xscale("log")
        a.grid(alpha=0.3)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _ms(s: dict) -> str:
    return f"{s['p50']:g} / {s['p95']:g}" if s.get("n") else "n/a"


def table_lines(curve: dict, backend: str) -> list[str]:
    rows = curve.get("sizes", [])
    if not rows:
        return []
    lines = ["", f"### Cost curve: SciFact plus recombined distractors ({backend})", "",
             "| chunks | ask p50 / p95 ms, matrix | ask p50 / p95 ms, Chroma HNSW | nDCG@10 "
             "matrix (exact) | nDCG@10 HNSW | HNSW top 10 = exact | peak RSS MB, default search / "
             "both | view build s "
             "| view MB | write chunks/s |",
             "|" + "---|" * 10]
    for r in rows:
        lines.append(
            f"| {r['chunks']:,} | {_ms(r['matrix']['ask_ms'])} | {_ms(r['chroma']['ask_ms'])} | "
            f"{r['matrix']['ndcg_at_10']} | {r['chroma']['ndcg_at_10']} | "
            f"{r['chroma']['same_top10_as_exact']} | {r.get('peak_rss_serving_mb', '-')} / "
            f"{r['peak_rss_mb']} | {r['view_build_s']} | "
            f"{r['view_mb']} | {r.get('write_chunks_per_s', 'cached')} |")
    real = curve.get("real", {})
    lines += ["", "The first row is the real SciFact chunks alone; larger sizes add chunks made of "
              "sentences drawn at random from them (vectors: the drawn sentences' own, passage "
              "vector their renormalised mean), so quality is measured on the real claims with "
              "the distractors as misses. Each size is measured in its own process (one replica, "
              "on-disk Chroma in the process). Write = `Index.upsert` of precomputed vectors; "
              f"the real ingest (model included) ran at {real.get('chunks_per_s', 'n/a (cached)')} "
              "chunks/s. The plot is `docs/benchmarks-scale.png`."]
    return lines
