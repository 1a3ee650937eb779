"""The safety screen run before retrieval: plain-code rules first, then a small classifier.

Rules (kb/safety_rules.py) catch the unambiguous phrases. A logistic regression over the query
embedding the assistant computes anyway (weights in kb/safety_model.npz, trained on the tuning
part of eval/sets/safety.jsonl by `python -m eval.safety_train`) catches paraphrases. Its crisis
threshold is set low (recall first). Its votes are gated (kb/safety_gates.py): the crisis vote
needs a word of the crisis vocabulary and is ignored next to work or study words; the dosing vote
needs a drug or dose word and is ignored next to research, policy or practitioner framing.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from kb.safety_gates import benign_context, distress_words, drug_words, supply_test, work_context
from kb.safety_replies import CRISIS_REPLY, crisis_reply, dosing_reply
from kb.safety_rules import crisis_rule, dosing_rule

MODEL_PATH = Path(__file__).parent / "safety_model.npz"
LABELS = ("crisis", "dosing", "none")
DISCLAIMER = "Educational information, not medical or legal advice."
DOSING_REPLY = dosing_reply("How much MDMA should I take?")  # the plain personal-dosing text

__all__ = ["CRISIS_REPLY", "DISCLAIMER", "DOSING_REPLY", "LABELS", "SafetyModel", "classify",
           "load_model", "reply_for"]


class SafetyModel:
    """Multinomial logistic regression on a normalised query vector, with per-class thresholds."""

    def __init__(self, coef: np.ndarray, intercept: np.ndarray, crisis_threshold: float,
                 dosing_threshold: float, embedding_model: str = "") -> None:
        self.coef = np.asarray(coef, dtype=np.float32)  # [3, dim], rows in LABELS order
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self.crisis_threshold = float(crisis_threshold)
        self.dosing_threshold = float(dosing_threshold)
        self.embedding_model = embedding_model

    def probabilities(self, vector: np.ndarray) -> np.ndarray:
        logits = self.coef @ np.asarray(vector, dtype=np.float32) + self.intercept
        logits = np.exp(logits - logits.max())
        return logits / logits.sum()

    def save(self, path: Path = MODEL_PATH) -> None:
        np.savez_compressed(path, coef=self.coef.astype(np.float16), intercept=self.intercept,
                            thresholds=np.array([self.crisis_threshold, self.dosing_threshold]),
                            embedding_model=np.array(self.embedding_model))


@lru_cache(maxsize=2)
def load_model(path: Path = MODEL_PATH) -> SafetyModel:
    with np.load(path) as data:
        return SafetyModel(data["coef"].astype(np.float32), data["intercept"],
                           *data["thresholds"].tolist(), str(data["embedding_model"]))


def classify(question: str, vector: np.ndarray, model: SafetyModel | None = None) -> str | None:
    """'crisis', 'dosing' or None for one message and its query embedding. Crisis outranks all."""
    if crisis_rule(question):
        return "crisis"
    m = model or load_model()
    p = m.probabilities(vector)
    dosing = dosing_rule(question)
    crisis_vote = p[0] >= m.crisis_threshold and distress_words(question) \
        and not work_context(question)
    # A plain dosing request outranks the model's crisis vote only when the model itself rates
    # dosing higher ("should I redose after 2 hours") or the request tests one's own supply with
    # no word of harm ("my pills turned orange with the reagent"); otherwise crisis wins.
    if crisis_vote and not (dosing and (p[1] > p[0] or supply_test(question))):
        return "crisis"
    if dosing:
        return "dosing"
    if p[1] >= m.dosing_threshold and p[1] >= p[2] and drug_words(question) \
            and not benign_context(question):
        return "dosing"
    return None


def reply_for(kind: str, question: str = "") -> str:
    """The reply text for a screen decision, framed for a practitioner when the message is one."""
    if kind == "crisis":
        return crisis_reply(question)
    if kind == "dosing":
        return dosing_reply(question) if question else DOSING_REPLY
    raise ValueError(f"no safety reply for {kind!r}")
