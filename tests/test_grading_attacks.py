"""Students attacking the grader: each gets what their handed-in answers earn, or is refused.

One course holds every attack of ``grading_fixtures.ATTACKS`` next to two honest students
(``all-correct`` and ``half-right``). It is graded once (``c.grade(..., jobs=2)``) and its
feedback generated once; each test then checks one student. A fair result is the score the
handed-in answers file earns (whatever the notebook's code would do if it ran), or 0 with a
problem line when the file is refused; and no attack changes another student's grade or any
file it does not own. The tests are named after what the student did, as nbgrader's are.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

import grading_fixtures as gf
import nbformat
import pytest

from medialit import course as c
from medialit import grading

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

A1 = gf.A1
MAX_SCORE = 12.0  # 9 autograded + 3 for the hand-graded a4_evidence_why
TEST_CELLS = {
    "a1_genre_test": "a1_genre",
    "a1_thesis_test": "a1_thesis",
    "a1_roles_test": "a1_roles",
    "a1_statements_test": "a1_statements",
}
#: Course-folder parts the grader and feedback are meant to write (not hashed).
WRITTEN_BY_GRADER = ("autograded", "feedback", "reports", ".medialit")


def _quiet(_message: str) -> None:
    pass


def _snapshot(root: Path, skip_top: tuple[str, ...] = ()) -> dict[str, str]:
    """relative path -> what is there, without following a link or opening a FIFO."""
    found: dict[str, str] = {}
    stack = [root]
    while stack:
        here = stack.pop()
        for entry in os.scandir(here):
            path = Path(entry.path)
            rel = path.relative_to(root).as_posix()
            if here == root and (entry.name in skip_top or entry.name.startswith("gradebook.db")):
                continue
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISLNK(info.st_mode):
                found[rel] = f"link -> {os.readlink(path)}"
            elif stat.S_ISDIR(info.st_mode):
                found[rel + "/"] = "folder"
                stack.append(path)
            elif stat.S_ISREG(info.st_mode):
                found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                found[rel] = f"special {stat.S_IFMT(info.st_mode):o}"
    return found


def _earned(answers_folder: Path, keys: dict) -> float:
    """What an answers file earns on a1_claims's autograded items, by the self-check's path
    (``score_item`` reading the file from disk, not the grader's in-memory parse)."""
    with contextlib.redirect_stdout(io.StringIO()):
        return round(
            sum(
                grading.score_item(item, key=keys[item], folder=answers_folder)
                for item in TEST_CELLS.values()
            ),
            2,
        )


def _sleepers() -> list[str]:
    """Command lines of running processes that run ``sleep 987``."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            raw = cmdline.read_bytes()
        except OSError:
            continue
        if b"sleep\x00987" in raw:
            found.append(raw.replace(b"\x00", b" ").decode(errors="replace"))
    return found


@dataclass
class Graded:
    course: c.Course
    report: c.GradeReport
    expected: dict[str, float]
    before: dict[str, str]  # the course folder before grading (grader's own parts left out)
    after: dict[str, str]  # the same after grading and feedback
    grade_seconds: float
    feedback_files: list[Path]
    victim_home: Path
    victim_home_before: str
    sleepers_before: list[str]
    results: dict[str, c.StudentResult] = field(default_factory=dict)

    def result(self, student: str) -> c.StudentResult:
        return self.results[student]

    def autograded(self, student: str) -> Path:
        return self.course.root / "autograded" / student / A1 / f"{A1}.ipynb"

    def feedback_html(self, student: str) -> Path:
        return self.course.root / "feedback" / student / A1 / f"{A1}.html"

    def cell_scores(self, student: str) -> dict[str, float]:
        """grade id -> the score each test cell shows in the autograded notebook."""
        nb = nbformat.read(self.autograded(student), as_version=4)
        scores = {}
        for cell in nb.cells:
            gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if gid in TEST_CELLS:
                (result,) = [o for o in cell.outputs if o.output_type == "execute_result"]
                scores[gid] = float(result.data["text/plain"])
        return scores


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> Graded:
    base = tmp_path_factory.mktemp("attacks")
    course = c.init_course(base / "kit", assignments=[A1], progress=_quiet)
    (rel_path,) = course.release_notebooks(A1)
    rel = nbformat.read(rel_path, as_version=4)
    submitted = course.root / "submitted"
    students = gf.build_attacks(rel, submitted)
    keys = grading.hidden_keys(course.root / "source")
    expected = {"all-correct": gf.AUTO_POINTS}
    for name, (_, score, _) in gf.ATTACKS.items():
        expected[name] = score if score is not None else -1.0
    expected["half-right"] = _earned(submitted / "half-right" / A1 / "answers", keys)
    victim_home = gf.classmate_home_answers(submitted)
    victim_home_before = hashlib.sha256(victim_home.read_bytes()).hexdigest()
    sleepers_before = _sleepers()
    before = _snapshot(course.root, WRITTEN_BY_GRADER)

    started = time.monotonic()
    report = c.grade(course.root, A1, jobs=2, progress=_quiet)
    grade_seconds = time.monotonic() - started
    feedback_files = c.feedback(course.root, A1, progress=_quiet)

    after = _snapshot(course.root, WRITTEN_BY_GRADER)
    out = Graded(
        course,
        report,
        expected,
        before,
        after,
        grade_seconds,
        feedback_files,
        victim_home,
        victim_home_before,
        sleepers_before,
    )
    out.results = {r.student: r for r in report.results}
    assert sorted(out.results) == sorted(students)
    return out


def _others_unchanged(graded: Graded, attacker: str) -> None:
    """Every other student has the grade their own answers earn, and every file of theirs
    in submitted/ is as they handed it in."""
    for student, want in graded.expected.items():
        if student == attacker:
            continue
        result = graded.result(student)
        assert result.status == "graded", (student, result.problems)
        assert result.score == want, (student, result.score, want, result.problems)
        prefix = f"submitted/{student}/"
        mine = {k: v for k, v in graded.before.items() if k.startswith(prefix)}
        assert mine, student
        assert {k: v for k, v in graded.after.items() if k.startswith(prefix)} == mine, student
    assert graded.after == graded.before


def _assert_fair(graded: Graded, student: str, problem: str | None = None) -> c.StudentResult:
    result = graded.result(student)
    assert result.status == "graded", result.problems
    assert result.score == graded.expected[student], result.problems
    assert result.max_score == MAX_SCORE
    if problem is not None:
        assert any(problem in line for line in result.problems), result.problems
    _others_unchanged(graded, student)
    return result


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- the honest students ---------------------------------------------------------------------


def test_all_correct_student_gets_full_autograded_marks_and_no_problem(graded):
    result = _assert_fair(graded, "all-correct")
    assert result.score == gf.AUTO_POINTS
    assert result.problems == []
    assert graded.cell_scores("all-correct") == {
        "a1_genre_test": 1.0,
        "a1_thesis_test": 2.0,
        "a1_roles_test": 3.0,
        "a1_statements_test": 3.0,
    }


def test_half_right_student_gets_what_their_answers_earn(graded):
    result = _assert_fair(graded, "half-right")
    assert 0 < result.score < gf.AUTO_POINTS
    assert result.problems == []


def test_gradebook_holds_the_scores_of_the_report(graded):
    from nbgrader.api import Gradebook

    with Gradebook(graded.course.db_url) as gb:
        for student, want in graded.expected.items():
            sub = gb.find_submission(A1, student)
            assert round(sub.score, 2) == want, student
            assert sub.max_score == MAX_SCORE


# -- attacks from code in the notebook ------------------------------------------------------


def test_student_who_monkeypatches_the_scorer_gets_what_their_answers_earn(graded):
    _assert_fair(graded, "monkeypatched-scorer")
    assert graded.result("monkeypatched-scorer").score == 3.0
    assert graded.cell_scores("monkeypatched-scorer") == {
        "a1_genre_test": 1.0,
        "a1_thesis_test": 2.0,
        "a1_roles_test": 0.0,
        "a1_statements_test": 0.0,
    }


def test_student_who_silences_output_gets_what_their_answers_earn(graded):
    _assert_fair(graded, "silenced-output")
    scores = graded.cell_scores("silenced-output")  # every test cell shows its score
    assert sum(scores.values()) == gf.AUTO_POINTS - 1


def test_student_who_hijacks_the_display_of_floats_gets_what_their_answers_earn(graded):
    _assert_fair(graded, "display-hijack")
    nb = nbformat.read(graded.autograded("display-hijack"), as_version=4)
    outputs = json.dumps([cell.get("outputs", []) for cell in nb.cells])
    assert "full marks" not in outputs
    assert "full marks" not in c.html_text(graded.feedback_html("display-hijack")).replace(
        "p.text('full marks')", ""
    )


def test_student_whose_code_writes_full_marks_answers_at_grade_time_gets_what_they_handed_in(
    graded,
):
    student = "answers-written-at-grade-time"
    _assert_fair(graded, student)
    assert graded.result(student).score == 3.0


def test_student_whose_code_truncates_the_answers_at_grade_time_gets_what_they_handed_in(graded):
    student = "answers-truncated-at-grade-time"
    _assert_fair(graded, student)
    assert graded.result(student).score == gf.AUTO_POINTS
    answers = graded.course.root / "submitted" / student / A1 / "answers" / f"{A1}.json"
    assert answers.stat().st_size > 0


def test_student_whose_code_writes_outside_the_submission_changes_nothing(graded):
    student = "writes-outside-submission"
    _assert_fair(graded, student)
    root = graded.course.root
    assert graded.after == graded.before  # config, source, release, submitted: unchanged
    assert list(root.parent.rglob("planted.txt")) == []
    assert not (root / "submitted" / "other").exists()
    assert "planted" not in (root / c.CONFIG_NAME).read_text()
    for path in (root / "feedback").rglob("*"):
        if path.is_file():
            assert path.suffix == ".html" or path.name == "timestamp.txt", path
    for path in [*(root / "autograded").rglob("*"), *(root / "feedback").rglob("*")]:
        assert not path.is_symlink(), path


def test_student_who_starts_an_escaping_process_leaves_no_process(graded):
    _assert_fair(graded, "escaping-process")
    assert graded.sleepers_before == []
    assert _sleepers() == []


def test_student_with_byte_huge_output_gets_what_their_answers_earn_and_small_files(graded):
    student = "huge-output"
    _assert_fair(graded, student)
    handed_in = graded.course.root / "submitted" / student / A1 / f"{A1}.ipynb"
    assert handed_in.stat().st_size > gf.HUGE_OUTPUT_BYTES  # the output was handed in
    assert graded.autograded(student).stat().st_size < 1_000_000
    assert graded.feedback_html(student).stat().st_size < 1_000_000


# -- attacks with the answers file ------------------------------------------------------------


def test_student_whose_answers_are_a_symlink_to_a_classmates_file_is_refused(graded):
    student = "answers-symlinked-to-classmate"
    _assert_fair(graded, student, "link refused")
    link = graded.course.root / "submitted" / student / A1 / "answers" / f"{A1}.json"
    assert link.is_symlink()
    classmate = graded.course.root / "submitted" / "all-correct" / A1 / "answers" / f"{A1}.json"
    key = classmate.relative_to(graded.course.root).as_posix()
    assert graded.after[key] == graded.before[key] == _sha(classmate)
    assert graded.result("all-correct").score == gf.AUTO_POINTS


def test_student_whose_answers_are_a_symlink_to_etc_passwd_is_refused_and_reads_nothing(graded):
    _assert_fair(graded, "answers-symlinked-to-etc-passwd", "link refused")
    lines = [ln for ln in Path("/etc/passwd").read_text().splitlines() if len(ln) >= 12]
    assert lines and lines[0].startswith("root:")
    root = graded.course.root
    for folder in ("autograded", "feedback"):
        for path in (root / folder).rglob("*"):
            if path.is_file():
                text = path.read_text(encoding="utf-8", errors="replace")
                assert "root:x:" not in text, path
                for line in lines:
                    assert line not in text, (path, line)


def test_student_whose_answers_are_a_hard_link_to_a_classmates_file_is_refused(graded):
    student = "answers-hard-linked-to-classmate"
    _assert_fair(graded, student, "hard link")
    assert _sha(graded.victim_home) == graded.victim_home_before


def test_student_whose_submission_folder_is_a_symlink_to_a_classmates_is_refused(graded):
    student = "submission-folder-symlinked"
    result = _assert_fair(graded, student, "symbolic link")
    assert any("submission folder" in line for line in result.problems), result.problems
    root = graded.course.root
    assert (root / "submitted" / student / A1).is_symlink()
    autograded = root / "autograded" / student / A1
    assert autograded.is_dir() and not autograded.is_symlink()
    assert (root / "autograded" / "all-correct" / A1).is_dir()
    assert graded.cell_scores(student) == dict.fromkeys(TEST_CELLS, 0.0)
    assert graded.cell_scores("all-correct")["a1_roles_test"] == 3.0


def test_student_whose_answers_file_is_too_large_is_refused(graded):
    result = _assert_fair(graded, "answers-too-large", "too large")
    assert graded.cell_scores("answers-too-large")["a1_roles_test"] == 0.0
    assert graded.cell_scores("answers-too-large")["a1_statements_test"] == 0.0
    assert result.score == 0.0


def test_student_whose_answers_are_nested_5000_deep_gets_a_problem_not_a_crash(graded):
    result = _assert_fair(graded, "answers-nested-deep", "answers file unusable")
    assert result.score == 0.0
    assert any("nested deeper than" in p for p in result.problems), result.problems


def test_student_whose_answers_file_is_a_fifo_is_refused_quickly(graded):
    _assert_fair(graded, "answers-fifo", "is a FIFO")
    assert graded.grade_seconds < 30


def test_student_who_hands_in_answers_of_another_assignment_gets_0(graded):
    _assert_fair(graded, "answers-for-wrong-assignment", "wrong assignment")
    assert graded.cell_scores("answers-for-wrong-assignment") == dict.fromkeys(TEST_CELLS, 0.0)


def test_student_whose_answers_file_is_beside_the_notebook_is_graded_from_there(graded):
    result = _assert_fair(graded, "answers-beside-notebook", "beside the notebook")
    assert result.score == gf.AUTO_POINTS


def test_student_who_moves_the_locked_import_cell_is_reported_and_graded_fairly(graded):
    result = _assert_fair(graded, "import-cell-moved", "locked cell moved")
    assert result.score == gf.AUTO_POINTS
    nb = nbformat.read(graded.autograded("import-cell-moved"), as_version=4)
    ids = [cell.metadata.get("nbgrader", {}).get("grade_id") for cell in nb.cells]
    assert ids.index("imports") < ids.index(gf.START)  # put back in place


def test_student_who_moves_the_locked_import_cell_sees_that_cell_named(graded):
    (line,) = [p for p in graded.result("import-cell-moved").problems if "moved" in p]
    assert "locked cell moved: imports (" in line


def test_students_who_hand_in_identical_answers_are_both_reported_without_penalty(graded):
    one, two = gf.IDENTICAL_STUDENTS
    for student, other in ((one, two), (two, one)):
        result = _assert_fair(graded, student, "identical byte for byte")
        assert result.score == gf.AUTO_POINTS - 1
        (line,) = [p for p in result.problems if "identical byte for byte" in p]
        assert other in line and "no penalty" in line
    for student in graded.expected:
        if student not in gf.IDENTICAL_STUDENTS:
            assert not any("identical" in p for p in graded.result(student).problems), student


# -- feedback --------------------------------------------------------------------------------


def test_feedback_of_every_student_holds_no_answer_key(graded):
    course = graded.course
    assert sorted(p.parent.parent.name for p in graded.feedback_files) == sorted(graded.expected)
    keys = c.answer_key_strings(course, A1)
    assert keys
    assert c.find_leaks(course.root / "feedback", keys) == []


def test_half_right_feedback_shows_the_lines_of_the_students_own_self_check(
    graded, tmp_path, monkeypatch, capsys
):
    from medialit import course_mode

    monkeypatch.chdir(tmp_path)  # no medialit_course.json here or above: course mode off
    monkeypatch.delenv("MEDIALIT_COURSE_CONFIG", raising=False)
    assert not course_mode.current().locked
    folder = graded.course.root / "submitted" / "half-right" / A1 / "answers"
    keys = grading.hidden_keys(graded.course.root / "source")
    shown = " ".join(c.html_text(graded.feedback_html("half-right")).split())
    total = 0.0
    for item_id in TEST_CELLS.values():
        capsys.readouterr()
        total += grading.score_item(item_id, key=keys[item_id], folder=folder)
        lines = [ln for ln in capsys.readouterr().out.splitlines() if ln.strip()]
        checked = grading.check_item(item_id, folder=folder)
        own = [ln for ln in capsys.readouterr().out.splitlines() if ln.strip()]
        # the self-check prints the grader's lines but its score line is the cell's result
        assert lines and own[: len(lines) - 1] == lines[:-1], item_id
        assert checked.sentence == lines[-1] and float(checked) == float(lines[-1].split()[1])
        for line in lines:
            assert " ".join(line.split()) in shown, (item_id, line)
    assert round(total, 2) == graded.result("half-right").score
