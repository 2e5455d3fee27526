"""The answer key, read from the instructor's side as data.

Each autograded test cell of a kit assignment holds, in its hidden part, one call::

    score_item("a1_roles", key={"P2.S1": ["claim"], ...})

This module reads those calls from the course's ``source/<assignment>/*.ipynb`` (the
instructor's copy, never a file from a submission) with ``answer_keys.hidden_score_call``:
the item id and the key are literals (``ast.literal_eval``), so nothing in a notebook is ever
executed to learn a key.
A course's own article (``medialit course add-article``) defines its items in
``source/<assignment>/medialit_items.json`` (``items.ITEMS_FILE``), read from there too.
A test cell that holds anything else is not a medialit check; the grader cannot score it
without running the student's code, so it is reported and left to be graded by hand.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medialit.answer_keys import hidden_score_call
from medialit.errors import MedialitError
from medialit.items import ITEMS, ITEMS_FILE, Item, read_items


@dataclass(frozen=True)
class TestCell:
    """One autograded test cell of a source notebook and how the grader scores it."""

    grade_id: str
    notebook: str  # notebook name without .ipynb
    points: float
    item: Item | None  # None: not a medialit check (graded by hand)
    key: Any = None
    problem: str = ""  # why it is not a medialit check


def read_test_cells(source_notebook: Path, assignment: str) -> dict[str, TestCell]:
    """grade id -> TestCell for every autograded test cell of one source notebook."""
    try:
        nb = json.loads(source_notebook.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MedialitError(f"The source notebook {source_notebook} cannot be read: {exc}") from exc
    cells: dict[str, TestCell] = {}
    own_items = course_items(source_notebook.parent)
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if not meta.get("grade") or meta.get("solution") or cell.get("cell_type") != "code":
            continue
        grade_id = meta.get("grade_id", "")
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        found = hidden_score_call(source)
        points = float(meta.get("points", 0))
        name = source_notebook.stem
        if isinstance(found, str):
            cells[grade_id] = TestCell(grade_id, name, points, None, problem=found)
            continue
        item_id, key = found
        it = ITEMS.get(item_id) if isinstance(item_id, str) else None
        if it is None and isinstance(item_id, str):
            it = own_items.get(item_id)
        if it is None:
            cells[grade_id] = TestCell(
                grade_id, name, points, None, problem=f"it scores an unknown item {item_id!r}"
            )
        elif it.assignment != assignment:
            cells[grade_id] = TestCell(
                grade_id,
                name,
                points,
                None,
                problem=f"it scores {item_id}, an item of {it.assignment}, not of {assignment}",
            )
        else:
            cells[grade_id] = TestCell(grade_id, name, points, it, key)
    return cells


def course_items(folder: Path) -> dict[str, Item]:
    """The items a course defined for its own article (``medialit course add-article``),
    read from the instructor's source folder, never from a submission: id -> Item."""
    if not (folder / ITEMS_FILE).is_file():
        return {}
    return {it.id: it for it in read_items(folder / ITEMS_FILE)}


def key_problems(cells: dict[str, TestCell]) -> list[str]:
    """One line per test cell the grader cannot score, for the run's report."""
    return [
        f"test cell {c.grade_id} in {c.notebook}.ipynb is not a medialit check ({c.problem}); "
        "it scores 0 and is marked for grading by hand"
        for c in cells.values()
        if c.item is None
    ]
