"""Instructor commands: help, readable errors, the config they write, the pre-flight check.

Fast tests only (no kernel); the full pipeline is in ``test_grading_e2e.py``.
"""

from __future__ import annotations

import copy

import grading_fixtures as gf
import nbformat
import pytest

from medialit import course as c
from medialit.cli import main


@pytest.mark.parametrize(
    "argv",
    [
        ["course", "--help"],
        ["course", "init", "--help"],
        ["course", "demo", "--help"],
        ["grade", "--help"],
        ["feedback", "--help"],
        ["export", "--help"],
    ],
)
def test_every_command_has_help(argv, capsys):
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: medialit")
    assert len(out.splitlines()) > 5


def test_grade_help_names_the_protections(capsys):
    with pytest.raises(SystemExit):
        main(["grade", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    for words in ("--jobs", "--wait", "no student code runs", "never stops the batch"):
        assert words in out


@pytest.mark.parametrize(
    "argv", [["grade", "{d}", "a1_claims"], ["feedback", "{d}", "a1"], ["export", "{d}"]]
)
def test_a_folder_that_is_no_course_gives_one_readable_line(argv, tmp_path, capsys):
    code = main([a.format(d=tmp_path) for a in argv])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert "is not a course folder" in err and "medialit course init" in err


def test_init_refuses_an_existing_course_and_keeps_it(tmp_path, capsys):
    (tmp_path / "nbgrader_config.py").write_text("# mine\n")
    assert main(["course", "init", str(tmp_path), "--source", str(tmp_path)]) == 2
    assert "already holds a course" in capsys.readouterr().err
    assert (tmp_path / "nbgrader_config.py").read_text() == "# mine\n"


def test_init_names_a_missing_assignment(tmp_path, capsys):
    source = gf.KIT / "solutions"
    code = main(
        [
            "course",
            "init",
            str(tmp_path / "course"),
            "--source",
            str(source),
            "--assignment",
            "a9_nothing",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "No source assignment a9_nothing" in err and "a1_claims" in err
    assert not (tmp_path / "course").exists()


def test_init_needs_some_assignments(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    code = main(["course", "init", str(tmp_path / "course"), "--source", str(tmp_path / "empty")])
    assert code == 2
    assert "No nbgrader source assignments" in capsys.readouterr().err


def test_bad_numbers_are_refused(capsys):
    with pytest.raises(SystemExit) as done:
        main(["grade", "x", "y", "--jobs", "0"])
    assert done.value.code == 2
    assert "must be 1 or more" in capsys.readouterr().err


def _config(tmp_path, timeout=7):
    from traitlets.config.loader import PyFileConfigLoader

    from medialit.course.init_course import CONFIG_TEMPLATE

    text = CONFIG_TEMPLATE.format(course_id="x", db_url="sqlite:///g.db", timeout=timeout)
    (tmp_path / "nbgrader_config.py").write_text(text)
    return PyFileConfigLoader("nbgrader_config.py", path=str(tmp_path)).load_config()


def test_the_config_scores_from_answers_and_keeps_the_release_clean(tmp_path):
    from nbgrader.preprocessors import Execute, SaveAutoGrades

    from medialit.course.preprocessor import ScoreAnswers
    from medialit.course.settings import CODE_STUB

    config = _config(tmp_path)
    steps = config.Autograde.autograde_preprocessors
    assert ScoreAnswers in steps and SaveAutoGrades in steps and Execute not in steps
    assert steps.index(ScoreAnswers) < steps.index(SaveAutoGrades)
    assert config.Autograde.pre_convert_hook == "medialit.course.preprocessor.refuse_links"
    assert config.GenerateAssignment.post_convert_hook == (
        "medialit.course.release.drop_saved_answers"
    )
    assert config.OverwriteCells.add_missing_cells is True
    assert config.Execute.timeout == 7  # nbgrader validate still runs notebooks
    assert config.LockCells.lock_all_cells is True
    assert config.ClearSolutions.code_stub == {"python": CODE_STUB}
    assert config.Autograde.exclude_overwriting["a1_claims"] == ["answers/a1_claims.json"]
    assert c.HideAnswerKeys in config.GenerateFeedback.preprocessors
    assert config.CourseDirectory.db_url == "sqlite:///g.db"


def test_the_warning_pattern_matches_warnings_not_errors(tmp_path):
    import re

    pattern = _config(tmp_path).IgnorePattern.pattern
    warning = "/tmp/ipykernel_41/2431.py:5: FutureWarning: comparing answers will change\n"
    assert re.search(pattern, warning)
    assert re.search(pattern, "x.py:3: DeprecationWarning: old\n  warn()\n")
    assert not re.search(pattern, "Traceback (most recent call last):\nValueError: x")


def test_db_url_is_read_back_from_the_config(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.db_url = 'postgresql://u@h/db'\n"
    )
    course = c.open_course(tmp_path)
    assert course.db_url == "postgresql://u@h/db"
    assert not course.uses_sqlite


# -----------------------------------------------------------------------------------------
# intake and pre-flight, on bytes in memory (no nbgrader run needed)
# -----------------------------------------------------------------------------------------


def _read(tmp_path, student, build):
    from medialit.course.intake import read_submission
    from medialit.course.preflight import parse_notebook, preflight

    folder = build(gf.release(), tmp_path / "submitted")
    release, _ = parse_notebook(gf.RELEASE.read_bytes())
    sub = read_submission(tmp_path / "submitted" / student / gf.A1)
    return sub, preflight(sub, {f"{gf.A1}.ipynb": release}, gf.A1), folder


def test_preflight_finds_nothing_wrong_with_a_good_submission(tmp_path):
    sub, check, _ = _read(tmp_path, "all-correct", gf.all_correct)
    assert check.problems == []
    assert check.answers_name == f"answers/{gf.A1}.json"
    assert sorted(sub.files) == [f"{gf.A1}.ipynb", f"answers/{gf.A1}.json"]


@pytest.mark.parametrize("name", sorted(gf.PROBLEMS))
def test_preflight_names_each_problem(tmp_path, name):
    if name == "answers-file-corrupt":  # found when the file is parsed, in the scoring step
        return
    _, check, _ = _read(tmp_path, name, gf.FIXTURES[name][0])
    assert any(gf.PROBLEMS[name] in p for p in check.problems), check.problems


def test_preflight_never_changes_the_submission(tmp_path):
    _, _, folder = _read(tmp_path, "notebook-renamed", gf.notebook_renamed)
    assert sorted(p.name for p in folder.iterdir()) == ["a1_claims (1).ipynb", "answers"]


def test_two_unexpected_notebooks_are_not_guessed(tmp_path):
    from medialit.course.intake import read_submission
    from medialit.course.preflight import parse_notebook, preflight

    folder = gf.notebook_renamed(gf.release(), tmp_path / "submitted")
    (folder / "other.ipynb").write_bytes((folder / "a1_claims (1).ipynb").read_bytes())
    release, _ = parse_notebook(gf.RELEASE.read_bytes())
    check = preflight(read_submission(folder), {f"{gf.A1}.ipynb": release}, gf.A1)
    assert any(p.startswith(f"notebook missing: {gf.A1}.ipynb") for p in check.problems)
    assert check.notebooks[f"{gf.A1}.ipynb"] is None


def test_sanitize_keeps_the_last_copy_of_a_duplicated_answer_and_restores_deleted_cells():

    from medialit.course.preflight import grade_id, parse_notebook
    from medialit.course.sanitize import sanitize

    release, _ = parse_notebook(gf.RELEASE.read_bytes())
    source, _ = parse_notebook((gf.KIT / "solutions" / gf.A1 / f"{gf.A1}.ipynb").read_bytes())
    nb = copy.deepcopy(release)
    first = copy.deepcopy(gf.cell(nb, gf.START))
    first.source = "# first copy"
    gf.cell(nb, gf.START).source = "# second copy"
    nb.cells.insert(nb.cells.index(gf.cell(nb, gf.START)), first)
    nb.cells.remove(gf.cell(nb, "a1_roles_test"))
    out = sanitize(nb, release, source)
    ids = [grade_id(cell) for cell in out.cells]
    assert ids == [grade_id(cell) for cell in release.cells]
    assert gf.cell(out, gf.START).source == "# second copy"
    assert "### BEGIN HIDDEN TESTS" in gf.cell(out, "a1_roles_test").source
    assert "fill_answers" not in gf.cell(out, gf.START).source  # never the model answers


# -----------------------------------------------------------------------------------------
# feedback hygiene
# -----------------------------------------------------------------------------------------


def test_hide_answer_keys_strips_hidden_tests_and_their_tracebacks():
    cell = nbformat.v4.new_code_cell(
        'print("Where the piece was published tells you its genre.")\n'
        "### BEGIN HIDDEN TESTS\n"
        'assert genre == "opinion", "not the genre"\n'
        "### END HIDDEN TESTS",
        metadata={"nbgrader": {"grade": True, "solution": False, "grade_id": "t", "points": 1}},
    )
    cell.outputs = [
        nbformat.v4.new_output(
            "error",
            ename="AssertionError",
            evalue="not the genre",
            traceback=['assert genre == "opinion", "not the genre"'],
        )
    ]
    cleaned, _ = c.HideAnswerKeys().preprocess_cell(cell, {}, 0)
    assert "HIDDEN" not in cleaned.source and "assert genre" not in cleaned.source
    assert "Where the piece was published" in cleaned.source
    assert cleaned.outputs[0].traceback == ["AssertionError: the check did not pass."]
    assert cleaned.outputs[0].evalue == ""


def test_find_leaks_reads_html_and_notebooks_as_a_person_would(tmp_path):
    key = '{"P1.S1": "evidence"}'
    (tmp_path / "a.html").write_text('<span>{&quot;P1.S1&quot;</span>: <b>"evidence"}</b>')
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"key = {key}")])
    nbformat.write(nb, tmp_path / "b.ipynb")
    (tmp_path / "c.txt").write_text("P1.S1 is evidence")
    found = sorted(p.name for p, _ in c.find_leaks(tmp_path, [key]))
    assert found == ["a.html", "b.ipynb"]


def test_answer_key_strings_include_hidden_test_lines(tmp_path):
    import shutil

    shutil.copytree(gf.KIT / "solutions" / gf.A1, tmp_path / "source" / gf.A1)
    keys = c.answer_key_strings(c.Course(tmp_path), gf.A1)
    assert 'score_item("a1_genre", key=["opinion"])' in keys


def test_course_checks_close_and_reopen_with_one_command(tmp_path, capsys):
    """Course mode: 'course checks init' closes every assignment, 'open NAME' reopens one."""
    from medialit import course_mode
    from medialit.cli import main

    assert main(["course", "checks", "init", "--config", str(tmp_path)]) == 0
    path = tmp_path / course_mode.CONFIG_NAME
    everything = course_mode.read_config(path)
    assert "a1_claims" in everything and len(everything) == 4
    assert main(["course", "checks", "open", "a1_claims", "--config", str(tmp_path)]) == 0
    assert course_mode.read_config(path) == everything - {"a1_claims"}
    out = capsys.readouterr().out
    assert "a1_claims: checks open" in out
    assert "a2_evidence: checks closed until feedback" in out
    assert main(["course", "checks", "open", "a9_nothing", "--config", str(tmp_path)]) == 2
    assert "Unknown assignment(s) a9_nothing" in capsys.readouterr().err
    assert course_mode.read_config(path) == everything - {"a1_claims"}


@pytest.mark.parametrize(
    "text, why",
    [
        (b"\xff\xfe", "not UTF-8"),
        (b'{"cells": 5}', "not a notebook"),
        (b'{"cells": ["x"], "nbformat": 4, "nbformat_minor": 5, "metadata": {}}', "not a cell"),
        (
            b'{"cells": [{"cell_type": "code", "source": 7, "metadata": {}}], "nbformat": 4,'
            b' "nbformat_minor": 5, "metadata": {}}',
            "has no text",
        ),
        (
            b'{"cells": [{"cell_type": "code", "source": "", "metadata": 5}], "nbformat": 4,'
            b' "nbformat_minor": 5, "metadata": {}}',
            "broken metadata",
        ),
        (
            b'{"cells": [{"cell_type": "code", "source": "", "metadata": {"nbgrader":'
            b' {"grade_id": [1]}}}], "nbformat": 4, "nbformat_minor": 5, "metadata": {}}',
            "broken grade id",
        ),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deep"),
    ],
)
def test_a_hostile_notebook_is_refused_with_a_reason(text, why):
    from medialit.course.preflight import parse_notebook

    nb, reason = parse_notebook(text)
    assert nb is None and why in reason


def test_intake_caps_sizes_and_refuses_what_is_not_a_plain_file(tmp_path, monkeypatch):
    import os

    from medialit.course import intake

    folder = tmp_path / "submitted" / "s1" / gf.A1
    (folder / "answers").mkdir(parents=True)
    (folder / "answers" / f"{gf.A1}.json").write_bytes(b"x" * (intake.MAX_ANSWERS_BYTES + 1))
    (folder / "a1_claims.ipynb").write_bytes(gf.RELEASE.read_bytes())
    os.mkfifo(folder / "pipe.json")
    (folder / "link.ipynb").symlink_to(gf.RELEASE)
    (folder / "notes.txt").write_text("not read: grading does not need it")
    sub = intake.read_submission(folder)
    text = "; ".join(sub.problems)
    assert "file too large: answers/a1_claims.json" in text
    assert "refused: pipe.json is a FIFO" in text
    assert f"link refused: link.ipynb is a symbolic link to {gf.RELEASE}" in text
    assert sorted(sub.files) == [f"{gf.A1}.ipynb"]
    monkeypatch.setattr(intake, "MAX_ENTRIES", 3)
    assert "too many files" in "; ".join(intake.read_submission(folder).problems)


def test_the_course_settings_file_is_readable_by_students_and_written_by_the_instructor(
    tmp_path,
):
    import stat

    from medialit import course_mode

    path = course_mode.write_config(tmp_path, ["a1_claims"])
    mode = stat.S_IMODE(path.stat().st_mode)
    assert mode == 0o644
    course_mode.write_config(path, [])  # reopening keeps it readable
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_students_work_and_grades_are_the_instructors_alone(tmp_path):
    """On a shared machine, are the folders with students' work, feedback and grades closed to
    every other user (0700) from course init on, and closed again by any later command?"""
    import stat

    from medialit.course.folder import PRIVATE_FOLDERS, open_course
    from medialit.course.init_course import init_course

    course = init_course(tmp_path / "course", assignments=["a1_claims"], progress=lambda _: None)
    for name in PRIVATE_FOLDERS:
        assert stat.S_IMODE((course.root / name).stat().st_mode) == 0o700, name
    (course.root / "feedback").chmod(0o755)  # as nbgrader or a careless copy might leave it
    open_course(course.root)
    assert stat.S_IMODE((course.root / "feedback").stat().st_mode) == 0o700
