"""The one caveat an answer owes its reader: a retracted source, a single sponsor, no approval."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kb import sentences as sent
from kb.compose import Candidate, Focus, usable
from kb.records import Chunk, Hit

# Evidence types whose results need the sponsor and approval caveats.
STUDY_TYPES = frozenset({"rct", "follow-up", "qualitative", "trial", "cohort", "meta-analysis"})


def caveat(chosen: Sequence[Candidate], pool: Mapping[str, Sequence[Chunk]],
           focus: Focus) -> tuple[Hit, int] | None:
    """One sentence a practitioner must not miss, from a document the answer cites: a retraction
    of a source it quotes, then (for results) the single sponsor, then that it is not approved."""
    docs = list(dict.fromkeys(c.hit.chunk.doc_id for c in chosen))
    said = " ".join(c.text for c in chosen)
    wanted = []
    if any(sent.caveat_kind(c.text) == "retracted" for c in chosen):
        wanted = []  # the answer already says so
    elif _quotes_retracted(chosen, pool):
        wanted.append("retracted")
    study = chosen[0].hit.chunk.evidence_type in STUDY_TYPES
    approved = bool(sent.CAVEATS[1][1].search(said))
    if focus.about_access and not approved:
        wanted.append("not approved")  # a question that presumes it can be prescribed or paid
    if study and focus.kind in ("effect", "share", "finding", "duration"):
        if "sponsor" not in said.lower():
            wanted.append("single sponsor")
        if not approved:
            wanted.append("not approved")
    words = [c.words for c in chosen]
    keys = {c.key for c in chosen}
    for kind in dict.fromkeys(wanted):
        for doc in docs + ([d for d in pool if d not in docs] if kind == "not approved" else []):
            for chunk in pool.get(doc, ()):
                for si, (s, e) in enumerate(chunk.sentences):
                    text = chunk.text[s:e]
                    if si in chunk.flagged_sentences or not usable(text) or sent.leans_back(text):
                        continue
                    if sent.caveat_kind(text) != kind or (doc, chunk.start + s) in keys:
                        continue
                    if any(sent.near_duplicate(sent.word_set(text), w) for w in words):
                        continue
                    return Hit(chunk=chunk, score=0.0), si
    return None


def _quotes_retracted(chosen: Sequence[Candidate], pool: Mapping[str, Sequence[Chunk]]) -> bool:
    """A quoted sentence cites a publication its document elsewhere says was retracted."""
    for c in chosen:
        cites = [src.cite for src in c.hit.chunk.sources if src.cited_in(c.text)]
        for chunk in pool.get(c.hit.chunk.doc_id, ()):
            for s, e in chunk.sentences:
                text = chunk.text[s:e]
                if sent.caveat_kind(text) == "retracted" and any(ct in text for ct in cites):
                    return True
    return False
