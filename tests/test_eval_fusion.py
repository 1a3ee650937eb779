"""Score fusion and near-duplicate collapsing on hand-made inputs (the retrieval changes eval tuned)."""

from __future__ import annotations

import random

import pytest

from kb.fusion import fuse_scores
from kb.records import Chunk, Hit
from kb.retrieve import _words, collapse_near_duplicates


def test_convex_fusion_of_z_scores_by_hand():
    dense = {"a": 0.9, "b": 0.5, "c": 0.1}  # mean 0.5, std 0.3266
    bm25 = {"a": 0.0, "b": 10.0, "c": 5.0}  # mean 5, std 4.0825
    fused = dict(fuse_scores([dense, bm25], [0.5, 0.5]))
    za, zb = (0.9 - 0.5) / 0.326599, (0 - 5) / 4.082483
    assert fused["a"] == pytest.approx(0.5 * za + 0.5 * zb, abs=1e-4)
    assert [i for i, _ in fuse_scores([dense, bm25], [0.5, 0.5])] == ["b", "a", "c"]
    assert [i for i, _ in fuse_scores([dense, bm25], [1.0, 0.0])] == ["a", "b", "c"]
    assert [i for i, _ in fuse_scores([dense, bm25], [0.0, 1.0])] == ["b", "c", "a"]


def test_missing_ids_get_the_lowest_z_and_flat_lists_add_nothing():
    fused = dict(fuse_scores([{"a": 1.0, "b": 0.0}, {"b": 3.0}], [1.0, 1.0]))
    assert fused == {"a": pytest.approx(1.0), "b": pytest.approx(-1.0)}
    with pytest.raises(ValueError):
        fuse_scores([{"a": 1.0}], [1.0, 2.0])


def _hit(i: int, text: str) -> Hit:
    return Hit(chunk=Chunk(chunk_id=f"c{i}", doc_id=f"d{i}", n=0, text=text, title="",
                           section="", start=0, end=len(text), sentences=()), score=-i)


def _brute_force(hits, threshold=0.85):
    kept = []
    for h in hits:
        w = _words(h.chunk.text)
        if not any(len(w & k) / max(len(w | k), 1) >= threshold for _, k in kept):
            kept.append((h, w))
    return [h for h, _ in kept]


def test_prefix_filtered_collapse_equals_the_brute_force_one():
    rng = random.Random(7)
    vocab = [f"w{i}" for i in range(60)]
    texts = []
    for _ in range(120):
        if texts and rng.random() < 0.4:  # a near copy of an earlier passage
            words = rng.choice(texts).split()
            words[rng.randrange(len(words))] = rng.choice(vocab)
            texts.append(" ".join(words))
        else:
            texts.append(" ".join(rng.sample(vocab, rng.randint(5, 30))))
    hits = [_hit(i, t) for i, t in enumerate(texts)]
    expected = _brute_force(hits)
    assert len(expected) < len(hits)  # the data does contain duplicates
    assert collapse_near_duplicates(hits) == expected
    assert collapse_near_duplicates(hits, limit=10) == expected[:10]
    assert collapse_near_duplicates([]) == []
    assert collapse_near_duplicates([_hit(0, ""), _hit(1, "")]) == _brute_force(
        [_hit(0, ""), _hit(1, "")])
