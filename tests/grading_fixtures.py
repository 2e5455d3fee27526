"""Broken and ordinary student submissions, built from a release notebook.

Each factory takes the released notebook and the course's submitted folder and writes one
student's submission named after what the student did (``all-correct``, ``blank``,
``test-cell-deleted``, ...). Building them from the release keeps them in step with the
assignment instead of freezing hundreds of JSON files.

``tiny_assignment`` writes a small nbgrader source assignment in the kit's style (a choice
answer, a check on saved tags with partial credit, a hidden test, a hand-graded answer), so
the grading pipeline is tested without depending on the kit's long notebooks.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from medialit.answers import AnswerSheet

TINY = "tiny"

#: The answer key of the tiny assignment (hidden tests): role of two sentences, the genre.
TINY_KEY = {"P1.S1": "evidence", "P2.S1": "claim"}

_TAG_CHECK = """\
from medialit.answers import read_answers
from medialit.errors import MedialitError

def tag_score(key, points=2.0):
    try:
        sheet = read_answers("answers/tiny.json")
    except MedialitError as exc:
        print("Your saved tags could not be read, so this item scores 0:", exc)
        return 0.0
    hits = sum(sheet.get_tags(unit, "role") == [label] for unit, label in key.items())
    print(f"{hits} of {len(key)} sentences tagged as the expert did.")
    return points * hits / len(key)
"""


def _grade_meta(
    grade_id: str, *, grade: bool, solution: bool, points: float = 0, locked: bool = False
) -> dict:
    meta = {
        "grade": grade,
        "solution": solution,
        "locked": locked,
        "grade_id": grade_id,
        "schema_version": 3,
    }
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def tiny_source_notebook() -> nbformat.NotebookNode:
    """The tiny assignment's source (instructor) notebook."""
    nb = new_notebook(
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        }
    )
    nb.cells = [
        new_markdown_cell("# Tiny assignment\nTag two sentences, name the genre, explain."),
        new_code_cell(
            '### BEGIN SOLUTION\ngenre = "opinion"  # the model answer\n### END SOLUTION',
            metadata=_grade_meta("genre_answer", grade=False, solution=True),
        ),
        new_code_cell(
            'print("Where the piece was published tells you its genre.")\n'
            "### BEGIN HIDDEN TESTS\n"
            'assert genre == "opinion", "not the genre"\n'
            "### END HIDDEN TESTS",
            metadata=_grade_meta("genre_test", grade=True, solution=False, points=1, locked=True),
        ),
        new_code_cell(
            _TAG_CHECK + "### BEGIN HIDDEN TESTS\n"
            f"tag_score({json.dumps(TINY_KEY)})\n### END HIDDEN TESTS",
            metadata=_grade_meta("tags_test", grade=True, solution=False, points=2, locked=True),
        ),
        new_markdown_cell(
            "Why does the genre matter? (rubric: beginning / developing / proficient)",
            metadata=_grade_meta("why_rubric", grade=False, solution=False, locked=True),
        ),
        new_markdown_cell(
            "YOUR ANSWER HERE", metadata=_grade_meta("why", grade=True, solution=True, points=1)
        ),
    ]
    return nb


def tiny_assignment(folder: Path) -> Path:
    """Write ``<folder>/tiny/tiny.ipynb`` and return ``folder`` (a source directory)."""
    target = folder / TINY
    target.mkdir(parents=True, exist_ok=True)
    nbformat.write(tiny_source_notebook(), target / f"{TINY}.ipynb")
    return folder


# -----------------------------------------------------------------------------------------
# answers files
# -----------------------------------------------------------------------------------------


def tiny_answers(quality: str) -> AnswerSheet | None:
    """A saved-answers sheet: 'correct', 'half' (one of two right) or 'none' (no file)."""
    if quality == "none":
        return None
    sheet = AnswerSheet(exercise=TINY, student="fixture")
    for i, (unit, label) in enumerate(TINY_KEY.items()):
        right = quality == "correct" or (quality == "half" and i == 0)
        sheet.set_tags(unit, "role", [label if right else "context"])
    return sheet


# -----------------------------------------------------------------------------------------
# the factories
# -----------------------------------------------------------------------------------------


def _cell(nb, grade_id: str):
    for cell in nb.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            return cell
    raise KeyError(grade_id)


def _write(
    submitted: Path,
    student: str,
    assignment: str,
    nb,
    answers: AnswerSheet | None,
    name: str | None = None,
) -> Path:
    folder = submitted / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name or f"{assignment}.ipynb")
    nbformat.write(nb, path)
    if answers is not None:
        (folder / "answers").mkdir(exist_ok=True)
        text = json.dumps(answers.to_dict() | {"exercise": assignment}, indent=2)
        (folder / "answers" / f"{assignment}.json").write_text(text + "\n")
    return folder


def _answered(release, genre: str = '"opinion"', prefix: str = ""):
    nb = copy.deepcopy(release)
    _cell(nb, "genre_answer").source = f"{prefix}genre = {genre}"
    _cell(nb, "why").source = "Opinion pieces argue; news reports. So I read it as an argument."
    return nb


def all_correct(release, submitted, a):
    return _write(submitted, "all-correct", a, _answered(release), tiny_answers("correct"))


def blank(release, submitted, a):
    return _write(submitted, "blank", a, copy.deepcopy(release), None)


def partly_right(release, submitted, a):
    return _write(submitted, "partly-right", a, _answered(release, '"news"'), tiny_answers("half"))


def tagger_never_used(release, submitted, a):
    return _write(submitted, "tagger-never-used", a, _answered(release), None)


def test_cell_deleted(release, submitted, a):
    nb = _answered(release)
    nb.cells = [
        c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "genre_test"
    ]
    return _write(submitted, "test-cell-deleted", a, nb, tiny_answers("correct"))


def locked_cell_edited(release, submitted, a):
    nb = _answered(release, '"news"')
    _cell(nb, "genre_test").source = 'print("all good")'  # a wrong answer, test made to pass
    return _write(submitted, "locked-cell-edited", a, nb, tiny_answers("correct"))


def cell_duplicated(release, submitted, a):
    nb = _answered(release)
    i = nb.cells.index(_cell(nb, "genre_answer"))
    nb.cells.insert(i, copy.deepcopy(nb.cells[i]))
    nb.cells[i]["id"] = "duplicate-cell"
    return _write(submitted, "cell-duplicated", a, nb, tiny_answers("correct"))


def notebook_renamed(release, submitted, a):
    return _write(
        submitted,
        "notebook-renamed",
        a,
        _answered(release),
        tiny_answers("correct"),
        name=f"{a} (1).ipynb",
    )


def infinite_loop(release, submitted, a):
    nb = _answered(release, prefix="while True:\n    pass\n")
    return _write(submitted, "infinite-loop", a, nb, tiny_answers("correct"))


def huge_output(release, submitted, a):
    nb = _answered(release, prefix="for i in range(200_000):\n    print('spam', i)\n")
    return _write(submitted, "huge-output", a, nb, tiny_answers("correct"))


_WARN = (
    "import warnings\n"
    "class Answer(str):\n"
    "    def __eq__(self, other):\n"
    "        warnings.warn('comparing answers will change', FutureWarning)\n"
    "        return str.__eq__(self, other)\n"
    "    __hash__ = str.__hash__\n"
)


def raises_warning(release, submitted, a):
    nb = _answered(release, 'Answer("opinion")', prefix=_WARN)
    return _write(submitted, "raises-warning", a, nb, tiny_answers("correct"))


def malformed_notebook_json(release, submitted, a):
    folder = _write(
        submitted, "malformed-notebook-json", a, _answered(release), tiny_answers("correct")
    )
    path = folder / f"{a}.ipynb"
    text = path.read_text()
    path.write_text(text[: len(text) // 2])  # a half-written file, as after a crash
    return folder


def answers_file_corrupt(release, submitted, a):
    folder = _write(
        submitted, "answers-file-corrupt", a, _answered(release), tiny_answers("correct")
    )
    (folder / "answers" / f"{a}.json").write_text('{"format": "medialit-answers", "tags": {')
    return folder


def showtraceback_monkeypatch(release, submitted, a):
    nb = _answered(
        release, '"news"', prefix="get_ipython().showtraceback = lambda *args, **kwargs: None\n"
    )
    return _write(submitted, "showtraceback-monkeypatch", a, nb, tiny_answers("correct"))


Factory = Callable[[nbformat.NotebookNode, Path, str], Path]

#: fixture name -> (factory, the score a fair instructor gives on the tiny assignment's
#: autograded items, out of 3: genre 1 + tags 2; the hand-graded answer waits at 0).
TINY_FIXTURES: dict[str, tuple[Factory, float]] = {
    "all-correct": (all_correct, 3.0),
    "blank": (blank, 0.0),
    "partly-right": (partly_right, 1.0),
    "tagger-never-used": (tagger_never_used, 1.0),
    "test-cell-deleted": (test_cell_deleted, 3.0),
    "locked-cell-edited": (locked_cell_edited, 2.0),
    "cell-duplicated": (cell_duplicated, 3.0),
    "notebook-renamed": (notebook_renamed, 3.0),
    "infinite-loop": (infinite_loop, 2.0),
    "huge-output": (huge_output, 3.0),
    "raises-warning": (raises_warning, 3.0),
    "malformed-notebook-json": (malformed_notebook_json, 0.0),
    "answers-file-corrupt": (answers_file_corrupt, 1.0),
    "showtraceback-monkeypatch": (showtraceback_monkeypatch, 2.0),
}

#: The problem each fixture must show in the grading report (a substring).
TINY_PROBLEMS = {
    "blank": "no saved answers file",
    "tagger-never-used": "no saved answers file",
    "test-cell-deleted": "cell deleted: genre_test (restored from the source)",
    "locked-cell-edited": "locked cell edited: genre_test",
    "cell-duplicated": "cell duplicated: genre_answer",
    "notebook-renamed": "notebook renamed",
    "infinite-loop": "timeout: genre_answer",
    "huge-output": "huge output",
    "malformed-notebook-json": "corrupt notebook",
    "answers-file-corrupt": "answers file corrupt",
}


def build_all(
    release_nb: Path, submitted: Path, assignment: str = TINY, names: list[str] | None = None
) -> list[str]:
    """Write every (or the named) fixture submission; return the student names."""
    release = nbformat.read(release_nb, as_version=4)
    chosen = names or list(TINY_FIXTURES)
    for name in chosen:
        TINY_FIXTURES[name][0](release, submitted, assignment)
    return chosen


# -----------------------------------------------------------------------------------------
# the kit's own assignments: a few fixtures built with the model answers
# -----------------------------------------------------------------------------------------


def _kit_answers(folder: Path, assignment: str, keep: tuple[str, ...]) -> None:
    """Save the model answers (only the parts named in ``keep``) as the student's file."""
    from medialit.grading import fill_answers, model_answers

    model = model_answers(assignment)
    kwargs = {k: v for k, v in model.items() if k in keep or k == "article"}
    fill_answers(assignment, folder=folder / "answers", **kwargs)


def kit_fixtures(release_nb: Path, submitted: Path, assignment: str) -> list[str]:
    """all-correct, blank, tagger-never-used (choices only) and test-cell-deleted."""
    release = nbformat.read(release_nb, as_version=4)
    everything = ("tags", "responses", "verdicts")
    folder = _write(submitted, "all-correct", assignment, copy.deepcopy(release), None)
    _kit_answers(folder, assignment, everything)
    _write(submitted, "blank", assignment, copy.deepcopy(release), None)
    folder = _write(submitted, "tagger-never-used", assignment, copy.deepcopy(release), None)
    _kit_answers(folder, assignment, ("responses", "verdicts"))
    nb = copy.deepcopy(release)
    tests = [
        c
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade") and not c.metadata.nbgrader.get("solution")
    ]
    nb.cells.remove(tests[0])
    folder = _write(submitted, "test-cell-deleted", assignment, nb, None)
    _kit_answers(folder, assignment, everything)
    return ["all-correct", "blank", "tagger-never-used", "test-cell-deleted"]
