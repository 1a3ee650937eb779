"""The chat's parts without a browser: bind rules, filters, examples, feedback, uploads, `kb serve`."""

from __future__ import annotations

import json
import threading

import pytest
from click.testing import CliRunner

from app.cli import cli
from app.ui import check_bind, is_loopback
from app.ui_examples import EXAMPLES, POPULATION_CHOICES, TOPIC_CHOICES
from app.ui_feedback import append_feedback, feedback_record
from app.ui_handlers import filters_for
from app.ui_render import turn_from_answer
from app.ui_upload import add_uploads, check_upload, safe_name
from kb.config import Settings
from kb.errors import KBError
from kb.retrieve import Filters


@pytest.mark.parametrize("host,loop", [("127.0.0.1", True), ("localhost", True), ("::1", True),
                                       ("127.0.0.2", True), ("0.0.0.0", False),
                                       ("192.168.1.5", False), ("example.org", False)])
def test_loopback_detection(host, loop):
    assert is_loopback(host) is loop


def test_non_loopback_bind_needs_auth():
    assert check_bind(Settings(host="127.0.0.1")) is None
    with pytest.raises(KBError, match="refusing to serve on 0.0.0.0 without a password"):
        check_bind(Settings(host="0.0.0.0"))
    assert check_bind(Settings(host="0.0.0.0", auth="ann:s3:cret")) == ("ann", "s3:cret")
    for bad in ("ann", "ann:", ":pw"):
        with pytest.raises(KBError, match="KB_AUTH must look like user:password"):
            check_bind(Settings(host="0.0.0.0", auth=bad))


def test_kb_serve_refuses_an_open_bind_before_loading_anything(monkeypatch):
    monkeypatch.setenv("KB_HOST", "0.0.0.0")
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: refusing to serve on 0.0.0.0 without a password: other machines could reach "
        "the chat. Set KB_AUTH=user:password, or use --host 127.0.0.1.")
    result = CliRunner().invoke(cli, ["serve", "--host", "10.1.2.3", "--port", "8080"])
    assert "refusing to serve on 10.1.2.3" in result.output


def test_kb_serve_help_has_an_example():
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    assert "kb serve --port 8080" in result.output and "KB_AUTH" in result.output


def test_filters_from_the_ui_choices():
    assert filters_for("all", "all") == Filters()
    assert filters_for("stigma", "veterans") == Filters(topics=("stigma",),
                                                        populations=("veterans",))
    assert filters_for(None, "") == Filters()
    with pytest.raises(KBError, match="unknown topic 'cooking'"):
        filters_for("cooking", "all")
    with pytest.raises(KBError, match="unknown population"):
        filters_for("all", "martians")


def test_every_topic_choice_has_examples_and_the_issue_topics_are_offered():
    values = {v for _, v in TOPIC_CHOICES}
    assert {"all", "efficacy", "safety", "stigma", "access", "policy"} <= values
    assert values == set(EXAMPLES)
    assert {v for _, v in POPULATION_CHOICES} >= {"all", "veterans", "low-income"}


def test_every_example_question_is_answered_under_its_topic(assistant):
    unanswered = []
    for topic, questions in EXAMPLES.items():
        for q in questions:
            answer = assistant.ask(q, filters=filters_for(topic, "all"))
            if answer.abstained or answer.safety or not answer.citations:
                unanswered.append((topic, q))
    assert not unanswered


def test_turn_keeps_the_json_answer_and_each_sources_topics(assistant):
    answer = assistant.ask("Why is MDMA a Schedule I drug?", filters=filters_for("stigma", "all"))
    t = turn_from_answer(answer, "stigma", "all")
    assert "retrieved" not in t and t["answer"] == answer.answer
    assert t["filters"] == {"topic": "stigma", "population": "all"}
    assert t["citations"] and all("stigma" in c["topics"] for c in t["citations"])
    json.dumps(t)  # plain data, safe to keep in the session


def test_feedback_lines_are_whole_json_objects_even_when_written_at_once(tmp_path):
    t = {"question": "q", "answer": "a [1]", "citations": [{"chunk_id": "doc#0"}],
         "abstained": False, "safety": None, "filters": {"topic": "all"}}
    path = tmp_path / "sub" / "feedback.jsonl"

    def rate(i: int) -> None:
        append_feedback(path, feedback_record(t, "up" if i % 2 else "down", f"c{i} " * 300))

    threads = [threading.Thread(target=rate, args=(i,)) for i in range(20)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert len(rows) == 20
    assert {r["rating"] for r in rows} == {"up", "down"}
    assert rows[0]["citations"] == ["doc#0"] and rows[0]["question"] == "q"
    assert set(rows[0]) >= {"time", "question", "answer", "citations", "rating", "comment"}
    with pytest.raises(ValueError):
        feedback_record(t, "meh")


def test_upload_names_types_and_sizes(tmp_path):
    assert safe_name("../../etc/My Notes (1).MD") == "My_Notes_1_.md"
    assert safe_name(".hidden.txt") == "hidden.txt"
    ok = tmp_path / "a.md"
    ok.write_text("word " * 50)
    assert check_upload(ok, 1) is None
    exe = tmp_path / "tool.exe"
    exe.write_bytes(b"MZ")
    assert "type .exe is not accepted" in check_upload(exe, 1)
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 2_000_000)
    assert check_upload(big, 1) == "big.txt: 1.9 MB is over the 1 MB limit."
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert "empty" in check_upload(empty, 1)


def test_upload_ingests_accepted_files_and_reports_the_rest(kb_copy, embedder, tmp_path):
    doc = tmp_path / "lantern.md"
    doc.write_text("---\ntitle: Harbour lantern walks\ntopics: [access]\n---\n"
                   "Harbour lantern walks are run by volunteers every October. " * 5)
    exe = tmp_path / "x.exe"
    exe.write_bytes(b"MZ")
    report = add_uploads(kb_copy, [str(doc), str(exe)], embedder)
    assert "added 1" in report and "rejected x.exe: type .exe is not accepted" in report
    assert str(kb_copy.data_dir) not in report
    assert (kb_copy.data_dir / "uploads" / "lantern.md").exists()
    with pytest.raises(KBError, match="nothing was added"):
        add_uploads(kb_copy, [str(exe)], embedder)
    with pytest.raises(KBError, match="choose one or more files"):
        add_uploads(kb_copy, [], embedder)


def test_errors_reach_the_user_as_one_escaped_line_and_the_log_keeps_details(tmp_path):
    import gradio as gr

    from app.ui import _log_to_file
    from app.ui_handlers import guard

    settings = Settings(data_dir=tmp_path / "d")
    _log_to_file(settings)

    @guard
    def known():
        raise KBError("bad file <img src=x>.md: too large")

    @guard
    def unexpected():
        raise RuntimeError("internal detail /srv/secret")

    with pytest.raises(gr.Error) as err:
        known()
    assert err.value.message == "bad file &lt;img src=x&gt;.md: too large"
    with pytest.raises(gr.Error) as err:
        unexpected()
    assert "internal detail" not in err.value.message
    assert "kb.log" in err.value.message
    log = settings.log_path.read_text()
    assert "RuntimeError: internal detail /srv/secret" in log and "Traceback" in log


def test_feedback_escapes_characters_that_split_or_reverse_a_line(tmp_path):
    path = tmp_path / "feedback.jsonl"
    tricky = "one\u2028two\u2029three\u0085four\u202efive café"
    append_feedback(path, feedback_record({"question": tricky, "answer": "ok"}, "up", tricky))
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) == 1  # str.splitlines splits on all four
    assert not any(c in text for c in "\u2028\u2029\u0085\u202e")
    assert "\\u2028" in text and "café" in text  # escaped, and accents stay readable
    record = json.loads(text)
    assert record["question"] == tricky and record["comment"] == tricky


def test_upload_takes_a_word_file(kb_copy, embedder, tmp_path):
    from docx import Document

    path = tmp_path / "Lantern Guide.docx"
    doc = Document()
    doc.core_properties.title = "Harbour lantern guide for caseworkers"
    doc.add_heading("When the walks start", level=1)
    doc.add_paragraph("Harbour lantern walks for caseworkers start at the old quay at dusk. " * 3)
    doc.save(path)
    assert check_upload(path, 1) is None
    report = add_uploads(kb_copy, [str(path)], embedder)
    assert "added 1" in report, report
    assert (kb_copy.data_dir / "uploads" / "Lantern_Guide.docx").exists()
