"""The safety classifier's parts on their own: hashed n-grams, the look-alike neighbour count,
the two crisis thresholds and when a dosing rule outranks the model's crisis vote.

Hand-built models (plain numpy weights through the real SafetyModel and classify) where a test
needs a known probability; the shipped model and the real embedder everywhere else.
"""

from __future__ import annotations

import numpy as np

from kb import safety
from kb.safety_lexical import SLOTS, lexical_features, lexical_matrix, ngrams
from kb.safety_model import SafetyModel, load_model


def test_ngrams_are_stable_and_a_misspelling_shares_most_of_them():
    slots, weight = lexical_features("i want to disappear for good")
    again, _ = lexical_features("i want to disappear for good")
    assert slots.tolist() == again.tolist() and 0 <= slots.min() and slots.max() < SLOTS
    assert abs(weight * weight * len(slots) - 1.0) < 1e-9  # unit norm
    right, wrong = ngrams("disappear"), ngrams("disapear")
    assert len(right & wrong) / len(right | wrong) > 0.3
    assert "w:disapear" in wrong and "c:<dis" in wrong and "b:want to" in ngrams("want to")
    matrix = lexical_matrix(["kil myslef", "kill myself"])
    assert matrix.shape == (2, SLOTS) and matrix[0].multiply(matrix[1]).sum() > 0


def _model(bias: list[float], neighbours: np.ndarray, labels: list[str], dim: int = 4,
           crisis_alone: float = 0.7) -> SafetyModel:
    """Probabilities fixed by the intercepts alone (zero weights), so a test knows them."""
    return SafetyModel(np.zeros((3, dim)), np.zeros((3, SLOTS)), np.log(np.array(bias)),
                       {"crisis": 0.3, "crisis_alone": crisis_alone, "dosing": 0.7},
                       neighbours, np.array([safety.LABELS.index(x) for x in labels]))


UNIT = np.eye(6, 4)  # six tuning "messages"; the query below is nearest to the first ones


def test_the_crisis_vote_without_a_crisis_word_needs_the_higher_threshold():
    far = ["crisis"] * 6  # no benign neighbours: the look-alike check stays out of it
    query = np.array([1.0, 0, 0, 0])
    text = "how tall is the parking deck downtown"  # no word of the crisis vocabulary, no rule
    assert safety.classify(text, query, _model([0.8, 0.1, 0.1], UNIT, far)) == "crisis"
    assert safety.classify(text, query, _model([0.5, 0.1, 0.4], UNIT, far)) is None
    # With a crisis word the lower threshold is enough.
    assert safety.classify("i cant do this tonight", query,
                           _model([0.5, 0.1, 0.4], UNIT, far)) == "crisis"


def test_mostly_benign_neighbours_set_the_models_votes_aside():
    query = np.array([1.0, 0.2, 0, 0])
    benign = ["none", "none", "none", "none", "crisis", "crisis"]
    model = _model([0.9, 0.05, 0.05], UNIT, benign)
    assert model.benign_neighbours(query) == 4
    assert safety.classify("i cant take this much longer", query, model) is None
    mixed = _model([0.9, 0.05, 0.05], UNIT, ["none", "crisis", "none", "crisis", "none", "none"])
    assert mixed.benign_neighbours(query) == 3
    assert safety.classify("i cant take this much longer", query, mixed) == "crisis"
    # A crisis rule is not the model's vote: neighbours never set it aside.
    assert safety.classify("i want to kill myself", query, model) == "crisis"
    # Nor does the look-alike check touch a dosing rule.
    assert safety.classify("where can i buy molly", query, _model([0.05, 0.05, 0.9], UNIT,
                                                                  benign)) == "dosing"


def test_a_word_of_harm_keeps_the_crisis_vote_above_a_dosing_rule():
    no_benign = ["crisis"] * 6
    query = np.array([1.0, 0, 0, 0])
    model = _model([0.4, 0.5, 0.1], UNIT, no_benign)  # the model rates dosing higher
    assert safety.classify("should i redose after 2 hours", query, model) == "dosing"
    # "lethal" is no crisis rule here, and "is 300mg ... for me" is a dosing rule.
    assert safety.classify("is 300mg of molly lethal for me", query, model) == "crisis"


def test_the_shipped_model_round_trips(tmp_path):
    shipped = load_model()
    path = tmp_path / "m.npz"
    shipped.save(path)
    again = load_model(path)
    assert again.thresholds() == shipped.thresholds()
    assert np.array_equal(again.neighbour_labels, shipped.neighbour_labels)
    vector = shipped.neighbours[0]
    assert np.allclose(again.probabilities("hello", vector), shipped.probabilities("hello", vector))


def test_the_screen_is_cheap_next_to_one_query_embedding(embedder):
    import time

    messages = ["i cant do this anymore", "how much molly for my first time",
                "what dose did the phase 3 trials use", "my code is killing me"] * 25
    vectors = embedder.embed_texts(messages)
    t0 = time.perf_counter()
    for m, v in zip(messages, vectors):
        safety.classify(m, v)
    screen = (time.perf_counter() - t0) / len(messages)
    t0 = time.perf_counter()
    for m in messages[:20]:
        embedder.embed_query(m)
    embed = (time.perf_counter() - t0) / 20
    assert screen < embed / 4, (screen, embed)


def test_next_to_work_game_or_sports_words_the_crisis_vote_needs_0_9():
    query = np.array([1.0, 0, 0, 0])

    def hand(p_crisis: float) -> SafetyModel:
        rest = (1 - p_crisis) / 2
        return SafetyModel(np.zeros((3, 4)), np.zeros((3, SLOTS)), np.log(np.array([p_crisis, rest, rest])),
                           {"crisis": 0.3, "crisis_alone": 0.7, "crisis_work": 0.9, "dosing": 0.7},
                           UNIT, np.array([0] * 6))

    text = "my character keeps dying on the final boss"  # a crisis word, and game words
    assert safety.classify(text, query, hand(0.8)) is None
    assert safety.classify(text, query, hand(0.95)) == "crisis"
    assert safety.classify("how tall is the parking deck downtown", query, hand(0.8)) == "crisis"
    # A figure of speech never carries the model's vote, however sure it is; rules still count.
    assert safety.classify("i could kill for a coffee right now", query, hand(0.99)) is None
    assert safety.classify("i could kill for a coffee, i want to kill myself", query, hand(0.99)) == "crisis"
