"""`python -m bench.run` (what `make bench` calls): measure everything, write JSON and the docs.

Sections can be skipped (--skip scale,load) and run on small inputs (--quick) for a smoke test.
A failing section is recorded with its error and the rest still run; the exit code is 1 then.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from pathlib import Path

from bench.indexes import BENCH_DATA, ROOT, quiet_environment

SECTIONS = ("ask", "safety", "ingest", "peer", "scale", "curve", "serve", "load")
DEFAULT_JSON = ROOT / "bench" / "results" / "latest.json"
DEFAULT_DOC = ROOT / "docs" / "benchmarks.md"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    p.add_argument("--skip", default="", help=f"comma-separated sections of {','.join(SECTIONS)}")
    p.add_argument("--only", default="", help="run only these sections (comma-separated)")
    p.add_argument("--backends", default="torch,onnx-int8",
                   help="embedding backends to measure (first = the one served under load)")
    p.add_argument("--quick", action="store_true",
                   help="tiny inputs (smoke test): 1 round, 200 SciFact abstracts, 5 s of load")
    p.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write the results")
    p.add_argument("--doc", type=Path, default=DEFAULT_DOC,
                   help="markdown file whose bench section is rewritten ('' to skip)")
    p.add_argument("--data", type=Path, default=BENCH_DATA, help="cache folder for indexes")
    p.add_argument("--users", type=int, default=25)
    p.add_argument("--load-seconds", type=float, default=60.0)
    return p.parse_args(argv)


def wanted(args: argparse.Namespace) -> list[str]:
    only = [s for s in args.only.split(",") if s]
    skip = {s for s in args.skip.split(",") if s}
    unknown = (set(only) | skip) - set(SECTIONS)
    if unknown:
        raise SystemExit(f"unknown section(s) {', '.join(sorted(unknown))}; "
                         f"choose from {', '.join(SECTIONS)}")
    return [s for s in (only or SECTIONS) if s not in skip]


def command_line(argv: list[str] | None) -> str:
    args = sys.argv[1:] if argv is None else argv
    return " ".join(["python -m bench.run", *args]).strip()


def main(argv: list[str] | None = None) -> int:
    quiet_environment()
    args = parse_args(argv)
    sections = wanted(args)
    from bench import machine
    from bench.suite import Suite

    started = time.perf_counter()
    results: dict = {
        "command": "make bench" if argv is None and not sys.argv[1:] else command_line(argv),
        "machine": machine.describe_machine(), "quick": args.quick, "sections": {},
        "errors": {},
    }
    suite = Suite(args, results)
    for name in sections:
        print(f"[bench] {name} ...", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        try:
            getattr(suite, name)()
        except Exception as exc:  # noqa: BLE001 (one broken section must not hide the others)
            results["errors"][name] = f"{type(exc).__name__}: {exc}"
            traceback.print_exc()
        print(f"[bench] {name} done in {time.perf_counter() - t0:.0f} s", file=sys.stderr,
              flush=True)
    results["machine"]["load_average_at_end"] = machine.load_average()
    results["seconds"] = round(time.perf_counter() - started, 1)
    from bench import report

    results["verdicts"] = report.verdicts(results)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    if str(args.doc) not in ("", "."):
        report.update_markdown(args.doc, report.render(results, args.json))
    print(report.summary_lines(results), file=sys.stderr)
    return 1 if results["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
