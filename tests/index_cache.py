"""The session's index of the bundled knowledge base, kept between test runs while its inputs hold.

Ingesting the 36 bundled documents costs about 30 s of CPU (the model's forward passes), which was
most of `make test-fast`. The built index is kept in pytest's cache folder under a key that covers
everything an ingest reads: every bundled document, the source of every module that ingest and
the embedder import (found from the import graph, lazy imports included), the embedding model, the
installed versions of the project's dependencies and this checkout's path (the manifest records
absolute paths). Any change to one of them builds the index afresh, and a reused copy must pass
the index's own integrity check. `pytest --fresh-index` (what `make test` runs) always rebuilds.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import re
import shutil
import sys
import tomllib
from pathlib import Path

from import_graph import ROOT, import_graph, module_files, reachable

DOCUMENTS = ROOT / "kb" / "documents"
INGEST_ENTRY_POINTS = ["ingest.pipeline", "kb.embedders"]


def key_files() -> list[Path]:
    """The files whose bytes decide what an ingest of the bundled knowledge base builds."""
    files = module_files()
    modules = reachable(import_graph(), INGEST_ENTRY_POINTS)
    packages = {m.split(".")[0] for m in modules}  # their __init__ runs on import too
    sources = {files[m] for m in modules | packages} | {Path(__file__)}
    documents = {p for p in DOCUMENTS.rglob("*") if p.is_file()}
    return sorted(sources | documents)


def dependency_versions() -> list[str]:
    """name==version of every dependency in pyproject.toml, as installed."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    out = []
    for spec in project["dependencies"]:
        name = re.match(r"[A-Za-z0-9_.-]+", spec).group()
        try:
            out.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            out.append(f"{name} missing")
    return out


def digest(files: list[Path], extras: list[str]) -> str:
    """One hash over the files' paths and bytes and the extra strings."""
    h = hashlib.sha256()
    for path in files:
        h.update(str(path).encode() + b"\x00" + path.read_bytes() + b"\x00")
    for extra in extras:
        h.update(extra.encode() + b"\x00")
    return h.hexdigest()[:20]


def input_key(embedder) -> str:
    extras = [str(ROOT), sys.version, embedder.name, str(embedder.dim), *dependency_versions()]
    return digest(key_files(), extras)


def _reuse(entry: Path, data_dir: Path, embedder) -> dict | None:
    """The cached report, after copying the cached index into data_dir; None if it won't do."""
    from kb.config import Settings
    from kb.store import Index

    report = entry / "report.json"
    if not report.is_file():
        return None
    shutil.copytree(entry / "index", data_dir, dirs_exist_ok=True)
    if Index.open(Settings(data_dir=data_dir)).check(embedder.dim).ok:
        return json.loads(report.read_text())
    shutil.rmtree(data_dir)
    data_dir.mkdir()
    return None


def _keep(cache_root: Path, key: str, data_dir: Path, report: dict) -> None:
    """Replace whatever the cache held with this index (one entry: old keys are dead)."""
    shutil.rmtree(cache_root, ignore_errors=True)
    partial = cache_root.with_name(cache_root.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    shutil.copytree(data_dir, partial / key / "index")
    (partial / key / "report.json").write_text(json.dumps(report))
    partial.replace(cache_root)


def bundled_index(data_dir: Path, embedder, cache_root: Path | None, fresh: bool = False) -> dict:
    """Fill data_dir with the bundled knowledge base's index; returns what its ingest reported.

    `cache_root`: where a built index is kept between runs (None: build it, keep nothing).
    """
    from ingest.pipeline import run_ingest
    from kb.config import Settings

    key = input_key(embedder) if cache_root is not None else ""
    if cache_root is not None and not fresh:
        cached = _reuse(cache_root / key, data_dir, embedder)
        if cached is not None:
            return {**cached, "reused": True}
    built = run_ingest(Settings(data_dir=data_dir), None, embedder, progress=False)
    report = {"ingested": built.ingested, "skipped": [list(s) for s in built.skipped],
              "summary": built.summary()}
    if cache_root is not None:
        _keep(cache_root, key, data_dir, report)
    return {**report, "reused": False}
