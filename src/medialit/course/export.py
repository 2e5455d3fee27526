"""Exports: per-question grades and an LMS gradebook, from nbgrader's gradebook."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from medialit.course.folder import REPORTS, Course, open_course
from medialit.errors import MedialitError

LONG_COLUMNS = [
    "student",
    "assignment",
    "notebook",
    "question",
    "score",
    "max",
    "graded_by",
    "needs_grading",
]


def per_question(course: Course) -> pd.DataFrame:
    """One row per student, assignment and graded cell, from the gradebook."""
    from nbgrader.api import Gradebook

    rows = []
    with Gradebook(course.db_url) as gb:
        for assignment in gb.assignments:
            solution_ids = {
                (nb.name, c.name) for nb in assignment.notebooks for c in nb.solution_cells
            }
            for sub in assignment.submissions:
                for snb in sub.notebooks:
                    for g in snb.grades:
                        rows.append(
                            {
                                "student": sub.student.id,
                                "assignment": assignment.name,
                                "notebook": snb.name,
                                "question": g.name,
                                "score": float(g.score),
                                "max": float(g.max_score),
                                "graded_by": "manual"
                                if (snb.name, g.name) in solution_ids
                                else "auto",
                                "needs_grading": bool(g.needs_manual_grade),
                            }
                        )
    frame = pd.DataFrame(rows, columns=LONG_COLUMNS)
    return frame.sort_values(
        ["assignment", "student", "notebook", "question"], kind="stable"
    ).reset_index(drop=True)


def _students(course: Course) -> list[dict]:
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url) as gb:
        return [
            {
                "id": s.id,
                "first": s.first_name or "",
                "last": s.last_name or "",
                "email": s.email or "",
                "lms": s.lms_user_id or "",
            }
            for s in gb.students
        ]


def lms_gradebook(course: Course, lms: str = "canvas") -> pd.DataFrame:
    """Totals per student and assignment, laid out for an LMS gradebook import.

    Canvas: ``Student, ID, SIS User ID, SIS Login ID, Section`` then one column per
    assignment; the second row is Canvas's ``Points Possible``. The nbgrader student id is
    put in SIS User ID and SIS Login ID (Canvas matches on those); ID and Section stay
    blank. A column whose name is not an existing Canvas assignment becomes a new one.
    Moodle: ``Username, ID number, Email address`` then one column per assignment; map
    the identifier and grade columns on Moodle's "Import grades from CSV" page.
    """
    long = per_question(course)
    # a student with no submission of an assignment is blank there, not 0: the LMS then shows
    # "not handed in" instead of a failing grade
    totals = long.groupby(["student", "assignment"])["score"].sum().unstack()
    maxima = long.groupby("assignment")["max"].sum() / long.groupby("assignment")[
        "student"
    ].nunique().clip(lower=1)
    assignments = sorted(long["assignment"].unique())
    rows = []
    for s in _students(course):
        name = ", ".join(x for x in (s["last"], s["first"]) if x) or s["id"]
        scores = {
            a: round(float(totals.loc[s["id"], a]), 2)
            if s["id"] in totals.index and pd.notna(totals.loc[s["id"], a])
            else ""
            for a in assignments
        }
        if lms == "canvas":
            rows.append(
                {
                    "Student": name,
                    "ID": "",
                    "SIS User ID": s["id"],
                    "SIS Login ID": s["id"],
                    "Section": "",
                    **scores,
                }
            )
        elif lms == "moodle":
            rows.append(
                {
                    "Username": s["id"],
                    "ID number": s["lms"] or s["id"],
                    "Email address": s["email"],
                    **scores,
                }
            )
        else:
            raise MedialitError(f"Unknown LMS {lms!r}; choose canvas or moodle.")
    frame = pd.DataFrame(rows)
    if lms == "canvas":
        points = {
            "Student": "    Points Possible",
            "ID": "",
            "SIS User ID": "",
            "SIS Login ID": "",
            "Section": "",
            **{a: round(float(maxima[a]), 2) for a in assignments},
        }
        frame = pd.concat([pd.DataFrame([points]), frame], ignore_index=True)
    return frame


def export(
    directory: str | Path,
    *,
    out: str | Path | None = None,
    per_question_csv: bool = True,
    lms: str | None = "canvas",
) -> list[Path]:
    """Write ``grades-per-question.csv`` and ``gradebook-<lms>.csv`` in the reports folder."""
    course = open_course(directory)
    folder = Path(out) if out else course.root / REPORTS
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    long = per_question(course)
    if long.empty:
        raise MedialitError(
            f"The gradebook of {course.root} has no graded submissions yet. "
            "Run 'medialit grade' first."
        )
    if per_question_csv:
        path = folder / "grades-per-question.csv"
        long.to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL)
        written.append(path)
    if lms:
        path = folder / f"gradebook-{lms}.csv"
        lms_gradebook(course, lms).to_csv(path, index=False)
        written.append(path)
    return written
