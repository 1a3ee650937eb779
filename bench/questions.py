"""The benchmarks' relevance rule for hit@k over eval cases (the cases come from eval.sets)."""

from __future__ import annotations

from eval.sets import EvalCase


def _stem(doc_id: str) -> str:
    return doc_id.rsplit(".", 1)[0] if doc_id.endswith((".md", ".txt")) else doc_id


def is_relevant(question: EvalCase, doc_id: str, text: str) -> bool:
    """A passage counts if its document is gold or it contains an expected string."""
    if _stem(doc_id) in {_stem(d) for d in question.gold_docs}:
        return True
    low = text.lower()
    return any(s.lower() in low for s in question.expect_any)


def hit_at_k(question: EvalCase, passages: list[tuple[str, str]], k: int = 5) -> bool:
    """passages: (doc_id, text) in rank order."""
    return any(is_relevant(question, d, t) for d, t in passages[:k])
