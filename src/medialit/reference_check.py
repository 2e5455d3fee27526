"""``medialit reference check``: every problem of a reference file, listed for a person to fix.

``load_reference`` stops at the first problem, because the grader and the lessons need a whole,
valid reference. An instructor writing one (in the author mode, or by hand as CSV) needs the
whole list instead: every row with what is wrong, and what is still missing, layer by layer.
Both use the same rules (``medialit.reference.validate_rows``); this module only finds the
file and its article, and groups and words the problems. The author mode calls
``check_rows`` on its rows in memory, so the panel and the command always agree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from medialit import paths
from medialit.article import FOLDER_TEXT, Article, load_article
from medialit.datafile import read_csv_rows
from medialit.errors import MedialitError
from medialit.reference import (
    COLUMNS,
    FOLDER_REFERENCE,
    REFERENCE_FILES,
    Problem,
    RefEntry,
    ReferenceFileError,
    validate_rows,
)
from medialit.scheme import Scheme, default_scheme

#: problems that say what is still to do rather than what is wrong, grouped by layer
GAPS = ("missing-row", "not-annotated")


@dataclass(frozen=True)
class CheckResult:
    """What ``check_reference`` found: the problems, and the entries that could be read."""

    path: Path
    article: Article
    problems: tuple[Problem, ...]
    entries: dict[tuple[str, str], RefEntry]
    layers: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def gaps(self, layer: str, kind: str = "not-annotated") -> list[str]:
        """Units with no annotation (or no row, ``kind="missing-row"``) in one layer."""
        return [p.unit for p in self.problems if p.kind == kind and p.layer == layer]

    def lines(self) -> list[str]:
        """One line per problem (file and row first), then what is still missing per layer."""
        rows = sorted(
            (p for p in self.problems if p.kind not in GAPS),
            key=lambda p: p.row if p.row is not None else 0,
        )
        out = [p.message for p in rows]
        for layer in self.layers:
            missing = self.gaps(layer, "missing-row")
            if missing:
                out.append(
                    f"{self.path}: {_units(missing)} no {layer} row: {', '.join(missing)}. "
                    "Add one row per unit and layer (the author mode writes them all)."
                )
            blank = self.gaps(layer)
            if blank:
                out.append(
                    f"{self.path}: {_units(blank)} no {layer} yet: {', '.join(blank)}. "
                    f"Choose {'an' if layer[0] in 'aeiou' else 'a'} {layer} label for each in "
                    "the author mode, or fill in "
                    "their rows (label, accepted, anchor, rationale)."
                )
        return out

    def summary(self) -> str:
        """One line: valid with its size and anchors per layer, or how many problems."""
        units = len(self.article)
        if self.ok:
            anchors = ", ".join(
                f"{layer} {sum(1 for e in self.entries.values() if e.layer == layer and e.anchor)}"
                for layer in self.layers
            )
            return (
                f"{self.path}: valid. {units} units × {len(self.layers)} layers; "
                f"anchors: {anchors}."
            )
        gaps = sum(1 for p in self.problems if p.kind in GAPS)
        wrong = len(self.problems) - gaps
        parts = []
        if wrong:
            parts.append(f"{wrong} problem{'s' if wrong != 1 else ''} to fix")
        if gaps:
            parts.append(f"{gaps} of {units * len(self.layers)} unit-layers not annotated yet")
        return f"{self.path}: not valid yet: {' and '.join(parts)}."


def _units(ids: list[str]) -> str:
    return "1 unit has" if len(ids) == 1 else f"{len(ids)} units have"


def check_rows(
    path: Path,
    rows: Sequence[tuple[int, dict[str, str]]],
    article: Article,
    scheme: Scheme | None = None,
) -> CheckResult:
    """Check (line, row) pairs, as read from ``path`` or held by the author mode."""
    scheme = scheme or default_scheme()
    entries, problems = validate_rows(path, rows, article, scheme)
    return CheckResult(path, article, tuple(problems), entries, tuple(scheme.layer_names))


def locate(target: str | Path, article: str | Path | None = None) -> tuple[Path, str | Path]:
    """The reference CSV and the article it annotates, from what the command was given.

    ``target`` is an article folder (its ``reference.csv``), a CSV file, or ``seed`` /
    ``practice`` (the kit's own). ``article`` (a folder, ``seed`` or ``practice``) says which
    article a CSV annotates; a CSV in an article folder or the kit's own file needs none.
    """
    if isinstance(target, str) and target in REFERENCE_FILES and not Path(target).exists():
        return paths.data_file(REFERENCE_FILES[target]), article or target
    path = Path(target)
    if path.is_dir():
        csv_path = path / FOLDER_REFERENCE
        if not csv_path.is_file():
            raise ReferenceFileError(
                f"{path} has no {FOLDER_REFERENCE} yet. Write it with the author mode "
                f"(from medialit.author import author; author({str(path)!r})), or copy a "
                "reference CSV there."
            )
        return csv_path, article or path
    if not path.is_file():
        raise ReferenceFileError(
            f"{path}: no such file or folder. Give an article folder, a reference CSV "
            f"or one of {', '.join(REFERENCE_FILES)}."
        )
    if article is not None:
        return path, article
    if (path.parent / FOLDER_TEXT).is_file():
        return path, path.parent
    for key, name in REFERENCE_FILES.items():
        if path.resolve() == paths.data_file(name).resolve():
            return path, key
    raise ReferenceFileError(
        f"Which article does {path} annotate? Add --article with its folder "
        f"or one of {', '.join(REFERENCE_FILES)}."
    )


def check_reference(
    target: str | Path, article: str | Path | None = None, scheme: Scheme | None = None
) -> CheckResult:
    """Check a reference file and collect every problem (see ``locate`` for ``target``).

    A file that cannot be read as CSV at all (not UTF-8, a missing column, a broken quote)
    gives that one problem; an article that cannot be loaded raises ``ReferenceFileError``.
    """
    path, source = locate(target, article)
    try:
        art = load_article(source)
    except MedialitError as exc:
        raise ReferenceFileError(f"Cannot check {path} against its article: {exc}") from exc
    scheme = scheme or default_scheme()
    try:
        rows = read_csv_rows(path, COLUMNS, error=ReferenceFileError, word="row", skip_blank=True)
    except ReferenceFileError as exc:
        problem = _unreadable(path, str(exc))
        return CheckResult(path, art, (problem,), {}, tuple(scheme.layer_names))
    return check_rows(path, rows, art, scheme)


def _unreadable(path: Path, message: str) -> Problem:
    """The reader's one error as a Problem, its row kept apart from its text."""
    found = re.match(rf"{re.escape(str(path))}(?:, row (\d+)(?: \(header\))?)?: (.*)", message)
    if found is None:
        return Problem(path, None, message, "unreadable")
    row = int(found.group(1)) if found.group(1) else None
    return Problem(path, row, found.group(2), "unreadable")
