"""Cleaning and chunking on fixtures (pure functions, real tokenizer)."""

from __future__ import annotations

import unicodedata

from conftest import DATA

from ingest.chunk import (
    MIN_TAIL_TOKENS,
    MODEL_LIMIT,
    pack_sentences,
    split_into_chunks,
    split_sections,
)
from ingest.clean import clean_text, normalise_text, strip_bold
from ingest.load import document_from_text
from kb.records import Document
from kb.sentence_split import sentence_spans


def test_scraped_text_loses_furniture_and_keeps_the_article():
    cleaned = clean_text((DATA / "scraped-article.txt").read_text(), scraped=True)
    for furniture in ("Sign In", "Subscribe", "Share on Facebook", "Photo credit", "cookies",
                      "RELATED ARTICLES", "houseplants", "Privacy Policy", "Welcome Back",
                      "Forgot your password", "Log in to", "Menu", "Home Health", "Do not sell"):
        assert furniture.lower() not in cleaned.lower(), furniture
    assert "A survey of 310 hospital nurses" in cleaned
    assert "Ratings fell by an average of 2.4 points." in cleaned
    assert "sleeping longer on their days off" in cleaned
    assert "\u200b" not in cleaned


def test_html_main_content_is_extracted():
    doc = document_from_text((DATA / "scraped-article.html").read_text(), ".html", "g", "g", "g")
    assert doc.title.startswith("Quiet gardens help nurses")
    assert "Ratings fell by an average of 2.4 points." in doc.text
    for furniture in ("Accept all cookies", "houseplants", "Privacy Policy", "Sign in"):
        assert furniture not in doc.text


def test_normalise_text_nfc_controls_and_whitespace():
    raw = "Cafe\u0301\u00a0 bar\u200b\u00ad\x07\n\n\n\nnext\tline  end\ufeff"
    out = normalise_text(raw)
    assert out == "Café bar\n\nnext line end"
    assert unicodedata.is_normalized("NFC", out)


def test_sentence_spans_respect_abbreviations_and_bullets():
    text = ("In the trial (Mitchell et al. 2021), 67% vs. 32% responded. The U.S. FDA declined.\n"
            "- A bullet sentence here. And another one.")
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "In the trial (Mitchell et al. 2021), 67% vs. 32% responded.",
        "The U.S. FDA declined.", "A bullet sentence here.", "And another one."]


def test_a_capital_initial_does_not_end_a_sentence():
    text = "On 22 May 1986, judge Francis L. Young ruled. Then the DEA appealed."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "On 22 May 1986, judge Francis L. Young ruled.", "Then the DEA appealed."]


def test_a_hard_wrapped_paragraph_keeps_its_sentences_whole():
    """An editor's line wrap is not a sentence end; a list item, heading or short title line is."""
    text = ("In the trial, 14 of 20 participants improved on the main scale. The trial\n"
            "was small, so its percentages are imprecise estimates, and the authors said the\n"
            "FDA would want a larger study.\n"
            "Short title line\n"
            "- A list item that wraps onto the\n"
            "  next line. A second sentence.\n"
            "- Another item.")
    assert [" ".join(text[s:e].split()) for s, e in sentence_spans(text)] == [
        "In the trial, 14 of 20 participants improved on the main scale.",
        "The trial was small, so its percentages are imprecise estimates, and the authors said "
        "the FDA would want a larger study.",
        "Short title line", "A list item that wraps onto the next line.", "A second sentence.",
        "Another item."]


def test_sections_follow_heading_paths():
    text = "## Results\nA.\n### Safety\nB.\n## Limits\nC."
    assert [s for s, _, _ in split_sections(text)] == ["Results", "Results > Safety", "Limits"]


def _doc(text: str) -> Document:
    return Document(doc_id="d", title="A title", text=text, source="d.md", topics=("efficacy",))


def test_chunks_fit_the_model_and_never_end_mid_sentence(embedder):
    sentence = "Participants in the fixture study reported steady improvements over many months."
    text = "## Results\n" + " ".join(f"{sentence[:-1]} number {i}." for i in range(120))
    chunks = split_into_chunks(_doc(text), embedder.count_tokens)
    assert len(chunks) > 3
    for c in chunks:
        assert embedder.count_tokens(c.embed_text()) <= MODEL_LIMIT
        assert c.text.endswith(".")
        assert text[c.start:c.end] == c.text
        assert c.section == "Results"
        assert [c.text[s:e] for s, e in c.sentences][0].startswith("Participants")
    # a little overlap between neighbours
    assert any(a.end > b.start for a, b in zip(chunks, chunks[1:]))


def test_a_giant_sentence_is_split_at_words_within_the_limit(embedder):
    text = "## Wall\n" + " ".join(["word"] * 900) + "."
    chunks = split_into_chunks(_doc(text), embedder.count_tokens)
    assert len(chunks) >= 3
    assert all(embedder.count_tokens(c.embed_text()) <= MODEL_LIMIT for c in chunks)
    assert all(text[c.start:c.end] == c.text for c in chunks)


def test_chunk_ids_are_stable(embedder):
    text = "## A\nOne sentence here is fine.\n\n## B\nAnother sentence is here too."
    first = [c.chunk_id for c in split_into_chunks(_doc(text), embedder.count_tokens)]
    again = [c.chunk_id for c in split_into_chunks(_doc(text), embedder.count_tokens)]
    assert first == again == ["d#0", "d#1"]


def test_a_short_closing_sentence_keeps_its_context():
    # Four sentences of 40 "tokens" fill a 160-token span exactly; the closing sentence would be a
    # chunk on its own without the tail rule. Tokens are counted as words here, to pin the sizes.
    def words(text: str) -> int:
        return len(text.split())

    sentences = [" ".join([f"S{i}"] + ["word"] * 38) + " end." for i in range(4)]
    text = " ".join(sentences) + " That finding was preliminary."
    spans = pack_sentences(text, 0, len(text), 160, words)
    assert [text[a:b] for a, b in spans][0] == " ".join(sentences)
    last = text[spans[-1][0]:spans[-1][1]]
    assert last.endswith("That finding was preliminary.")
    assert words(last) >= MIN_TAIL_TOKENS and words(last) <= 160
    assert last.startswith("S1 ")  # reached back over sentences 3, 2 and 1, not to the start


def test_markdown_bold_markers_are_dropped_and_the_words_kept():
    assert strip_bold("**Phase 1, 2 and 3.** Phase 1 studies") == "Phase 1, 2 and 3. Phase 1 studies"
    assert strip_bold("- __rct__: reports a trial") == "- rct: reports a trial"
    # Not bold: arithmetic, lone markers, a bullet star and single-star emphasis stay as written.
    for text in ("2**3 is 8", "x ** y ** z", "* a bullet with *emphasis*"):
        assert strip_bold(text) == text
    assert clean_text("**Term.** Text.", markdown=True) == "Term. Text."
    assert clean_text("**Term.** Text.") == "**Term.** Text."


def test_a_100k_character_repetitive_line_does_not_become_a_heap_of_identical_chunks(embedder):
    text = "the same words again and again " * 3300  # 102,300 characters, one line
    chunks = split_into_chunks(_doc(text), embedder.count_tokens)
    assert 1 <= len(chunks) <= 3  # it was 164 identical chunks
    assert [c.n for c in chunks] == list(range(len(chunks)))
    assert all(c.n_chunks == len(chunks) for c in chunks)
    assert all(embedder.count_tokens(c.embed_text()) <= MODEL_LIMIT for c in chunks)
