"""The tagger and what the student's tags show: charts, agreement with the expert and the class.

The heavy parts (the tagger, charts, agreement statistics) live in their own modules of the
kit and are imported when a cell first needs them (``kit_module``), so a lesson that only
reads and writes starts fast.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from IPython.display import HTML

from medialit.answers import answers_path, read_answers
from medialit.errors import MedialitError
from medialit.lessons.bank import question_item
from medialit.lessons.markup import STYLE, esc, kit_module, say, show, show_figure, table_html


def tag(
    exercise: str,
    layers: Sequence[str],
    units: Sequence[str] | None = None,
    article: str = "seed",
) -> Any:
    """The claim tagger (``medialit.tagger.tag``), saving into ``answers/<exercise>.json``.

    The tagger saves through the same AnswerFile as this lesson's other widgets
    (``medialit.answers.live_answers``), so tags, written answers and verdicts share one
    sheet and never overwrite each other.
    """
    tagger = kit_module("tagger")
    return tagger.tag(exercise, layers=list(layers), units=units, article=article)


def _sheet_or_message(exercise: str) -> Any:
    """The student's saved sheet for an exercise, or None after saying what to do."""
    path = answers_path(exercise)
    if not path.exists():
        lesson = exercise.removeprefix("lesson")
        todo = (
            "Tag the sentences in the tagger above first"
            if kit_module("tagger").live_tagger(path) is not None
            else f"Do the tagging in lesson {lesson} first"
        )
        say(
            f"There are no saved answers for lesson {lesson} yet ({path}). {todo}, then run "
            "this cell again."
        )
        return None
    return read_answers(path)


def my_chart(kind: str, exercise: str, layer: str = "role", article: str = "seed") -> None:
    """A chart of the student's saved tags: "map" (reading order), "counts", or "compare"
    (each tag marked as accepted by the expert or not)."""
    charts = kit_module("charts")
    sheet = _sheet_or_message(exercise)
    if sheet is None:
        return
    if sheet.article != article:
        raise MedialitError(
            f"answers/{exercise}.json holds tags of the {sheet.article!r} article, not "
            f"{article!r}; run this cell with article={sheet.article!r}."
        )
    if not any(layer in by_layer for by_layer in sheet.tags.values()):
        say(f"You have not tagged the {layer} layer yet: tag a few sentences first.")
        return
    if kind == "map":
        fig = charts.rhetoric_map(sheet, layers=[layer])
    elif kind == "counts":
        fig = charts.label_counts(sheet, layers=[layer])
    elif kind == "compare":
        fig = charts.student_vs_reference(sheet, layers=[layer])
    else:
        raise MedialitError(f"Unknown chart {kind!r}; use 'map', 'counts' or 'compare'.")
    show_figure(fig)


def my_agreement(exercise: str, layers: Sequence[str] = ("role",), reference: Any = None) -> None:
    """Lesson 07: how far the student's saved tags agree with the expert reference
    (``medialit.agreement``), and the expert's reasoning on every sentence where they differ
    (``medialit.check``, which keeps checks closed in course mode)."""
    agreement = kit_module("agreement")
    sheet = _sheet_or_message(exercise)
    if sheet is None:
        return
    if reference is None:
        reference = kit_module("reference").load_reference(sheet.article)
    elif reference.article != sheet.article:
        raise MedialitError(
            f"answers/{exercise}.json holds tags of the {sheet.article!r} article, not "
            f"{reference.article!r}; tag this article in the lessons first."
        )
    parts = [STYLE]
    for layer in layers:
        result = agreement.agreement_with_reference(sheet, reference, layer)
        parts.append(f"<h4>{esc(layer)}</h4><p>{esc(result.reading)}</p>")
        units = list(dict.fromkeys(unit for unit, _ in result.mistakes))
        if not units:
            continue
        report = kit_module("check").check(sheet, [layer], reference=reference, units=units)
        rows = "".join(
            f"<tr><td>{esc(r.unit)}</td><td>{esc(', '.join(r.labels) or 'none')}</td>"
            f"<td>{esc(r.message)}</td></tr>"
            for r in report.results
        )
        parts.append(
            "<p>Where the expert reads it differently:</p><table class='ml-table'>"
            "<tr><th>sentence</th><th>your label</th><th>what the expert thinks</th></tr>"
            f"{rows}</table>"
        )
    show(HTML("".join(parts)))


def agreement_anchors() -> None:
    """Lesson 07: the published agreement figures the kit compares with."""
    agreement = kit_module("agreement")
    show(HTML(STYLE + table_html(agreement.anchors_frame())))


def class_agreement(folder: str | Path = "class") -> None:
    """Lesson 07: agreement between classmates, when the instructor shared a class folder."""
    folder = Path(folder)
    if not folder.is_dir() or not any(folder.rglob("*.json")):
        say(question_item("07.no_class")["model"].replace("{folder}", str(folder)))
        return
    classroom = kit_module("classroom")
    charts = kit_module("charts")
    answers = classroom.load_class(folder)
    reference = kit_module("reference").load_reference(answers.article)
    summary = answers.summary(reference, layers=["role", "statement"])
    readings = "".join(
        f"<p><b>{esc(r.layer)}:</b> {esc(r.reading)}</p>" for r in summary.itertuples()
    )
    show(HTML(STYLE + f"<p>{esc(answers.reading)}</p>{readings}"))
    if len(answers) >= 2:
        show_figure(charts.disputed_units(answers, "role", reference=reference))
