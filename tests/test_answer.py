"""Retrieval and extractive answers on the bundled knowledge base (real model, real Chroma)."""

from __future__ import annotations

import re

from kb.answer import validate_citations
from kb.fusion import fuse_rankings
from kb.records import Chunk, Hit
from kb.retrieve import Filters, collapse_near_duplicates
from kb.vocabulary import TOPICS

MARKER = re.compile(r"\[(\d+)\]")


def _check_grounded(answer) -> None:
    """Every sentence ends with [n]; each [n] has a citation whose quote is in its chunk."""
    assert not answer.abstained and answer.citations
    assert 2 <= len(answer.citations) <= 5
    markers = [int(n) for n in MARKER.findall(answer.answer)]
    assert markers == [c.n for c in answer.citations]
    for c in answer.citations:
        assert c.text[c.quote_start:c.quote_end] == c.quote
        assert f"{c.quote} [{c.n}]" in answer.answer
        assert c.title and c.source and c.evidence_type and c.as_of
    chunks = {h.chunk.chunk_id: h.chunk.text for h in answer.retrieved}
    assert validate_citations(answer.answer, answer.citations, chunks) == []
    assert answer.disclaimer == "Educational information, not medical or legal advice."


def test_pilot_trial_question_is_answered_from_the_pilot_with_citations(assistant):
    answer = assistant.ask("How many people responded to treatment in the 2011 pilot trial?")
    _check_grounded(answer)
    assert answer.citations[0].doc_id == "pilot-trial-2011"
    assert "10 of the 12" in answer.answer or "83%" in answer.answer
    assert answer.retrieved[0].chunk.doc_id == "pilot-trial-2011"


def test_access_questions_cite_access_documents(assistant):
    answer = assistant.ask("Will insurance pay for MDMA-assisted therapy?")
    _check_grounded(answer)
    assert {"cost-and-insurance", "low-income-communities"} & {c.doc_id for c in answer.citations}


def test_out_of_scope_question_abstains_and_names_nearest_topics(assistant):
    for question in ("What is the capital of France?", "How do I bake sourdough bread?"):
        answer = assistant.ask(question)
        assert answer.abstained and not answer.citations and answer.safety is None
        assert answer.answer.startswith("The knowledge base does not cover this question")
        assert answer.nearest_topics and "nearest topics it does cover" in answer.answer
    # The covered topics come from kb/vocabulary.py, in its order (the bundled KB has them all).
    assert assistant.covered_topics() == list(TOPICS)
    assert f"PTSD: {', '.join(TOPICS)}." in answer.answer


def test_follow_up_uses_history_but_cannot_bypass_abstention(assistant):
    first = "What did the phase 3 trials of MDMA-assisted therapy find?"
    follow = assistant.ask("What about side effects?", history=[first])
    _check_grounded(follow)
    assert any("safety" in h.chunk.topics for h in follow.retrieved[:3])
    off_topic = assistant.ask("And what about the weather in Paris?", history=[first])
    assert off_topic.abstained and not off_topic.citations


def test_false_premise_is_not_confirmed(assistant):
    answer = assistant.ask("Since the FDA approved MDMA therapy in 2024, how do I refer clients?")
    if not answer.abstained:
        _check_grounded(answer)
        assert re.search(r"not FDA-approved|declined to approve|complete response letter",
                         answer.answer)


def test_topic_population_and_document_filters(assistant):
    answer = assistant.ask("What are the barriers?", filters=Filters(topics=("stigma",)))
    assert answer.retrieved and all("stigma" in h.chunk.topics for h in answer.retrieved)
    vets = assistant.ask("What did the trial find?", filters=Filters(populations=("veterans",)))
    assert all("veterans" in h.chunk.populations for h in vets.retrieved)
    one = assistant.ask("What did the trial find?", filters=Filters(doc_ids=("phase3-mapp2-trial",)))
    assert {h.chunk.doc_id for h in one.retrieved} == {"phase3-mapp2-trial"}


def test_retrieval_modes_and_k(assistant):
    for mode in ("bm25", "dense", "hybrid"):
        hits = assistant.retriever.search("cost of a course of MDMA-assisted therapy", k=3,
                                          mode=mode)
        assert len(hits) == 3
        assert hits[0].score >= hits[-1].score
    assert len(assistant.retriever.search("workforce shortage", k=8)) == 8


def test_factual_trial_dose_question_is_answered_not_declined(assistant):
    answer = assistant.ask("What doses of MDMA were used in the phase 3 trials?")
    assert answer.safety is None
    _check_grounded(answer)
    assert re.search(r"\d+ ?mg", answer.answer)


def test_json_shape(assistant):
    data = assistant.ask("What is the role of social workers?").to_dict()
    assert {"question", "answer", "abstained", "safety", "citations", "retrieved",
            "timings_ms"} <= set(data)
    assert set(data["timings_ms"]) == {"retrieve", "answer"}
    assert set(data["citations"][0]) >= {"n", "chunk_id", "doc_id", "title", "section", "text",
                                         "quote", "source", "evidence_type", "as_of"}
    assert set(data["retrieved"][0]) == {"chunk_id", "doc_id", "score", "text"}


def test_reciprocal_rank_fusion_on_hand_made_rankings():
    fused = fuse_rankings([["a", "b", "c"], ["c", "a", "d"]], k=60)
    assert [d for d, _ in fused] == ["a", "c", "b", "d"]
    assert abs(dict(fused)["a"] - (1 / 61 + 1 / 62)) < 1e-12
    weighted = fuse_rankings([["a"], ["b"]], weights=[1.0, 2.0], k=0)
    assert weighted == [("b", 2.0), ("a", 1.0)]


def _hit(cid: str, text: str) -> Hit:
    chunk = Chunk(chunk_id=cid, doc_id=cid, n=0, text=text, title="", section="", start=0,
                  end=len(text), sentences=((0, len(text)),))
    return Hit(chunk=chunk, score=1.0)


def test_near_duplicate_passages_are_collapsed():
    hits = [_hit("a", "MDMA therapy trial results were positive in the study."),
            _hit("b", "MDMA therapy trial results were positive in the study!"),
            _hit("c", "Insurance rarely covers experimental treatment.")]
    assert [h.chunk.chunk_id for h in collapse_near_duplicates(hits)] == ["a", "c"]


def test_validator_flags_markers_without_citations_and_quotes_not_in_the_chunk(assistant):
    answer = assistant.ask("What did MAPP2 find?")
    chunks = {h.chunk.chunk_id: h.chunk.text for h in answer.retrieved}
    assert validate_citations(answer.answer + " Extra claim [9].", answer.citations, chunks) == \
        ["marker [9] has no citation"]
    first = answer.citations[0]
    tampered = {**chunks, first.chunk_id: "different text"}
    assert validate_citations(answer.answer, answer.citations, tampered) == \
        [f"[{c.n}] quote does not occur at its offsets in {first.chunk_id}"
         for c in answer.citations if c.chunk_id == first.chunk_id]
