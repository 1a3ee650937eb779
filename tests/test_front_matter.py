"""One front-matter model: ingest and the schema check read a document's front matter alike."""

from __future__ import annotations

import pytest

from ingest.load import document_from_text
from kb.errors import FrontMatterError
from kb.front_matter import check_front_matter

BODY = "\n\nA body with enough words to be indexed by the loader here.\n"


def _markdown(front: str) -> str:
    return f"---\n{front}\n---{BODY}"


@pytest.mark.parametrize("year", ["n.d.", "[2019]", "true"])
def test_a_year_that_is_not_an_integer_is_refused_by_both(year):
    front = f"title: T\nsources:\n  - cite: A 2019\n    authors: A\n    title: P\n    year: {year}"
    with pytest.raises(FrontMatterError, match=r"^doc.md: source 1 needs an integer `year`"):
        document_from_text(_markdown(front), ".md", "doc", "doc.md", "doc.md")
    _, errors = check_front_matter({"sources": [{"title": "P", "year": year}]}, curated=True)
    assert ("sources", "source 1 needs an integer `year` (or none).") in errors \
        or ("sources", "source 1 needs an integer `year`.") in errors


def test_an_integer_year_or_none_is_read_the_same_by_both():
    front = "title: T\nsources:\n  - cite: A 2019\n    authors: A\n    title: P\n    year: 2019"
    doc = document_from_text(_markdown(front), ".md", "doc", "doc.md", "doc.md")
    assert doc.sources[0].year == 2019
    parsed, errors = check_front_matter({"sources": [{"title": "P"}]})
    assert errors == [] and parsed.sources[0].year is None


def test_labels_dates_and_links_share_one_set_of_messages():
    _, errors = check_front_matter({"topics": ["weather"], "as_of": "someday",
                                    "evidence_type": "rumour",
                                    "sources": [{"title": "P", "url": "javascript:x"}]})
    messages = dict(errors)
    assert messages["topics"].startswith("unknown topic 'weather'; allowed: efficacy, ")
    assert messages["as_of"] == "`as_of` must be a date written YYYY-MM-DD."
    assert messages["evidence_type"].startswith("`evidence_type` must be one of: rct, ")
    assert messages["sources"] == "source 1 url must start with http:// or https://"
    curated, problems = check_front_matter({}, curated=True)
    assert curated is None
    assert {k for k, _ in problems} == {"title", "summary", "topics", "evidence_type", "as_of",
                                       "sources"}
