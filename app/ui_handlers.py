"""What the chat's buttons do: answer, rate, describe the index, add uploads (Gradio-facing)."""

from __future__ import annotations

import functools
import logging
from datetime import UTC, datetime
from html import escape

import gradio as gr

from app import ui_cards as cards
from app import ui_render as render
from app.ui_examples import POPULATION_CHOICES, TOPIC_CHOICES, examples_for
from app.ui_export import conversation_markdown
from app.ui_feedback import append_feedback, feedback_record
from kb.config import Settings
from kb.errors import KBError
from kb.retrieve import Filters

log = logging.getLogger("kb.ui")
MAX_EXAMPLES = 3
_TOPICS = {v for _, v in TOPIC_CHOICES}
_POPULATIONS = {v for _, v in POPULATION_CHOICES}


def filters_for(topic: str | None, population: str | None) -> Filters:
    topic, population = topic or "all", population or "all"
    if topic not in _TOPICS:
        raise KBError(f"unknown topic {topic!r}; choose one of {', '.join(sorted(_TOPICS))}.")
    if population not in _POPULATIONS:
        raise KBError(f"unknown population {population!r}; choose one of "
                      f"{', '.join(sorted(_POPULATIONS))}.")
    return Filters(topics=() if topic == "all" else (topic,),
                   populations=() if population == "all" else (population,))


def guard(fn):
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


def example_updates(topic: str) -> list:
    questions = examples_for(topic)[:MAX_EXAMPLES]
    return [gr.update(value=questions[i], visible=True) if i < len(questions)
            else gr.update(visible=False) for i in range(MAX_EXAMPLES)]


class ChatHandlers:
    """The chat's event handlers, answering through one assistant."""

    def __init__(self, assistant, settings: Settings) -> None:
        self.assistant, self.settings = assistant, settings
        self._catalog: dict[str, dict] = {}  # index version -> describe_index summary

    def catalog(self) -> dict:
        """The index summary, recomputed only when a new index version is published."""
        retriever = self.assistant.retriever
        retriever.refresh()
        version = retriever.version or ""
        if version not in self._catalog:
            from kb.catalog import describe_index

            info = describe_index(retriever.index)
            self._catalog = {version: info}
        return self._catalog[version]

    def ask_json(self, question: str, topic: str, population: str,
                 history: list[str] | None) -> dict:
        result = self.assistant.ask(question, history=list(history or []),
                                    filters=filters_for(topic, population))
        return render.turn_from_answer(result, topic or "all", population or "all")

    def _views(self, turns: list[dict]) -> tuple[str, str]:
        when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        markdown = conversation_markdown(turns, self.catalog().get("current_to", ""), when)
        return render.conversation_html(turns, markdown), cards.sources_html(turns)

    def answer(self, question: str, topic: str, population: str, turns: list[dict]):
        """Outputs: question box, turns, conversation, sources, feedback note, download button."""
        question = (question or "").strip()
        if not question:
            raise gr.Error("Type a question first.")
        turn = self.ask_json(question, topic, population, [t["question"] for t in turns])
        turns = turns + [turn]
        return ("", turns, *self._views(turns), "", gr.update(interactive=True))

    def new_conversation(self):
        """Outputs: turns, conversation, sources, feedback note, comment, download button."""
        return ([], render.conversation_html([]), cards.sources_html([]), "", "",
                gr.update(interactive=False))

    def rate(self, rating: str, comment: str, turns: list[dict]):
        if not turns:
            return "<p class='kb-privacy'>Ask a question first, then rate its answer.</p>", comment
        append_feedback(self.settings.feedback_path, feedback_record(turns[-1], rating, comment))
        return "<p class='kb-privacy'>Thank you: your feedback was saved.</p>", ""

    def about(self) -> str:
        return render.about_html(self.catalog())

    def upload(self, paths: list[str] | None) -> str:
        from app.ui_upload import add_uploads

        report = add_uploads(self.settings, list(paths or []), self.assistant.embedder)
        self.assistant.retriever.refresh(force=True)
        return report
