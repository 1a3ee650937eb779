"""Sidecar metadata (pure): NAME.meta.yaml corrects what extraction found, checked line by line."""

from __future__ import annotations

import yaml

from ingest.meta import Metadata, format_authors, parse_date
from kb.errors import SidecarError
from kb.schema import EVIDENCE_TYPES, TOPICS

FIELDS = ("title", "authors", "author", "date", "outlet", "url", "topics", "evidence_type")
SUFFIX = ".meta.yaml"


def _lines(text: str, name: str) -> dict[str, int]:
    """Line number (1-based) of each top-level key, for messages."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f", line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "cannot be parsed"
        raise SidecarError(f"{name}{where}: not valid YAML ({problem})") from None
    if node is None:
        return {}
    if not isinstance(node, yaml.MappingNode):
        raise SidecarError(f"{name}, line {node.start_mark.line + 1}: expected fields such as "
                           "`title:` and `authors:`, one per line")
    return {str(k.value): k.start_mark.line + 1 for k, _ in node.value}


def _texts(value: object, key: str, where: str) -> list[str]:
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(v, str | int | float) for v in items):
        raise SidecarError(f"{where}: `{key}` must be text or a list of texts")
    return [str(v).strip() for v in items if str(v).strip()]


def parse_sidecar(text: str, name: str) -> Metadata:
    """The corrections a sidecar gives; raises SidecarError naming the file and line."""
    lines = _lines(text, name)
    data = yaml.safe_load(text) or {}
    for key in data:
        if str(key) not in FIELDS:
            raise SidecarError(f"{name}, line {lines.get(str(key), 1)}: unknown field `{key}`; "
                               f"use {', '.join(f for f in FIELDS if f != 'author')}")
    at = {key: f"{name}, line {line}" for key, line in lines.items()}
    title = " ".join(_texts(data.get("title", ""), "title", at.get("title", name)))
    authors: tuple[str, ...] = ()
    for key in ("authors", "author"):
        if key in data:
            authors = format_authors(_texts(data[key], key, at[key]))
    date = ""
    if data.get("date"):
        date = parse_date(data["date"])
        if not date:
            raise SidecarError(f"{at['date']}: cannot read date {data['date']!r}; "
                               "write it as YYYY-MM-DD")
    url = " ".join(_texts(data.get("url", ""), "url", at.get("url", name)))
    if url and not url.startswith(("http://", "https://")):
        raise SidecarError(f"{at['url']}: url must start with http:// or https://")
    topics = None
    if "topics" in data:
        topics = tuple(_texts(data["topics"], "topics", at["topics"]))
        bad = [t for t in topics if t not in TOPICS]
        if bad:
            raise SidecarError(f"{at['topics']}: unknown topic {bad[0]!r}; allowed: "
                               f"{', '.join(TOPICS)}")
    evidence = None
    if data.get("evidence_type"):
        evidence = str(data["evidence_type"])
        if evidence not in EVIDENCE_TYPES:
            raise SidecarError(f"{at['evidence_type']}: unknown evidence_type {evidence!r}; "
                               f"allowed: {', '.join(EVIDENCE_TYPES)}")
    return Metadata(title=title, authors=authors, date=date,
                    outlet=" ".join(_texts(data.get("outlet", ""), "outlet",
                                           at.get("outlet", name))),
                    url=url, topics=topics, evidence_type=evidence)
