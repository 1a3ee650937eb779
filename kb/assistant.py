"""ask(): the one function behind `kb ask`, the chat and the eval: safety, retrieval, answer."""

from __future__ import annotations

import re
import time
from collections.abc import Sequence

from kb import answer as extractive
from kb import safety
from kb.config import Settings
from kb.errors import KBError
from kb.records import Answer
from kb.retrieve import Filters, Retriever
from kb.store import Index

_FOLLOW_UP = re.compile(
    r"^(?:and|but|so|also|what about|how about|what if|why|how come|is that|are they|does that|"
    r"do they|did they|was it|were they|same for|and for|for)\b"
    r"|\b(?:it|its|they|them|their|that|this|those|these|he|she|there)\b",
    re.IGNORECASE)
ALL_TOPICS = ("efficacy", "safety", "stigma", "access", "equity", "policy", "protocol",
              "mechanism", "social-work")


_FILLER = frozenset(
    "a an the and or but so also what about how why when where who which is are was were be been do "
    "does did it its they them their that this those these he she there for of to in on at with "
    "same too then any more than as by from if can could would should will".split())


def content_words(question: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", question.lower()) if w not in _FILLER]


def is_follow_up(question: str) -> bool:
    """Short or pronoun-led questions lean on the previous turn."""
    return len(question.split()) <= 6 or bool(_FOLLOW_UP.search(question))


class Assistant:
    """Answers questions from one index; safe to share between threads."""

    def __init__(self, retriever: Retriever, *, k: int = 5,
                 min_score: float = extractive.DEFAULT_MIN_SCORE, chat_model=None,
                 llm_timeout_s: float = 30.0, follow_up_floor: float = 0.25) -> None:
        self.retriever = retriever
        self.embedder = retriever.embedder
        self.k = k
        self.min_score = min_score
        self.chat_model = chat_model
        self.llm_timeout_s = llm_timeout_s
        self.follow_up_floor = follow_up_floor

    def covered_topics(self) -> list[str]:
        present = {t for c in self.retriever.chunks for t in c.topics}
        return [t for t in ALL_TOPICS if t in present] or list(ALL_TOPICS)

    def ask(self, question: str, *, history: Sequence[str] = (), filters: Filters | None = None,
            k: int | None = None, mode: str = "hybrid") -> Answer:
        """Answer one question; `history` holds the earlier user questions, oldest first."""
        question = (question or "").strip()
        if not question:
            raise KBError("the question is empty; type a question.")
        if len(question) > 2000:
            raise KBError(f"the question has {len(question)} characters; the limit is 2000.")
        k = k or self.k
        t0 = time.perf_counter()
        kind = safety.classify(question)
        if kind:
            return Answer(question=question, answer=safety.reply_for(kind), abstained=False,
                          safety=kind, disclaimer=safety.DISCLAIMER,
                          timings_ms={"retrieve": 0.0, "answer": _ms(t0)})
        previous = [h for h in history if h and h.strip()]
        follow_up = bool(previous) and is_follow_up(question)
        query = f"{previous[-1]} {question}" if follow_up else question
        query_vec = self.embedder.embed_query(query)
        hits = self.retriever.search(query, k, filters, mode, query_vector=query_vec)
        t1 = time.perf_counter()
        best = max((h.dense_score or 0.0 for h in hits), default=0.0)
        covered = best >= self.min_score
        if covered and follow_up and len(content_words(question)) > 1:
            # History never carries a turn past abstention: new words must relate on their own.
            # A purely elliptical turn ("Did it last?", "What about veterans?") has nothing of its
            # own to check, so the combined query decides for it.
            own = self.embedder.embed_query(question)
            own_best = max((float((h.sentence_vectors @ own).max()) for h in hits
                            if h.sentence_vectors is not None and len(h.sentence_vectors)),
                           default=0.0)
            covered = own_best >= self.follow_up_floor
        if not covered:
            topics = extractive.nearest_topics(hits)
            return Answer(question=question, abstained=True, safety=None,
                          answer=extractive.abstention_text(topics, self.covered_topics()),
                          retrieved=tuple(hits), disclaimer=safety.DISCLAIMER,
                          nearest_topics=topics,
                          timings_ms={"retrieve": (t1 - t0) * 1000, "answer": _ms(t1)})
        text, citations, notice, mode_used = "", [], "", "extractive"
        if self.chat_model is not None:
            from kb.llm import llm_answer

            text, citations, notice = llm_answer(self.chat_model, query, hits, self.llm_timeout_s)
            mode_used = "llm" if text else "extractive"
        if not text:
            text, citations = extractive.extractive_answer(hits, query_vec)
        problems = extractive.validate_citations(
            text, citations, {h.chunk.chunk_id: h.chunk.text for h in hits})
        if problems:  # never show a citation that does not check out
            text, citations = extractive.extractive_answer(hits, query_vec)
            notice, mode_used = "Citations could not be verified; showing the extractive answer.", \
                "extractive"
        return Answer(question=question, answer=text, abstained=False, safety=None,
                      citations=tuple(citations), retrieved=tuple(hits), notice=notice,
                      disclaimer=safety.DISCLAIMER, mode=mode_used,
                      timings_ms={"retrieve": (t1 - t0) * 1000, "answer": _ms(t1)})


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
