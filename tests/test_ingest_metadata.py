"""Metadata of user documents: saved page text, HTML, PDF and Word files give a title and a reference
(authors, year, outlet, link), their furniture never reaches a chunk, and sidecars or flags correct
a wrong guess. Real files, real Chroma, the real model."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import DATA, SHARED

from ingest.decode import decode_text
from ingest.load import Item, load_item
from ingest.meta import format_author, format_authors
from ingest.pipeline import run_ingest
from kb.config import Settings
from kb.errors import SidecarError
from kb.records import Source
from kb.store import Index

PAGES = DATA / "pages"


def _shared_sources() -> Path:
    """../shared/sources beside the checkout; from a git worktree, beside the main checkout."""
    if (SHARED / "sources").is_dir():
        return SHARED / "sources"
    common = subprocess.run(["git", "rev-parse", "--path-format=absolute", "--git-common-dir"],
                            cwd=DATA, capture_output=True, text=True, check=True).stdout.strip()
    return Path(common).parent.parent / "shared" / "sources"

# (file, title, authors, date, outlet, url) exactly as extraction must give them
EXPECTED = [
    ("northfield-ledger.txt",
     "County clinic trains its first cohort of trauma therapists in psychedelic research ethics",
     "Holt M", "2023-04-07", "The Northfield Ledger", ""),
    ("riverbend-practice-note.txt",
     "What supervision looks like when a client asks about MDMA trials",
     "Okafor-Lind A", "2022-01-12", "Riverbend Practice Notes", ""),
    ("harbour-review.md",
     "Rural counties weigh travel vouchers for clients in future psychedelic therapy programmes",
     "Reyes T, Park L", "2021-11-30", "The Harbour Review", ""),
    ("capitol-health-wire.html",
     "State panel hears testimony on access to MDMA-assisted therapy research",
     "Whitfield J", "2024-05-14", "Capitol Health Wire",
     "https://capitolhealthwire.example.org/2024/05/panel-testimony"),
    ("open-practice-journal.html", "Talking with families about psychedelic research",
     "Raman P, Castellanos O", "2023-02-27", "Open Practice Journal",
     "https://openpractice.example.net/essays/families-and-research"),
    ("county-briefing.pdf", "Peer support workers and trauma-informed referral: a county briefing",
     "Sato H", "2023-09-18", "", ""),
    ("agency-guidance.docx", "Answering client questions about psychedelic research",
     "Brandt E", "2024-02-05", "", ""),
]

# Lines of page furniture in each fixture: none may appear in any chunk.
FURNITURE = {
    "northfield-ledger.txt": ["Skip to content", "Sign In", "The Northfield Ledger", "Search",
                              "Home › Health", "By Maren Holt", "Published April 7, 2023",
                              "in Health, Mental Health", "Photo: Northfield", "Share on",
                              "Related stories", "County budget hearing", "Follow The",
                              "All rights reserved", "Privacy Policy"],
    "riverbend-practice-note.txt": ["Riverbend Practice Notes", "Reflections for community",
                                    "Menu", "Posted on", "LCSW", "Reading time",
                                    "do not necessarily reflect", "About the author",
                                    "is a clinical social worker who supervises",
                                    "You might also like", "Three questions to ask",
                                    "Notes from a year"],
    "harbour-review.md": ["Skip to main content", "Programs | Newsletter", "Published:",
                          "Words by", "Share this article", "Tags:", "More from",
                          "Subscribe to"],
    "capitol-health-wire.html": ["Subscribe", "We use cookies", "Accept all", "By Jordan",
                                 "Related coverage", "Budget talks", "Clinic waiting lists",
                                 "© 2024", "Privacy Policy", "Share on Facebook"],
    "open-practice-journal.html": ["Log in", "Create an account", "Popular posts",
                                   "Ten tips", "A reading list", "Owen Castellanos —",
                                   "Tweet", "Terms of use"],
    "county-briefing.pdf": [],
    "agency-guidance.docx": [],
}


def make_briefing_pdf(path: Path, *, with_info: bool = True) -> None:
    """A two-page PDF; with_info sets title, author and creation date in the document info."""
    from fpdf import FPDF

    pdf = FPDF()
    if with_info:
        pdf.set_title("Peer support workers and trauma-informed referral: a county briefing")
        pdf.set_author("Hana Sato")
    pdf.set_creation_date(dt.datetime(2023, 9, 18, 10, 0, tzinfo=dt.UTC))
    pdf.set_font("Helvetica", size=12)
    pdf.add_page()
    pdf.multi_cell(0, 8, "Referral pathways for peer support workers\n\n"
                   "Peer support workers in the county often hear clients ask about new "
                   "treatments for trauma. This briefing explains how to pass such questions to "
                   "a clinician who can discuss research options honestly.")
    pdf.add_page()
    pdf.multi_cell(0, 8, "Peer workers should not describe any investigational treatment as "
                   "available, and should record the referral in the client's notes.")
    pdf.output(str(path))


def make_guidance_docx(path: Path) -> None:
    """A Word file with a Title paragraph, headings, a list and a table, and core properties."""
    from docx import Document

    doc = Document()
    doc.core_properties.title = "Answering client questions about psychedelic research"
    doc.core_properties.author = "Elena Brandt"
    doc.core_properties.created = dt.datetime(2024, 2, 5, 8, 0)
    doc.add_paragraph("Answering client questions about psychedelic research", style="Title")
    doc.add_heading("Purpose", level=1)
    doc.add_paragraph("This guidance helps agency staff respond when a client asks whether they "
                      "can receive MDMA-assisted therapy, which remains an investigational "
                      "treatment studied in clinical trials.")
    doc.add_heading("What staff should say", level=1)
    doc.add_paragraph("Explain that the treatment is not approved for prescription.",
                      style="List Bullet")
    doc.add_paragraph("Offer to look up registered trials together.", style="List Bullet")
    doc.add_heading("Record keeping", level=2)
    doc.add_paragraph("Staff note the question and any referral in the client's file so that "
                      "the supervising clinician can follow up at the next appointment.")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Question", "Who answers"
    table.cell(1, 0).text, table.cell(1, 1).text = "Trial eligibility", "Supervising clinician"
    doc.save(str(path))


@pytest.fixture(scope="module")
def fixture_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("user-docs")
    for name, *_ in EXPECTED[:5]:
        shutil.copy(PAGES / name, folder / name)
    make_briefing_pdf(folder / "county-briefing.pdf")
    make_guidance_docx(folder / "agency-guidance.docx")
    return folder


@pytest.fixture(scope="module")
def fixture_index(fixture_folder, embedder, tmp_path_factory):
    settings = Settings(data_dir=tmp_path_factory.mktemp("user-index"))
    report = run_ingest(settings, [str(fixture_folder)], embedder, progress=False)
    assert not report.skipped, report.summary()
    return settings, report, Index.open(settings).chunks()


@pytest.mark.parametrize("name,title,authors,date,outlet,url", EXPECTED)
def test_each_fixture_gives_exact_title_author_date_and_outlet(fixture_folder, name, title,
                                                               authors, date, outlet, url):
    doc, _ = load_item(Item(str(fixture_folder / name)), Settings())
    src = doc.sources[0]
    assert (doc.title, src.authors, doc.as_of, src.outlet, src.url) == \
        (title, authors, date, outlet, url)
    assert src.year == int(date[:4]) and doc.origin == "user"
    assert title not in doc.text  # the headline is the title, never an answer sentence


def test_no_furniture_line_reaches_a_chunk(fixture_index):
    _, report, chunks = fixture_index
    assert sorted(report.added) == sorted(name for name, *_ in EXPECTED)
    for name, lines in FURNITURE.items():
        texts = [c.text for c in chunks if c.doc_id == name]
        assert texts, name
        for line in lines:
            assert not any(line in t for t in texts), (name, line)


def test_headings_become_sections(fixture_index):
    _, _, chunks = fixture_index
    sections = {(c.doc_id, c.section) for c in chunks}
    assert ("riverbend-practice-note.txt", "Start with what is known") in sections
    assert ("agency-guidance.docx", "What staff should say") in sections
    assert ("agency-guidance.docx", "What staff should say > Record keeping") in sections
    docx = " ".join(c.text for c in chunks if c.doc_id == "agency-guidance.docx")
    assert "Offer to look up registered trials together." in docx
    assert "Trial eligibility | Supervising clinician" in docx


def test_report_lists_what_was_extracted(fixture_index):
    _, report, _ = fixture_index
    summary = report.summary()
    assert ("read northfield-ledger.txt: title “County clinic trains its first cohort of trauma "
            "therapists in psychedelic research ethics”; author Holt M; date 2023-04-07; "
            "outlet The Northfield Ledger") in summary
    assert "read agency-guidance.docx: title “Answering client questions about psychedelic " \
           "research”; author Brandt E; date 2024-02-05; outlet (none)" in summary
    assert len(report.extracted) == len(EXPECTED)


def test_pdf_without_document_info_is_titled_by_its_first_page_heading(tmp_path):
    make_briefing_pdf(tmp_path / "plain.pdf", with_info=False)
    doc, _ = load_item(Item(str(tmp_path / "plain.pdf")), Settings())
    assert doc.title == "Referral pathways for peer support workers"
    assert doc.as_of == "2023-09-18" and doc.sources[0].authors == ""


def test_shared_raw_pages_are_cited_like_references(embedder, tmp_path):
    """The two real captures in ../shared/sources: headline as title, author and date in the
    citation, and no furniture in any chunk."""
    from kb.answer import citation_for
    from kb.records import Hit

    settings = Settings(data_dir=tmp_path / "kb")
    report = run_ingest(settings, [str(_shared_sources())], embedder, progress=False)
    assert not report.skipped and report.read == 2, report.summary()
    chunks = Index.open(settings).chunks()
    psypost = [c for c in chunks if c.doc_id.startswith("psypost")]
    hutchison = [c for c in chunks if c.doc_id.startswith("hutchison")]
    cite = citation_for(1, Hit(psypost[0], 1.0), 0)
    assert cite.title == ("Veterans and first responders report lasting personal benefits after "
                          "MDMA-assisted psychotherapy")
    assert cite.source == ("Rigg C (2020). Veterans and first responders report lasting personal "
                           "benefits after MDMA-assisted psychotherapy. PsyPost.")
    assert cite.as_of == "2020-03-23" and cite.origin == "user"
    cite = citation_for(1, Hit(hutchison[0], 1.0), 0)
    assert cite.source == ("Hutchison C (2019). MDMA Could Revolutionize Care for Trauma, a Social "
                           "Worker’s Perspective. Psychedelic Support.")
    assert cite.as_of == "2019-02-19"
    furniture = ["The latest psychology and neuroscience discoveries", "PsyPost", "My Account",
                 "View All Result", "Home Exclusive", "March 23, 2020", "by Christian Rigg",
                 "Photo credit", "in MDMA, Psychedelic Drugs", "Share on", "Stay informed",
                 "RELATED", "STAY CONNECTED", "LATEST", "Privacy policy", "Welcome Back",
                 "Veterans and first responders report lasting personal benefits after",
                 "woman with wings", "Author:", "By Courtney", "February 19, 2019",
                 "The content provided is for educational", "Published by:",
                 "I am Courtney Hutchison", "You may also be interested in",
                 "MDMA Could Revolutionize Care for Trauma"]
    for line in furniture:
        assert not any(line in c.text for c in psypost + hutchison), line
    assert any("15 of 19 participants" in c.text for c in psypost)
    assert any(c.section == "References" for c in hutchison)


def test_sidecar_overrides_extraction(tmp_path):
    page = tmp_path / "northfield-ledger.txt"
    shutil.copy(PAGES / page.name, page)
    (tmp_path / "northfield-ledger.meta.yaml").write_text(
        "title: Clinic trains therapists in research ethics\nauthors: [Maren Holt, Sam Ito]\n"
        "date: 2023-04-08\noutlet: Northfield Ledger (print edition)\n"
        "url: https://ledger.example.org/clinic\ntopics: [social-work, access]\n"
        "evidence_type: commentary\n")
    doc, _ = load_item(Item(str(page)), Settings())
    assert doc.title == "Clinic trains therapists in research ethics"
    assert doc.sources == (Source(cite="", authors="Holt M, Ito S", year=2023,
                                  title="Clinic trains therapists in research ethics",
                                  outlet="Northfield Ledger (print edition)",
                                  url="https://ledger.example.org/clinic"),)
    assert (doc.as_of, doc.topics, doc.evidence_type) == \
        ("2023-04-08", ("social-work", "access"), "commentary")


@pytest.mark.parametrize("text,message", [
    ("title: A\nauthors: [unclosed\n", "northfield-ledger.meta.yaml, line 3: not valid YAML"),
    ("title: A\ntopics: [efficacy, weather]\n",
     "northfield-ledger.meta.yaml, line 2: unknown topic 'weather'; allowed: efficacy,"),
    ("title: A\n\nautor: B\n", "northfield-ledger.meta.yaml, line 3: unknown field `autor`;"),
    ("date: last spring\n", "northfield-ledger.meta.yaml, line 1: cannot read date 'last spring'"),
])
def test_bad_sidecar_is_one_line_naming_file_and_line(tmp_path, embedder, text, message):
    page = tmp_path / "northfield-ledger.txt"
    shutil.copy(PAGES / page.name, page)
    (tmp_path / "northfield-ledger.meta.yaml").write_text(text)
    with pytest.raises(SidecarError) as exc:
        load_item(Item(str(page)), Settings())
    assert str(exc.value).startswith(message) and "\n" not in str(exc.value)


def test_bad_sidecar_skips_only_its_file(tmp_path, embedder):
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("northfield-ledger.txt", "riverbend-practice-note.txt"):
        shutil.copy(PAGES / name, folder / name)
    (folder / "northfield-ledger.meta.yaml").write_text("topics: [weather]\n")
    settings = Settings(data_dir=tmp_path / "kb")
    report = run_ingest(settings, [str(folder)], embedder, progress=False)
    assert report.added == ["riverbend-practice-note.txt"]
    assert report.skipped == [(str(folder / "northfield-ledger.txt"),
                               "northfield-ledger.meta.yaml, line 1: unknown topic 'weather'; "
                               "allowed: efficacy, safety, protocol, mechanism, stigma, access, "
                               "equity, policy, social-work")]


def test_author_names_are_formatted_as_surname_initials():
    assert format_author("Christian Rigg") == "Rigg C"
    assert format_author("A. Writer") == "Writer A"
    assert format_author("Mary-Jane van der Berg") == "van der Berg MJ"
    assert format_author("Rigg C") == "Rigg C"
    assert format_author("PsyPost Staff") == "PsyPost Staff"
    assert format_authors("Courtney Hutchison, LSW, MPH") == ("Hutchison C",)
    assert format_authors("Doe, Jane") == ("Doe J",)
    assert format_authors("Jane Doe; John Smith") == ("Doe J", "Smith J")


def test_reference_shape_keeps_doi_and_url():
    assert Source("", "Quill A, Marsh B", 2024, "A trial", "J Test", doi="10.0/x").reference() \
        == "Quill A, Marsh B (2024). A trial. J Test. doi:10.0/x"
    assert Source("", "Smith J, et al.", 2021, "Title.", "Outlet", url="https://e.org").reference() \
        == "Smith J, et al. (2021). Title. Outlet. https://e.org"
    assert Source("", "", None, "Only a title", "").reference() == "Only a title."
    assert Source("", "Ito S", 2022, "Does it help?", "Blog").reference() == \
        "Ito S (2022). Does it help? Blog."


def test_mostly_utf8_file_with_one_bad_byte_stays_utf8():
    text = "Café notes: the café on Rue Bénard opens at nine, déjà vu for every visitor."
    data = text.encode("utf-8").replace(b"nine", b"n\xffine")
    decoded, note = decode_text(data, "notes.txt")
    assert "Café" in decoded and "Bénard" in decoded and "Ã" not in decoded
    bad = data.index(b"\xff")
    assert note == (f"notes.txt: 1 invalid UTF-8 byte sequence(s) (first at byte {bad}) "
                    "dropped; the rest read as UTF-8")
    windows, note = decode_text(text.encode("cp1252"), "old.txt")
    assert windows == text and note == "old.txt: not valid UTF-8 (byte 3); read as Windows-1252"


def test_mostly_utf8_file_is_ingested_with_its_accents(tmp_path, embedder):
    page = tmp_path / "notes.txt"
    data = ("Café notes: the café on Rue Bénard opens at nine, déjà vu for every visitor, and "
            "the crème brûlée is good.").encode().replace(b"nine", b"n\xe9ine")
    page.write_bytes(data)
    settings = Settings(data_dir=tmp_path / "kb")
    report = run_ingest(settings, [str(page)], embedder, progress=False)
    assert report.added == ["notes.txt"]
    bad = data.index(b"\xe9i")
    assert report.notes == [f"notes.txt: 1 invalid UTF-8 byte sequence(s) (first at byte {bad}) "
                            "dropped; the rest read as UTF-8"]
    chunk = Index.open(settings).chunks()[0]
    assert "café on Rue Bénard opens at nine" in chunk.text and "Ã" not in chunk.text


def test_cli_flags_correct_one_file_and_are_refused_for_a_folder(tmp_path):
    from click.testing import CliRunner

    from app.cli import cli

    page = tmp_path / "docs" / "harbour-review.md"
    page.parent.mkdir()
    shutil.copy(PAGES / page.name, page)

    def run(*args):
        return CliRunner().invoke(cli, ["ingest", "-q", *args], catch_exceptions=False)

    folder = run(str(page.parent), "--title", "X")
    assert folder.exit_code == 2
    assert ("Error: --title, --author, --date, --url and --outlet correct one document: give a "
            "single file or URL (for a folder, put a NAME.meta.yaml beside each file; see README, "
            "'Adding your own documents')") in folder.output
    several = run(str(page), str(PAGES / "northfield-ledger.txt"), "--author", "A B")
    assert several.exit_code == 2 and "correct one document" in several.output
    bad_date = run(str(page), "--date", "soon")
    assert bad_date.exit_code == 2
    assert "Error: --date: cannot read 'soon' as a date; write it as YYYY-MM-DD" in bad_date.output
    fixed = run(str(page), "--title", "Travel vouchers for rural clients", "--author",
                "Tomás Reyes", "--author", "Lina Park", "--date", "2021-12-01", "--outlet",
                "Harbour Review", "--url", "https://harbour.example.org/vouchers")
    assert fixed.exit_code == 0, fixed.output
    assert ("read harbour-review.md: title “Travel vouchers for rural clients”; author Reyes T, "
            "Park L; date 2021-12-01; outlet Harbour Review; "
            "url https://harbour.example.org/vouchers") in fixed.output
    chunk = Index.open(Settings()).chunks()[0]
    assert chunk.title == "Travel vouchers for rural clients" and chunk.as_of == "2021-12-01"
    assert chunk.sources[0].reference() == ("Reyes T, Park L (2021). Travel vouchers for rural "
                                            "clients. Harbour Review. "
                                            "https://harbour.example.org/vouchers")


@pytest.mark.parametrize("text,title,body", [
    ("Team meeting summary\nMay 3, 2021\n\nWe agreed to review intake forms.\nNext meeting in June.",
     "Team meeting summary", "We agreed to review intake forms.\nNext meeting in June."),
    ("Clinic opening hours\n\nOpen Monday to Friday.\nClosed on holidays.",
     "Clinic opening hours", "Open Monday to Friday.\nClosed on holidays."),
    ("Note to self.\nRemember to call the clinic about the new intake form\nand bring the papers.",
     "", "Note to self.\nRemember to call the clinic about the new intake form\nand bring the papers."),
])
def test_short_notes_keep_every_sentence(text, title, body):
    from ingest.page_text import extract_page_text

    meta, text_out = extract_page_text(text)
    assert (meta.title, text_out) == (title, body)


def test_a_photographer_or_reviewer_is_not_the_author():
    from ingest.page_text import extract_page_text

    page = ("Clinic hires two peer counsellors\n\nPhoto by Jane Doe\nReviewed by Sam Lee, MD\n"
            "By Ana Ruiz\nMay 2, 2021\n\n" + "The clinic hired two peer counsellors this spring "
            "to help clients who are waiting for a first appointment with a therapist.")
    meta, body = extract_page_text(page)
    assert (meta.title, meta.authors, meta.date) == ("Clinic hires two peer counsellors",
                                                     ("Ruiz A",), "2021-05-02")
    assert body.startswith("The clinic hired") and "Jane Doe" not in body
