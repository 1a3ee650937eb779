"""Answers leaving the chat: plain text with references (copy) and the conversation as Markdown."""

from __future__ import annotations

import re
from pathlib import PurePath

from kb.safety import DISCLAIMER

TITLE = "MDMA-assisted therapy for PTSD: knowledge base"
CRISIS_LINE = ("In a crisis in the US: call or text 988 (Suicide & Crisis Lifeline, chat at "
               "https://988lifeline.org/), or call 911 if someone is in immediate danger.")


def source_label(source: str) -> str:
    """A reference string as is; a local file path shortened to its file name."""
    source = source or ""
    if source.startswith("/") or re.match(r"^[A-Za-z]:\\", source):
        return PurePath(source.replace("\\", "/")).name
    return source


def _reference_text(c: dict) -> str:
    """'reference link (knowledge-base document: title › section, as of date; added by a user)'."""
    ref = source_label(c.get("source", "")).strip()
    link = (c.get("link") or "").strip()
    if link and link not in ref:
        ref = f"{ref} {link}".strip()
    where = " › ".join(p for p in (c.get("title"), c.get("section")) if p)
    notes = [f"as of {c['as_of']}" if c.get("as_of") else "",
             "added by a user" if c.get("origin") == "user" else ""]
    notes_text = "; ".join(n for n in notes if n)
    detail = ", ".join(p for p in (where, notes_text) if p)
    return ref + (f" (knowledge-base document: {detail})" if detail else "")


def reference_lines(citations: list[dict]) -> list[str]:
    """One line per distinct reference, led by every marker that cites it ('[1][2] ...')."""
    numbers: dict[str, list[int]] = {}
    for c in citations:
        numbers.setdefault(_reference_text(c), []).append(c["n"])
    return ["".join(f"[{n}]" for n in ns) + f" {text}" for text, ns in numbers.items()]


def answer_plaintext(turn: dict) -> str:
    """The answer with its [n] markers, then the numbered references with their links."""
    lines = [(turn.get("answer") or "").strip()]
    if turn.get("citations"):
        lines += ["", "References"] + reference_lines(turn["citations"])
    return "\n".join(lines)


def _md_text(text: str) -> str:
    # Keep the file readable as plain text, but let no Markdown viewer treat it as HTML.
    return re.sub(r"([<>])", r"\\\1", (text or "").strip())


def conversation_markdown(turns: list[dict], current_to: str, when: str) -> str:
    """Every question, answer and reference of the conversation, with the disclaimer."""
    out = [f"# {TITLE}: conversation", "",
           f"Saved {when}. Knowledge base current to {current_to or 'n/a'} "
           "(the latest as-of date of its curated documents).", "",
           f"> {_md_text(DISCLAIMER)}", ""]
    if not turns:
        out += ["No questions were asked yet.", ""]
    for i, turn in enumerate(turns, 1):
        out += [f"## Question {i}", "", _md_text(turn.get("question", "")), "",
                "**Answer**" + ("" if turn.get("citations") else " (no sources cited)"), "",
                _md_text(turn.get("answer", "")), ""]
        if turn.get("notice"):
            out += [f"*{_md_text(turn['notice'])}*", ""]
        if turn.get("citations"):
            out += ["**References**", ""]
            out += [f"- {_md_text(line)}" for line in reference_lines(turn["citations"])]
            out.append("")
    out += ["---", "", CRISIS_LINE, ""]
    return "\n".join(out)
