"""Issue 13, third pass: a named study leads with its own result, definitions and leaning
connectives do not lead, restatements are skipped and counted, a place the knowledge base never
names is "not covered". Compose tests use the real embedding model on hand-built passages."""

from __future__ import annotations

import numpy as np

from eval import answer_text
from kb import answerability, compose, lead_rules, restatement
from kb import sentences as sent
from kb.answer import extractive_answer
from kb.records import Citation
from kb.subject import SubjectTable
from tests.test_compose import _check, _hit


def test_pooled_summaries_definitions_and_coverage_questions_are_recognised():
    assert lead_rules.is_pooled("A review summarised the two phase 3 trials together as 67-71%.")
    assert not lead_rules.is_pooled("In MAPP2, the CAPS-5 score fell by 23.7 points.")
    assert lead_rules.is_definition("Medicaid is the public health-insurance program that covers "
                                    "many low-income people.")
    assert not lead_rules.is_definition('MDMA is the main ingredient of the street drugs "molly" '
                                        'and "ecstasy".')
    assert lead_rules.asks_definition("What does it mean that MDMA is a Schedule I drug?")
    assert not lead_rules.asks_definition("Does Medicaid cover it?")
    assert lead_rules.asks_coverage("Does Medicaid cover it?")
    assert sent.corrects_access("There is no FDA-approved therapy for insurers to cover.")


def test_leaning_connectives_are_orphans_and_there_is_is_not():
    assert sent.leans_back("Even so, only five Black patients received MDMA.")
    assert sent.leans_back("Despite this, the agency asked for another trial.")
    assert not sent.leans_back("There is no FDA-approved therapy for insurers to cover.")
    assert sent.leans_back("There, clinicians met weekly.")
    text = "Even so, only five Black patients received MDMA in the trial."
    cit = Citation(n=1, chunk_id="d:0", doc_id="d", title="d", section="", text=text, quote=text,
                   quote_start=0, quote_end=len(text), source="d.md", link="", evidence_type="rct",
                   as_of="2024-01-01")
    assert answer_text.has_orphan([cit])


def test_a_named_study_leads_with_its_primary_result_not_a_pooled_summary(embedder):
    text = ("A later review of what the second trial and the first trial found together: 67-71% "
            "of people in both trials no longer met the criteria. "
            "In the Zeta trial, symptom scores fell by 23.7 points with the drug and 14.8 points "
            "with placebo (effect size d=0.7). "
            "Zeta enrolled people with moderate or severe PTSD at 13 sites.")
    hits = [_hit(embedder, "zeta", text, aliases=("Zeta", "second trial"), evidence_type="rct")]
    table = SubjectTable.from_chunks([h.chunk for h in hits])
    question = "What did the second trial find?"
    focus = compose.Focus(kind=sent.question_kind(question), subjects=table.subjects(question),
                          mentions=table.mentioned)
    assert focus.subjects == ("zeta",)
    answer, cits = extractive_answer(hits, embedder.embed_query(question), focus=focus)
    assert "23.7 points" in answer_text.lead(answer)
    _check(answer, cits, hits)


def test_a_definition_does_not_lead_unless_asked_for(embedder):
    text = ("Medicaid is the public health-insurance program that covers many low-income people "
            "in the United States. "
            "Medicaid budgets are tight, a health-policy researcher said in 2023. "
            "Coverage would depend on professional endorsement and stronger evidence.")
    hits = [_hit(embedder, "medicaid", text)]
    qv = embedder.embed_query("Does Medicaid cover it?")
    answer, cits = extractive_answer(hits, qv, focus=compose.Focus(kind="yesno",
                                                                   wants_definition=False))
    assert "budgets are tight" in answer_text.lead(answer)
    plain, _ = extractive_answer(hits, qv, focus=compose.Focus(kind="yesno"))
    assert answer_text.lead(plain).startswith("Medicaid is")  # the definition rule did it
    _check(answer, cits, hits)


def test_a_coverage_question_leads_with_the_correction_not_a_definition(embedder):
    text = ("Medicaid is the public health-insurance program that covers many low-income people "
            "in the United States. "
            "Medicaid budgets are tight, a health-policy researcher said in 2023. "
            "There is no FDA-approved MDMA-assisted therapy for insurers to cover in the United "
            "States.")
    hits = [_hit(embedder, "medicaid", text)]
    question = "Does Medicaid cover it?"
    focus = compose.Focus(kind=sent.question_kind(question),
                          wants_definition=lead_rules.asks_definition(question),
                          coverage=lead_rules.asks_coverage(question))
    answer, cits = extractive_answer(hits, embedder.embed_query(question), focus=focus)
    assert "no FDA-approved" in answer_text.lead(answer)
    assert not answer_text.lead(answer).startswith("Medicaid is")
    _check(answer, cits, hits)


def test_a_restatement_from_another_document_is_skipped(embedder):
    texts = ["As of December 2026, MDMA-assisted therapy is not FDA-approved; the FDA declined "
             "the sponsor's application on 9 August 2024.",
             "MDMA-assisted therapy is not FDA-approved: the FDA declined the application on "
             "9 August 2024.",
             "An FDA advisory committee voted 9 to 2 that effectiveness had not been shown."]
    hits = [_hit(embedder, f"fda-{i}", t) for i, t in enumerate(texts)]
    question = "Has the FDA approved MDMA-assisted therapy?"
    answer, cits = extractive_answer(hits, embedder.embed_query(question),
                                     focus=compose.Focus(kind="yesno"))
    said = answer_text.answer_sentences(answer)
    assert not answer_text.has_restatement(said, embedder.embed_texts(said))
    assert len({c.doc_id for c in cits} & {"fda-0", "fda-1"}) == 1
    assert "advisory committee" in answer


def test_a_restatement_is_told_by_shared_words_and_close_vectors():
    def cand(text, vec):
        return compose.Candidate(hit=None, rank=0, si=0, text=text, vec=np.asarray(vec), score=0.0,
                                 key=(text, 0), words=sent.word_set(text))

    a = cand("Even if the FDA approves the therapy, the DEA must reschedule MDMA before doctors "
             "can prescribe it.", [1.0, 0.0])
    b = cand("An FDA approval is not enough on its own: the DEA must then reschedule MDMA before "
             "doctors can prescribe it.", [0.8, 0.6])
    far = cand(b.text, [0.6, 0.8])
    assert restatement.restates(a, b)  # word share 0.6 or more and cosine 0.8
    assert not restatement.restates(a, far)  # the same words, vectors apart (cosine 0.6)
    other = cand("Doctors in Australia have prescribed MDMA for PTSD since July 2023.", [0.8, 0.6])
    assert not restatement.restates(a, other)


def test_the_eval_counts_a_restatement_but_not_two_different_results(embedder):
    same = ["Even if the FDA approves MDMA therapy, the DEA would have to reschedule MDMA before "
            "doctors could prescribe it.",
            "Even an FDA approval would not be enough on its own: the DEA would then have to "
            "reschedule MDMA before doctors could prescribe it."]
    assert answer_text.has_restatement(same, embedder.embed_texts(same))
    other = ["At the primary endpoint, the higher-dose groups had greater decreases in PTSD "
             "symptoms than the control group.",
             "Twelve months after the last session, PTSD symptoms were significantly lower than "
             "at baseline in every group."]
    assert not answer_text.has_restatement(other, embedder.embed_texts(other))
    assert not answer_text.has_restatement(same[:1], np.ones((1, 3)))


def test_a_legality_question_about_a_place_never_named_is_not_covered():
    vocab = answerability.vocabulary(["MDMA is legal for PTSD in Australia from 1 July 2023.",
                                      "Switzerland grants exceptional licences."])
    assert answerability.not_answerable("Is medical cannabis legal in Germany?", vocab) == "named"
    assert answerability.not_answerable("Is MDMA legal in Australia?", vocab) is None


def test_users_words_for_the_documents_words_and_status_dates():
    from kb.focus import question_terms
    from kb.sentences import stem

    idf = {stem("declined"): 2.0, stem("fda"): 1.0, stem("sponsor"): 1.5}
    assert stem("declined") in question_terms("When did the FDA turn it down?", idf)
    assert stem("sponsor") in question_terms("Who was behind the studies?", idf)
    assert stem("declined") not in question_terms("When did the FDA meet?", idf)
    status = "As of December 2026, MDMA is a Schedule I drug in the United States."
    assert sent.carries("when", status)
    assert not sent.carries("when", lead_rules.without_status_dates(status))
    assert compose.carries(compose.Focus(kind="when"), "On 9 August 2024, the FDA declined.")
    assert not compose.carries(compose.Focus(kind="when"), status)
    assert sent.question_kind("what happend in the mapp2 trail?") == "finding"


def test_an_approval_question_leads_with_the_dated_status_not_a_definition(assistant):
    """On the bundled knowledge base: "Is it FDA approved yet?" once led with "A New Drug
    Application (NDA) asks the FDA for approval."; the dated decline answers it."""
    assert lead_rules.asks_coverage("Is it FDA approved yet?")
    answer = assistant.ask("Is it FDA approved yet?")
    lead = answer_text.lead(answer.answer)
    assert "9 August 2024" in lead and "declin" in lead, lead


def test_a_lead_that_cites_its_source_is_preferred_when_close():
    """Of two sentences scoring close, the one naming its publication inline leads, so the reader
    can quote it with its source (its reference line then credits that publication); a cited
    sentence scoring far lower does not."""
    vec = np.zeros(3)

    def cand(text, score, cited):
        return compose.Candidate(None, 0, 0, text, vec, score, (text, 0), cited=cited)

    plain = cand("The trial was more diverse than the earlier ones.", 0.60, False)
    close = cand("35 of 104 were a race other than White (Mitchell et al. 2023).", 0.55, True)
    far = cand("35 of 104 were a race other than White (Mitchell et al. 2023).", 0.45, True)
    assert compose.pick_lead([plain, close]) is close
    assert compose.pick_lead([plain, far]) is plain


def test_one_dated_event_from_one_source_is_said_once():
    a = ("MDMA-assisted therapy is not FDA-approved: the FDA declined the application in a "
         "complete response letter on 9 August 2024 (Phillips Lytle 2024).")
    b = ("On 9 August 2024, the FDA issued a complete response letter declining approval and "
         "asking for another phase 3 trial (Phillips Lytle 2024).")
    c = "On 9 August 2024, the journal retracted three papers (Cannabis Law Report 2024)."
    assert restatement.same_dated_fact(a, b)
    assert not restatement.same_dated_fact(a, c)  # same day, another source and event


def test_a_question_naming_a_place_is_answered_about_that_place(assistant):
    """The places come from pycountry (countries, US states), limited to those the knowledge
    base names; sentences naming the place asked about count more, others naming only another
    place less."""
    places = assistant._kb().places
    assert {"Switzerland", "Australia", "Oregon"} <= set(places.names.values())
    assert places.places_in("can doctors in switzerland use mdma") == {"Switzerland"}
    # Without the place term this led with "MDMA-assisted therapy is not FDA-approved ..."
    answer = assistant.ask("is mdma therapy legal in oregon")
    assert "Oregon" in answer_text.lead(answer.answer), answer.answer
