"""The dossier's dated record as a timeline chart (lesson 04).

One row per event, grouped by the relationship it belongs to, with the article's date as a
dashed line, so the chart stays legible as the record grows. The events come from
``medialit.dossier``; this module only draws them.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from medialit.charts.figure import ChartFigure
from medialit.dossier import ARTICLE_DATE, Event, load_dossier

#: Okabe & Ito (2008) colours and distinct marker shapes: colour is never the only cue.
_LANES = {
    "Russia": ("#D55E00", "s"),
    "North Korea": ("#0072B2", "o"),
    "China": ("#009E73", "D"),
    "Several": ("#CC79A7", "^"),
}
_ARTICLE_COLOUR = "#E69F00"

_ROW_INCHES = 0.34  # height of one event's row: room for one line of 9.5 pt text


def _new_figure(rows: int) -> Figure:
    size = (11, 1.9 + _ROW_INCHES * rows)
    return ChartFigure(figsize=size, layout="constrained")  # shows itself with its alt text


def _label(e: Event) -> str:
    return f"{e.when} · {e.event}".replace("$", r"\$")


def timeline(ax: Axes | None = None) -> Figure:
    """The dossier's events on a date axis: one row per event, grouped by relationship, with
    the article's date as a dashed line.

    Each event has its own row, so the chart stays legible as the record grows; its label (the
    date and the event) sits beside its marker, on the side with more room. Colours are
    Okabe-Ito (colour-blind safe), and each relationship also has its own marker shape; an
    event known only to the month has a hollow marker. Renders headless (Agg).
    """
    import matplotlib.dates as mdates

    events = load_dossier()
    lanes = [name for name in _LANES if any(e.relationship == name for e in events)]
    ordered = [e for name in lanes for e in events if e.relationship == name]
    fig = _new_figure(len(ordered)) if ax is None else ax.figure
    ax = ax if ax is not None else fig.subplots()
    when = {
        e.id: pd.Timestamp(e.date) + pd.Timedelta(days=14 * (e.date_precision == "month"))
        for e in events
    }
    article_day = pd.Timestamp(ARTICLE_DATE)
    first, last = min(when.values()), max(max(when.values()), article_day)
    left, right = first - pd.Timedelta(days=45), last + pd.Timedelta(days=45)
    middle = left + (right - left) * 0.55
    y = {e.id: len(ordered) - i for i, e in enumerate(ordered)}
    for e in ordered:
        colour, marker = _LANES[e.relationship]
        row = y[e.id]
        ax.axhline(row, color="#E6E6E6", linewidth=0.6, zorder=0)
        ax.plot(
            [when[e.id]],
            [row],
            marker=marker,
            markersize=9,
            linestyle="none",
            markerfacecolor=colour if e.date_precision == "day" else "white",
            markeredgecolor=colour,
            markeredgewidth=2,
            zorder=3,
        )
        right_side = when[e.id] < middle
        ax.annotate(
            _label(e),
            (when[e.id], row),
            xytext=(9 if right_side else -9, 0),
            textcoords="offset points",
            ha="left" if right_side else "right",
            va="center",
            fontsize=9.5,
            bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"},
            zorder=4,
        )
    centres, bounds = [], []
    for name in lanes:
        rows = [y[e.id] for e in ordered if e.relationship == name]
        centres.append((max(rows) + min(rows)) / 2)
        bounds.append(min(rows) - 0.5)
    for bound in bounds[:-1]:
        ax.axhline(bound, color="#767676", linewidth=0.8, zorder=1)
    ax.axvline(article_day, color=_ARTICLE_COLOUR, linestyle="--", linewidth=2, zorder=2)
    ax.annotate(
        "the article's tweets (31 Jan 2019)",
        (article_day, len(ordered) + 0.9),
        xytext=(-6, 0),
        textcoords="offset points",
        ha="right",
        va="center",
        fontsize=9.5,
        color="#8A5A00",
        fontweight="bold",
    )
    ax.set_yticks(centres, lanes, fontsize=10)
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(0.4, len(ordered) + 1.4)
    ax.set_xlim(left, right)
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    ax.tick_params(axis="x", labelsize=9.5)
    ax.set_xlabel("When it happened (hollow marker: the reports give only the month)")
    ax.set_ylabel("Which relationship")
    ax.set_title("What the record shows, in date order: the events the article refers to")
    for side in ("right", "top"):
        ax.spines[side].set_visible(False)
    alt = timeline_alt_text()
    fig.alt_text = alt  # type: ignore[attr-defined]
    if hasattr(fig, "set_alt_text"):  # pragma: no cover - newer matplotlib
        fig.set_alt_text(alt)
    return fig


def timeline_alt_text() -> str:
    """A plain-words description of the timeline, for screen readers and for reading."""
    events = load_dossier()
    first, last = events[0], events[-1]
    parts = [
        f"A timeline of {len(events)} events from {first.when} to {last.when}, "
        "one row each, grouped by the article's relationships."
    ]
    for name in _LANES:
        lane = [e for e in events if e.relationship == name]
        if lane:
            items = "; ".join(f"{e.when}, {e.event}" for e in lane)
            parts.append(f"{name}: {items}.")
    parts.append("A dashed line marks 31 Jan 2019, the day of the tweets the article quotes.")
    return " ".join(parts)
