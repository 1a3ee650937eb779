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


def split_sentences(text: str) -> list[str]:
    """The sentences of `text` as strings, surrounding white space removed."""
    return [text[s:e].strip() for s, e in sentence_spans(text)]
