"""The manifest: what an index was built from (inputs, documents, version), kept beside it.

It lives outside Chroma (KB_DATA_DIR/manifests/<collection>.json) so that a damaged or deleted
index can still be rebuilt from the sources it records (`kb ingest --rebuild`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from kb.config import Settings


def manifest_path(settings: Settings) -> Path:
    return settings.data_dir / "manifests" / f"{settings.collection}.json"


def read_manifest(settings: Settings) -> dict | None:
    """The manifest, or None when there is none (or it cannot be read)."""
    try:
        data = json.loads(manifest_path(settings).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def recorded_inputs(settings: Settings) -> list[str]:
    return list((read_manifest(settings) or {}).get("inputs", []))


def write_manifest(settings: Settings, *, version: str, identity: dict, inputs: list[str],
                   documents: dict[str, dict]) -> Path:
    """Replace the manifest atomically; `inputs` are added to those already recorded."""
    path = manifest_path(settings)
    merged = list(dict.fromkeys(recorded_inputs(settings) + list(inputs)))
    data = {"collection": settings.collection, "where": settings.where(), "index_version": version,
            **identity, "inputs": merged, "documents": documents}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)
    return path
