"""Fetches http(s) URLs for ingest: public hosts only, each redirect re-checked, size and time capped."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urljoin, urlparse

import httpx

from kb.config import Settings
from kb.errors import FileRejectedError

URL_TYPES = {"text/html": ".html", "application/xhtml+xml": ".html", "text/plain": ".txt",
             "text/markdown": ".md", "application/pdf": ".pdf"}
MAX_REDIRECTS = 5


def _check_host(url: str, settings: Settings) -> None:
    host = urlparse(url).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror:
        raise FileRejectedError(f"{url}: cannot resolve host {host!r}") from None
    for info in infos:
        ip = ipaddress.ip_address(info[4][0].split("%")[0])
        if (ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_reserved
                or ip.is_multicast or ip.is_unspecified) and not settings.allow_private_urls:
            raise FileRejectedError(f"{url}: refers to a local or private address ({ip}); "
                                    "refused (KB_ALLOW_PRIVATE_URLS=1 allows it)")


def _read_body(resp: httpx.Response, url: str, settings: Settings) -> tuple[bytes, str]:
    """(body, suffix) of a final response, refusing other content types and oversized bodies."""
    cap = int(settings.url_max_mb * 1024 * 1024)
    if resp.status_code >= 400:
        raise FileRejectedError(f"{url}: HTTP {resp.status_code}")
    ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype not in URL_TYPES:
        raise FileRejectedError(f"{url}: content type {ctype or '(none)'} is not "
                                "HTML, plain text, markdown or PDF")
    declared = int(resp.headers.get("content-length") or 0)
    if declared > cap:
        raise FileRejectedError(f"{url}: {declared / 1048576:.1f} MB is over the "
                                f"{settings.url_max_mb:g} MB limit (KB_URL_MAX_MB)")
    body = bytearray()
    for part in resp.iter_bytes():
        body += part
        if len(body) > cap:
            raise FileRejectedError(f"{url}: larger than the {settings.url_max_mb:g} MB limit "
                                    "(KB_URL_MAX_MB)")
    return bytes(body), URL_TYPES[ctype]


def fetch_url(url: str, settings: Settings) -> tuple[bytes, str, str]:
    """(body, suffix, final URL). Each redirect is re-checked; size and time are capped."""
    current = url
    with httpx.Client(timeout=settings.url_timeout_s, follow_redirects=False,
                      headers={"User-Agent": "mdma-access-kb/0.1"}) as client:
        for _ in range(MAX_REDIRECTS + 1):
            if urlparse(current).scheme not in ("http", "https"):
                raise FileRejectedError(f"{url}: redirected to a non-http URL; refused")
            _check_host(current, settings)
            try:
                with client.stream("GET", current) as resp:
                    if resp.is_redirect:
                        current = urljoin(current, resp.headers.get("location", ""))
                        continue
                    body, suffix = _read_body(resp, url, settings)
                    return body, suffix, current
            except httpx.TimeoutException:
                raise FileRejectedError(f"{url}: timed out after {settings.url_timeout_s:g} s "
                                        "(KB_URL_TIMEOUT_S)") from None
            except httpx.HTTPError as exc:
                raise FileRejectedError(f"{url}: could not fetch ({type(exc).__name__})") from None
    raise FileRejectedError(f"{url}: more than {MAX_REDIRECTS} redirects")
