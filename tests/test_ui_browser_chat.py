"""The chat in Chromium: Enter sends, Shift+Enter adds a line, one card per passage, copy, download."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import pytest
from conftest import ROOT
from playwright.sync_api import Page, expect
from ui_support import ask, chromium, open_page, running_chat

from app.ui_export import answer_plaintext
from app.ui_render import turn_from_answer
from kb.catalog import describe_index
from kb.config import Settings
from kb.safety import DISCLAIMER

pytestmark = pytest.mark.slow  # a real server in real Chromium

# Its answer quotes several sentences of one passage (checked in the test before relying on it).
Q_MERGED = "What barriers keep low-income clients from this treatment?"
Q_INSURANCE = "Will insurance cover MDMA-assisted therapy?"


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def chat_url(assistant, tmp_path_factory):
    settings = Settings(data_dir=tmp_path_factory.mktemp("chat-keys"), enable_upload=False)
    with running_chat(settings, assistant) as url:
        yield url


@pytest.fixture
def page(browser, chat_url):
    page = open_page(browser, chat_url)
    yield page
    page.context.close()


def test_enter_sends_and_shift_enter_adds_a_line(page: Page, assistant):
    box = page.get_by_label("Your question")
    box.click()
    page.keyboard.type("What doses were used")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("in the phase 3 trials?")
    expect(box).to_have_value("What doses were used\nin the phase 3 trials?")
    page.wait_for_timeout(500)  # a submit would have started by now
    expect(page.locator(".kb-turn")).to_have_count(0)
    page.keyboard.press("Enter")
    turn = page.locator("#turn-1")
    expect(turn.locator(".kb-q p")).to_have_text("What doses were used\nin the phase 3 trials?")
    expected = assistant.ask("What doses were used\nin the phase 3 trials?")
    expect(turn.locator("a.kb-marker")).to_have_count(len(expected.citations))
    expect(box).to_have_value("")


def test_sentences_cited_from_one_passage_share_one_card(page: Page, assistant, tmp_path):
    expected = assistant.ask(Q_MERGED)
    passages = list(dict.fromkeys(c.chunk_id for c in expected.citations))
    assert len(passages) < len(expected.citations), "the question no longer merges cards"
    ask(page, Q_MERGED)
    cards = page.locator("#kb-sources .kb-cite")
    expect(cards).to_have_count(len(passages))
    for i, chunk_id in enumerate(passages):
        cited = [c for c in expected.citations if c.chunk_id == chunk_id]
        card = cards.nth(i)
        expect(card.locator(".kb-num")).to_have_text("".join(f"[{c.n}]" for c in cited))
        in_passage = sorted(cited, key=lambda c: (c.quote_start, c.n))  # highlights read in order
        expect(card.locator("mark")).to_have_text([c.quote for c in in_passage])
        expect(card.locator(".kb-qnum")).to_have_text([f"[{c.n}]" for c in in_passage])
        expect(card.locator(".kb-label").first).to_have_text("Curated document")
    # UPDATE_SCREENSHOT=1 refreshes the README's picture; otherwise the tree stays clean.
    shot = ROOT / "docs" / "screenshot.png" if os.environ.get("UPDATE_SCREENSHOT") == "1" \
        else tmp_path / "screenshot.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    last = expected.citations[-1]
    card = page.locator(f".kb-cite:has(#cite-1-{last.n})")
    page.locator(f'#turn-1 a[href="#cite-1-{last.n}"]').click()
    expect(card).to_be_in_viewport()
    assert page.evaluate("location.hash") == f"#cite-1-{last.n}"


def test_copy_with_references_puts_the_answer_and_its_references_on_the_clipboard(
        browser, chat_url, assistant):
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(chat_url))
    page = open_page(browser, chat_url)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
    ask(page, Q_MERGED)
    turn = ask(page, Q_INSURANCE)
    turn.get_by_role("button", name="Copy with references").click()
    expect(turn.locator(".kb-copied")).to_have_text("Copied the answer and its references.")
    copied = page.evaluate("navigator.clipboard.readText()")
    expected = answer_plaintext(turn_from_answer(assistant.ask(Q_INSURANCE, history=[Q_MERGED])))
    assert copied == expected
    answer, refs = copied.split("\n\nReferences\n")
    assert "[1]" in answer and refs.startswith("[1]") and "https://" in refs
    page.context.close()


def test_download_conversation_is_markdown_with_every_turn_and_reference(page: Page, assistant):
    download_btn = page.get_by_role("button", name="Download conversation")
    expect(download_btn).to_be_disabled()
    ask(page, Q_INSURANCE)
    ask(page, "What is the capital of France?")
    with page.expect_download() as info:
        download_btn.click()
    download = info.value
    assert download.suggested_filename.startswith("conversation-")
    assert download.suggested_filename.endswith(".md")
    md = open(download.path(), encoding="utf-8").read()
    first = assistant.ask(Q_INSURANCE)
    current = describe_index(assistant.retriever.index)["current_to"]
    assert f"Knowledge base current to {current}" in md
    assert f"> {DISCLAIMER}" in md
    assert f"## Question 1\n\n{Q_INSURANCE}\n\n**Answer**\n\n{first.answer}\n" in md
    for line in answer_plaintext(turn_from_answer(first)).split("References\n")[1].splitlines():
        assert f"- {line}" in md
    assert "## Question 2\n\nWhat is the capital of France?" in md
    assert "does not cover this question" in md
    page.get_by_role("button", name="New conversation").click()
    expect(download_btn).to_be_disabled()
