"""Eval output: the terminal table, and --report DIR (report.md, report.json, chart.png)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from eval.metrics import HEADLINE, LATENCY, rounded

LABELS = {
    "hit_at_k": "hit@{k}", "recall_at_k": "recall@{k}", "mrr": "MRR@10", "ndcg_at_10": "nDCG@10",
    "citation_precision": "citation precision", "answer_support": "answer support",
    "quote_support": "quote support", "answer_contains": "answer contains expected",
    "lead_contains": "lead contains expected", "followup_answer_contains": "follow-up contains",
    "duplicate_rate": "duplicate rate (lower better)", "orphan_rate": "orphan rate (lower better)",
    "abstain_precision": "abstain precision", "abstain_recall": "abstain recall",
    "latency_ms_p50": "latency p50 (ms)", "latency_ms_p95": "latency p95 (ms)",
}
SHORT = {"hit_at_k": "hit@{k}", "recall_at_k": "rec@{k}", "mrr": "MRR", "ndcg_at_10": "nDCG",
         "citation_precision": "cite-P", "answer_support": "support", "quote_support": "quote",
         "answer_contains": "ans", "lead_contains": "lead", "followup_answer_contains": "fup",
         "duplicate_rate": "dup", "orphan_rate": "orph", "abstain_precision": "abst-P",
         "abstain_recall": "abst-R"}


def _fmt(value, latency: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:.0f}" if latency else f"{value:.3f}"


def _modes(summary: dict) -> dict[str, dict]:
    return summary.get("modes") or {summary["mode"]: summary}


def headline_rows(summary: dict) -> list[list[str]]:
    modes = _modes(summary)
    k = summary["k"]
    rows = [["metric", *modes]]
    for key in (*HEADLINE, *LATENCY):
        rows.append([LABELS[key].format(k=k),
                     *(_fmt(m.get(key), key in LATENCY) for m in modes.values())])
    return rows


def topic_rows(summary: dict) -> list[list[str]]:
    k = summary["k"]
    rows = [["topic", "n", *(SHORT[key].format(k=k) for key in HEADLINE)]]
    for topic, s in summary["by_topic"].items():
        rows.append([topic, str(s["n"]), *(_fmt(s.get(key)) for key in HEADLINE)])
    return rows


def split_rows(summary: dict) -> list[list[str]]:
    """Tune and held-out parts side by side (held-out cases are never looked at when tuning)."""
    parts = summary.get("by_split") or {}
    rows = [["metric", *(f"{name} (n={s['n']})" for name, s in parts.items())]]
    k = summary["k"]
    for key in (*HEADLINE, *LATENCY):
        rows.append([LABELS[key].format(k=k), *(_fmt(s.get(key), key in LATENCY)
                                                for s in parts.values())])
    return rows


def topic_mode_rows(summary: dict, key: str = "ndcg_at_10") -> list[list[str]]:
    modes = _modes(summary)
    first = next(iter(modes.values()))
    rows = [["topic", *modes]]
    for topic in first["by_topic"]:
        rows.append([topic, *(_fmt(m["by_topic"][topic].get(key)) for m in modes.values())])
    return rows


def text_table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(rows: Sequence[Sequence[str]]) -> str:
    head, *body = rows
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in body]
    return "\n".join(lines)


def _title(summary: dict, set_name: str) -> str:
    return (f"{set_name}: {summary['n']} questions ({summary['n_answerable']} answerable, "
            f"{summary['n_decline']} to decline), k={summary['k']}, mode {summary['mode']}")


def format_terminal(summary: dict, set_name: str) -> str:
    head_mode = summary.get("headline_mode", summary["mode"])
    parts = [_title(summary, set_name), "", text_table(headline_rows(summary)), "",
             f"by topic ({head_mode}):", text_table(topic_rows(summary))]
    if summary.get("by_split"):
        parts += ["", f"tune and held-out parts ({head_mode}):", text_table(split_rows(summary))]
    if "modes" in summary:
        parts += ["", "nDCG@10 by topic and mode:", text_table(topic_mode_rows(summary))]
    for w in summary.get("warnings", []):
        parts.append(f"warning: {w}")
    return "\n".join(parts)


def failures(runs) -> list[str]:
    """Lines naming the questions that missed, per mode."""
    out = []
    for run in runs:
        for r in run.results:
            if r.answerable and r.declined:
                why = f"safety rule '{r.safety}'" if r.safety else \
                    f"abstained (best cosine {r.best_cosine:.3f})"
                out.append(f"{run.mode}: {r.id} ({r.topic}) answerable but declined: {why}")
            elif r.answerable and not r.supported:
                out.append(f"{run.mode}: {r.id} ({r.topic}) no relevant passage cited")
            elif r.answerable and r.answer_has is False:
                out.append(f"{run.mode}: {r.id} ({r.topic}) answer lacks every expected string")
            elif not r.answerable and not r.declined:
                best = "-" if r.best_cosine is None else f"{r.best_cosine:.3f}"
                out.append(f"{run.mode}: {r.id} ({r.topic}) should be declined but was answered "
                           f"(best cosine {best})")
            if r.duplicate or r.orphan:
                what = " and ".join(w for w, bad in (("a repeated sentence", r.duplicate),
                                                     ("an orphaned sentence", r.orphan)) if bad)
                out.append(f"{run.mode}: {r.id} ({r.topic}) answer has {what}")
    return out


def write_chart(summary: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    modes = _modes(summary)
    k = summary["k"]
    fig, (left, right) = plt.subplots(1, 2, figsize=(14, 5), gridspec_kw={"width_ratios": [1, 1.3]})
    width = 0.8 / len(modes)
    x = np.arange(len(HEADLINE))
    for i, (mode, s) in enumerate(modes.items()):
        left.bar(x + i * width, [s.get(key) or 0 for key in HEADLINE], width, label=mode)
    left.set_xticks(x + width * (len(modes) - 1) / 2,
                    [LABELS[key].format(k=k) for key in HEADLINE], rotation=35, ha="right")
    left.set_ylim(0, 1.2)  # headroom for the legend above the bars
    left.set_title("Overall, by retrieval mode")
    left.legend(loc="upper center", ncol=len(modes), fontsize="small")
    topics = [t for t, s in next(iter(modes.values()))["by_topic"].items() if s["n_answerable"]]
    x = np.arange(len(topics))
    for i, (mode, s) in enumerate(modes.items()):
        right.bar(x + i * width, [s["by_topic"][t].get("ndcg_at_10") or 0 for t in topics],
                  width, label=f"{mode} nDCG@10")
    head = summary.get("headline_mode", summary["mode"])
    right.plot(x + width * (len(modes) - 1) / 2,
               [_modes(summary)[head]["by_topic"][t].get("answer_support") or 0 for t in topics],
               "kD", label=f"{head} answer support")
    right.set_xticks(x + width * (len(modes) - 1) / 2, topics, rotation=35, ha="right")
    right.set_ylim(0, 1.2)
    right.set_title("By topic")
    right.legend(loc="upper center", ncol=2, fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_report(folder: Path, summary: dict, runs, set_name: str) -> list[Path]:
    """report.md, report.json (summary plus every question's outcome) and chart.png in `folder`."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    data = dict(rounded(summary))
    data["questions"] = {run.mode: [rounded(r.__dict__ | {"supported": r.supported})
                                    for r in run.results] for run in runs}
    json_path, md_path, png_path = folder / "report.json", folder / "report.md", folder / "chart.png"
    json_path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    write_chart(summary, png_path)
    head_mode = summary.get("headline_mode", summary["mode"])
    md = [f"# Eval report\n\n{_title(summary, set_name)}.\n",
          "## Overall\n", markdown_table(headline_rows(summary)), "",
          f"## By topic ({head_mode})\n", markdown_table(topic_rows(summary)), ""]
    if summary.get("by_split"):
        md += [f"## Tune and held-out parts ({head_mode})\n", markdown_table(split_rows(summary)),
               ""]
    if "modes" in summary:
        md += ["## nDCG@10 by topic and mode\n", markdown_table(topic_mode_rows(summary)), ""]
    md += ["![scores by mode and topic](chart.png)\n", "## Misses\n"]
    md += [f"- {line}" for line in failures(runs)] or ["None."]
    if summary.get("warnings"):
        md += ["", "## Warnings\n", *(f"- {w}" for w in summary["warnings"])]
    md_path.write_text("\n".join(md) + "\n", encoding="utf-8")
    return [md_path, json_path, png_path]
