"""The `kb` command: CliRunner for most paths, one real subprocess run of `python -m app`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import DATA, ROOT

from app.cli import cli
from kb.config import BUNDLED_DOCUMENTS


def run(*args, env=None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def test_ask_on_an_empty_index_says_what_to_do(tmp_path):
    result = run("ask", "What did MAPP1 find?")
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: no index in {tmp_path / 'kbdata' / 'chroma'} (collection 'kb_chunks'); "
        "run `kb ingest` first.")


def test_bad_settings_and_options_are_usage_errors():
    bad_env = run("stats", env={"KB_TOP_K": "many"})
    assert bad_env.exit_code == 2
    assert "KB_TOP_K: Input should be a valid integer" in bad_env.output
    empty = run("ask", "   ")
    assert empty.exit_code == 2 and "the question is empty" in empty.output
    bad_topic = run("ask", "x", "--topic", "weather")
    assert bad_topic.exit_code == 2 and "'weather' is not one of" in bad_topic.output


def test_ingest_stats_and_ask_json(kb_copy, tmp_path):
    env = {"KB_DATA_DIR": str(kb_copy.data_dir)}
    corpus = tmp_path / "corpus"
    shutil.copytree(DATA / "corpus", corpus)
    result = run("ingest", "-q", str(corpus), env=env)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("read 3, unchanged 0, added 3, changed 0, removed 0, skipped 0")

    stats = json.loads(run("stats", "--json", env=env).output)
    bundled = [p for p in BUNDLED_DOCUMENTS.glob("*.md") if p.name.lower() != "readme.md"]
    assert stats["documents"] == len(bundled) + 3 and stats["chunks"] > 200
    assert set(stats["topics"]) == {"efficacy", "safety", "protocol", "mechanism", "stigma",
                                    "access", "equity", "policy", "social-work"}
    assert all(v["documents"] >= 3 for v in stats["topics"].values())
    assert stats["embedding_model"] == "sentence-transformers/all-MiniLM-L6-v2"

    out = run("ask", "How many participants did the Lumen study enroll?", "--json", "--k", "3",
              env=env)
    data = json.loads(out.output)
    assert data["abstained"] is False and data["safety"] is None
    assert data["citations"][0]["doc_id"] == "lumen-study"
    assert "42 participants" in data["answer"]
    assert len(data["retrieved"]) == 3

    text = run("ask", "What does a course cost at the Harbor clinic?", "--topic", "access", env=env)
    assert "9,870 marks" in text.output and "Sources:" in text.output
    assert text.output.rstrip().endswith("Educational information, not medical or legal advice.")


def test_ingest_exit_codes(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    nothing = run("ingest", "-q", str(empty))
    assert nothing.exit_code == 1
    assert "skipped" in nothing.output and "empty.txt: empty file" in nothing.output
    assert "Error: nothing could be ingested" in nothing.output

    good = tmp_path / "good.txt"
    good.write_text("A short but real note about weekend clinic hours for everyone.")
    mixed = run("ingest", "-q", str(good), str(empty))
    assert mixed.exit_code == 0
    strict = run("ingest", "-q", "--strict", str(good), str(empty))
    assert strict.exit_code == 1 and "--strict: 1 item(s) skipped." in strict.output
    missing = run("ingest", "-q", str(tmp_path / "nope.md"))
    assert missing.exit_code == 1 and "no such file, folder or http(s) URL" in missing.output


@pytest.mark.slow  # a real process that loads torch and the model
def test_python_dash_m_app_runs_for_real(kb_index):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
    env.update(KB_DATA_DIR=str(kb_index), HF_HUB_OFFLINE="1")
    proc = subprocess.run([sys.executable, "-m", "app", "ask", "Is MDMA therapy FDA approved?",
                           "--json"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["citations"] and "not FDA-approved" in data["answer"]
    assert "Traceback" not in proc.stderr


def test_every_command_has_help_with_an_example():
    for name, command in cli.commands.items():
        result = run(name, "--help")
        assert result.exit_code == 0
        assert command.help and len(command.help.strip()) > 40, name
        assert "kb " in command.help, f"`kb {name} --help` shows no example"


def test_a_folder_with_nothing_readable_exits_non_zero(tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "picture.png").write_bytes(b"\x89PNG\r\n")
    (folder / ".hidden.md").write_text("# not read")
    result = run("ingest", "-q", str(folder))
    assert result.exit_code == 1
    assert result.output.startswith("read 0, unchanged 0, added 0")
    assert result.output.strip().endswith(
        "Error: nothing could be ingested: no readable file (.md, .markdown, .txt, .html, .htm, "
        ".pdf, .docx) in the inputs.")
