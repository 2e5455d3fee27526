"""Cells of a graded assignment's nbgrader source notebook, shared by every builder.

The kit's four assignments (``tools/release.py``) and a course's own article
(``medialit course add-article``) are written with the same pieces, so both look and grade
alike: read-only task cells, one-line calls into the kit that run even when the import cell
was skipped, the first answer cell that saves the model answers in the source only, test
cells whose visible part is the self-check and whose hidden part holds the key
(``### BEGIN HIDDEN TESTS score_item(id, key=...)``), and hand-graded answers with their
rubric. Cells are nbformat nodes with nbgrader metadata; nothing here reads a reference or
a key: the caller passes them in, so this module depends only on nbformat.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from typing import Any

import nbformat

RUBRIC_LEVELS = ("beginning", "developing", "proficient")
#: The module the assignments' cells call into (``from medialit.grading import *``).
KIT = "medialit.grading"
#: What JupyterLab 4 writes on opening a notebook with ipykernel's python3 (the lessons carry
#: the same, ``tools/build_notebooks.py``), so opening one does not mark it modified.
NOTEBOOK_METADATA = {
    "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
    "language_info": {
        "codemirror_mode": {"name": "ipython", "version": 3},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3",
        "version": "3.11.7",
    },
}


def notebook_metadata() -> dict:
    return copy.deepcopy(NOTEBOOK_METADATA)


def self_contained(call: str, module: str = KIT) -> str:
    """``choose("a1_genre")`` -> ``from medialit.grading import choose; choose("a1_genre")``:
    it runs even if the student did not run the import cell first. An import is left as is."""
    if call.startswith(("from ", "import ")):
        return call
    name = call.split("(", 1)[0].strip()
    if not name.isidentifier():
        raise ValueError(f"A code cell must be one call into the kit, like tag(...): {call!r}")
    return f"from {module} import {name}; {call}"


def _number(x: float) -> str:
    return f"{round(x, 2):g}"


def points_text(x: float) -> str:
    """'1 point', '3 points', '0.67 points' (two decimals at most), as a student reads it."""
    return f"{_number(x)} point" + ("" if _number(x) == "1" else "s")


def rubric_scale(points: float) -> tuple[str, str, str]:
    """The points of each rubric level, a third each: 'up to 1 point', '1 to 2 points', ..."""
    third = points / 3
    return (
        f"up to {points_text(third)}",
        f"{_number(third)} to {points_text(2 * third)}",
        f"{_number(2 * third)} to {points_text(points)}",
    )


# -- cells ----------------------------------------------------------------------------------
def _meta(grade_id: str, *, grade=False, solution=False, locked=False, points=None) -> dict:
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def md(grade_id: str, text: str):
    """A read-only markdown cell."""
    return nbformat.v4.new_markdown_cell(text.strip(), metadata=_meta(grade_id, locked=True))


def code(grade_id: str, source: str, module: str = KIT):
    """A read-only code cell (a one-line call)."""
    return nbformat.v4.new_code_cell(
        self_contained(source.strip(), module), metadata=_meta(grade_id, locked=True)
    )


def start_cell(assignment: str, model: dict):
    """The first answer cell: in the sources it saves the model answers first."""
    args = ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in model.items())
    source = (
        f"### BEGIN SOLUTION\nfill_answers({json.dumps(assignment)}, {args})\n"
        f"### END SOLUTION\n{self_contained(f'start({json.dumps(assignment)})')}"
    )
    return nbformat.v4.new_code_cell(source, metadata=_meta(f"{assignment}_start", solution=True))


def test_cell(item_id: str, points: float, key: Any) -> nbformat.NotebookNode:
    """Visible: the self-check. Hidden: the key, read as data by the grader."""
    source = (
        f"{self_contained(f'check_item({json.dumps(item_id)})')}\n### BEGIN HIDDEN TESTS\n"
        f"score_item({json.dumps(item_id)}, key={json.dumps(key, ensure_ascii=False)})\n"
        "### END HIDDEN TESTS"
    )
    return nbformat.v4.new_code_cell(
        source, metadata=_meta(f"{item_id}_test", grade=True, locked=True, points=points)
    )


def manual(item_id: str, points: float, task: str, rubric: tuple[str, str, str], model: str):
    """Task with its rubric (read-only, shown to students and graders) and the answer cell."""
    low, mid, top = rubric
    rows = "\n".join(
        f"| {lvl} ({pts}) | {text} |"
        for lvl, pts, text in zip(RUBRIC_LEVELS, rubric_scale(points), (low, mid, top), strict=True)
    )
    text = (
        f"{task.strip()}\n\nWrite your answer in the cell below ({points_text(points)}, graded "
        "by your instructor with the rubric below). Double-click the cell that says YOUR "
        "ANSWER HERE to type in it; press Shift+Enter when you are done.\n\n"
        f"| level | what it looks like |\n"
        f"|---|---|\n{rows}"
    )
    answer = nbformat.v4.new_markdown_cell(
        f"### BEGIN SOLUTION\n{model.strip()}\n### END SOLUTION",
        metadata=_meta(item_id, grade=True, solution=True, points=points),
    )
    return [md(f"{item_id}_task", text), answer]


def header(assignment: str, title: str, lessons: str, minutes: int, what: str, items: Iterable):
    """The assignment's first cell: what it asks, time, points per item, how it works."""
    items = list(items)
    total = sum(it.points for it in items)
    listing = "\n".join(
        f"- {it.title}: {points_text(it.points)} "
        f"({'graded by your instructor' if it.kind == 'manual' else 'checked by the computer'})"
        for it in items
    )
    return md(
        f"{assignment}_header",
        f"""
# {title}

{what}

- **Follows lessons** {lessons} · **Time** about {minutes} minutes · **Points** {total:g}
- **How it works**: run the cells from the top. Your tags and choices are saved as you click
  in `answers/{assignment}.json` beside this notebook, so nothing is lost if you close it.
  Hand in the whole folder as it is: do not rename the notebook or the answers folder.
- **Checks**: the cell after each question, `check_item(...)`, gives the score and message the
  grader's computer will give. In a course, it may say that the check opens after grading.

{listing}
""",
    )


def tag_call(assignment: str, layers: list[str], units, article: str = "seed") -> str:
    """``tag("a1_claims", layers=["role"], units=[...])``: the tagger for an assignment."""
    extra = f", article={json.dumps(article)}" if article != "seed" else ""
    unit_part = f", units={json.dumps(list(units))}" if units else ""
    return f"tag({json.dumps(assignment)}, layers={json.dumps(layers)}{unit_part}{extra})"


def new_notebook(name: str, cells: list) -> nbformat.NotebookNode:
    """A notebook of these cells with the kit's metadata and stable cell ids."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = notebook_metadata()
    nb.cells = cells
    for i, cell in enumerate(nb.cells):
        cell.id = f"{name}-{i:02d}"
    return nb
