"""The sources panel: one card per cited passage, every sentence cited from it marked and numbered."""

from __future__ import annotations

from html import escape

from app.ui_render import EVIDENCE_LABELS, cite_id, reference_html

ORIGIN_LABELS = {"curated": "Curated document", "user": "Added by a user"}


def _e(text: object) -> str:
    return escape(str(text or ""), quote=True)


def group_by_passage(citations: list[dict]) -> list[list[dict]]:
    """Citations grouped by the passage they quote, in order of first citation."""
    groups: dict[str, list[dict]] = {}
    for c in citations:
        groups.setdefault(c.get("chunk_id") or f"#{c['n']}", []).append(c)
    return list(groups.values())


def _quote_spans(cites: list[dict], length: int) -> list[tuple[int, int, list[int]]]:
    """(start, end, numbers) of the marked sentences; a repeated or overlapping quote joins the
    mark before it, so no text is marked twice."""
    spans: list[tuple[int, int, list[int]]] = []
    for c in sorted(cites, key=lambda c: (int(c.get("quote_start") or 0), c["n"])):
        s, e = int(c.get("quote_start") or 0), int(c.get("quote_end") or 0)
        if not 0 <= s < e <= length:
            continue
        if spans and s < spans[-1][1]:
            spans[-1][2].append(c["n"])
        else:
            spans.append((s, e, [c["n"]]))
    return spans


def passage_html(cites: list[dict], t: int) -> str:
    """The passage, escaped, with each cited sentence in a <mark> followed by its [n] numbers.

    Each number's mark carries the id its answer marker links to (cite-t-n)."""
    text = cites[0].get("text") or ""
    out, cursor = [], 0
    for s, e, numbers in _quote_spans(cites, len(text)):
        anchors = "".join(f'<span class="kb-anchor" id="{cite_id(t, n)}"></span>'
                          for n in numbers)
        out.append(f'{_e(text[cursor:s])}{anchors}<mark>{_e(text[s:e])}</mark>'
                   f'<span class="kb-qnum">{_numbers(numbers)}</span>')
        cursor = e
    return "".join(out) + _e(text[cursor:])


def _labels(first: dict) -> str:
    labels = [ORIGIN_LABELS.get(first.get("origin") or "curated", ORIGIN_LABELS["user"])]
    if first.get("evidence_type"):
        labels.append(EVIDENCE_LABELS.get(first["evidence_type"], first["evidence_type"]))
    if first.get("as_of"):
        labels.append(f"as of {first['as_of']}")
    labels += [f"topic: {t_}" for t_ in first.get("topics") or []]
    origin_class = "kb-label kb-origin-user" if first.get("origin") == "user" else \
        "kb-label kb-origin-curated"
    chips = [f'<span class="{origin_class}">{_e(labels[0])}</span>']
    chips += [f'<span class="kb-label">{_e(x)}</span>' for x in labels[1:]]
    return "".join(chips)


def _numbers(numbers: list[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def _references(cites: list[dict]) -> str:
    """Each distinct reference once; when there are several, each says which numbers cite it."""
    refs: dict[tuple[str, str], list[int]] = {}
    for c in cites:
        refs.setdefault((c.get("source", ""), c.get("link", "")), []).append(c["n"])
    out = []
    for (source, link), numbers in refs.items():
        which = f'<span class="kb-ref-num">{_numbers(numbers)}</span> ' if len(refs) > 1 else ""
        out.append(f'<p class="kb-ref">{which}{reference_html(source, link)}</p>')
    return "".join(out)


def card_html(cites: list[dict], t: int) -> str:
    """One passage's card: numbers, title and section, labels, marked passage, references."""
    first = cites[0]
    numbers = [c["n"] for c in cites]
    head = (f'<span class="kb-num">{_numbers(numbers)}</span> '
            f'<span class="kb-title">{_e(first.get("title"))}</span>')
    if first.get("section"):
        head += f' <span class="kb-section">› {_e(first["section"])}</span>'
    return (f'<li class="kb-cite" data-numbers="{" ".join(map(str, numbers))}">'
            f'<div class="kb-cite-head">{head}</div><div class="kb-labels">{_labels(first)}</div>'
            f'<blockquote class="kb-passage">{passage_html(cites, t)}</blockquote>'
            f'{_references(cites)}</li>')


def sources_html(turns: list[dict]) -> str:
    """Every answer's sources, newest answer first; markers link to the marks inside the cards."""
    groups = []
    for t in range(len(turns), 0, -1):
        turn = turns[t - 1]
        if not turn.get("citations"):
            continue
        cards = "".join(card_html(g, t) for g in group_by_passage(turn["citations"]))
        groups.append(f'<section class="kb-group" aria-label="Sources for question {t}">'
                      f'<p class="kb-group-q">For: “{_e(turn.get("question"))}”</p>'
                      f'<ol class="kb-cites">{cards}</ol></section>')
    if not groups:
        return ('<div class="kb-sources kb-sources-empty"><h3>Sources</h3><p>The passages '
                "behind each answer appear here, with the cited sentences highlighted.</p></div>")
    return f'<div class="kb-sources"><h3>Sources</h3>{"".join(groups)}</div>'
