"""The gradebook's database: checked before a course is made, explained when it fails.

nbgrader keeps grades through SQLAlchemy, so the gradebook is any SQLAlchemy URL: SQLite in
the course folder by default, PostgreSQL where several graders work at once
(``postgresql://user@host:5432/course``). SQLAlchemy 2.1 reads ``postgresql://`` with the
psycopg 3 driver, which ``pip install 'medialit[postgres]'`` brings. ``check_url`` connects
once, before anything is written, and turns each way it can fail (a malformed URL, a driver
that is not installed, a server that is down or refuses) into one sentence that says what
is wrong and what to do, instead of a traceback from deep inside nbgrader.
"""

from __future__ import annotations

from medialit.errors import MedialitError

CONNECT_TIMEOUT = 5


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return (text.splitlines() or [type(exc).__name__])[0][:200]


def check_url(url: str) -> None:
    """Raise MedialitError (one sentence) unless a gradebook at ``url`` can be reached."""
    import sqlalchemy
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

    try:
        parsed = make_url(url)
    except ArgumentError:
        raise MedialitError(
            f"{url!r} is not a database URL; give one like "
            "postgresql://user@host:5432/course, or leave --db out for SQLite."
        ) from None
    backend = parsed.get_backend_name()
    args = {"connect_timeout": CONNECT_TIMEOUT} if backend == "postgresql" else {}
    try:
        engine = sqlalchemy.create_engine(parsed, connect_args=args)
    except (NoSuchModuleError, ModuleNotFoundError, ImportError) as exc:
        module = getattr(exc, "name", None) or _first_line(exc)
        hint = (
            "install it with: pip install 'medialit[postgres]' (psycopg 3, and SQLAlchemy 2.1 "
            "or newer, which uses it for postgresql:// URLs)"
            if backend == "postgresql"
            else "install the database driver for it"
        )
        raise MedialitError(
            f"The gradebook URL needs the Python module {module!r}, which is not installed; {hint}."
        ) from None
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        where = f"{parsed.host or 'localhost'}:{parsed.port or 5432}"
        if backend == "postgresql":
            raise MedialitError(
                f"The PostgreSQL server at {where} cannot be used as the gradebook "
                f"({_first_line(exc)}). Check that it is running, that database "
                f"{parsed.database!r} exists and that {parsed.username!r} may log in."
            ) from None
        raise MedialitError(f"The gradebook {url} cannot be opened ({_first_line(exc)}).") from None
    finally:
        engine.dispose()
