"""Content rules for the bundled documents: dated status sentences, caveated doses, aliases, own words.

The sentences checked are the ones the chunker cuts (`kb.sentence_split.sentence_spans`), because a
single sentence is what an answer quotes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT

from kb.config import BUNDLED_DOCUMENTS
from kb.schema import _PAREN, split_front_matter
from kb.sentence_split import sentence_spans

DOCS = sorted(p for p in BUNDLED_DOCUMENTS.glob("*.md") if p.name.lower() != "readme.md")

# A sentence about the regulatory or access picture...
STATUS = re.compile(r"approv|\bFDA\b|schedul|legal|\blaws?\b|\bbills?\b|\baccess|insurance|"
                    r"\bcovered\b|coverage|prescrib|training", re.I)
# ...told in the present tense...
PRESENT = re.compile(r"\b(?:currently|now|still|today|at present|remains?)\b", re.I)
# ...must say when: a year (or month and year) in the running text, not only in a reference.
DATED = re.compile(r"\b(?:19|20)\d{2}\b")
# A dose amount: "120 mg", "80 mg + 40 mg", "1.5 mg/kg".
DOSE = re.compile(r"\b\d+(?:\.\d+)?\s?mg\b", re.I)
RESEARCH = re.compile(r"research[- ]protocol|trial protocol|study protocol|\bprotocols?\b|"
                      r"\bin (?:the|this|that|these|those|both|each|its) [\w -]{0,30}"
                      r"(?:trials?|stud(?:y|ies))\b", re.I)
SUPERVISED = re.compile(r"medical supervision|medically supervised|under supervision", re.I)


def _body(path: Path) -> str:
    return split_front_matter(path.read_text(encoding="utf-8"), path.name)[1]


def _sentences(text: str) -> list[str]:
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith("#")]
    text = "\n".join(lines)
    return [text[s:e].strip() for s, e in sentence_spans(text)]


# The statute's own wording for Schedule I ("no currently accepted medical use") is a definition,
# not a status claim.
DEFINITION = re.compile(r"currently accepted medical use", re.I)


def undated_status_sentences(text: str) -> list[str]:
    """Present-tense status sentences with no date outside their references."""
    found = []
    for sentence in _sentences(text):
        running = DEFINITION.sub("", _PAREN.sub("", sentence))
        if STATUS.search(running) and PRESENT.search(running) and not DATED.search(running):
            found.append(sentence)
    return found


def bare_dose_sentences(text: str) -> list[str]:
    """Sentences giving a mg amount without saying, in the same sentence, that it is a
    research-protocol fact given under medical supervision."""
    return [s for s in _sentences(text)
            if DOSE.search(s) and not (RESEARCH.search(s) and SUPERVISED.search(s))]


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.stem)
def test_status_sentences_carry_their_date(path):
    assert undated_status_sentences(_body(path)) == []


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.stem)
def test_dose_amounts_only_appear_with_their_research_caveat(path):
    assert bare_dose_sentences(_body(path)) == []


def test_the_checks_catch_undated_status_and_bare_doses():
    assert undated_status_sentences(
        "MDMA is still a Schedule I drug (DEA 2024). Nothing else here.") == [
        "MDMA is still a Schedule I drug (DEA 2024)."]
    assert undated_status_sentences("As of December 2026, MDMA is still in Schedule I.") == []
    assert undated_status_sentences("The therapy currently has no insurance coverage.") != []
    assert undated_status_sentences("Symptoms still fell in both groups (Mitchell et al. 2021).") \
        == []
    assert bare_dose_sentences("Sessions used 120 mg followed by 60 mg.") != []
    assert bare_dose_sentences("In the MAPP1 trial protocol, given only under medical "
                               "supervision, sessions began with 80 mg.") == []


def _aliases(path: Path) -> list[str]:
    meta = split_front_matter(path.read_text(encoding="utf-8"), path.name)[0]
    return [str(a) for a in meta.get("aliases") or []]


def test_documents_about_one_named_subject_have_aliases():
    for stem in ("phase3-mapp1-trial", "phase3-mapp2-trial", "pilot-trial-2011",
                 "phase2-veterans-first-responders", "long-term-follow-up",
                 "qualitative-benefits-barone-2019"):
        assert _aliases(BUNDLED_DOCUMENTS / f"{stem}.md"), stem


def test_aliases_never_name_two_documents():
    owner: dict[str, str] = {}
    for path in DOCS:
        for alias in _aliases(path):
            key = alias.casefold().strip()
            assert key not in owner, f"{alias!r} is an alias of {owner.get(key)} and {path.stem}"
            owner[key] = path.stem


def _sources_dir() -> Path:
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared" / "sources").is_dir():
            return base / "shared" / "sources"
    raise AssertionError("shared/sources/ not found next to the repository")


def _shingles(text: str, n: int = 10) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def test_no_document_copies_ten_words_in_a_row_from_the_shared_sources():
    sources = set().union(*(_shingles(p.read_text(encoding="utf-8", errors="replace"))
                            for p in _sources_dir().glob("*.txt")))
    assert sources
    copied = {p.stem: len(_shingles(_body(p)) & sources) for p in DOCS}
    assert {k: v for k, v in copied.items() if v} == {}
