"""Checks made when an index is opened (damaged files, another model): one line naming the fix."""

from __future__ import annotations

from kb.config import Settings
from kb.errors import IndexDamagedError, KBError, ModelMismatchError, StoreUnavailableError

SQLITE = "chroma.sqlite3"
# Messages by which sqlite (through Chroma) says its file is not a usable database.
_DAMAGE = ("malformed", "not a database", "no such table", "file is encrypted",
           "database disk image", "unable to open database")


def rebuild_fix(settings: Settings) -> str:
    return "run `kb ingest --rebuild` to rebuild it from the sources recorded in its manifest"


def damaged(settings: Settings, what: str) -> IndexDamagedError:
    return IndexDamagedError(f"the index at {settings.where()} is damaged ({what}); "
                             f"{rebuild_fix(settings)}.")


def translate(settings: Settings, exc: Exception) -> KBError:
    """A Chroma or sqlite failure as the one-line KBError a user can act on."""
    text = str(exc)
    if isinstance(exc, KBError):
        return exc
    if any(m in text.lower() for m in _DAMAGE):
        return damaged(settings, f"{SQLITE}: {text.splitlines()[0][:120]}")
    if settings.chroma_url:
        return StoreUnavailableError(f"the Chroma server at {settings.chroma_url} failed "
                                     f"({type(exc).__name__}); is `chroma run` running there?")
    return StoreUnavailableError(f"cannot use the index at {settings.where()}: "
                                 f"{type(exc).__name__}: {text.splitlines()[0][:160] if text else ''}")


def check_files(settings: Settings, create: bool) -> None:
    """Refuse an on-disk index whose sqlite file is gone or empty while its vectors remain
    (Chroma would silently start a new, empty database over it)."""
    path = settings.chroma_path
    sqlite = path / SQLITE
    segments = path.is_dir() and any(p.is_dir() for p in path.iterdir())
    if sqlite.exists() and sqlite.stat().st_size == 0:
        raise damaged(settings, f"{SQLITE} is empty")
    if not sqlite.exists() and segments:
        raise damaged(settings, f"{SQLITE} is missing")
    if not sqlite.exists() and not create:
        from kb.manifest import read_manifest

        recorded = read_manifest(settings)
        if recorded and recorded.get("documents"):
            raise damaged(settings, f"{SQLITE} is missing but the manifest records "
                                     f"{len(recorded['documents'])} documents")


def check_identity(settings: Settings, metadata: dict, expect: dict) -> None:
    """Refuse an index built with another model or chunker than `expect` names."""
    for key, wanted in expect.items():
        have = metadata.get(key)
        if have != wanted:
            raise ModelMismatchError(
                f"re-index required: the index at {settings.where()} was built with "
                f"{key}={have!r}, this version uses {wanted!r}. Run `kb ingest --rebuild` to "
                "rebuild it from the sources recorded in its manifest (or use a new "
                "KB_COLLECTION).")


def is_missing(exc: Exception) -> bool:
    """Chroma's way of saying the collection does not exist (the error class varies by client)."""
    return "does not exist" in str(exc) or "NotFound" in type(exc).__name__
