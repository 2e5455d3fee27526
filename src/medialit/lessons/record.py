"""Lesson 04: the article's claims beside the dated public record, and a verdict for each.

The record and the verdicts are ``medialit.dossier``'s; this module shows them. The kit's own
reading of a claim is revealed only after the student has chosen a verdict, and dates later
than the article are labelled so no one takes them for something the writer knew.
"""

from __future__ import annotations

import re
from typing import Any

import ipywidgets as widgets
from IPython.display import HTML

from medialit import choices
from medialit.answers import VERDICTS
from medialit.errors import MedialitError
from medialit.lessons.bank import locked_message
from medialit.lessons.markup import (
    STYLE,
    button_layout,
    esc,
    kit_module,
    lines_html,
    para,
    show,
    show_figure,
    status_html,
    table_html,
)
from medialit.lessons.saving import answer_file, save_answer

#: Appended to a date in the record that falls after the article was written.
AFTER_ARTICLE = "after the article was written"


_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


_DATE = re.compile(rf"\b(\d{{1,2}}) ({'|'.join(_MONTHS)}) (\d{{4}})\b( \(([^)]*)\))?")


def mark_later_dates(text: str) -> str:
    """Label every full date in ``text`` later than the article's ("5 February 2019") with
    "(after the article was written)", so no one mistakes it for something the writer knew.
    A bracket right after the date takes the label in: "5 February 2019 (after the article
    was written; State of the Union)"."""
    from datetime import date

    written = kit_module("dossier").ARTICLE_DATE

    def label(match: re.Match) -> str:
        day, month, year, bracket, inside = match.groups()
        when = date(int(year), _MONTHS.index(month) + 1, int(day))
        if when <= written:
            return match.group(0)
        note = f"{AFTER_ARTICLE}; {inside}" if bracket else AFTER_ARTICLE
        return f"{day} {month} {year} ({note})"

    return _DATE.sub(label, text)


def show_timeline() -> None:
    """Lesson 04: the dated record from the dossier, as a timeline chart with its sources.

    Dates in the record later than the article are labelled as such (``mark_later_dates``).
    """
    dossier = kit_module("dossier")
    show_figure(kit_module("charts").timeline())
    frame = dossier.dossier_frame()
    frame["what_the_record_shows"] = frame["what_the_record_shows"].map(mark_later_dates)
    show(HTML(STYLE + table_html(frame, ["when", "event", "what_the_record_shows", "sources"])))


def show_record(*event_ids: str) -> None:
    """Some rows of the dossier (e.g. ``"buenos_aires"``) with what the record shows and each
    row's sources in full: the kit's own record, read as critically as any other source."""
    dossier = kit_module("dossier")
    if not event_ids:
        raise MedialitError("Name at least one dossier row, for example show_record('hamburg').")
    rows = []
    for e in (dossier.event(i) for i in event_ids):
        sources = "<br>".join(esc(s.citation) for s in e.sources)
        rows.append(
            f"<tr><td>{esc(e.when)}</td><td>{esc(e.event)}</td>"
            f"<td>{esc(mark_later_dates(e.what_the_record_shows))}</td>"
            f"<td class='ml-note'>{sources}</td></tr>"
        )
    head = "<tr><th>when</th><th>event</th><th>what the record shows</th><th>sources</th></tr>"
    show(HTML(STYLE + f"<table class='ml-table'>{head}{''.join(rows)}</table>"))


def claims_table() -> None:
    """Lesson 04: each checkable claim of the article beside the dossier events it rests on.

    Each event is named with its date only; the full record of each event is in the table
    of ``show_timeline()``, so a record used by several claims is not repeated. The rows
    come from ``medialit.dossier.claims_beside_record()``, which leaves out the kit's
    verdict on purpose: ``verdicts()`` reveals it only after the student has chosen.
    """
    dossier = kit_module("dossier")
    frame = dossier.claims_beside_record()
    rows = []
    for c in frame.itertuples():
        events = [dossier.event(i.strip()) for i in c.dossier.split(";") if i.strip()]
        record = "<br>".join(f"{esc(e.when)}: {esc(e.event)}" for e in events)
        sources = "<br>".join(esc(e.citation) for e in events)  # not the dossier's row ids
        rows.append(
            f"<tr><td>{esc(c.id)}<br><span class='ml-id'>{esc(c.unit)}</span></td>"
            f"<td>{esc(c.claim)}</td><td>{record or lines_html(c.record)}</td>"
            f"<td class='ml-note'>{sources}</td></tr>"
        )
    head = (
        "<tr><th>claim</th><th>the article says</th><th>the record it rests on (full text "
        "under the timeline)</th><th>sources</th></tr>"
    )
    show(HTML(STYLE + f"<table class='ml-table'>{head}{''.join(rows)}</table>"))


def verdicts(exercise: str = "lesson04") -> widgets.VBox:
    """Lesson 04: a verdict and a reason for each checkable claim, saved like tags.

    The kit's own reading of a claim is revealed only after the student chose a verdict.
    """
    sheet = answer_file(exercise).sheet
    rows = [
        _verdict_row(exercise, claim, sheet.verdicts.get(claim.id, {}))
        for claim in kit_module("dossier").load_claims()
    ]
    widget = widgets.VBox(rows)
    widget.add_class("ml-verdicts")
    return widget


def _quoted(text: str) -> str:
    """The article's words in quotation marks, once: a claim that is itself a quotation
    already starts and ends with its own marks, and a quotation inside one takes single marks."""
    text = text.strip()
    if text[:1] in '“"' and text[-1:] in '”"':
        return text
    return "“" + text.replace("“", "‘").replace("”", "’") + "”"


def _verdict_row(exercise: str, claim: Any, saved: dict) -> widgets.VBox:
    words = kit_module("dossier").VERDICT_WORDS
    names = [(words[v], v) for v in VERDICTS]
    pick = choices.radio_buttons(names, saved.get("verdict"), horizontal=True)
    pick.add_class("ml-verdict")
    reason = widgets.Textarea(
        value=saved.get("reason", ""),
        placeholder="Your reason: which record, and what it does or does not show.",
        layout=widgets.Layout(width="95%", max_width="46em", height="4em"),
    )
    status = widgets.HTML()
    kit = widgets.HTML()
    show = widgets.Button(description="Show the kit's reading", icon="eye", layout=button_layout())
    show.add_class("ml-reveal")

    def save() -> None:
        save_answer(exercise, lambda s: s.set_verdict(claim.id, pick.value, reason.value), status)

    def on_pick(_: Any) -> None:
        kit.value = ""  # "choose first", or the kit's reading of the verdict picked before
        save()

    def on_show(_: Any) -> None:
        if pick.value is None:
            kit.value = status_html("Choose your verdict first, then compare.", "warn")
            return
        closed = locked_message((claim.id, "verdict"))
        if closed:
            kit.value = f'<div class="ml-box ml-locked">{para(closed)}</div>'
            return
        reading = kit_module("dossier").check_verdict(claim.id, pick.value)
        kit.value = f'<div class="ml-box">{para(reading)}</div>'

    pick.observe(on_pick, names="value")
    reason.observe(lambda _: save() if pick.value else None, names="value")
    show.on_click(on_show)
    head = widgets.HTML(
        STYLE
        + choices.STYLE
        + f"<h4>{esc(claim.id)} <span class='ml-id'>{esc(claim.unit)}</span> "
        + f"{esc(_quoted(claim.claim))}</h4>"
    )
    return widgets.VBox([head, pick, reason, status, show, kit])
