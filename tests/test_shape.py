"""Architecture checks: imports flow one way (kb <- ingest, kb <- eval; app may import all three).

bench (benchmarks, and the server helpers the tests share) is not installed, so nothing shipped
imports it.
"""

from __future__ import annotations

import ast

from conftest import ROOT
from import_graph import PACKAGES, import_graph

FORBIDDEN = {
    "kb": {"ingest", "eval", "app", "bench"},
    "ingest": {"eval", "app", "bench"},
    "eval": {"ingest", "app", "bench"},
    "app": {"bench"},
    "bench": {"tests", "conftest"},
}


def _imports(path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_imports_point_one_way():
    wrong = []
    for package, forbidden in FORBIDDEN.items():
        for path in (ROOT / package).rglob("*.py"):
            bad = _imports(path) & forbidden
            if bad:
                wrong.append(f"{path.relative_to(ROOT)} imports {sorted(bad)}")
    assert wrong == []


def test_every_module_opens_with_a_docstring():
    missing = []
    for package in ("kb", "ingest", "eval", "app"):
        for path in (ROOT / package).rglob("*.py"):
            if ast.get_docstring(ast.parse(path.read_text())) is None:
                missing.append(str(path.relative_to(ROOT)))
    assert missing == []


def test_kb_never_reads_the_environment():
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "kb").rglob("*.py")
                 if "os.environ[" in p.read_text() or "os.getenv(" in p.read_text()]
    assert offenders == []


def test_kb_never_touches_the_environment():
    """Not even os.environ.setdefault: settings come in as arguments (see kb/config.py)."""
    offenders = []
    for path in (ROOT / "kb").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "putenv") \
                    and isinstance(node.value, ast.Name) and node.value.id == "os":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_no_import_circles():
    graph = import_graph()
    assert graph["kb.store"] and graph["app.cli"], "the graph is empty: the parser is broken"
    cycles, state = [], {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append(" -> ".join(path[path.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = "done"

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert cycles == []


MAX_MODULE_LINES, MAX_FUNCTION_LINES = 300, 60
# TODO: code that other branches are splitting; each entry names its issue. Remove it when the
# split lands (the test fails on an entry that no longer needs to be here).
ALLOWED_TOO_LONG: dict[str, str] = {}


def test_no_module_over_300_lines_and_no_function_over_60():
    too_long = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            rel = str(path.relative_to(ROOT))
            source = path.read_text()
            if len(source.splitlines()) > MAX_MODULE_LINES:
                too_long.add(rel)
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES:
                    too_long.add(f"{rel}:{node.name}")
    assert too_long - set(ALLOWED_TOO_LONG) == set()
    assert set(ALLOWED_TOO_LONG) - too_long == set(), "split already: drop it from the list"
