"""Charts of the article's rhetoric, a student's tags and a class's answers (matplotlib).

Every function returns a ``ChartFigure`` (a matplotlib ``Figure``) that shows itself in a
notebook with its alt text, and writes ``<name>.png`` and ``<name>.svg`` when given
``save_to``. The colours are the Okabe–Ito palette, which people with the common kinds of
colour blindness can tell apart, and colour is never the only cue: every coloured cell or
bar also carries its label in words, and stacked bars are hatched.

The figures are built without pyplot, so nothing opens a window and nothing piles up in
memory; they render with the Agg backend on a headless machine.
"""

from __future__ import annotations

import base64
import html
import io
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from medialit import agreement as ag
from medialit.scheme import Scheme, default_scheme

#: Okabe & Ito (2008) colour-blind-safe palette, without black.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
HATCHES = ("", "//", "..", "xx", "\\\\", "++", "oo", "--")
RIGHT, WRONG, EMPTY, NOT_APPLICABLE = "#009E73", "#D55E00", "#FFFFFF", "#DDDDDD"
DARK = ("#0072B2", "#D55E00")
YES_NO = {"yes": "#0072B2", "no": "#E69F00"}
SHORT = {
    "loaded_language": "loaded language",
    "vague_source": "vague source",
    "common_ground": "common ground",
}


class ChartFigure(Figure):
    """A matplotlib Figure with alt text, shown in notebooks as an image with that alt text."""

    alt_text: str = ""

    def _repr_html_(self) -> str:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", dpi=100)
        data = base64.b64encode(buffer.getvalue()).decode("ascii")
        alt = html.escape(self.alt_text, quote=True)
        return f'<img src="data:image/png;base64,{data}" alt="{alt}" style="max-width:100%">'


def alt_text(fig: Figure) -> str:
    """The figure's alt text: a few sentences saying what the chart shows."""
    return getattr(fig, "alt_text", "") or ""


def title_of(fig: Figure) -> str:
    """The figure's title (its suptitle)."""
    suptitle = getattr(fig, "_suptitle", None)
    return suptitle.get_text() if suptitle is not None else ""


def save(fig: Figure, save_to: str | Path) -> list[Path]:
    """Write ``<save_to>.png`` and ``<save_to>.svg`` (any suffix is replaced); return both."""
    stem = Path(save_to)
    if stem.suffix.lower() in (".png", ".svg"):
        stem = stem.with_suffix("")
    stem.parent.mkdir(parents=True, exist_ok=True)
    meta = {"Title": title_of(fig), "Description": alt_text(fig)}
    written = []
    for fmt in ("png", "svg"):
        target = stem.with_name(f"{stem.name}.{fmt}")
        fig.savefig(target, format=fmt, dpi=150, metadata=meta)
        written.append(target)
    return written


def _new(width: float, height: float) -> ChartFigure:
    return ChartFigure(figsize=(width, height), layout="constrained")


def _finish(fig: ChartFigure, alt: str, save_to: str | Path | None) -> ChartFigure:
    fig.alt_text = alt
    if hasattr(fig, "set_alt_text"):  # pragma: no cover - newer matplotlib
        fig.set_alt_text(alt)
    if save_to is not None:
        save(fig, save_to)
    return fig


def _plain(text: str) -> str:
    """Text safe for matplotlib (a '$' would start mathematics)."""
    return text.replace("$", r"\$")


def _words(label: str) -> str:
    return SHORT.get(label, label.replace("_", " "))


def label_colour(scheme: Scheme, layer: str, label: str) -> str:
    """The colour of a label: the same in every chart."""
    names = scheme.layer(layer).label_names
    if label in names:
        return OKABE_ITO[names.index(label) % len(OKABE_ITO)]
    return YES_NO.get(label, "#999999")


def _unit_texts(article: str) -> dict[str, str]:
    from medialit.article import load_article

    return {u.id: u.text for u in load_article(article).units}


def _short(text: str, n: int = 42) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _source_tags(source) -> tuple[dict, dict[str, list[str]], str, str]:
    """(tags, cue words per unit, article, who) from a Reference, AnswerSheet or mapping."""
    if hasattr(source, "entries") and hasattr(source, "entry"):
        tags: dict[str, dict[str, list[str]]] = {}
        cues: dict[str, list[str]] = {}
        for e in source.entries():
            if e.label:
                tags.setdefault(e.unit, {})[e.layer] = list(e.label)
            for label in e.label:  # only the words behind the expert's own choice
                cues.setdefault(e.unit, []).extend(e.cues.get(label, ()))
        return tags, cues, source.article, "the expert reference"
    if hasattr(source, "tags") and hasattr(source, "cues"):
        cues = {u: [w for ws in by.values() for w in ws] for u, by in source.cues.items()}
        return source.tags, cues, source.article, f"{source.student}'s tags"
    return dict(source), {}, "seed", "these tags"


def _grid(
    ax,
    layers: Sequence[str],
    units: Sequence[str],
    scheme: Scheme,
    texts,
    widths: Mapping[str, float],
) -> list:
    """Set up a units × layers grid; return the left x position of each column."""
    lefts, x = [], 0.0
    for layer in layers:
        lefts.append(x)
        x += widths[layer]
    ax.set_xlim(0, x)
    ax.set_ylim(len(units), 0)
    ax.set_xticks([left + widths[la] / 2 for left, la in zip(lefts, layers, strict=True)])
    ax.set_xticklabels([scheme.layer(la).title for la in layers], fontsize=10)
    ax.xaxis.tick_top()
    ax.xaxis.set_label_position("top")
    ax.set_yticks([i + 0.5 for i in range(len(units))])
    ax.set_yticklabels([f"{u}  {_plain(_short(texts.get(u, '')))}" for u in units], fontsize=8)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    previous = None
    for i, unit in enumerate(units):  # a line between paragraphs
        paragraph = unit.split(".")[0]
        if previous is not None and paragraph != previous:
            ax.axhline(i, color="#555555", linewidth=0.8)
        previous = paragraph
    return lefts


def _cell(ax, x, y, width, colours, text, hatch="", text_colour="black") -> None:
    colours = colours or [EMPTY]
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
                hatch=hatch or None,
            )
        )
    ax.text(
        x + width / 2,
        y + 0.5,
        _plain(text),
        ha="center",
        va="center",
        fontsize=8 if len(colours) < 3 else 7,
        color=text_colour,
    )


# -- 1. the rhetoric map --------------------------------------------------------------------


def rhetoric_map(
    source=None,
    *,
    layers: Sequence[str] | None = None,
    title: str | None = None,
    save_to: str | Path | None = None,
    scheme: Scheme | None = None,
) -> ChartFigure:
    """The article's sentences in reading order against the layers, with device counts.

    ``source``: a Reference (default: the kit's expert reference), a student's AnswerSheet,
    or a mapping ``{unit: {layer: [labels]}}`` (seed article).
    """
    scheme = scheme or default_scheme()
    source = ag.get_reference() if source is None else source
    tags, cues, article, who = _source_tags(source)
    layers = list(layers or scheme.layer_names)
    texts = _unit_texts(article)
    units = list(texts)
    fig = _new(14, 1.6 + 0.36 * len(units))
    grid = fig.add_gridspec(1, 2, width_ratios=[5, 1.6])
    ax = fig.add_subplot(grid[0, 0])
    widths = {layer: 2.4 if layer == ag.MULTI_LAYER else 1.0 for layer in layers}
    lefts = _grid(ax, layers, units, scheme, texts, widths)
    for row, unit in enumerate(units):
        for left, layer in zip(lefts, layers, strict=True):
            labels = tags.get(unit, {}).get(layer, [])
            width = widths[layer]
            if labels:
                colours = [label_colour(scheme, layer, lab) for lab in labels]
                _cell(ax, left, row, width, colours, " + ".join(_words(x) for x in labels))
            else:
                _cell(ax, left, row, width, [], "–", text_colour="#777777")
    ax.set_xlabel("What each sentence does, layer by layer (– = no label)", fontsize=10)
    ax.set_ylabel("Sentences in reading order (P = paragraph, S = sentence)", fontsize=10)

    bars = fig.add_subplot(grid[0, 1], sharey=ax)
    counts = [len(tags.get(u, {}).get("devices", [])) for u in units]
    bars.barh(
        [i + 0.5 for i in range(len(units))], counts, height=0.6, color=OKABE_ITO[5], alpha=0.8
    )
    for i, unit in enumerate(units):
        words = ", ".join(dict.fromkeys(cues.get(unit, [])))
        if words:
            bars.text(counts[i] + 0.1, i + 0.5, _plain(_short(words, 28)), va="center", fontsize=7)
    top = max(counts, default=0)
    bars.set_xlim(0, max(top, 1) * 2.6 + 0.5)
    bars.set_xticks(range(0, max(top, 1) + 1))
    bars.tick_params(labelleft=False, length=0)
    bars.set_xlabel("Number of word-choice labels (devices)", fontsize=9)
    bars.set_title("Loaded words and other devices,\nwith the words that carry them", fontsize=9)
    for spine in ("top", "right"):
        bars.spines[spine].set_visible(False)
    fig.suptitle(_plain(title or f"The shape of the argument: {who}"), fontsize=13)

    role_counts = Counter(tags.get(u, {}).get("role", [None])[0] for u in units)
    evidence = [u for u in units if "evidence" in tags.get(u, {}).get("role", [])]
    busiest = sorted(units, key=lambda u: -counts[units.index(u)])[:3]
    busiest = [f"{u} ({counts[units.index(u)]})" for u in busiest if counts[units.index(u)]]
    roles = ", ".join(f"{n} {r}" for r, n in role_counts.most_common() if r)
    alt = (
        f"A grid of the article's {len(units)} sentences in reading order (rows) against "
        f"the layers {', '.join(layers)} (columns), showing {who}. Roles: {roles or 'none'}. "
        f"Sentences offering evidence: {', '.join(evidence) or 'none'}. A bar chart beside "
        "it counts the device labels per sentence; the most: "
        f"{', '.join(busiest) or 'no devices tagged'}."
    )
    return _finish(fig, alt, save_to)


# -- 2. a student's tags against the reference ----------------------------------------------


def _judge(entry, labels: list[str], done: bool) -> tuple[str, str, bool | None]:
    """(cell text, colour, right?) for one student cell; right is None when not counted."""
    layer = entry.layer
    if not entry.applicable:
        if labels:
            return f"✗ {_words(labels[0])} (no evidence here)", WRONG, False
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
        marks.append(f"{'✓' if good else '✗'} {_words(label)}")
    text = ", ".join(marks)
    if not ok:
        expert = " + ".join(_words(x) for x in entry.label) or "none"
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
    texts = _unit_texts(reference.article)
    units = ag.units_of(reference)
    fig = _new(14, 2.2 + 0.36 * len(units))
    ax = fig.add_subplot()
    widths = {layer: 2.4 if layer == ag.MULTI_LAYER else 1.6 for layer in layers}
    lefts = _grid(ax, layers, units, scheme, texts, widths)
    totals = {layer: [0, 0, 0] for layer in layers}  # right, counted, untagged
    for left, layer in zip(lefts, layers, strict=True):
        done = any(sheet.tags.get(u, {}).get(layer) for u in sheet.tags)
        for row, unit in enumerate(units):
            entry = reference.entry(unit, layer)
            text, colour, ok = _judge(entry, sheet.get_tags(unit, layer), done)
            hatch = "//" if ok is False else ""
            grey = "#777777" if ok is None else "black"
            _cell(ax, left, row, widths[layer], [colour], text, hatch=hatch, text_colour=grey)
            if ok is not None:
                totals[layer][0] += int(ok)
                totals[layer][1] += 1
            elif text.startswith("–"):
                totals[layer][2] += 1
    ax.set_ylabel("Sentences in reading order (P = paragraph, S = sentence)", fontsize=10)
    ax.set_xlabel(
        "✓ = a label the expert accepts   ✗ (hatched) = not accepted, expert's label after "
        "the arrow   – = not tagged yet   grey = the layer does not apply",
        fontsize=9,
    )
    fig.suptitle(_plain(f"{sheet.student}'s tags next to the expert's"), fontsize=13)
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
    return _finish(fig, alt, save_to)


# -- 3. what a class disputed --------------------------------------------------------------


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
    texts = _unit_texts(reference.article if reference is not None else answers.article)
    labels = (
        ["yes", "no"]
        if layer == ag.MULTI_LAYER
        else [*scheme.layer(layer).label_names, *([ag.NONE] if layer == ag.OPTIONAL_LAYER else [])]
    )
    fig = _new(12, 1.8 + 0.55 * max(len(table), 1))
    ax = fig.add_subplot()
    names = []
    for row, item in enumerate(table.itertuples()):
        unit = item.unit.split(":")[0]
        name = f"{item.unit}  {_short(texts.get(unit, ''), 34)}"
        if reference is not None and layer != ag.MULTI_LAYER:
            entry = reference.entry(unit, layer)
            name += "\nexpert accepts: " + (
                ", ".join(_words(x) for x in entry.accepted) or "does not apply"
            )
        names.append(_plain(name))
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
                color=label_colour(scheme, layer, label) if label != ag.NONE else "#BBBBBB",
                hatch=HATCHES[k % len(HATCHES)],
                edgecolor="white",
                linewidth=0.8,
            )
            if share >= 0.1:
                dark = label_colour(scheme, layer, label) in DARK
                ax.text(
                    left + share / 2,
                    row,
                    f"{_words(label)}\n{count}",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if dark else "black",
                )
            left += share
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels(names, fontsize=8)
    ax.set_ylim(len(names) - 0.5, -0.5)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.set_xlabel("Share of students who chose each label", fontsize=10)
    ax.set_ylabel("Most disputed sentences first", fontsize=10)
    title = scheme.layer(layer).title
    fig.suptitle(f"Where the class disagreed most: {title.lower()}", fontsize=13)
    handles = [
        Patch(
            facecolor=label_colour(scheme, layer, lab) if lab != ag.NONE else "#BBBBBB",
            hatch=HATCHES[k % len(HATCHES)],
            label=_words(lab),
            edgecolor="white",
        )
        for k, lab in enumerate(labels)
    ]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12),
        ncols=min(len(handles), 6),
        frameon=False,
        fontsize=8,
    )
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
        ax.text(0.5, 0, "Not enough answers yet", ha="center", va="center")
    return _finish(fig, alt, save_to)


# -- 4. label counts -----------------------------------------------------------------------


def _counts(source, scheme: Scheme, layers: Sequence[str]) -> pd.DataFrame:
    if isinstance(source, pd.DataFrame) and {"layer", "label", "count"} <= set(source):
        return source
    if hasattr(source, "label_counts"):
        return source.label_counts(list(layers))
    tags, _, _, _ = _source_tags(source)
    counter = Counter(
        (layer, lab) for by in tags.values() for layer, labs in by.items() for lab in labs
    )
    return pd.DataFrame(
        [
            {"layer": la, "label": lab, "count": counter.get((la, lab), 0)}
            for la in layers
            for lab in scheme.layer(la).label_names
        ],
        columns=["layer", "label", "count"],
    )


def label_counts(
    source,
    *,
    layers: Sequence[str] | None = None,
    title: str | None = None,
    save_to: str | Path | None = None,
    scheme: Scheme | None = None,
) -> ChartFigure:
    """How often each label was used, one small bar chart per layer.

    ``source``: a ClassAnswers, a Reference, an AnswerSheet, or a table with columns
    layer, label, count.
    """
    scheme = scheme or default_scheme()
    layers = list(layers or scheme.layer_names)
    counts = _counts(source, scheme, layers)
    fig = _new(3.0 * len(layers) + 1, 3.6)
    axes = fig.subplots(1, len(layers), squeeze=False)[0]
    summary = []
    for ax, layer in zip(axes, layers, strict=True):
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
            ax.text(value, i, f" {value}", va="center", fontsize=8)
        ax.set_yticks(range(len(names)))
        ax.set_yticklabels([_words(n) for n in names], fontsize=8)
        ax.set_ylim(len(names) - 0.5, -0.5)
        ax.set_xlim(0, max(values, default=0) * 1.3 + 1)
        ax.set_title(scheme.layer(layer).title, fontsize=10)
        ax.set_xlabel("Times chosen", fontsize=9)
        for spine in ("top", "right"):
            ax.spines[spine].set_visible(False)
        if values and max(values):
            best = names[values.index(max(values))]
            summary.append(f"{layer}: most often {_words(best)} ({max(values)})")
        else:
            summary.append(f"{layer}: no labels")
    axes[0].set_ylabel("Label", fontsize=9)
    fig.suptitle(_plain(title or "How often each label was used"), fontsize=13)
    alt = (
        "Bar charts, one per layer, of how many times each label was chosen. "
        + "; ".join(summary)
        + "."
    )
    return _finish(fig, alt, save_to)
