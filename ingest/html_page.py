"""HTML pages (pure): main text as markdown, and title, author, date, site and URL via trafilatura."""

from __future__ import annotations

import dataclasses
import re

from ingest.clean import clean_text
from ingest.meta import Metadata, format_authors, parse_date


def html_metadata(raw: str) -> Metadata:
    """What the page's own markup says about it (meta tags, JSON-LD, <title>, canonical link)."""
    import trafilatura

    found = trafilatura.extract_metadata(raw)
    if found is None:
        return Metadata()
    url = found.url or ""
    return Metadata(title=(found.title or "").strip()[:200],
                    authors=format_authors((found.author or "").replace("; ", ";")),
                    date=parse_date(found.date or ""), outlet=(found.sitename or "").strip(),
                    url=url if url.startswith(("http://", "https://")) else "")


def extract_html(raw: str) -> tuple[Metadata, str]:
    """(metadata, the article's text as cleaned markdown, its leading H1 dropped when it is the
    title: the title is shown with every passage already)."""
    import trafilatura

    body = trafilatura.extract(raw, output_format="markdown", include_comments=False,
                               include_tables=True, with_metadata=False) or ""
    meta = html_metadata(raw)
    text = clean_text(body, scraped=True, markdown=True)
    first, _, rest = text.partition("\n")
    heading = re.match(r"#\s+(.+)$", first)
    if heading and (not meta.title or heading.group(1).strip() == meta.title):
        meta = meta if meta.title else dataclasses.replace(meta, title=heading.group(1).strip())
        text = rest.strip()
    return meta, text
