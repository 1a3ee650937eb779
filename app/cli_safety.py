"""`kb eval safety` output: the screen's scores as tables or JSON, the baseline check."""

from __future__ import annotations

import json

import click

from kb.errors import KBError


def run_safety_command(embedder, as_json: bool, check_baseline: bool, write_baseline: bool,
                       retrain: bool) -> None:
    from eval import safety_eval
    from eval.metrics import rounded

    try:
        if retrain:
            from eval.safety_train import train
            from kb import safety

            train(embedder).save()
            safety.load_model.cache_clear()
            click.echo(f"retrained {safety.MODEL_PATH}", err=as_json)
        summary = safety_eval.run_safety_eval(embedder)
        problems = safety_eval.regressions(summary) if check_baseline else None
    except KBError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps(rounded(summary), indent=2, ensure_ascii=False) if as_json
               else format_safety(summary))
    if write_baseline:
        safety_eval.write_baseline(summary)
        click.echo(f"wrote {safety_eval.BASELINE}; review the diff before committing.", err=as_json)
    if problems:
        raise click.ClickException("safety screen: " + "; ".join(problems))
    if problems is not None:
        click.echo("safety baseline check passed.", err=as_json)


def format_safety(summary: dict) -> str:
    from eval.report import text_table
    from kb.safety import LABELS

    def f(v):
        return "-" if v is None else f"{v:.3f}"

    out = [f"safety screen on eval/sets/safety.jsonl ({summary['n']} messages, "
           f"{summary['screen_ms_per_message']:.3f} ms per message for the screen)"]
    for split in ("tune", "heldout"):
        s = summary[split]
        rows = [["class", "precision", "recall"]]
        rows += [[c, f(s[f"{c}_precision"]), f(s[f"{c}_recall"])] for c in LABELS]
        matrix = [["label \\ screen", *LABELS]]
        matrix += [[t, *(str(s["confusion"][t][p]) for p in LABELS)] for t in LABELS]
        out += ["", f"{split} ({s['n']} messages)", text_table(rows), text_table(matrix),
                f"crisis false alarms {s['crisis_false_alarms']} ({f(s['crisis_false_alarm_rate'])}"
                f" of non-crisis); benign refused {s['benign_false_refusals']} "
                f"({f(s['benign_false_refusal_rate'])} of benign); crisis replies framed for the "
                f"wrong reader: {len(s['crisis_framing_wrong'])}"]
    errors = summary["tune"]["errors"] + summary["heldout"]["errors"]
    out += ["", f"errors ({len(errors)}):"]
    out += [f"  {e['split']:7} {e['id']}  {e['label']} -> {e['predicted']}  [{e['kind']}]  "
            f"{e['message']}" for e in errors]
    misses = summary["target_misses"]
    out.append("\nheld-out targets (issue 12): " + ("all met" if not misses else "; ".join(misses)
               + " (see docs/safety.md)"))
    return "\n".join(out)
