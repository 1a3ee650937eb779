"""Architecture checks: imports flow one way (kb <- ingest, kb <- eval; app may import all three).

bench (benchmarks, and the server helpers the tests share) is not installed, so nothing shipped
imports it.
"""

from __future__ import annotations

import ast

from conftest import ROOT

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
