"""The whole grading pipeline on the kit's a1_claims (grading.md item 10).

Generate the release, check validation (source passes, release fails), grade fixture
submissions named after what the student did with ``medialit grade``, assert each one's
exact score and problem, check that the self-check prints what the grader gave, generate
feedback and check it for answer keys, export and check that the CSV files add up. Then the
things that must hold around a run: a rerun changes nothing, a failure keeps the old grade,
two graders at once (SQLite and PostgreSQL), plain ``nbgrader autograde`` with the course
config, and a release made after ``nbgrader validate`` left answers in ``source/``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import grading_fixtures as gf
import nbformat
import pandas as pd
import pytest

from medialit import course as c
from medialit.cli import main

pytestmark = pytest.mark.slow


def _new_course(path: Path, db_url: str | None = None) -> c.Course:
    return c.init_course(path, assignments=[gf.A1], db_url=db_url, progress=lambda m: None)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A course with every fixture submission, graded once for the tests that only read."""
    base = tmp_path_factory.mktemp("e2e")
    course = _new_course(base / "course")
    (release,) = course.release_notebooks(gf.A1)
    gf.build(nbformat.read(release, as_version=4), course.root / "submitted")
    report = c.grade(course.root, gf.A1, jobs=2, progress=lambda m: None)
    return course, report


def _scores(course: c.Course) -> dict[str, float]:
    long = c.per_question(course)
    return long.groupby("student")["score"].sum().round(4).to_dict()


def _nbgrader(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
    )


def test_release_matches_the_kit_and_has_no_hidden_test(graded):
    course, _ = graded
    (release,) = course.release_notebooks(gf.A1)
    assert release.read_text() == gf.RELEASE.read_text()
    keys = c.answer_key_strings(course, gf.A1)
    assert any("score_item(" in k for k in keys)
    assert c.find_leaks(course.root / "release", keys) == []


def test_every_fixture_gets_its_exact_score(graded):
    _, report = graded
    scores = {r.student: r.score for r in report.results}
    expected = {name: score for name, (_, score) in gf.FIXTURES.items()}
    assert scores == expected, report.to_frame().to_dict("records")
    assert all(r.max_score == 12.0 for r in report.results)
    assert {r.status for r in report.results} == {"graded"}


def test_every_fixture_problem_is_reported(graded):
    _, report = graded
    problems = {r.student: "; ".join(r.problems) for r in report.results}
    for name, needle in gf.PROBLEMS.items():
        assert needle in problems[name], (name, problems[name])
    # fixtures built from the same model answers are byte-identical: reported, nothing else
    for name in ("all-correct", "genre-wrong", "tagger-never-used"):
        others = [p for p in report_problems(report, name) if "identical byte for byte" not in p]
        assert others == [], (name, others)
    assert "identical byte for byte" in problems["all-correct"]


def report_problems(report, student: str) -> list[str]:
    return next(r.problems for r in report.results if r.student == student)


def test_report_is_saved_and_readable(graded, capsys):
    course, report = graded
    saved = pd.read_csv(course.root / "reports" / f"grades-{gf.A1}.csv")
    assert len(saved) == len(gf.FIXTURES)
    c.print_grade_report(report)
    out = capsys.readouterr().out
    assert f"{len(gf.FIXTURES)} submissions of {gf.A1} graded" in out
    assert f"notebook renamed: {gf.A1} (1).ipynb graded as {gf.A1}.ipynb" in out


def test_self_check_prints_what_the_grader_gave(graded, tmp_path, monkeypatch, capsys):
    """For every fixture with an answers file: check_item (course mode off) scores each item
    as the gradebook holds it, and its message lines and score line are the autograded
    cell's output (the score line shown as the check cell's result)."""
    from medialit import grading

    course, _ = graded
    monkeypatch.delenv("MEDIALIT_COURSE_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)  # no medialit_course.json above: self-study
    long = c.per_question(course).set_index(["student", "question"])["score"]
    compared = 0
    for student in gf.FIXTURES:
        answers = course.root / "submitted" / student / gf.A1 / "answers"
        if not (answers / f"{gf.A1}.json").is_file():
            continue
        graded_nb = nbformat.read(
            course.root / "autograded" / student / gf.A1 / f"{gf.A1}.ipynb", as_version=4
        )
        for it in grading.assignment_items(gf.A1):
            if it.kind == "manual":
                continue
            checked = grading.check_item(it.id, folder=answers)
            printed = capsys.readouterr().out
            assert checked == long[(student, f"{it.id}_test")], (student, it.id)
            cell = gf.cell(graded_nb, f"{it.id}_test")
            *message, score_line = cell.outputs[0]["text"].splitlines()
            head = "".join(f"{line}\n" for line in message)
            assert printed.startswith(head), (student, it.id, printed, message)
            assert checked.sentence == score_line  # shown as the check cell's result
            compared += 1
    assert compared >= 20


def test_feedback_shows_the_messages_and_no_answer_key(graded):
    course, _ = graded
    files = c.feedback(course.root, gf.A1, progress=lambda m: None)
    assert len(files) == len(gf.FIXTURES)
    text = c.html_text(course.root / "feedback" / "genre-wrong" / gf.A1 / f"{gf.A1}.html")
    assert "Genre (1 point): your answer is not the one the expert chose." in text
    assert "Score: 0 of 1." in text
    assert "course mode" not in text.lower() and "not given here" not in text
    assert "Out[" not in text  # the score is said once, in the message, not again as a value
    # one "Score: x of y." line per autograded question (nbgrader adds its own "x / y" heads)
    assert len(re.findall(r"Score: [0-9.]+ of [0-9.]+\.", text)) == 4
    keys = c.answer_key_strings(course, gf.A1)
    assert c.find_leaks(course.root / "feedback", keys) == []
    from medialit import grading

    strings = grading.answer_key_strings(course.root / "source")
    assert strings and grading.find_leaks([course.root / "feedback"], strings) == []
    # only HTML goes back to students: nothing copied from a submission or from source/
    others = [p for p in (course.root / "feedback").rglob("*") if p.is_file()]
    assert {p.suffix for p in others} <= {".html", ".txt"}
    # the autograded notebooks, which the instructor keeps, do hold the hidden test
    assert c.find_leaks(course.root / "autograded" / "all-correct" / gf.A1, keys)


def test_feedback_refuses_a_leaking_file(graded):
    course, _ = graded
    leak = course.root / "feedback" / "all-correct" / gf.A1 / "extra.html"
    leak.parent.mkdir(parents=True, exist_ok=True)
    key = next(k for k in c.answer_key_strings(course, gf.A1) if "score_item(" in k)
    leak.write_text(f"<pre>{key}</pre>")
    found = c.find_leaks(course.root / "feedback", c.answer_key_strings(course, gf.A1))
    assert {p.name for p, _ in found} == {"extra.html"}
    leak.unlink()


def test_export_adds_up(graded, tmp_path):
    course, report = graded
    assert main(["export", str(course.root), "--out", str(tmp_path)]) == 0
    long = pd.read_csv(tmp_path / "grades-per-question.csv")
    assert list(long.columns) == c.LONG_COLUMNS
    assert len(long) == 5 * len(gf.FIXTURES)
    kinds = long.drop_duplicates("question").set_index("question")["graded_by"].to_dict()
    assert kinds["a1_evidence_why"] == "manual" and kinds["a1_roles_test"] == "auto"
    totals = long.groupby("student")["score"].sum().to_dict()
    assert totals == {r.student: r.score for r in report.results}
    canvas = pd.read_csv(tmp_path / "gradebook-canvas.csv", dtype={gf.A1: str})
    assert canvas.iloc[0]["Student"].strip() == "Points Possible"
    assert float(canvas.iloc[0][gf.A1]) == 12.0
    rows = canvas.iloc[1:].set_index("SIS User ID")[gf.A1].astype(float).to_dict()
    assert rows == totals


def test_regrading_an_unchanged_class_changes_nothing(graded):
    course, _ = graded
    before = c.per_question(course)
    nb_before = {p: p.read_bytes() for p in sorted((course.root / "autograded").rglob("*.ipynb"))}
    c.grade(course.root, gf.A1, jobs=1, progress=lambda m: None)
    pd.testing.assert_frame_equal(c.per_question(course), before)
    nb_after = {p: p.read_bytes() for p in sorted((course.root / "autograded").rglob("*.ipynb"))}
    assert nb_after == nb_before
    for path in nb_after:  # valid notebooks, as formgrader and feedback read them
        nbformat.validate(nbformat.reads(path.read_text(), as_version=4))


def test_a_failed_result_never_replaces_a_good_grade(graded, monkeypatch):
    """The grader fails on one student (a bug, a full disk): their grade and autograded
    notebook stay as they were; the others are graded."""
    from medialit.course import batch

    course, _ = graded
    before = _scores(course)
    kept = (course.root / "autograded" / "all-correct" / gf.A1 / f"{gf.A1}.ipynb").read_bytes()
    real = batch.score_submission

    def broken(plan, folder):
        if folder.parent.name == "all-correct":
            raise OSError("No space left on device")
        return real(plan, folder)

    monkeypatch.setattr(batch, "score_submission", broken)
    report = c.grade(
        course.root, gf.A1, jobs=1, students=["all-correct", "genre-wrong"], progress=print
    )
    by = {r.student: r for r in report.results}
    assert by["all-correct"].status == "failed"
    assert "No space left on device" in "; ".join(by["all-correct"].problems)
    assert by["genre-wrong"].status == "graded"
    assert _scores(course) == before
    assert (
        course.root / "autograded" / "all-correct" / gf.A1 / f"{gf.A1}.ipynb"
    ).read_bytes() == kept
    assert main(["grade", str(course.root), gf.A1, "--student", "genre-wrong"]) == 0


def test_source_passes_validation_and_release_fails(tmp_path):
    """nbgrader validate still runs notebooks: the source (which fills in the model answers)
    passes, the release fails; the answers it leaves in source/ never reach a release."""
    course = _new_course(tmp_path / "course")
    source_nb = course.root / "source" / gf.A1 / f"{gf.A1}.ipynb"
    done = _nbgrader(["validate", str(source_nb)], course.root)
    assert "Success! Your notebook passes all the tests." in done.stdout + done.stderr
    left = course.root / "source" / gf.A1 / "answers" / f"{gf.A1}.json"
    assert left.is_file()  # validate ran the model-answer filler here
    done = _nbgrader(
        ["validate", str(course.root / "release" / gf.A1 / f"{gf.A1}.ipynb")], tmp_path
    )
    assert "Success!" not in done.stdout + done.stderr

    # plain nbgrader, with the course config's post-convert hook
    done = _nbgrader(["generate_assignment", gf.A1, "--force"], course.root)
    assert done.returncode == 0, done.stderr[-2000:]
    release = course.root / "release" / gf.A1
    assert (release / f"{gf.A1}.ipynb").is_file()
    assert not (release / "answers").exists()
    assert not [p for p in release.rglob("*.json")]
    # and medialit's own release step, which also checks
    from medialit.course.release import generate_release, saved_answers

    generate_release(course, gf.A1, progress=lambda m: None)
    assert saved_answers(release) == []
    assert left.is_file()  # the instructor's own file is not touched


def test_plain_nbgrader_autograde_scores_from_the_answers_too(tmp_path):
    """With the course config, nbgrader's own autograde (formgrader's button) runs the kit's
    scoring instead of the notebook: a hijacked notebook gets what its answers earn, and
    nothing from the submission but the notebook reaches autograded/."""
    course = _new_course(tmp_path / "course")
    submitted = course.root / "submitted"
    rel = gf.release()
    gf.write(submitted, "honest", rel, gf.answers_bytes())
    hijack = gf.with_code(
        "import medialit.grading as g\ng.score_item = lambda *a, **k: 3.0\n"
        "get_ipython().ast_node_interactivity = 'none'"
    )
    folder = gf.write(submitted, "hijacker", hijack, gf.answers_bytes(("responses",)))
    (folder / "secret.txt").symlink_to("/etc/hostname")
    done = _nbgrader(["autograde", gf.A1, "--force"], course.root)
    assert done.returncode == 0, done.stderr[-3000:]
    assert _scores(course) == {"hijacker": 3.0, "honest": 9.0}
    autograded = course.root / "autograded" / "hijacker" / gf.A1
    assert sorted(p.name for p in autograded.iterdir()) == [f"{gf.A1}.ipynb"]
    assert not (folder / "secret.txt").is_symlink()  # refused before nbgrader's copy
    # and medialit grade agrees with nbgrader's gradebook
    report = c.grade(course.root, gf.A1, progress=lambda m: None)
    assert {r.student: r.score for r in report.results} == {"hijacker": 3.0, "honest": 9.0}


def test_a_test_cell_that_is_not_a_medialit_check_is_left_for_a_person(tmp_path):
    """An instructor's own test cell (code that checks a variable) cannot be scored without
    running student code: it scores 0, is marked for grading by hand, and the run says so."""
    source = tmp_path / "src"
    shutil.copytree(gf.KIT / "solutions" / gf.A1, source / gf.A1)
    path = source / gf.A1 / f"{gf.A1}.ipynb"
    nb = nbformat.read(path, as_version=4)
    gf.cell(
        nb, "a1_genre_test"
    ).source = (
        'print("checking")\n### BEGIN HIDDEN TESTS\nassert genre == "opinion"\n### END HIDDEN TESTS'
    )
    nbformat.write(nb, path)
    course = c.init_course(
        tmp_path / "course", source=source, assignments=[gf.A1], progress=lambda m: None
    )
    (release,) = course.release_notebooks(gf.A1)
    gf.write(
        course.root / "submitted", "s1", nbformat.read(release, as_version=4), gf.answers_bytes()
    )
    report = c.grade(course.root, gf.A1, progress=lambda m: None)
    assert report.results[0].score == 8.0
    assert report.results[0].to_grade_by_hand == 1
    assert any("a1_genre_test" in n and "not a medialit check" in n for n in report.notes)


def _grade_in_background(root: Path, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "medialit", "grade", str(root), gf.A1, "--jobs", "2"],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        env=dict(os.environ),
    )


def _two_graders_at_once(course: c.Course, tmp_path: Path) -> None:
    rel = nbformat.read(course.release_notebooks(gf.A1)[0], as_version=4)
    gf.build(rel, course.root / "submitted")
    for i in range(40):  # enough students that the first run is still going
        gf.write(course.root / "submitted", f"extra-{i:02d}", rel, gf.answers_bytes(("responses",)))
    first = _grade_in_background(course.root, tmp_path / "first.log")
    time.sleep(1.5)
    second = _grade_in_background(course.root, tmp_path / "second.log")
    assert first.wait(timeout=300) == 0, (tmp_path / "first.log").read_text()[-3000:]
    assert second.wait(timeout=300) == 0, (tmp_path / "second.log").read_text()[-3000:]
    expected = {name: score for name, (_, score) in gf.FIXTURES.items()}
    expected |= {f"extra-{i:02d}": 3.0 for i in range(40)}
    assert _scores(course) == expected
    report = pd.read_csv(course.root / "reports" / f"grades-{gf.A1}.csv")
    assert set(report["status"]) == {"graded"}


def test_two_graders_at_once_on_sqlite(tmp_path):
    _two_graders_at_once(_new_course(tmp_path / "course"), tmp_path)


def test_two_graders_at_once_on_postgresql(tmp_path, postgres_url):
    import pg

    url = pg.new_database(postgres_url, "two_graders")
    _two_graders_at_once(_new_course(tmp_path / "course", db_url=url), tmp_path)


def test_a_second_grader_that_will_not_wait_is_told_who_holds_the_assignment(tmp_path, capsys):
    from medialit.course.lock import assignment_lock

    course = _new_course(tmp_path / "course")
    gf.write(course.root / "submitted", "s1", gf.release(), gf.answers_bytes())
    with assignment_lock(course, gf.A1, "grading", wait=0):
        code = main(["grade", str(course.root), gf.A1, "--wait", "0"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{gf.A1} is being graded by" in err and "process" in err and "--wait" in err
    assert main(["grade", str(course.root), gf.A1, "--wait", "0"]) == 0


def test_course_demo_runs_the_whole_workflow(tmp_path, capsys):
    """``medialit course demo``: init, grade, feedback, export and chart; numbers add up."""
    target = tmp_path / "demo"
    argv = ["course", "demo", str(target), "--students", "8", "--assignment", gf.A1]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert f"{gf.A1}: 8 submissions (8 graded)" in out
    assert "Per-question rows add up to each student's total: yes." in out
    assert "Feedback files: 8 " in out
    reports = target / "reports"
    assert (reports / f"distribution-{gf.A1}.png").read_bytes().startswith(b"\x89PNG")
    grades = pd.read_csv(reports / f"grades-{gf.A1}.csv")
    long = pd.read_csv(reports / "grades-per-question.csv")
    totals = long.groupby("student")["score"].sum()
    for row in grades.itertuples():
        assert abs(totals[row.student] - row.score) < 1e-6
    assert grades["score"].nunique() > 1


def test_the_gradebook_rows_look_like_nbgrader_autograde_made_them(graded):
    """formgrader and nbgrader export read these rows: the submission, every grade cell,
    and the comment of an untouched answer cell."""
    from nbgrader.api import Gradebook

    course, _ = graded
    with Gradebook(course.db_url) as gb:
        sub = gb.find_submission(gf.A1, "blank")
        (snb,) = sub.notebooks
        grades = {g.name: (g.auto_score, g.needs_manual_grade) for g in snb.grades}
        assert grades["a1_genre_test"] == (0.0, False)
        assert grades["a1_evidence_why"] == (0.0, False)  # untouched answer: 0, as nbgrader
        comments = {cm.name: cm.auto_comment for cm in snb.comments}
        assert comments["a1_evidence_why"] == "No response."
        sub = gb.find_submission(gf.A1, "all-correct")
        assert float(sub.score) == 9.0 and float(sub.max_score) == 12.0


def test_a_student_answer_written_by_hand_waits_for_a_person(tmp_path):
    course = _new_course(tmp_path / "course")
    nb = gf.release()
    gf.cell(nb, "a1_evidence_why").source = "P8.S1 supports P7.S1: it gives one case."
    gf.write(course.root / "submitted", "writer", nb, gf.answers_bytes())
    report = c.grade(course.root, gf.A1, progress=lambda m: None)
    assert report.results[0].to_grade_by_hand == 1
    assert report.results[0].score == 9.0
    saved = json.loads(
        (course.root / "autograded" / "writer" / gf.A1 / f"{gf.A1}.ipynb").read_text()
    )
    texts = ["".join(cell["source"]) for cell in saved["cells"]]
    assert "P8.S1 supports P7.S1: it gives one case." in texts


def test_worker_processes_give_the_same_gradebook(graded, monkeypatch):
    """Scoring in worker processes (large classes) writes exactly what one process writes."""
    from medialit.course import batch

    course, _ = graded
    before = c.per_question(course)
    monkeypatch.setattr(batch, "POOL_THRESHOLD", 1)
    report = c.grade(course.root, gf.A1, jobs=2, progress=lambda m: None)
    assert {r.status for r in report.results} == {"graded"}
    pd.testing.assert_frame_equal(c.per_question(course), before)


def test_a_named_student_with_nothing_handed_in_gets_no_grade_not_a_zero(graded):
    from nbgrader.api import Gradebook, MissingEntry

    course, _ = graded
    report = c.grade(course.root, gf.A1, students=["ghost"], progress=lambda m: None)
    (result,) = report.results
    assert result.status == "not submitted"
    assert "nothing handed in" in result.problems[0]
    with Gradebook(course.db_url) as gb, pytest.raises(MissingEntry):
        gb.find_submission(gf.A1, "ghost")
    assert main(["grade", str(course.root), gf.A1, "--student", "ghost"]) == 0


def test_a_student_without_a_submission_is_blank_in_the_lms_export(graded, tmp_path):
    """On the class list but never handed in: blank in the LMS file (not 0.0)."""
    from nbgrader.api import Gradebook

    course, _ = graded
    with Gradebook(course.db_url) as gb:
        gb.update_or_create_student("absent", first_name="Ada", last_name="Absent")
    assert main(["export", str(course.root), "--out", str(tmp_path)]) == 0
    canvas = pd.read_csv(tmp_path / "gradebook-canvas.csv", dtype=str, keep_default_na=False)
    rows = canvas.set_index("SIS User ID")[gf.A1]
    assert rows["absent"] == ""
    assert float(rows["all-correct"]) == 9.0
    assert main(["export", str(course.root), "--lms", "moodle", "--out", str(tmp_path)]) == 0
    moodle = pd.read_csv(tmp_path / "gradebook-moodle.csv", dtype=str, keep_default_na=False)
    assert moodle.set_index("Username")[gf.A1]["absent"] == ""
