"""``medialit course demo``: the whole workflow on a made-up class.

init -> synthetic submissions (four bands of students, from ``medialit.synthetic``) ->
grade -> feedback -> export -> a grade-distribution chart, with a check that the numbers
add up across the grade report, the per-question CSV and the LMS CSV.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from medialit.course.batch import grade
from medialit.course.export import export, per_question
from medialit.course.feedback import feedback
from medialit.course.folder import (
    DEFAULT_CELL_TIMEOUT,
    REPORTS,
    Course,
    Progress,
    fmt_time,
    stderr,
)
from medialit.course.init_course import init_course
from medialit.course.preflight import grade_cells
from medialit.course.results import GradeReport
from medialit.errors import MedialitError

#: Error rates of the demo's four kinds of student, strongest first.
DEMO_BANDS = (0.05, 0.2, 0.4, 0.7)


def make_demo_submissions(course: Course, assignment: str, n: int, seed: int = 0) -> list[str]:
    """Write ``n`` synthetic submissions of varying quality.

    Each is the release notebook plus a saved-answers file: tags from
    ``medialit.synthetic`` (four bands of students, error rates ``DEMO_BANDS``), and, for
    the kit's assignments, the choice answers and verdicts of the model answers, each kept
    with the band's chance of being right. Stronger students also write something in the
    hand-graded cells.
    """
    import random
    import tempfile

    import nbformat

    from medialit.answers import AnswerSheet, read_answers, write_atomic
    from medialit.synthetic import make_class

    if n < 1:
        raise MedialitError(f"The demo needs at least one student; got {n}.")
    try:
        from medialit.grading import model_answers

        model = model_answers(assignment)
    except (ImportError, KeyError, ValueError, MedialitError):
        model = {}
    article = model.get("article", "seed")
    release = course.release_notebooks(assignment)
    rng = random.Random(seed)
    names: list[str] = []
    sizes = [n // len(DEMO_BANDS) + (i < n % len(DEMO_BANDS)) for i in range(len(DEMO_BANDS))]
    with tempfile.TemporaryDirectory() as tmp:
        for band, (rate, size) in enumerate(zip(DEMO_BANDS, sizes, strict=True)):
            if not size:
                continue
            made = make_class(
                Path(tmp) / f"band{band}",
                size,
                rate,
                seed + band,
                exercise=assignment,
                article=article,
            )
            for path in made.files:
                student = f"student-{len(names) + 1:03d}"
                names.append(student)
                folder = course.root / "submitted" / student / assignment
                sheet: AnswerSheet = read_answers(path)
                sheet.student = student
                for key, value in model.get("responses", {}).items():
                    if rng.random() >= rate:
                        sheet.set_response(key, value)
                for claim, verdict in model.get("verdicts", {}).items():
                    if rng.random() >= rate:
                        sheet.set_verdict(claim, verdict, "checked against the dossier")
                write_atomic(
                    folder / "answers" / f"{assignment}.json",
                    json.dumps(sheet.to_dict(), indent=2) + "\n",
                )
                for nb_path in release:
                    nb = nbformat.read(nb_path, as_version=4)
                    for cell in grade_cells(nb):
                        meta = cell.metadata.nbgrader
                        if (
                            cell.cell_type == "markdown"
                            and meta.get("solution")
                            and rng.random() >= rate
                        ):
                            cell.source = "My answer: this sentence gives a specific case."
                    nbformat.write(nb, folder / nb_path.name)
    return names


def distribution_chart(report: GradeReport, path: Path) -> Path:
    """A histogram of the class's scores, saved as PNG."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    scores = [r.score for r in report.results]
    top = max((r.max_score for r in report.results), default=1.0) or 1.0
    fig = Figure(figsize=(7, 4), dpi=100)
    ax = fig.add_subplot()
    bins = min(20, max(5, int(top) + 1))
    ax.hist(scores, bins=bins, range=(0, top), color="#4477aa", edgecolor="white")
    ax.set_xlabel(f"score (out of {top:g}; hand-graded answers not yet marked count 0)")
    ax.set_ylabel("students")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(f"{report.assignment}: grade distribution, {len(scores)} students")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    return path


@dataclass
class DemoSummary:
    course: Course
    assignment: str
    report: GradeReport
    feedback: list[Path]
    exports: list[Path]
    chart: Path
    totals_match: bool

    def lines(self) -> list[str]:
        results = self.report.results
        scores = pd.Series([r.score for r in results], dtype=float)
        top = max((r.max_score for r in results), default=0.0)
        by_status = pd.Series([r.status for r in results]).value_counts().to_dict()
        status = ", ".join(f"{v} {k}" for k, v in sorted(by_status.items()))
        return [
            f"Course folder: {self.course.root}",
            f"Assignment {self.assignment}: {len(results)} submissions ({status}), "
            f"graded in {fmt_time(self.report.seconds)}.",
            f"Scores out of {top:g}: mean {scores.mean():.2f}, median {scores.median():.2f}, "
            f"lowest {scores.min():g}, highest {scores.max():g}.",
            f"Answers waiting for grading by hand: {sum(r.to_grade_by_hand for r in results)}.",
            f"Feedback files: {len(self.feedback)} (checked: no answer key in any).",
            "Per-question rows add up to each student's total: "
            + ("yes." if self.totals_match else "NO - see the CSV files."),
            "Exports: " + ", ".join(str(p) for p in self.exports),
            f"Grade distribution chart: {self.chart}",
        ]


def demo(
    directory: str | Path,
    *,
    students: int = 30,
    assignment: str | None = None,
    jobs: int = 2,
    seed: int = 0,
    source: str | Path | None = None,
    timeout: int = DEFAULT_CELL_TIMEOUT,
    progress: Progress = stderr,
) -> DemoSummary:
    """init -> synthetic submissions -> grade -> feedback -> export -> chart."""
    progress(f"1/5 setting up a course in {directory} ...")
    course = init_course(
        directory,
        source=source,
        timeout=timeout,
        assignments=[assignment] if assignment else None,
        progress=progress,
    )
    assignment = assignment or course.assignments()[0]
    progress(f"2/5 writing {students} synthetic submissions of {assignment} ...")
    make_demo_submissions(course, assignment, students, seed)
    progress("3/5 grading ...")
    report = grade(course.root, assignment, jobs=jobs, progress=progress)
    progress("4/5 feedback ...")
    files = feedback(course.root, assignment, progress=progress)
    progress("5/5 exports and chart ...")
    exports = export(course.root)
    long = per_question(course)
    sums = long[long["assignment"] == assignment].groupby("student")["score"].sum()
    totals_match = all(abs(sums.get(r.student, 0.0) - r.score) < 1e-6 for r in report.results)
    chart = distribution_chart(report, course.root / REPORTS / f"distribution-{assignment}.png")
    return DemoSummary(course, assignment, report, files, exports, chart, totals_match)
