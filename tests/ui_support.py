"""Helpers for the chat tests: run the real Gradio app on a free loopback port."""

from __future__ import annotations

import time
from contextlib import contextmanager

import httpx
from conftest import free_port

from kb.config import Settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def wait_until_up(url: str, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if httpx.get(url, timeout=2.0).status_code in (200, 401):
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"the chat did not answer at {url} within {timeout_s} s")
        time.sleep(0.2)


@contextmanager
def running_chat(settings: Settings, assistant):
    """Serve the chat on 127.0.0.1:<free port>; yields the URL; closes the server afterwards."""
    from app.ui import serve

    settings = settings.model_copy(update={"host": "127.0.0.1", "port": free_port()})
    demo = serve(settings, assistant=assistant, block=False)
    url = f"http://127.0.0.1:{settings.port}/"
    try:
        wait_until_up(url)
        yield url
    finally:
        demo.close()
