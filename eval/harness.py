"""run_eval(): put every question through Assistant.ask (as the CLI and chat do) and score it.

Answers, citations, abstention and latency come from `assistant.ask(question, history=...,
k=k, mode=mode)`, the call behind `kb ask` and the chat. ask() keeps only k passages, so the
ranking metrics (which look 10 deep) come from `assistant.ranked(question, 10, mode=mode)`, the
same search ask() runs. Ranking metrics are for single-turn cases; a follow-up is judged on its
answer text (what the reader sees), as every case also is.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from eval import answer_text
from eval.metrics import QuestionResult, ranking_measures, score_runs, summarize_by_topic
from eval.sets import EvalCase
from kb.vocabulary import RETRIEVAL_MODES

RANK_DEPTH = 10


@dataclass
class EvalRun:
    """Results of one mode over one set."""

    mode: str
    k: int
    results: list[QuestionResult]
    summary: dict = field(default_factory=dict)


def judge_passages(case: EvalCase, chunks) -> dict[str, int]:
    """Relevance of every passage in the index to one question (relevant ones only)."""
    return {c.chunk_id: rel for c in chunks if (rel := case.relevance(c))}


def check_cases(cases: Sequence[EvalCase], chunks) -> list[str]:
    """Warnings about a set that does not fit the index (missing gold documents, no evidence)."""
    docs = {c.doc_id for c in chunks}
    warnings = []
    for case in cases:
        missing = [d for d in case.gold_docs if d not in docs]
        if missing:
            warnings.append(f"{case.id} (line {case.line}): gold document(s) not in the index: "
                            + ", ".join(missing))
        if case.answerable and not judge_passages(case, chunks):
            warnings.append(f"{case.id} (line {case.line}): no passage in the index is relevant.")
    return warnings


def _doc_qrels(case: EvalCase, qrels: dict[str, int], chunks_by_id: dict) -> dict[str, int]:
    """Documents recall is measured against: the gold documents, else those holding the answer."""
    if case.gold_docs:
        return {d: 1 for d in case.gold_docs}
    return {chunks_by_id[cid].doc_id: 1 for cid, rel in qrels.items() if rel >= 2}


def run_case(assistant, case: EvalCase, k: int, mode: str, qrels: dict[str, int],
             chunks_by_id: dict) -> QuestionResult:
    t0 = time.perf_counter()
    answer = assistant.ask(case.question, history=list(case.history), k=k, mode=mode)
    latency = (time.perf_counter() - t0) * 1000
    best = max((h.dense_score for h in answer.retrieved if h.dense_score is not None),
               default=None)
    cited = tuple(c.chunk_id for c in answer.citations)
    common = dict(id=case.id, topic=case.topic, answerable=case.answerable,
                  declined=answer.abstained or answer.safety is not None,
                  abstained=answer.abstained, safety=answer.safety, latency_ms=latency,
                  best_cosine=best, cited=cited, follow_up=case.follow_up, split=case.split)
    declined = common["declined"]
    if not declined:
        said = answer_text.answer_sentences(answer.answer)
        common["duplicate"] = answer_text.has_duplicate(answer.answer) or \
            len({(c.chunk_id, c.quote_start) for c in answer.citations}) < len(answer.citations) \
            or answer_text.has_restatement(said, assistant.embedder.embed_texts(said))
        common["orphan"] = answer_text.has_orphan(answer.citations)
    if not case.answerable:
        return QuestionResult(**common)
    if case.expect_any:
        common["answer_has"] = not declined and answer_text.contains_any(answer.answer,
                                                                          case.expect_any)
        common["lead_has"] = not declined and answer_text.contains_any(
            answer_text.lead(answer.answer), case.expect_any)
    relevant = sum(1 for cid in cited if qrels.get(cid, 0) >= 1)
    quoted = None
    if case.expect_any:
        quoted = any(want.lower() in c.quote.lower()
                     for c in answer.citations for want in case.expect_any)
    if case.follow_up:
        return QuestionResult(**common, citations=len(cited), relevant_citations=relevant,
                              quoted=quoted)
    hits = assistant.ranked(case.question, max(RANK_DEPTH, k), mode=mode)
    ranked = [h.chunk.chunk_id for h in hits]
    measures = ranking_measures(k)
    passage = score_runs({n: m for n, m in measures.items() if n != "recall_at_k"},
                         {case.id: qrels}, {case.id: ranked})[case.id]
    docs_top_k = list(dict.fromkeys(h.chunk.doc_id for h in hits[:k]))
    recall = score_runs({"recall_at_k": measures["recall_at_k"]},
                        {case.id: _doc_qrels(case, qrels, chunks_by_id)},
                        {case.id: docs_top_k})[case.id]["recall_at_k"]
    return QuestionResult(**common, hit=passage["hit_at_k"], recall=recall, rr=passage["mrr"],
                          ndcg=passage["ndcg_at_10"], citations=len(cited),
                          relevant_citations=relevant, retrieved=tuple(ranked), quoted=quoted)


def run_eval(assistant, cases: Sequence[EvalCase], *, k: int = 5, mode: str = "hybrid",
             progress: bool = False) -> EvalRun:
    """Every case through ask() in one retrieval mode; deterministic apart from latency."""
    if mode not in RETRIEVAL_MODES:
        raise ValueError(f"mode must be one of {RETRIEVAL_MODES}")
    assistant.retriever.refresh(force=True)
    chunks = list(assistant.retriever.chunks)
    chunks_by_id = {c.chunk_id: c for c in chunks}
    from tqdm import tqdm

    results = []
    for case in tqdm(cases, desc=f"eval {mode}", unit="question", disable=not progress,
                     leave=False):
        qrels = judge_passages(case, chunks)
        results.append(run_case(assistant, case, k, mode, qrels, chunks_by_id))
    run = EvalRun(mode=mode, k=k, results=results)
    run.summary = {"n": len(results), "k": k, "mode": mode, **summarize_by_topic(results)}
    return run


def combined_summary(runs: Sequence[EvalRun], warnings: Sequence[str] = ()) -> dict:
    """One object: the first run's figures at the top level, every run under `modes` if several."""
    head = dict(runs[0].summary)
    if len(runs) > 1:
        head["mode"] = "all"
        head["headline_mode"] = runs[0].mode
        head["modes"] = {r.mode: r.summary for r in runs}
    head["warnings"] = list(warnings)
    return head
