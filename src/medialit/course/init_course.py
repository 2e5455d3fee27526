"""Course setup: ``medialit course init`` makes an nbgrader course folder with the kit's
protections in its config (``settings.configure_nbgrader``), copies the source assignments
(never a saved-answers folder) and generates each student release (``release``)."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

from medialit import course_mode
from medialit.course.database import check_url
from medialit.course.folder import (
    CONFIG_NAME,
    DEFAULT_CELL_TIMEOUT,
    Course,
    Progress,
    assignment_folders,
    close_private_folders,
    kit_sources,
    stderr,
)
from medialit.course.release import generate_release
from medialit.errors import MedialitError

CONFIG_TEMPLATE = '''\
"""nbgrader configuration written by ``medialit course init`` (edit freely).

The kit's grading settings come from ``medialit.course.settings.configure_nbgrader``:
autograde scores each test cell from the student's saved answers in the grading process
(no student code runs), the release never carries saved answers, and feedback carries no
hidden test. ``medialit grade`` uses the same scoring with more checks and a report.
"""

from medialit.course.settings import configure_nbgrader

c = get_config()  # noqa: F821

c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.db_url = {db_url!r}
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"

configure_nbgrader(c, cell_timeout={timeout})

# Lock every cell that is not an answer (test cells and read-only cells are locked anyway).
c.LockCells.lock_all_cells = True
'''


def init_course(
    directory: str | Path,
    *,
    db_url: str | None = None,
    source: str | Path | None = None,
    assignments: Iterable[str] | None = None,
    course_id: str = "medialit",
    timeout: int = DEFAULT_CELL_TIMEOUT,
    progress: Progress = stderr,
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
    folders = assignment_folders(src)
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
    db = db_url or f"sqlite:///{root / 'gradebook.db'}"
    if db_url:
        check_url(db_url)  # before anything is written
    existed = root.exists()
    before = {child.name for child in root.iterdir()} if existed else set()
    try:
        course = _make(root, db, folders, course_id, timeout, progress)
    except BaseException:
        # nothing half-made: what this call created goes, what was there stays
        if not existed:
            shutil.rmtree(root, ignore_errors=True)
        else:
            for child in root.iterdir():
                if child.name in before:
                    continue
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child, ignore_errors=True)
                else:
                    child.unlink(missing_ok=True)
        raise
    return course


def _make(
    root: Path, db: str, folders: list[Path], course_id: str, timeout: int, progress: Progress
) -> Course:
    root.mkdir(parents=True, exist_ok=True)
    (root / CONFIG_NAME).write_text(
        CONFIG_TEMPLATE.format(
            course_id=course_id,
            db_url=db,
            timeout=int(timeout),
        ),
        encoding="utf-8",
    )
    for folder in folders:
        shutil.copytree(
            folder,
            root / "source" / folder.name,
            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "answers"),
        )
    close_private_folders(
        root, create=True
    )  # submitted/, autograded/, feedback/, reports/: instructor only
    # Course mode: the lessons' expert checks for the kit's graded assignments stay closed
    # until the instructor reopens them after feedback (``medialit course checks open NAME``).
    graded = [p.name for p in folders if p.name in course_mode.kit_assignments()]
    if graded:
        course_mode.write_config(root, graded)
    course = Course(root)
    for i, folder in enumerate(folders, 1):
        progress(f"[{i}/{len(folders)}] {folder.name}:")
        generate_release(course, folder.name, progress)
    return course
