"""Course mode: close the expert checks for graded items until feedback is released.

The kit is open by default: the reference annotation and ``solutions/`` are public, like a
textbook's answer key. In a course, the instructor closes the checks that would hand a student
the answer to a graded item before grading. The setting lives in a small JSON file::

    {"format": "medialit-course", "version": 1, "locked": ["a1_claims", "a2_evidence"]}

Where a kernel looks for it, first match wins:

1. the file named by ``$MEDIALIT_COURSE_CONFIG`` (on a JupyterHub: a file every student can
   read and only the instructor can write, set in the spawner's environment);
2. ``medialit_course.json`` in the current folder or any folder above it (a course directory
   on a laptop; the autograder runs inside the course directory, so it sees the same file).

Without a file, everything is open. A file that cannot be read closes every check (the safe
side) and says so. The instructor switches checks back on with one command::

    medialit course checks open a1_claims      # after releasing a1's feedback
    medialit course checks status             # (or: python -m medialit.course_mode ...)

This is a courtesy against spoilers, not security: the reference ships with the package.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from medialit.errors import MedialitError

CONFIG_NAME = "medialit_course.json"
ENV_VAR = "MEDIALIT_COURSE_CONFIG"
FORMAT = "medialit-course"
VERSION = 1
LOCKED_MESSAGE = (
    "This check opens after your instructor releases feedback for {assignment}: "
    "it would show the answer to a graded question."
)


@dataclass(frozen=True)
class CourseConfig:
    """The course settings a kernel found (``path`` None: no course, everything open)."""

    path: Path | None
    locked: frozenset[str]
    problem: str | None = None  # set when the file exists but cannot be read

    @property
    def active(self) -> bool:
        return self.path is not None


def find_config(start: str | Path | None = None) -> Path | None:
    """The course settings file that applies here, or None."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    folder = Path(start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        path = candidate / CONFIG_NAME
        if path.is_file():
            return path
    return None


def kit_assignments() -> frozenset[str]:
    """The kit's graded assignments, whose lesson checks course mode can close."""
    from medialit.items import ASSIGNMENTS

    return frozenset(ASSIGNMENTS)


def read_config(path: Path) -> frozenset[str]:
    """The locked assignments in a settings file; MedialitError if it is not valid."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise MedialitError(f"{path}: the course settings file does not exist.") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MedialitError(f"{path}: the course settings file cannot be read ({exc}).") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise MedialitError(
            f'{path}: not a medialit course settings file (no "format": "{FORMAT}").'
        )
    locked = data.get("locked", [])
    if not isinstance(locked, list) or not all(isinstance(x, str) for x in locked):
        raise MedialitError(f'{path}: "locked" must be a list of assignment names.')
    unknown = sorted(set(locked) - kit_assignments() - set(_own_checks(data)))
    if unknown:
        raise MedialitError(
            f"{path}: unknown assignment(s) {', '.join(unknown)}; "
            f"the kit's assignments are {', '.join(sorted(kit_assignments()))}."
        )
    return frozenset(locked)


def current(start: str | Path | None = None) -> CourseConfig:
    """The settings in force for a kernel running in ``start`` (default: the current folder)."""
    path = find_config(start)
    if path is None:
        return CourseConfig(None, frozenset())
    try:
        return CourseConfig(path, read_config(path))
    except MedialitError as exc:
        return CourseConfig(path, kit_assignments(), problem=str(exc))


def _own_checks(data: object) -> dict[str, frozenset[tuple[str, str]]]:
    """A course's own assignments (``medialit course add-article``) in parsed settings, each
    with the (unit, layer) checks it closes: ``"checks": {"name": [["P1.S1", "role"], ...]}``.
    Malformed entries are left out (their assignment is then unknown, so the file is refused)."""
    checks = data.get("checks", {}) if isinstance(data, dict) else {}
    if not isinstance(checks, dict):
        return {}
    out = {}
    for name, pairs in checks.items():
        if isinstance(name, str) and isinstance(pairs, list):
            good = [tuple(p) for p in pairs if isinstance(p, list) and len(p) == 2]
            if len(good) == len(pairs) and all(isinstance(x, str) for p in good for x in p):
                out[name] = frozenset(good)
    return out


def own_checks(path: Path | None) -> dict[str, frozenset[tuple[str, str]]]:
    """The course's own assignments in a settings file and the checks each closes ({} if
    there is no file, or it cannot be read)."""
    if path is None or not path.is_file():
        return {}
    try:
        return _own_checks(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}


def locked_assignments() -> frozenset[str]:
    return current().locked


def locked_items() -> frozenset[str]:
    """Ids of graded items whose self-check is closed (see ``medialit.grading.ITEMS``)."""
    from medialit.items import ITEMS

    locked = locked_assignments()
    return frozenset(item.id for item in ITEMS.values() if item.assignment in locked)


#: Check "layers" that are not about a sentence of an article (and so hold for any article).
NOT_SENTENCES = ("response", "verdict")


def _on(pairs: set[tuple[str, str]], article: str | None, of: str) -> set[tuple[str, str]]:
    """The pairs that bear on ``article``: all of them when it is None or ``of``, else only
    those that are not about a sentence (a unit id means nothing on another article)."""
    if article is None or article == of:
        return pairs
    return {pair for pair in pairs if pair[1] in NOT_SENTENCES}


def locked_checks(article: str | None = None) -> frozenset[tuple[str, str]]:
    """Lesson checks that are closed, as pairs.

    ``(unit id, layer)`` for tags (e.g. ``("P8.S1", "role")``), ``(claim id, "verdict")`` for
    verdicts, and ``(response key, "response")`` for choices such as ``("genre", "response")``.
    With ``article`` (``"seed"``, ``"practice"``, a course article's name), only the sentence
    checks graded on that article: P1.S1 of one article is not P1.S1 of another. Empty when
    no course settings apply.
    """
    from medialit.items import ITEMS

    config = current()
    locked = config.locked
    pairs: set[tuple[str, str]] = set()
    for item in ITEMS.values():
        if item.assignment in locked:
            pairs |= _on(item.checks(), article, item.article)
    for name, closed in own_checks(config.path).items():
        if name in locked:  # a course article's key (its folder's name) is its assignment's
            pairs |= _on(set(closed), article, name)
    return frozenset(pairs)


def is_locked(key: str, layer: str, article: str | None = None) -> bool:
    """Is the lesson check for this unit (or claim, or response) and layer closed? With
    ``article``, a sentence's check counts only when graded on that article."""
    return (key, layer) in locked_checks(article)


def write_config(path: str | Path, locked, checks: dict | None = None) -> Path:
    """Write a settings file with these assignments locked (atomic). ``checks`` adds a
    course's own assignments with the (unit, layer) checks each closes; those already in the
    file are kept."""
    from medialit.answers import write_atomic

    path = Path(path)
    if path.is_dir():
        path = path / CONFIG_NAME
    own = {**own_checks(path), **{k: frozenset(map(tuple, v)) for k, v in (checks or {}).items()}}
    names = sorted(set(locked))
    unknown = sorted(set(names) - kit_assignments() - set(own))
    if unknown:
        raise MedialitError(
            f"Unknown assignment(s) {', '.join(unknown)}; "
            f"choose from {', '.join(sorted(kit_assignments()))}."
        )
    data: dict = {"format": FORMAT, "version": VERSION, "locked": names}
    if own:
        data["checks"] = {k: sorted(map(list, v)) for k, v in sorted(own.items())}
    write_atomic(path, json.dumps(data, indent=2) + "\n")
    # every student's kernel must read it (MEDIALIT_COURSE_CONFIG on a hub); only the
    # instructor writes it (the atomic write makes it 0600, private like an answers file)
    path.chmod(0o644)
    return path


def _target(args: argparse.Namespace) -> Path:
    if args.config:
        given = Path(args.config)
        return given / CONFIG_NAME if given.is_dir() else given
    found = find_config()
    if found is None:
        raise MedialitError(
            f"No course settings here: run 'python -m medialit.course_mode init' in the course "
            f"folder first, or name the file with --config (or ${ENV_VAR})."
        )
    return found


def run(args: argparse.Namespace) -> int:
    """Carry out one course-mode command; returns an exit code."""
    everything = sorted(kit_assignments())
    if args.action == "init":
        folder = Path(args.config or ".")
        path = folder / CONFIG_NAME if folder.is_dir() or not folder.suffix else folder
        if path.exists():
            raise MedialitError(f"{path} already exists; use 'lock' or 'open' to change it.")
        write_config(path, everything)
        print(f"Course mode on: checks for {', '.join(everything)} are closed ({path}).")
        return 0
    path = _target(args)
    locked = set(read_config(path))
    everything = sorted(kit_assignments() | set(own_checks(path)))
    names = args.assignments or []
    if args.action in ("open", "lock"):
        if not names:
            raise MedialitError(f"Name the assignment(s) to {args.action}, e.g. a1_claims.")
        if names == ["all"]:
            names = everything
        unknown = sorted(set(names) - set(everything))
        if unknown:
            raise MedialitError(
                f"Unknown assignment(s) {', '.join(unknown)}; choose from {', '.join(everything)}."
            )
        locked = locked - set(names) if args.action == "open" else locked | set(names)
        write_config(path, locked)
    for name in everything:
        state = "closed until feedback" if name in locked else "open"
        print(f"{name}: checks {state}")
    print(f"(settings: {path})")
    return 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of the course-mode command (also usable from another CLI)."""
    parser.add_argument(
        "action",
        choices=("init", "status", "open", "lock"),
        help="init: close all graded checks; open/lock: change assignments",
    )
    parser.add_argument("assignments", nargs="*", help="assignment names, or 'all'")
    parser.add_argument(
        "--config",
        help=f"the settings file or course folder (default: "
        f"${ENV_VAR}, else {CONFIG_NAME} here or above)",
    )
    parser.set_defaults(func=run)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m medialit.course_mode",
        description="Close or reopen the lessons' expert checks for graded assignments.",
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return run(args)
    except MedialitError as exc:
        print(f"medialit: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
