"""The gradebook step: one student's complete result written in one go, or not at all.

Grades live in nbgrader's gradebook (SQLite by default, PostgreSQL where several graders
work), written through nbgrader's own API so formgrader, ``nbgrader export`` and
``generate_feedback`` read them as if ``nbgrader autograde`` had. The rules are the ones
``SaveAutoGrades`` follows (a manual score a grader already gave is kept, and the cell is
marked for review), plus three of the kit's own:

- a result is recorded only when the whole submission was scored; a grading failure leaves
  the student's rows as they were, so a partial run never replaces a good grade with 0;
- students are committed in batches, each student all or nothing (a batch that fails is
  retried one student at a time), and a commit waits while another writer (formgrader, a
  grader's manual score) holds a SQLite lock;
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
    """One open gradebook for a whole grading run.

    ``prepare`` reads the assignment's cells and its existing submissions once (with their
    grades and comments), so each student costs a few row changes and no queries. Students
    are committed in batches (``record_many``); if a batch cannot be committed, each of its
    students is tried again on their own, so one bad row costs one student, never a batch.
    The rows are the ones nbgrader's ``Gradebook.add_submission`` would create.
    """

    def __init__(self, db_url: str):
        from nbgrader.api import Gradebook

        try:
            self.gb = Gradebook(db_url)
        except Exception as exc:
            raise MedialitError(
                f"The gradebook {db_url} cannot be opened: {str(exc).splitlines()[0]}"
            ) from exc
        self.assignment_name = ""

    def close(self) -> None:
        self.gb.close()

    def __enter__(self) -> GradebookWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def prepare(self, assignment: str) -> None:
        from nbgrader.api import Student, SubmittedAssignment, SubmittedNotebook
        from sqlalchemy.orm import selectinload

        gb = self.gb
        self.assignment_name = assignment
        self.assignment = gb.find_assignment(assignment)
        self.notebooks = {nb.name: nb for nb in self.assignment.notebooks}
        # notebook name -> grade id -> (cell id, max score): rows that hold a grade, and
        # grade id -> cell id: rows that hold a comment (an answer cell has both, as two cells)
        self.grade_cells: dict[str, dict[str, tuple[str, float]]] = {}
        self.comment_cells: dict[str, dict[str, str]] = {}
        for nb in self.assignment.notebooks:
            grades = self.grade_cells.setdefault(nb.name, {})
            comments = self.comment_cells.setdefault(nb.name, {})
            for cell in [*nb.grade_cells, *nb.task_cells]:
                grades[cell.name] = (cell.id, float(cell.max_score or 0.0))
            for cell in [*nb.solution_cells, *nb.task_cells]:
                comments[cell.name] = cell.id
        self.students = {row[0] for row in gb.db.query(Student.id)}
        subs = (
            gb.db.query(SubmittedAssignment)
            .filter(SubmittedAssignment.assignment_id == self.assignment.id)
            .options(
                selectinload(SubmittedAssignment.notebooks).selectinload(SubmittedNotebook.grades),
                selectinload(SubmittedAssignment.notebooks).selectinload(
                    SubmittedNotebook.comments
                ),
            )
            .all()
        )
        self.existing = {s.student_id: s for s in subs}

    def _new_submission(self, student: str, timestamp: str | None):
        from nbgrader.api import Comment, Grade, SubmittedAssignment, SubmittedNotebook
        from nbgrader.utils import parse_utc

        sub = SubmittedAssignment(assignment=self.assignment, student_id=student)
        if timestamp:
            sub.timestamp = parse_utc(timestamp)
        for name, notebook in self.notebooks.items():
            snb = SubmittedNotebook(notebook=notebook, assignment=sub)
            for cell_id, _ in self.grade_cells[name].values():
                Grade(cell_id=cell_id, notebook=snb)
            for cell_id in self.comment_cells[name].values():
                Comment(cell_id=cell_id, notebook=snb)
        self.gb.db.add(sub)
        return sub

    def _stage(self, student, timestamp, grades, comments) -> Recorded:
        from nbgrader.api import Student
        from nbgrader.utils import parse_utc

        if student not in self.students:
            self.gb.db.add(Student(id=student))
            self.students.add(student)
        sub = self.existing.get(student)
        if sub is None:
            sub = self.existing[student] = self._new_submission(student, timestamp)
        elif timestamp:
            sub.timestamp = parse_utc(timestamp)
        total = maximum = 0.0
        by_hand = 0
        for snb in sub.notebooks:
            name = snb.notebook.name
            cells = self.grade_cells.get(name, {})
            ids = {cell_id: gid for gid, (cell_id, _) in cells.items()}
            comment_ids = {
                cell_id: gid for gid, cell_id in self.comment_cells.get(name, {}).items()
            }
            values = {v.grade_id: v for v in grades.get(name, [])}
            notes = {v.grade_id: v for v in comments.get(name, [])}
            for grade in snb.grades:
                gid = ids.get(grade.cell_id)
                value = values.get(gid)
                if value is not None:
                    grade.auto_score = value.auto_score
                    grade.needs_manual_grade = (
                        grade.manual_score is not None or value.auto_score is None or value.by_hand
                    )
                manual, auto = grade.manual_score, grade.auto_score
                total += float((manual if manual is not None else auto) or 0.0)
                maximum += cells[gid][1] if gid in cells else 0.0
                by_hand += bool(grade.needs_manual_grade)
            for comment in snb.comments:
                note = notes.get(comment_ids.get(comment.cell_id, ""))
                if note is not None:
                    comment.auto_comment = note.auto_comment
        return Recorded(round(total, 2), round(maximum, 2), by_hand)

    def _commit(self) -> None:
        from sqlalchemy.exc import OperationalError

        deadline = time.monotonic() + BUSY_SECONDS
        while True:
            try:
                self.gb.db.commit()
                return
            except OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def record_many(self, items: list[tuple]) -> dict[str, Recorded | str]:
        """Write (student, timestamp, grades, comments) for each item; per student, either
        the values written (``Recorded``) or why nothing of theirs changed (a sentence)."""
        with warnings.catch_warnings():
            # nbgrader's models make SQLAlchemy warn on relationship overlaps; rows are right
            warnings.simplefilter("ignore")
            try:
                done: dict[str, Recorded | str] = {item[0]: self._stage(*item) for item in items}
                self._commit()
                return done
            except Exception:
                self._rollback()
                if len(items) == 1:
                    raise
            done = {}
            for item in items:
                try:
                    done[item[0]] = self._stage(*item)
                    self._commit()
                except Exception as exc:
                    self._rollback()
                    done[item[0]] = (str(exc).splitlines() or [type(exc).__name__])[0][:200]
            return done

    def _rollback(self) -> None:
        self.gb.db.rollback()
        self.prepare(self.assignment_name)  # objects of the failed transaction are gone
