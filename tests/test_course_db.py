"""``course init --db``: the gradebook URL is checked before anything is made, each failure
is one sentence, and a course init that fails leaves nothing half-made. PostgreSQL cases run
against the real throwaway server of ``tests/pg.py``."""

from __future__ import annotations

import sys

import grading_fixtures as gf
import pytest

from medialit.cli import main
from medialit.course.database import check_url
from medialit.errors import MedialitError


def _init(tmp_path, capsys, *extra: str) -> tuple[int, str]:
    code = main(["course", "init", str(tmp_path / "course"), "--assignment", gf.A1, *extra])
    return code, capsys.readouterr().err


def test_a_server_that_is_down_is_one_sentence_and_nothing_is_made(tmp_path, capsys):
    import pg

    url = f"postgresql://postgres@127.0.0.1:{pg.free_port()}/course"
    code, err = _init(tmp_path, capsys, "--db", url)
    assert code == 2
    assert err.count("\n") == 1
    assert "The PostgreSQL server at 127.0.0.1:" in err and "Check that it is running" in err
    assert not (tmp_path / "course").exists()


def test_a_database_that_does_not_exist_is_named(tmp_path, capsys, postgres_url):
    url = postgres_url.rsplit("/", 1)[0] + "/no_such_course"
    code, err = _init(tmp_path, capsys, "--db", url)
    assert code == 2 and err.count("\n") == 1
    assert "'no_such_course'" in err
    assert not (tmp_path / "course").exists()


def test_a_course_on_postgresql_is_made_and_holds_its_assignment(tmp_path, capsys, postgres_url):
    import pg
    from nbgrader.api import Gradebook

    url = pg.new_database(postgres_url, "init_ok")
    code, err = _init(tmp_path, capsys, "--db", url)
    assert code == 0, err
    with Gradebook(url) as gb:
        assert [a.name for a in gb.assignments] == [gf.A1]


def test_a_missing_driver_is_named_with_the_install_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if psycopg 3 were not installed
    with pytest.raises(MedialitError) as err:
        check_url("postgresql://u@127.0.0.1:5/db")
    assert "'psycopg'" in str(err.value)
    assert "pip install 'medialit[postgres]'" in str(err.value)


def test_a_url_that_is_no_url_is_refused(tmp_path, capsys):
    code, err = _init(tmp_path, capsys, "--db", "gradebook please")
    assert code == 2 and "is not a database URL" in err
    assert not (tmp_path / "course").exists()


def test_a_failed_release_leaves_nothing_half_made(tmp_path, capsys):
    """nbgrader fails on a broken source notebook: the new folder is gone, and in a folder
    that already held the instructor's own files only what init made is removed."""
    source = tmp_path / "src" / "broken"
    source.mkdir(parents=True)
    (source / "broken.ipynb").write_text('{"cells": [], "metadata": {}, "nbformat": 4}')
    target = tmp_path / "course"
    code = main(["course", "init", str(target), "--source", str(tmp_path / "src")])
    assert code == 2
    assert "generate_assignment broken" in capsys.readouterr().err
    assert not target.exists()
    target.mkdir()
    (target / "syllabus.md").write_text("mine")
    assert main(["course", "init", str(target), "--source", str(tmp_path / "src")]) == 2
    assert [p.name for p in target.iterdir()] == ["syllabus.md"]
