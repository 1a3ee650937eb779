"""Helpers for the chat tests: run the real Gradio app on a free loopback port."""

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
