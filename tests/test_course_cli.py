"""Instructor commands: help, readable errors, the config they write, the pre-flight check.

Fast tests only (no kernel); the full pipeline is in ``test_grading_e2e.py``.
"""

from __future__ import annotations

import copy
import json

import grading_fixtures as gf
import nbformat
import pytest
from nbgrader.utils import compute_checksum

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
    for words in ("--jobs", "--timeout", "--budget", "never stops the batch"):
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
    source = gf.tiny_assignment(tmp_path / "src")
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
    assert "No source assignment a9_nothing" in err and "tiny" in err
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


def test_the_config_turns_the_protections_on(tmp_path):
    from traitlets.config.loader import PyFileConfigLoader

    from medialit.grading import CODE_STUB

    text = c.CONFIG_TEMPLATE.format(
        course_id="x", db_url="sqlite:///g.db", timeout=7, exclude={"tiny": ["answers/tiny.json"]}
    )
    (tmp_path / "nbgrader_config.py").write_text(text)
    config = PyFileConfigLoader("nbgrader_config.py", path=str(tmp_path)).load_config()
    assert config.IgnorePattern.enabled is True
    assert config.IgnorePattern.pattern
    assert config.OverwriteCells.add_missing_cells is True
    assert config.Execute.timeout == 7
    assert config.LimitOutput.max_lines == 200
    assert config.LockCells.lock_all_cells is True
    assert config.ClearSolutions.code_stub == {"python": CODE_STUB}
    assert config.Autograde.exclude_overwriting == {"tiny": ["answers/tiny.json"]}
    assert c.HideAnswerKeys in config.GenerateFeedback.preprocessors
    assert config.CourseDirectory.db_url == "sqlite:///g.db"


def test_the_warning_pattern_matches_warnings_not_errors(tmp_path):
    import re

    from traitlets.config.loader import PyFileConfigLoader

    text = c.CONFIG_TEMPLATE.format(course_id="x", db_url="sqlite:///g.db", timeout=7, exclude={})
    (tmp_path / "nbgrader_config.py").write_text(text)
    pattern = (
        PyFileConfigLoader("nbgrader_config.py", path=str(tmp_path))
        .load_config()
        .IgnorePattern.pattern
    )
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
# pre-flight, on a release built here (no nbgrader run needed)
# -----------------------------------------------------------------------------------------


def _fake_release(path):
    """The tiny source as nbgrader releases it: solutions and hidden tests out, checksums in."""
    import re

    nb = gf.tiny_source_notebook()
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        cell.source = re.sub(
            r"### BEGIN SOLUTION.*?### END SOLUTION",
            "# YOUR CODE HERE\nraise NotImplementedError()",
            cell.source,
            flags=re.S,
        )
        cell.source = re.sub(
            r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS\n?", "", cell.source, flags=re.S
        )
        if meta:
            meta["checksum"] = compute_checksum(cell)
    nbformat.write(nb, path)
    return path


@pytest.fixture
def release(tmp_path):
    return _fake_release(tmp_path / "tiny.ipynb")


def _submission(tmp_path, release, factory):
    factory(nbformat.read(release, as_version=4), tmp_path / "submitted", gf.TINY)
    (folder,) = (tmp_path / "submitted").iterdir()
    return folder / gf.TINY


def test_preflight_finds_nothing_wrong_with_a_good_submission(tmp_path, release):
    folder = _submission(tmp_path, release, gf.all_correct)
    check = c.preflight(folder, [release], gf.TINY)
    assert check.problems == [] and check.gradable


@pytest.mark.parametrize("name", sorted(gf.TINY_PROBLEMS))
def test_preflight_names_each_problem(tmp_path, release, name):
    folder = _submission(tmp_path, release, gf.TINY_FIXTURES[name][0])
    check = c.preflight(folder, [release], gf.TINY)
    if name in ("infinite-loop", "huge-output"):  # seen only after running: not pre-flight
        assert check.problems == []
        return
    assert any(gf.TINY_PROBLEMS[name] in p for p in check.problems), check.problems


def test_preflight_repairs_a_renamed_notebook(tmp_path, release):
    folder = _submission(tmp_path, release, gf.notebook_renamed)
    c.preflight(folder, [release], gf.TINY)
    assert sorted(p.name for p in folder.glob("*.ipynb")) == ["tiny.ipynb"]


def test_preflight_sets_a_malformed_notebook_aside(tmp_path, release):
    folder = _submission(tmp_path, release, gf.malformed_notebook_json)
    check = c.preflight(folder, [release], gf.TINY)
    assert not check.gradable
    assert "not valid JSON, line" in check.problems[0]
    assert (folder / "tiny.ipynb.unreadable").is_file()


def test_preflight_keeps_only_the_last_copy_of_a_duplicated_cell(tmp_path, release):
    folder = _submission(tmp_path, release, gf.cell_duplicated)
    c.preflight(folder, [release], gf.TINY)
    nb = nbformat.read(folder / "tiny.ipynb", as_version=4)
    ids = [cell.metadata.get("nbgrader", {}).get("grade_id") for cell in nb.cells]
    assert ids.count("genre_answer") == 1
    assert ids.index("genre_answer") == 2  # the second copy, as nbgrader grades the last


def test_two_unexpected_notebooks_are_not_guessed(tmp_path, release):
    folder = _submission(tmp_path, release, gf.notebook_renamed)
    (folder / "other.ipynb").write_text((folder / "tiny (1).ipynb").read_text())
    check = c.preflight(folder, [release], gf.TINY)
    assert "notebook missing: tiny.ipynb (scored 0)" in check.problems
    assert not check.gradable


# -----------------------------------------------------------------------------------------
# feedback hygiene
# -----------------------------------------------------------------------------------------


def test_hide_answer_keys_strips_hidden_tests_and_their_tracebacks():
    nb = gf.tiny_source_notebook()
    cell = copy.deepcopy(nb.cells[2])
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
    gf.tiny_assignment(tmp_path / "source")
    course = c.Course(tmp_path)
    keys = c.answer_key_strings(course, gf.TINY)
    assert f"tag_score({json.dumps(gf.TINY_KEY)})" in keys


def test_preflight_puts_a_deleted_test_cell_back_where_it_was(tmp_path, release):
    folder = _submission(tmp_path, release, gf.test_cell_deleted)
    c.preflight(folder, [release], gf.TINY)
    nb = nbformat.read(folder / "tiny.ipynb", as_version=4)
    ids = [cell.metadata.get("nbgrader", {}).get("grade_id") for cell in nb.cells]
    original = [
        cell.metadata.get("nbgrader", {}).get("grade_id")
        for cell in nbformat.read(release, as_version=4).cells
    ]
    assert ids == original


def test_a_test_cell_after_a_read_only_cell_is_restored_too(tmp_path, release):
    """nbgrader 0.9.6's add_missing_cells fails on this layout (KeyError)."""
    nb = nbformat.read(release, as_version=4)
    readonly = nbformat.v4.new_code_cell(
        "show_choices()",
        metadata={
            "nbgrader": {
                "grade": False,
                "solution": False,
                "locked": True,
                "grade_id": "choices",
                "schema_version": 3,
            }
        },
    )
    i = [cell.metadata.get("nbgrader", {}).get("grade_id") for cell in nb.cells].index("genre_test")
    nb.cells.insert(i, readonly)
    nbformat.write(nb, release)
    folder = _submission(tmp_path, release, gf.test_cell_deleted)
    check = c.preflight(folder, [release], gf.TINY)
    assert "cell deleted: genre_test (restored from the source)" in check.problems
    got = nbformat.read(folder / "tiny.ipynb", as_version=4)
    ids = [cell.metadata.get("nbgrader", {}).get("grade_id") for cell in got.cells]
    assert ids[i : i + 2] == ["choices", "genre_test"]


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
