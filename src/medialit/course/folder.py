"""The course folder: where nbgrader's steps keep their files, and running nbgrader in it.

A course folder is what ``medialit course init`` makes: ``nbgrader_config.py``, ``source/``
(the instructor's notebooks, with the answer keys), ``release/`` (the student copies),
``submitted/<student>/<assignment>/`` (handed-in work), ``autograded/``, ``feedback/``,
``reports/`` and the gradebook. Every other step of the grading side starts from ``Course``.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from medialit import paths
from medialit.errors import MedialitError

#: The kit's graded assignments, in teaching order (folders of ``solutions/``).
KIT_ASSIGNMENTS = ("a1_claims", "a2_evidence", "a3_language", "a4_capstone")
CONFIG_NAME = "nbgrader_config.py"
#: The kit's own working folder inside a course (locks; nothing a student hands in).
SCRATCH = ".medialit"
REPORTS = "reports"
DEFAULT_CELL_TIMEOUT = 30

Progress = Callable[[str], None]


def stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def kit_sources() -> Path:
    """The kit's nbgrader source assignments (``solutions/``)."""
    return paths.kit_root() / "solutions"


def assignment_folders(source: Path) -> list[Path]:
    """The assignments in a source folder: each is ``<name>/<name>.ipynb``."""
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
        return [p.name for p in assignment_folders(self.root / "source")]

    def source_notebooks(self, assignment: str) -> list[Path]:
        return sorted((self.root / "source" / assignment).glob("*.ipynb"))

    def release_notebooks(self, assignment: str) -> list[Path]:
        return sorted((self.root / "release" / assignment).glob("*.ipynb"))

    def submissions(self, assignment: str) -> list[str]:
        """Students with a ``submitted/<student>/<assignment>`` entry (a link counts too:
        the intake step refuses it with a reason, so the grader hears of it)."""
        folder = self.root / "submitted"
        if not folder.is_dir():
            return []
        return sorted(
            p.name
            for p in folder.iterdir()
            if (p / assignment).is_dir() or (p / assignment).is_symlink()
        )

    def check_assignment(self, assignment: str) -> None:
        known = self.assignments()
        if assignment not in known:
            raise MedialitError(
                f"The course in {self.root} has no assignment {assignment!r}; "
                f"it has: {', '.join(known) or 'none'}."
            )


#: Folders of a course that hold students' work, feedback or grades. They are the
#: instructor's alone (0700), so on a shared machine no student can read a classmate's
#: feedback or the class's grades by guessing a path, whatever mode the files inside have
#: (nbgrader copies feedback files to the exchange with their own mode, so the files stay
#: readable and only the folders are closed).
PRIVATE_FOLDERS = ("submitted", "autograded", "feedback", REPORTS, SCRATCH)


def close_private_folders(root: Path, *, create: bool = False) -> None:
    """Take every other user's access away from the course's private folders (making them
    first when ``create``). A folder someone else owns (a co-instructor's) is left as it is."""
    for name in PRIVATE_FOLDERS:
        folder = root / name
        if create:
            folder.mkdir(exist_ok=True)
        elif not folder.is_dir() or folder.is_symlink():
            continue
        with contextlib.suppress(PermissionError):
            folder.chmod(0o700)


def open_course(directory: str | Path) -> Course:
    """An existing course folder, or a clear error saying how to make one. Its private
    folders are closed to other users every time (``close_private_folders``)."""
    root = Path(directory).resolve()
    if not (root / CONFIG_NAME).is_file():
        raise MedialitError(
            f"{root} is not a course folder (no {CONFIG_NAME}). "
            f"Create one with 'medialit course init {directory}'."
        )
    close_private_folders(root)
    return Course(root)


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("MPLBACKEND", "Agg")
    env["PYTHONWARNINGS"] = env.get("PYTHONWARNINGS", "")
    return env


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
            env=child_env(),
        )
    except subprocess.TimeoutExpired as exc:
        raise MedialitError(f"'nbgrader {' '.join(args)}' did not finish in {timeout} s.") from exc
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
        raise MedialitError(f"'nbgrader {' '.join(args)}' failed in {course.root}:\n{tail}")
    return done.stderr + done.stdout


def fmt_time(seconds: float) -> str:
    seconds = max(0, round(seconds))
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"
