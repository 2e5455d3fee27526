"""The gradebook step: one student's complete result written in one go, or not at all.

Grades live in nbgrader's gradebook (SQLite by default, PostgreSQL where several graders
work), written through nbgrader's own API so formgrader, ``nbgrader export`` and
``generate_feedback`` read them as if ``nbgrader autograde`` had. The rules are the ones
``SaveAutoGrades`` follows (a manual score a grader already gave is kept, and the cell is
marked for review), plus three of the kit's own:

- a result is recorded only when the whole submission was scored; a grading failure leaves
  the student's rows as they were, so a partial run never replaces a good grade with 0;
- each student's grades change in one commit, retried while another writer (formgrader,
  a grader's manual score) holds a SQLite lock;
- the same submission scored again writes the same values, so a rerun changes nothing.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass

from medialit.errors import MedialitError

#: How long one student's write waits for a database another program holds.
BUSY_SECONDS = 60.0


@dataclass(frozen=True)
class GradeValue:
    """One graded cell's automatic result as it goes into the gradebook."""

    grade_id: str
    auto_score: float | None  # None: only a person can grade it
    by_hand: bool = False  # marked for a person even though a number is recorded


@dataclass(frozen=True)
class CommentValue:
    grade_id: str
    auto_comment: str | None


@dataclass
class Recorded:
    score: float
    max_score: float
    to_grade_by_hand: int


class GradebookWriter:
    """One open gradebook for a whole grading run (opened once: it is the slow part)."""

    def __init__(self, db_url: str):
        from nbgrader.api import Gradebook

        try:
            self.gb = Gradebook(db_url)
        except Exception as exc:
            raise MedialitError(
                f"The gradebook {db_url} cannot be opened: {str(exc).splitlines()[0]}"
            ) from exc

    def close(self) -> None:
        self.gb.close()

    def __enter__(self) -> GradebookWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def record(
        self,
        assignment: str,
        student: str,
        timestamp: str | None,
        grades: dict[str, list[GradeValue]],
        comments: dict[str, list[CommentValue]],
    ) -> Recorded:
        """Write one student's grades (notebook name -> values); retried while busy."""
        from sqlalchemy.exc import OperationalError

        deadline = time.monotonic() + BUSY_SECONDS
        while True:
            try:
                return self._record(assignment, student, timestamp, grades, comments)
            except OperationalError as exc:
                self.gb.db.rollback()
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
            except Exception:
                self.gb.db.rollback()
                raise

    def _record(self, assignment, student, timestamp, grades, comments) -> Recorded:
        from nbgrader.api import MissingEntry

        gb = self.gb
        with warnings.catch_warnings():
            # nbgrader's own submission code makes SQLAlchemy warn; the rows are right.
            warnings.simplefilter("ignore")
            try:
                gb.find_student(student)
            except MissingEntry:
                gb.add_student(student)
            extra = {"timestamp": timestamp} if timestamp else {}
            submission = gb.update_or_create_submission(assignment, student, **extra)
            by_notebook = {nb.name: nb for nb in submission.notebooks}
            for name, values in grades.items():
                snb = by_notebook.get(name)
                if snb is None:
                    continue
                by_grade = {g.name: g for g in snb.grades}
                for value in values:
                    grade = by_grade.get(value.grade_id)
                    if grade is None:
                        continue
                    grade.auto_score = value.auto_score
                    grade.needs_manual_grade = (
                        grade.manual_score is not None or value.auto_score is None or value.by_hand
                    )
                by_comment = {c.name: c for c in snb.comments}
                for value in comments.get(name, []):
                    comment = by_comment.get(value.grade_id)
                    if comment is not None:
                        comment.auto_comment = value.auto_comment
            gb.db.commit()
            total = maximum = 0.0
            by_hand = 0
            for snb in submission.notebooks:
                for grade in snb.grades:
                    manual, auto = grade.manual_score, grade.auto_score
                    total += float((manual if manual is not None else auto) or 0.0)
                    maximum += float(grade.max_score or 0.0)
                    by_hand += bool(grade.needs_manual_grade)
        return Recorded(round(total, 2), round(maximum, 2), by_hand)
