"""``medialit course add-article COURSE DIR``: an instructor's own article in a course.

DIR is an article folder (``article.txt``, ``reference.csv``, optional ``article.json``).
Both are checked first with the kit's own loaders; a problem is one sentence and nothing is
written. Then the course gets, with NAME the folder's name or ``--name``:

- ``source/NAME/``: the graded assignment (``NAME.ipynb``, hidden tests holding the keys),
  ``medialit_items.json`` (the items without keys: the grader reads it from here, students
  get a copy with the release) and the article as students may read it (``NAME/article.txt``
  and ``article.json``; no reference);
- ``source/NAME_lessons/``: six lesson notebooks on the article and its copy with
  ``lesson_reference.csv``, the reference without any row the assignment grades;
- both releases, made by nbgrader and then checked for leaks: no hidden-test line, no key,
  and no reference row of a graded unit in ``release/`` or in the course settings students
  read (``answer_keys``); a leak undoes the whole step;
- course mode: ``medialit_course.json`` closes the assignment's checks until feedback.

The key exists only in ``source/NAME/NAME.ipynb``: the course's ``source/`` folders written
here are the instructor's alone (folders 0700, files 0600). Grading is the kit's trusted
path: ``medialit grade COURSE NAME`` reads the key from that notebook as data and scores the
handed-in answers file in its own process.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat

from medialit import course_mode
from medialit.answer_keys import answer_key_strings, find_leaks, reference_row_strings
from medialit.article import load_article
from medialit.article_folder import metadata_value
from medialit.course.article_lessons import write_lesson_reference
from medialit.course.article_notebooks import assignment_notebook, lesson_notebooks
from medialit.course.article_plan import ArticlePlan, plan_article
from medialit.course.folder import KIT_ASSIGNMENTS, SCRATCH, Course, Progress, open_course, stderr
from medialit.course.release import generate_release
from medialit.errors import MedialitError
from medialit.items import ITEMS, ITEMS_FILE, items_json
from medialit.reference import FOLDER_REFERENCE, LESSON_REFERENCE, load_reference

#: The metadata file of an article folder (``medialit article new``).
METADATA = "article.json"
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass
class AddedArticle:
    name: str
    plan: ArticlePlan
    assignment: Path  # source/NAME
    lessons: Path  # source/NAME_lessons

    @property
    def points(self) -> float:
        return sum(it.points for it in self.plan.items)


def _metadata(folder: Path) -> dict:
    path = folder / METADATA
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MedialitError(
            f"{path} is not readable JSON ({exc}); fix it or delete it (it is optional)."
        ) from exc
    if not isinstance(data, dict):
        raise MedialitError(f"{path} must hold a JSON object of fields (title, outlet, ...).")
    return data


def _title(metadata: dict, headline: str) -> str:
    title = metadata_value(metadata, "title")
    return title.strip() if title else headline


def _set_aside(course: Course, name: str) -> list[tuple[Path, Path]]:
    """For --replace: move an earlier add-article's folders (source and release, assignment
    and lessons) aside, as (where it was, where it is now), or refuse once work is handed in:
    a new key under students' submissions would change what their grades rest on."""
    handed_in = sorted(p.parent.name for p in (course.root / "submitted").glob(f"*/{name}"))
    if handed_in:
        raise MedialitError(
            f"{len(handed_in)} student(s) have handed in {name!r} (e.g. {handed_in[0]}), so "
            "its key is not replaced; add the corrected article under a new --name instead."
        )
    aside = course.root / SCRATCH / f"replaced-{name}"
    shutil.rmtree(aside, ignore_errors=True)
    moved = []
    for top in ("source", "release"):
        for sub in (name, f"{name}_lessons"):
            old = course.root / top / sub
            if old.exists():
                target = aside / top / sub
                target.parent.mkdir(parents=True, exist_ok=True)
                old.rename(target)
                moved.append((old, target))
    return moved


def _check_name(course: Course, name: str) -> None:
    if not _NAME.match(name):
        raise MedialitError(
            f"{name!r} cannot name an assignment: use lower-case letters, digits and '_', "
            "starting with a letter (at most 40), e.g. --name oped_2025."
        )
    taken = [
        p
        for p in (course.root / "source" / name, course.root / "source" / f"{name}_lessons")
        if p.exists()
    ]
    if name in KIT_ASSIGNMENTS or any(i.startswith(f"{name}_") for i in ITEMS) or taken:
        where = f" ({taken[0]} exists)" if taken else ""
        raise MedialitError(
            f"The course already has an assignment called {name!r}{where}; choose another "
            "with --name, or give --replace to rebuild it from a corrected article folder."
        )


def _private(folder: Path) -> None:
    """The instructor's alone: folders 0700, files 0600 (the keys live under source/)."""
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o700 if path.is_dir() else 0o600)


def _warn_if_readable(path: Path, progress: Progress) -> None:
    """The instructor's reference is the key: say so when other users can read it (a copied
    or hand-edited file is often 0644; the author mode saves it 0600)."""
    if path.stat().st_mode & 0o044:
        progress(
            f"warning: {path} is the answer key and other users can read it; "
            f"run 'chmod 600 {path}'."
        )


def _article_copy(article_dir: Path, target: Path) -> None:
    """What students may read of the article: its text and metadata, never a reference."""
    target.mkdir(parents=True)
    shutil.copyfile(article_dir / "article.txt", target / "article.txt")
    if (article_dir / METADATA).is_file():
        shutil.copyfile(article_dir / METADATA, target / METADATA)


def _write_sources(
    course: Course, article_dir: Path, plan: ArticlePlan, title: str
) -> tuple[Path, Path]:
    name = plan.name
    assignment = course.root / "source" / name
    lessons = course.root / "source" / f"{name}_lessons"
    assignment.mkdir(parents=True)
    nbformat.write(assignment_notebook(plan, title), assignment / f"{name}.ipynb")
    (assignment / ITEMS_FILE).write_text(items_json(plan.items) + "\n", encoding="utf-8")
    _article_copy(article_dir, assignment / name)
    lessons.mkdir()
    for file_name, nb in lesson_notebooks(name, title).items():
        nbformat.write(nb, lessons / file_name)
    _article_copy(article_dir, lessons / name)
    write_lesson_reference(
        article_dir / FOLDER_REFERENCE, lessons / name / LESSON_REFERENCE, plan.withheld
    )
    _private(assignment)
    _private(lessons)
    return assignment, lessons


def student_files(course: Course, name: str) -> list[Path]:
    """Everything of this article a student receives or a student's kernel can read."""
    found = [course.root / "release" / name, course.root / "release" / f"{name}_lessons"]
    settings = course.root / course_mode.CONFIG_NAME
    return found + ([settings] if settings.is_file() else [])


def leak_strings(course: Course, plan: ArticlePlan) -> list[str]:
    """Every string that would give a graded answer of this article away."""
    return answer_key_strings(course.root / "source") + reference_row_strings(plan.withheld)


def check_leaks(course: Course, plan: ArticlePlan) -> None:
    """MedialitError naming the first file that carries a key or a graded reference row."""
    leaks = find_leaks(student_files(course, plan.name), leak_strings(course, plan))
    if leaks:
        path, what = leaks[0]
        raise MedialitError(
            f"{path} would give a graded answer away ({what[:60]!r}); nothing was added. "
            "Please report this with your article folder."
        )


def _course_mode(course: Course, plan: ArticlePlan) -> None:
    settings = course.root / course_mode.CONFIG_NAME
    locked = course_mode.read_config(settings) if settings.is_file() else frozenset()
    course_mode.write_config(settings, locked | {plan.name}, checks={plan.name: plan.checks})


def _keep_answers_out(course: Course, name: str) -> None:
    """Plain ``nbgrader autograde``: a saved answers file in source/ (left by nbgrader
    validate) never replaces a student's (as the kit's settings do for its assignments)."""
    line = f'c.Autograde.exclude_overwriting[{name!r}] = ["answers/{name}.json"]\n'
    text = course.config_path.read_text(encoding="utf-8")
    if line not in text:
        course.config_path.write_text(
            text + f"\n# {name}: added by medialit course add-article\n{line}", encoding="utf-8"
        )


def add_article(
    course_dir: str | Path,
    article_dir: str | Path,
    name: str | None = None,
    progress: Progress = stderr,
    replace: bool = False,
) -> AddedArticle:
    """Add an article folder's lessons and graded assignment to a course (see the module).
    With ``replace``, an earlier add-article of the same name is rebuilt (before anyone has
    handed it in), and put back as it was if the new one fails."""
    course = open_course(course_dir)
    folder = Path(article_dir)
    if not folder.is_dir():
        raise MedialitError(
            f"{folder} is not an article folder; make one with 'medialit article new SOURCE "
            "--out DIR'."
        )
    name = name or folder.resolve().name
    earlier = (course.root / "source" / name).is_dir() and name not in KIT_ASSIGNMENTS
    if not (replace and earlier):
        _check_name(course, name)
    article = load_article(folder)
    if not (folder / FOLDER_REFERENCE).is_file():
        raise MedialitError(
            f"{folder} has no {FOLDER_REFERENCE}: annotate the article first (the tagger's "
            "author mode), then check it with 'medialit reference check DIR'."
        )
    reference = load_reference(folder)
    _warn_if_readable(folder / FOLDER_REFERENCE, progress)
    metadata = _metadata(folder)
    plan = plan_article(name, article, reference, metadata)
    if not any(it.kind == "tags" for it in plan.items):
        raise MedialitError(
            f"{folder / FOLDER_REFERENCE} marks no anchor unit (one clear answer) in any "
            "layer, so there is nothing to grade; mark anchors, then run this again."
        )
    settings = course.root / course_mode.CONFIG_NAME
    saved = {
        p: p.read_bytes() for p in (settings, course.config_path) if p.is_file()
    }  # put back as they were if anything fails
    made: list[Path] = []
    moved = _set_aside(course, name) if replace and earlier else []
    try:
        title = _title(metadata, article.headline)
        assignment, lessons = _write_sources(course, folder, plan, title)
        made += [assignment, lessons]
        for assignment_name in (name, f"{name}_lessons"):
            made.append(course.root / "release" / assignment_name)
            generate_release(course, assignment_name, progress)
        _course_mode(course, plan)
        check_leaks(course, plan)
        _keep_answers_out(course, name)
    except BaseException:
        for path in made:
            shutil.rmtree(path, ignore_errors=True)
        for path in (settings, course.config_path):
            if path in saved:
                path.write_bytes(saved[path])
            else:
                path.unlink(missing_ok=True)
        for old, target in moved:  # the earlier build comes back as it was
            target.rename(old)
        raise
    if moved:
        shutil.rmtree(course.root / SCRATCH / f"replaced-{name}", ignore_errors=True)
    return AddedArticle(name, plan, assignment, lessons)
