"""``medialit grade``: every submission of an assignment, scored in the grader's process.

The steps, one module each (nbgrader keeps one preprocessor per file; so does the kit):
``intake`` reads the handed-in files as hostile bytes, ``preflight`` says what is wrong with
them, ``sanitize`` puts back every cell the student may not change, ``scoring_step`` scores
each test cell from the answers file against the key in ``source/`` (``keys``), and
``gradebook`` records the result. No kernel starts and no student code runs, which is why
a grade cannot be forged from inside a notebook and why grading takes milliseconds, not
seconds, per student (``benchmarks/bench_grade.py``).

Around the steps: one grader per assignment at a time (``lock``), a student's result is
written only when it is complete (autograded folder swapped in whole, gradebook rows in one
commit), and a failure on one submission is reported and never stops the batch. Scoring can
use worker processes (``jobs``); writing is done by this process alone, in student order,
so the gradebook sees one writer and a rerun gives the same rows.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from medialit.course.folder import REPORTS, Course, Progress, fmt_time, open_course, stderr
from medialit.course.gradebook import GradebookWriter
from medialit.course.keys import key_problems
from medialit.course.lock import DEFAULT_WAIT, assignment_lock
from medialit.course.release import ensure_released
from medialit.course.results import GradeReport, StudentResult
from medialit.course.submission import Outcome, Plan, load_plan, score_submission
from medialit.errors import MedialitError

#: Below this many submissions, worker processes cost more to start than they save.
POOL_THRESHOLD = 60
#: Students committed to the gradebook together (each is still all or nothing).
BATCH = 50

_PLAN: Plan | None = None


def _init_worker(plan: Plan) -> None:
    global _PLAN
    _PLAN = plan


def _score_in_worker(folder: str) -> Outcome | str:
    try:
        assert _PLAN is not None
        return score_submission(_PLAN, Path(folder))
    except Exception as exc:  # reported per student, never fatal to the batch
        return f"{type(exc).__name__}: {exc}"


def _outcomes(stack: contextlib.ExitStack, plan: Plan, folders: list[str], jobs: int):
    """Each folder's Outcome (or the error that stopped it), in order. Large classes are
    scored by worker processes, a window of submissions at a time; a worker that dies costs
    the submissions it held, each reported, never the run."""
    if jobs == 1 or len(folders) < POOL_THRESHOLD:
        _init_worker(plan)
        yield from map(_score_in_worker, folders)
        return
    pool = stack.enter_context(
        ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(plan,))
    )
    window = 8 * jobs
    futures = [pool.submit(_score_in_worker, f) for f in folders[:window]]
    for i in range(len(folders)):
        if i + window < len(folders):
            futures.append(pool.submit(_score_in_worker, folders[i + window]))
        try:
            yield futures[i].result()
        except Exception as exc:  # BrokenProcessPool and the like
            yield f"the scoring process stopped ({type(exc).__name__})"
        futures[i] = None


def _write_autograded(course: Course, assignment: str, student: str, out: Outcome) -> Path:
    """Write the graded notebooks into a fresh folder beside the old one (swapped in later)."""
    parent = course.root / "autograded" / student
    parent.mkdir(parents=True, exist_ok=True)
    fresh = parent / f".{assignment}.medialit-{os.getpid()}"
    if fresh.exists():
        shutil.rmtree(fresh)
    fresh.mkdir()
    for name, text in out.notebooks.items():
        (fresh / name).write_text(text, encoding="utf-8")
    if out.timestamp:
        (fresh / "timestamp.txt").write_text(out.timestamp + "\n", encoding="utf-8")
    if out.secret:  # nbgrader release_feedback reads it from the feedback folder
        (fresh / "submission_secret.txt").write_bytes(out.secret)
    return fresh


def _swap_in(fresh: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists() or target.is_symlink():
        if target.is_symlink() or not target.is_dir():
            target.unlink()
        else:
            target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _identical_answers(results: dict[str, StudentResult], digests: dict[str, str]) -> None:
    groups: dict[str, list[str]] = {}
    for student, digest in digests.items():
        groups.setdefault(digest, []).append(student)
    for students in groups.values():
        if len(students) < 2:
            continue
        for student in students:
            others = ", ".join(s for s in sorted(students) if s != student)
            results[student].problems.append(
                f"answers file identical byte for byte to {others}'s (reported only; no penalty)"
            )


def grade(
    directory: str | Path,
    assignment: str,
    *,
    jobs: int = 2,
    students: Iterable[str] | None = None,
    wait: float = DEFAULT_WAIT,
    progress: Progress = stderr,
    timeout: int | None = None,
    budget: float | None = None,
) -> GradeReport:
    """Grade every (or the named) submission of an assignment; never stop on one failure.

    ``timeout`` and ``budget`` are accepted for older scripts and ignored: nothing runs.
    """
    del timeout, budget
    course = open_course(directory)
    course.check_assignment(assignment)
    if jobs < 1:
        raise MedialitError("--jobs must be 1 or more.")
    names = list(students) if students is not None else course.submissions(assignment)
    if not names:
        raise MedialitError(
            f"No submissions of {assignment} in {course.root / 'submitted'} "
            f"(expected submitted/<student>/{assignment}/). Collect them first "
            "('nbgrader collect' or 'nbgrader zip_collect')."
        )
    names = list(dict.fromkeys(names))
    bad = [n for n in names if not n or n.startswith(".") or "/" in n or n != Path(n).name]
    if bad:
        raise MedialitError(f"Not a student id: {bad[0]!r}.")
    started = time.monotonic()
    with assignment_lock(course, assignment, "grading", wait, progress):
        ensure_released(course, assignment, progress)
        plan = load_plan(course, assignment)
        notes = [p for tests in plan.tests.values() for p in key_problems(tests)]
        folders = [str(course.root / "submitted" / s / assignment) for s in names]
        results: dict[str, StudentResult] = {}
        digests: dict[str, str] = {}
        with contextlib.ExitStack() as stack:
            outcomes = _outcomes(stack, plan, folders, jobs)
            writer = stack.enter_context(GradebookWriter(course.db_url))
            writer.prepare(assignment)
            pending: list[tuple[StudentResult, Path, Outcome]] = []
            told = time.monotonic()
            for done, (student, outcome) in enumerate(zip(names, outcomes, strict=True), 1):
                result = results[student] = StudentResult(student)
                staged = _stage(course, assignment, result, outcome)
                if staged is not None:
                    pending.append(staged)
                    if isinstance(outcome, Outcome) and outcome.answers_digest:
                        digests[student] = outcome.answers_digest
                if len(pending) >= BATCH or done == len(names):
                    _commit(course, writer, assignment, pending)
                    pending = []
                now = time.monotonic()
                if now - told >= 2 or done == len(names):
                    told = now
                    elapsed = now - started
                    left = elapsed / done * (len(names) - done)
                    flagged = sum(1 for r in results.values() if r.problems)
                    progress(
                        f"grading {assignment}: {done}/{len(names)} done, "
                        f"{flagged} with problems, about {fmt_time(left)} left"
                    )
        _identical_answers(results, digests)
        report = GradeReport(
            assignment, [results[s] for s in names], time.monotonic() - started, notes
        )
        reports = course.root / REPORTS
        reports.mkdir(exist_ok=True)
        report.to_frame().to_csv(reports / f"grades-{assignment}.csv", index=False)
    return report


def _fail(result: StudentResult, what: str, why: str) -> None:
    result.status = "failed"
    result.problems.append(f"could not be {what} ({why}); earlier grades kept")


def _stage(
    course: Course, assignment: str, result: StudentResult, outcome: Outcome | str
) -> tuple[StudentResult, Path, Outcome] | None:
    """Write a scored submission's notebooks beside the old ones; None if it failed."""
    if isinstance(outcome, str):
        _fail(result, "graded", outcome)
        return None
    result.problems += outcome.problems
    if outcome.missing:  # nothing handed in: no grade, not a zero
        result.status = "not submitted"
        return None
    try:
        fresh = _write_autograded(course, assignment, result.student, outcome)
    except OSError as exc:
        _fail(result, "written", f"{exc.strerror}: {exc.filename}")
        return None
    return result, fresh, outcome


def _commit(
    course: Course,
    writer: GradebookWriter,
    assignment: str,
    pending: list[tuple[StudentResult, Path, Outcome]],
) -> None:
    """Record a batch in the gradebook, then swap in the autograded folders of those
    recorded; a student whose rows could not be written keeps the old folder and grade."""
    if not pending:
        return
    items = [(r.student, o.timestamp, o.grades, o.comments) for r, _, o in pending]
    try:
        recorded = writer.record_many(items)
    except Exception as exc:  # the whole gradebook is unusable: nobody in the batch changes
        recorded = {r.student: (str(exc).splitlines() or ["error"])[0][:200] for r, _, _ in pending}
    for result, fresh, _ in pending:
        got = recorded[result.student]
        if isinstance(got, str):
            shutil.rmtree(fresh, ignore_errors=True)
            _fail(result, "recorded", got)
            continue
        try:
            _swap_in(fresh, course.root / "autograded" / result.student / assignment)
        except OSError as exc:
            result.problems.append(f"autograded notebook not updated ({exc.strerror})")
        result.score, result.max_score = got.score, got.max_score
        result.to_grade_by_hand = got.to_grade_by_hand
