"""Instructor workflow around nbgrader: set up a course, grade, return feedback, export.

The kit grades with nbgrader itself; this module adds what a class needs around it
(``grading.md``): a course config with the protections turned on, a pre-flight check of
every submission, parallel grading with a per-cell timeout and a per-notebook wall budget,
feedback that carries no answer key, and per-question exports.

Parallel grading and the gradebook. nbgrader keeps grades in one SQLite file, and several
processes autograding into it at once can fail with "database is locked". Here each
submission is autograded by nbgrader in its own scratch course folder (a copy of the
submission, the source folder, and a snapshot of the gradebook) by long-lived worker
processes; the parent process alone then copies the results into the course's gradebook,
one submission at a time. With a server database (``--db postgresql://...``) the workers
write to it directly.
"""

from __future__ import annotations

import contextlib
import csv
import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from medialit import course_mode, paths
from medialit.errors import MedialitError

#: The kit's graded assignments, in teaching order (folders of ``solutions/``).
KIT_ASSIGNMENTS = ("a1_claims", "a2_evidence", "a3_language", "a4_capstone")
CONFIG_NAME = "nbgrader_config.py"
SCRATCH = ".medialit"
REPORTS = "reports"
DEFAULT_CELL_TIMEOUT = 30
DEFAULT_BUDGET = 180
_HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS\n?", re.S)

Progress = Callable[[str], None]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------
# course init
# ---------------------------------------------------------------------------------------

CONFIG_TEMPLATE = '''\
"""nbgrader configuration written by ``medialit course init`` (edit freely).

The protections from the kit's grading notes are on (``medialit.grading.configure_nbgrader``):
warnings on stderr cost no points, deleted test cells are restored, every cell has a
timeout, output is limited, students' answers files are never overwritten, and feedback
carries no hidden test.
"""

from medialit.course import HideAnswerKeys
from medialit.grading import configure_nbgrader
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import GetGrades

c = get_config()  # noqa: F821

c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.db_url = {db_url!r}
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"

configure_nbgrader(c, cell_timeout={timeout})
c.Execute.timeout = {timeout}

# Lock every cell that is not an answer (test cells and read-only cells are locked anyway).
c.LockCells.lock_all_cells = True

# Students' saved answers are theirs: never overwrite them with a source copy.
c.Autograde.exclude_overwriting = {exclude!r}

# Feedback: strip hidden tests, and the tracebacks that could quote them.
c.GenerateFeedback.preprocessors = [GetGrades, HideAnswerKeys, CSSHTMLHeaderPreprocessor]
'''


def kit_sources() -> Path:
    """The kit's nbgrader source assignments (``solutions/``)."""
    return paths.kit_root() / "solutions"


def _assignment_folders(source: Path) -> list[Path]:
    return (
        sorted(p for p in source.iterdir() if p.is_dir() and (p / f"{p.name}.ipynb").is_file())
        if source.is_dir()
        else []
    )


@dataclass
class Course:
    """A course folder set up for nbgrader."""

    root: Path

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def db_url(self) -> str:
        text = self.config_path.read_text(encoding="utf-8")
        match = re.search(r"^c\.CourseDirectory\.db_url\s*=\s*(['\"])(.*?)\1", text, re.M)
        return match.group(2) if match else f"sqlite:///{self.root / 'gradebook.db'}"

    @property
    def uses_sqlite(self) -> bool:
        return self.db_url.startswith("sqlite")

    def assignments(self) -> list[str]:
        return [p.name for p in _assignment_folders(self.root / "source")]

    def release_notebooks(self, assignment: str) -> list[Path]:
        return sorted((self.root / "release" / assignment).glob("*.ipynb"))

    def submissions(self, assignment: str) -> list[str]:
        folder = self.root / "submitted"
        if not folder.is_dir():
            return []
        return sorted(p.name for p in folder.iterdir() if (p / assignment).is_dir())

    def check_assignment(self, assignment: str) -> None:
        known = self.assignments()
        if assignment not in known:
            raise MedialitError(
                f"The course in {self.root} has no assignment {assignment!r}; "
                f"it has: {', '.join(known) or 'none'}."
            )


def open_course(directory: str | Path) -> Course:
    """An existing course folder, or a clear error saying how to make one."""
    root = Path(directory).resolve()
    if not (root / CONFIG_NAME).is_file():
        raise MedialitError(
            f"{root} is not a course folder (no {CONFIG_NAME}). "
            f"Create one with 'medialit course init {directory}'."
        )
    return Course(root)


def init_course(
    directory: str | Path,
    *,
    db_url: str | None = None,
    source: str | Path | None = None,
    assignments: Iterable[str] | None = None,
    course_id: str = "medialit",
    timeout: int = DEFAULT_CELL_TIMEOUT,
    progress: Progress = _stderr,
) -> Course:
    """Make a ready nbgrader course folder and generate each assignment's release.

    ``source`` is a folder of nbgrader source assignments (default: the kit's own).
    """
    root = Path(directory).resolve()
    if (root / CONFIG_NAME).exists() or (root / "source").exists():
        raise MedialitError(
            f"{root} already holds a course (found {CONFIG_NAME} or source/). "
            "Choose a new folder, or delete that one first."
        )
    src = Path(source) if source is not None else kit_sources()
    folders = _assignment_folders(src)
    if assignments is not None:
        wanted = list(assignments)
        names = {p.name for p in folders}
        missing = [a for a in wanted if a not in names]
        if missing:
            raise MedialitError(
                f"No source assignment {', '.join(missing)} in {src}; "
                f"there are: {', '.join(sorted(names)) or 'none'}."
            )
        folders = [p for p in folders if p.name in wanted]
    if not folders:
        raise MedialitError(
            f"No nbgrader source assignments in {src} (each is <name>/<name>.ipynb). "
            "Reinstall the kit, or pass --source with a folder of assignments."
        )
    root.mkdir(parents=True, exist_ok=True)
    db = db_url or f"sqlite:///{root / 'gradebook.db'}"
    exclude = {p.name: [f"answers/{p.name}.json"] for p in folders}
    (root / CONFIG_NAME).write_text(
        CONFIG_TEMPLATE.format(
            course_id=course_id,
            db_url=db,
            timeout=int(timeout),
            exclude=exclude,
        ),
        encoding="utf-8",
    )
    for folder in folders:
        shutil.copytree(
            folder,
            root / "source" / folder.name,
            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "answers"),
        )
    (root / "submitted").mkdir(exist_ok=True)
    # Course mode: the lessons' expert checks for the kit's graded assignments stay closed
    # until the instructor reopens them after feedback (``medialit course checks open NAME``).
    graded = [p.name for p in folders if p.name in course_mode.kit_assignments()]
    if graded:
        course_mode.write_config(root, graded)
    course = Course(root)
    for i, folder in enumerate(folders, 1):
        progress(f"[{i}/{len(folders)}] generating the student release of {folder.name} ...")
        run_nbgrader(course, ["generate_assignment", folder.name, "--force"])
    return course


def run_nbgrader(course: Course, args: list[str], timeout: float | None = None) -> str:
    """Run an nbgrader command in the course folder; MedialitError with its log if it fails."""
    command = [sys.executable, "-m", "nbgrader", *args]
    try:
        done = subprocess.run(
            command,
            cwd=course.root,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=_child_env(),
        )
    except subprocess.TimeoutExpired as exc:
        raise MedialitError(f"'nbgrader {' '.join(args)}' did not finish in {timeout} s.") from exc
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
        raise MedialitError(f"'nbgrader {' '.join(args)}' failed in {course.root}:\n{tail}")
    return done.stderr + done.stdout


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("MPLBACKEND", "Agg")
    env["PYTHONWARNINGS"] = env.get("PYTHONWARNINGS", "")
    return env


# ---------------------------------------------------------------------------------------
# pre-flight checks
# ---------------------------------------------------------------------------------------


@dataclass
class Preflight:
    """What a submission's pre-flight check found and fixed (in a scratch copy)."""

    problems: list[str] = field(default_factory=list)
    gradable: bool = True


def _nbgrader_cells(nb) -> list:
    return [c for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id")]


def _restore_deleted(nb, release, counts: dict[str, int]) -> bool:
    """Put back every nbgrader cell of the release that the submission lacks.

    Each goes right after the submitted copy of the release cell before it (matched by
    grade id, or by cell id), as the release had it; nbgrader then restores a test cell's
    hidden part from the gradebook. Done here because nbgrader 0.9.6's own
    ``add_missing_cells`` fails (KeyError) when the cell before a deleted test cell is a
    read-only cell rather than an answer or test cell.
    """
    import copy

    def key(cell) -> tuple[str, str]:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        return ("grade_id", gid) if gid else ("id", cell.get("id", ""))

    changed = False
    last = -1
    for cell in release.cells:
        k = key(cell)
        where = [i for i, c in enumerate(nb.cells) if key(c) == k and k[1]]
        if where:
            last = where[-1]
        elif k[0] == "grade_id" and counts.get(k[1], 0) == 0:
            last += 1
            nb.cells.insert(last, copy.deepcopy(cell))
            changed = True
    return changed


def preflight(submission: Path, release_notebooks: list[Path], assignment: str) -> Preflight:
    """Check (and, in this folder, repair) one student's submitted assignment folder.

    Renamed notebook: the only unexpected ``.ipynb`` takes the expected name. Malformed
    notebook: moved aside, so nbgrader scores it 0. Deleted, duplicated and edited locked
    cells are listed (nbgrader restores them). A corrupt answers file is listed.
    """
    import nbformat
    from nbgrader import utils as nbutils

    report = Preflight()
    expected = {p.name: p for p in release_notebooks}
    present = sorted(p for p in submission.glob("*.ipynb"))
    extra = [p for p in present if p.name not in expected]
    missing = [name for name in expected if not (submission / name).exists()]
    if len(missing) == 1 and len(extra) == 1:
        report.problems.append(f"notebook renamed: {extra[0].name} graded as {missing[0]}")
        extra[0].rename(submission / missing[0])
        extra, missing = [], []
    for name in missing:
        report.problems.append(f"notebook missing: {name} (scored 0)")
    for path in extra:
        report.problems.append(f"extra notebook ignored: {path.name}")
    for name, release_path in expected.items():
        path = submission / name
        if not path.exists():
            continue
        try:
            json.loads(path.read_text(encoding="utf-8"))
            nb = nbformat.read(path, as_version=4)
        except json.JSONDecodeError as exc:
            reason = f"not valid JSON, line {exc.lineno}: {exc.msg}"
        except Exception as exc:  # any unreadable notebook is the same case
            reason = (str(exc).splitlines() or [type(exc).__name__])[0][:120]
        else:
            reason = ""
        if reason:
            report.problems.append(f"corrupt notebook: {name} cannot be read ({reason}); scored 0")
            path.rename(path.with_name(path.name + ".unreadable"))
            continue
        release = nbformat.read(release_path, as_version=4)
        counts: dict[str, int] = {}
        by_id: dict[str, object] = {}
        for cell in _nbgrader_cells(nb):
            gid = cell.metadata.nbgrader.grade_id
            counts[gid] = counts.get(gid, 0) + 1
            by_id[gid] = cell
        if any(n > 1 for n in counts.values()):
            # Keep nbgrader's rule (the last copy is graded) but drop the earlier copies'
            # nbgrader metadata entirely: nbgrader 0.9.6 empties it instead, and then
            # OverwriteCells.add_missing_cells fails with KeyError 'grade_id'.
            seen: set[str] = set()
            for cell in reversed(_nbgrader_cells(nb)):
                gid = cell.metadata.nbgrader.grade_id
                if gid in seen:
                    del cell.metadata["nbgrader"]
                seen.add(gid)
            nbformat.write(nb, path)
        if _restore_deleted(nb, release, counts):
            nbformat.write(nb, path)
        for cell in _nbgrader_cells(release):
            meta = cell.metadata.nbgrader
            gid = meta.grade_id
            n = counts.get(gid, 0)
            if n == 0:
                what = "answer cell" if meta.get("solution") else "cell"
                fix = "restored empty" if meta.get("solution") else "restored from the source"
                report.problems.append(f"{what} deleted: {gid} ({fix})")
                continue
            if n > 1:
                report.problems.append(f"cell duplicated: {gid} ({n} copies; the last is graded)")
            locked = meta.get("locked") or (meta.get("grade") and not meta.get("solution"))
            edited = (
                locked
                and n == 1
                and "checksum" in meta
                and nbutils.compute_checksum(by_id[gid]) != meta.checksum
            )
            if edited:
                report.problems.append(f"locked cell edited: {gid} (restored from the source)")
    answers = submission / "answers" / f"{assignment}.json"
    if answers.is_file():
        from medialit.answers import read_answers

        try:
            read_answers(answers)
        except MedialitError as exc:
            reason = str(exc).split(": ", 1)[-1]
            report.problems.append(f"answers file corrupt: {reason}")
    else:
        report.problems.append("no saved answers file (tagger never used)")
    report.gradable = any((submission / name).exists() for name in expected)
    return report


# ---------------------------------------------------------------------------------------
# grading: workers
# ---------------------------------------------------------------------------------------


def _worker_main() -> int:
    """A grading worker: reads one JSON task per line, autogrades it with nbgrader in-process.

    Task: {"root", "assignment", "student", "config", "db_url", "timeout"}; reply: one JSON
    line {"ok", "error", "log"}. Started in its own session so the parent can kill it and
    its kernels together.
    """
    protocol = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # anything else printed goes to stderr, not into the protocol
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    protocol.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        task = json.loads(line)
        try:
            config = PyFileConfigLoader(
                Path(task["config"]).name, path=str(Path(task["config"]).parent)
            ).load_config()
            config.CourseDirectory.root = task["root"]
            config.CourseDirectory.db_url = task["db_url"]
            config.Execute.timeout = int(task["timeout"])
            coursedir = CourseDirectory(config=config)
            api = NbGraderAPI(coursedir=coursedir, config=config)
            result = api.autograde(task["assignment"], task["student"], force=True, create=True)
            reply = {
                "ok": bool(result.get("success")),
                "error": result.get("error", ""),
                "log": result.get("log", "")[-4000:],
            }
        except Exception as exc:  # reported to the parent, never fatal
            reply = {"ok": False, "error": f"{type(exc).__name__}: {exc}", "log": ""}
        protocol.write(json.dumps(reply) + "\n")
    return 0


class _Worker:
    """One long-lived grading process; killed (with its kernels) when a task overruns."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None

    def _start(self) -> subprocess.Popen:
        proc = subprocess.Popen(
            [sys.executable, "-c", "import sys, medialit.course as m; sys.exit(m._worker_main())"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
            env=_child_env(),
        )
        ready = proc.stdout.readline()
        if not ready:
            raise MedialitError("A grading worker failed to start; is nbgrader installed?")
        return proc

    def run(self, task: dict, budget: float) -> dict:
        if self.proc is None or self.proc.poll() is not None:
            self.proc = self._start()
        proc = self.proc
        proc.stdin.write(json.dumps(task) + "\n")
        proc.stdin.flush()
        box: list[str] = []
        reader = threading.Thread(target=lambda: box.append(proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(budget)
        timed_out = reader.is_alive()
        if timed_out or not box or not box[0]:
            self.kill()
            if timed_out:
                return {"ok": False, "killed": True, "error": f"over the {budget:g} s budget"}
            return {"ok": False, "error": "the grading worker crashed"}
        return json.loads(box[0])

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.proc = None

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.proc = None


# ---------------------------------------------------------------------------------------
# grading: orchestration
# ---------------------------------------------------------------------------------------


@dataclass
class StudentResult:
    student: str
    status: str = "graded"  # graded | unreadable | failed | over budget
    score: float = 0.0
    max_score: float = 0.0
    to_grade_by_hand: int = 0
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class GradeReport:
    assignment: str
    results: list[StudentResult]
    seconds: float

    def to_frame(self) -> pd.DataFrame:
        rows = [
            {
                "student": r.student,
                "score": round(r.score, 2),
                "max": round(r.max_score, 2),
                "status": r.status,
                "by_hand": r.to_grade_by_hand,
                "problems": "; ".join(r.problems),
            }
            for r in self.results
        ]
        columns = ["student", "score", "max", "status", "by_hand", "problems"]
        return pd.DataFrame(rows, columns=columns)


def _fmt_time(seconds: float) -> str:
    seconds = max(0, round(seconds))
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


def _ensure_released(course: Course, assignment: str, progress: Progress) -> None:
    if not course.release_notebooks(assignment):
        progress(f"generating the student release of {assignment} ...")
        run_nbgrader(course, ["generate_assignment", assignment, "--force"])


def _scratch_course(
    course: Course, work: Path, assignment: str, student: str, template_db: Path | None
) -> Path:
    root = work / student
    if root.exists():
        shutil.rmtree(root)
    (root / "source").mkdir(parents=True)
    os.symlink(course.root / "source" / assignment, root / "source" / assignment)
    shutil.copytree(
        course.root / "submitted" / student / assignment,
        root / "submitted" / student / assignment,
        symlinks=False,
    )
    if template_db is not None:
        shutil.copyfile(template_db, root / "gradebook.db")
    return root


def grade(
    directory: str | Path,
    assignment: str,
    *,
    jobs: int = 2,
    timeout: int | None = None,
    budget: float = DEFAULT_BUDGET,
    students: Iterable[str] | None = None,
    progress: Progress = _stderr,
) -> GradeReport:
    """Autograde every submission of an assignment in parallel; never stop on one failure."""
    from concurrent.futures import ThreadPoolExecutor, as_completed

    course = open_course(directory)
    course.check_assignment(assignment)
    if jobs < 1:
        raise MedialitError("--jobs must be 1 or more.")
    _ensure_released(course, assignment, progress)
    names = list(students) if students is not None else course.submissions(assignment)
    if not names:
        raise MedialitError(
            f"No submissions of {assignment} in {course.root / 'submitted'} "
            f"(expected submitted/<student>/{assignment}/). Collect them first "
            "('nbgrader collect' or 'nbgrader zip_collect')."
        )
    cell_timeout = int(timeout) if timeout else _config_timeout(course)
    work = course.root / SCRATCH / f"grade-{assignment}"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    template_db = None
    if course.uses_sqlite:
        template_db = work / "template.db"
        _sqlite_snapshot(course.db_url, template_db)
    release = course.release_notebooks(assignment)
    pool = [_Worker() for _ in range(min(jobs, len(names)))]
    free = list(pool)
    lock = threading.Lock()
    results: dict[str, StudentResult] = {}

    def one(student: str) -> StudentResult:
        started = time.monotonic()
        result = StudentResult(student)
        root = _scratch_course(course, work, assignment, student, template_db)
        check = preflight(root / "submitted" / student / assignment, release, assignment)
        result.problems += check.problems
        db = f"sqlite:///{root / 'gradebook.db'}" if template_db else course.db_url
        task = {
            "root": str(root),
            "assignment": assignment,
            "student": student,
            "config": str(course.config_path),
            "db_url": db,
            "timeout": cell_timeout,
        }
        if not check.gradable:
            result.status = "unreadable"
            result.seconds = time.monotonic() - started
            return result
        with lock:
            worker = free.pop()
        try:
            reply = worker.run(task, budget)
        finally:
            with lock:
                free.append(worker)
        if reply.get("killed"):
            result.status = "over budget"
            result.problems.append(f"stopped: grading took over {budget:g} s; scored 0")
        elif not reply.get("ok"):
            result.status = "failed"
            result.problems.append("nbgrader could not grade it: " + _last_line(reply["error"]))
        else:
            result.problems += _notebook_findings(
                root / "autograded" / student / assignment, cell_timeout
            )
        result.seconds = time.monotonic() - started
        return result

    started = time.monotonic()
    done = 0
    try:
        with ThreadPoolExecutor(max_workers=len(pool)) as executor:
            futures = {executor.submit(one, s): s for s in names}
            for future in as_completed(futures):
                student = futures[future]
                try:
                    result = future.result()
                except Exception as exc:  # one student never stops the batch
                    result = StudentResult(
                        student, status="failed", problems=[f"could not be graded: {exc}"]
                    )
                _merge(course, work / student, assignment, result, copy_db=bool(template_db))
                results[student] = result
                done += 1
                elapsed = time.monotonic() - started
                left = elapsed / done * (len(names) - done)
                flagged = sum(1 for r in results.values() if r.problems)
                progress(
                    f"grading {assignment}: {done}/{len(names)} done, "
                    f"{flagged} with problems, about {_fmt_time(left)} left"
                )
    finally:
        for worker in pool:
            worker.close()
    report = GradeReport(assignment, [results[s] for s in names], time.monotonic() - started)
    reports = course.root / REPORTS
    reports.mkdir(exist_ok=True)
    report.to_frame().to_csv(reports / f"grades-{assignment}.csv", index=False)
    shutil.rmtree(work, ignore_errors=True)
    return report


def _last_line(text: str) -> str:
    lines = [ln for ln in (text or "").strip().splitlines() if ln.strip()]
    return lines[-1][:200] if lines else "unknown error"


def _config_timeout(course: Course) -> int:
    match = re.search(r"^c\.Execute\.timeout\s*=\s*(\d+)", course.config_path.read_text(), re.M)
    return int(match.group(1)) if match else DEFAULT_CELL_TIMEOUT


def _sqlite_snapshot(db_url: str, target: Path) -> None:
    import sqlite3

    source = db_url.split("sqlite:///", 1)[-1]
    with (
        contextlib.closing(sqlite3.connect(source)) as src,
        contextlib.closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)


def _notebook_findings(folder: Path, cell_timeout: int) -> list[str]:
    """Problems visible in the autograded notebooks: cell timeouts, truncated output."""
    import nbformat

    found = []
    for path in sorted(folder.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            gid = cell.metadata.get("nbgrader", {}).get("grade_id", f"cell {cell.get('id', '?')}")
            for out in cell.get("outputs", []):
                if out.output_type == "error" and out.get("ename") == "CellTimeoutError":
                    found.append(f"timeout: {gid} ran over {cell_timeout} s and was stopped")
                elif out.output_type == "stream" and "... Output truncated ..." in out.text:
                    found.append(f"huge output: {gid} printed too much; output cut")
    return list(dict.fromkeys(found))


def _merge(
    course: Course, scratch: Path, assignment: str, result: StudentResult, copy_db: bool
) -> None:
    """Copy one student's autograded folder and grades into the course (parent process only)."""
    from nbgrader.api import Gradebook, MissingEntry

    student = result.student
    target = course.root / "autograded" / student / assignment
    produced = scratch / "autograded" / student / assignment
    if target.exists():
        shutil.rmtree(target)
    if result.status == "graded" and produced.is_dir():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(produced, target)
    with Gradebook(course.db_url) as gb, warnings.catch_warnings():
        # nbgrader's own submission code makes SQLAlchemy warn; the rows are right.
        warnings.simplefilter("ignore")
        gb.update_or_create_student(student)
        if result.status == "graded" and copy_db:
            with Gradebook(f"sqlite:///{scratch / 'gradebook.db'}") as sgb:
                theirs = sgb.find_submission(assignment, student)
                mine = gb.update_or_create_submission(
                    assignment, student, timestamp=theirs.timestamp
                )
                for snb in theirs.notebooks:
                    mnb = gb.find_submission_notebook(snb.name, assignment, student)
                    mnb.late_submission_penalty = snb.late_submission_penalty
                    for sg in snb.grades:
                        mg = gb.find_grade(sg.name, snb.name, assignment, student)
                        mg.auto_score = sg.auto_score
                        mg.needs_manual_grade = mg.manual_score is not None or sg.auto_score is None
                    for sc in snb.comments:
                        mc = gb.find_comment(sc.name, snb.name, assignment, student)
                        mc.auto_comment = sc.auto_comment
                gb.db.commit()
        elif result.status != "graded":
            mine = gb.update_or_create_submission(assignment, student)
            for nb in mine.notebooks:
                for g in nb.grades:
                    g.auto_score = 0
                    g.needs_manual_grade = False
            gb.db.commit()
        try:
            sub = gb.find_submission(assignment, student)
        except MissingEntry:
            return
        result.score = float(sub.score)
        result.max_score = float(sub.max_score)
        result.to_grade_by_hand = sum(
            1 for nb in sub.notebooks for g in nb.grades if g.needs_manual_grade
        )


def print_grade_report(report: GradeReport, out=None) -> None:
    """The readable end of ``medialit grade``: a score table, then problems per student."""
    from medialit.cli import emit

    out = out or sys.stdout
    frame = report.to_frame()
    emit(frame[["student", "score", "max", "status", "by_hand"]], "table", out)
    flagged = [r for r in report.results if r.problems]
    out.write(
        f"\n{len(report.results)} submissions of {report.assignment} graded in "
        f"{_fmt_time(report.seconds)}; {len(flagged)} with problems.\n"
    )
    for r in flagged:
        out.write(f"  {r.student}:\n")
        for p in r.problems:
            out.write(f"    - {p}\n")
    by_hand = sum(r.to_grade_by_hand for r in report.results)
    if by_hand:
        out.write(
            f"{by_hand} answers wait for grading by hand in formgrader "
            "(scores above count them as 0 until then).\n"
        )


# ---------------------------------------------------------------------------------------
# feedback
# ---------------------------------------------------------------------------------------

try:  # nbgrader is a dependency, but keep the module importable without it
    from nbgrader.preprocessors import NbGraderPreprocessor as _PreprocessorBase
except ImportError:  # pragma: no cover
    _PreprocessorBase = object  # type: ignore[assignment,misc]


class HideAnswerKeys(_PreprocessorBase):  # type: ignore[misc,valid-type]
    """Feedback preprocessor: drop hidden-test blocks, and tracebacks that could quote them."""

    def preprocess_cell(self, cell, resources, index):
        source = cell.get("source", "")
        had_hidden = "### BEGIN HIDDEN TESTS" in source
        if had_hidden:
            cell.source = _HIDDEN.sub("", source)
        grade = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "code" and (
            had_hidden or (grade.get("grade") and not grade.get("solution"))
        ):
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    out["traceback"] = [f"{out.get('ename', 'Error')}: the check did not pass."]
                    out["evalue"] = ""
        return cell, resources


def html_text(path: Path) -> str:
    """The visible text of an HTML file (tags removed, entities decoded)."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    raw = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", raw)
    return html.unescape(re.sub(r"<[^>]+>", "", raw))


def _json_strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _json_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _json_strings(v)]
    return []


def _file_text(path: Path) -> str:
    """What a person reading the file sees: HTML without tags, JSON (notebooks) decoded."""
    if path.suffix in (".html", ".htm"):
        return html_text(path)
    raw = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix in (".ipynb", ".json"):
        try:
            return raw + "\n" + "".join(_json_strings(json.loads(raw)))
        except json.JSONDecodeError:
            pass
    return raw


def answer_key_strings(course: Course, assignment: str) -> list[str]:
    """Strings that would give an answer key away: ``medialit.grading``'s list, plus every
    non-trivial line of the source's hidden tests."""
    import nbformat

    keys: list[str] = []
    try:
        from medialit import grading

        getter = getattr(grading, "answer_key_strings", None)
        if getter is not None:
            # it reads every source notebook under a folder: hidden tests, model answers
            keys += list(getter(course.root / "source"))
    except ImportError:
        pass
    for path in sorted((course.root / "source" / assignment).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            for block in re.findall(
                r"### BEGIN HIDDEN TESTS(.*?)### END HIDDEN TESTS", cell.source, re.S
            ):
                keys += [ln.strip() for ln in block.splitlines() if len(ln.strip()) >= 12]
    return list(dict.fromkeys(k for k in keys if k))


def find_leaks(folder: Path, keys: list[str]) -> list[tuple[Path, str]]:
    """(file, key) for every answer-key string found in the text of files under ``folder``."""
    found = []
    squash = re.compile(r"\s+")
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        text = _file_text(path)
        flat = squash.sub("", text)
        for key in keys:
            if key in text or squash.sub("", key) in flat:
                found.append((path, key))
    return found


def feedback(directory: str | Path, assignment: str, progress: Progress = _stderr) -> list[Path]:
    """Generate students' HTML feedback, then refuse to leave any file that leaks a key."""
    course = open_course(directory)
    course.check_assignment(assignment)
    graded = [s for s in sorted((course.root / "autograded").glob(f"*/{assignment}"))]
    if not graded:
        raise MedialitError(
            f"Nothing to give feedback on: no autograded {assignment} yet. "
            f"Run 'medialit grade {directory} {assignment}' first."
        )
    progress(f"generating feedback for {len(graded)} students ...")
    run_nbgrader(course, ["generate_feedback", assignment, "--force"])
    files = sorted((course.root / "feedback").glob(f"*/{assignment}/*.html"))
    leaks = find_leaks(course.root / "feedback", answer_key_strings(course, assignment))
    if leaks:
        for path, _ in leaks:
            path.unlink(missing_ok=True)
        names = sorted({str(p.relative_to(course.root)) for p, _ in leaks})
        raise MedialitError(
            f"Feedback withheld: {len(names)} file(s) would show an answer key "
            f"({', '.join(names[:5])}); they were deleted. Check the assignment's test cells "
            "print no key, then run feedback again."
        )
    return files


# ---------------------------------------------------------------------------------------
# export
# ---------------------------------------------------------------------------------------

LONG_COLUMNS = [
    "student",
    "assignment",
    "notebook",
    "question",
    "score",
    "max",
    "graded_by",
    "needs_grading",
]


def per_question(course: Course) -> pd.DataFrame:
    """One row per student, assignment and graded cell, from the gradebook."""
    from nbgrader.api import Gradebook

    rows = []
    with Gradebook(course.db_url) as gb:
        for assignment in gb.assignments:
            solution_ids = {
                (nb.name, c.name) for nb in assignment.notebooks for c in nb.solution_cells
            }
            for sub in assignment.submissions:
                for snb in sub.notebooks:
                    for g in snb.grades:
                        rows.append(
                            {
                                "student": sub.student.id,
                                "assignment": assignment.name,
                                "notebook": snb.name,
                                "question": g.name,
                                "score": float(g.score),
                                "max": float(g.max_score),
                                "graded_by": "manual"
                                if (snb.name, g.name) in solution_ids
                                else "auto",
                                "needs_grading": bool(g.needs_manual_grade),
                            }
                        )
    frame = pd.DataFrame(rows, columns=LONG_COLUMNS)
    return frame.sort_values(
        ["assignment", "student", "notebook", "question"], kind="stable"
    ).reset_index(drop=True)


def _students(course: Course) -> list[dict]:
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url) as gb:
        return [
            {
                "id": s.id,
                "first": s.first_name or "",
                "last": s.last_name or "",
                "email": s.email or "",
                "lms": s.lms_user_id or "",
            }
            for s in gb.students
        ]


def lms_gradebook(course: Course, lms: str = "canvas") -> pd.DataFrame:
    """Totals per student and assignment, laid out for an LMS gradebook import.

    Canvas: ``Student, ID, SIS User ID, SIS Login ID, Section`` then one column per
    assignment; the second row is Canvas's ``Points Possible``. The nbgrader student id is
    put in SIS User ID and SIS Login ID (Canvas matches on those); ID and Section stay
    blank. A column whose name is not an existing Canvas assignment becomes a new one.
    Moodle: ``Username, ID number, Email address`` then one column per assignment; map
    the identifier and grade columns on Moodle's "Import grades from CSV" page.
    """
    long = per_question(course)
    totals = long.groupby(["student", "assignment"])["score"].sum().unstack(fill_value=0.0)
    maxima = long.groupby("assignment")["max"].sum() / long.groupby("assignment")[
        "student"
    ].nunique().clip(lower=1)
    assignments = sorted(long["assignment"].unique())
    rows = []
    for s in _students(course):
        name = ", ".join(x for x in (s["last"], s["first"]) if x) or s["id"]
        scores = {
            a: round(float(totals.loc[s["id"], a]), 2) if s["id"] in totals.index else ""
            for a in assignments
        }
        if lms == "canvas":
            rows.append(
                {
                    "Student": name,
                    "ID": "",
                    "SIS User ID": s["id"],
                    "SIS Login ID": s["id"],
                    "Section": "",
                    **scores,
                }
            )
        elif lms == "moodle":
            rows.append(
                {
                    "Username": s["id"],
                    "ID number": s["lms"] or s["id"],
                    "Email address": s["email"],
                    **scores,
                }
            )
        else:
            raise MedialitError(f"Unknown LMS {lms!r}; choose canvas or moodle.")
    frame = pd.DataFrame(rows)
    if lms == "canvas":
        points = {
            "Student": "    Points Possible",
            "ID": "",
            "SIS User ID": "",
            "SIS Login ID": "",
            "Section": "",
            **{a: round(float(maxima[a]), 2) for a in assignments},
        }
        frame = pd.concat([pd.DataFrame([points]), frame], ignore_index=True)
    return frame


def export(
    directory: str | Path,
    *,
    out: str | Path | None = None,
    per_question_csv: bool = True,
    lms: str | None = "canvas",
) -> list[Path]:
    """Write ``grades-per-question.csv`` and ``gradebook-<lms>.csv`` in the reports folder."""
    course = open_course(directory)
    folder = Path(out) if out else course.root / REPORTS
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    long = per_question(course)
    if long.empty:
        raise MedialitError(
            f"The gradebook of {course.root} has no graded submissions yet. "
            "Run 'medialit grade' first."
        )
    if per_question_csv:
        path = folder / "grades-per-question.csv"
        long.to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL)
        written.append(path)
    if lms:
        path = folder / f"gradebook-{lms}.csv"
        lms_gradebook(course, lms).to_csv(path, index=False)
        written.append(path)
    return written


# ---------------------------------------------------------------------------------------
# demo: the whole workflow on a synthetic class
# ---------------------------------------------------------------------------------------

#: Error rates of the demo's four kinds of student, strongest first.
DEMO_BANDS = (0.05, 0.2, 0.4, 0.7)


def make_demo_submissions(course: Course, assignment: str, n: int, seed: int = 0) -> list[str]:
    """Write ``n`` synthetic submissions of varying quality.

    Each is the release notebook plus a saved-answers file: tags from
    ``medialit.synthetic`` (four bands of students, error rates ``DEMO_BANDS``), and, for
    the kit's assignments, the choice answers and verdicts of the model answers, each kept
    with the band's chance of being right. Stronger students also write something in the
    hand-graded cells.
    """
    import random
    import tempfile

    import nbformat

    from medialit.answers import AnswerSheet, read_answers, write_atomic
    from medialit.synthetic import make_class

    if n < 1:
        raise MedialitError(f"The demo needs at least one student; got {n}.")
    try:
        from medialit.grading import model_answers

        model = model_answers(assignment)
    except (ImportError, KeyError, ValueError, MedialitError):
        model = {}
    article = model.get("article", "seed")
    release = course.release_notebooks(assignment)
    rng = random.Random(seed)
    names: list[str] = []
    sizes = [n // len(DEMO_BANDS) + (i < n % len(DEMO_BANDS)) for i in range(len(DEMO_BANDS))]
    with tempfile.TemporaryDirectory() as tmp:
        for band, (rate, size) in enumerate(zip(DEMO_BANDS, sizes, strict=True)):
            if not size:
                continue
            made = make_class(
                Path(tmp) / f"band{band}",
                size,
                rate,
                seed + band,
                exercise=assignment,
                article=article,
            )
            for path in made.files:
                student = f"student-{len(names) + 1:03d}"
                names.append(student)
                folder = course.root / "submitted" / student / assignment
                sheet: AnswerSheet = read_answers(path)
                sheet.student = student
                for key, value in model.get("responses", {}).items():
                    if rng.random() >= rate:
                        sheet.set_response(key, value)
                for claim, verdict in model.get("verdicts", {}).items():
                    if rng.random() >= rate:
                        sheet.set_verdict(claim, verdict, "checked against the dossier")
                write_atomic(
                    folder / "answers" / f"{assignment}.json",
                    json.dumps(sheet.to_dict(), indent=2) + "\n",
                )
                for nb_path in release:
                    nb = nbformat.read(nb_path, as_version=4)
                    for cell in _nbgrader_cells(nb):
                        meta = cell.metadata.nbgrader
                        if (
                            cell.cell_type == "markdown"
                            and meta.get("solution")
                            and rng.random() >= rate
                        ):
                            cell.source = "My answer: this sentence gives a specific case."
                    nbformat.write(nb, folder / nb_path.name)
    return names


def distribution_chart(report: GradeReport, path: Path) -> Path:
    """A histogram of the class's scores, saved as PNG."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    scores = [r.score for r in report.results]
    top = max((r.max_score for r in report.results), default=1.0) or 1.0
    fig = Figure(figsize=(7, 4), dpi=100)
    ax = fig.add_subplot()
    bins = min(20, max(5, int(top) + 1))
    ax.hist(scores, bins=bins, range=(0, top), color="#4477aa", edgecolor="white")
    ax.set_xlabel(f"score (out of {top:g}; hand-graded answers not yet marked count 0)")
    ax.set_ylabel("students")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(f"{report.assignment}: grade distribution, {len(scores)} students")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    return path


@dataclass
class DemoSummary:
    course: Course
    assignment: str
    report: GradeReport
    feedback: list[Path]
    exports: list[Path]
    chart: Path
    totals_match: bool

    def lines(self) -> list[str]:
        results = self.report.results
        scores = pd.Series([r.score for r in results], dtype=float)
        top = max((r.max_score for r in results), default=0.0)
        by_status = pd.Series([r.status for r in results]).value_counts().to_dict()
        status = ", ".join(f"{v} {k}" for k, v in sorted(by_status.items()))
        return [
            f"Course folder: {self.course.root}",
            f"Assignment {self.assignment}: {len(results)} submissions ({status}), "
            f"graded in {_fmt_time(self.report.seconds)}.",
            f"Scores out of {top:g}: mean {scores.mean():.2f}, median {scores.median():.2f}, "
            f"lowest {scores.min():g}, highest {scores.max():g}.",
            f"Answers waiting for grading by hand: {sum(r.to_grade_by_hand for r in results)}.",
            f"Feedback files: {len(self.feedback)} (checked: no answer key in any).",
            "Per-question rows add up to each student's total: "
            + ("yes." if self.totals_match else "NO - see the CSV files."),
            "Exports: " + ", ".join(str(p) for p in self.exports),
            f"Grade distribution chart: {self.chart}",
        ]


def demo(
    directory: str | Path,
    *,
    students: int = 30,
    assignment: str | None = None,
    jobs: int = 2,
    seed: int = 0,
    source: str | Path | None = None,
    timeout: int = DEFAULT_CELL_TIMEOUT,
    budget: float = DEFAULT_BUDGET,
    progress: Progress = _stderr,
) -> DemoSummary:
    """init -> synthetic submissions -> grade -> feedback -> export -> chart."""
    progress(f"1/5 setting up a course in {directory} ...")
    course = init_course(
        directory,
        source=source,
        timeout=timeout,
        assignments=[assignment] if assignment else None,
        progress=progress,
    )
    assignment = assignment or course.assignments()[0]
    progress(f"2/5 writing {students} synthetic submissions of {assignment} ...")
    make_demo_submissions(course, assignment, students, seed)
    progress("3/5 grading ...")
    report = grade(
        course.root, assignment, jobs=jobs, timeout=timeout, budget=budget, progress=progress
    )
    progress("4/5 feedback ...")
    files = feedback(course.root, assignment, progress=progress)
    progress("5/5 exports and chart ...")
    exports = export(course.root)
    long = per_question(course)
    sums = long[long["assignment"] == assignment].groupby("student")["score"].sum()
    totals_match = all(abs(sums.get(r.student, 0.0) - r.score) < 1e-6 for r in report.results)
    chart = distribution_chart(report, course.root / REPORTS / f"distribution-{assignment}.png")
    return DemoSummary(course, assignment, report, files, exports, chart, totals_match)
