"""Follow-ups, subjects and "not covered" on the bundled knowledge base (real model, real Chroma),
plus the pure parts: follow-up detection, question kinds, alias matching."""

from __future__ import annotations

from eval import answer_text
from kb.conversation import is_follow_up
from kb.sentences import leans_back, question_kind
from kb.subject import matches, normalize

SECOND = "What did the second phase 3 trial find?"


def test_follow_up_detection():
    assert is_follow_up("Did it last?", SECOND)
    assert is_follow_up("When?", "Which papers were retracted?")
    assert is_follow_up("And the placebo group?", SECOND)
    assert not is_follow_up("What did the Colorado bill say?", SECOND)
    assert not is_follow_up("How much does a course of MDMA-assisted therapy cost?", SECOND)


def test_question_kinds_and_references_back():
    assert question_kind("When did the FDA turn it down?") == "when"
    assert question_kind("Who paid for it?") == "funding"
    assert question_kind("How big was the effect in MAPP1?") == "effect"
    assert question_kind("What percentage no longer had PTSD?") == "share"
    assert leans_back("That study found no harm.") and leans_back("In the same survey, most agreed.")
    assert leans_back("The doses above are facts about a research protocol.")
    assert leans_back("To answer that, the team followed everyone up.")
    assert not leans_back("MAPP2 randomized 104 adults to MDMA or placebo.")


def test_aliases_match_loose_wording_and_misspellings():
    assert matches(normalize("MAPP2"), normalize("what happend in the mapp 2 trail?"))
    assert matches(normalize("2021 trial"), normalize("the big 2021 study"))
    assert not matches(normalize("first phase 3 trial"), normalize("the second phase 3 trial"))


def test_second_trial_is_answered_from_mapp2_and_its_follow_ups_keep_the_subject(assistant):
    first = assistant.ask(SECOND)
    assert first.citations[0].doc_id == "phase3-mapp2-trial"
    assert not any("MAPP1" in c.quote and "MAPP2" not in c.quote for c in first.citations)
    women = assistant.ask("What about women?", history=[SECOND])
    assert "74 of the 104" in women.answer
    paid = assistant.ask("Who paid for it?", history=[SECOND])
    assert "MAPS" in paid.answer
    assert "phase3-mapp2-trial" in {c.doc_id for c in paid.citations}
    # passing the previous answer gives the same subject without searching for it again
    again = assistant.ask("Who paid for it?", history=[SECOND], previous=first)
    assert "MAPS" in again.answer


def test_off_topic_follow_up_abstains_and_a_new_question_stands_alone(assistant):
    off = assistant.ask("Who won the World Cup there?", history=["What happened in Australia?"])
    assert off.abstained and not off.citations
    new = assistant.ask("What did the Colorado bill say?", history=[SECOND])
    assert not new.abstained and "HB22-1344" in new.answer
    assert new.citations[0].doc_id == "state-and-local-policy"


def test_on_topic_questions_the_kb_cannot_answer_get_a_plain_not_covered(assistant):
    for question in ("Which clinic near me offers MDMA-assisted therapy?",
                     "How much does Aetna pay for MDMA-assisted therapy?",
                     "Where can I get a prescription for MDMA therapy today?"):
        answer = assistant.ask(question)  # a sourcing question may meet the safety rule first
        assert (answer.abstained or answer.safety) and not answer.citations, question
        assert answer.answer.startswith("Not covered") or answer.safety
        assert "nearest things it does cover" in answer.answer or answer.safety


def test_answers_have_no_repeats_or_orphans(assistant):
    for question in ("What did the phase 3 trials of MDMA-assisted therapy find?",
                     "What is known about oxytocin and MDMA?",
                     "What doses were used in the veterans trial?"):
        answer = assistant.ask(question)
        if answer.abstained or answer.safety:
            continue
        assert not answer_text.has_duplicate(answer.answer), answer.answer
        assert not answer_text.has_orphan(answer.citations), answer.answer
        keys = [(c.doc_id, c.quote) for c in answer.citations]
        assert len(set(keys)) == len(keys)
