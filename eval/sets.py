"""Eval sets: read and validate JSONL question files; judge which passages are relevant."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from kb.errors import EvalSetError
from kb.records import Chunk
from kb.vocabulary import DECLINE_TOPICS, TOPICS

DEFAULT_SET = Path(__file__).parent / "sets" / "default.jsonl"
SCHEMA_HINT = ('one JSON object a line: {"id", "question", "topic", "expect_any": [...], '
               '"gold_docs": [...], "answerable": true|false, "history": [...], '
               '"split": "tune"|"heldout"}')
SPLITS = ("tune", "heldout")


@dataclass(frozen=True)
class EvalCase:
    """One question and what counts as evidence for it (other fields in the file are ignored)."""

    id: str
    question: str
    topic: str
    expect_any: tuple[str, ...] = ()
    gold_docs: tuple[str, ...] = ()
    answerable: bool = True
    line: int = 0
    # earlier questions of the conversation, oldest first; empty for a single-turn case
    history: tuple[str, ...] = ()
    # "heldout" cases are never looked at while tuning; scores are reported for both parts
    split: str = "tune"

    @property
    def follow_up(self) -> bool:
        return bool(self.history)

    def relevance(self, chunk: Chunk) -> int:
        """2: the passage contains an expected string; 1: it is from a gold document; 0: neither."""
        text = chunk.text.lower()
        if any(s.lower() in text for s in self.expect_any):
            return 2
        return 1 if chunk.doc_id in self.gold_docs else 0


def _strings(row: dict, key: str, where: str) -> tuple[str, ...]:
    value = row.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise EvalSetError(f"{where}: \"{key}\" must be a list of non-empty strings.")
    return tuple(v.strip() for v in value)


def parse_case(row: object, where: str, line: int = 0) -> EvalCase:
    """One validated case; `where` ("file, line n") starts every error message."""
    if not isinstance(row, dict):
        raise EvalSetError(f"{where}: expected a JSON object, got {type(row).__name__}; "
                           f"{SCHEMA_HINT}.")
    for key in ("id", "question", "topic"):
        if key not in row:
            raise EvalSetError(f"{where}: missing field \"{key}\"; {SCHEMA_HINT}.")
        if not isinstance(row[key], str) or not row[key].strip():
            raise EvalSetError(f"{where}: \"{key}\" must be a non-empty string.")
    if row["topic"].strip() not in TOPICS + DECLINE_TOPICS:
        raise EvalSetError(f"{where}: unknown topic {row['topic']!r}; use one of "
                           f"{', '.join(TOPICS + DECLINE_TOPICS)}.")
    answerable = row.get("answerable", True)
    if not isinstance(answerable, bool):
        raise EvalSetError(f"{where}: \"answerable\" must be true or false, "
                           f"not {json.dumps(answerable)}.")
    expect, gold = _strings(row, "expect_any", where), _strings(row, "gold_docs", where)
    if answerable and not (expect or gold):
        raise EvalSetError(f"{where}: an answerable question needs \"expect_any\" strings or "
                           "\"gold_docs\" ids, or set \"answerable\": false.")
    split = row.get("split", "tune")
    if split not in SPLITS:
        raise EvalSetError(f"{where}: \"split\" must be \"tune\" or \"heldout\", "
                           f"not {json.dumps(split)}.")
    return EvalCase(id=row["id"].strip(), question=row["question"].strip(),
                    topic=row["topic"].strip(), expect_any=expect, gold_docs=gold,
                    answerable=answerable, line=line, history=_strings(row, "history", where),
                    split=split)


def load_eval_set(path: Path) -> list[EvalCase]:
    """Every case in a JSONL file; the first problem raises EvalSetError naming its line."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise EvalSetError(f"{path}: cannot read the eval set ({exc.strerror or exc}).") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise EvalSetError(f"{path}, line {line}: not UTF-8 text; save the file as UTF-8.") from None
    cases: list[EvalCase] = []
    seen: dict[str, int] = {}
    for n, line_text in enumerate(text.splitlines(), 1):
        if not line_text.strip():
            continue
        where = f"{path}, line {n}"
        try:
            row = json.loads(line_text)
        except json.JSONDecodeError as exc:
            raise EvalSetError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno}); "
                               f"{SCHEMA_HINT}.") from None
        case = parse_case(row, where, n)
        if case.id in seen:
            raise EvalSetError(f"{where}: id {case.id!r} is already used on line {seen[case.id]}; "
                               "ids must be unique.")
        seen[case.id] = n
        cases.append(case)
    if not cases:
        raise EvalSetError(f"{path}: the eval set has no questions; {SCHEMA_HINT}.")
    return cases
