"""The project's one sentence splitter (pure): ingest cuts chunks with it, the BEIR eval windows."""

from __future__ import annotations

import re

# A sentence ends at . ! or ? (maybe closed by a quote or bracket) before white space and a capital,
# digit, quote or bracket; common abbreviations do not end sentences.
_ABBREVIATIONS = "".join(
    f"(?<!{re.escape(a)})" for a in (
        " al.", "e.g.", "i.e.", " Dr.", " Mr.", " Ms.", "Mrs.", " vs.", " No.", " St.",
        "U.S.", " Fig.", " approx.", " ca.", " cf.", " Jr.", " Sr.", " Inc.", " Co.", " Vol.",
        " pp.", " p.",
    )
)
# A capital initial ("judge Francis L. Young") does not end a sentence either.
_INITIAL = r"(?<!\s[A-Z]\.)"
_SENTENCE_END_PATTERN = (rf"(?:(?<=[.!?])|(?<=[.!?][\"'”’)\]])){_ABBREVIATIONS}{_INITIAL}\s+"
                         rf"(?=[\"'“‘(\[A-Z0-9])")
_SENTENCE_END = re.compile(_SENTENCE_END_PATTERN)
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+|^\s*>\s*")


# A line that starts one of these begins a new block (list item, quote, heading, table row).
_BLOCK_START = re.compile(r"^\s*(?:[-*+•#|>]|\d+[.)]\s)")
# A hard-wrapped line: long, and ending inside a sentence (a word, a number, a comma...).
_WRAPPED_MIN = 50
_ENDS_INSIDE = re.compile(r"[\w,;:(\-–—]$")


def _continues(line: str, next_line: str) -> bool:
    """Whether `next_line` carries on the sentence of `line` (a hard-wrapped paragraph)."""
    if not next_line.strip() or _BLOCK_START.match(next_line):
        return False
    if next_line.lstrip()[:1].islower():
        return True
    return len(line.strip()) >= _WRAPPED_MIN and bool(_ENDS_INSIDE.search(line.rstrip()))


def _blocks(text: str):
    """(start, end) of each run of lines that reads as one paragraph or item."""
    lines = [m for m in re.finditer(r"[^\n]+", text)]
    i = 0
    while i < len(lines):
        j = i
        while j + 1 < len(lines) and lines[j + 1].start() == lines[j].end() + 1 \
                and _continues(lines[j].group(), lines[j + 1].group()):
            j += 1
        yield lines[i].start(), lines[j].end()
        i = j + 1


def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Character spans of the sentences in `text`. A line break ends a sentence unless the next
    line carries it on (a hard-wrapped paragraph: the next line starts in lower case, or the line
    is long and stops mid-sentence); list items, quotes, headings and table rows start anew."""
    spans = []
    for b_start, b_end in _blocks(text):
        block = text[b_start:b_end]
        bullet = _BULLET.match(block)
        start = b_start + (bullet.end() if bullet else 0)
        for m in _SENTENCE_END.finditer(block):
            if b_start + m.start() <= start:
                continue
            spans.append((start, b_start + m.start()))
            start = b_start + m.end()
        spans.append((start, b_end))
    return tuple((s, e) for s, e in spans if text[s:e].strip() and s < e)


def split_sentences(text: str) -> list[str]:
    """The sentences of `text` as strings, surrounding white space removed."""
    return [text[s:e].strip() for s, e in sentence_spans(text)]
