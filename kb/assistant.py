"""ask(): the one function behind `kb ask`, the chat and the eval: safety, retrieval, answer."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from kb import answer as extractive
from kb import answerability, safety
from kb.config import Settings
from kb.conversation import anchor_question, carried_subject, is_follow_up
from kb.errors import KBError
from kb.focus import idf_of, question_focus
from kb.places import PlaceTable
from kb.records import Answer, Hit
from kb.retrieve import Filters, Retriever
from kb.sections import section_hits
from kb.store import Index
from kb.subject import SubjectTable, dominant_doc
from kb.vocabulary import TOPICS

USER_ONLY_NOTICE = ("This answer draws only on documents added by users, not on the curated "
                    "knowledge base; check them before relying on it.")
# Other sections of the subject's document searched beyond the k passages.
SUBJECT_SECTIONS = 12


@dataclass(frozen=True)
class _KBView:
    """What the assistant derives from one index version: aliases, vocabulary, chunks by doc."""

    version: str | None
    subjects: SubjectTable
    vocab: frozenset
    by_doc: dict
    texts: dict  # chunk_id -> stored text, what citations are verified against
    idf: dict  # word stem -> inverse document frequency over chunks
    places: PlaceTable  # the countries and US states the documents name


class Assistant:
    """Answers questions from one index; safe to share between threads."""

    def __init__(self, retriever: Retriever, *, k: int = 5,
                 min_score: float = extractive.DEFAULT_MIN_SCORE, chat_model=None,
                 llm_timeout_s: float = 30.0, follow_up_floor: float = 0.3,
                 own_floor: float = 0.45, known_floor: float = 0.3) -> None:
        """`min_score`: the abstention threshold (docs/abstention.md). `follow_up_floor`: the
        combined query's cosine a follow-up needs when no subject carries it; `own_floor`: the
        best sentence cosine a follow-up's own words need when they bring in words the knowledge
        base never uses; `known_floor`: the cosine enough for a question all of whose words the
        knowledge base uses."""
        self.retriever = retriever
        self.embedder = retriever.embedder
        self.k = k
        self.min_score = min_score
        self.chat_model = chat_model
        self.llm_timeout_s = llm_timeout_s
        self.follow_up_floor = follow_up_floor
        self.own_floor = own_floor
        self.known_floor = known_floor

    def covered_topics(self) -> list[str]:
        present = {t for c in self.retriever.chunks for t in c.topics}
        return [t for t in TOPICS if t in present] or list(TOPICS)

    def ranked(self, question: str, n: int, *, mode: str = "hybrid") -> list:
        """The passages a single-turn ask() searches, n deep (the eval's ranking metrics)."""
        return self.retriever.search(question, n, mode=mode)

    def _kb(self) -> _KBView:
        """Aliases, vocabulary and chunks by document for the current index version (cached)."""
        view = getattr(self, "_view", None)
        version = self.retriever.version
        if view is None or view.version != version:
            chunks = self.retriever.chunks
            by_doc: dict[str, list] = {}
            for c in chunks:
                by_doc.setdefault(c.doc_id, []).append(c)
            view = _KBView(version, SubjectTable.from_chunks(chunks),
                           answerability.vocabulary(c.embed_text() for c in chunks), by_doc,
                           {c.chunk_id: c.text for c in chunks}, idf_of(chunks),
                           PlaceTable.from_texts(c.text for c in chunks))
            self._view = view
        return view

    def ask(self, question: str, *, history: Sequence[str] = (), filters: Filters | None = None,
            k: int | None = None, mode: str = "hybrid", previous: Answer | None = None) -> Answer:
        """Answer one question; `history` holds the earlier user questions, oldest first.

        `previous` (optional): the answer to the last turn, whose cited documents a follow-up is
        then about; without it the subject is found again from `history`.
        """
        question = (question or "").strip()
        if not question:
            raise KBError("the question is empty; type a question.")
        if len(question) > 2000:
            raise KBError(f"the question has {len(question)} characters; the limit is 2000.")
        k = k or self.k
        t0 = time.perf_counter()
        screen_vec = self.embedder.embed_query(question)  # the screen and retrieval share it
        kind = safety.classify(question, screen_vec)
        if kind:
            return Answer(question=question, answer=safety.reply_for(kind, question),
                          abstained=False, safety=kind, disclaimer=safety.DISCLAIMER,
                          timings_ms={"retrieve": 0.0, "answer": _ms(t0)})
        self.retriever.refresh()
        kbv = self._kb()
        turns = [h for h in history if h and h.strip()]
        follow_up = bool(turns) and is_follow_up(question, turns[-1])
        named = kbv.subjects.subjects(question)
        carried: tuple[str, ...] = ()
        if follow_up and not named:
            carried = carried_subject(
                turns, kbv.subjects, lambda q: [h.chunk.doc_id for h in
                                                self.retriever.search(q, 3, filters, mode)],
                previous)
        query = f"{anchor_question(turns)} {question}" if follow_up else question
        # The screen's vector is the question's own; a follow-up also embeds the joined query.
        query_vec = self.embedder.embed_query(query) if follow_up else screen_vec
        own = screen_vec if follow_up else None
        hits = self.retriever.search(query, k, filters, mode, query_vector=query_vec)
        t1 = time.perf_counter()
        covered = self._covered(question, hits, own, follow_up, bool(named or carried))
        reason = answerability.not_answerable(question, kbv.vocab) if covered else None
        if not covered or reason:
            topics = extractive.nearest_topics(hits)
            text = answerability.not_covered_text(reason, hits) if reason else \
                extractive.abstention_text(topics, self.covered_topics())
            return Answer(question=question, abstained=True, safety=None, answer=text,
                          retrieved=tuple(hits), disclaimer=safety.DISCLAIMER,
                          nearest_topics=topics,
                          timings_ms={"retrieve": (t1 - t0) * 1000, "answer": _ms(t1)})
        return self._compose(question, query, query_vec, own, hits, turns=turns,
                             follow_up=follow_up, named=named, carried=carried,
                             filters=filters, mode=mode, kbv=kbv, t0=t0, t1=t1)

    def _compose(self, question: str, query: str, query_vec, own, hits: list[Hit], *, turns,
                 follow_up: bool, named, carried, filters, mode: str, kbv, t0: float,
                 t1: float) -> Answer:
        """The answer to a covered question: subject sections, focus, LLM or extractive text,
        verified citations."""
        subjects = named or carried
        if not subjects and not follow_up:
            top = dominant_doc([h.chunk.doc_id for h in hits])
            subjects = (top,) if top else ()
        extra = self._subject_sections(query, query_vec, hits, subjects, filters, mode)
        focus = question_focus(question, turns, follow_up, subjects,
                               mentions=kbv.subjects.mentioned if subjects else None,
                               strict=bool(named or carried), idf=kbv.idf,
                               places_in=kbv.places.places_in)
        text, citations, notice, mode_used = "", [], "", "extractive"
        if self.chat_model is not None:
            from kb.llm import llm_answer

            text, citations, notice = llm_answer(self.chat_model, query, hits, self.llm_timeout_s)
            mode_used = "llm" if text else "extractive"
            if text and _quotes_flagged(citations, hits):
                text, citations, notice = "", [], ""
                mode_used = "extractive"

        def extractive_answer():
            return extractive.extractive_answer(
                hits + extra, query_vec, focus=focus, ranked=len(hits), pool=kbv.by_doc,
                own_vec=own)

        if not text:
            text, citations = extractive_answer()
        known = {c.chunk_id: kbv.texts[c.chunk_id] for c in citations if c.chunk_id in kbv.texts}
        known.update({h.chunk.chunk_id: h.chunk.text for h in hits + extra})
        problems = extractive.validate_citations(text, citations, known)
        if problems:  # never show a citation that does not check out
            text, citations = extractive_answer()
            notice, mode_used = "Citations could not be verified; showing the extractive answer.", \
                "extractive"
        shown = {h.chunk.chunk_id for h in hits + extra}
        by_id = {c.chunk_id: c for chunks in kbv.by_doc.values() for c in chunks} \
            if any(c.chunk_id not in shown for c in citations) else {}
        cited_more = [Hit(chunk=by_id[c.chunk_id], score=0.0) for c in citations
                      if c.chunk_id not in shown and c.chunk_id in by_id]  # a caveat's passage
        if citations and all(c.origin == "user" for c in citations):
            notice = " ".join(p for p in (notice, USER_ONLY_NOTICE) if p)
        return Answer(question=question, answer=text, abstained=False, safety=None,
                      citations=tuple(citations), retrieved=tuple(hits + extra + cited_more),
                      notice=notice,
                      disclaimer=safety.DISCLAIMER, mode=mode_used,
                      timings_ms={"retrieve": (t1 - t0) * 1000, "answer": _ms(t1)})

    def _covered(self, question: str, hits: list[Hit], own, follow_up: bool,
                 subject: bool) -> bool:
        """Does the knowledge base cover the question? The best passage's cosine decides, with
        two allowances: a question that names a document's subject (an alias) or continues one,
        and a near-threshold question all of whose words the knowledge base uses, are on topic.
        A question that brings in words the knowledge base never uses must match on its own."""
        best = max((h.dense_score or 0.0 for h in hits), default=0.0)
        unknown = answerability.unknown_words(question, self._kb().vocab)
        if follow_up:
            if unknown:  # history never carries a turn past abstention
                own_best = max((float((h.sentence_vectors @ own).max()) for h in hits
                                if h.sentence_vectors is not None and len(h.sentence_vectors)),
                               default=0.0)
                return own_best >= self.own_floor
            return subject or best >= self.follow_up_floor
        return best >= self.min_score or subject or (not unknown and best >= self.known_floor)

    def _subject_sections(self, query: str, query_vec, hits: list[Hit], subjects, filters,
                          mode: str) -> list[Hit]:
        """The subject document's other sections (results, safety, limitations), when the
        question is clearly about one document: candidates beyond the k passages."""
        if not subjects:
            return []
        base = filters or Filters()
        have = {h.chunk.chunk_id for h in hits}
        kbv = self._kb()
        view = self.retriever.view
        extra: list[Hit] = []
        for doc in subjects[:2]:
            extra += section_hits(view, kbv.by_doc.get(doc, ()), query_vec, have, base.admits)
        return extra[:SUBJECT_SECTIONS]



def _quotes_flagged(citations, hits: Sequence[Hit]) -> bool:
    """Does a citation quote overlap a sentence flagged at ingest (never to be quoted)?"""
    by_id = {h.chunk.chunk_id: h.chunk for h in hits}
    for c in citations:
        chunk = by_id.get(c.chunk_id)
        if chunk is None:
            continue
        for i in chunk.flagged_sentences:
            s, e = chunk.sentences[i]
            if c.quote_start < e and s < c.quote_end:
                return True
    return False


def _ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000


def build_assistant(settings: Settings, embedder=None, chat_model=None) -> Assistant:
    """Wire an Assistant from settings (the model is loaded once per process)."""
    from kb.embedders import get_embedder

    embedder = embedder or get_embedder(settings.embed_backend, settings.models_dir)
    retriever = Retriever(Index.open(settings, expect={"embedding_model": embedder.name}),
                          embedder, check_every_s=settings.index_check_s)
    retriever.refresh(force=True)
    if chat_model is None and settings.llm:
        from kb.llm import load_chat_model

        chat_model = load_chat_model(settings.llm)
    min_score = settings.min_score if settings.min_score is not None \
        else extractive.DEFAULT_MIN_SCORE
    return Assistant(retriever, k=settings.top_k, min_score=min_score, chat_model=chat_model,
                     llm_timeout_s=settings.llm_timeout_s)


__all__ = ["Assistant", "build_assistant", "is_follow_up"]
