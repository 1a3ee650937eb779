"""Chroma clients and on-disk index files for kb/store.py: the shared client per path or server,
a private one for a bulk read whose memory is handed back when the read ends, dropping a
collection, and setting an on-disk index aside for a rebuild.

Chroma's embedded client keeps what a full read brings in (the HNSW index, row caches: about
6 KB a passage, measured in docs/benchmarks.md) until the client stops, and every client of one
path in a process shares one such system. A read view is built by reading the whole collection
once per index version; reading it through a system of its own, stopped afterwards, keeps that
memory out of the serving process's steady state and out of the rest of the view build.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

from kb import serve_lock
from kb.config import Settings
from kb.errors import StoreUnavailableError
from kb.store_checks import is_missing, translate


def _chroma_settings():
    import chromadb

    return chromadb.Settings(anonymized_telemetry=False)


def shared_client(settings: Settings):
    """The process's client for this index: an HTTP client for a server, else the embedded one."""
    import chromadb

    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise StoreUnavailableError(
                f"KB_CHROMA_URL={settings.chroma_url!r} is not a URL like http://127.0.0.1:8000.")
        try:
            return chromadb.HttpClient(host=url.hostname, port=url.port or 8000,
                                       ssl=url.scheme == "https", settings=_chroma_settings())
        except Exception as exc:  # chromadb raises plain ValueError/ConnectError here
            raise StoreUnavailableError(
                f"cannot reach the Chroma server at {settings.chroma_url} ({type(exc).__name__}); "
                "is `chroma run` running there?") from exc
    settings.chroma_path.mkdir(parents=True, exist_ok=True)
    try:
        return chromadb.PersistentClient(path=str(settings.chroma_path),
                                         settings=_chroma_settings())
    except Exception as exc:
        forget_clients(settings)  # Chroma caches the half-made client: the next try starts over
        raise translate(settings, exc) from exc


def _stop(key: str) -> None:
    from chromadb.api.shared_system_client import SharedSystemClient as Shared

    system = Shared._identifier_to_system.pop(key, None)
    Shared._identifier_to_refcount.pop(key, None)
    if system is not None:
        with contextlib.suppress(Exception):  # a client that failed to start cannot stop
            system.stop()


def forget_clients(settings: Settings) -> None:
    """Drop Chroma's per-process client for this on-disk index (its files are being replaced);
    clients of other paths are left alone."""
    _stop(str(settings.chroma_path))


@contextlib.contextmanager
def private_client(settings: Settings) -> Iterator:
    """An embedded client of its own for this on-disk index, stopped on exit (its memory freed).

    Chroma keys its per-process systems by path, so the private one opens the same directory
    under another spelling of it ("<path>/."). Nothing else in the process uses that spelling.
    """
    import chromadb

    key = f"{settings.chroma_path}/."
    try:
        client = chromadb.PersistentClient(path=key, settings=_chroma_settings())
    except Exception as exc:
        _stop(key)
        raise translate(settings, exc) from exc
    try:
        yield client
    finally:
        _stop(key)


def drop_collection(settings: Settings) -> None:
    """Delete the collection (vectors, texts, labels); a missing one is not an error."""
    try:
        shared_client(settings).delete_collection(settings.collection)
    except Exception as exc:
        if not is_missing(exc):
            raise translate(settings, exc) from exc


def set_aside(settings: Settings) -> Path | None:
    """Before a rebuild: move the on-disk index aside (returned, to delete once the new one is
    published), or drop the collection on a Chroma server."""
    if settings.chroma_url:
        drop_collection(settings)
        return None
    serve_lock.refuse_if_served_elsewhere(settings.data_dir)
    if not settings.chroma_path.exists():
        return None
    aside = settings.data_dir / "chroma.before-rebuild"
    shutil.rmtree(aside, ignore_errors=True)
    forget_clients(settings)
    settings.chroma_path.rename(aside)
    return aside


def settle_aside(aside: Path | None) -> None:
    """After a rebuild was published: delete the index it replaced."""
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)
