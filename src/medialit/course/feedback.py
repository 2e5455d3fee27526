"""Feedback for students: nbgrader's HTML feedback with no key in it, checked before it goes.

``medialit feedback`` runs ``nbgrader generate_feedback`` on the autograded notebooks (no
notebook is executed) with the course config's preprocessors, which strip hidden tests and
any traceback that could quote one (``hide_keys.HideAnswerKeys``). The messages students
read are the test cells' outputs the grader wrote (``scoring_step``): the same lines the
Check button prints, which never name an accepted label. Then every feedback file is
searched for every answer-key string of the assignment; a file that holds one is deleted
and the command fails.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from medialit.course.folder import Course, Progress, open_course, run_nbgrader, stderr
from medialit.course.lock import DEFAULT_WAIT, assignment_lock
from medialit.errors import MedialitError


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
    """Strings that would give an answer key away: ``medialit.answer_keys``'s list over every
    source notebook of the course (each non-trivial line of every hidden test and model
    answer, and each key literal), so feedback for one assignment shows no other's key
    either. ``assignment`` is kept for callers; the list covers it with the rest."""
    from medialit import answer_keys

    del assignment
    keys = answer_keys.answer_key_strings(course.root / "source")
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


def feedback(
    directory: str | Path,
    assignment: str,
    progress: Progress = stderr,
    wait: float = DEFAULT_WAIT,
) -> list[Path]:
    """Generate students' HTML feedback, then refuse to leave any file that leaks a key.

    Holds the assignment's lock, so feedback never reads a half-graded class.
    """
    course = open_course(directory)
    course.check_assignment(assignment)
    with assignment_lock(course, assignment, "making feedback", wait, progress):
        return _feedback(course, directory, assignment, progress)


def _feedback(course: Course, directory, assignment: str, progress: Progress) -> list[Path]:
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
