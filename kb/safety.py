"""The safety screen run before retrieval: plain-code rules first, then a small classifier.

Rules (kb/safety_rules.py) catch the unambiguous phrases. A logistic regression over the query
embedding the assistant computes anyway, joined with the message's hashed n-grams (model in
kb/safety_model.py, trained on the tuning part of eval/sets/safety.jsonl by
`python -m eval.safety_train`), catches paraphrases and misspellings. Its crisis vote counts at a
low probability next to a word of the crisis vocabulary (kb/safety_gates.py) and at a higher one
without; either is set aside when most of the message's nearest labelled tuning messages are
benign (a look-alike: "this spreadsheet is killing me"). Its dosing vote needs a drug or dose word,
no research, policy or practitioner framing, and no mostly-benign neighbourhood; a confident
dosing vote (design 7) counts without those vetoes, as long as the message speaks of use or supply.
"""

from __future__ import annotations

import functools

import numpy as np

from kb.safety_gates import (
    benign_context,
    distress_words,
    drug_words,
    general_question,
    harm_words,
    idiom,
    speaks_for_self,
    supply_test,
    use_words,
    work_context,
)
from kb.safety_model import LABELS, MODEL_PATH, SafetyModel, load_model
from kb.safety_replies import CRISIS_REPLY, crisis_reply, dosing_reply
from kb.safety_rules import crisis_rule, dosing_rule

DISCLAIMER = "Educational information, not medical or legal advice."
DOSING_REPLY = dosing_reply("How much MDMA should I take?")  # the plain personal-dosing text

__all__ = ["CRISIS_REPLY", "DISCLAIMER", "DOSING_REPLY", "LABELS", "MODEL_PATH", "SafetyModel", "classify",
           "load_model", "reply_for"]


# A crisis or dosing vote of the model is set aside when at least this many of the 5 nearest
# tuning messages are benign (cross-validated on the tuning part; docs/safety.md).
BENIGN_NEIGHBOURS = 4
# Design 7: a confident dosing vote of the model (p >= STRONG_DOSING and its largest class) counts
# without the drug-word and framing vetoes that overruled it on h6 (8 of 14 dosing misses at
# p >= 0.95). It still needs a word of use or supply or (design 10) the writer speaking for
# themselves ("is 0.2 enough for a first time"), and, next to research or therapy framing, the
# writer speaking for themselves; the look-alike check sets it aside below p >= 0.97.
# Chosen out of fold on the tuning part (docs/safety.md).
STRONG_DOSING = 0.9
STRONG_DOSING_OVER_LOOKALIKE = 0.97


def classify(question: str, vector: np.ndarray, model: SafetyModel | None = None) -> str | None:
    """'crisis', 'dosing' or None for one message and its query embedding. Crisis outranks all."""
    if crisis_rule(question):
        return "crisis"
    m = model or load_model()
    p = m.probabilities(question, vector)
    dosing = dosing_rule(question)
    # The look-alike check (a product over every tuning vector) runs only when a vote of the
    # model needs it: most messages reach no threshold.
    benign_neighbours = functools.cache(lambda: m.benign_neighbours(vector))
    work = work_context(question)
    worded = p[0] >= m.crisis_threshold and distress_words(question) and not work
    # Next to work, study, game or sports words ("my character keeps dying on the final boss")
    # the vote with no crisis word needs a higher probability (design 6).
    alone = m.crisis_work_threshold if work else m.crisis_alone_threshold
    crisis_vote = (worded or (p[0] >= alone and not general_question(question))) \
        and not idiom(question) \
        and benign_neighbours() < BENIGN_NEIGHBOURS
    # A plain dosing request outranks the model's crisis vote only when no word of harm is in it
    # and the model itself rates dosing higher ("should I redose after 2 hours") or the request
    # tests one's own supply ("my pills turned orange with the reagent"); otherwise crisis wins.
    if crisis_vote and not (dosing and not harm_words(question)
                            and (p[1] > p[0] or supply_test(question))):
        return "crisis"
    if dosing:
        return "dosing"
    # Design 10: words of the scene alone ("for a party") do not admit this vote.
    if p[1] >= m.dosing_threshold and p[1] >= p[2] and drug_words(question) \
            and not benign_context(question) and benign_neighbours() < BENIGN_NEIGHBOURS:
        return "dosing"
    if p[1] >= STRONG_DOSING and p[1] >= max(p[0], p[2]) \
            and (use_words(question) or speaks_for_self(question)) \
            and (not benign_context(question) or speaks_for_self(question)) \
            and (p[1] >= STRONG_DOSING_OVER_LOOKALIKE or benign_neighbours() < BENIGN_NEIGHBOURS):
        return "dosing"
    return None


def reply_for(kind: str, question: str = "") -> str:
    """The reply text for a screen decision, framed for a practitioner when the message is one."""
    if kind == "crisis":
        return crisis_reply(question)
    if kind == "dosing":
        return dosing_reply(question) if question else DOSING_REPLY
    raise ValueError(f"no safety reply for {kind!r}")
