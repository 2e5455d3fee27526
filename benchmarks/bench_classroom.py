"""Benchmark: a class of 500 through the exchange into a PostgreSQL gradebook, stage by stage.

One run sets up what a JupyterHub class has (a course made by ``medialit course init --db``
on a real PostgreSQL, nbgrader's exchange in a folder, two released assignments), then:

1. **release**: ``nbgrader release_assignment`` for ``a1_claims`` and ``a2_evidence``;
2. **submit**: every student submits both assignments through nbgrader's exchange
   (``ExchangeSubmit``, the class behind ``nbgrader submit`` and the Assignments tab's
   Submit button, called in this process with each student's id: on a hub each student's
   server does this for them, so the figure is the exchange's work, not a student's wait);
   the students' work is a synthetic class (``course.make_demo_submissions``, seed 1);
3. **collect**: ``nbgrader collect`` for each assignment, as the instructor runs it;
4. **grade, one grader after the other** (the baseline): ``medialit grade COURSE a1_claims``
   then ``... a2_evidence``, each a subprocess writing to PostgreSQL;
5. **grade, two graders at once**: the same two commands started together, as two TAs on
   different assignments would. Before each grading stage ``autograded/`` is removed and the
   gradebook database is put back as it was before any grading (PostgreSQL copies it from a
   template database), so both stages do the full work.

It prints the seconds of each stage and the ratio of stage 5 to stage 4, and checks that the
two graders at once kept every grade: every student has a score for both assignments, equal
to the score from the graders one after the other. Exit status 1 if not.

PostgreSQL: a throwaway server started like the tests' (``tests/pg.py``: Debian's
``postgresql`` binaries, a cluster in a temporary folder on 127.0.0.1), or ``--db URL`` for a
server of yours (the benchmark creates and drops its own databases there).

    python benchmarks/bench_classroom.py                  # 500 students, --jobs 1 per grader
    python benchmarks/bench_classroom.py --students 60 --jobs 2
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KIT = Path(__file__).resolve().parents[1]
ASSIGNMENTS = ("a1_claims", "a2_evidence")
COURSE_ID = "medialit"
DATABASE = "bench_classroom"
TEMPLATE = "bench_classroom_fresh"


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _command(argv: list[str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _finish(process: subprocess.Popen) -> None:
    _, err = process.communicate()
    if process.returncode != 0:
        sys.exit(f"{' '.join(process.args)} failed ({process.returncode}):\n{err[-3000:]}")


def _timed(argv: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    _finish(_command(argv, cwd))
    return time.perf_counter() - started


def _admin(url: str, *statements: str) -> None:
    """Run statements on the server's ``postgres`` database, outside a transaction."""
    import psycopg
    from sqlalchemy.engine import make_url

    parts = make_url(url).set(database="postgres", drivername="postgresql")
    with psycopg.connect(parts.render_as_string(hide_password=False), autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def _database_url(url: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=name).render_as_string(hide_password=False)


def _scores(db_url: str) -> dict[tuple[str, str], float]:
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gb:
        return {
            (assignment, s.student.id): round(float(s.score), 4)
            for assignment in ASSIGNMENTS
            for s in gb.find_assignment(assignment).submissions
        }


def _reset(course: Path, url: str) -> None:
    """Forget all grading: no autograded folders, the gradebook as before any grading."""
    shutil.rmtree(course / "autograded", ignore_errors=True)
    _admin(
        url,
        f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)",
        f"CREATE DATABASE {DATABASE} TEMPLATE {TEMPLATE}",
    )


def _submit_all(course: Path, homes: Path, exchange: Path, names: list[str]) -> list[float]:
    """Every student submits every assignment through nbgrader's exchange; seconds each."""
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default.submit import ExchangeSubmit
    from traitlets.config import Config

    seconds = []
    for name in names:
        config = Config()
        config.CourseDirectory.course_id = COURSE_ID
        config.Exchange.root = str(exchange)
        config.Exchange.assignment_dir = str(homes / name)
        config.Exchange.cache = str(homes / name / ".nbgrader_cache")
        for assignment in ASSIGNMENTS:
            coursedir = CourseDirectory(config=config)
            coursedir.assignment_id = assignment
            coursedir.student_id = name
            submit = ExchangeSubmit(
                coursedir=coursedir, authenticator=Authenticator(config=config), config=config
            )
            started = time.perf_counter()
            submit.start()
            seconds.append(time.perf_counter() - started)
    return seconds


def _students(scratch: Path, n: int) -> list[str]:
    """A synthetic class's work on both assignments, one home folder per student."""
    from medialit import course as c

    made = c.init_course(scratch, assignments=ASSIGNMENTS, progress=lambda *_: None)
    names: list[str] = []
    for assignment in ASSIGNMENTS:
        names = c.make_demo_submissions(made, assignment, n, seed=1)
    return sorted(names)


def _grade(course: Path, jobs: int, together: bool) -> dict[str, float]:
    """Seconds per grader and in all, the graders one after the other or at once."""
    argv = [sys.executable, "-m", "medialit", "grade", str(course)]
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    if together:
        running = {a: _command([*argv, a, "--jobs", str(jobs)], KIT) for a in ASSIGNMENTS}
        while running:
            for assignment, process in list(running.items()):
                if process.poll() is not None:
                    _finish(process)
                    seconds[assignment] = time.perf_counter() - started
                    del running[assignment]
            time.sleep(0.05)
    else:
        for assignment in ASSIGNMENTS:
            seconds[assignment] = _timed([*argv, assignment, "--jobs", str(jobs)], KIT)
    seconds["all"] = time.perf_counter() - started
    return seconds


def run(args, url: str, base: Path) -> int:
    from medialit import course as c

    n = args.students
    _log(f"PostgreSQL at {url.rsplit('@', 1)[-1]}; a class of {n}")
    _admin(url, f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    _admin(url, f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")
    _admin(url, f"CREATE DATABASE {DATABASE}")
    db_url = _database_url(url, DATABASE)
    course_dir, exchange, scratch = base / "course", base / "exchange", base / "scratch"
    rows: list[tuple[str, float, str]] = []

    started = time.perf_counter()
    c.init_course(course_dir, db_url=db_url, assignments=ASSIGNMENTS, progress=lambda *_: None)
    rows.append(("course init --db (PostgreSQL)", time.perf_counter() - started, ""))
    exchange.mkdir(mode=0o1777)
    with (course_dir / "nbgrader_config.py").open("a", encoding="utf-8") as f:
        f.write(
            f"\nc.CourseDirectory.course_id = {COURSE_ID!r}\nc.Exchange.root = {str(exchange)!r}\n"
        )

    release = sum(
        _timed(["nbgrader", "release_assignment", a, "--force"], course_dir) for a in ASSIGNMENTS
    )
    rows.append(("1 release (2 assignments)", release, ""))

    _log("writing the synthetic class ...")
    names = _students(scratch, n)
    homes = scratch / "submitted"

    _log("submitting through the exchange ...")
    each = _submit_all(course_dir, homes, exchange, names)
    rows.append(
        (
            f"2 submit ({len(each)} submissions)",
            sum(each),
            f"median {statistics.median(each) * 1000:.1f} ms each",
        )
    )

    collect = {a: _timed(["nbgrader", "collect", a], course_dir) for a in ASSIGNMENTS}
    for a in ASSIGNMENTS:
        found = len([p for p in (course_dir / "submitted").iterdir() if (p / a).is_dir()])
        if found != n:
            sys.exit(f"nbgrader collect {a} placed {found} submissions, not {n}")
    rows.append(
        (
            "3 collect",
            sum(collect.values()),
            ", ".join(f"{a} {collect[a]:.1f} s" for a in ASSIGNMENTS),
        )
    )

    _admin(url, f"CREATE DATABASE {TEMPLATE} TEMPLATE {DATABASE}")
    _log("grading, one grader after the other ...")
    _reset(course_dir, url)
    one_by_one = _grade(course_dir, args.jobs, together=False)
    expected = _scores(db_url)
    rows.append(
        (
            "4 grade, one after the other",
            one_by_one["all"],
            ", ".join(f"{a} {one_by_one[a]:.1f} s" for a in ASSIGNMENTS),
        )
    )
    _log("grading, two graders at once ...")
    _reset(course_dir, url)
    together = _grade(course_dir, args.jobs, together=True)
    got = _scores(db_url)
    rows.append(
        (
            "5 grade, two graders at once",
            together["all"],
            ", ".join(f"{a} done at {together[a]:.1f} s" for a in ASSIGNMENTS),
        )
    )

    print(f"\nA class of {n} students, 2 assignments, PostgreSQL gradebook, --jobs {args.jobs}")
    print(f"{'stage':36} {'seconds':>8}  detail")
    for stage, seconds, detail in rows:
        print(f"{stage:36} {seconds:8.2f}  {detail}")
    print(
        f"two graders at once / one after the other: {together['all'] / one_by_one['all']:.2f}x "
        f"the time ({one_by_one['all'] / together['all']:.2f}x faster)"
    )
    per_student = (release + sum(each) + sum(collect.values()) + together["all"]) / n
    print(f"submit to gradebook, per student (both assignments): {per_student * 1000:.0f} ms")

    wanted = {(a, s) for a in ASSIGNMENTS for s in names}
    lost = sorted(wanted - set(got))
    differ = sorted(k for k in wanted & set(got) if got[k] != expected.get(k))
    print(
        f"grades kept by the two graders at once: {len(set(got) & wanted)} of {len(wanted)}; "
        f"equal to one-after-the-other: {len(wanted) - len(lost) - len(differ)}"
    )
    if lost or differ or set(expected) != wanted:
        print(f"LOST: {lost[:10]}  DIFFERENT: {differ[:10]}")
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=1, help="--jobs of each grader")
    parser.add_argument("--db", help="a PostgreSQL server URL (default: a throwaway server)")
    parser.add_argument("--keep", type=Path, help="keep the course and exchange in this folder")
    args = parser.parse_args(argv)

    base = Path(tempfile.mkdtemp(prefix="medialit-bench-classroom-"))
    server = None
    try:
        if args.db:
            url = args.db
        else:
            sys.path.insert(0, str(KIT / "tests"))
            import pg

            problem = pg.missing()
            if problem:
                sys.exit(problem)
            server = pg.start_server()
            url = server.url
        return run(args, url, base)
    finally:
        if server is not None:
            pg.stop_server(server)
        if args.keep:
            shutil.copytree(base, args.keep, dirs_exist_ok=True, symlinks=True)
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
