"""Does the medialit command print the article and scheme, and fail readably on mistakes?"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from medialit import cli, paths
from medialit.article import load_article


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "medialit", *args], capture_output=True, text=True, timeout=120
    )


def test_article_csv_lists_every_unit_with_offsets_that_reproduce_the_text():
    result = run("article", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    seed = load_article().text
    assert [r["id"] for r in rows] == load_article().ids
    assert list(rows[0]) == ["id", "paragraph", "sentence", "start", "end", "text"]
    for row in rows:
        assert seed[int(row["start"]) : int(row["end"])] == row["text"]
    assert not any("Related Content" in r["text"] for r in rows)


def test_article_json_and_table(capsys):
    assert cli.main(["article", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert records[3]["id"] == "P3.S1" and records[3]["paragraph"] == 3
    assert cli.main(["article"]) == 0
    table = capsys.readouterr().out
    assert "P12.S2" in table and "P0.S1" in table


def test_scheme_csv_lists_all_five_layers():
    result = run("scheme", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["layer"] for r in rows} == {"role", "statement", "evidence", "devices", "frame"}
    assert len(rows) == 23
    assert {"label", "definition", "grounded_in", "cues"} <= set(rows[0])


@pytest.mark.parametrize("command", ["lab", "article", "scheme", "copy-lessons"])
def test_every_subcommand_has_help(command, capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main([command, "--help"])
    assert stop.value.code == 0
    assert "usage: medialit " + command in capsys.readouterr().out


def test_expected_mistakes_are_one_line_on_stderr_without_traceback(tmp_path):
    result = run("article", "--source", str(tmp_path / "missing.txt"))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("medialit: error: Article file not found")
    assert "Traceback" not in result.stderr

    bad = tmp_path / "scheme.csv"
    bad.write_text("layer,label\nrole,claim\n", encoding="utf-8")
    result = run("scheme", "--file", str(bad))
    assert result.returncode == 2
    assert "missing column(s) definition, grounded_in, cues" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_option_is_a_usage_error():
    result = run("article", "--format", "xml")
    assert result.returncode == 2
    assert "invalid choice: 'xml'" in result.stderr


def test_lab_says_clearly_when_jupyterlab_is_missing(monkeypatch, capsys):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "jupyterlab" else real(name, *a),
    )
    assert cli.main(["lab", "--no-browser"]) == 2
    assert "JupyterLab is not installed" in capsys.readouterr().err


def test_lab_opens_the_first_notebook(monkeypatch, tmp_path):
    (tmp_path / cli.FIRST_NOTEBOOK).write_text("{}", encoding="utf-8")
    seen = {}

    def fake_call(command):
        seen["command"] = command
        return 0

    monkeypatch.setattr(subprocess, "call", fake_call)
    assert cli.main(["lab", "--dir", str(tmp_path), "--no-browser", "--", "--port=8890"]) == 0
    command = seen["command"]
    assert command[-1] == "--port=8890" and "--" not in command
    assert command[1:3] == ["-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={tmp_path}" in command
    assert f"--LabApp.default_url=/lab/tree/{cli.FIRST_NOTEBOOK}" in command
    assert "--no-browser" in command


def test_lab_refuses_a_folder_without_lessons(tmp_path, capsys):
    assert cli.main(["lab", "--dir", str(tmp_path)]) == 2
    assert "No lesson notebooks" in capsys.readouterr().err


def test_lab_on_a_read_only_folder_says_how_to_copy_the_lessons(monkeypatch, tmp_path, capsys):
    (tmp_path / cli.FIRST_NOTEBOOK).write_text("{}", encoding="utf-8")
    monkeypatch.setattr(cli, "_writable", lambda folder: False)
    assert cli.main(["lab", "--dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "read-only" in err and "medialit copy-lessons DIR" in err


def test_copy_lessons_copies_the_notebooks_and_refuses_to_overwrite(tmp_path, capsys):
    target = tmp_path / "my-course"
    assert cli.main(["copy-lessons", str(target)]) == 0
    assert (target / cli.FIRST_NOTEBOOK).is_file()
    shipped = sorted(p.name for p in paths.notebooks_dir().glob("*.ipynb"))
    assert sorted(p.name for p in target.glob("*.ipynb")) == shipped and len(shipped) == 11
    assert cli.main(["copy-lessons", str(target)]) == 2
    assert "already exists" in capsys.readouterr().err


def _lab_command(monkeypatch, *args: str) -> list[str]:
    seen = {}

    def fake_call(command):
        seen["command"] = command
        return 0

    monkeypatch.setattr(subprocess, "call", fake_call)
    assert cli.main(["lab", "--no-browser", *args]) == 0
    return seen["command"]


def test_lab_shows_the_lessons_and_the_exercises(monkeypatch):
    """Does plain 'medialit lab' open the contents page with the whole kit in reach, so a
    self-study learner can open exercises/ too?"""
    from medialit import paths

    kit = paths.notebooks_dir().resolve().parent
    command = _lab_command(monkeypatch)
    assert f"--ServerApp.root_dir={kit}" in command
    assert f"--LabApp.default_url=/lab/tree/notebooks/{cli.FIRST_NOTEBOOK}" in command
    assert (kit / "exercises").is_dir()


def test_lab_opens_a_given_notebook_or_folder(monkeypatch, tmp_path, capsys):
    """Does 'medialit lab PATH' open that notebook (or a folder's first notebook), keeping
    the kit in reach when it is inside the kit, and say so when there is none?"""
    from medialit import paths

    kit = paths.notebooks_dir().resolve().parent
    exercise = kit / "exercises" / "a1_claims" / "a1_claims.ipynb"
    command = _lab_command(monkeypatch, str(exercise), "--", "--port=8891")
    assert f"--ServerApp.root_dir={kit}" in command
    assert "--LabApp.default_url=/lab/tree/exercises/a1_claims/a1_claims.ipynb" in command
    assert command[-1] == "--port=8891"
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "my notes.ipynb").write_text("{}", encoding="utf-8")
    command = _lab_command(monkeypatch, str(tmp_path))
    assert f"--ServerApp.root_dir={tmp_path.resolve()}" in command
    assert "--LabApp.default_url=/lab/tree/work/my%20notes.ipynb" in command
    assert cli.main(["lab", str(tmp_path / "nothing.ipynb")]) == 2
    assert "does not exist" in capsys.readouterr().err
