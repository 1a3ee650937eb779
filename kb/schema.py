"""The knowledge-base document schema: front matter parsing and validation.

Run `python -m kb.schema [DIR]` to check every document and print problems with file and line.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

from kb.errors import FrontMatterError
from kb.front_matter import check_front_matter
from kb.vocabulary import EVIDENCE_TYPES, POPULATIONS, TOPICS

__all__ = ["EVIDENCE_TYPES", "POPULATIONS", "TOPICS", "split_front_matter", "validate_document",
           "validate_folder"]

MIN_WORDS, MAX_WORDS = 300, 1200
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
).split()
# A parenthesised group whose last token is a year: "(Mitchell et al. 2021; FDA 2024)".
_PAREN = re.compile(r"\(([^()]*?\b(?:19|20)\d{2}[a-z]?)\)")


# libyaml's loader when PyYAML was built with it: the same safe subset, ~10x faster.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def split_front_matter(text: str, name: str) -> tuple[dict, str, int]:
    """Return (front matter, body, line where the body starts). No front matter -> ({}, text, 1)."""
    if not text.startswith("---"):
        return {}, text, 1
    lines = text.splitlines(keepends=True)
    if lines[0].strip() != "---":
        return {}, text, 1
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            raw = "".join(lines[1:i])
            try:
                meta = yaml.load(raw, Loader=_YAML_LOADER) or {}
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                # Errors found at the end of the block point past it: clamp to its last line.
                line = min(mark.line + 2, i) if mark else 1
                problem = getattr(exc, "problem", None) or "invalid YAML"
                raise FrontMatterError(f"{name}, line {line}: front matter is not valid YAML "
                                       f"({problem}); fix the YAML between the --- lines.") from None
            if not isinstance(meta, dict):
                raise FrontMatterError(f"{name}, line 2: front matter must be a mapping of "
                                       "keys to values (see kb/README.md).")
            return meta, "".join(lines[i + 1:]), i + 2
    raise FrontMatterError(f"{name}, line 1: front matter opened with --- is never closed; "
                           "add a --- line after it.")


def _line_of(text: str, pattern: str) -> int:
    for i, line in enumerate(text.splitlines(), 1):
        if pattern in line:
            return i
    return 1


def inline_references(body: str) -> list[tuple[str, int]]:
    """Every reference-like label in parentheses, with its body line."""
    found = []
    for lineno, line in enumerate(body.splitlines(), 1):
        for m in _PAREN.finditer(line):
            for part in m.group(1).split(";"):
                part = part.strip()
                if not part or not part[0].isupper():
                    continue
                if part.split()[0].lower().rstrip(".") in MONTHS:
                    continue
                found.append((part, lineno))
    return found


def _body_problems(name: str, body: str, body_line: int, cites: set[str]) -> list[str]:
    """Length, headings and inline references of a document's body."""
    problems = []
    words = len(re.findall(r"\b\w[\w'’.-]*\b", body))
    if not MIN_WORDS <= words <= MAX_WORDS:
        problems.append(f"{name}: body has {words} words; write {MIN_WORDS} to {MAX_WORDS}.")
    for lineno, line in enumerate(body.splitlines(), body_line):
        if line.startswith("# "):
            problems.append(f"{name}, line {lineno}: no H1 in the body; the title is in front "
                            "matter, use ## headings.")
    used = set()
    for label, lineno in inline_references(body):
        if label in cites:
            used.add(label)
        else:
            problems.append(f"{name}, line {lineno + body_line - 1}: reference ({label}) matches "
                            "no `cite` in sources.")
    for cite in sorted(cites - used):
        problems.append(f"{name}: source `{cite}` is never cited in the body.")
    return problems


def validate_document(path: Path) -> list[str]:
    """All problems with one bundled document, each naming the file and line."""
    name = str(path)
    text = path.read_text(encoding="utf-8")
    try:
        meta, body, body_line = split_front_matter(text, name)
    except FrontMatterError as exc:
        return [str(exc)]
    if not meta:
        return [f"{name}, line 1: no front matter; start the file with a --- YAML block."]
    problems: list[str] = []

    def bad(key: str, msg: str) -> None:
        problems.append(f"{name}, line {_line_of(text, key + ':')}: {msg}")

    if meta.get("id") != path.stem:
        bad("id", f"`id` must equal the file name without .md ({path.stem!r}).")
    elif not SLUG.match(str(meta["id"])):
        bad("id", "`id` must be a lowercase slug of a-z, 0-9 and '-'.")
    _, errors = check_front_matter(meta, curated=True)
    for key, message in errors:
        bad(key, message)
    sources = meta.get("sources") if isinstance(meta.get("sources"), list) else []
    cites = {str(s["cite"]).strip() for s in sources if isinstance(s, dict) and s.get("cite")}
    return problems + _body_problems(name, body, body_line, cites)


def validate_folder(folder: Path) -> list[str]:
    """Problems across a folder, including duplicate ids."""
    problems: list[str] = []
    seen: dict[str, Path] = {}
    for path in sorted(folder.glob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        problems += validate_document(path)
        if path.stem in seen:
            problems.append(f"{path}: duplicate id {path.stem!r} (also {seen[path.stem]}).")
        seen[path.stem] = path
    return problems


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else Path(__file__).parent / "documents"
    problems = validate_folder(folder)
    for p in problems:
        print(p)
    print(f"{len(problems)} problem(s) in {len(list(folder.glob('*.md')))} document(s).")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
