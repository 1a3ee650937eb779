"""The front-matter model (pydantic), defined once: ingest reads any document's front matter with
`FrontMatter`, and `python -m kb.schema` checks the bundled ones with the stricter `CuratedFrontMatter`.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kb.records import Source
from kb.vocabulary import EVIDENCE_TYPES, POPULATIONS, TOPICS

_TEXT_FIELDS = ("cite", "authors", "title", "outlet", "doi", "url")


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _labels(value, key: str, allowed: tuple[str, ...], singular: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise ValueError(f"`{key}` must be a list from: {', '.join(allowed)}.")
    for v in value:
        if v not in allowed:
            raise ValueError(f"unknown {singular} {v!r}; allowed: {', '.join(allowed)}.")
    return tuple(value)


class SourceEntry(BaseModel):
    """One publication in `sources`."""

    model_config = ConfigDict(extra="ignore")
    cite: str = ""
    authors: str = ""
    year: int | None = None
    title: str = Field("", validate_default=True)
    outlet: str = ""
    doi: str = ""
    url: str = ""

    @field_validator(*_TEXT_FIELDS, mode="before")
    @classmethod
    def _strings(cls, value):
        return _text(value)

    @field_validator("year", mode="before")
    @classmethod
    def _year(cls, value):
        if value is None or isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        raise ValueError("needs an integer `year` (or none).")

    @field_validator("title")
    @classmethod
    def _titled(cls, value: str) -> str:
        if not value:
            raise ValueError("needs at least a `title`.")
        return value

    @field_validator("url")
    @classmethod
    def _http(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("url must start with http:// or https://")
        return value

    def to_source(self) -> Source:
        return Source(cite=self.cite, authors=self.authors, year=self.year, title=self.title,
                      outlet=self.outlet, doi=self.doi, url=self.url)


class FrontMatter(BaseModel):
    """What any document's front matter may say; every field is optional."""

    model_config = ConfigDict(extra="ignore")
    id: str | None = None
    title: str = ""
    summary: str = ""
    topics: tuple[str, ...] = ()
    populations: tuple[str, ...] = ()
    evidence_type: str = ""
    as_of: str = ""
    sources: tuple[SourceEntry, ...] = ()
    aliases: tuple[str, ...] = ()

    @field_validator("id", mode="before")
    @classmethod
    def _id(cls, value):
        return None if value is None else str(value)

    @field_validator("title", "summary", "evidence_type", mode="before")
    @classmethod
    def _strings(cls, value):
        return _text(value)

    @field_validator("topics", mode="before")
    @classmethod
    def _topics(cls, value):
        return _labels(value, "topics", TOPICS, "topic")

    @field_validator("populations", mode="before")
    @classmethod
    def _populations(cls, value):
        return _labels(value, "populations", POPULATIONS, "population")

    @field_validator("evidence_type")
    @classmethod
    def _evidence(cls, value: str) -> str:
        if value and value not in EVIDENCE_TYPES:
            raise ValueError(f"`evidence_type` must be one of: {', '.join(EVIDENCE_TYPES)}.")
        return value

    @field_validator("as_of", mode="before")
    @classmethod
    def _date(cls, value):
        if value is None or value == "":
            return ""
        if isinstance(value, dt.date):
            return value.isoformat()
        try:
            return dt.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise ValueError("`as_of` must be a date written YYYY-MM-DD.") from None

    @field_validator("sources", mode="before")
    @classmethod
    def _source_list(cls, value):
        if value is None:
            return ()
        if not isinstance(value, list):
            raise ValueError("`sources` must be a list of mappings (see kb/README.md).")
        return value

    @field_validator("aliases", mode="before")
    @classmethod
    def _aliases(cls, value):
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise ValueError("`aliases` must be a list of names, e.g. [MAPP2].")
        return tuple(v.strip() for v in value)


class CuratedSource(SourceEntry):
    """A source of a bundled document: cite, authors, title and an integer year."""

    cite: str = Field("", validate_default=True)
    authors: str = Field("", validate_default=True)
    year: int | None = Field(None, validate_default=True)

    @field_validator("cite", "authors")
    @classmethod
    def _present(cls, value: str, info) -> str:
        if not value:
            raise ValueError(f"has no `{info.field_name}`.")
        return value

    @field_validator("year", mode="after")
    @classmethod
    def _has_year(cls, value):
        if value is None:
            raise ValueError("needs an integer `year`.")
        return value


class CuratedFrontMatter(FrontMatter):
    """The front matter every document in kb/documents/ must have (see kb/README.md)."""

    title: str = Field("", validate_default=True)
    summary: str = Field("", validate_default=True)
    topics: tuple[str, ...] = Field((), validate_default=True)
    evidence_type: str = Field("", validate_default=True)
    as_of: str = Field("", validate_default=True)
    sources: tuple[CuratedSource, ...] = Field((), validate_default=True)

    @field_validator("title", "summary")
    @classmethod
    def _non_empty(cls, value: str, info) -> str:
        if not value:
            raise ValueError(f"`{info.field_name}` must be a non-empty string.")
        return value

    @field_validator("topics")
    @classmethod
    def _some_topics(cls, value):
        if not value:
            raise ValueError(f"`topics` must be a non-empty list from: {', '.join(TOPICS)}.")
        return value

    @field_validator("evidence_type")
    @classmethod
    def _typed(cls, value: str) -> str:
        if not value:
            raise ValueError(f"`evidence_type` must be one of: {', '.join(EVIDENCE_TYPES)}.")
        return value

    @field_validator("as_of")
    @classmethod
    def _dated(cls, value: str) -> str:
        if not value:
            raise ValueError("`as_of` must be a date written YYYY-MM-DD.")
        return value

    @field_validator("sources")
    @classmethod
    def _some_sources(cls, value):
        if not value:
            raise ValueError("`sources` must be a non-empty list (see kb/README.md).")
        return value


def _message(err: dict) -> tuple[str, str]:
    """(front-matter key, one-line message) for one pydantic error."""
    loc = err.get("loc") or ("front matter",)
    key = str(loc[0])
    text = str(err["ctx"]["error"]) if err.get("type") == "value_error" else ""
    if key == "sources" and len(loc) >= 2 and isinstance(loc[1], int):
        n = loc[1] + 1
        if len(loc) == 2:
            return key, f"source {n} must be a mapping with cite, authors, year, title."
        return key, f"source {n} {text or f'`{loc[2]}`: ' + err['msg'].lower() + '.'}"
    return key, text or f"`{key}`: {err['msg'].lower()}."


def check_front_matter(meta: dict, *, curated: bool = False
                       ) -> tuple[FrontMatter | None, list[tuple[str, str]]]:
    """The parsed front matter (None if invalid) and every problem as (key, message)."""
    model = CuratedFrontMatter if curated else FrontMatter
    try:
        return model.model_validate(meta or {}), []
    except ValidationError as exc:
        return None, [_message(e) for e in exc.errors()]
