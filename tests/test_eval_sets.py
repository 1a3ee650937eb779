"""Eval-set loading: the validator names the bad line and the problem; the bundled set's shape."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from eval.sets import DEFAULT_SET, EvalCase, load_eval_set
from kb.errors import EvalSetError
from kb.records import Chunk
from kb.schema import TOPICS

GOOD = {"id": "q1", "question": "Does insurance cover it?", "topic": "access",
        "expect_any": ["insurance"], "gold_docs": ["cost-and-insurance"], "answerable": True}


def _write(tmp_path, lines) -> object:
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n",
                    encoding="utf-8")
    return path


def _error(tmp_path, lines) -> str:
    with pytest.raises(EvalSetError) as exc:
        load_eval_set(_write(tmp_path, lines))
    return str(exc.value)


def test_a_good_file_loads_with_defaults(tmp_path):
    decline = {"id": "d1", "question": "Weather?", "topic": "out-of-scope", "answerable": False}
    cases = load_eval_set(_write(tmp_path, [GOOD, "", decline, {**GOOD, "id": "q2",
                                                               "extra": "ignored"}]))
    assert [c.id for c in cases] == ["q1", "d1", "q2"]
    assert cases[1].expect_any == () and cases[1].answerable is False and cases[1].line == 3
    assert cases[2].answerable is True


def test_bad_json_names_the_line(tmp_path):
    msg = _error(tmp_path, [GOOD, '{"id": "q2", "question": "x" "topic": "a"}'])
    assert msg.startswith(f"{tmp_path / 'set.jsonl'}, line 2: not valid JSON")
    assert "column" in msg


def test_missing_field_names_the_line_and_field(tmp_path):
    row = dict(GOOD, id="q2")
    del row["question"]
    msg = _error(tmp_path, [GOOD, "", row])
    assert "line 3: missing field \"question\"" in msg


@pytest.mark.parametrize(("change", "expected"), [
    ({"answerable": "yes"}, "line 1: \"answerable\" must be true or false, not \"yes\""),
    ({"expect_any": "insurance"}, "line 1: \"expect_any\" must be a list of non-empty strings"),
    ({"gold_docs": [""]}, "line 1: \"gold_docs\" must be a list of non-empty strings"),
    ({"topic": " "}, "line 1: \"topic\" must be a non-empty string"),
    ({"expect_any": [], "gold_docs": []}, "line 1: an answerable question needs"),
])
def test_wrong_values_are_explained(tmp_path, change, expected):
    assert expected in _error(tmp_path, [{**GOOD, **change}])


def test_non_object_duplicate_and_empty(tmp_path):
    assert "line 1: expected a JSON object, got list" in _error(tmp_path, ["[1, 2]"])
    assert "line 2: id 'q1' is already used on line 1" in _error(tmp_path, [GOOD, GOOD])
    assert "has no questions" in _error(tmp_path, ["", "  "])
    with pytest.raises(EvalSetError, match="cannot read"):
        load_eval_set(tmp_path / "missing.jsonl")


def test_relevance_by_string_or_gold_document():
    case = EvalCase(id="q", question="?", topic="t", expect_any=("Schedule I",),
                    gold_docs=("glossary",))
    def chunk(doc, text):
        return Chunk(chunk_id=f"{doc}#0", doc_id=doc, n=0, text=text, title="", section="",
                     start=0, end=len(text), sentences=())
    assert case.relevance(chunk("other", "MDMA is a schedule i drug.")) == 2
    assert case.relevance(chunk("glossary", "Unrelated words.")) == 1
    assert case.relevance(chunk("other", "Unrelated words.")) == 0


def test_bundled_set_shape():
    cases = load_eval_set(DEFAULT_SET)
    answerable = [c for c in cases if c.answerable]
    declines = [c for c in cases if not c.answerable]
    assert len(answerable) >= 70 and len(declines) >= 12
    assert set(TOPICS) <= {c.topic for c in answerable}
    assert not list(DEFAULT_SET.parent.glob("draft_*.jsonl"))


def test_cli_reports_the_bad_line_in_one_line(tmp_path):
    from app.cli import cli

    path = _write(tmp_path, [GOOD, '{"id": "q2",'])
    result = CliRunner().invoke(cli, ["eval", "--set", str(path)])
    assert result.exit_code == 1
    assert result.output.strip() == (f"Error: {path}, line 2: not valid JSON (Expecting property "
                                     "name enclosed in double quotes at column 13); one JSON "
                                     "object a line: {\"id\", \"question\", \"topic\", "
                                     "\"expect_any\": [...], \"gold_docs\": [...], "
                                     "\"answerable\": true|false, \"history\": [...], "
                                     "\"split\": \"tune\"|\"heldout\"}.")


def test_history_and_split_are_read_and_checked(tmp_path):
    row = {"id": "c1", "question": "Did it last?", "topic": "efficacy", "expect_any": ["45.4"],
           "history": ["What did the 2011 pilot find?"], "split": "heldout"}
    case = load_eval_set(_write(tmp_path, [json.dumps(row)]))[0]
    assert case.history == ("What did the 2011 pilot find?",) and case.split == "heldout"
    assert case.follow_up
    for bad, message in ((dict(row, split="test"), '"split" must be "tune" or "heldout"'),
                         (dict(row, history="earlier"), '"history" must be a list')):
        with pytest.raises(EvalSetError, match=message):
            load_eval_set(_write(tmp_path, [json.dumps(bad)]))


def test_default_set_has_conversations_and_a_heldout_part():
    cases = load_eval_set(DEFAULT_SET)
    conversations = [c for c in cases if c.history]
    assert len(conversations) >= 40
    assert any(not c.answerable for c in conversations)
    held = sum(c.split == "heldout" for c in cases)
    assert 0.25 <= held / len(cases) <= 0.35
