"""Helpers for the chat tests: run the real Gradio app on a free loopback port, drive Chromium."""

from __future__ import annotations

from contextlib import contextmanager

from bench.processes import free_port, wait_until_up
from kb.config import Settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@contextmanager
def running_chat(settings: Settings, assistant):
    """Serve the chat on 127.0.0.1:<free port>; yields the URL; closes the server afterwards."""
    from app.ui import serve

    settings = settings.model_copy(update={"host": "127.0.0.1", "port": free_port()})
    demo = serve(settings, assistant=assistant, block=False)
    url = f"http://127.0.0.1:{settings.port}/"
    try:
        wait_until_up(url, what="the chat", timeout_s=60.0, ok=(200, 401))  # 401: KB_AUTH set
        yield url
    finally:
        demo.close()


@contextmanager
def chromium():
    """Debian's Chromium through Playwright (never a downloaded browser)."""
    from playwright.sync_api import expect, sync_playwright

    # The machine is shared: give assertions the same 30 s the page's actions get, not 5 s.
    expect.set_options(timeout=30_000)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser, url: str, **context_options):
    """A new context and page on the chat, once the question box is visible."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1360, "height": 1000}, **context_options)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(url)
    expect(page.get_by_label("Your question")).to_be_visible()
    return page


def ask(page, question: str):
    """Type a question, press Ask, return the locator of the new turn once it has a reply."""
    from playwright.sync_api import expect

    n = page.locator(".kb-turn").count() + 1
    page.get_by_label("Your question").fill(question)
    page.get_by_role("button", name="Ask", exact=True).click()
    turn = page.locator(f"#turn-{n}")
    expect(turn.locator(".kb-a")).to_be_visible()
    return turn
