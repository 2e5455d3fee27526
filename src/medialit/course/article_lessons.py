"""The lessons' copy of an own article's reference: the instructor's key with graded rows held back.

``medialit course add-article`` gives the lessons on a course's own article
``lesson_reference.csv``: the instructor's reference without any row the assignment grades,
and with any reason on a kept row that names a graded answer (of its own sentence, or of a
sentence it names) replaced by a plain sentence. What students' kernels do with that file is
``medialit.lessons.own_article``'s job.
"""

from __future__ import annotations

import re
from pathlib import Path

from medialit.errors import MedialitError
from medialit.reference import split_labels

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
        labels = {*split_labels(row[columns["accepted"]]), *split_labels(row[columns["label"]])}
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
