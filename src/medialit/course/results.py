"""What a grading run found: one result per student, the table, and the readable report."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

import pandas as pd

from medialit.course.folder import fmt_time


@dataclass
class StudentResult:
    student: str
    # graded | failed (the grader's fault: the gradebook was not touched) | not submitted
    status: str = "graded"
    score: float = 0.0
    max_score: float = 0.0
    to_grade_by_hand: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass
class GradeReport:
    assignment: str
    results: list[StudentResult]
    seconds: float
    notes: list[str] = field(default_factory=list)  # about the run, not one student

    def to_frame(self) -> pd.DataFrame:
        rows = [
            {
                "student": r.student,
                "score": round(r.score, 2),
                "max": round(r.max_score, 2),
                "status": r.status,
                "by_hand": r.to_grade_by_hand,
                "problems": "; ".join(r.problems),
            }
            for r in self.results
        ]
        columns = ["student", "score", "max", "status", "by_hand", "problems"]
        return pd.DataFrame(rows, columns=columns)


def print_grade_report(report: GradeReport, out=None) -> None:
    """The readable end of ``medialit grade``: a score table, then problems per student."""
    from medialit.cli import emit

    out = out or sys.stdout
    frame = report.to_frame()
    emit(frame[["student", "score", "max", "status", "by_hand"]], "table", out)
    flagged = [r for r in report.results if r.problems]
    out.write(
        f"\n{len(report.results)} submissions of {report.assignment} graded in "
        f"{fmt_time(report.seconds)}; {len(flagged)} with problems.\n"
    )
    for note in report.notes:
        out.write(f"Note: {note}\n")
    for r in flagged:
        out.write(f"  {r.student}:\n")
        for p in r.problems:
            out.write(f"    - {p}\n")
    failed = [r.student for r in report.results if r.status == "failed"]
    if failed:
        out.write(
            f"{len(failed)} could not be graded ({', '.join(failed[:10])}); their earlier "
            "grades, if any, are unchanged.\n"
        )
    by_hand = sum(r.to_grade_by_hand for r in report.results)
    if by_hand:
        out.write(
            f"{by_hand} answers wait for grading by hand in formgrader "
            "(scores above count them as 0 until then).\n"
        )
