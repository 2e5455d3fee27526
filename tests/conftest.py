"""Shared test settings: headless matplotlib, a fixed student name, no stray answer files."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(autouse=True)
def _isolated_student(monkeypatch, tmp_path_factory):
    """Every test runs as student 'tester' with MEDIALIT_COURSE_CONFIG unset."""
    monkeypatch.setenv("MEDIALIT_STUDENT", "tester")
    monkeypatch.delenv("MEDIALIT_COURSE_CONFIG", raising=False)
    yield


@pytest.fixture(scope="session")
def postgres_url():
    """A real PostgreSQL server on 127.0.0.1 for the session; yields its database's URL.

    ``postgresql://postgres@127.0.0.1:PORT/medialit_test``, trust authentication. A test that
    needs a database of its own calls ``pg.new_database(postgres_url, name)``. The server is
    stopped and its folder removed at the end of the session. Without PostgreSQL or psycopg
    the tests using it are skipped, or fail under CI=true (``.ci/run`` installs both).
    """
    import pg

    problem = pg.missing()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(problem, pytrace=False)
        pytest.skip(problem)
    server = pg.start_server()
    try:
        yield server.url
    finally:
        pg.stop_server(server)


@pytest.fixture(scope="session")
def hub(postgres_url):
    """A real JupyterHub class (``tests/hubtest.py``): only with MEDIALIT_HUB_TESTS=1."""
    import hubtest

    yield from hubtest.run_hub(postgres_url)
