"""The eval questions the benchmarks ask, and the eval set's relevance rule for hit@k."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

SETS = Path(__file__).resolve().parent.parent / "eval" / "sets"


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    answerable: bool
    gold_docs: tuple[str, ...] = ()
    expect_any: tuple[str, ...] = ()


def question_files(sets_dir: Path = SETS) -> list[Path]:
    """eval/sets/default.jsonl if present, else every draft_*.jsonl."""
    default = sets_dir / "default.jsonl"
    return [default] if default.exists() else sorted(sets_dir.glob("draft_*.jsonl"))


def load_questions(files: Iterable[Path] | None = None) -> list[Question]:
    out = []
    for path in files if files is not None else question_files():
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            if "history" in row and row["history"]:
                continue  # multi-turn cases measure the conversation, not one ask
            out.append(Question(
                id=str(row["id"]), question=row["question"],
                answerable=bool(row.get("answerable", True)),
                gold_docs=tuple(_stem(d) for d in row.get("gold_docs") or ()),
                expect_any=tuple(row.get("expect_any") or ())))
    return out


def _stem(doc_id: str) -> str:
    return doc_id.rsplit(".", 1)[0] if doc_id.endswith((".md", ".txt")) else doc_id


def is_relevant(question: Question, doc_id: str, text: str) -> bool:
    """A passage counts if its document is gold or it contains an expected string."""
    if _stem(doc_id) in question.gold_docs:
        return True
    low = text.lower()
    return any(s.lower() in low for s in question.expect_any)


def hit_at_k(question: Question, passages: list[tuple[str, str]], k: int = 5) -> bool:
    """passages: (doc_id, text) in rank order."""
    return any(is_relevant(question, d, t) for d, t in passages[:k])
