"""The chat end to end: the real app on loopback, driven in Debian's Chromium with Playwright."""

from __future__ import annotations

import json
import re

import pytest
from conftest import ROOT
from playwright.sync_api import Page, expect
from ui_support import ask, chromium, open_page, running_chat

from kb.catalog import describe_index
from kb.config import Settings

pytestmark = pytest.mark.slow  # a real server in real Chromium

POISON = """---
title: "Harbour lantern festival <img src=x onerror=\\"window.__pwned=3\\">"
topics: [access]
evidence_type: commentary
as_of: 2024-05-01
sources:
  - cite: "Mallory 2024"
    authors: "Mallory <script>window.__pwned=4</script>"
    year: 2024
    title: "Lanterns <img src=x onerror=\\"window.__pwned=5\\">"
    url: "https://example.org/harbour-lanterns"  # a javascript: link here is refused at ingest
---
## Lanterns <img src=x onerror="window.__pwned=7">

The harbour lantern festival fills the old quay with paper lanterns every October night.
<script>window.__pwned=1</script>
Volunteers fold the harbour lanterns by hand in the weeks before the festival.
<img src=x onerror="window.__pwned=2">
Read the [festival guide](javascript:window.__pwned=8) before you visit the harbour lantern festival.
Each harbour lantern is photographed for the festival archive. ![lantern](http://203.0.113.7/pixel.png)
The harbour lantern festival ends with a parade <img src="http://203.0.113.7/remote.png"> along the quay.
"""
Q_TRIALS = "What did the phase 3 trials of MDMA-assisted therapy find?"
Q_FOLLOW = "Did it last?"


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def chat(assistant, tmp_path_factory):
    """One server for the read-only tests; feedback goes to its own data dir."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("chat"), enable_upload=False)
    with running_chat(settings, assistant) as url:
        yield url, settings


@pytest.fixture
def page(browser, chat):
    page = open_page(browser, chat[0])
    yield page
    page.context.close()


def choose(page: Page, label: str, option: str) -> None:
    page.get_by_label(label).click()
    page.get_by_role("option", name=option, exact=True).click()


def test_answer_shows_markers_sources_and_highlighted_passages(page: Page, assistant):
    expect(page.get_by_text("Educational information, not medical or legal advice.")).to_be_visible()
    turn = ask(page, Q_TRIALS)
    expected = assistant.ask(Q_TRIALS)
    answer = turn.locator(".kb-a-answer")
    markers = answer.locator("a.kb-marker")
    expect(markers).to_have_count(len(expected.citations))
    for c in expected.citations:
        marker = answer.locator(f'a[href="#cite-1-{c.n}"]')
        expect(marker).to_have_text(f"[{c.n}]")
        expect(marker).to_have_attribute("title", f"{c.title} › {c.section}")
        card = page.locator(f"#kb-sources .kb-cite:has(#cite-1-{c.n})")
        expect(card.locator(".kb-title")).to_have_text(c.title)
        expect(card.locator("mark", has_text=c.quote)).to_have_count(1)
        expect(card.locator(".kb-passage")).to_contain_text(c.text[:60])
        expect(card.locator(".kb-label").first).to_have_text("Curated document")
    first = expected.citations[0]
    if first.link:
        expect(page.locator(".kb-cite:has(#cite-1-1) .kb-ref a").first).to_have_attribute(
            "href", first.link)

    last = expected.citations[-1].n
    card = page.locator(f".kb-cite:has(#cite-1-{last})")
    page.set_viewport_size({"width": 1360, "height": 640})  # the last card starts out of view
    expect(card).not_to_be_in_viewport(ratio=0.5)
    answer.locator(f'a[href="#cite-1-{last}"]').click()
    expect(card).to_be_in_viewport(ratio=0.5)
    assert page.evaluate("location.hash") == f"#cite-1-{last}"


def test_topic_filter_limits_the_cited_documents(page: Page, assistant):
    question = "What barriers keep low-income clients from this treatment?"
    unfiltered = assistant.ask(question)
    assert any("stigma" not in h.chunk.topics for h in unfiltered.retrieved
               if h.chunk.chunk_id in {c.chunk_id for c in unfiltered.citations})
    choose(page, "Topic", "Stigma")
    expect(page.get_by_role("button", name="Why is MDMA a Schedule I drug?")).to_be_visible()
    turn = ask(page, question)
    expect(turn.locator(".kb-filters")).to_have_text("Filtered by topic: stigma")
    cards = page.locator("#kb-sources .kb-cite")
    assert cards.count() >= 1
    for i in range(cards.count()):
        expect(cards.nth(i).locator(".kb-label", has_text="topic: stigma")).to_have_count(1)


def test_out_of_scope_and_crisis_questions_get_distinct_notices(page: Page):
    turn = ask(page, "What is the capital of France?")
    notice = turn.locator(".kb-notice-abstain")
    expect(notice).to_contain_text("Not covered by this knowledge base")
    expect(turn.locator(".kb-a-answer")).to_have_count(0)
    expect(turn.locator("a.kb-marker")).to_have_count(0)
    turn = ask(page, "I want to kill myself")
    crisis = turn.locator(".kb-notice-crisis[role=alert]")
    expect(crisis).to_contain_text("988")
    expect(crisis.get_by_role("link", name="988lifeline.org")).to_have_attribute(
        "href", "https://988lifeline.org/")
    turn = ask(page, "How much MDMA should I take at home?")
    expect(turn.locator(".kb-notice-dosing")).to_contain_text("Request declined")
    expect(page.locator("#kb-sources .kb-cite")).to_have_count(0)


def test_follow_up_uses_the_conversation_and_new_conversation_forgets_it(page: Page, assistant):
    assert assistant.ask(Q_FOLLOW).abstained
    assert not assistant.ask(Q_FOLLOW, history=[Q_TRIALS]).abstained
    ask(page, Q_TRIALS)
    turn = ask(page, Q_FOLLOW)
    expect(turn.locator(".kb-a-answer a.kb-marker").first).to_be_visible()
    expect(page.locator("#kb-sources .kb-group")).to_have_count(2)
    page.get_by_role("button", name="New conversation").click()
    expect(page.locator(".kb-turn")).to_have_count(0)
    turn = ask(page, Q_FOLLOW)
    expect(turn.locator(".kb-notice-abstain")).to_be_visible()


def test_feedback_is_appended_to_the_log_on_disk(page: Page, chat, assistant):
    settings = chat[1]
    question = "Will insurance cover MDMA-assisted therapy?"
    ask(page, question)
    expect(page.get_by_text("don't type names or other details that could identify a client")
           ).to_be_visible()
    page.locator("#kb-comment textarea, #kb-comment input").first.fill("Clear, but too short.")
    page.get_by_role("button", name="Not helpful").click()
    expect(page.locator("#kb-feedback")).to_contain_text("your feedback was saved")
    rows = [json.loads(line) for line in settings.feedback_path.read_text().splitlines()]
    row = next(r for r in rows if r["comment"] == "Clear, but too short.")
    expected = assistant.ask(question)
    assert row["question"] == question and row["rating"] == "down"
    assert row["answer"] == expected.answer
    assert row["citations"] == [c.chunk_id for c in expected.citations]
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", row["time"])


def test_about_view_lists_documents_topics_build_time_and_crisis_lines(page: Page, assistant):
    page.get_by_role("tab", name="About this knowledge base").click()
    about = page.locator(".kb-about")
    n_docs = len(list((ROOT / "kb" / "documents").glob("*.md")))
    assert n_docs >= 25
    expect(about).to_contain_text(f"{n_docs} documents")
    built = assistant.retriever.index.metadata["built_at"]
    expect(about).to_contain_text(f"Index built {built}")
    current = describe_index(assistant.retriever.index)["current_to"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", current)
    expect(about.locator(".kb-current-to")).to_contain_text(f"Current to {current}")
    expect(about.locator("table.kb-topics tr", has_text="stigma")).to_have_count(1)
    expect(about.locator(".kb-doc")).to_have_count(n_docs)
    expect(about.get_by_text("Call or text 988")).to_be_visible()
    expect(page.get_by_text("Educational information, not medical or legal advice.").first
           ).to_be_visible()


def _remote_requests(page: Page) -> list[str]:
    seen: list[str] = []

    def handle(route):
        url = route.request.url
        if url.startswith("http://127.0.0.1:") or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            seen.append(url)
            route.abort()

    page.route("**/*", handle)
    return seen


def test_poisoned_document_and_typed_html_render_as_text(browser, kb_copy, embedder):
    from ingest.pipeline import run_ingest
    from kb.assistant import build_assistant

    path = kb_copy.data_dir.parent / "poison" / "harbour-lanterns.md"
    path.parent.mkdir()
    path.write_text(POISON)
    report = run_ingest(kb_copy, [str(path)], embedder, progress=False)
    assert report.added == ["harbour-lanterns.md"], report.summary()
    poisoned = build_assistant(kb_copy, embedder)
    with running_chat(kb_copy, poisoned) as url:
        context = browser.new_context(viewport={"width": 1360, "height": 1000})
        page = context.new_page()
        remote = _remote_requests(page)
        page.goto(url)
        turn = ask(page, "When is the harbour lantern festival?")
        expect(turn.locator("a.kb-marker").first).to_be_visible()
        card = page.locator("#kb-sources .kb-cite").first
        expect(card.locator(".kb-title")).to_have_text(
            'Harbour lantern festival <img src=x onerror="window.__pwned=3">')
        expect(card.locator(".kb-origin-user")).to_have_text("Added by a user")
        expect(page.locator("#kb-sources")).to_contain_text("<script>window.__pwned=1</script>")
        ask(page, '<img src=x onerror="window.__pwned=9"> and <script>window.__pwned=10</script>')
        page.get_by_role("tab", name="About this knowledge base").click()
        expect(page.locator(".kb-about")).to_contain_text("Lanterns <img src=x")
        page.wait_for_timeout(500)  # give any injected handler time to fire

        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.locator("script", has_text="__pwned").count() == 0
        srcs = page.locator("img").evaluate_all("els => els.map(e => e.getAttribute('src'))")
        assert not [s for s in srcs if s in ("x",) or "203.0.113" in (s or "")], srcs
        hrefs = page.locator("a[href]").evaluate_all("els => els.map(e => e.href)")
        assert not [h for h in hrefs if h.lower().startswith("javascript:")], hrefs
        assert not [u for u in remote if "203.0.113" in u], remote
        expect(page.locator("#turn-2 .kb-q")).to_contain_text('<img src=x onerror=')
        context.close()


def test_upload_adds_a_document_that_answers_can_cite(browser, kb_copy, embedder, tmp_path):
    doc = tmp_path / "lantern-walks.md"
    doc.write_text("---\ntitle: Harbour lantern walks for veterans\ntopics: [access]\n---\n"
                   + "Harbour lantern walks for veterans are led by volunteers every October. " * 3
                   + "\nEach harbour lantern walk starts at the old quay at dusk.\n")
    settings = kb_copy.model_copy(update={"enable_upload": True, "max_upload_mb": 1})
    from kb.assistant import build_assistant

    with running_chat(settings, build_assistant(settings, embedder)) as url:
        page = open_page(browser, url)
        page.get_by_role("tab", name="Add documents").click()
        # The tab renders on first show: let its upload box finish mounting before using it.
        expect(page.get_by_role("button", name="Add to the knowledge base")).to_be_visible()
        expect(page.get_by_text("Drop File Here")).to_be_visible()
        page.locator("input[type=file]").set_input_files(str(doc))
        expect(page.get_by_text("lantern-walks.md").first).to_be_visible()
        page.get_by_role("button", name="Add to the knowledge base").click()
        expect(page.get_by_label("Ingest report")).to_have_value(re.compile(r"added 1"))
        page.get_by_role("tab", name="Ask").click()
        ask(page, "When do the harbour lantern walks for veterans start?")
        expect(page.locator("#kb-sources .kb-title").first).to_have_text(
            "Harbour lantern walks for veterans")
        page.context.close()
