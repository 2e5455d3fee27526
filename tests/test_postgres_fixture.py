"""The postgres_url fixture runs a real PostgreSQL server that SQLAlchemy and nbgrader can use."""

from __future__ import annotations

import pg
import sqlalchemy
from nbgrader.api import Gradebook


def _scalar(url: str, query: str):
    engine = sqlalchemy.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sqlalchemy.text(query)).scalar_one()
    finally:
        engine.dispose()


def test_server_is_real_postgresql(postgres_url):
    assert postgres_url.startswith("postgresql://postgres@127.0.0.1:")
    assert "PostgreSQL" in _scalar(postgres_url, "select version()")
    assert _scalar(postgres_url, "select current_database()") == pg.DATABASE


def test_new_database_is_separate(postgres_url):
    url = pg.new_database(postgres_url, "separate_db")
    assert url.endswith("/separate_db")
    assert _scalar(url, "select current_database()") == "separate_db"
    engine = sqlalchemy.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(sqlalchemy.text("create table only_here (x int)"))
    finally:
        engine.dispose()
    assert _scalar(url, "select to_regclass('only_here') is not null") is True
    assert _scalar(postgres_url, "select to_regclass('only_here') is not null") is False


def test_nbgrader_gradebook_on_postgres(postgres_url):
    url = pg.new_database(postgres_url, "gradebook_roundtrip")
    with Gradebook(url) as gb:
        gb.add_student("s1")
    with Gradebook(url) as gb:
        assert [student.id for student in gb.students] == ["s1"]
        assert gb.find_student("s1").id == "s1"
