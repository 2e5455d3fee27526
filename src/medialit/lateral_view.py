"""The lateral-reading bundle (``medialit.lateral``) as HTML for lesson 09.

Every function returns an HTML string with the lesson helpers' CSS classes (``ml-box``,
``ml-quote``, ``ml-note``, ``ml-table``, ``ml-id``); the lessons display them. A page of search
results never says which results are good first clicks: ``first_click_html`` says it only
after the student has chosen. Every quotation is shown with whose words it is, every fact with
its sources, and a leaning only with the name of whoever rated it.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from medialit.lateral import KINDS, Card, Fact, LateralError, Source, card, load_bundle, search


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _title(c: Card) -> str:
    return _esc(c.title) if c.title else "<i>(headline not shown in the copy read)</i>"


def _meta(c: Card, *, kind: bool = True) -> str:
    """Site and date, and the kind of source once the card is opened: a page of search results
    does not label its results, so telling kinds apart is the student's job there."""
    note = f" ({_esc(c.date_note)})" if c.date_note else ""
    shown = f" · {_esc(KINDS[c.kind])}" if kind else ""
    return f"{_esc(c.site)} · {_esc(c.date)}{note}{shown}"


def search_results_html(search_id: str) -> str:
    """A page of result cards, in order, without saying which are good first clicks."""
    s = search(search_id)
    items = "".join(
        f'<li class="ml-box" id="ml-card-{_esc(c.id)}"><p><span class="ml-id">{_esc(c.id)}</span> '
        f'<b>{_title(c)}</b></p><p class="ml-note">{_meta(c, kind=False)}</p>'
        f"<p>{_esc(c.summary)}</p></li>"
        for c in (card(i) for i in s.cards)
    )
    return (
        f'<section class="ml-search" aria-label="Search results for {_esc(s.query)}">'
        f'<p class="ml-note">You searched for: <b>{_esc(s.query)}</b>. {len(s.cards)} results, '
        f"each summarised in the kit's own words. Do not open them all: pick one to open first.</p>"
        f"<ol>{items}</ol></section>"
    )


def _quoted_html(quote: str, who: str) -> str:
    if not quote:
        return ""
    cite = f'<cite class="ml-note">— {_esc(who)}</cite>'
    return f'<blockquote class="ml-quote">“{_esc(quote)}”<br>{cite}</blockquote>'


def _sources_html(sources: Sequence[Source]) -> str:
    return "<br>".join(
        f"{_esc(s.citation)}. <span class='ml-note'>Address: {_esc(s.url)}"
        + (f"; {_esc(s.note)}" if s.note else "")
        + "</span>"
        for s in sources
    )


def _fact_html(f: Fact) -> str:
    label = "Unconfirmed" if f.status == "unconfirmed" else f"As of {f.as_of}"
    quote = _quoted_html(f.quote, f.quote_from)
    n = len(f.sources)
    cited = (
        f'<details class="ml-note"><summary>{n} source{"s" if n > 1 else ""}: '
        f"{_esc('; '.join(s.outlet for s in f.sources))}</summary>"
        f"<p>{_sources_html(f.sources)}</p></details>"
        if f.sources
        else ""
    )
    return f"<li><p><b>{_esc(label)}.</b> {_esc(f.fact)}</p>{quote}{cited}</li>"


def excerpt_html(card_id: str) -> str:
    """What the student sees on opening a card: the kit's summary, one short quotation with
    its source, and the facts this source gives, each with its citations."""
    c = card(card_id)
    facts = [f for f in load_bundle().facts if c.id in f.cards]
    quote = _quoted_html(c.quote, c.site)
    listed = "".join(_fact_html(f) for f in facts)
    listed = f"<p><b>What this source tells you</b></p><ul>{listed}</ul>" if facts else ""
    return (
        f'<article class="ml-box" aria-label="Opened result {_esc(c.id)}">'
        f"<p><span class='ml-id'>{_esc(c.id)}</span> <b>{_title(c)}</b></p>"
        f'<p class="ml-note">{_meta(c)}. Address: {_esc(c.url)}</p>'
        f"<p><b>In the kit's words:</b> {_esc(c.summary)}</p>{quote}{listed}</article>"
    )


def first_click_html(card_id: str) -> str:
    """The expert's view of a card as a first click, shown after the student has chosen."""
    c = card(card_id)
    verdict = "A good first click." if c.good_first_click else "Not the best first click."
    return f'<div class="ml-box"><p><b>{_esc(c.id)}: {verdict}</b> {_esc(c.why)}</p></div>'


def facts_html(*, topic: str | None = None) -> str:
    """Every fact about the outlet (or one topic's), confirmed and unconfirmed, with sources."""
    facts = [f for f in load_bundle().facts if topic is None or f.topic == topic]
    if not facts:
        raise LateralError(f"There are no facts on the topic {topic!r} in facts.csv.")
    return f'<div class="ml-box"><ul>{"".join(_fact_html(f) for f in facts)}</ul></div>'


def coverage_html(event: str | None = None) -> str:
    """One event as reported by several sources: a table, one source a row, oldest first."""
    rows = [v for v in load_bundle().coverage if event is None or event in v.event]
    if not rows:
        raise LateralError(f"No source in coverage.csv covers the dossier row {event!r}.")
    body = []
    for v in sorted(rows, key=lambda v: v.date):
        headline = f"“{_esc(v.headline)}”" if v.headline else "<i>headline not shown</i>"
        leaning = f"not rated here: read it as {_esc(KINDS[v.kind])}"
        if v.leaning_source:
            rated_by = _esc(v.leaning_source.citation)
            leaning = f"{_esc(v.leaning)}<br><span class='ml-note'>{rated_by}</span>"
        quote = (
            f"“{_esc(v.quote)}” <span class='ml-note'>({_esc(v.quote_by)})</span>"
            if v.quote
            else ""
        )
        note = f"<br><span class='ml-note'>{_esc(v.note)}</span>" if v.note else ""
        body.append(
            f"<tr><th scope='row'>{_esc(v.outlet)}<br>"
            f"<span class='ml-note'>{_esc(v.role)}</span></th>"
            f"<td>{_esc(KINDS[v.kind])}</td><td>{_esc(v.date)}</td><td>{headline}{note}</td>"
            f"<td>{leaning}</td><td>{_esc(v.emphasises)}</td><td>{_esc(v.leaves_out)}</td>"
            f"<td>{quote}</td></tr>"
        )
    head = "".join(
        f"<th scope='col'>{h}</th>"
        for h in ("source", "kind", "date", "headline", "leaning (whose rating)",
                  "what it puts first", "what it leaves out or adds", "one short quotation")
    )  # fmt: skip
    caption = "How different sources reported the same event, in the kit's own words"
    return (
        f"<table class='ml-table'><caption>{caption}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )
