"""`kb eval`: score the assistant on an eval set (and `kb eval beir` on a BEIR dataset)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from app.cli_context import embedder_of, settings_of
from kb.errors import KBError
from kb.vocabulary import RETRIEVAL_MODES

MODE_CHOICES = [*RETRIEVAL_MODES, "all"]


def _set_name(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _progress(quiet: bool, as_json: bool) -> bool:
    return not (quiet or as_json) and sys.stderr.isatty()


@click.group("eval", invoke_without_command=True)
@click.option("--set", "set_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="JSONL eval set (default: the bundled eval/sets/default.jsonl).")
@click.option("--k", type=click.IntRange(1, 50), default=5, show_default=True,
              help="Passages per answer, and the cut-off of hit@k and recall@k.")
@click.option("--mode", type=click.Choice(MODE_CHOICES), default="hybrid", show_default=True,
              help="Retrieval mode; `all` compares the three side by side.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--report", "report_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write report.md, report.json and chart.png into this folder.")
@click.option("--calibrate", is_flag=True,
              help="Also print abstention precision/recall per threshold (see docs/abstention.md).")
@click.option("--check-baseline", is_flag=True,
              help="Exit 1 if a score is below eval/baseline.json minus its margin.")
@click.option("--write-baseline", is_flag=True,
              help="Accept this run's scores as eval/baseline.json (default set only).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.pass_context
def eval_group(ctx: click.Context, set_path, k, mode, as_json, report_dir, calibrate,
               check_baseline, write_baseline, quiet) -> None:
    """Score retrieval, answers and abstention on an eval set, overall and per topic.

    Every question goes through the same ask() as `kb ask`, against the current index. Example:

        kb eval --mode all --report eval-report/
    """
    if ctx.invoked_subcommand:
        return
    from eval import baseline as base
    from eval.harness import check_cases, combined_summary, run_eval
    from eval.metrics import rounded
    from eval.report import format_terminal, write_report
    from eval.sets import DEFAULT_SET, load_eval_set
    from kb.assistant import build_assistant

    path = set_path or DEFAULT_SET
    if write_baseline and path.resolve() != DEFAULT_SET.resolve():
        raise click.UsageError("--write-baseline records the default set only; drop --set.")
    name = "eval/sets/default.jsonl" if path.resolve() == DEFAULT_SET.resolve() \
        else _set_name(path)
    try:
        cases = load_eval_set(path)
        assistant = build_assistant(settings_of(ctx), embedder_of(ctx))
        modes = RETRIEVAL_MODES if mode == "all" else (mode,)
        runs = [run_eval(assistant, cases, k=k, mode=m, progress=_progress(quiet, as_json))
                for m in modes]
        summary = combined_summary(runs, check_cases(cases, assistant.retriever.chunks))
        baseline = base.load_baseline() if check_baseline else None
    except KBError as exc:
        raise click.ClickException(str(exc)) from exc
    if calibrate:
        summary["calibration"] = _calibration(runs[0].results, assistant.min_score)
    if as_json:
        click.echo(json.dumps(rounded(summary), indent=2, ensure_ascii=False))
    else:
        click.echo(format_terminal(summary, name))
        if calibrate:
            click.echo("\n" + _calibration_text(summary["calibration"]))
    if report_dir:
        written = write_report(report_dir, summary, runs, name)
        click.echo("wrote " + ", ".join(str(p) for p in written), err=as_json)
    if write_baseline:
        base.write_baseline(runs[0].summary, name)
        click.echo(f"wrote {base.BASELINE} (margin {base.MARGIN}); review the diff before "
                   "committing.", err=as_json)
    if baseline is not None:
        problems = base.regressions(runs[0].summary, baseline)
        if problems:
            raise click.ClickException("below the baseline: " + "; ".join(problems))
        click.echo("baseline check passed.", err=as_json)


def _calibration(results, current: float) -> dict:
    from eval.calibrate import choose_threshold, cross_validate, separation, threshold_table

    return {"current": current, "chosen": choose_threshold(results),
            "table": threshold_table(results), "cross_validated": cross_validate(results),
            "separation": separation(results)}


def _calibration_text(cal: dict) -> str:
    from eval.report import text_table

    def f(v):
        return "-" if v is None else f"{v:.3f}"

    rows = [["threshold", "abst-P", "abst-R", "F1", "declined answerable", "answered to decline"]]
    rows += [[f"{r['threshold']:.2f}", f(r["precision"]), f(r["recall"]), f(r["f1"]),
              str(r["declined_answerable"]), str(r["answered_to_decline"])] for r in cal["table"]]
    cv = cal["cross_validated"]
    sep = cal["separation"]
    return "\n".join([
        "abstention threshold sweep (best dense cosine among the answer's passages):",
        text_table(rows), "",
        f"current threshold {cal['current']:.2f}; recommended {cal['chosen']:.2f} (best F1, "
        "farthest from any question's cosine)",
        f"{cv['folds']}-fold cross-validated (threshold chosen without the held-out fold: "
        f"{', '.join(f'{t:.2f}' for t in cv['thresholds'])}): precision {f(cv['precision'])}, "
        f"recall {f(cv['recall'])}",
        "lowest answerable: " + ", ".join(f"{i} {c:.3f}" for c, i in sep["lowest_answerable"]),
        "highest to decline: " + ", ".join(f"{i} {c:.3f}" for c, i in sep["highest_to_decline"]),
    ])


@eval_group.command("beir")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--split", default="test", show_default=True,
              help="qrels/<split>.tsv to score (tune on dev, report test).")
@click.option("--mode", type=click.Choice(MODE_CHOICES), default="hybrid", show_default=True)
@click.option("--chunking", default="doc", show_default=True,
              help="doc: one passage per document; w<size>s<stride>: overlapping sentence "
                   "windows (e.g. w3s2); doc+w3s2: both. A document scores as its best passage.")
@click.option("--fusion", type=click.Choice(["convex", "rrf"]), default=None,
              help="Hybrid fusion (default: the retriever's, convex).")
@click.option("--alpha", type=click.FloatRange(0, 1), default=None,
              help="BM25's weight in convex fusion (default: the retriever's).")
@click.option("--rrf-k", type=click.IntRange(1), default=None, help="k of RRF.")
@click.option("--bm25-weight", type=click.FloatRange(0), default=None,
              help="BM25's weight in RRF (dense has 1).")
@click.option("--candidates", type=click.IntRange(1), default=None,
              help="Passages each retriever contributes (default 100 documents' worth).")
@click.option("--sentences", is_flag=True,
              help="Sentence-level dense scoring: store each passage's sentence vectors (one "
                   "sentence embedded at a time), score a passage by its best match and take "
                   "dense candidates by that score.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars.")
@click.pass_context
def beir_command(ctx: click.Context, folder: Path, split, mode, chunking, fusion, alpha, rrf_k,
                 bm25_weight, candidates, sentences, as_json, quiet) -> None:
    """Score the retriever on a BEIR-format dataset (corpus.jsonl, queries.jsonl, qrels/).

    The dataset gets its own collection under KB_DATA_DIR, and its vectors are cached in
    KB_DATA_DIR/beir-cache, so only the first run embeds the corpus. Example:

        kb eval beir ../shared/benchmarks/beir/scifact --split dev --mode all
    """
    from eval.beir import run_beir
    from eval.report import text_table

    options = {key: value for key, value in (
        ("fusion", fusion), ("alpha", alpha), ("rrf_k", rrf_k), ("candidates", candidates),
        ("weights", None if bm25_weight is None else (1.0, bm25_weight))) if value is not None}
    modes = RETRIEVAL_MODES if mode == "all" else (mode,)
    try:
        result = run_beir(settings_of(ctx), folder, embedder_of(ctx), split=split, modes=modes,
                          chunking=chunking, retriever_options=options, sentences=sentences,
                          progress=not (quiet or as_json))
    except KBError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        from eval.metrics import rounded

        click.echo(json.dumps(rounded(result), indent=2))
        return
    keys = [k for k in next(iter(result["modes"].values())) if k != "ms_per_query"]
    rows = [["mode", *keys, "ms/query"]]
    rows += [[m, *(f"{s[k]:.4f}" for k in keys), f"{s['ms_per_query']:.1f}"]
             for m, s in result["modes"].items()]
    click.echo(f"{result['dataset']} {split}: {result['queries']} queries, "
               f"{result['documents']} documents, {result['passages']} passages "
               f"(chunking {chunking}{', sentence vectors' if sentences else ''})\n"
               + text_table(rows))


@eval_group.command("safety")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--check-baseline", is_flag=True,
              help="Exit 1 if a held-out target is missed or a score is below "
                   "eval/safety_baseline.json minus its margin.")
@click.option("--write-baseline", is_flag=True, help="Accept this run as eval/safety_baseline.json.")
@click.option("--retrain", is_flag=True,
              help="First refit the classifier on the tuning part (kb/safety_model.npz).")
@click.pass_context
def safety_command(ctx: click.Context, as_json, check_baseline, write_baseline, retrain) -> None:
    """Score the safety screen on eval/sets/safety.jsonl: tuning and held-out parts.

    Per class precision and recall, the confusion matrix, the issue's targets on the held-out
    part, and every misclassified message. Example:

        kb eval safety --json
    """
    from app.cli_safety import run_safety_command

    run_safety_command(embedder_of(ctx), as_json, check_baseline, write_baseline, retrain)
