"""The student's side of a course's own article: its tagger and its expert reading.

``medialit course add-article`` hands students a copy of the article as a folder
(``<name>/article.txt``, ``article.json``) beside their notebooks. The lessons' copy also
holds ``lesson_reference.csv``: the instructor's reference with every row the assignment
grades left out (``article_plan``), and any reason on a kept row that names a graded answer
replaced (``write_lesson_reference``), so nothing a student's kernel can read gives a graded
answer away. The kit's reference loader wants every unit in every layer, so this module reads
that partial file into the same ``Reference`` object the tagger's Check button and the
agreement figures use: a row that is not there reads as "the expert reference has no reading
of this sentence in this layer", and course mode names those checks closed until feedback.
The assignment's copy has no reference at all; its tagger's Check button then has nothing to
compare with, and its questions are scored by the instructor's grader.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape as esc
from pathlib import Path
from typing import Any

from medialit.article import load_article
from medialit.datafile import read_csv_rows
from medialit.errors import MedialitError
from medialit.reference import COLUMNS, RefEntry, Reference, ReferenceFileError
from medialit.scheme import default_scheme

#: The lessons' copy of the expert reading, graded rows withheld.
LESSON_REFERENCE = "lesson_reference.csv"


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(";") if part.strip())


def _cues(value: str) -> dict[str, tuple[str, ...]]:
    cues = {}
    for group in value.split("|"):
        label, _, words = group.partition(":")
        if label.strip():
            cues[label.strip()] = _split(words)
    return cues


def lesson_reference(article: str | Path) -> Reference:
    """The expert reading a student may see for a course article: the folder's
    ``lesson_reference.csv`` (written by add-article from a checked reference), or an empty
    reading when there is none."""
    art = load_article(article)
    path = Path(article) / LESSON_REFERENCE
    scheme = default_scheme()
    rows = (
        read_csv_rows(path, COLUMNS, error=ReferenceFileError, word="row", skip_blank=True)
        if path.is_file()
        else []
    )
    by_pair = {(row["id"], row["layer"]): row for _, row in rows}
    entries: dict[tuple[str, str], RefEntry] = {}
    for (unit, layer), row in by_pair.items():
        applies = scheme.layer(layer).applies_when
        applicable = True
        if applies is not None:
            other = by_pair.get((unit, applies[0]))
            applicable = other is not None and applies[1] in _split(other["accepted"])
        entries[(unit, layer)] = RefEntry(
            unit,
            layer,
            _split(row["label"]),
            _split(row["accepted"]),
            _cues(row["cues"]),
            row["anchor"].lower() == "yes",
            row["rationale"],
            applicable,
        )
    order = {u: i for i, u in enumerate(art.ids)}
    layers = scheme.layer_names
    ordered = sorted(entries, key=lambda pair: (order.get(pair[0], 0), layers.index(pair[1])))
    return Reference(art.key, path, {pair: entries[pair] for pair in ordered}, tuple(layers))


def tag(
    exercise: str,
    layers: Sequence[str] | str = ("role",),
    units: Sequence[str] | None = None,
    article: str = "article",
) -> Any:
    """The claim tagger on a course article, checking against its lesson reference."""
    from medialit.tagger import tag as _tag

    return _tag(
        exercise,
        layers=[layers] if isinstance(layers, str) else list(layers),
        units=units,
        article=article,
        reference=lesson_reference(article),
    )


def my_agreement(
    exercise: str, layers: Sequence[str] = ("role",), article: str = "article"
) -> None:
    """How far the saved tags agree with the expert on the sentences the lessons may show,
    with the expert's reasoning wherever they differ."""
    from IPython.display import HTML, display

    from medialit.agreement import agreement_with_reference
    from medialit.answers import answers_path, read_answers
    from medialit.check import check

    path = answers_path(exercise)
    if not path.exists():
        print(f"There are no saved answers yet ({path}). Tag the sentences in the lessons first.")
        return
    sheet = read_answers(path)
    if sheet.article != load_article(article).key:
        raise MedialitError(f"{path} holds tags of {sheet.article!r}, not of {article!r}.")
    reference = lesson_reference(article)
    kept = {(e.unit, e.layer) for e in reference.entries()}
    # tags on sentences whose reading is withheld are not compared (they are graded)
    sheet.tags = {
        unit: {lay: labels for lay, labels in by_layer.items() if (unit, lay) in kept}
        for unit, by_layer in sheet.tags.items()
    }
    parts = []
    for layer in layers:
        result = agreement_with_reference(sheet, reference, layer)
        parts.append(f"<h4>{esc(layer)}</h4><p>{esc(result.reading)}</p>")
        units = list(dict.fromkeys(unit for unit, _ in result.mistakes))
        if units:
            report = check(sheet, [layer], reference=reference, units=units)
            rows = "".join(
                f"<tr><td>{esc(r.unit)}</td><td>{esc(', '.join(r.labels) or 'none')}</td>"
                f"<td>{esc(r.message)}</td></tr>"
                for r in report.results
            )
            parts.append(
                "<p>Where the expert reads it differently:</p><table>"
                "<tr><th>sentence</th><th>your label</th><th>what the expert thinks</th></tr>"
                f"{rows}</table>"
            )
    display(HTML("".join(parts)))


#: What the lessons show instead of a reason that would name a graded answer.
REASON_LEFT_OUT = (
    "The expert's reason is left out here: it would give away the answer to a graded question."
)
_UNIT_ID = re.compile(r"\bP\d+\.S\d+\b")


def _label_pattern(label: str) -> re.Pattern[str]:
    """A label as a reason would write it, in any form (``quote``: quoted, quotation;
    ``loaded_language``: loaded language; ``policy``: policies)."""
    words = label.replace("_", " ").strip().lower()
    stem = words[:-1] if len(words) > 4 and words[-1] in "ey" else words
    return re.compile(rf"\b{re.escape(stem)}", re.I)


def _graded_labels(rows: list[list[str]], columns: dict[str, int], withheld) -> dict:
    """unit -> patterns of every label accepted on a withheld row of that unit."""
    out: dict[str, list[re.Pattern[str]]] = {}
    for row in rows:
        if len(row) <= max(columns["accepted"], columns["label"]):
            continue
        if (row[0].strip(), row[1].strip()) not in withheld:
            continue
        labels = {*_split(row[columns["accepted"]]), *_split(row[columns["label"]])}
        out.setdefault(row[0].strip(), []).extend(
            _label_pattern(x) for x in sorted(labels - {"none"})
        )
    return out


def _gives_away(row: list[str], reason: str, graded: dict) -> bool:
    """Does this reason name a graded answer: a label accepted on a withheld row of its own
    sentence, or of a sentence it names (by id; "the headline" is P0.S1)?"""
    named = {row[0].strip(), *_UNIT_ID.findall(reason)}
    if "headline" in reason.lower():
        named.add("P0.S1")
    return any(p.search(reason) for unit in named for p in graded.get(unit, ()))


def write_lesson_reference(source: Path, target: Path, withheld: set[tuple[str, str]]) -> int:
    """Copy the instructor's reference CSV to ``target`` without the withheld rows; returns
    how many rows were left out.

    A kept row keeps its reading, but not a reason that names a graded answer: the expert's
    reason for one layer often names another ("'To be fair' marks a concession" on the
    devices row of a sentence whose role is graded) or another sentence ("keep 'thesis' for
    the headline and P2.S2"). Such a reason is replaced by ``REASON_LEFT_OUT``. A reason that
    gives an answer away without naming its sentence or its label cannot be found this way,
    so a reason should be about its own sentence and layer."""
    import csv
    import io

    text = source.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or rows[0][:2] != ["id", "layer"]:
        raise MedialitError(f"{source}: not a reference CSV (its header is not id,layer,...).")
    columns = {name.strip(): i for i, name in enumerate(rows[0])}
    if not {"label", "accepted", "rationale"} <= set(columns):
        raise MedialitError(f"{source}: not a reference CSV (no label, accepted, rationale).")
    graded = _graded_labels(rows[1:], columns, withheld)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(rows[0])
    dropped = 0
    for row in rows[1:]:
        if len(row) >= 2 and (row[0].strip(), row[1].strip()) in withheld:
            dropped += 1
            continue
        at = columns["rationale"]
        if len(row) > at and _gives_away(row, row[at], graded):
            row = [*row[:at], REASON_LEFT_OUT, *row[at + 1 :]]
        writer.writerow(row)
    target.write_text(out.getvalue(), encoding="utf-8")
    return dropped
