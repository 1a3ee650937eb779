"""Chat feedback: one JSON line per rating appended to settings.feedback_path."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path

MAX_COMMENT = 2000
RATINGS = ("up", "down")
_lock = threading.Lock()
# Characters a line-splitting reader (str.splitlines, many log viewers) treats as line breaks,
# and bidirectional controls that make a line display as something else: written escaped.
_ESCAPED = {ord(c): f"\\u{ord(c):04x}" for c in
            "\u0085\u2028\u2029\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
            "\u2066\u2067\u2068\u2069"}


def feedback_record(turn: dict, rating: str, comment: str = "") -> dict:
    """The line written for one rating of one answer (a turn from ui_render.turn_from_answer)."""
    if rating not in RATINGS:
        raise ValueError(f"rating must be one of {RATINGS}")
    return {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "question": turn.get("question", ""),
        "answer": turn.get("answer", ""),
        "citations": [c["chunk_id"] for c in turn.get("citations", [])],
        "abstained": bool(turn.get("abstained")),
        "safety": turn.get("safety"),
        "filters": turn.get("filters", {}),
        "rating": rating,
        "comment": (comment or "").strip()[:MAX_COMMENT],
    }


def append_feedback(path: Path, record: dict) -> None:
    """Append one line; a lock keeps concurrent ratings from interleaving."""
    # ensure_ascii=False keeps accented text readable; the few characters above are escaped
    # (still valid JSON) so one record is always exactly one line.
    line = json.dumps(record, ensure_ascii=False).translate(_ESCAPED) + "\n"
    with _lock:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as f:
            f.write(line)
