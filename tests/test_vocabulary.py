"""One definition of each closed vocabulary (kb/vocabulary.py): every reader shows exactly it."""

from __future__ import annotations

from app.cli import cli
from app.ui_examples import EXAMPLES, POPULATION_CHOICES, TOPIC_CHOICES
from app.ui_render import EVIDENCE_LABELS
from app.ui_upload import UPLOAD_TYPES
from eval.sets import DEFAULT_SET, load_eval_set
from kb import schema
from kb.vocabulary import (
    DECLINE_TOPICS,
    EVIDENCE_TYPES,
    FILE_TYPES,
    POPULATIONS,
    RETRIEVAL_MODES,
    TOPICS,
)


def _choices(command: str, option: str) -> list[str]:
    (param,) = [p for p in cli.commands[command].params if p.name == option]
    return list(param.type.choices)


def test_cli_choices_are_the_vocabulary_in_its_order():
    assert _choices("ask", "topics") == list(TOPICS)
    assert _choices("ask", "populations") == list(POPULATIONS)
    assert _choices("ask", "evidence_types") == list(EVIDENCE_TYPES)
    assert _choices("ask", "mode") == list(RETRIEVAL_MODES)
    assert _choices("eval", "mode") == [*RETRIEVAL_MODES, "all"]


def test_chat_filters_labels_and_examples_cover_the_vocabulary_and_nothing_else():
    assert [v for _, v in TOPIC_CHOICES] == ["all", *TOPICS]
    assert [v for _, v in POPULATION_CHOICES] == ["all", *POPULATIONS]
    assert set(EVIDENCE_LABELS) == set(EVIDENCE_TYPES)  # every type shown by a readable label
    assert set(EXAMPLES) == {"all", *TOPICS}
    assert tuple(UPLOAD_TYPES) == FILE_TYPES


def test_schema_and_eval_read_the_same_lists():
    assert (schema.TOPICS, schema.POPULATIONS, schema.EVIDENCE_TYPES) == (
        TOPICS, POPULATIONS, EVIDENCE_TYPES)
    assert {c.topic for c in load_eval_set(DEFAULT_SET)} <= set(TOPICS + DECLINE_TOPICS)
    assert not set(TOPICS) & set(DECLINE_TOPICS)
