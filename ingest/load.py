"""Reads files and URLs into Documents (the only ingest module that touches disk or network)."""

from __future__ import annotations

import dataclasses
import hashlib
import ipaddress
import json
import resource
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlparse

import httpx

from ingest.clean import clean_text
from kb.config import BUNDLED_DOCUMENTS, Settings
from kb.errors import FileRejectedError, FrontMatterError, KBError, UnsupportedFileError
from kb.front_matter import check_front_matter
from kb.records import Document
from kb.schema import split_front_matter
from kb.vocabulary import FILE_TYPES

SUPPORTED = set(FILE_TYPES)
URL_TYPES = {"text/html": ".html", "application/xhtml+xml": ".html", "text/plain": ".txt",
             "text/markdown": ".md", "application/pdf": ".pdf"}
MAX_REDIRECTS = 5


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


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """(text, note): UTF-8, UTF-16/UTF-8 with BOM, else Windows-1252 with a note; binary refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), ""
        except UnicodeDecodeError:
            raise FileRejectedError(f"{name}: UTF-16 byte-order mark but invalid UTF-16") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:8192]:
        raise FileRejectedError(f"{name}: binary file (NUL bytes); not text")
    try:
        return data.decode("utf-8"), ""
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise FileRejectedError(f"{name}: not UTF-8 (byte {exc.start}) nor Windows-1252; "
                                    "save it as UTF-8") from None
        return text, f"{name}: not valid UTF-8 (byte {exc.start}); read as Windows-1252"


def _title_from(text: str, fallback: str) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:200]
    return fallback


def document_from_text(raw: str, suffix: str, doc_id: str, source: str, name: str,
                       page_starts: tuple[int, ...] = (), title: str = "") -> Document:
    """Build a Document from decoded text of a given kind (front matter read for markdown)."""
    meta: dict = {}
    if suffix in (".md", ".markdown"):
        meta, body, _ = split_front_matter(raw, name)
        text = clean_text(body, markdown=True)
    elif suffix in (".html", ".htm"):
        import trafilatura

        body = trafilatura.extract(raw, output_format="markdown", include_comments=False,
                                   include_tables=True, with_metadata=False) or ""
        meta_doc = trafilatura.extract_metadata(raw)
        title = title or (meta_doc.title if meta_doc and meta_doc.title else "")
        text = clean_text(body, scraped=True, markdown=True)
    else:
        text = clean_text(raw, scraped=suffix == ".txt")
    if len(text.split()) < 5:
        raise FileRejectedError(f"{name}: empty (no readable text)")
    front, errors = check_front_matter(meta)
    if errors:
        raise FrontMatterError(f"{name}: {errors[0][1]}")
    return Document(
        doc_id=front.id or doc_id, title=front.title or title or _title_from(text, doc_id),
        text=text, source=source, topics=front.topics, populations=front.populations,
        evidence_type=front.evidence_type, as_of=front.as_of, summary=front.summary,
        sources=tuple(s.to_source() for s in front.sources), page_starts=page_starts,
        aliases=front.aliases, content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest()[:16],
    )


def _limit_child(memory_mb: int):
    def apply() -> None:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return apply


def pdf_pages(path: Path, settings: Settings, name: str) -> tuple[list[str], str]:
    """Text of each page, parsed in a child process with time and memory limits."""
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
    return result["pages"], result.get("title", "")


def document_from_pdf(data_path: Path, doc_id: str, source: str, name: str,
                      settings: Settings) -> Document:
    pages, title = pdf_pages(data_path, settings, name)
    parts, starts, offset = [], [], 0
    for page_text in pages:
        cleaned = clean_text(page_text)
        starts.append(offset)
        parts.append(cleaned)
        offset += len(cleaned) + 2
    text = "\n\n".join(parts)
    if len(text.split()) < 5:
        raise FileRejectedError(f"{name}: PDF has no extractable text (scanned images?); skipped")
    # Page starts must match offsets in the text as chunked, so no further cleaning here.
    return Document(doc_id=doc_id, title=title or _title_from(text, doc_id), text=text,
                    source=source, page_starts=tuple(starts),
                    content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest()[:16])


def load_file(item: Item, settings: Settings) -> tuple[Document, str]:
    """(Document, note) for a file; raises a KBError naming the file and the problem."""
    path = Path(item.location)
    name = item.doc_id() if item.root else path.name
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise UnsupportedFileError(f"{name}: unsupported type {suffix or '(none)'}; "
                                   f"use one of {', '.join(sorted(SUPPORTED))}")
    size = path.stat().st_size
    if size > settings.max_file_mb * 1024 * 1024:
        raise FileRejectedError(f"{name}: {size / 1048576:.1f} MB is over the "
                                f"{settings.max_file_mb:g} MB limit (KB_MAX_FILE_MB)")
    if size == 0:
        raise FileRejectedError(f"{name}: empty file")
    if suffix == ".pdf":
        return document_from_pdf(path, item.doc_id(), str(path), name, settings), ""
    raw, note = decode_text(path.read_bytes(), name)
    return document_from_text(raw, suffix, item.doc_id(), str(path), name), note


def _check_host(url: str, settings: Settings) -> None:
    host = urlparse(url).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror:
        raise FileRejectedError(f"{url}: cannot resolve host {host!r}") from None
    for info in infos:
        ip = ipaddress.ip_address(info[4][0].split("%")[0])
        if (ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_reserved
                or ip.is_multicast or ip.is_unspecified) and not settings.allow_private_urls:
            raise FileRejectedError(f"{url}: refers to a local or private address ({ip}); "
                                    "refused (KB_ALLOW_PRIVATE_URLS=1 allows it)")


def fetch_url(url: str, settings: Settings) -> tuple[bytes, str, str]:
    """(body, suffix, final URL). Each redirect is re-checked; size and time are capped."""
    cap = int(settings.url_max_mb * 1024 * 1024)
    current = url
    with httpx.Client(timeout=settings.url_timeout_s, follow_redirects=False,
                      headers={"User-Agent": "mdma-access-kb/0.1"}) as client:
        for _ in range(MAX_REDIRECTS + 1):
            if urlparse(current).scheme not in ("http", "https"):
                raise FileRejectedError(f"{url}: redirected to a non-http URL; refused")
            _check_host(current, settings)
            try:
                with client.stream("GET", current) as resp:
                    if resp.is_redirect:
                        current = urljoin(current, resp.headers.get("location", ""))
                        continue
                    if resp.status_code >= 400:
                        raise FileRejectedError(f"{url}: HTTP {resp.status_code}")
                    ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
                    if ctype not in URL_TYPES:
                        raise FileRejectedError(f"{url}: content type {ctype or '(none)'} is not "
                                                "HTML, plain text, markdown or PDF")
                    declared = int(resp.headers.get("content-length") or 0)
                    if declared > cap:
                        raise FileRejectedError(f"{url}: {declared / 1048576:.1f} MB is over the "
                                                f"{settings.url_max_mb:g} MB limit (KB_URL_MAX_MB)")
                    body = bytearray()
                    for part in resp.iter_bytes():
                        body += part
                        if len(body) > cap:
                            raise FileRejectedError(f"{url}: larger than the "
                                                    f"{settings.url_max_mb:g} MB limit "
                                                    "(KB_URL_MAX_MB)")
                    return bytes(body), URL_TYPES[ctype], current
            except httpx.TimeoutException:
                raise FileRejectedError(f"{url}: timed out after {settings.url_timeout_s:g} s "
                                        "(KB_URL_TIMEOUT_S)") from None
            except httpx.HTTPError as exc:
                raise FileRejectedError(f"{url}: could not fetch ({type(exc).__name__})") from None
    raise FileRejectedError(f"{url}: more than {MAX_REDIRECTS} redirects")


def load_url(item: Item, settings: Settings, scratch: Path) -> tuple[Document, str]:
    body, suffix, final = fetch_url(item.location, settings)
    if suffix == ".pdf":
        scratch.mkdir(parents=True, exist_ok=True)
        tmp = scratch / (hashlib.sha256(final.encode()).hexdigest()[:16] + ".pdf")
        tmp.write_bytes(body)
        try:
            return document_from_pdf(tmp, item.doc_id(), item.location, item.location,
                                     settings), ""
        finally:
            tmp.unlink(missing_ok=True)
    raw, note = decode_text(body, item.location)
    return document_from_text(raw, suffix, item.doc_id(), item.location, item.location), note


def origin_of(item: Item) -> str:
    """"curated" for the bundled kb/documents/, "user" for anything a user added."""
    if item.is_url:
        return "user"
    try:
        Path(item.location).resolve().relative_to(BUNDLED_DOCUMENTS.resolve())
    except ValueError:
        return "user"
    return "curated"


def load_item(item: Item, settings: Settings) -> tuple[Document, str]:
    """Load one item; any failure is a KBError whose message names it."""
    try:
        if item.is_url:
            doc, note = load_url(item, settings, settings.data_dir / "tmp")
        else:
            doc, note = load_file(item, settings)
        return dataclasses.replace(doc, origin=origin_of(item)), note
    except KBError:
        raise
    except OSError as exc:
        raise FileRejectedError(f"{item.location}: cannot read ({exc.strerror})") from None
