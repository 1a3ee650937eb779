"""Chunking (pure): headings -> sections -> sentences packed within the model's word-piece limit.

Sentences are packed greedily with the model's own tokenizer as the measure, so a chunk never
ends mid-sentence and its character offsets are exact. (LangChain's RecursiveCharacterTextSplitter
was tried first: its start_index is found with str.find and lands on the wrong occurrence of
repeated text, which breaks citation offsets.)
"""

from __future__ import annotations

import hashlib
import json
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable

from kb.records import Chunk, Document
from kb.sentence_split import sentence_spans

CHUNKER_VERSION = "sections-sentences-v5"
MODEL_LIMIT = 256  # word pieces, [CLS] and [SEP] included
TARGET_TOKENS = 180  # passages this size give precise citations and stay well inside the limit
OVERLAP_TOKENS = 30
# A section's last chunk reaches back over earlier sentences until it has this many word pieces
# (within the budget): a lone closing sentence ("That finding came from ...") loses its context,
# and a short passage is mostly title, so it ranks high for any question about the document.
MIN_TAIL_TOKENS = 90
MAX_REPEATS = 2  # identical passages kept per section

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


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


def _sections(doc: Document) -> list[tuple[str, int, int]]:
    """Markdown headings give sections; a PDF's pages do, so no chunk straddles two pages."""
    if not doc.page_starts:
        return split_sections(doc.text)
    bounds = [*doc.page_starts, len(doc.text)]
    return [(f"page {i}", a, b) for i, (a, b) in enumerate(zip(bounds, bounds[1:]), 1)
            if doc.text[a:b].strip()]


def document_hash(doc: Document) -> str:
    """Changes when the text, the labels or the chunker change: then the document is re-embedded."""
    labels = [doc.title, doc.topics, doc.populations, doc.evidence_type, doc.as_of,
              [s.__dict__ for s in doc.sources], doc.page_starts, CHUNKER_VERSION,
              doc.aliases, doc.origin]
    payload = doc.text + "\x00" + json.dumps(labels, default=str, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def _word_pieces(text: str, start: int, end: int, budget: int,
                 count_tokens: Callable[[str], int]) -> list[tuple[int, int]]:
    """Split one over-long sentence at word boundaries into spans within `budget` tokens."""
    pieces: list[tuple[int, int]] = []
    cur, used, prev_end = None, 0, start
    for m in re.finditer(r"\S+", text[start:end]):
        ws, we = start + m.start(), start + m.end()
        n = count_tokens(text[ws:we])
        if cur is not None and used + n > budget:
            pieces.append((cur, prev_end))
            cur, used = None, 0
        if cur is None:
            cur = ws
        used += n
        prev_end = we
    if cur is not None:
        pieces.append((cur, prev_end))
    return pieces


def pack_sentences(text: str, start: int, end: int, budget: int,
                   count_tokens: Callable[[str], int]) -> list[tuple[int, int]]:
    """Greedy packing of whole sentences of text[start:end] into spans within `budget` tokens.

    Word pieces add up across white space, so a span's size is the sum of its sentences' sizes.
    The next span repeats the previous one's last sentences up to OVERLAP_TOKENS; the last span
    reaches back further, to MIN_TAIL_TOKENS, when it would be shorter.
    """
    units: list[tuple[int, int, int]] = []  # (start, end, tokens)
    for s, e in sentence_spans(text[start:end]):
        s, e = s + start, e + start
        n = count_tokens(text[s:e])
        if n <= budget:
            units.append((s, e, n))
        else:
            units += [(a, b, count_tokens(text[a:b]))
                      for a, b in _word_pieces(text, s, e, budget, count_tokens)]
    spans: list[tuple[int, int]] = []
    i, previous = 0, -1
    while i < len(units):
        j, used = i, 0
        while j < len(units) and used + units[j][2] <= budget:
            used += units[j][2]
            j += 1
        j = max(j, i + 1)
        if j >= len(units):  # the last span: give a short one its preceding sentences back
            while i - 1 > previous and used < MIN_TAIL_TOKENS and \
                    used + units[i - 1][2] <= budget:
                i -= 1
                used += units[i][2]
            spans.append((units[i][0], units[j - 1][1]))
            break
        spans.append((units[i][0], units[j - 1][1]))
        previous = i
        # Step back over trailing sentences that fit the overlap, never to where we began.
        back, overlap = j, 0
        while back - 1 > i and overlap + units[back - 1][2] <= OVERLAP_TOKENS:
            back -= 1
            overlap += units[back][2]
        i = back
    return spans


def _drop_repeats(text: str, spans: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """A repetitive text (one phrase over 100k characters) packs into many identical passages
    that add nothing but noise to retrieval: a section keeps at most MAX_REPEATS of each."""
    seen: Counter = Counter()
    kept = []
    for section, start, end in spans:
        seen[(section, text[start:end])] += 1
        if seen[(section, text[start:end])] <= MAX_REPEATS:
            kept.append((section, start, end))
    return kept


def split_into_chunks(doc: Document, count_tokens: Callable[[str], int]) -> list[Chunk]:
    """Chunks of a document, each whose embedded text (title > section + passage) fits the model."""
    doc_hash = document_hash(doc)
    raw: list[tuple[str, int, int]] = []
    for section, s_start, s_end in _sections(doc):
        head = " > ".join(p for p in (doc.title, section) if p)
        budget = MODEL_LIMIT - count_tokens(head + "\n") - 2 - 4  # specials, safety margin
        size = max(32, min(TARGET_TOKENS, budget))
        raw += [(section, a, b) for a, b in pack_sentences(doc.text, s_start, s_end, size,
                                                           count_tokens)]
    raw = _drop_repeats(doc.text, raw)
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
            doc_hash=doc_hash, n_chunks=len(raw), aliases=doc.aliases, origin=doc.origin,
        ))
    return chunks
