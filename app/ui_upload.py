"""Chat uploads: check type and size, keep a copy under KB_DATA_DIR/uploads, ingest it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from kb.config import Settings
from kb.errors import KBError
from kb.vocabulary import FILE_TYPES

UPLOAD_TYPES = FILE_TYPES


def safe_name(name: str) -> str:
    """A file name with only letters, digits, '.', '_' and '-', never hidden, never a path."""
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).name).lstrip("._")
    stem, suffix = Path(base).stem[:80] or "upload", Path(base).suffix.lower()
    return f"{stem}{suffix}"


def check_upload(path: Path, max_mb: float) -> str | None:
    """Why this file cannot be added, or None if it can."""
    if path.suffix.lower() not in UPLOAD_TYPES:
        return f"{path.name}: type {path.suffix or '(none)'} is not accepted; use " \
               f"{', '.join(UPLOAD_TYPES)}."
    size = path.stat().st_size
    if size > max_mb * 1024 * 1024:
        return f"{path.name}: {size / 1048576:.1f} MB is over the {max_mb:g} MB limit."
    if size == 0:
        return f"{path.name}: the file is empty."
    return None


def add_uploads(settings: Settings, paths: list[str], embedder) -> str:
    """Ingest the acceptable files; returns the ingest report (plus rejections) as text."""
    from ingest.pipeline import run_ingest

    if not paths:
        raise KBError(f"choose one or more files first ({', '.join(UPLOAD_TYPES)}).")
    target = settings.data_dir / "uploads"
    rejected, accepted = [], []
    for p in map(Path, paths):
        why = check_upload(p, settings.max_upload_mb)
        if why:
            rejected.append(why)
            continue
        target.mkdir(parents=True, exist_ok=True)
        dest = target / safe_name(p.name)
        shutil.copyfile(p, dest)
        accepted.append(str(dest))
    if not accepted:
        raise KBError("nothing was added: " + " ".join(rejected))
    report = run_ingest(settings, accepted, embedder, progress=False)
    # The report names files by their path under KB_DATA_DIR: show users the file name only.
    summary = report.summary().replace(str(target) + "/", "")
    return "\n".join([summary] + [f"  rejected {r}" for r in rejected])
