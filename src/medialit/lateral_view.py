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
    return _esc(c.title) if c.title else "<i>(headline not recorded by the kit)</i>"


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
        f"each summarised in the kit's own words. Do not open them all: decide which one you "
        f"would open first.</p><ul class='ml-results' style='list-style: none; padding-left: 0'>"
        f"{items}</ul></section>"
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
    label = "<b>Unconfirmed.</b> " if f.status == "unconfirmed" else ""
    quote = _quoted_html(f.quote, f.quote_from)
    n = len(f.sources)
    cited = (
        f'<details class="ml-note"><summary>{n} source{"s" if n > 1 else ""}: '
        f"{_esc('; '.join(dict.fromkeys(s.outlet for s in f.sources)))}</summary>"
        f"<p>{_sources_html(f.sources)}</p></details>"
        if f.sources
        else ""
    )
    return f"<li><p>{label}{_esc(f.fact)}</p>{quote}{cited}</li>"


def excerpt_html(card_id: str) -> str:
    """What the student sees on opening a card: the kit's summary, one short quotation with
    its source, and the facts this source gives, each with its citations."""
    c = card(card_id)
    facts = [f for f in load_bundle().facts if c.id in f.cards]
    quote = _quoted_html(c.quote, c.site)
    listed = "".join(_fact_html(f) for f in facts)
    listed = (
        f"<p><b>What the kit knows on this topic, and who says so</b></p><ul>{listed}</ul>"
        if facts
        else ""
    )
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


#: The topics of the outlet's facts, in the order a reader asks about them, as headings.
TOPICS = {
    "ownership": "Who owns it",
    "history": "Where it came from",
    "leaning": "How news reports describe it",
    "rating": "How a rating company rates it",
    "opinion_section": "Its opinion section",
    "unknown": "What is not known",
}


def facts_html(*, topic: str | None = None) -> str:
    """Every fact about the outlet (or one topic's), confirmed and unconfirmed, with sources,
    under a heading per topic."""
    facts = [f for f in load_bundle().facts if topic is None or f.topic == topic]
    if not facts:
        raise LateralError(f"There are no facts on the topic {topic!r} in facts.csv.")
    order = [*TOPICS, *sorted({f.topic for f in facts} - set(TOPICS))]
    parts = []
    for name in order:
        group = [f for f in facts if f.topic == name]
        if group:
            heading = _esc(TOPICS.get(name, name.replace("_", " ")))
            items = "".join(_fact_html(f) for f in group)
            parts.append(f"<p><b>{heading}</b></p><ul>{items}</ul>")
    return f'<div class="ml-box">{"".join(parts)}</div>'


def coverage_html(event: str | None = None) -> str:
    """One event as several sources reported it: one card per source, oldest first, each with
    its kind, date and headline, a leaning only with whose rating it is, what it puts first,
    what it leaves out, and one short quotation; notes on the copy read fold away."""
    rows = [v for v in load_bundle().coverage if event is None or event in v.event]
    if not rows:
        raise LateralError(f"No source in coverage.csv covers the dossier row {event!r}.")
    cards = []
    for v in sorted(rows, key=lambda v: v.date):
        headline = f"“{_esc(v.headline)}”" if v.headline else "<i>headline not recorded</i>"
        leaning = f"not rated here: read it as {_esc(KINDS[v.kind])}"
        if v.leaning_source:
            leaning = _esc(v.leaning)
        quote = (
            f"<p>“{_esc(v.quote)}” <span class='ml-note'>({_esc(v.quote_by)})</span></p>"
            if v.quote
            else ""
        )
        notes = [n for n in (v.note, v.leaning_source.citation if v.leaning_source else "") if n]
        more = (
            "<details class='ml-note'><summary>About this copy"
            + (" and its rating" if v.leaning_source else "")
            + "</summary>"
            + "".join(f"<p>{_esc(n)}</p>" for n in notes)
            + "</details>"
            if notes
            else ""
        )
        cards.append(
            f"<li class='ml-box'><p><b>{_esc(v.outlet)}</b> <span class='ml-note'>"
            f"({_esc(v.role)}) · {_esc(KINDS[v.kind])} · {_esc(v.date)}</span><br>{headline}</p>"
            f"<p><b>Leaning:</b> {leaning}</p>"
            f"<p><b>Puts first:</b> {_esc(v.emphasises)}</p>"
            f"<p><b>Leaves out or adds:</b> {_esc(v.leaves_out)}</p>{quote}{more}</li>"
        )
    caption = "How different sources reported the same event, in the kit's own words"
    return (
        f"<section class='ml-coverage' aria-label='{caption}'><p><b>{caption}</b></p>"
        f"<ul style='list-style: none; padding-left: 0'>{''.join(cards)}</ul></section>"
    )
