"""The chat server over HTTP: file routes never serve the index, 20 users at once, auth."""

from __future__ import annotations

import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import httpx
import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError, AuthenticationError
from gradio_client.utils import QueueError
from ui_support import running_chat

from app.ui_examples import EXAMPLES
from kb.config import Settings

pytestmark = pytest.mark.slow  # real Gradio servers (`make test-fast` skips them)

SECRET = "TOKEN-7f3c1e-do-not-serve"


def _client(url: str, **kw) -> Client:
    return Client(url, verbose=False, analytics_enabled=False, download_files=False, **kw)


def test_file_routes_never_serve_the_index_or_secrets(kb_index, assistant, tmp_path):
    data_dir = tmp_path / "served"
    shutil.copytree(kb_index, data_dir)
    secret = data_dir / "secrets.env"
    secret.write_text(f"OPENAI_API_KEY={SECRET}\n")
    sqlite = next(data_dir.rglob("chroma.sqlite3"))
    rel = secret.relative_to(secret.anchor)  # the path without its leading "/"
    targets = [
        str(secret), str(sqlite), str(data_dir), f"../../../../../../../../{rel}",
        f"..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2F{quote(str(rel), safe='')}",
        quote(str(secret), safe=""), quote(quote(str(secret), safe=""), safe=""),
        f"{secret.parent}/./{secret.name}", f"{secret.parent}/x/../{secret.name}",
        f"/tmp/gradio/../../{rel}", "/etc/passwd", "pyproject.toml", "../pyproject.toml",
        f"file://{secret}",
    ]
    with running_chat(Settings(data_dir=data_dir), assistant) as url:
        checked = 0
        for target in targets:
            for route in ("gradio_api/file=", "file=", "gradio_api/file/"):
                resp = httpx.get(url + route + target, timeout=10)
                assert 400 <= resp.status_code < 500, (route, target, resp.status_code)
                assert SECRET not in resp.text and "SQLite format" not in resp.text
                assert "root:x:0:0" not in resp.text
                checked += 1
        assert checked == len(targets) * 3
        assert httpx.get(url, timeout=10).status_code == 200  # still serving


def _ask(url: str, question: str, barrier: threading.Barrier) -> tuple[str, object]:
    client = _client(url)
    barrier.wait(timeout=120)
    try:
        return "ok", client.predict(question, "all", "all", [], api_name="/ask")
    except (QueueError, AppError) as exc:
        return "error", str(exc)


def _twenty_users(url: str) -> list[tuple[str, str, object]]:
    questions = [q for qs in EXAMPLES.values() for q in qs][:20]
    barrier = threading.Barrier(len(questions))
    with ThreadPoolExecutor(len(questions)) as pool:
        futures = [pool.submit(_ask, url, q, barrier) for q in questions]
        # A hung request fails the test here instead of blocking it.
        return [(q, *f.result(timeout=180)) for q, f in zip(questions, futures)]


def test_twenty_simultaneous_users_all_get_their_answers(assistant, tmp_path):
    settings = Settings(data_dir=tmp_path / "d")
    assert (settings.concurrency, settings.max_queue) == (2, 40)
    expected = {}
    with running_chat(settings, assistant) as url:
        results = _twenty_users(url)
        for q, status, value in results:
            assert status == "ok", (q, value)
            expected.setdefault(q, assistant.ask(q).answer)
            assert value["question"] == q and value["answer"] == expected[q]
            assert value["citations"] and not value["abstained"]
        after = _client(url).predict("Why is MDMA a Schedule I drug?", api_name="/ask")
        assert after["citations"]


def test_a_full_queue_says_busy_and_the_server_keeps_serving(assistant, tmp_path):
    settings = Settings(data_dir=tmp_path / "d", concurrency=1, max_queue=1)
    with running_chat(settings, assistant) as url:
        results = _twenty_users(url)
        busy = [v for _, status, v in results if status == "error"]
        answered = [(q, v) for q, status, v in results if status == "ok"]
        assert busy and answered, results
        assert all("Queue is full! Please try again." in v for v in busy)
        assert all(v["question"] == q and v["citations"] for q, v in answered)
        again = _client(url).predict("Will insurance cover MDMA-assisted therapy?",
                                     api_name="/ask")
        assert again["citations"]


def test_api_reports_bad_input_as_one_line(assistant, tmp_path):
    with running_chat(Settings(data_dir=tmp_path / "d"), assistant) as url:
        client = _client(url)
        with pytest.raises(AppError, match="unknown topic 'cooking'"):
            client.predict("What is MDMA?", "cooking", "all", [], api_name="/ask")
        with pytest.raises(AppError, match="the question is empty"):
            client.predict("   ", api_name="/ask")
        crisis = client.predict("I want to kill myself", api_name="/ask")
        assert crisis["safety"] == "crisis" and "988" in crisis["answer"]


def test_auth_is_required_when_set(assistant, tmp_path):
    settings = Settings(data_dir=tmp_path / "d", auth="ann:correct-horse")
    with running_chat(settings, assistant) as url:
        assert httpx.get(url + "config", timeout=10).status_code == 401
        with pytest.raises(AuthenticationError, match="credentials were not provided"):
            _client(url).predict("Why is MDMA a Schedule I drug?", api_name="/ask")
        answer = _client(url, auth=("ann", "correct-horse")).predict(
            "Why is MDMA a Schedule I drug?", api_name="/ask")
        assert answer["citations"]


def test_gradio_upload_route_takes_no_file_when_uploads_are_off(kb_index, assistant):
    # Gradio keeps /gradio_api/upload even when no component takes a file; with uploads off it
    # must not store anything, or anyone who can reach the chat could fill the disk.
    body = {"files": ("notes.txt", b"ten bytes." * 100, "text/plain")}
    for enabled, status in ((False, 413), (True, 200)):
        settings = Settings(data_dir=kb_index, enable_upload=enabled)
        with running_chat(settings, assistant) as url:
            resp = httpx.post(url + "gradio_api/upload", files=body, timeout=10)
            assert resp.status_code == status, (enabled, resp.text)
