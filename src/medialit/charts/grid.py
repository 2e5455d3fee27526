"""Sentence-by-layer grids: the rhetoric map and a student's tags against the expert's.

Each row is a sentence of the article in reading order, each column a layer of the scheme,
and each cell carries its label in words as well as in colour. A grid is as wide as its
words need: one or two layers fit a notebook (``NOTEBOOK_INCHES``); every column is sized to
its widest cell, with longer cells wrapped onto more lines, so no word leaves its cell.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from matplotlib.patches import Rectangle

import medialit.charts.text as tx
from medialit import agreement as ag
from medialit.charts.figure import (
    NOTEBOOK_INCHES,
    ChartFigure,
    finish,
    new_figure,
    set_title,
)
from medialit.charts.palette import (
    EMPTY,
    MUTED,
    NOT_APPLICABLE,
    OKABE_ITO,
    RIGHT,
    WRONG,
    label_colour,
)
from medialit.charts.sources import source_tags, unit_texts
from medialit.scheme import Scheme, default_scheme

CELL_PAD = 0.1  # inches of empty room on each side of a cell's words
ROW = 0.3  # the least height of a row, in inches
SENTENCES = (2.0, 4.4)  # the least and most room for the sentences on the left, in inches
WIDE_SENTENCES = 3.4  # their room in a grid too wide for a notebook anyway, in inches
MARGIN = 0.45  # the y axis label and the figure's edges, in inches
PANEL = 2.4  # the device counts beside the map, in inches
KEY = [
    "✓ = a label the expert accepts",
    "✗ (hatched) = not accepted, the expert's label after the arrow",
    "– = not tagged yet",
    "grey = the layer does not apply",
]
PANEL_BARS = 0.3  # the bars' share of that panel (the rest is for the words)


@dataclass
class Cell:
    """One cell: its words, its colour(s) and how it is drawn."""

    words: str
    colours: list[str]
    hatch: str = ""
    ink: str = "black"


def _column(cells: list[Cell], title: str, narrowest: float, widest: float) -> float:
    """A column's width in inches: its widest cell or title, within [narrowest, widest]."""
    need = max([tx.width(c.words, tx.SMALL) for c in cells] + [tx.width(title, tx.TEXT)])
    return min(max(need + 2 * CELL_PAD, narrowest), widest)


def _plan(units, texts, columns: dict[str, float], beside: float, header: float, cells):
    """(figure width, figure height, sentence labels, wrapped cells) for a grid."""
    grid = sum(columns.values())
    room = min(NOTEBOOK_INCHES - MARGIN - grid - beside, SENTENCES[1])
    if room < SENTENCES[0]:
        room = WIDE_SENTENCES
    labels = [_sentence(u, texts.get(u, ""), room) for u in units]
    wrapped = {
        layer: [
            Cell(tx.wrap(c.words, width - 2 * CELL_PAD, tx.SMALL), c.colours, c.hatch, c.ink)
            for c in cells[layer]
        ]
        for layer, width in columns.items()
    }
    lines = max(c.words.count("\n") + 1 for column in wrapped.values() for c in column)
    row = max(ROW, tx.height(lines, tx.SMALL) + 0.08)
    used = max(tx.width(label, tx.TEXT) for label in labels)
    return MARGIN + used + grid + beside, header + row * len(units), labels, wrapped


def _sentence(unit: str, text: str, room: float) -> str:
    """A row's label: the unit's id and as much of its sentence as fits in ``room`` inches."""
    return tx.fit_after(f"{unit}  ", tx.plain(text), room, tx.TEXT)


def _draw(ax, layers: Sequence[str], units, labels, columns, cells, scheme: Scheme) -> None:
    """Draw the grid: x in inches (one unit = one inch of column), one row per unit."""
    lefts, x = [], 0.0
    for layer in layers:
        lefts.append(x)
        x += columns[layer]
    ax.set_xlim(0, x)
    ax.set_ylim(len(units), 0)
    ax.set_xticks([left + columns[la] / 2 for left, la in zip(lefts, layers, strict=True)])
    ax.set_xticklabels([scheme.layer(la).title for la in layers], fontsize=tx.TEXT)
    ax.xaxis.tick_top()
    ax.xaxis.set_label_position("top")
    ax.set_yticks([i + 0.5 for i in range(len(units))])
    ax.set_yticklabels(labels, fontsize=tx.TEXT)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    previous = None
    for i, unit in enumerate(units):  # a line between paragraphs
        paragraph = unit.split(".")[0]
        if previous is not None and paragraph != previous:
            ax.axhline(i, color="#555555", linewidth=0.8)
        previous = paragraph
    for row in range(len(units)):  # row by row, so texts[0] is the first sentence's first layer
        for left, layer in zip(lefts, layers, strict=True):
            _cell(ax, left, row, columns[layer], cells[layer][row])


def _cell(ax, x: float, y: int, width: float, cell: Cell) -> None:
    colours = cell.colours or [EMPTY]
    part = width / len(colours)
    for k, colour in enumerate(colours):
        ax.add_patch(
            Rectangle(
                (x + k * part, y),
                part,
                1,
                facecolor=colour,
                alpha=0.55,
                edgecolor="white",
                linewidth=1.5,
                hatch=cell.hatch or None,
            )
        )
    ax.text(
        x + width / 2,
        y + 0.5,
        cell.words,
        ha="center",
        va="center",
        fontsize=tx.SMALL,
        color=cell.ink,
        linespacing=1.1,
    )


# -- the rhetoric map -----------------------------------------------------------------------


def rhetoric_map(
    source=None,
    *,
    layers: Sequence[str] | None = None,
    title: str | None = None,
    save_to: str | Path | None = None,
    scheme: Scheme | None = None,
) -> ChartFigure:
    """The article's sentences in reading order against the layers; with the devices layer,
    a bar chart beside it counts each sentence's devices and shows the words behind them.

    ``source``: a Reference (default: the kit's expert reference), a student's AnswerSheet,
    or a mapping ``{unit: {layer: [labels]}}`` (seed article). ``layers``: the columns to
    show (default: all); only those are drawn.
    """
    scheme = scheme or default_scheme()
    source = ag.get_reference() if source is None else source
    tags, cues, article, who = source_tags(source)
    layers = list(layers or scheme.layer_names)
    texts = unit_texts(article)
    units = list(texts)
    cells = {
        layer: [_map_cell(scheme, layer, tags.get(u, {}).get(layer, [])) for u in units]
        for layer in layers
    }
    columns = {
        layer: _column(cells[layer], scheme.layer(layer).title, 1.1, 2.6) for layer in layers
    }
    devices = ag.MULTI_LAYER in layers  # the device counts only beside the devices column
    beside = PANEL + 0.1 if devices else 0.0
    width, height, labels, cells = _plan(units, texts, columns, beside, 1.2, cells)
    fig = new_figure(width, height)
    if devices:
        grid = fig.add_gridspec(1, 2, width_ratios=[sum(columns.values()), PANEL])
        ax = fig.add_subplot(grid[0, 0])
    else:
        ax = fig.add_subplot()
    _draw(ax, layers, units, labels, columns, cells, scheme)
    key = "What each sentence does" + (", layer by layer" if len(layers) > 1 else "")
    fig.supxlabel(tx.wrap(f"{key} (– = no label)", width - 0.4, tx.TEXT), fontsize=tx.TEXT)
    ax.set_ylabel("Sentences in reading order (P = paragraph, S = sentence)", fontsize=tx.TEXT)
    counts = [len(tags.get(u, {}).get(ag.MULTI_LAYER, [])) for u in units]
    if devices:
        _device_panel(fig.add_subplot(grid[0, 1], sharey=ax), units, counts, cues)
    set_title(fig, title or f"The shape of the argument: {who}")

    roles = Counter(tags.get(u, {}).get("role", [None])[0] for u in units)
    roles_said = ", ".join(f"{n} {r}" for r, n in roles.most_common() if r)
    evidence = [u for u in units if "evidence" in tags.get(u, {}).get("role", [])]
    alt = (
        f"A grid of the article's {len(units)} sentences in reading order (rows) against "
        f"the layers {', '.join(layers)} (columns), showing {who}."
    )
    if "role" in layers:
        alt += (
            f" Roles: {roles_said or 'none'}. "
            f"Sentences offering evidence: {', '.join(evidence) or 'none'}."
        )
    if devices:
        busiest = sorted(range(len(units)), key=lambda i: -counts[i])[:3]
        most = [f"{units[i]} ({counts[i]})" for i in busiest if counts[i]]
        alt += (
            " A bar chart beside it counts the device labels per sentence; the most: "
            f"{', '.join(most) or 'no devices tagged'}."
        )
    return finish(fig, alt, save_to)


def _map_cell(scheme: Scheme, layer: str, labels: list[str]) -> Cell:
    if not labels:
        return Cell("–", [], ink=MUTED)
    words = " + ".join(tx.words(x) for x in labels)
    return Cell(tx.plain(words), [label_colour(scheme, layer, lab) for lab in labels])


def _device_panel(bars, units: list[str], counts: list[int], cues) -> None:
    """Device labels per sentence as bars, each followed by the words that carry them."""
    rows = [i + 0.5 for i in range(len(units))]
    bars.barh(rows, counts, height=0.6, color=OKABE_ITO[5], alpha=0.8)
    top = max(max(counts, default=0), 1)
    xmax = top / PANEL_BARS
    bars.set_xlim(0, xmax)
    for i, unit in enumerate(units):
        words = ", ".join(dict.fromkeys(cues.get(unit, [])))
        if words:
            start = counts[i] + 0.04 * xmax
            room = PANEL * (1 - start / xmax) - 0.1
            text = tx.fit(tx.plain(words), room, tx.SMALL)
            bars.text(start, rows[i], text, va="center", fontsize=tx.SMALL)
    bars.set_xticks(range(0, top + 1))
    bars.tick_params(labelleft=False, length=0, labelsize=tx.TEXT)
    bars.set_xlabel(tx.wrap("Devices per sentence", PANEL, tx.TEXT), fontsize=tx.TEXT)
    bars.set_title(tx.wrap("The words behind the devices", PANEL, tx.TEXT), fontsize=tx.TEXT)
    for spine in ("top", "right"):
        bars.spines[spine].set_visible(False)


# -- a student's tags against the reference -------------------------------------------------


def _judge(entry, labels: list[str], done: bool) -> tuple[str, str, bool | None]:
    """(cell text, colour, right?) for one student cell; right is None when not counted."""
    layer = entry.layer
    if not entry.applicable:
        if labels:
            return f"✗ {tx.words(labels[0])} (no evidence here)", WRONG, False
        return "does not apply", NOT_APPLICABLE, None
    if not labels:
        if layer in (ag.MULTI_LAYER, ag.OPTIONAL_LAYER) and done:
            labels = [ag.NONE]
        else:
            return "– not tagged", EMPTY, None
    marks, ok = [], True
    for label in labels:
        good = label in entry.accepted
        ok = ok and good
        marks.append(f"{'✓' if good else '✗'} {tx.words(label)}")
    text = ", ".join(marks)
    if not ok:
        expert = " + ".join(tx.words(x) for x in entry.label) or "none"
        text += f" → {expert}"
    return text, RIGHT if ok else WRONG, ok


def student_vs_reference(
    sheet,
    reference=None,
    *,
    layers: Sequence[str] | None = None,
    save_to: str | Path | None = None,
    scheme: Scheme | None = None,
) -> ChartFigure:
    """A student's tags unit by unit, marked ✓ (accepted by the expert) or ✗ (not)."""
    scheme = scheme or default_scheme()
    reference = ag.get_reference(reference, sheet.article)
    layers = list(layers or scheme.layer_names)
    texts = unit_texts(reference.article)
    units = ag.units_of(reference)
    totals = {layer: [0, 0, 0] for layer in layers}  # right, counted, untagged
    cells: dict[str, list[Cell]] = {}
    for layer in layers:
        done = any(sheet.tags.get(u, {}).get(layer) for u in sheet.tags)
        cells[layer] = []
        for unit in units:
            entry = reference.entry(unit, layer)
            labels = sheet.get_tags(unit, layer)
            role = sheet.get_tags(unit, "role")
            if layer == "evidence" and role and "evidence" not in role and not labels:
                # the student's role closed this layer for them: say so, not "not tagged"
                text, colour, ok = (
                    f"does not apply (your role: {tx.words(role[0])})",
                    NOT_APPLICABLE,
                    None,
                )
            else:
                text, colour, ok = _judge(entry, labels, done)
            hatch = "//" if ok is False else ""
            ink = MUTED if ok is None else "black"
            cells[layer].append(Cell(tx.plain(text), [colour], hatch, ink))
            if ok is not None:
                totals[layer][0] += int(ok)
                totals[layer][1] += 1
            elif text.startswith("–"):
                totals[layer][2] += 1
    widest = 3.0 if len(layers) == 1 else 2.4
    columns = {
        layer: _column(cells[layer], scheme.layer(layer).title, 1.5, widest) for layer in layers
    }
    width, _, _, _ = _plan(units, texts, columns, 0.0, 0.0, cells)
    key = tx.wrap_items(KEY, width - 0.4, tx.TEXT)
    header = 1.0 + tx.height(key.count("\n") + 1, tx.TEXT)
    width, height, labels, cells = _plan(units, texts, columns, 0.0, header, cells)
    fig = new_figure(width, height)
    ax = fig.add_subplot()
    _draw(ax, layers, units, labels, columns, cells, scheme)
    ax.set_ylabel("Sentences in reading order (P = paragraph, S = sentence)", fontsize=tx.TEXT)
    fig.supxlabel(key, fontsize=tx.TEXT)
    set_title(fig, f"{sheet.student}'s tags next to the expert's")
    parts = [
        f"{layer} {r} of {n} accepted" + (f", {u} not tagged" if u else "")
        for layer, (r, n, u) in totals.items()
    ]
    alt = (
        f"A grid comparing {sheet.student}'s tags with the expert reference for each of the "
        f"{len(units)} sentences (rows) and the layers {', '.join(layers)} (columns). "
        + "; ".join(parts)
        + "."
    )
    return finish(fig, alt, save_to)
