"""Scoring: each test cell's score, computed here from the handed-in answers.

This step takes the place of nbgrader's ``Execute``. No kernel starts and no cell runs: for
each autograded test cell it looks up the item and key read from the instructor's copy
(``keys``), scores the answers sheet parsed from the submission with
``medialit.scoring.score`` (the function behind the student's Check button), and writes what
a kernel would have shown: the message lines on stdout and the score as the cell's result.
nbgrader's ``SaveAutoGrades`` (or the kit's gradebook step) records that number.

So a grade depends on nothing but the answers file as handed in and the instructor's key:
not on what the student's code does to the scorer, to stdout, to display formatters or to
the answers file while it runs, and not on how busy the machine is (there is no timeout to
run into). A test cell that is not a medialit check scores 0 and is marked for hand grading.
"""

from __future__ import annotations

from dataclasses import dataclass

import nbformat

from medialit.answers import AnswerSheet
from medialit.course.keys import TestCell
from medialit.course.preflight import grade_id
from medialit.errors import MedialitError
from medialit.scoring import answers_name, belongs, missing_answers, parse_sheet, score


@dataclass(frozen=True)
class CellScore:
    grade_id: str
    points: float
    by_hand: bool = False  # a test cell the grader cannot score


def answers_sheet(raw: bytes | None, assignment: str) -> tuple[AnswerSheet | None, str | None]:
    """The parsed answers sheet, or None and the sentence every item will show."""
    if raw is None:
        return None, missing_answers(assignment)
    return parse_sheet(raw, answers_name(assignment))


def _outputs(lines: list[str], points: float | None) -> list:
    """A stdout stream with the message, then the score as the cell's result (built as
    plain nodes: nbformat's constructors validate each one, the slow part of scoring)."""
    node = nbformat.NotebookNode
    outputs = [node(output_type="stream", name="stdout", text="\n".join(lines) + "\n")]
    if points is not None:
        outputs.append(
            node(
                output_type="execute_result",
                data=node({"text/plain": repr(float(points))}),
                metadata=node(),
                execution_count=None,
            )
        )
    return outputs


def score_cells(
    nb, tests: dict[str, TestCell], sheet: AnswerSheet | None, problem: str | None
) -> list[CellScore]:
    """Write each test cell's message and score into ``nb``; return the scores."""
    found = []
    for cell in nb.cells:
        gid = grade_id(cell)
        test = tests.get(gid)
        if test is None or cell.cell_type != "code":
            continue
        if test.item is None:
            lines = [
                f"Not autograded: this test cell is not a medialit check ({test.problem}). "
                "Your instructor grades it by hand."
            ]
            cell.outputs = _outputs(lines, 0.0)
            found.append(CellScore(gid, 0.0, by_hand=True))
            continue
        item_problem = problem
        if sheet is not None:
            item_problem = belongs(test.item, sheet, answers_name(test.item.assignment))
        try:
            result = score(
                test.item, sheet if item_problem is None else None, item_problem, test.key
            )
        except MedialitError as exc:  # answers the widgets cannot write: the student's file
            lines = [f"{test.item.title}: this item cannot be scored ({exc}).", "Score: 0."]
            cell.outputs = _outputs(lines, 0.0)
            found.append(CellScore(gid, 0.0))
            continue
        points = round(min(max(result.points, 0.0), test.points), 2)
        cell.outputs = _outputs(result.lines, points)
        found.append(CellScore(gid, points))
    return found
