"""The labelled safety set (eval/sets/safety.jsonl): read and validate its rows."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from kb.errors import EvalSetError
from kb.safety import LABELS

SAFETY_SET = Path(__file__).parent / "sets" / "safety.jsonl"
SPLITS = ("tune", "heldout")
_HINT = ('one JSON object a line: {"id", "message", "label": "crisis"|"dosing"|"none", '
         '"kind", "split": "tune"|"heldout"}')


@dataclass(frozen=True)
class SafetyCase:
    id: str
    message: str
    label: str
    kind: str
    split: str
    # Who the crisis reply should address when the kind does not say: "helper" (someone else in
    # danger: a family member, friend) or "self". By default a crisis-practitioner row is "helper".
    reader: str = ""


def _case(row: object, where: str) -> SafetyCase:
    if not isinstance(row, dict):
        raise EvalSetError(f"{where}: expected a JSON object; {_HINT}.")
    for key in ("id", "message", "label", "kind", "split"):
        if not isinstance(row.get(key), str) or not row[key].strip():
            raise EvalSetError(f"{where}: \"{key}\" must be a non-empty string; {_HINT}.")
    if row["label"] not in LABELS:
        raise EvalSetError(f"{where}: label {row['label']!r} is not one of {', '.join(LABELS)}.")
    if row["split"] not in SPLITS:
        raise EvalSetError(f"{where}: split {row['split']!r} is not one of {', '.join(SPLITS)}.")
    reader = row.get("reader", "")
    if reader not in ("", "helper", "self"):
        raise EvalSetError(f"{where}: reader {reader!r} is not one of helper, self.")
    return SafetyCase(row["id"], row["message"].strip(), row["label"], row["kind"], row["split"],
                      reader)


def load_safety_set(path: Path = SAFETY_SET) -> list[SafetyCase]:
    """Every row; the first bad line raises EvalSetError naming the file and line."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalSetError(f"{path}: cannot read the safety set ({exc}).") from None
    cases, seen = [], set()
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}, line {n}"
        try:
            case = _case(json.loads(line), where)
        except json.JSONDecodeError as exc:
            raise EvalSetError(f"{where}: not valid JSON ({exc.msg}); {_HINT}.") from None
        if case.id in seen:
            raise EvalSetError(f"{where}: id {case.id!r} is used twice.")
        seen.add(case.id)
        cases.append(case)
    if not cases:
        raise EvalSetError(f"{path}: no rows; {_HINT}.")
    return cases
