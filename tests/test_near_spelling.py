"""The near-spelling lookup behind "the knowledge base never uses this word" (kb/answerability.py)
gives difflib's answer exactly, on the bundled knowledge base's real vocabulary."""

from __future__ import annotations

import difflib
import random

from kb.answerability import spelt_nearly_alike, unknown_words, vocabulary


def test_the_fast_lookup_agrees_with_difflib_on_misspellings_and_strangers(assistant):
    vocab = vocabulary(c.text for c in assistant.retriever.chunks)
    rng = random.Random(7)
    probes = ["germany", "cannabis", "ketamine", "zzzzzzz", "reimbursment", "medicaidd",
              "therapy", "psilocybin", "insurence", "tradeoffs"]
    for word in rng.sample(sorted(w for w in vocab if len(w) >= 6), 120):
        i = rng.randrange(len(word))
        probes += [word[:i] + rng.choice("aeiouxyz") + word[i + 1:], word[:i] + word[i + 1:],
                   word + rng.choice("sxe")]
    expected = [bool(difflib.get_close_matches(p, vocab, n=1, cutoff=0.85)) for p in probes]
    got = [spelt_nearly_alike(p, vocab) for p in probes]
    assert got == expected
    assert 0 < sum(got) < len(got)  # both kinds of word are in the probe set


def test_a_misspelt_known_word_is_not_unknown_and_a_foreign_topic_is(assistant):
    vocab = vocabulary(c.text for c in assistant.retriever.chunks)
    assert unknown_words("what about insurence coverage", vocab) == []
    assert unknown_words("and what about acupuncture sessions", vocab) == ["acupuncture"]
