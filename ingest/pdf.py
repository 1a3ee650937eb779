"""PDF files: page text from a sandboxed child process; metadata from document info or first heading."""

from __future__ import annotations

import json
import re
import resource
import subprocess
import sys
from pathlib import Path

from ingest.clean import clean_text
from ingest.meta import Metadata, format_authors, parse_date
from kb.config import Settings
from kb.errors import FileRejectedError


def _limit_child(memory_mb: int):
    def apply() -> None:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return apply


def pdf_pages(path: Path, settings: Settings, name: str) -> tuple[list[str], dict]:
    """(text of each page, document info), parsed in a child process with time and memory limits."""
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "ingest.pdf_worker", str(path)], capture_output=True,
            timeout=settings.pdf_timeout_s, preexec_fn=_limit_child(settings.pdf_memory_mb),
            text=True, check=False)
    except subprocess.TimeoutExpired:
        raise FileRejectedError(f"{name}: PDF parsing took over {settings.pdf_timeout_s:g} s "
                                "(KB_PDF_TIMEOUT_S); skipped") from None
    try:
        result = json.loads(proc.stdout.strip().splitlines()[-1])
    except (json.JSONDecodeError, IndexError):
        why = "ran out of memory" if "MemoryError" in proc.stderr else "crashed"
        raise FileRejectedError(f"{name}: the PDF parser {why} (limit {settings.pdf_memory_mb} MB, "
                                "KB_PDF_MEMORY_MB); skipped") from None
    if "error" in result:
        raise FileRejectedError(f"{name}: {result['error']}")
    return result["pages"], result.get("info") or {}


def first_heading(page_text: str) -> str:
    """The first line of a page that reads like a title (not a page number or a running head)."""
    for line in page_text.splitlines():
        line = line.strip()
        words = line.split()
        if not words or re.fullmatch(r"(?:page\s*)?\d+(?:\s*(?:of|/)\s*\d+)?", line, re.I):
            continue
        if len(words) <= 25 and not line.endswith((".", ",", ";", ":")):
            return line
        return ""
    return ""


def pdf_metadata(info: dict, first_page: str) -> Metadata:
    """Title, author and date from the document info; the first page's heading if no title."""
    title = str(info.get("title") or "").strip()
    if not title or re.fullmatch(r"(?:untitled|microsoft word - .*|.*\.(?:docx?|pdf))", title, re.I):
        title = first_heading(first_page)
    return Metadata(title=title[:200], authors=format_authors(str(info.get("author") or "")),
                    date=parse_date(info.get("created") or ""))


def pdf_text(pages: list[str]) -> tuple[str, tuple[int, ...]]:
    """The cleaned pages joined, and the offset where each page begins in that text."""
    parts, starts, offset = [], [], 0
    for page_text in pages:
        cleaned = clean_text(page_text)
        starts.append(offset)
        parts.append(cleaned)
        offset += len(cleaned) + 2
    # Page starts must match offsets in the text as chunked, so no further cleaning after this.
    return "\n\n".join(parts), tuple(starts)
