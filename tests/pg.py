"""A throwaway PostgreSQL server for tests: a real server, never a mock.

``conftest.postgres_url`` uses these functions to run one server per test session:
``missing()`` says what is not installed, ``start_server()`` makes a cluster in a temporary
folder and starts it on 127.0.0.1 with trust authentication, ``stop_server()`` stops it and
removes the folder. ``new_database(url, name)`` gives a test a database of its own.

``initdb`` refuses to run as root, so as root the cluster belongs to the ``postgres`` system
user (made by Debian's ``postgresql`` package) and initdb/pg_ctl run through
``runuser -u postgres --``. The superuser is always ``postgres`` (``initdb -U postgres``).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

#: The cluster's superuser, whoever runs initdb.
SUPERUSER = "postgres"
#: The system user that runs the server when the tests run as root.
SYSTEM_USER = "postgres"
#: The database ``start_server`` creates for the session.
DATABASE = "medialit_test"

INSTALL_HINT = "bash .ci/run installs Debian's postgresql package and the [test] extra"


@dataclass
class Server:
    """A running throwaway server: its folder, its binaries and the session database's URL."""

    folder: Path
    bindir: Path
    port: int
    url: str
    as_root: bool

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def log(self) -> Path:
        return self.folder / "server.log"


def _version_key(bindir: str) -> tuple[int, ...]:
    """(15,) for /usr/lib/postgresql/15/bin, (9, 6) for .../9.6/bin; unparsable sorts first."""
    name = Path(bindir).parent.name
    try:
        return tuple(int(part) for part in name.split("."))
    except ValueError:
        return ()


def find_bindir() -> Path | None:
    """The folder holding initdb and pg_ctl: PATH first, then the newest /usr/lib/postgresql."""
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl:
        # Debian's /usr/bin has no initdb; a PATH initdb may be a symlink into the versioned
        # folder, whose pg_ctl and postgres belong with it.
        bindir = Path(initdb).resolve().parent
        if (bindir / "pg_ctl").exists():
            return bindir
        return Path(initdb).parent
    for found in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True):
        bindir = Path(found)
        if all(os.access(bindir / program, os.X_OK) for program in ("initdb", "pg_ctl")):
            return bindir
    return None


def _is_root() -> bool:
    return os.geteuid() == 0


def missing() -> str | None:
    """A sentence saying what the PostgreSQL tests lack, or None when they can run."""
    if find_bindir() is None:
        return (
            "PostgreSQL server binaries (initdb, pg_ctl) are not installed: not in PATH nor in "
            f"/usr/lib/postgresql/*/bin; {INSTALL_HINT}."
        )
    if _is_root():
        try:
            pwd.getpwnam(SYSTEM_USER)
        except KeyError:
            return (
                f"Tests run as root, and initdb refuses root, but there is no '{SYSTEM_USER}' "
                f"system user to run PostgreSQL as; {INSTALL_HINT}."
            )
        if shutil.which("runuser") is None:
            return f"Tests run as root but runuser is missing to run PostgreSQL as '{SYSTEM_USER}'."
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return f"The psycopg package (psycopg[binary]>=3.1) is not installed; {INSTALL_HINT}."
    import sqlalchemy
    from sqlalchemy.engine import make_url

    driver = make_url("postgresql://").get_dialect().driver
    if driver != "psycopg":
        return (
            f"SQLAlchemy {sqlalchemy.__version__} maps postgresql:// URLs to {driver}, not "
            "psycopg 3; the PostgreSQL tests need SQLAlchemy 2.1 or later."
        )
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(argv: list[str], as_root: bool) -> subprocess.CompletedProcess[str]:
    """Run a PostgreSQL program, as the postgres system user when we are root."""
    if as_root:
        argv = ["runuser", "-u", SYSTEM_USER, "--", *argv]
    # cwd "/": the postgres user may not be allowed into the tests' working directory.
    return subprocess.run(argv, capture_output=True, text=True, check=False, timeout=120, cwd="/")


def _fail(what: str, result: subprocess.CompletedProcess[str], log: Path | None = None) -> NoReturn:
    detail = (result.stdout + result.stderr).strip()
    if log is not None and log.exists():
        detail += "\n--- server log ---\n" + log.read_text(errors="replace")[-4000:]
    raise RuntimeError(f"{what} failed (exit {result.returncode}):\n{detail}")


def _make_folder(as_root: bool) -> Path:
    """A private temporary folder, owned by the postgres system user when we are root."""
    folder = Path(tempfile.mkdtemp(prefix="medialit-pg-"))
    folder.chmod(0o700)
    if as_root:
        entry = pwd.getpwnam(SYSTEM_USER)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    if as_root and _run(["test", "-w", str(folder)], as_root).returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(
            f"The '{SYSTEM_USER}' user cannot reach {folder} (set TMPDIR to a folder it can "
            "enter, such as /tmp)."
        )
    return folder


def start_server(attempts: int = 3) -> Server:
    """Make a cluster in a temporary folder, start it on a free port and create DATABASE.

    A port found free can be taken before the server binds it; starting is tried again on a
    new port ``attempts`` times. On any failure the folder is removed and no server is left.
    """
    bindir = find_bindir()
    if bindir is None:
        raise RuntimeError(missing() or "PostgreSQL binaries not found")
    as_root = _is_root()
    folder = _make_folder(as_root)
    server = Server(folder=folder, bindir=bindir, port=0, url="", as_root=as_root)
    try:
        result = _run(
            [
                str(bindir / "initdb"),
                "-D",
                str(server.data),
                "-U",
                SUPERUSER,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
            ],
            as_root,
        )
        if result.returncode != 0:
            _fail("initdb", result)
        for attempt in range(attempts):
            server.port = free_port()
            options = (
                f"-p {server.port} -c listen_addresses=127.0.0.1 "
                f"-c unix_socket_directories={folder} -c fsync=off"
            )
            result = _run(
                [
                    str(bindir / "pg_ctl"),
                    "-D",
                    str(server.data),
                    "-l",
                    str(server.log),
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    options,
                    "start",
                ],
                as_root,
            )
            if result.returncode == 0:
                break
            _stop(server)
            if attempt == attempts - 1:
                _fail("pg_ctl start", result, server.log)
        base = f"postgresql://{SUPERUSER}@127.0.0.1:{server.port}/postgres"
        server.url = new_database(base, DATABASE)
    except BaseException:
        stop_server(server)
        raise
    return server


def _stop(server: Server) -> None:
    """Stop the server if one runs on the cluster (fast: open connections are cut)."""
    if not (server.data / "postmaster.pid").exists():
        return
    for mode in ("fast", "immediate"):
        argv = [str(server.bindir / "pg_ctl"), "-D", str(server.data), "-m", mode, "-w", "stop"]
        result = _run(argv, server.as_root)
        if result.returncode == 0:
            return
    _fail("pg_ctl stop", result, server.log)


def stop_server(server: Server) -> None:
    """Stop the server (fast shutdown: open connections are cut) and remove its folder."""
    try:
        if server.data.exists():
            _stop(server)
    finally:
        shutil.rmtree(server.folder, ignore_errors=True)


def _conninfo(url: str, database: str | None = None) -> str:
    """A libpq connection string for a SQLAlchemy URL (any +driver part is dropped)."""
    from psycopg.conninfo import make_conninfo
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    params = {
        "host": parsed.host,
        "port": parsed.port,
        "user": parsed.username,
        "password": parsed.password,
        "dbname": database or parsed.database,
    }
    return make_conninfo(**{key: value for key, value in params.items() if value is not None})


def new_database(url: str, name: str) -> str:
    """Create database ``name`` on the server of ``url`` and return ``url`` pointing at it.

    The database is created from the server's ``postgres`` database with psycopg in
    autocommit mode (CREATE DATABASE cannot run in a transaction). An existing ``name`` is an
    error: each test should pick its own.
    """
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    with psycopg.connect(_conninfo(url, "postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return make_url(url).set(database=name).render_as_string(hide_password=False)
