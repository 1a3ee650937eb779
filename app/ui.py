"""The Gradio chat: build_ui(assistant, settings) -> gr.Blocks, and serve(settings)."""

from __future__ import annotations

import functools
import ipaddress
import logging
from html import escape

import gradio as gr

from app import ui_render as render
from app.ui_examples import POPULATION_CHOICES, TOPIC_CHOICES, examples_for
from app.ui_feedback import append_feedback, feedback_record
from app.ui_style import CSS, theme
from kb.config import Settings
from kb.errors import KBError
from kb.retrieve import Filters
from kb.safety import DISCLAIMER

log = logging.getLogger("kb.ui")
TITLE = "MDMA-assisted therapy for PTSD: knowledge base"
PRIVACY = "Please don't type names or other details that could identify a client."
MAX_EXAMPLES = 3
_TOPICS = {v for _, v in TOPIC_CHOICES}
_POPULATIONS = {v for _, v in POPULATION_CHOICES}
HEADER = (
    f'<div id="kb-header"><h1>{TITLE}</h1><p>Cited answers on efficacy, safety, stigma and '
    "access, for social workers and students. Click a [n] marker to see its source.</p>"
    f'<div class="kb-disclaimer" role="note"><span><b>{escape(DISCLAIMER)}</b></span>'
    "<span>In a crisis: call or text <b>988</b>, or call <b>911</b>.</span></div></div>"
)


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


def filters_for(topic: str | None, population: str | None) -> Filters:
    topic, population = topic or "all", population or "all"
    if topic not in _TOPICS:
        raise KBError(f"unknown topic {topic!r}; choose one of {', '.join(sorted(_TOPICS))}.")
    if population not in _POPULATIONS:
        raise KBError(f"unknown population {population!r}; choose one of "
                      f"{', '.join(sorted(_POPULATIONS))}.")
    return Filters(topics=() if topic == "all" else (topic,),
                   populations=() if population == "all" else (population,))


def _guard(fn):
    """KBError -> its message; anything else is logged in full and shown as one line."""
    @functools.wraps(fn)
    def run(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except gr.Error:
            raise
        except KBError as exc:
            # Gradio renders error toasts as HTML; messages may quote file names or input.
            raise gr.Error(escape(str(exc), quote=False)) from None
        except Exception:
            log.exception("unexpected error in the chat (%s)", fn.__name__)
            raise gr.Error("An unexpected problem occurred; details were written to the server "
                           "log (kb.log under KB_DATA_DIR).") from None
    return run


def _example_updates(topic: str) -> list:
    questions = examples_for(topic)[:MAX_EXAMPLES]
    return [gr.update(value=questions[i], visible=True) if i < len(questions)
            else gr.update(visible=False) for i in range(MAX_EXAMPLES)]


def build_ui(assistant, settings: Settings) -> gr.Blocks:
    """The chat, the About view and (if enabled) uploads, all answering through `assistant`."""
    about_cache: dict[str, str] = {}

    @_guard
    def answer(question: str, topic: str, population: str, turns: list[dict]):
        question = (question or "").strip()
        if not question:
            raise gr.Error("Type a question first.")
        history = [t["question"] for t in turns]
        result = assistant.ask(question, history=history, filters=filters_for(topic, population))
        turns = turns + [render.turn_from_answer(result, topic or "all", population or "all")]
        return ("", turns, render.conversation_html(turns), render.sources_html(turns), "")

    @_guard
    def api_ask(question: str, topic: str = "all", population: str = "all",
                history: list[str] | None = None) -> dict:
        """Answer one question as `kb ask --json` does; history holds earlier questions."""
        result = assistant.ask(question, history=list(history or []),
                               filters=filters_for(topic, population))
        return render.turn_from_answer(result, topic or "all", population or "all")

    def new_conversation():
        return [], render.conversation_html([]), render.sources_html([]), "", ""

    @_guard
    def rate(rating: str, comment: str, turns: list[dict]):
        if not turns:
            return "<p class='kb-privacy'>Ask a question first, then rate its answer.</p>", comment
        append_feedback(settings.feedback_path, feedback_record(turns[-1], rating, comment))
        return "<p class='kb-privacy'>Thank you: your feedback was saved.</p>", ""

    @_guard
    def about() -> str:
        assistant.retriever.refresh()
        version = assistant.retriever.version or ""
        if version not in about_cache:
            from kb.catalog import describe_index

            info = describe_index(assistant.retriever.index)
            about_cache.clear()
            about_cache[version] = render.about_html(info)
        return about_cache[version]

    @_guard
    def upload(paths: list[str] | None) -> str:
        from app.ui_upload import add_uploads

        report = add_uploads(settings, list(paths or []), assistant.embedder)
        assistant.retriever.refresh(force=True)
        return report

    private = {"api_visibility": "private"}
    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        turns = gr.State([])
        gr.HTML(HEADER, js_on_load=None)
        with gr.Tabs():
            with gr.Tab("Ask", id="ask"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=360):
                        with gr.Row():
                            topic = gr.Dropdown(TOPIC_CHOICES, value="all", label="Topic")
                            population = gr.Dropdown(POPULATION_CHOICES, value="all",
                                                     label="Population")
                        conversation = gr.HTML(render.conversation_html([]), js_on_load=None,
                                               elem_id="kb-conversation")
                        question = gr.Textbox(label="Your question", lines=2, max_lines=6,
                                              placeholder="e.g. Will insurance cover it?",
                                              info=PRIVACY, elem_id="kb-question")
                        with gr.Row():
                            ask_btn = gr.Button("Ask", variant="primary", scale=2)
                            new_btn = gr.Button("New conversation", scale=1)
                        gr.HTML("<p class='kb-caption'>Example questions</p>", js_on_load=None)
                        with gr.Row(elem_id="kb-examples"):
                            example_btns = [gr.Button(q, size="sm", variant="secondary")
                                            for q in examples_for("all")[:MAX_EXAMPLES]]
                        gr.HTML("<p class='kb-caption'>Was the last answer helpful?</p>",
                                js_on_load=None)
                        with gr.Row(equal_height=False, elem_id="kb-feedback-row"):
                            up_btn = gr.Button("Helpful", size="sm", scale=0, min_width=110,
                                               elem_id="kb-up")
                            down_btn = gr.Button("Not helpful", size="sm", scale=0,
                                                 min_width=130, elem_id="kb-down")
                            comment = gr.Textbox(show_label=False, lines=1, scale=3,
                                                 container=False, elem_id="kb-comment",
                                                 placeholder="Comment (optional; no client "
                                                 "details, please)")
                        feedback_note = gr.HTML("", js_on_load=None, elem_id="kb-feedback")
                    with gr.Column(scale=2, min_width=320):
                        sources = gr.HTML(render.sources_html([]), js_on_load=None,
                                          elem_id="kb-sources")
            with gr.Tab("About this knowledge base", id="about") as about_tab:
                about_view = gr.HTML("", js_on_load=None, elem_id="kb-about")
            if settings.enable_upload:
                with gr.Tab("Add documents", id="upload"):
                    gr.Markdown(f"Add .md, .txt, .html or .pdf files of up to "
                                f"{settings.max_upload_mb:g} MB each. They are indexed for "
                                "everyone who uses this chat.")
                    files = gr.File(file_count="multiple", type="filepath", label="Documents",
                                    file_types=[".md", ".txt", ".html", ".htm", ".pdf"])
                    add_btn = gr.Button("Add to the knowledge base", variant="primary")
                    report = gr.Textbox(label="Ingest report", lines=6, interactive=False)
                add_btn.click(upload, files, report, concurrency_limit=1,
                              concurrency_id="ingest", **private).then(about, None, about_view,
                                                                       **private)

        ask_io = ([question, topic, population, turns],
                  [question, turns, conversation, sources, feedback_note])
        ask_btn.click(answer, *ask_io, **private)
        question.submit(answer, *ask_io, **private)
        for btn in example_btns:
            btn.click(lambda q: q, btn, question, queue=False, **private).then(
                answer, *ask_io, **private)
        topic.change(_example_updates, topic, example_btns, queue=False, **private)
        new_btn.click(new_conversation, None,
                      [turns, conversation, sources, feedback_note, comment], queue=False,
                      **private)
        up_btn.click(functools.partial(rate, "up"), [comment, turns], [feedback_note, comment],
                     concurrency_limit=None, **private)
        down_btn.click(functools.partial(rate, "down"), [comment, turns],
                       [feedback_note, comment], concurrency_limit=None, **private)
        about_tab.select(about, None, about_view, concurrency_limit=None, **private)
        demo.load(about, None, about_view, concurrency_limit=None, **private)
        gr.api(api_ask, api_name="ask")
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
