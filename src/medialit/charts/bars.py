"""Bar charts of a class's answers: the sentences a class disputed, and label counts.

Both fit a notebook (``NOTEBOOK_INCHES``); words on a bar are written only where they fit
inside it, and the legend or axis says the rest.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

import medialit.charts.text as tx
from medialit import agreement as ag
from medialit.charts.figure import (
    NOTEBOOK_INCHES,
    ChartFigure,
    finish,
    new_figure,
    set_title,
)
from medialit.charts.palette import DARK, HATCHES, NO_LABEL, label_colour
from medialit.charts.sources import label_table, unit_texts
from medialit.scheme import Scheme, default_scheme

SENTENCE = 3.0  # room for a disputed sentence's label, in inches
PANEL = 2.6  # one layer's label counts, in inches
PER_ROW = 3  # label-count panels side by side


# -- what a class disputed -------------------------------------------------------------------


def disputed_units(
    answers,
    layer: str = "role",
    *,
    top: int = 8,
    reference=None,
    save_to: str | Path | None = None,
) -> ChartFigure:
    """The sentences a class disagreed on most, with the share of students per label."""
    scheme = answers._scheme()
    table = answers.disputed(layer, top=top, reference=reference)
    texts = unit_texts(reference.article if reference is not None else answers.article)
    labels = (
        ["yes", "no"]
        if layer == ag.MULTI_LAYER
        else [*scheme.layer(layer).label_names, *([ag.NONE] if layer == ag.OPTIONAL_LAYER else [])]
    )

    def colour(label: str) -> str:
        return NO_LABEL if label == ag.NONE else label_colour(scheme, layer, label)

    fig = new_figure(NOTEBOOK_INCHES, 1.9 + 0.55 * max(len(table), 1))
    ax = fig.add_subplot()
    names, notes = [], []
    for row, item in enumerate(table.itertuples()):
        unit = item.unit.split(":")[0]
        name = tx.fit_after(f"{item.unit}  ", tx.plain(texts.get(unit, "")), SENTENCE, tx.TEXT)
        if reference is not None and layer != ag.MULTI_LAYER:
            entry = reference.entry(unit, layer)
            accepts = ", ".join(tx.words(x) for x in entry.accepted) or "does not apply"
            name += "\n" + tx.fit(f"expert accepts: {accepts}", SENTENCE, tx.TEXT)
        names.append(name)
        left = 0.0
        for k, label in enumerate(labels):
            count = item.spread.get(label, 0)
            if not count:
                continue
            share = count / item.answers
            ax.barh(
                row,
                share,
                left=left,
                height=0.7,
                color=colour(label),
                hatch=HATCHES[k % len(HATCHES)],
                edgecolor="white",
                linewidth=0.8,
            )
            note = ax.text(
                left + share / 2,
                row,
                f"{tx.words(label)}\n{count}",
                ha="center",
                va="center",
                fontsize=tx.SMALL,
                linespacing=1.1,
                color="white" if colour(label) in DARK else "black",
                bbox={"boxstyle": "round,pad=0.15", "facecolor": colour(label), "lw": 0},
            )
            notes.append((note, share))
            left += share
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels(names, fontsize=tx.TEXT)
    ax.set_ylim(max(len(names), 1) - 0.5, -0.5)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.tick_params(labelsize=tx.TEXT)
    ax.set_xlabel("Share of students who chose each label", fontsize=tx.TEXT)
    ax.set_ylabel("Most disputed sentences first", fontsize=tx.TEXT)
    set_title(fig, f"Where the class disagreed most: {scheme.layer(layer).title.lower()}")
    handles = [
        Patch(
            facecolor=colour(lab),
            hatch=HATCHES[k % len(HATCHES)],
            label=tx.words(lab),
            edgecolor="white",
        )
        for k, lab in enumerate(labels)
    ]
    fig.legend(
        handles=handles,
        loc="outside lower center",
        ncols=min(len(handles), 6),
        frameon=False,
        fontsize=tx.SMALL,
    )
    _keep_words_that_fit(fig, ax, notes)
    if len(table):
        first = table.iloc[0]
        spread = ", ".join(f"{k} {v}" for k, v in first.spread.items())
        alt = (
            f"Stacked bars for the {len(table)} sentences the class disagreed on most in "
            f"the {layer} layer, each split by the share of students per label. Most "
            f"disputed: {first.unit} ({spread})."
        )
    else:
        alt = f"No sentence in the {layer} layer was tagged by two or more students yet."
        ax.text(0.5, 0, "Not enough answers yet", ha="center", va="center", fontsize=tx.TEXT)
    return finish(fig, alt, save_to)


def _keep_words_that_fit(fig, ax, notes) -> None:
    """Hide the words on a bar segment too narrow for them (the legend names its colour)."""
    if not notes:
        return
    fig.get_layout_engine().execute(fig)  # the bars' final width in inches
    inches = ax.get_position().width * fig.get_figwidth()
    for note, share in notes:
        if tx.width(note.get_text(), tx.SMALL) + 0.12 > share * inches:
            note.set_visible(False)


# -- label counts --------------------------------------------------------------------------


def label_counts(
    source,
    *,
    layers: Sequence[str] | None = None,
    title: str | None = None,
    save_to: str | Path | None = None,
    scheme: Scheme | None = None,
) -> ChartFigure:
    """How often each label was used, one small bar chart per layer (three to a row).

    ``source``: a ClassAnswers, a Reference, an AnswerSheet, or a table with columns
    layer, label, count.
    """
    scheme = scheme or default_scheme()
    layers = list(layers or scheme.layer_names)
    counts = label_table(source, scheme, layers)
    across = min(len(layers), PER_ROW)
    down = math.ceil(len(layers) / PER_ROW)
    most = max(len(scheme.layer(la).label_names) for la in layers)
    width = max(PANEL * across + 0.3, 3.6)
    fig = new_figure(width, 0.6 + down * (1.0 + 0.32 * most))
    grid = fig.subplots(down, across, squeeze=False)
    for ax in grid.flat[len(layers) :]:
        fig.delaxes(ax)
    summary = []
    for ax, layer in zip(grid.flat, layers, strict=False):
        part = counts[counts["layer"] == layer]
        names = list(part["label"])
        values = [int(v) for v in part["count"]]
        ax.barh(
            range(len(names)),
            values,
            color=[label_colour(scheme, layer, n) for n in names],
            height=0.65,
        )
        for i, value in enumerate(values):
            ax.text(value, i, f" {value}", va="center", fontsize=tx.SMALL)
        ax.set_yticks(range(len(names)))
        ax.set_yticklabels([tx.words(n) for n in names], fontsize=tx.TEXT)
        ax.set_ylim(len(names) - 0.5, -0.5)
        ax.set_xlim(0, max(values, default=0) * 1.35 + 1)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        ax.tick_params(labelsize=tx.TEXT)
        ax.set_title(scheme.layer(layer).title, fontsize=tx.HEADING)
        ax.set_xlabel("Times chosen", fontsize=tx.TEXT)
        for spine in ("top", "right"):
            ax.spines[spine].set_visible(False)
        if values and max(values):
            best = names[values.index(max(values))]
            summary.append(f"{layer}: most often {tx.words(best)} ({max(values)})")
        else:
            summary.append(f"{layer}: no labels")
    for row in grid:
        row[0].set_ylabel("Label", fontsize=tx.TEXT)
    set_title(fig, title or "How often each label was used")
    alt = (
        "Bar charts, one per layer, of how many times each label was chosen. "
        + "; ".join(summary)
        + "."
    )
    return finish(fig, alt, save_to)
