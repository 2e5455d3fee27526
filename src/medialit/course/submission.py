"""One submission from handed-in files to grades, in memory: intake, pre-flight, sanitize,
score. Nothing here writes a file or touches the gradebook, and nothing a student wrote runs,
so this is the part that can go to worker processes and that the benchmark measures.

``Plan`` is what the instructor's side contributes, read once per run: for each notebook of
the assignment the release copy, the source copy and its test cells with their keys.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from medialit.course.folder import Course
from medialit.course.gradebook import CommentValue, GradeValue
from medialit.course.intake import read_submission
from medialit.course.keys import TestCell, read_test_cells
from medialit.course.preflight import parse_notebook, preflight
from medialit.course.sanitize import sanitize
from medialit.course.scoring_step import answers_sheet, score_cells
from medialit.errors import MedialitError


@dataclass
class Plan:
    assignment: str
    releases: dict[str, nbformat.NotebookNode]  # "name.ipynb" -> release notebook
    sources: dict[str, nbformat.NotebookNode]
    tests: dict[str, dict[str, TestCell]]  # "name.ipynb" -> grade id -> test cell


def load_plan(course: Course, assignment: str) -> Plan:
    """Read the release, source and keys of an assignment (the instructor's side only)."""
    releases, sources, tests = {}, {}, {}
    for path in course.release_notebooks(assignment):
        source_path = course.root / "source" / assignment / path.name
        release, why = parse_notebook(path.read_bytes())
        source, why_source = parse_notebook(source_path.read_bytes())
        if release is None or source is None:
            raise MedialitError(
                f"The instructor's copy of {assignment}/{path.name} cannot be read "
                f"({why or why_source}); regenerate the release."
            )
        releases[path.name], sources[path.name] = release, source
        tests[path.name] = read_test_cells(source_path, assignment)
    if not releases:
        raise MedialitError(f"{assignment} has no release notebooks; generate the release first.")
    return Plan(assignment, releases, sources, tests)


@dataclass
class Outcome:
    """One submission scored: notebooks to write, gradebook values, problems."""

    notebooks: dict[str, str] = field(default_factory=dict)  # "name.ipynb" -> JSON text
    grades: dict[str, list[GradeValue]] = field(default_factory=dict)  # notebook stem -> values
    comments: dict[str, list[CommentValue]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    timestamp: str | None = None
    answers_digest: str | None = None  # sha256 of a usable answers file with some answer
    missing: bool = False  # no submission folder at all: nothing is recorded
    secret: bytes | None = None  # nbgrader's submission_secret.txt, needed to return feedback


def _timestamp(raw: bytes | None, problems: list[str]) -> str | None:
    if raw is None:
        return None
    from nbgrader.utils import parse_utc

    text = raw.decode("utf-8", "replace").strip()
    try:
        return parse_utc(text).isoformat()
    except Exception:
        problems.append("timestamp.txt is not a date and time; ignored")
        return None


def _solution_values(nb) -> tuple[list[GradeValue], list[CommentValue]]:
    """Grades and comments of the answer cells, as nbgrader's SaveAutoGrades sets them."""
    from nbgrader import utils

    grades, comments = [], []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not utils.is_solution(cell):
            continue
        unchanged = meta.get("checksum") == utils.compute_checksum(cell)
        if utils.is_grade(cell):
            grades.append(GradeValue(meta["grade_id"], 0.0 if unchanged else None))
        comment = "No response." if unchanged and not utils.is_task(cell) else None
        comments.append(CommentValue(meta["grade_id"], comment))
    return grades, comments


def score_submission(plan: Plan, folder: Path) -> Outcome:
    """Grade one submission folder; raises only on the grader's own errors."""
    sub = read_submission(folder)
    if sub.missing:
        return Outcome(problems=list(sub.problems), missing=True)
    check = preflight(sub, plan.releases, plan.assignment)
    out = Outcome(problems=check.problems)
    out.timestamp = _timestamp(sub.files.get("timestamp.txt"), out.problems)
    secret = sub.files.get("submission_secret.txt")
    if secret is not None and secret.strip().isascii() and secret.strip().isalnum():
        out.secret = secret.strip()
    sheet, problem = answers_sheet(check.answers, plan.assignment)
    if check.answers is not None and problem:
        out.problems.append(f"answers file unusable: {problem}")
    if sheet is not None and (sheet.tags or sheet.responses or sheet.verdicts):
        out.answers_digest = hashlib.sha256(check.answers or b"").hexdigest()
    if sheet is not None and sheet.exercise != plan.assignment:
        out.problems.append(
            f"answers for the wrong assignment: the file holds {sheet.exercise}; scored 0"
        )
    for name, release in plan.releases.items():
        nb = sanitize(check.notebooks.get(name), release, plan.sources[name])
        tests = plan.tests[name]
        scores = score_cells(nb, tests, sheet, problem)
        stem = name[: -len(".ipynb")]
        values, comments = _solution_values(nb)
        values += [GradeValue(s.grade_id, s.points, by_hand=s.by_hand) for s in scores]
        out.grades[stem], out.comments[stem] = values, comments
        out.notebooks[name] = json.dumps(nb, ensure_ascii=False) + "\n"
    if sheet is not None and problem is None:
        wrong_article = {
            t.item.article
            for tests in plan.tests.values()
            for t in tests.values()
            if t.item is not None
            and t.item.kind == "tags"
            and sheet.tags
            and (sheet.article or "seed") != t.item.article
        }
        if wrong_article:
            out.problems.append(
                f"answers on the wrong article: the file's tags are on {sheet.article!r}, the "
                f"assignment asks about {', '.join(sorted(wrong_article))}; those items score 0"
            )
    return out
