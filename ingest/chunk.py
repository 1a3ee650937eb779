"""Chunking (pure): headings -> sections -> paragraphs -> sentences, within the model's limit.

Wraps LangChain's RecursiveCharacterTextSplitter, with sentence ends as its finest separator so a
chunk never ends mid-sentence, and the model's own tokenizer as the length function.
"""

from __future__ import annotations

import hashlib
import json
import re
from bisect import bisect_right
from collections.abc import Callable

from langchain_text_splitters import RecursiveCharacterTextSplitter

from kb.records import Chunk, Document

CHUNKER_VERSION = "sections-sentences-v1"
MODEL_LIMIT = 256  # word pieces, [CLS] and [SEP] included
TARGET_TOKENS = 180  # passages this size give precise citations and stay well inside the limit
OVERLAP_TOKENS = 30

# A sentence ends at . ! or ? (maybe closed by a quote or bracket) before white space and a capital,
# digit, quote or bracket; common abbreviations do not end sentences.
_ABBREVIATIONS = "".join(
    f"(?<!{re.escape(a)})" for a in (
        " al.", "e.g.", "i.e.", " Dr.", " Mr.", " Ms.", "Mrs.", " vs.", " No.", " St.",
        "U.S.", " Fig.", " approx.", " ca.", " cf.", " Jr.", " Sr.", " Inc.", " Co.", " Vol.",
        " pp.", " p.",
    )
)
SENTENCE_END = rf"(?:(?<=[.!?])|(?<=[.!?][\"'”’)\]])){_ABBREVIATIONS}\s+(?=[\"'“‘(\[A-Z0-9])"
_SENTENCE_END = re.compile(SENTENCE_END)
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+|^\s*>\s*")
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Character spans of the sentences in `text` (line breaks also end a sentence)."""
    spans = []
    for line in re.finditer(r"[^\n]+", text):
        bullet = _BULLET.match(line.group())
        start = line.start() + (bullet.end() if bullet else 0)
        for m in _SENTENCE_END.finditer(line.group()):
            spans.append((start, line.start() + m.start()))
            start = line.start() + m.end()
        spans.append((start, line.end()))
    return tuple((s, e) for s, e in spans if text[s:e].strip() and s < e)


def split_sections(text: str) -> list[tuple[str, int, int]]:
    """(section path, start, end) for each run of text under a markdown heading."""
    sections: list[tuple[str, int, int]] = []
    path: list[tuple[int, str]] = []
    start, offset = 0, 0
    current = ""
    for line in text.splitlines(keepends=True):
        m = _HEADING.match(line.rstrip("\n"))
        if m:
            if text[start:offset].strip():
                sections.append((current, start, offset))
            level = len(m.group(1))
            path = [(lv, t) for lv, t in path if lv < level] + [(level, m.group(2).strip())]
            current = " > ".join(t for _, t in path)
            start = offset + len(line)
        offset += len(line)
    if text[start:].strip():
        sections.append((current, start, len(text)))
    return sections


def document_hash(doc: Document) -> str:
    """Changes when the text, the labels or the chunker change: then the document is re-embedded."""
    labels = [doc.title, doc.topics, doc.populations, doc.evidence_type, doc.as_of,
              [s.__dict__ for s in doc.sources], doc.page_starts, CHUNKER_VERSION]
    payload = doc.text + "\x00" + json.dumps(labels, default=str, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def _splitter(count_tokens: Callable[[str], int], size: int) -> RecursiveCharacterTextSplitter:
    return RecursiveCharacterTextSplitter(
        separators=["\n\n", "\n", SENTENCE_END],
        is_separator_regex=True,
        keep_separator="end",
        chunk_size=size,
        chunk_overlap=min(OVERLAP_TOKENS, size // 4),
        length_function=count_tokens,
        add_start_index=True,
        strip_whitespace=True,
    )


def _fit(text: str, budget: int, count_tokens: Callable[[str], int]) -> list[tuple[int, int]]:
    """Spans of `text` each within `budget` tokens: whole sentences, words only for a giant one."""
    pieces: list[tuple[int, int]] = []
    for s, e in sentence_spans(text):
        if count_tokens(text[s:e]) <= budget:
            pieces.append((s, e))
            continue
        words = [(m.start() + s, m.end() + s) for m in re.finditer(r"\S+", text[s:e])]
        cur = words[0][0]
        for i, (ws, we) in enumerate(words):
            if count_tokens(text[cur:we]) > budget:
                end = words[i - 1][1] if i else we
                pieces.append((cur, end))
                cur = ws if i else we
        pieces.append((cur, e))
    merged: list[tuple[int, int]] = []
    for s, e in pieces:
        if merged and count_tokens(text[merged[-1][0]:e]) <= budget:
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def split_into_chunks(doc: Document, count_tokens: Callable[[str], int]) -> list[Chunk]:
    """Chunks of a document, each whose embedded text (title > section + passage) fits the model."""
    doc_hash = document_hash(doc)
    raw: list[tuple[str, int, int]] = []
    for section, s_start, s_end in split_sections(doc.text):
        head = " > ".join(p for p in (doc.title, section) if p)
        budget = MODEL_LIMIT - count_tokens(head + "\n") - 2 - 4  # specials, safety margin
        size = max(32, min(TARGET_TOKENS, budget))
        body = doc.text[s_start:s_end]
        for piece in _splitter(count_tokens, size).create_documents([body]):
            start = s_start + piece.metadata["start_index"]
            text = piece.page_content
            if count_tokens(text) <= budget:
                raw.append((section, start, start + len(text)))
            else:  # a sentence longer than the limit: split it at words
                raw += [(section, start + a, start + b) for a, b in _fit(text, budget, count_tokens)]
    chunks = []
    for n, (section, start, end) in enumerate(raw):
        text = doc.text[start:end]
        page = None
        if doc.page_starts:
            page = bisect_right(doc.page_starts, start)
        chunks.append(Chunk(
            chunk_id=f"{doc.doc_id}#{n}", doc_id=doc.doc_id, n=n, text=text, title=doc.title,
            section=section, start=start, end=end, sentences=sentence_spans(text),
            topics=doc.topics, populations=doc.populations, evidence_type=doc.evidence_type,
            as_of=doc.as_of, sources=doc.sources, source=doc.source, page=page,
            doc_hash=doc_hash, n_chunks=len(raw),
        ))
    return chunks
