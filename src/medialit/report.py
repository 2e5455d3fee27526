"""A class report: the agreement figures, what the class disputed, and the charts, in one page.

``class_report(folder, out)`` loads a class with ``medialit.classroom.load_class``, writes the
charts as PNG (and SVG) files beside the report, a ``summary.csv`` with the figures at full
precision and a ``students.csv`` with each file's agreement with the reference, and then the
report itself as ``index.html`` or ``report.md``. Files that could not be read are listed.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from medialit import agreement as ag
from medialit import charts
from medialit.classroom import ClassAnswers, load_class
from medialit.errors import MedialitError

FORMATS = ("html", "md")
REPORT_NAMES = {"html": "index.html", "md": "report.md"}


@dataclass
class ClassReport:
    """What ``class_report`` wrote."""

    path: Path
    files: list[Path]
    summary: pd.DataFrame
    answers: ClassAnswers
    notes: list[str] = field(default_factory=list)


# -- a tiny document model, rendered as Markdown or HTML -----------------------------------


def _pct(value: float, digits: int = 1) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value * 100:.{digits}f}%"


def _num(value: float, digits: int = 3) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value:.{digits}f}"


def _md_cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _render_md(blocks: list[tuple]) -> str:
    out = []
    for block in blocks:
        kind = block[0]
        if kind == "h1":
            out.append(f"# {block[1]}\n")
        elif kind == "h2":
            out.append(f"## {block[1]}\n")
        elif kind == "p":
            out.append(f"{block[1]}\n")
        elif kind == "ul":
            out.append("\n".join(f"- {_md_cell(item)}" for item in block[1]) + "\n")
        elif kind == "table":
            headers, rows = block[1], block[2]
            lines = [
                "| " + " | ".join(_md_cell(h) for h in headers) + " |",
                "|" + "---|" * len(headers),
            ]
            lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
            out.append("\n".join(lines) + "\n")
        elif kind == "img":
            _, src, alt, caption = block
            out.append(f"![{_md_cell(alt)}]({src})\n\n*{caption}*\n")
    return "\n".join(out)


def _render_html(blocks: list[tuple], title: str) -> str:
    e = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(title)}</title>",
        "<style>body{font-family:sans-serif;max-width:72em;margin:2em auto;padding:0 1em;"
        "line-height:1.45}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid "
        "#999;padding:.3em .6em;text-align:left;vertical-align:top}th{background:#eee}"
        "img{max-width:100%;border:1px solid #ddd}figcaption{font-style:italic}</style>",
        "</head><body>",
    ]
    for block in blocks:
        kind = block[0]
        if kind in ("h1", "h2", "p"):
            out.append(f"<{kind}>{e(block[1])}</{kind}>")
        elif kind == "ul":
            out.append("<ul>" + "".join(f"<li>{e(str(i))}</li>" for i in block[1]) + "</ul>")
        elif kind == "table":
            head = "".join(f"<th>{e(str(h))}</th>" for h in block[1])
            body = "".join(
                "<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in row) + "</tr>" for row in block[2]
            )
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        elif kind == "img":
            _, src, alt, caption = block
            out.append(
                f'<figure><img src="{e(src)}" alt="{e(alt)}">'
                f"<figcaption>{e(caption)}</figcaption></figure>"
            )
    out.append("</body></html>")
    return "\n".join(out) + "\n"


# -- the report ----------------------------------------------------------------------------


def _spread(spread: dict[str, int]) -> str:
    return ", ".join(f"{label} {count}" for label, count in spread.items())


def class_report(
    folder: str | Path,
    out: str | Path | None = None,
    *,
    exercise: str | None = None,
    fmt: str = "html",
    reference=None,
    reference_path: str | Path | None = None,
    top: int = 5,
    draw_charts: bool = True,
) -> ClassReport:
    """Write a class report for the answers under ``folder`` into ``out``; return what went where.

    ``out`` defaults to ``class-report`` in the current folder. The reference defaults to the
    kit's (``reference_path`` for an instructor's own copy); if it cannot be loaded the report
    is written without the comparison with the expert, and says so. ``draw_charts=False``
    leaves the charts out (the figures alone are quick even for a large class).
    """
    if fmt not in FORMATS:
        raise MedialitError(f"The report format {fmt!r} is unknown; use html or md.")
    answers = load_class(folder, exercise=exercise)
    out = Path(out) if out is not None else Path("class-report")
    if out.exists() and not out.is_dir():
        raise MedialitError(f"{out} is a file; give a folder for the report.")
    out.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []
    if reference is None:
        try:
            reference = ag.get_reference(
                None, answers.article, Path(reference_path) if reference_path else None
            )
        except MedialitError as exc:
            if reference_path:
                raise
            notes.append(f"No comparison with the expert reference: {exc}")
            reference = None

    summary = answers.summary(reference)
    written: list[Path] = []
    summary.to_csv(out / "summary.csv", index=False, lineterminator="\n")
    written.append(out / "summary.csv")
    if reference is not None and len(answers):
        per_student = answers.by_student(reference)
        per_student.to_csv(out / "students.csv", index=False, lineterminator="\n")
        written.append(out / "students.csv")

    name = Path(folder).resolve().name
    title = f"Class report: {name}" + (f", exercise {exercise}" if exercise else "")
    blocks: list[tuple] = [("h1", title)]
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    blocks.append(("p", f"Made by medialit on {stamp} from {Path(folder).resolve()}."))

    blocks.append(("h2", "What was read"))
    blocks.append(("p", answers.reading))
    if answers.skipped:
        blocks.append(
            (
                "p",
                "These files could not be read and were left out (nothing was "
                "changed on disk). Ask their owners to open the exercise again: "
                "medialit keeps a damaged file aside and starts a fresh one.",
            )
        )
        blocks.append(
            (
                "table",
                ["File", "Why it was skipped"],
                [[str(p), reason] for p, reason in answers.skipped],
            )
        )
    else:
        blocks.append(("p", "Every answers file could be read."))
    for note in notes:
        blocks.append(("p", note))

    if not len(answers):
        blocks.append(
            ("p", "There are no readable answers files, so there is nothing to compare yet.")
        )
        return _write(out, fmt, blocks, title, written, summary, answers, notes)

    blocks.append(("h2", "Agreement, layer by layer"))
    blocks.append(
        (
            "p",
            "Pairs agreeing: on average, the share of pairs of students who chose "
            "the same label for a sentence. Krippendorff's α corrects that for "
            "agreement by chance (1 = perfect, 0 = no better than chance). Labels "
            "accepted: how many of the class's labels are among those the expert "
            "accepts; untagged sentences are counted apart, not as wrong.",
        )
    )
    rows = []
    for r in summary.itertuples():
        accepted = (
            f"{r.ref_right} of {r.ref_choices} ({_pct(r.ref_share)})"
            if reference is not None and r.ref_choices
            else "n/a"
        )
        rows.append(
            [
                r.layer,
                r.students,
                r.decisions,
                _pct(r.percent),
                _num(r.alpha),
                r.alpha_reading,
                accepted,
                r.ref_untagged if reference is not None else "n/a",
            ]
        )
    blocks.append(
        (
            "table",
            [
                "Layer",
                "Students",
                "Decisions",
                "Pairs agreeing",
                "Krippendorff's α",
                "Reading",
                "Labels accepted by the expert",
                "Untagged (not counted)",
            ],
            rows,
        )
    )
    blocks.append(("ul", [f"{r.layer}: {r.reading}" for r in summary.itertuples()]))
    blocks.append(("p", "How each layer was counted:"))
    blocks.append(
        (
            "ul",
            [
                f"{layer}: {text}"
                for layer, text in ag.METHOD.items()
                if layer in set(summary["layer"])
            ],
        )
    )

    blocks.append(("h2", "How to read these numbers"))
    blocks.append(
        (
            "p",
            "The words (slight, fair, moderate, substantial, almost perfect) are "
            "the bands of Landis & Koch (1977): a rule of thumb, not a law. Trained "
            "annotators disagree on this kind of text too; compare the class with "
            "these published figures:",
        )
    )
    blocks.append(
        (
            "table",
            ["Measure", "Value", "Who and what", "Source"],
            [[a.measure, a.value, a.what, a.source] for a in ag.anchors()],
        )
    )

    blocks.append(("h2", "The sentences the class disputed most"))
    texts = charts._unit_texts(answers.article)
    for layer in ("role", "statement"):
        table = answers.disputed(layer, top=top, reference=reference)
        if not len(table):
            continue
        blocks.append(
            (
                "p",
                f"{layer.capitalize()} (disagreement = share of pairs of "
                "students who chose different labels):",
            )
        )
        disputed_rows = []
        for r in table.itertuples():
            accepts = (
                "n/a" if reference is None else ", ".join(reference.entry(r.unit, layer).accepted)
            )
            disputed_rows.append(
                [
                    r.unit,
                    charts._short(texts.get(r.unit, ""), 60),
                    r.answers,
                    _pct(r.disagreement, 0),
                    _spread(r.spread),
                    accepts,
                ]
            )
        blocks.append(
            (
                "table",
                ["Sentence", "Text", "Answers", "Disagreement", "Labels chosen", "Expert accepts"],
                disputed_rows,
            )
        )

    blocks.append(("h2", "Charts"))
    if not draw_charts:
        blocks.append(("p", "Charts were not drawn this time (--no-charts)."))
        return _write(out, fmt, blocks, title, written, summary, answers, notes)
    chart_specs = [
        ("label-counts", charts.label_counts(answers), "How often the class used each label."),
        (
            "disputed-role",
            charts.disputed_units(answers, "role", top=8, reference=reference),
            "The sentences the class split on most (role).",
        ),
        (
            "disputed-statement",
            charts.disputed_units(answers, "statement", top=8, reference=reference),
            "The sentences the class split on most (statement).",
        ),
    ]
    if reference is not None:
        chart_specs.append(
            (
                "rhetoric-map",
                charts.rhetoric_map(reference),
                "The expert's map of the argument, to compare with.",
            )
        )
    for stem, fig, caption in chart_specs:
        written += charts.save(fig, out / stem)
        blocks.append(("img", f"{stem}.png", charts.alt_text(fig), caption))
    blocks.append(
        (
            "p",
            "The figures at full precision are in summary.csv"
            + (
                ", and each student's agreement with the expert in students.csv."
                if reference is not None
                else "."
            ),
        )
    )
    return _write(out, fmt, blocks, title, written, summary, answers, notes)


def _write(out, fmt, blocks, title, written, summary, answers, notes) -> ClassReport:
    text = _render_md(blocks) if fmt == "md" else _render_html(blocks, title)
    path = out / REPORT_NAMES[fmt]
    path.write_text(text, encoding="utf-8")
    return ClassReport(path, [*written, path], summary, answers, notes)
