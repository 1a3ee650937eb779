"""The reference line under each [n] credits a publication only with a sentence that names it
(or with a document that has a single source); otherwise it says the sentence is not cited
individually. Real ingest of a written document, real Chroma, the real model."""

from __future__ import annotations

from ingest.pipeline import run_ingest
from kb.answer import citation_for
from kb.config import Settings
from kb.records import Hit
from kb.store import Index

DOC = """---
id: citation-scope-test
title: "Citation scope test"
summary: "A test document with two sources, one cited sentence and uncited ones."
topics: [efficacy]
evidence_type: review
as_of: 2026-12-01
sources:
  - cite: "Alder et al. 2020"
    authors: "Alder A, Birch B"
    year: 2020
    title: "A trial of something"
    outlet: "Journal of Tests"
    doi: "10.1000/alder"
  - cite: "Cedar 2022"
    authors: "Cedar C"
    year: 2022
    title: "A commentary on something"
    outlet: "Commentary Weekly"
    url: "https://example.org/cedar"
---

## Results

In the trial, 14 of 20 participants improved on the main scale (Alder et al. 2020). The trial
was small, so its percentages are imprecise estimates.

## Context

Other observers have said the design became a template for later work, and that larger studies
were needed before anyone drew firm conclusions about benefit in routine care settings.
"""


def _citations(tmp_path, embedder):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "citation-scope-test.md").write_text(DOC, encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "kb")
    report = run_ingest(settings, [str(tmp_path / "docs")], embedder, progress=False)
    assert not report.skipped, report.summary()
    out = {}
    for chunk in Index.open(settings).chunks():
        for i, (s, e) in enumerate(chunk.sentences):
            out[" ".join(chunk.text[s:e].split())] = citation_for(1, Hit(chunk, 1.0), i)
    return out


def test_reference_line_credits_only_the_sentence_own_source(tmp_path, embedder):
    cites = _citations(tmp_path, embedder)
    cited = next(c for q, c in cites.items() if "14 of 20" in q)
    assert cited.attributed == "sentence"
    assert cited.source.startswith("Alder A, Birch B (2020). A trial of something.")
    assert "Cedar" not in cited.source and "10.1000/alder" in cited.link

    leaning = next(c for q, c in cites.items() if q.startswith("The trial was small"))
    assert leaning.attributed == "passage"
    assert leaning.source.startswith("Sentence not cited individually; its passage cites: Alder")

    summary = next(c for q, c in cites.items() if q.startswith("Other observers"))
    assert summary.attributed == "document" and summary.link == ""
    assert summary.source == ("Sentence not cited individually: this knowledge base's own "
                              "summary, drawn from the 2 sources of the document.")
