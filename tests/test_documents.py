"""Every bundled knowledge-base document passes the schema, and the coverage the KB promises holds."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from kb.config import BUNDLED_DOCUMENTS
from kb.schema import TOPICS, split_front_matter, validate_document, validate_folder

DOCS = sorted(p for p in BUNDLED_DOCUMENTS.glob("*.md") if p.name.lower() != "readme.md")


def _meta(path: Path) -> dict:
    return split_front_matter(path.read_text(), path.name)[0]


def test_there_are_at_least_24_documents_with_unique_ids():
    assert len(DOCS) >= 24
    ids = [_meta(p)["id"] for p in DOCS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.stem)
def test_document_is_valid(path):
    assert validate_document(path) == []


def test_every_topic_is_covered_by_three_documents():
    counts = Counter(t for p in DOCS for t in _meta(p)["topics"])
    assert {t: counts[t] for t in TOPICS if counts[t] < 3} == {}


def test_required_coverage_is_present():
    ids = {p.stem for p in DOCS}
    for needed in ("pilot-trial-2011", "long-term-follow-up", "phase3-mapp1-trial",
                   "phase3-mapp2-trial", "qualitative-benefits-barone-2019",
                   "safety-and-adverse-events", "what-treatment-involves", "how-it-might-work",
                   "cost-and-insurance", "workforce-and-training", "rural-and-geographic-access",
                   "race-ethnicity-and-trial-representation", "low-income-communities",
                   "us-regulatory-timeline", "international-access", "role-of-social-workers",
                   "glossary", "faq-for-students"):
        assert needed in ids


def test_regulatory_status_is_stated_correctly():
    timeline = (BUNDLED_DOCUMENTS / "us-regulatory-timeline.md").read_text()
    assert "complete response letter" in timeline and "9 August 2024" in timeline
    for p in DOCS:
        assert "FDA-approved treatment" not in p.read_text() or "not" in p.read_text()


def test_validator_names_file_and_line(tmp_path):
    bad = tmp_path / "bad-doc.md"
    bad.write_text("---\nid: bad-doc\ntitle: T\nsummary: S\ntopics: [weather]\n"
                   "evidence_type: rumour\nas_of: someday\nsources: []\n---\n\n# Heading\n"
                   "Too short (Nobody 2020).\n")
    problems = validate_folder(tmp_path)
    assert f"{bad}, line 5: unknown topic 'weather'; allowed: {', '.join(TOPICS)}." in problems
    assert any(p.startswith(f"{bad}, line 6: `evidence_type` must be one of") for p in problems)
    assert f"{bad}, line 7: `as_of` must be a date written YYYY-MM-DD." in problems
    assert f"{bad}, line 8: `sources` must be a non-empty list (see kb/README.md)." in problems
    assert f"{bad}, line 11: no H1 in the body; the title is in front matter, use ## headings." \
        in problems
    assert f"{bad}, line 12: reference (Nobody 2020) matches no `cite` in sources." in problems
    assert f"{bad}: body has 5 words; write 300 to 1200." in problems
