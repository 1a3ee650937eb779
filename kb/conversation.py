"""Follow-ups: which earlier turn a question leans on, and the subject it carries forward."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from kb.records import Answer
from kb.subject import SubjectTable, dominant_doc

# Words that open by continuing the previous turn, or point back at it.
_OPENS = re.compile(
    r"^(?:and|but|so|also|what about|how about|what if|why|how come|same for|and for|for)\b",
    re.IGNORECASE)
_POINTS = re.compile(
    r"\b(?:it|its|they|them|their|that|this|those|these|he|she|there|then|still|later)\b",
    re.IGNORECASE)
# A pointer this many words into a longer question usually points inside it ("Did most people in
# the phase 3 trials guess whether they got MDMA?"), not back at the previous turn.
POINTER_REACH, LONG_QUESTION = 6, 8
_NAME = re.compile(r"\b[A-Z][A-Za-z0-9]+\b")
_PLAIN = frozenset({"MDMA", "PTSD", "I", "FDA"})
_FILLER = frozenset(
    "a an the and or but so also what about how why when where who which is are was were be been do "
    "does did it its they them their that this those these he she there for of to in on at with "
    "same too then any more than as by from if can could would should will".split())


def content_words(question: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", question.lower()) if w not in _FILLER]


def _new_names(question: str, previous: str) -> bool:
    """Capitalised names (after the first word) the previous question did not use."""
    prev = previous.lower()
    start = len(question) - len(question.lstrip())
    return any(m.start() > start and m.group() not in _PLAIN and m.group().lower() not in prev
               for m in _NAME.finditer(question))


def is_follow_up(question: str, previous: str = "") -> bool:
    """A question that points back ("Did it last?", "And the placebo group?"), or a short one
    that names nothing new; a longer question with no reference back stands on its own."""
    if _OPENS.search(question):
        return True
    words = question.split()
    reach = " ".join(words if len(words) <= LONG_QUESTION else words[:POINTER_REACH])
    if _POINTS.search(reach):
        return True
    return len(question.split()) <= 6 and not _new_names(question, previous)


def carried_subject(history: Sequence[str], table: SubjectTable,
                    search_docs: Callable[[str], list[str]],
                    previous: Answer | None = None) -> tuple[str, ...]:
    """The documents the conversation is about: those the previous answer cited first when the
    caller passes it; else, walking back, the first earlier question that names a subject (an
    alias) or stands on its own (then its best document, when clearly about one subject)."""
    if previous is not None and previous.citations and not previous.abstained:
        return (previous.citations[0].doc_id,)
    turns = [h for h in history if h and h.strip()]
    for i in range(len(turns) - 1, -1, -1):
        named = table.subjects(turns[i])
        if named:
            return named
        if i == 0 or not is_follow_up(turns[i], turns[i - 1]):
            top = dominant_doc(search_docs(turns[i]))
            return (top,) if top else ()
    return ()


def anchor_question(history: Sequence[str]) -> str:
    """The earlier question a follow-up's words are joined to: the last one that stands alone."""
    turns = [h for h in history if h and h.strip()]
    for i in range(len(turns) - 1, 0, -1):
        if not is_follow_up(turns[i], turns[i - 1]):
            return turns[i]
    return turns[0] if turns else ""
