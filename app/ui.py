"""The Gradio chat: build_ui(assistant, settings) -> gr.Blocks, and serve(settings)."""

from __future__ import annotations

import functools
import ipaddress
import logging
from types import SimpleNamespace

import gradio as gr

from app.ui_handlers import ChatHandlers, example_updates, guard
from app.ui_layout import TITLE, build_layout
from app.ui_script import DOWNLOAD_CONVERSATION
from app.ui_style import CSS, theme
from kb.config import Settings
from kb.errors import KBError

log = logging.getLogger("kb.ui")
PRIVATE = {"api_visibility": "private"}


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(settings: Settings) -> tuple[str, str] | None:
    """The (user, password) to require, or None on loopback; refuses open non-loopback binds."""
    if settings.auth:
        user, sep, password = settings.auth.partition(":")
        if not (sep and user and password):
            raise KBError("KB_AUTH must look like user:password (both parts non-empty).")
        return user, password
    if not is_loopback(settings.host):
        raise KBError(f"refusing to serve on {settings.host} without a password: other machines "
                      "could reach the chat. Set KB_AUTH=user:password, or use --host 127.0.0.1.")
    return None


def _wire_ask(ui: SimpleNamespace, h: ChatHandlers) -> None:
    ask_io = ([ui.question, ui.topic, ui.population, ui.turns],
              [ui.question, ui.turns, ui.conversation, ui.sources, ui.feedback_note,
               ui.download_btn])
    answer = guard(h.answer)
    ui.ask_btn.click(answer, *ask_io, **PRIVATE)
    ui.question.submit(answer, *ask_io, **PRIVATE)
    for btn in ui.example_btns:
        btn.click(lambda q: q, btn, ui.question, queue=False, **PRIVATE).then(
            answer, *ask_io, **PRIVATE)
    ui.topic.change(example_updates, ui.topic, ui.example_btns, queue=False, **PRIVATE)
    ui.new_btn.click(guard(h.new_conversation), None,
                     [ui.turns, ui.conversation, ui.sources, ui.feedback_note, ui.comment,
                      ui.download_btn], queue=False, **PRIVATE)
    ui.download_btn.click(None, None, None, js=DOWNLOAD_CONVERSATION, queue=False, **PRIVATE)


def _wire_rest(ui: SimpleNamespace, h: ChatHandlers) -> None:
    rate, about = guard(h.rate), guard(h.about)
    for btn, rating in ((ui.up_btn, "up"), (ui.down_btn, "down")):
        btn.click(functools.partial(rate, rating), [ui.comment, ui.turns],
                  [ui.feedback_note, ui.comment], concurrency_limit=None, **PRIVATE)
    ui.about_tab.select(about, None, ui.about_view, concurrency_limit=None, **PRIVATE)
    if ui.add_btn is not None:
        ui.add_btn.click(guard(h.upload), ui.files, ui.report, concurrency_limit=1,
                         concurrency_id="ingest", **PRIVATE).then(about, None, ui.about_view,
                                                                  **PRIVATE)


def _api(h: ChatHandlers):
    @guard
    def api_ask(question: str, topic: str = "all", population: str = "all",
                history: list[str] | None = None) -> dict:
        """Answer one question as `kb ask --json` does; history holds earlier questions."""
        return h.ask_json(question, topic, population, history)

    return api_ask


def build_ui(assistant, settings: Settings) -> gr.Blocks:
    """The chat, the About view and (if enabled) uploads, all answering through `assistant`."""
    handlers = ChatHandlers(assistant, settings)
    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        ui = build_layout(settings)
        _wire_ask(ui, handlers)
        _wire_rest(ui, handlers)
        demo.load(guard(handlers.about), None, ui.about_view, concurrency_limit=None, **PRIVATE)
        gr.api(_api(handlers), api_name="ask")
    return demo


def _log_to_file(settings: Settings) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    path = str(settings.log_path.resolve())
    root = logging.getLogger("kb")  # the chat's own errors (kb.ui) and the library's (kb.llm...)
    if not any(getattr(h, "baseFilename", None) == path for h in root.handlers):
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        root.addHandler(handler)


def serve(settings: Settings, *, assistant=None, block: bool = True) -> gr.Blocks:
    """Start the chat on settings.host:port; with block=False return the running app."""
    auth = check_bind(settings)
    if assistant is None:
        from kb.assistant import build_assistant

        assistant = build_assistant(settings)
    assistant.embedder.embed_query("warm up")  # load the model now, not on the first question
    _log_to_file(settings)
    demo = build_ui(assistant, settings)
    demo.queue(default_concurrency_limit=settings.concurrency, max_size=settings.max_queue)
    try:
        demo.launch(
            server_name=settings.host, server_port=settings.port, share=False, auth=auth,
            prevent_thread_lock=True, show_error=False, quiet=True,
            # The index, feedback and logs live in KB_DATA_DIR: never serve anything from it.
            allowed_paths=[], blocked_paths=[str(settings.data_dir.resolve())],
            # With uploads off nothing in the chat takes a file, but Gradio's upload route is
            # still there: cap it at one byte so it cannot be used to fill the disk.
            max_file_size=int(settings.max_upload_mb * 1024 * 1024) if settings.enable_upload
            else 1,
            enable_monitoring=False, run_history=False, footer_links=["api"], ssr_mode=False,
            mcp_server=False, pwa=False, theme=theme(), css=CSS,
        )
    except OSError as exc:
        if "Cannot find empty port" in str(exc):
            raise KBError(f"port {settings.port} on {settings.host} is already in use; choose "
                          "another with --port or KB_PORT.") from exc
        raise KBError(f"cannot serve on {settings.host}:{settings.port} ({exc}).") from exc
    if block:
        print(f"Chat running on {demo.local_url} (press Ctrl+C to stop).", flush=True)
        demo.block_thread()
    return demo
