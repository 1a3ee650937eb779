"""Child process: extract PDF text per page and document info, printed as JSON (run with limits)."""

from __future__ import annotations

import json
import sys


def _info(reader) -> dict:
    """Title, author and creation date from the document info; '' for what is missing or broken."""
    try:
        meta = reader.metadata or {}
        title, author = meta.get("/Title") or "", meta.get("/Author") or ""
    except Exception:  # a damaged info dictionary must not cost the text
        return {"title": "", "author": "", "created": ""}
    try:
        created = meta.creation_date.isoformat() if meta.creation_date else ""
    except Exception:  # pypdf raises on malformed D:YYYYMMDD... strings
        created = ""
    return {"title": str(title), "author": str(author), "created": created}


def main(path: str) -> int:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:
                ok = 0
            if not ok:
                print(json.dumps({"error": "encrypted PDF (password protected); save an "
                                           "unprotected copy and ingest that"}))
                return 0
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        print(json.dumps({"error": f"corrupt or unreadable PDF ({type(exc).__name__})"}))
        return 0
    except Exception as exc:  # pypdf raises many types on damaged files
        print(json.dumps({"error": f"corrupt or unreadable PDF ({type(exc).__name__})"}))
        return 0
    print(json.dumps({"pages": pages, "info": _info(reader)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
