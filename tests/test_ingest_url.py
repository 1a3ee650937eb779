"""URL ingest against a real local HTTP server: types, size and time limits, redirects, private hosts."""

from __future__ import annotations

import http.server
import threading
import time

import pytest
from conftest import DATA

from bench.processes import free_port
from ingest.pipeline import run_ingest
from kb.config import Settings
from kb.store import Index

ARTICLE = (DATA / "scraped-article.html").read_bytes()


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output quiet
        pass

    def _send(self, body: bytes, ctype: str, status: int = 200, length: int | None = None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 - http.server's name
        if self.path == "/article.html":
            self._send(ARTICLE, "text/html; charset=utf-8")
        elif self.path == "/notes.txt":
            self._send(b"Plain notes served over HTTP about the Corvid survey of 40 parks.",
                       "text/plain")
        elif self.path == "/image.png":
            self._send(b"\x89PNG\r\n\x1a\n", "image/png")
        elif self.path == "/slow":
            time.sleep(3)
            self._send(b"too late", "text/plain")
        elif self.path == "/big":
            self._send(b"x" * (3 * 1024 * 1024), "text/plain")
        elif self.path == "/big-undeclared":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            for _ in range(30):
                self.wfile.write(b"y" * 100_000)
        elif self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/article.html")
            self.end_headers()
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        else:
            self._send(b"not found", "text/plain", 404)


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):  # the client hung up on /slow: expected
        pass


@pytest.fixture(scope="module")
def server():
    port = free_port()
    httpd = QuietServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    httpd.shutdown()
    httpd.server_close()


def test_urls_are_fetched_checked_and_reported(server, tmp_path, embedder):
    settings = Settings(data_dir=tmp_path / "data", allow_private_urls=True, url_timeout_s=1,
                        url_max_mb=1)
    urls = [f"{server}/{p}" for p in ("article.html", "notes.txt", "redirect", "image.png",
                                      "slow", "big", "big-undeclared", "loop", "missing")]
    report = run_ingest(settings, urls, embedder, progress=False)
    reasons = {url.rsplit("/", 1)[1]: why for url, why in report.skipped}
    port = server.rsplit(":", 1)[1]
    assert reasons == {
        "image.png": f"{server}/image.png: content type image/png is not HTML, plain text, "
                     "markdown or PDF",
        "slow": f"{server}/slow: timed out after 1 s (KB_URL_TIMEOUT_S)",
        "big": f"{server}/big: 3.0 MB is over the 1 MB limit (KB_URL_MAX_MB)",
        "big-undeclared": f"{server}/big-undeclared: larger than the 1 MB limit (KB_URL_MAX_MB)",
        "loop": f"{server}/loop: more than 5 redirects",
        "missing": f"{server}/missing: HTTP 404",
        # the redirect lands on the article, which is already indexed under its own URL
        "redirect": f"same content as 127.0.0.1:{port}/article.html; indexed once",
    }
    assert sorted(report.added) == [f"127.0.0.1:{port}/article.html", f"127.0.0.1:{port}/notes.txt"]
    chunks = Index.open(settings).chunks()
    article = [c for c in chunks if c.doc_id.endswith("article.html")]
    assert article[0].title.startswith("Quiet gardens help nurses")
    assert article[0].source == f"{server}/article.html"
    assert not any("Accept all cookies" in c.text for c in article)


def test_private_addresses_are_refused_by_default(server, tmp_path, embedder):
    settings = Settings(data_dir=tmp_path / "data")
    report = run_ingest(settings, [f"{server}/notes.txt"], embedder, progress=False)
    assert report.skipped == [(f"{server}/notes.txt",
                               f"{server}/notes.txt: refers to a local or private address "
                               "(127.0.0.1); refused (KB_ALLOW_PRIVATE_URLS=1 allows it)")]
    assert report.ingested == 0
