"""Reads files and URLs into Documents with their metadata (disk here; network in fetch, PDFs in pdf)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from ingest import sidecar
from ingest.clean import clean_text, strip_bold
from ingest.decode import decode_text
from ingest.fetch import fetch_url
from ingest.html_page import extract_html
from ingest.meta import Metadata
from ingest.page_text import extract_page_text
from ingest.pdf import pdf_metadata, pdf_pages, pdf_text
from ingest.word import read_docx
from kb.config import BUNDLED_DOCUMENTS, Settings
from kb.errors import FileRejectedError, FrontMatterError, KBError, UnsupportedFileError
from kb.records import Document, Source
from kb.schema import EVIDENCE_TYPES, POPULATIONS, TOPICS, split_front_matter

SUPPORTED = {".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx"}
__all__ = ["Item", "decode_text", "discover", "document_from_text", "load_item"]


@dataclass(frozen=True)
class Item:
    """One thing to ingest: a file (with the folder it was found under) or a URL."""

    location: str
    root: str = ""  # the folder given on the command line, for pruning removed files

    @property
    def is_url(self) -> bool:
        return self.location.startswith(("http://", "https://"))

    def doc_id(self) -> str:
        if self.is_url:
            u = urlparse(self.location)
            return (u.netloc + u.path).strip("/") or u.netloc
        path = Path(self.location)
        return path.relative_to(self.root).as_posix() if self.root else path.name


def discover(inputs: list[str]) -> tuple[list[Item], list[tuple[str, str]]]:
    """Items to ingest from paths and URLs, plus (input, reason) for what cannot be."""
    items: list[Item] = []
    problems: list[tuple[str, str]] = []
    for raw in inputs:
        if raw.startswith(("http://", "https://")):
            items.append(Item(raw))
            continue
        path = Path(raw)
        if path.is_dir():
            root = path.resolve()
            for f in sorted(root.rglob("*")):
                rel = f.relative_to(root)
                if f.is_file() and not any(p.startswith(".") for p in rel.parts) \
                        and f.suffix.lower() in SUPPORTED and f.name.lower() != "readme.md":
                    items.append(Item(str(f), str(root)))
        elif path.is_file():
            items.append(Item(str(path.resolve())))
        else:
            problems.append((raw, "no such file, folder or http(s) URL"))
    return items, problems


def _as_tuple(meta: dict, key: str, allowed: tuple[str, ...], name: str) -> tuple[str, ...]:
    value = meta.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise FrontMatterError(f"{name}: `{key}` must be a list.")
    bad = [v for v in value if v not in allowed]
    if bad:
        raise FrontMatterError(f"{name}: unknown {key} {bad}; allowed: {', '.join(allowed)}.")
    return tuple(value)


def _sources(meta: dict, name: str) -> tuple[Source, ...]:
    raw = meta.get("sources") or []
    if not isinstance(raw, list):
        raise FrontMatterError(f"{name}: `sources` must be a list of mappings.")
    out = []
    for i, s in enumerate(raw, 1):
        if not isinstance(s, dict) or not s.get("title"):
            raise FrontMatterError(f"{name}: source {i} needs at least a `title`.")
        url = str(s.get("url", "") or "")
        if url and not url.startswith(("http://", "https://")):
            raise FrontMatterError(f"{name}: source {i} url must start with http:// or https://")
        year = s.get("year")
        out.append(Source(cite=str(s.get("cite", "")), authors=str(s.get("authors", "")),
                          year=int(year) if isinstance(year, int) else None,
                          title=str(s["title"]), outlet=str(s.get("outlet", "")),
                          doi=str(s.get("doi", "") or ""), url=url))
    return tuple(out)


def _aliases(meta: dict, name: str) -> tuple[str, ...]:
    value = meta.get("aliases") or []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise FrontMatterError(f"{name}: `aliases` must be a list of names, e.g. [MAPP2].")
    return tuple(v.strip() for v in value)


def _title_from(text: str, fallback: str) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:200]
    return fallback


def _body(raw: str, suffix: str, name: str) -> tuple[dict, Metadata | None, str]:
    """(front matter, metadata extracted from the page, cleaned text) of decoded text."""
    if suffix in (".md", ".markdown"):
        front, body, _ = split_front_matter(raw, name)
        if front:  # our own documents: the same path as always, no page analysis
            return front, None, clean_text(body, markdown=True)
        found, text = extract_page_text(body)
        return {}, found, strip_bold(text)
    if suffix in (".html", ".htm"):
        found, text = extract_html(raw)
        return {}, found, text
    found, text = extract_page_text(raw)
    return {}, found, text


def _document_sources(front: dict, final: Metadata, corrected: Metadata | None,
                      name: str) -> tuple[Source, ...]:
    """Front matter's sources, unless a correction names the publication; else the extracted one."""
    if front and not (corrected and (corrected.authors or corrected.date or corrected.outlet
                                     or corrected.url)):
        return _sources(front, name)
    source = final.source()
    return (source,) if source else ()


def build_document(text: str, doc_id: str, source: str, name: str, *, front: dict | None = None,
                   found: Metadata | None = None, corrections: Metadata | None = None,
                   page_starts: tuple[int, ...] = ()) -> Document:
    """A Document from cleaned text: front matter < extracted metadata < sidecar and flags."""
    front = front or {}
    if len(text.split()) < 5:
        raise FileRejectedError(f"{name}: empty (no readable text)")
    if front.get("id") is not None:
        doc_id = str(front["id"])
    final = (found or Metadata()).updated(corrections)
    title = (final.title or str(front.get("title") or "") or _title_from(text, doc_id))[:200]
    final = dataclasses.replace(final, title=title)
    evidence = final.evidence_type or str(front.get("evidence_type") or "")
    if evidence and evidence not in EVIDENCE_TYPES:
        raise FrontMatterError(f"{name}: evidence_type {evidence!r} is not one of "
                               f"{', '.join(EVIDENCE_TYPES)}.")
    as_of = final.date or front.get("as_of") or ""
    topics = final.topics if final.topics is not None else _as_tuple(front, "topics", TOPICS, name)
    return Document(
        doc_id=doc_id, title=title, text=text, source=source, topics=topics,
        populations=_as_tuple(front, "populations", POPULATIONS, name), evidence_type=evidence,
        as_of=as_of.isoformat() if isinstance(as_of, dt.date) else str(as_of),
        summary=str(front.get("summary") or ""),
        sources=_document_sources(front, final, corrections, name),
        page_starts=page_starts, aliases=_aliases(front, name),
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest()[:16],
    )


def document_from_text(raw: str, suffix: str, doc_id: str, source: str, name: str,
                       corrections: Metadata | None = None, url: str = "") -> Document:
    """A Document from decoded text of one kind (front matter read for markdown)."""
    front, found, text = _body(raw, suffix, name)
    if url and found is not None:
        found = Metadata(url=url).updated(found)
    return build_document(text, doc_id, source, name, front=front, found=found,
                          corrections=corrections)


def document_from_pdf(data_path: Path, doc_id: str, source: str, name: str, settings: Settings,
                      corrections: Metadata | None = None, url: str = "") -> Document:
    pages, info = pdf_pages(data_path, settings, name)
    text, starts = pdf_text(pages)
    if len(text.split()) < 5:
        raise FileRejectedError(f"{name}: PDF has no extractable text (scanned images?); skipped")
    found = Metadata(url=url).updated(pdf_metadata(info, pages[0] if pages else ""))
    return build_document(text, doc_id, source, name, found=found, corrections=corrections,
                          page_starts=starts)


def _sidecar_for(path: Path, name: str) -> Metadata | None:
    """Corrections from NAME.meta.yaml (or NAME.EXT.meta.yaml) beside the file, if there is one."""
    for candidate in (path.with_name(path.name + sidecar.SUFFIX), path.with_suffix(sidecar.SUFFIX)):
        if candidate.is_file():
            shown = (Path(name).parent / candidate.name).as_posix()
            raw, _ = decode_text(candidate.read_bytes(), shown)
            return sidecar.parse_sidecar(raw, shown)
    return None


def load_file(item: Item, settings: Settings,
              corrections: Metadata | None = None) -> tuple[Document, str]:
    """(Document, note) for a file; raises a KBError naming the file and the problem."""
    path = Path(item.location)
    name = item.doc_id() if item.root else path.name
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        hint = "; save it as .docx" if suffix == ".doc" else ""
        raise UnsupportedFileError(f"{name}: unsupported type {suffix or '(none)'}{hint}; "
                                   f"use one of {', '.join(sorted(SUPPORTED))}")
    size = path.stat().st_size
    if size > settings.max_file_mb * 1024 * 1024:
        raise FileRejectedError(f"{name}: {size / 1048576:.1f} MB is over the "
                                f"{settings.max_file_mb:g} MB limit (KB_MAX_FILE_MB)")
    if size == 0:
        raise FileRejectedError(f"{name}: empty file")
    found = _sidecar_for(path, name)
    corrections = found.updated(corrections) if found else corrections
    if suffix == ".pdf":
        return document_from_pdf(path, item.doc_id(), str(path), name, settings, corrections), ""
    if suffix == ".docx":
        meta, text = read_docx(path, name)
        return build_document(clean_text(text, markdown=True), item.doc_id(), str(path), name,
                              found=meta, corrections=corrections), ""
    raw, note = decode_text(path.read_bytes(), name)
    return document_from_text(raw, suffix, item.doc_id(), str(path), name, corrections), note


def load_url(item: Item, settings: Settings, scratch: Path,
             corrections: Metadata | None = None) -> tuple[Document, str]:
    body, suffix, final = fetch_url(item.location, settings)
    if suffix == ".pdf":
        scratch.mkdir(parents=True, exist_ok=True)
        tmp = scratch / (hashlib.sha256(final.encode()).hexdigest()[:16] + ".pdf")
        tmp.write_bytes(body)
        try:
            return document_from_pdf(tmp, item.doc_id(), item.location, item.location,
                                     settings, corrections, url=item.location), ""
        finally:
            tmp.unlink(missing_ok=True)
    raw, note = decode_text(body, item.location)
    return document_from_text(raw, suffix, item.doc_id(), item.location, item.location,
                              corrections, url=item.location), note


def origin_of(item: Item) -> str:
    """"curated" for the bundled kb/documents/, "user" for anything a user added."""
    if item.is_url:
        return "user"
    try:
        Path(item.location).resolve().relative_to(BUNDLED_DOCUMENTS.resolve())
    except ValueError:
        return "user"
    return "curated"


def load_item(item: Item, settings: Settings,
              corrections: Metadata | None = None) -> tuple[Document, str]:
    """Load one item (with corrections from `kb ingest --title ...`, if given); any failure is a
    KBError whose message names it."""
    try:
        if item.is_url:
            doc, note = load_url(item, settings, settings.data_dir / "tmp", corrections)
        else:
            doc, note = load_file(item, settings, corrections)
        return dataclasses.replace(doc, origin=origin_of(item)), note
    except KBError:
        raise
    except OSError as exc:
        raise FileRejectedError(f"{item.location}: cannot read ({exc.strerror})") from None
