"""Word .docx files: paragraphs, tables, headings as sections, and core properties as metadata."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ingest.meta import Metadata, format_authors, parse_date
from kb.errors import FileRejectedError

# A .docx is a zip; refuse one that would unpack to more than this many times its own size
# (a "zip bomb") before any XML is parsed.
MAX_UNPACK_RATIO = 100


def _check_zip(path: Path, name: str) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            unpacked = sum(i.file_size for i in zf.infolist())
    except zipfile.BadZipFile:
        raise FileRejectedError(f"{name}: not a Word .docx file (not a zip package); "
                                "save it again as .docx") from None
    if unpacked > MAX_UNPACK_RATIO * max(path.stat().st_size, 1024 * 1024):
        raise FileRejectedError(f"{name}: unpacks to {unpacked / 1048576:.0f} MB; refused")


def _paragraph_text(paragraph) -> str:
    text = re.sub(r"[ \t]+", " ", paragraph.text).strip()
    if not text:
        return ""
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    level = re.match(r"Heading (\d)", style)
    if style == "Title":
        return "# " + text
    if level:
        return "#" * min(int(level.group(1)) + 1, 6) + " " + text
    if style.startswith("List"):
        return "- " + text
    return text


def read_docx(path: Path, name: str) -> tuple[Metadata, str]:
    """(core properties and Title paragraph as metadata, the text as markdown)."""
    from docx import Document as open_docx
    from docx.table import Table

    _check_zip(path, name)
    try:
        doc = open_docx(str(path))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors...
        raise FileRejectedError(f"{name}: not a readable Word .docx file "
                                f"({type(exc).__name__})") from None
    blocks: list[str] = []
    for block in doc.iter_inner_content():
        if isinstance(block, Table):
            rows = [" | ".join(c.text.strip() for c in row.cells) for row in block.rows]
            blocks.append("\n".join(r for r in rows if r.strip(" |")))
        else:
            blocks.append(_paragraph_text(block))
    blocks = [b for b in blocks if b]
    props = doc.core_properties
    title = (props.title or "").strip()
    if blocks and blocks[0].startswith("# ") and (not title or blocks[0][2:] == title):
        title = blocks[0][2:]
        blocks = blocks[1:]  # the title paragraph is the document's title, not a section
    author = "" if (props.author or "") == "python-docx" else props.author or ""  # its template
    meta = Metadata(title=title[:200], authors=format_authors(author) if author else (),
                    date=parse_date(props.created) if props.created else "")
    return meta, "\n\n".join(blocks)
