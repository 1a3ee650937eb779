"""Answers and the index summary as escaped HTML for the chat (pure functions)."""

from __future__ import annotations

import re
from html import escape
from urllib.parse import urlsplit

from app.ui_export import answer_plaintext, source_label
from kb.records import Answer, Source
from kb.safety import DISCLAIMER

_MARKER = re.compile(r"\[(\d+)\]")
EVIDENCE_LABELS = {
    "rct": "Randomised trial", "follow-up": "Follow-up study", "qualitative": "Qualitative study",
    "meta-analysis": "Meta-analysis", "review": "Review", "policy": "Policy document",
    "commentary": "Commentary", "explainer": "Explainer",
}
NOTICE_TITLES = {
    "abstain": "Not covered by this knowledge base",
    "crisis": "If you or someone else is in danger, get help now",
    "dosing": "Request declined",
}
CRISIS_HTML = (
    '<div class="kb-notice kb-notice-crisis kb-crisis-resources" role="note">'
    "<strong>Crisis resources (US)</strong><ul>"
    "<li>Call or text <b>988</b> (Suicide &amp; Crisis Lifeline), any hour.</li>"
    '<li>Chat at <a href="https://988lifeline.org/" target="_blank" '
    'rel="noopener noreferrer nofollow">988lifeline.org</a>.</li>'
    "<li>Call <b>911</b> if someone is in immediate danger.</li></ul></div>"
)


def _e(text: object) -> str:
    return escape(str(text or ""), quote=True)


def safe_href(url: str) -> str:
    """The URL escaped for an href if it is a plain http(s) link, else ''."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        return ""
    return escape(url, quote=True)


def external_link(url: str, text: str | None = None) -> str:
    """An escaped link opening in a new tab, or the escaped text when the URL is not http(s)."""
    href = safe_href(url)
    label = _e(text if text is not None else url)
    if not href:
        return label
    return f'<a href="{href}" target="_blank" rel="noopener noreferrer nofollow">{label}</a>'


def reference_html(source: str, link: str) -> str:
    """The escaped reference with its DOI or URL turned into a link (added if not mentioned)."""
    text = source_label(source)
    if not safe_href(link):
        return _e(text)
    needle = "doi:" + link.split("doi.org/", 1)[1] if "doi.org/" in link else link
    i = text.find(needle)
    if i < 0:
        return f"{_e(text)} {external_link(link, needle)}"
    return _e(text[:i]) + external_link(link, needle) + _e(text[i + len(needle):])


def turn_from_answer(answer: Answer, topic: str = "all", population: str = "all") -> dict:
    """A JSON-ready record of one exchange: the answer as `kb ask --json`, plus topics per source."""
    data = answer.to_dict()
    data.pop("retrieved", None)
    data.pop("timings_ms", None)
    topics = {h.chunk.chunk_id: list(h.chunk.topics) for h in answer.retrieved}
    for c in data["citations"]:
        c["topics"] = topics.get(c["chunk_id"], [])
    data["filters"] = {"topic": topic, "population": population}
    return data


def kind_of(turn: dict) -> str:
    """'answer', 'abstain', 'crisis' or 'dosing'."""
    if turn.get("safety") in ("crisis", "dosing"):
        return turn["safety"]
    return "abstain" if turn.get("abstained") else "answer"


def cite_id(t: int, n: int) -> str:
    return f"cite-{t}-{n}"


def answer_html(text: str, citations: list[dict], t: int) -> str:
    """Escaped answer text; each [n] with a citation becomes a link to its source card."""
    by_n = {c["n"]: c for c in citations}

    def link(m: re.Match) -> str:
        c = by_n.get(int(m.group(1)))
        if c is None:
            return m.group(0)
        where = " › ".join(p for p in (c.get("title"), c.get("section")) if p)
        return (f'<a class="kb-marker" href="#{cite_id(t, c["n"])}" title="{_e(where)}" '
                f'aria-label="Source {c["n"]}: {_e(where)}">[{c["n"]}]</a>')

    return _MARKER.sub(link, escape(text or "", quote=False))


def _filters_caption(filters: dict) -> str:
    parts = [f"{name}: {_e(value)}" for name, value in (
        ("topic", filters.get("topic")), ("population", filters.get("population")))
        if value and value != "all"]
    return f'<p class="kb-filters">Filtered by {" · ".join(parts)}</p>' if parts else ""


def turn_html(turn: dict, t: int) -> str:
    """One question and its reply; abstentions and safety replies as distinct notices."""
    q = (f'<div class="kb-q"><span class="kb-who">You</span>'
         f'<p>{_e(turn.get("question"))}</p></div>')
    kind = kind_of(turn)
    caption = _filters_caption(turn.get("filters") or {})
    if kind == "answer":
        body = f'<p>{answer_html(turn.get("answer", ""), turn.get("citations", []), t)}</p>'
        if turn.get("notice"):
            body += f'<p class="kb-note">{_e(turn["notice"])}</p>'
        body += copy_button(turn)
        a = (f'<div class="kb-a kb-a-answer"><span class="kb-who">Knowledge base</span>'
             f"{body}{caption}</div>")
    else:
        role = "alert" if kind == "crisis" else "note"
        a = (f'<div class="kb-a kb-notice kb-notice-{kind}" role="{role}">'
             f"<strong>{NOTICE_TITLES[kind]}</strong><p>{_e(turn.get('answer'))}</p>"
             f"{CRISIS_HTML if kind == 'crisis' else ''}{caption}</div>")
    return f'<div class="kb-turn" id="turn-{t}">{q}{a}</div>'


def copy_button(turn: dict) -> str:
    """The "Copy with references" button; the page's script copies its data-copy text."""
    return (f'<div class="kb-actions"><button type="button" class="kb-copy" '
            f'data-copy="{_e(answer_plaintext(turn))}">Copy with references</button>'
            '<span class="kb-copied" role="status" aria-live="polite"></span></div>')


def conversation_html(turns: list[dict], markdown: str = "") -> str:
    """The conversation; `markdown` (the download) rides along in a data attribute."""
    data = f' data-markdown="{_e(markdown)}"' if markdown else ""
    if not turns:
        return (f'<div class="kb-chat kb-chat-empty"{data}><p>Ask about the evidence on MDMA-assisted '
                "therapy for PTSD: what the trials found, safety, stigma, access and policy. "
                "Every answer cites the passages it comes from.</p></div>")
    # Newest first: the stylesheet shows them in reading order, scrolled to the latest.
    inner = "".join(turn_html(turns[t - 1], t) for t in range(len(turns), 0, -1))
    return f'<div class="kb-chat" role="log" aria-label="Conversation"{data}>{inner}</div>'


def _reference(s: dict) -> str:
    """A catalog source (JSON form) as a Source record's reference, its link made a link."""
    fields = {k: s.get(k) or "" for k in Source.__dataclass_fields__}
    src = Source(**dict(fields, year=s.get("year") or None))
    return reference_html(src.reference(), src.link)


def about_html(info: dict) -> str:
    """The index summary from kb.catalog.describe_index, for the About view."""
    rows = "".join(f"<tr><td>{_e(t)}</td><td>{n['documents']}</td><td>{n['chunks']}</td></tr>"
                   for t, n in info.get("topics", {}).items())
    docs = []
    for d in info.get("document_list", []):
        labels = [EVIDENCE_LABELS.get(d.get("evidence_type"), d.get("evidence_type") or "")]
        labels += [f"as of {d['as_of']}" if d.get("as_of") else ""] + list(d.get("topics") or [])
        labels.append("added by a user" if d.get("origin") == "user" else "")
        chips = "".join(f'<span class="kb-label">{_e(x)}</span>' for x in labels if x)
        refs = "".join(f"<li>{_reference(s)}</li>" for s in d.get("sources") or [])
        src = d.get("source", "")
        origin = external_link(src) if safe_href(src) else _e(source_label(src))
        docs.append(f'<li class="kb-doc"><span class="kb-title">{_e(d.get("title"))}</span> '
                    f'<span class="kb-origin">({origin})</span><div class="kb-labels">{chips}'
                    f"</div>{f'<ul class=kb-refs>{refs}</ul>' if refs else ''}</li>")
    built = _e(info.get("built_at") or "never")
    return (
        '<div class="kb-about"><h3>About this knowledge base</h3>'
        f"<p>{info.get('documents', 0)} documents, {info.get('chunks', 0)} passages. "
        f"Index built {built} (version {_e(info.get('index_version'))}, model "
        f"{_e(info.get('embedding_model'))}).</p>"
        f"<p class='kb-current-to'>Current to {_e(info.get('current_to') or 'n/a')}: the latest "
        "as-of date of the curated documents; documents added by users are not counted.</p>"
        f"<p class='kb-disclaimer-inline'>{_e(DISCLAIMER)} Answers quote the documents below "
        "and cite them; check the original publication before relying on a figure.</p>"
        f"{CRISIS_HTML}"
        "<h4>Topics</h4><table class='kb-topics'><thead><tr><th>Topic</th><th>Documents</th>"
        f"<th>Passages</th></tr></thead><tbody>{rows}</tbody></table>"
        f"<h4>Documents and their sources</h4><ol class='kb-docs'>{''.join(docs)}</ol></div>"
    )
