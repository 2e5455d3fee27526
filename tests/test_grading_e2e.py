"""The whole grading pipeline on fixture submissions (grading.md item 10).

Generate the release from the source, check validation (source passes, release fails),
autograde every fixture with ``medialit grade --jobs 2`` and short timeouts, assert each
fixture's exact score and problem, generate feedback and check it for answer keys, export
and check that the CSV files add up.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time

import grading_fixtures as gf
import pandas as pd
import pytest

from medialit import course as c
from medialit.cli import main

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A tiny course with every fixture submission, graded once for all tests here."""
    base = tmp_path_factory.mktemp("e2e")
    source = gf.tiny_assignment(base / "src")
    assert (
        main(["course", "init", str(base / "course"), "--source", str(source), "--timeout", "5"])
        == 0
    )
    course = c.open_course(base / "course")
    release = course.release_notebooks(gf.TINY)
    assert [p.name for p in release] == ["tiny.ipynb"]
    gf.build_all(release[0], course.root / "submitted")
    started = time.monotonic()
    report = c.grade(course.root, gf.TINY, jobs=2, budget=60)
    return course, report, time.monotonic() - started


def _nbgrader_validate(path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", "validate", path.name],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=path.parent,
    )
    return done.stdout + done.stderr


def test_source_passes_validation_and_release_fails(graded, tmp_path):
    course, _, _ = graded
    # the source is validated with a model answers file beside it (students save theirs)
    model = tmp_path / gf.TINY
    shutil.copytree(course.root / "source" / gf.TINY, model)
    (model / "answers").mkdir()
    sheet = gf.tiny_answers("correct")
    (model / "answers" / "tiny.json").write_text(json.dumps(sheet.to_dict()))
    assert "Success! Your notebook passes all the tests." in _nbgrader_validate(
        model / "tiny.ipynb"
    )
    out = _nbgrader_validate(course.root / "release" / gf.TINY / "tiny.ipynb")
    assert "Success!" not in out
    assert "NotImplementedError" in out or "failed" in out.lower()


def test_release_has_no_hidden_test(graded):
    course, _, _ = graded
    keys = c.answer_key_strings(course, gf.TINY)
    assert 'assert genre == "opinion", "not the genre"' in keys
    assert c.find_leaks(course.root / "release", keys) == []


def test_every_fixture_gets_its_exact_score(graded):
    _, report, seconds = graded
    scores = {r.student: r.score for r in report.results}
    assert set(scores) == set(gf.TINY_FIXTURES)
    expected = {name: score for name, (_, score) in gf.TINY_FIXTURES.items()}
    wrong = {k: (scores[k], expected[k]) for k in expected if scores[k] != expected[k]}
    assert not wrong, f"(got, expected) {wrong}; problems: {report.to_frame().to_dict('records')}"
    assert all(r.max_score == 4.0 for r in report.results)
    # the batch finished; the infinite loop cost one cell timeout, not the whole budget
    assert seconds < 60 * 4
    statuses = {r.student: r.status for r in report.results}
    assert statuses.pop("malformed-notebook-json") == "unreadable"
    assert set(statuses.values()) == {"graded"}


def test_every_fixture_problem_is_reported(graded):
    _, report, _ = graded
    problems = {r.student: "; ".join(r.problems) for r in report.results}
    for name, needle in gf.TINY_PROBLEMS.items():
        assert needle in problems[name], (name, problems[name])
    assert problems["all-correct"] == ""
    assert problems["raises-warning"] == ""


def test_report_is_saved_and_readable(graded, capsys):
    course, report, _ = graded
    saved = pd.read_csv(course.root / "reports" / "grades-tiny.csv")
    assert len(saved) == len(gf.TINY_FIXTURES)
    c.print_grade_report(report)
    out = capsys.readouterr().out
    assert "14 submissions of tiny graded" in out
    assert "notebook renamed: tiny (1).ipynb graded as tiny.ipynb" in out


def test_feedback_has_no_answer_key(graded):
    course, _, _ = graded
    files = c.feedback(course.root, gf.TINY)
    # every student whose notebook could be read gets feedback
    assert len(files) == len(gf.TINY_FIXTURES) - 1
    text = c.html_text(files[0])
    assert "Where the piece was published tells you its genre." in text
    keys = c.answer_key_strings(course, gf.TINY)
    assert c.find_leaks(course.root / "feedback", keys) == []
    # the assignments' own leak check agrees
    from medialit import grading

    strings = grading.answer_key_strings(course.root / "source")
    assert strings
    assert grading.find_leaks([course.root / "feedback"], strings) == []
    # the autograded notebooks, which the instructor keeps, do still hold the hidden test
    autograded = course.root / "autograded" / "all-correct" / gf.TINY
    assert c.find_leaks(autograded, keys)


def test_feedback_refuses_a_leaking_file(graded, tmp_path):
    course, _, _ = graded
    leak = course.root / "feedback" / "all-correct" / gf.TINY / "extra.html"
    leak.write_text('<pre>assert genre == &quot;opinion&quot;, "not the genre"</pre>')
    found = c.find_leaks(course.root / "feedback", c.answer_key_strings(course, gf.TINY))
    assert [p.name for p, _ in found] == ["extra.html"]
    leak.unlink()


def test_export_adds_up(graded, tmp_path):
    course, report, _ = graded
    assert main(["export", str(course.root), "--out", str(tmp_path)]) == 0
    long = pd.read_csv(tmp_path / "grades-per-question.csv")
    assert list(long.columns) == c.LONG_COLUMNS
    assert len(long) == 3 * len(gf.TINY_FIXTURES)
    assert set(long["question"]) == {"genre_test", "tags_test", "why"}
    kinds = long.drop_duplicates("question").set_index("question")["graded_by"].to_dict()
    assert kinds == {"genre_test": "auto", "tags_test": "auto", "why": "manual"}
    totals = long.groupby("student")["score"].sum().to_dict()
    assert totals == {r.student: r.score for r in report.results}
    assert (long.groupby("student")["max"].sum() == 4.0).all()

    canvas = pd.read_csv(tmp_path / "gradebook-canvas.csv", dtype={"tiny": str})
    assert list(canvas.columns) == [
        "Student",
        "ID",
        "SIS User ID",
        "SIS Login ID",
        "Section",
        "tiny",
    ]
    assert canvas.iloc[0]["Student"].strip() == "Points Possible"
    assert float(canvas.iloc[0]["tiny"]) == 4.0
    rows = canvas.iloc[1:].set_index("SIS User ID")["tiny"].astype(float).to_dict()
    assert rows == totals

    assert main(["export", str(course.root), "--lms", "moodle", "--out", str(tmp_path)]) == 0
    moodle = pd.read_csv(tmp_path / "gradebook-moodle.csv")
    assert list(moodle.columns) == ["Username", "ID number", "Email address", "tiny"]
    assert moodle.set_index("Username")["tiny"].to_dict() == totals


def test_regrading_one_student_keeps_the_rest(graded):
    course, _, _ = graded
    again = c.grade(course.root, gf.TINY, jobs=1, students=["partly-right"], budget=60)
    assert [(r.student, r.score) for r in again.results] == [("partly-right", 1.0)]
    long = c.per_question(course)
    assert long.groupby("student")["score"].sum()["all-correct"] == 3.0


def test_wall_budget_stops_a_hung_submission(graded):
    """A cell timeout longer than the budget: the worker is killed and the batch goes on."""
    course, _, _ = graded
    started = time.monotonic()
    report = c.grade(
        course.root,
        gf.TINY,
        jobs=2,
        timeout=60,
        budget=8,
        students=["infinite-loop", "all-correct"],
    )
    assert time.monotonic() - started < 45
    by = {r.student: r for r in report.results}
    assert by["infinite-loop"].status == "over budget"
    assert by["infinite-loop"].score == 0.0
    assert "over 8 s" in "; ".join(by["infinite-loop"].problems)
    assert by["all-correct"].status == "graded"
    assert by["all-correct"].score == 3.0


def test_the_kit_assignment_grades_fairly(tmp_path):
    """a1_claims from the kit itself: model answers earn every autograded point."""
    from medialit.grading import assignment_items

    assignment = "a1_claims"
    course = c.init_course(tmp_path / "kit", assignments=[assignment], timeout=20)
    # init turns course mode on: the graded items' lesson checks are closed while grading,
    # and the scores below are earned with it on.
    from medialit import course_mode

    assert course_mode.read_config(course.root / course_mode.CONFIG_NAME) == {assignment}
    (release,) = course.release_notebooks(assignment)
    gf.kit_fixtures(release, course.root / "submitted", assignment)
    report = c.grade(course.root, assignment, jobs=2, budget=120)
    items = assignment_items(assignment)
    auto = sum(it.points for it in items if it.kind != "manual")
    choices = sum(it.points for it in items if it.kind not in ("manual", "tags"))
    scores = {r.student: r.score for r in report.results}
    assert scores == {
        "all-correct": auto,
        "blank": 0.0,
        "tagger-never-used": choices,
        "test-cell-deleted": auto,
    }, report.to_frame().to_dict("records")
    problems = {r.student: "; ".join(r.problems) for r in report.results}
    assert problems["all-correct"] == ""
    assert "deleted" in problems["test-cell-deleted"]


def test_course_demo_runs_the_whole_workflow(tmp_path, capsys):
    """``medialit course demo``: init, grade, feedback, export and chart; numbers add up."""
    target = tmp_path / "demo"
    assert (
        main(
            [
                "course",
                "demo",
                str(target),
                "--students",
                "5",
                "--assignment",
                "a1_claims",
                "--timeout",
                "20",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "a1_claims: 5 submissions (5 graded)" in out
    assert "Per-question rows add up to each student's total: yes." in out
    assert "Feedback files: 5 " in out
    reports = target / "reports"
    png = (reports / "distribution-a1_claims.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    grades = pd.read_csv(reports / "grades-a1_claims.csv")
    long = pd.read_csv(reports / "grades-per-question.csv")
    canvas = pd.read_csv(reports / "gradebook-canvas.csv").iloc[1:]
    totals = long.groupby("student")["score"].sum()
    assert sorted(grades["student"]) == sorted(totals.index) == sorted(canvas["SIS User ID"])
    for row in grades.itertuples():
        assert abs(totals[row.student] - row.score) < 1e-6
    assert (canvas.set_index("SIS User ID")["a1_claims"].astype(float) - totals).abs().max() < 1e-6
    # the synthetic class is not all alike: the bands of students differ
    assert grades["score"].nunique() > 1
