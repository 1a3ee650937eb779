"""The chat's component tree: header, Ask tab (question, conversation, sources), About, uploads."""

from __future__ import annotations

from html import escape
from types import SimpleNamespace

import gradio as gr

from app import ui_cards as cards
from app import ui_render as render
from app.ui_examples import POPULATION_CHOICES, TOPIC_CHOICES, examples_for
from app.ui_export import TITLE
from app.ui_handlers import MAX_EXAMPLES
from app.ui_script import COPY_ON_CLICK
from app.ui_upload import UPLOAD_TYPES
from kb.config import Settings
from kb.safety import DISCLAIMER

PRIVACY = "Please don't type names or other details that could identify a client."
KEYS_HINT = "Enter sends; Shift+Enter starts a new line."
HEADER = (
    f'<div id="kb-header"><h1>{TITLE}</h1><p>Cited answers on efficacy, safety, stigma and '
    "access, for social workers and students. Click a [n] marker to see its source.</p>"
    f'<div class="kb-disclaimer" role="note"><span><b>{escape(DISCLAIMER)}</b></span>'
    "<span>In a crisis: call or text <b>988</b>, or call <b>911</b>.</span></div></div>"
)


def _caption(text: str) -> gr.HTML:
    return gr.HTML(f"<p class='kb-caption'>{text}</p>", js_on_load=None)


def _question_box(ui: SimpleNamespace) -> None:
    # One starting line with room to grow: Gradio submits on Enter only when lines == 1 (with
    # lines > 1 it is Shift+Enter that submits), and Shift+Enter then adds a line.
    ui.question = gr.Textbox(label="Your question", lines=1, max_lines=6,
                             placeholder="e.g. Will insurance cover it?",
                             info=f"{KEYS_HINT} {PRIVACY}", elem_id="kb-question")
    with gr.Row():
        ui.ask_btn = gr.Button("Ask", variant="primary", scale=2)
        ui.new_btn = gr.Button("New conversation", scale=1, min_width=170)
        ui.download_btn = gr.Button("Download conversation", scale=1, min_width=210,
                                    interactive=False, elem_id="kb-download")


def _feedback_row(ui: SimpleNamespace) -> None:
    _caption("Was the last answer helpful?")
    with gr.Row(equal_height=False, elem_id="kb-feedback-row"):
        ui.up_btn = gr.Button("Helpful", size="sm", scale=0, min_width=110, elem_id="kb-up")
        ui.down_btn = gr.Button("Not helpful", size="sm", scale=0, min_width=130,
                                elem_id="kb-down")
        ui.comment = gr.Textbox(show_label=False, lines=1, scale=3, container=False,
                                elem_id="kb-comment",
                                placeholder="Comment (optional; no client details, please)")
    ui.feedback_note = gr.HTML("", js_on_load=None, elem_id="kb-feedback")


def _ask_tab(ui: SimpleNamespace) -> None:
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=360):
            with gr.Row():
                ui.topic = gr.Dropdown(TOPIC_CHOICES, value="all", label="Topic")
                ui.population = gr.Dropdown(POPULATION_CHOICES, value="all", label="Population")
            ui.conversation = gr.HTML(render.conversation_html([]), js_on_load=COPY_ON_CLICK,
                                      elem_id="kb-conversation")
            _question_box(ui)
            _caption("Example questions")
            with gr.Row(elem_id="kb-examples"):
                ui.example_btns = [gr.Button(q, size="sm", variant="secondary")
                                   for q in examples_for("all")[:MAX_EXAMPLES]]
            _feedback_row(ui)
        with gr.Column(scale=2, min_width=320):
            ui.sources = gr.HTML(cards.sources_html([]), js_on_load=None, elem_id="kb-sources")


def _upload_tab(ui: SimpleNamespace, settings: Settings) -> None:
    named = ", ".join(t for t in UPLOAD_TYPES if t != ".htm")
    gr.Markdown(f"Add {named} files of up to {settings.max_upload_mb:g} MB each. They are "
                "indexed for everyone who uses this chat.")
    ui.files = gr.File(file_count="multiple", type="filepath", label="Documents",
                       file_types=list(UPLOAD_TYPES))
    ui.add_btn = gr.Button("Add to the knowledge base", variant="primary")
    ui.report = gr.Textbox(label="Ingest report", lines=6, interactive=False)


def build_layout(settings: Settings) -> SimpleNamespace:
    """Create every component inside the current gr.Blocks; returns them by name."""
    ui = SimpleNamespace(turns=gr.State([]), add_btn=None)
    gr.HTML(HEADER, js_on_load=None)
    with gr.Tabs():
        with gr.Tab("Ask", id="ask"):
            _ask_tab(ui)
        with gr.Tab("About this knowledge base", id="about") as ui.about_tab:
            ui.about_view = gr.HTML("", js_on_load=None, elem_id="kb-about")
        if settings.enable_upload:
            with gr.Tab("Add documents", id="upload"):
                _upload_tab(ui, settings)
    return ui
