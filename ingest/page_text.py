"""Saved web-page text (pure): headline, byline, date and outlet found, and the page furniture removed."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

from ingest.clean import is_furniture_line, normalise_text, strip_furniture
from ingest.meta import Metadata, find_date, format_authors, is_person_name, split_names

# The header ends at the first paragraph: a line this long that ends a sentence.
BODY_WORDS = 20
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*$")
_BY = re.compile(r"(?:^|(?<=\s))(?:by|authors?:|written by|words by|story by|reporting by)\s*:?\s+",
                 re.I)
_DATE_PREFIX = re.compile(r"^[\W_]*(?:(?:first|last|originally)?\s*(?:published|posted|updated|"
                          r"date|dated|on)\b[\s:,\-–]*)*$", re.I)
# "Photo by ...", "Reviewed by ...", "Supported by ...": a name, but not the author's.
_NOT_BYLINE = re.compile(r"\b(?:photo\w*|image|picture|illustrat\w*|video|graphics?|edited|reviewed|"
                         r"translated|sponsored|supported|funded|powered|presented|hosted)\s*$", re.I)
_SEPARATOR = re.compile(r"\s+[|•·—–]\s+|\s{2,}")
_OUTLET_PATTERNS = [
    re.compile(r"\bfollow (.+?) on (?:linkedin|twitter|x|facebook|instagram|bluesky|threads|"
               r"youtube|mastodon)\b", re.I),
    re.compile(r"^about (.+)$", re.I),
    re.compile(r"\b(?:reflect|represent)\b.*\b(?:position|views|opinions?|policy) of (.+?)\.?$", re.I),
    re.compile(r"^(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*(.+?)"
               r"(?:[.,]?\s*all rights reserved.*)?$", re.I),
    re.compile(r"^(?:more from|subscribe to|the latest from) (.+?)[.:!]?$", re.I),
]
_NOT_OUTLET = {"us", "me", "the author", "the authors", "this site", "our", "our newsletter",
               "the newsletter", "cookies"}
_AUTHOR_BOX = "(?:i am|i'm) {name}\\b|{name} (?:is|was) (?:a|an|the)\\b"


def _words(line: str) -> int:
    return len(line.split())


def _is_paragraph(line: str) -> bool:
    return _words(line) >= BODY_WORDS and bool(_SENTENCE_END.search(line)) \
        and not is_furniture_line(line)


def _byline(line: str) -> list[str]:
    """Names on a byline ('by Christian Rigg', 'Posted 3 May 2021 by A B, PhD'), as written."""
    m = _BY.search(line)
    if not m or _words(line) > 25 or _words(line[:m.start()]) > 6 or _NOT_BYLINE.search(line[:m.start()]):
        return []
    rest = _SEPARATOR.split(line[m.end():])[0]
    date = find_date(rest)
    rest = rest[:date[1]] if date else rest
    rest = re.sub(r"\s*[|,]?\s*(?:on|published|posted|updated)\s*:?\s*$", "", rest.strip(), flags=re.I)
    names = split_names(rest)
    if not 1 <= len(names) <= 6 or not all(is_person_name(n) or _looks_like_org(n) for n in names):
        return []
    return names


def _credit(line: str) -> bool:
    """'Photo by ...', 'Reviewed by ...': a credit line, not a headline or a byline."""
    m = _BY.search(line)
    return bool(m and _NOT_BYLINE.search(line[:m.start()]))


def _looks_like_org(name: str) -> bool:
    words = name.split()
    return 1 <= len(words) <= 4 and all(w[:1].isupper() for w in words) and \
        bool(re.search(r"\b(?:staff|team|desk|editors?|reporters?)\b", name, re.I))


def _date_of(line: str) -> str:
    """The date a date line ('March 23, 2020', 'Published: 2021-11-30', a byline) gives."""
    if _words(line) > 25:
        return ""
    found = find_date(line)
    if not found:
        return ""
    iso, start = found
    if _DATE_PREFIX.match(line[:start]) or _BY.search(line[:start]) or _byline(line):
        return iso
    return ""


def _headline_ok(line: str, outlet: str) -> bool:
    text = line.lstrip("#").strip()
    return 3 <= _words(text) <= 30 and (text[:1].isupper() or text[:1].isdigit()) \
        and not text.endswith((".", "!", ",", ":", ";")) and text != outlet and " | " not in text \
        and not is_furniture_line(text) and not _byline(text) and not _date_of(text) \
        and not _credit(text)


def _outlet(lines: list[str], header_end: int) -> str:
    """The site's name, as its furniture gives it (logo lines, 'About X', 'follow X on', ©)."""
    votes: Counter[str] = Counter()
    header = [x.strip() for x in lines[:header_end] if x.strip()]
    for name, n in Counter(header).items():
        if n >= 2 and _words(name) <= 4 and name[:1].isupper() and not is_furniture_line(name):
            votes[name] += 1
    for line in lines:
        line = re.sub(r"^\s*(?:[•·▪*+\-–]\s+)", "", line).strip()
        for pattern in _OUTLET_PATTERNS:
            m = pattern.search(line)
            name = m.group(1).strip(" .,:;") if m else ""
            if name and name.lower() not in _NOT_OUTLET and _words(name) <= 6 \
                    and name[:1].isupper():
                votes[name] += 1
    best = votes.most_common(1)
    return best[0][0] if best and (best[0][1] >= 2 or len(votes) == 1) else ""


def _mark_headings(lines: list[str]) -> list[str]:
    """Short title-like lines set off by blank lines become '## ' headings (sections)."""
    out = list(lines)
    for i, line in enumerate(lines):
        text = line.strip()
        if not text or text.startswith("#") or _words(text) > 14 or not text[:1].isupper():
            continue
        if text.endswith((".", ",", ";", ":", "!")) or (i and lines[i - 1].strip()):
            continue
        following = [x.strip() for x in lines[i + 1:i + 3] if x.strip()]
        nxt = following[0] if following else ""
        if i + 1 < len(lines) and not lines[i + 1].strip() and \
                (_words(nxt) >= 12 or re.match(r"^(?:[-*•]|\d+[.)])\s", nxt)):
            out[i] = "## " + text
    return out


def _not_article(line: str) -> bool:
    """A header line below the headline that is page furniture: a byline, a date line, a credit,
    a category or an image's alt text (short and not a sentence); a standfirst is kept."""
    line = line.strip()
    return bool(line) and (is_furniture_line(line) or bool(_byline(line)) or bool(_date_of(line))
                           or (_words(line) <= 8 and not _SENTENCE_END.search(line)))


def _headline_and_drops(lines: list[str], header_end: int, anchor: int | None,
                        outlet: str) -> tuple[int | None, set[int]]:
    """The headline's line and the header lines that are not article text."""
    if anchor is None:  # no byline or date: only a standalone title-like first line is a headline
        headline = next((i for i in range(header_end) if _headline_ok(lines[i], outlet)), None)
        if headline is None or (headline + 1 < len(lines) and lines[headline + 1].strip()):
            return None, set()
        drop = {i for i in range(headline) if is_furniture_line(lines[i]) or _words(lines[i]) <= 3}
        return headline, drop | {headline}
    # The headline sits above the byline (or the date line); in a date-first layout, below it.
    order = [*range(anchor - 1, -1, -1), *range(anchor + 1, header_end)]
    headline = next((i for i in order if _headline_ok(lines[i], outlet)), None)
    if headline is None:
        return None, {i for i in range(header_end) if _byline(lines[i]) or _date_of(lines[i])}
    drop = set(range(headline + 1))
    drop |= {i for i in range(headline + 1, header_end) if _not_article(lines[i])}
    return headline, drop


def _header(lines: list[str], header_end: int, outlet: str) -> tuple[Metadata, set[int], list[str]]:
    """Headline, authors and date from the header; the header lines that are not article; the
    authors' names as written."""
    authors: list[str] = []
    date, by_at, date_at = "", None, None
    for i in range(header_end):
        found = _byline(lines[i])
        if found and not authors:
            authors, by_at = found, i
        when = _date_of(lines[i])
        if when and not date:
            date, date_at = when, i
    anchor = by_at if by_at is not None else date_at
    headline, drop = _headline_and_drops(lines, header_end, anchor, outlet)
    meta = Metadata(authors=format_authors(authors), date=date, outlet=outlet)
    if headline is None:
        return meta, drop, authors
    title = lines[headline].strip().lstrip("#").strip()
    return dataclasses.replace(meta, title=title), drop, authors


def extract_page_text(text: str) -> tuple[Metadata, str]:
    """(what the page says about itself, the article text without the page's furniture)."""
    lines = normalise_text(text).split("\n")
    header_end = next((i for i, line in enumerate(lines) if _is_paragraph(line)), len(lines))
    meta, drop, names = _header(lines, header_end, _outlet(lines, header_end))
    box = re.compile("|".join(_AUTHOR_BOX.format(name=re.escape(n)) for n in names), re.I) \
        if names else None
    kept = [line for i, line in enumerate(lines) if i not in drop
            and not (i >= header_end and box and box.match(line.strip()))
            and not (meta.title and line.strip().lstrip("#").strip() == meta.title)]
    body = normalise_text(strip_furniture("\n".join(kept)))
    return meta, "\n".join(_mark_headings(body.split("\n")))
