"""``ScoreAnswers``: the kit's scoring as an nbgrader preprocessor, in place of ``Execute``.

With the course config (``settings.configure_nbgrader``) plain ``nbgrader autograde`` and
formgrader's autograde button run this instead of executing the notebook. For each test cell
it writes the message and score that ``medialit grade`` would (``scoring_step``), from the
answers file read with the kit's hostile-data reader (``intake``) in the *submitted* folder,
against the key in the course's ``source/`` (``keys``); nbgrader's ``SaveAutoGrades`` then
records the number. It also clears the autograded folder of every file nbgrader copied that
is not a notebook or ``timestamp.txt``: nbgrader copies what a submission holds, links
followed, and ``generate_feedback`` would hand those copies back to the student.

``medialit grade`` adds what nbgrader's loop cannot: a report per student, byte-identical
answers across the class, one grader at a time, and speed. Use it where you can.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from medialit.course.intake import read_submission
from medialit.course.keys import read_test_cells
from medialit.course.preflight import preflight
from medialit.course.scoring_step import answers_sheet, score_cells

try:  # nbgrader is a dependency, but keep the module importable without it
    from nbgrader.preprocessors import NbGraderPreprocessor as _Base
except ImportError:  # pragma: no cover
    _Base = object  # type: ignore[assignment,misc]


def _coursedir(preprocessor):
    """The running converter's CourseDirectory (preprocessor -> exporter -> converter)."""
    node = preprocessor
    for _ in range(4):
        node = getattr(node, "parent", None)
        if node is None:
            break
        if getattr(node, "coursedir", None) is not None:
            return node.coursedir
    from nbgrader.coursedir import CourseDirectory

    return CourseDirectory(parent=preprocessor)


def _scrub(folder: Path) -> None:
    """Leave only notebooks, timestamp.txt and submission_secret.txt in an autograded folder."""
    for path in sorted(folder.iterdir()):
        if path.is_symlink() or not (
            path.is_file()
            and (path.suffix == ".ipynb" or path.name in ("timestamp.txt", "submission_secret.txt"))
        ):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


class ScoreAnswers(_Base):  # type: ignore[misc,valid-type]
    """Score every test cell from the submitted answers file; execute nothing."""

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        assignment, student, notebook = info["assignment"], info["student"], info["notebook"]
        coursedir = _coursedir(self)
        submitted = Path(coursedir.format_path(coursedir.submitted_directory, student, assignment))
        source = Path(coursedir.format_path(coursedir.source_directory, ".", assignment))
        tests = read_test_cells(source / f"{notebook}.ipynb", assignment)
        sub = read_submission(submitted)
        check = preflight(sub, {}, assignment)
        for problem in check.problems:
            if not problem.startswith("extra notebook ignored"):
                self.log.warning("%s/%s: %s", student, assignment, problem)
        sheet, problem = answers_sheet(check.answers, assignment)
        score_cells(nb, tests, sheet, problem)
        here = resources.get("metadata", {}).get("path")
        if here and Path(here).resolve() != submitted.resolve():
            _scrub(Path(here))
        return nb, resources


def refuse_links(assignment: str, student: str, notebooks: list[str]) -> None:
    """nbgrader pre-convert hook of ``autograde``: before nbgrader copies a submission (and
    follows its links), remove from it every entry that is not a plain file or folder: a
    symbolic link, a second name of a hard-linked file, a FIFO, a device or a socket. The
    kit's reader refuses these anyway; nbgrader's copy would follow or block on them."""
    import glob
    import logging

    del notebooks
    from nbgrader.coursedir import CourseDirectory

    coursedir = CourseDirectory()
    log = logging.getLogger("medialit")
    # nbgrader passes its own patterns here: student is "*" when grading a whole class
    pattern = coursedir.format_path(coursedir.submitted_directory, student, assignment)
    for name in sorted(glob.glob(pattern)):
        folder = Path(name)
        if folder.is_symlink() or folder.parent.is_symlink():
            log.warning("%s: the submission folder is a link; removed", folder)
            (folder if folder.is_symlink() else folder.parent).unlink()
            continue
        _refuse_in(folder, log)


def _refuse_in(folder: Path, log) -> None:
    import os
    import stat

    for here, dirs, files in os.walk(folder, followlinks=False):
        for name in dirs + files:
            path = Path(here) / name
            info = path.lstat()
            plain = stat.S_ISDIR(info.st_mode) or (
                stat.S_ISREG(info.st_mode) and info.st_nlink == 1
            )
            if not plain:
                log.warning("refused and removed %s (not a plain file)", path)
                path.unlink()
