"""One card per passage, copy-with-references text, the Markdown download and "current to"."""

from __future__ import annotations

import re

from click.testing import CliRunner
from conftest import ROOT
from test_ui_render import EVIL, assert_inert, citation, turn

from app import ui_cards as cards
from app.cli import cli
from app.ui_export import answer_plaintext, conversation_markdown, reference_lines
from kb.catalog import current_to, describe_index
from kb.safety import DISCLAIMER

TEXT = "Opening line of the passage. Second sentence is cited. Third one is cited too. The end."


def _two_from_one_passage() -> list[dict]:
    out = []
    for n, quote in ((2, "Second sentence is cited."), (3, "Third one is cited too.")):
        s = TEXT.index(quote)
        out.append(citation(n, chunk_id="doc#4", text=TEXT, quote=quote, quote_start=s,
                            quote_end=s + len(quote)))
    return out


def test_two_sentences_from_one_passage_make_one_card_with_both_marked_and_numbered():
    cites = [citation(1)] + _two_from_one_passage()
    assert [[c["n"] for c in g] for g in cards.group_by_passage(cites)] == [[1], [2, 3]]
    html = cards.sources_html([turn(citations=cites)])
    p = assert_inert(html)
    assert html.count('class="kb-cite"') == 2
    card = cards.card_html(cites[1:], t=1)
    assert '<span class="kb-num">[2][3]</span>' in card
    assert ('<mark>Second sentence is cited.</mark><span class="kb-qnum">[2]</span> '
            '<span class="kb-anchor" id="cite-1-3"></span><mark>Third one is cited too.</mark>'
            '<span class="kb-qnum">[3]</span> The end.') in card
    assert card.count('class="kb-ref"') == 1  # the same reference is listed once
    assert [a["id"] for _, a in p.tags if "id" in a] == ["cite-1-1", "cite-1-2", "cite-1-3"]


def test_the_same_sentence_cited_twice_is_marked_once_with_both_numbers():
    a, b = _two_from_one_passage()
    b = dict(b, quote=a["quote"], quote_start=a["quote_start"], quote_end=a["quote_end"])
    html = cards.passage_html([a, b], t=5)
    assert html.count("<mark>") == 1
    assert ('<span class="kb-anchor" id="cite-5-2"></span><span class="kb-anchor" id="cite-5-3">'
            '</span><mark>Second sentence is cited.</mark><span class="kb-qnum">[2][3]</span>'
            ) in html


def test_cards_say_whether_a_passage_is_curated_or_added_by_a_user():
    curated = cards.card_html([citation(1)], t=1)
    user = cards.card_html([citation(1, origin="user")], t=1)
    assert '<span class="kb-label kb-origin-curated">Curated document</span>' in curated
    assert '<span class="kb-label kb-origin-user">Added by a user</span>' in user
    assert "Added by a user" not in curated


def test_copy_text_is_the_answer_with_markers_then_numbered_references_with_links():
    t = turn(answer="Claim one. [1] Claim two. [2]",
             citations=[citation(1), citation(2, source="/srv/data/uploads/notes.md",
                                                 link="https://example.org/notes",
                                                 origin="user", section="", as_of="")])
    assert answer_plaintext(t) == (
        "Claim one. [1] Claim two. [2]\n\nReferences\n"
        "[1] Smith J (2021). A study. A journal. doi:10.1/abc https://doi.org/10.1/abc "
        "(knowledge-base document: A title › A section, as of 2024-08-10)\n"
        "[2] notes.md https://example.org/notes (knowledge-base document: A title, "
        "added by a user)")
    assert reference_lines([citation(3, link="", title="", section="", as_of="")]) == \
        ["[3] Smith J (2021). A study. A journal. doi:10.1/abc"]
    # Two markers citing the same reference in the same passage share one line.
    assert reference_lines(_two_from_one_passage()) == [
        "[2][3] Smith J (2021). A study. A journal. doi:10.1/abc https://doi.org/10.1/abc "
        "(knowledge-base document: A title › A section, as of 2024-08-10)"]
    assert answer_plaintext(turn(abstained=True, answer="Not covered.", citations=[])) == \
        "Not covered."


def test_markdown_download_has_every_question_answer_reference_disclaimer_and_date():
    turns = [turn(question="What did trials find?"),
             turn(question=EVIL, abstained=True, answer="Not covered here.", citations=[])]
    md = conversation_markdown(turns, "2025-09-30", "2026-01-02 10:00 UTC")
    assert md.startswith("# MDMA-assisted therapy for PTSD: knowledge base: conversation\n")
    assert "Saved 2026-01-02 10:00 UTC. Knowledge base current to 2025-09-30" in md
    assert f"> {DISCLAIMER}" in md
    assert "## Question 1\n\nWhat did trials find?\n\n**Answer**\n\nThey found things. [1]" in md
    assert "**References**\n\n- [1] Smith J (2021). A study. A journal. doi:10.1/abc " \
           "https://doi.org/10.1/abc" in md
    assert "## Question 2" in md and "Not covered here." in md
    assert "<script>" not in md and r"\<script\>window.__pwned=1\</script\>" in md
    assert "call or text 988" in md
    assert "No questions were asked yet." in conversation_markdown([], "", "now")


def test_current_to_is_the_latest_as_of_of_curated_documents_only():
    docs = [{"as_of": "2024-08-10", "origin": "curated"}, {"as_of": "2025-06-30"},
            {"as_of": "2026-01-01", "origin": "user"}, {"as_of": "", "origin": "curated"}]
    assert current_to(docs) == "2025-06-30"
    assert current_to([{"as_of": "2026-01-01", "origin": "user"}]) == ""


def test_the_bundled_knowledge_base_is_current_to_its_latest_document(assistant, kb_index):
    files = list((ROOT / "kb" / "documents").glob("*.md"))
    dates = [m.group(1) for f in files if (m := re.search(r"^as_of: (\S+)", f.read_text(), re.M))]
    assert len(dates) == len(files) >= 25
    info = describe_index(assistant.retriever.index)
    assert info["current_to"] == max(dates)
    out = CliRunner().invoke(cli, ["stats"], env={"KB_DATA_DIR": str(kb_index)}).output
    assert f"current to: {max(dates)} (latest as-of date, curated documents)" in out


def test_a_card_with_several_publications_says_which_number_cites_which():
    a, b = _two_from_one_passage()
    b = dict(b, source="Other K (2022). Another paper. doi:10.9/z", link="https://doi.org/10.9/z")
    card = cards.card_html([a, b], t=1)
    assert card.count('class="kb-ref"') == 2
    assert '<p class="kb-ref"><span class="kb-ref-num">[2]</span> Smith J (2021)' in card
    assert '<p class="kb-ref"><span class="kb-ref-num">[3]</span> Other K (2022)' in card
    assert "kb-ref-num" not in cards.card_html(_two_from_one_passage(), t=1)
