"""Rendering of answers, sources and the About view as escaped HTML (pure functions)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from app import ui_cards as cards
from app import ui_render as r

EVIL = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
ALLOWED_TAGS = {"div", "p", "span", "a", "strong", "b", "ul", "ol", "li", "mark", "blockquote",
                "section", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td", "button"}
ALLOWED_ATTRS = {"class", "id", "href", "title", "aria-label", "target", "rel", "role", "type",
                 "aria-live", "data-copy", "data-markdown", "data-numbers"}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> _Tags:
    p = _Tags()
    p.feed(html)
    p.close()
    return p


def assert_inert(html: str) -> _Tags:
    """Only our own tags; no event handlers; links only http(s) or to a source card."""
    p = parse(html)
    for tag, attrs in p.tags:
        assert tag in ALLOWED_TAGS, f"unexpected <{tag}> in {html[:300]}"
        for name in attrs:
            assert not name.startswith("on"), f"event handler {name} on <{tag}>"
            assert name in ALLOWED_ATTRS, name
        if "href" in attrs:
            assert attrs["href"].startswith(("https://", "http://", "#cite-")), attrs["href"]
        if tag == "button":
            assert attrs.get("type") == "button" and attrs.get("class") == "kb-copy", attrs
    return p


def citation(n=1, **kw) -> dict:
    text = "First sentence here. The cited sentence is this one. A last sentence."
    quote = "The cited sentence is this one."
    base = {"n": n, "chunk_id": f"doc#{n}", "doc_id": "doc", "title": "A title",
            "section": "A section", "text": text, "quote": quote,
            "quote_start": text.index(quote), "quote_end": text.index(quote) + len(quote),
            "source": "Smith J (2021). A study. A journal. doi:10.1/abc",
            "link": "https://doi.org/10.1/abc", "evidence_type": "rct", "as_of": "2024-08-10",
            "topics": ["efficacy"]}
    base.update(kw)
    return base


def turn(**kw) -> dict:
    base = {"question": "What did trials find?", "answer": "They found things. [1]",
            "abstained": False, "safety": None, "notice": "", "citations": [citation()],
            "filters": {"topic": "all", "population": "all"}}
    base.update(kw)
    return base


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "data:text/html,x",
    "vbscript:x", "//evil.example/x", "http://", "file:///etc/passwd", "java\nscript:alert(1)",
    "https://ok.example/a b", "",
])
def test_only_plain_http_links_are_allowed(url):
    assert r.safe_href(url) == ""
    assert "href" not in r.external_link(url)


def test_http_links_are_escaped_for_attributes():
    href = r.safe_href('https://example.org/?q="><script>')
    assert href == "https://example.org/?q=&quot;&gt;&lt;script&gt;"
    assert r.safe_href("HTTP://example.org/x") == "HTTP://example.org/x"


def test_markers_link_to_their_source_cards_and_text_is_escaped():
    html = r.answer_html(f"{EVIL} Claim one [1]. Claim two [2]. Unknown [9].",
                         [citation(1), citation(2)], t=3)
    p = assert_inert(html)
    hrefs = [a["href"] for tag, a in p.tags if tag == "a"]
    assert hrefs == ["#cite-3-1", "#cite-3-2"]
    assert "[9]" in html and "<script" not in html and "<img" not in html
    assert EVIL in "".join(p.text)  # shown as text, exactly as written


def test_passage_highlights_the_cited_sentence():
    c = citation(text=f"{EVIL} Before. The cited sentence is this one. After.")
    c["quote_start"] = c["text"].index(c["quote"])
    c["quote_end"] = c["quote_start"] + len(c["quote"])
    html = cards.passage_html([c], t=1)
    assert ('<span class="kb-anchor" id="cite-1-1"></span><mark>The cited sentence is this one.'
            '</mark><span class="kb-qnum">[1]</span>') in html
    assert "&lt;script&gt;" in html
    bad = dict(c, quote_start=50, quote_end=10)
    assert "<mark>" not in cards.passage_html([bad], t=1)


def test_source_card_shows_labels_reference_and_link():
    html = cards.card_html([citation(2)], t=1)
    p = assert_inert(html)
    assert ("li", {"class": "kb-cite", "data-numbers": "2"}) in p.tags
    assert ("span", {"class": "kb-anchor", "id": "cite-1-2"}) in p.tags
    text = " ".join(p.text)
    for expected in ("A title", "A section", "Curated document", "Randomised trial",
                     "as of 2024-08-10", "topic: efficacy", "Smith J (2021)"):
        assert expected in text
    links = [a for tag, a in p.tags if tag == "a"]
    assert [a["href"] for a in links] == ["https://doi.org/10.1/abc"]
    assert links[0]["rel"] == "noopener noreferrer nofollow"
    assert text.count("doi:10.1/abc") == 1  # the DOI in the reference became the link


def test_poisoned_citation_renders_inert():
    c = citation(title=EVIL, section="<b onmouseover=alert(1)>s</b>", source=EVIL,
                 link="javascript:window.__pwned=3", evidence_type="<i>x</i>",
                 as_of="<u>2024</u>", topics=["<svg onload=alert(1)>"])
    c["text"] = EVIL + " " + c["text"]
    c["quote_start"] += len(EVIL) + 1
    c["quote_end"] += len(EVIL) + 1
    html = cards.sources_html([turn(question=EVIL, citations=[c])])
    p = assert_inert(html)
    assert not any(tag == "a" for tag, _ in p.tags)
    assert "".join(p.text).count(EVIL) >= 3  # question, title, passage: shown as text


def test_local_source_paths_are_shortened_to_the_file_name():
    assert r.source_label("/srv/kb/.kbdata/uploads/notes.md") == "notes.md"
    assert r.source_label("Smith J (2021). Title") == "Smith J (2021). Title"


def test_abstention_and_safety_replies_are_notices_not_answers():
    abstain = r.turn_html(turn(abstained=True, answer="Not covered.", citations=[]), 1)
    crisis = r.turn_html(turn(safety="crisis", answer="Call 988.", citations=[]), 2)
    dosing = r.turn_html(turn(safety="dosing", answer="I can't advise.", citations=[]), 3)
    answer = r.turn_html(turn(), 4)
    assert "kb-notice-abstain" in abstain and "kb-a-answer" not in abstain
    assert "kb-notice-crisis" in crisis and 'role="alert"' in crisis and "988lifeline.org" in crisis
    assert "kb-notice-dosing" in dosing and r.NOTICE_TITLES["dosing"] in dosing
    assert "kb-a-answer" in answer and "kb-notice" not in answer
    assert "Copy with references" in answer
    assert not any("kb-copy" in html for html in (abstain, crisis, dosing))
    for html in (abstain, crisis, dosing, answer):
        assert_inert(html)


def test_conversation_puts_the_newest_turn_first_and_escapes_questions():
    turns = [turn(question="first"), turn(question=EVIL), turn(question="third")]
    html = r.conversation_html(turns, markdown=f"# Saved\n{EVIL}")
    p = assert_inert(html)
    chat = next(a for tag, a in p.tags if a.get("class") == "kb-chat")
    assert chat["data-markdown"] == f"# Saved\n{EVIL}"  # the attribute holds it as text
    ids = [a["id"] for tag, a in p.tags if a.get("class") == "kb-turn"]
    assert ids == ["turn-3", "turn-2", "turn-1"]
    assert "kb-chat-empty" in r.conversation_html([])


def test_sources_group_every_answer_newest_first_with_unique_ids():
    turns = [turn(question="q1", citations=[citation(1), citation(2)]),
             turn(question="q2", abstained=True, citations=[]),
             turn(question="q3", citations=[citation(1)])]
    p = assert_inert(cards.sources_html(turns))
    ids = [a["id"] for tag, a in p.tags if "id" in a]
    assert ids == ["cite-3-1", "cite-1-1", "cite-1-2"]
    assert "kb-sources-empty" in cards.sources_html([turn(citations=[])])


def test_filters_are_named_under_the_answer():
    html = r.turn_html(turn(filters={"topic": "stigma", "population": "all"}), 1)
    assert "Filtered by topic: stigma" in html and "population" not in html


def test_about_lists_documents_sources_topics_and_crisis_resources():
    info = {"documents": 2, "chunks": 7, "built_at": "2025-01-02T03:04:05+00:00",
            "current_to": "2024-01-01",
            "index_version": "abc", "embedding_model": "m",
            "topics": {"efficacy": {"documents": 2, "chunks": 7}},
            "document_list": [
                {"title": "Doc one", "evidence_type": "rct", "as_of": "2024-01-01",
                 "topics": ["efficacy"], "source": "/home/me/kb/documents/one.md",
                 "sources": [{"authors": "Lee K", "year": 2020, "title": "Trial",
                              "outlet": "J", "doi": "10.2/x"}]},
                {"title": EVIL, "evidence_type": "", "topics": [], "source": EVIL,
                 "sources": [{"title": EVIL, "url": "javascript:alert(1)"}]},
            ]}
    html = r.about_html(info)
    p = assert_inert(html)
    text = " ".join(p.text)
    for expected in ("2 documents", "7 passages", "2025-01-02T03:04:05+00:00", "efficacy",
                     "Doc one", "one.md", "Lee K (2020). Trial. J.", "doi:10.2/x",
                     "Current to 2024-01-01", "988", "911"):
        assert expected in text, expected
    assert "/home/me" not in html
    assert {a["href"] for tag, a in p.tags if tag == "a"} == {
        "https://doi.org/10.2/x", "https://988lifeline.org/"}
