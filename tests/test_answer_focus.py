"""What the question asks for decides the lead (issue 13, second pass): question kinds and
topics, what a how-many question counts, dates and names as facts, a false premise corrected
first, disclaimers and repeated points kept out; and follow-up detection. Compose tests use the
real embedding model on hand-built passages (tests/test_compose.py's helpers)."""

from __future__ import annotations

from eval import answer_text
from kb import compose
from kb import sentences as sent
from kb.answer import extractive_answer
from kb.conversation import is_follow_up
from tests.test_compose import _check, _hit


def test_question_kinds_tell_side_effects_from_effect_sizes_and_find_why_and_later():
    assert sent.question_kind("How big was the effect in MAPP1?") == "effect"
    assert sent.question_kind("How many people had severe side effects in MAPP2?") == "count"
    assert sent.question_kind("What side effects do people get?") != "effect"
    assert sent.question_kind("Why?") == "why"
    assert sent.question_kind("How were they doing a year later?") == "duration"
    assert sent.question_kind("Does it raise blood pressure?") != "cost"
    assert sent.question_topic("How many people had bad side effects?") == "safety"
    assert sent.section_fits("count", "Safety results", "safety")
    assert not sent.section_fits("effect", "Efficacy results", "safety")
    assert sent.section_fits("effect", "Efficacy results")


def test_a_how_many_question_counts_what_it_names():
    people = sent.counted_noun("How many people took part?")
    assert sent.counts_of(people, "The pilot enrolled 20 adults with chronic PTSD.") == 1
    assert sent.counts_of(people, "A course takes about 42 hours of therapist time.") == 0
    sessions = sent.counted_noun("How many sessions in total does a course involve?")
    assert sent.counts_of(sessions, "Each participant first had three preparatory sessions.")
    assert sent.counted_noun("How many guessed right?") == ""


def test_dates_and_names_are_facts_but_a_source_year_and_the_drug_are_not():
    assert sent.carries("when", "The ban took effect on 1 July 1985.")
    assert sent.carries("when", "Research stalled in 1985 and resumed in the 2000s.")
    assert not sent.carries("when", "A 2024 commentary says stigma held back research.")
    assert not sent.carries("when", "Therapy may help some people.")
    assert sent.carries("who", "The ruling came from judge Francis L. Young in 1986.")
    assert not sent.carries("who", "Most trials of MDMA for PTSD were small.")


def test_false_premises_their_corrections_and_disclaimers():
    assert sent.presumes_access("Since the FDA approved MDMA therapy in 2024, how do I refer?")
    assert sent.presumes_access("Now that MDMA has been moved to Schedule III, who prescribes?")
    assert not sent.presumes_access("Has the FDA approved MDMA therapy?")
    assert sent.corrects_access("As of 2026, MDMA is still a Schedule I drug.")
    assert not sent.corrects_access("Judge Young recommended Schedule III.")
    assert sent.is_disclaimer("These doses are facts about a research protocol, not guidance for "
                              "anyone's use of MDMA.")


def test_a_how_many_people_question_leads_with_the_head_count(embedder):
    text = ("Each course took about 42 hours of therapist time over 12 weeks. "
            "The Delta trial enrolled 90 adults with severe PTSD at 15 sites. "
            "Sessions lasted eight hours each.")
    hits = [_hit(embedder, "delta", text)]
    question = "How many people were in the Delta trial?"
    focus = compose.Focus(kind=sent.question_kind(question),
                          counted=sent.counted_noun(question))
    answer, cits = extractive_answer(hits, embedder.embed_query(question), focus=focus)
    assert "90 adults" in answer_text.lead(answer)
    _check(answer, cits, hits)


def test_a_false_premise_is_corrected_first(embedder):
    text = ("To refer a client to a provider, start with the client's own doctor and a list of "
            "local providers. A social worker can help a client prepare questions for a referral. "
            "In August 2024 the agency declined to approve the drug after a long review.")
    hits = [_hit(embedder, "refer", text)]
    question = "Since the FDA approved the treatment, how do I refer a client to a provider?"
    focus = compose.Focus(presumes=sent.presumes_access(question))
    answer, cits = extractive_answer(hits, embedder.embed_query(question), focus=focus)
    assert "declined to approve" in answer_text.lead(answer)
    plain, _ = extractive_answer(hits, embedder.embed_query(question))
    assert "declined to approve" not in answer_text.lead(plain)  # the premise flag did it


def test_a_repeated_point_is_skipped_and_the_answer_goes_on(embedder):
    texts = ["The Omega trial found that symptoms fell by 20 points with the drug.",
             "In the Omega trial, 30 of the 60 participants no longer met PTSD criteria.",
             "The Omega trial found symptoms fell by 20 points with the drug, it said.",
             "Omega reported no serious adverse events during treatment."]
    hits = [_hit(embedder, f"omega-{i}", t) for i, t in enumerate(texts)]
    qv = embedder.embed_query("What did the Omega trial find?")
    answer, cits = extractive_answer(hits, qv, focus=compose.Focus(kind="finding"))
    _check(answer, cits, hits)
    assert sum("20 points" in c.quote for c in cits) == 1
    assert "adverse events" in answer  # the near-copy was skipped; it did not end the answer


def test_a_pronoun_deep_in_a_long_question_points_inside_it():
    previous = "What happened in Australia with MDMA?"
    assert not is_follow_up("Did most people in the phase 3 trials guess whether they got MDMA?",
                            previous)
    assert is_follow_up("How were they doing a year later?", previous)
    assert is_follow_up("And the placebo group?", previous)
