"""The kit's own rewrites of the article: a neutral rewrite (lesson 05) and a reframing (06).

``data/rewrites.csv`` has the columns ``id,lesson,units,original_source,rewrite,changes``.
The original text is not copied into the file: ``units`` names the article's units
(``P3.S1``, or ``P10.S1; P10.S2``) and ``original_source`` the article (``seed`` or
``practice``), so the lesson quotes the original through the package. ``changes`` lists
each change as ``original words -> new words: why``, separated by `` | ``; the new words are
``(removed)`` when the rewrite drops the original words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from medialit import paths
from medialit.article import load_article
from medialit.datafile import by_id, read_csv_rows
from medialit.errors import MedialitError

COLUMNS = ("id", "lesson", "units", "original_source", "rewrite", "changes")
REMOVED = "(removed)"
_CHANGE = re.compile(r"^(?P<old>.+?) -> (?P<new>.+?): (?P<why>.+)$", re.S)


class RewriteError(MedialitError):
    """``rewrites.csv`` is not valid, or a rewrite id is unknown."""


@dataclass(frozen=True)
class Change:
    """One change: the original words, what replaced them (or ``(removed)``), and why."""

    original: str
    replacement: str
    why: str

    @property
    def removed(self) -> bool:
        return self.replacement == REMOVED


@dataclass(frozen=True)
class Rewrite:
    """The kit's rewrite of some units of an article, with the changes it made."""

    id: str
    lesson: str
    units: tuple[str, ...]
    original_source: str
    rewrite: str
    changes: tuple[Change, ...]

    @property
    def original(self) -> str:
        """The original units' text, quoted from the article (sentences joined by a space)."""
        article = load_article(self.original_source)
        return " ".join(article.unit(u).text for u in self.units)


def _parse_changes(where: str, value: str) -> tuple[Change, ...]:
    changes = []
    for part in (p.strip() for p in value.split(" | ")):
        match = _CHANGE.match(part)
        if not match:
            raise RewriteError(
                f"{where}: the change {part[:60]!r} should read 'original words -> new words: "
                "why' (use (removed) as the new words for a deletion)."
            )
        changes.append(Change(match["old"].strip(), match["new"].strip(), match["why"].strip()))
    return tuple(changes)


def read_rewrites(path: str | Path) -> tuple[Rewrite, ...]:
    """Read and check a rewrites file: units exist, and every change matches both texts."""
    path = Path(path)
    rows = read_csv_rows(path, COLUMNS, error=RewriteError, exact=True, require_rows=True)
    result, seen = [], set()
    for line, row in rows:
        where = f"{path}, line {line}"
        for name in COLUMNS:
            if not row[name]:
                raise RewriteError(f"{where}: the {name} column is empty; fill it in.")
        if row["id"] in seen:
            raise RewriteError(f"{where}: the id {row['id']!r} is used twice.")
        seen.add(row["id"])
        if not re.fullmatch(r"\d\d", row["lesson"]):
            raise RewriteError(f"{where}: lesson should be a two-digit number like 05.")
        units = tuple(u.strip() for u in row["units"].split(";") if u.strip())
        try:
            article = load_article(row["original_source"])
            original = " ".join(article.unit(u).text for u in units)
        except MedialitError as exc:
            raise RewriteError(f"{where}: {exc}") from exc
        changes = _parse_changes(where, row["changes"])
        for change in changes:
            if change.original not in original:
                raise RewriteError(
                    f"{where}: the changed words {change.original!r} are not in "
                    f"{row['units']}; copy them exactly from the article."
                )
            if not change.removed and change.replacement not in row["rewrite"]:
                raise RewriteError(
                    f"{where}: the new words {change.replacement!r} are not in the rewrite; "
                    "copy them exactly, or write (removed)."
                )
        result.append(
            Rewrite(
                row["id"], row["lesson"], units, row["original_source"], row["rewrite"], changes
            )
        )
    return tuple(result)


@cache
def _cached(path: Path, stamp: tuple[int, int]) -> tuple[Rewrite, ...]:
    return read_rewrites(path)


def load_rewrites(path: str | Path | None = None) -> tuple[Rewrite, ...]:
    """The kit's rewrites (``data/rewrites.csv``), checked."""
    path = Path(path) if path is not None else paths.data_file("rewrites.csv")
    try:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        stamp = (0, 0)
    return _cached(path, stamp)


def get_rewrite(rewrite_id: str) -> Rewrite:
    """One rewrite by id (``"R1"``); a clear error lists the ids if there is none."""
    return by_id(load_rewrites(), rewrite_id, error=RewriteError, noun="rewrite", nouns="Rewrites")


def changes_frame(rewrite_id: str) -> pd.DataFrame:
    """The changes of one rewrite as a table: original words, new words, why."""
    return pd.DataFrame(
        [
            {"original": c.original, "rewrite": c.replacement, "why": c.why}
            for c in get_rewrite(rewrite_id).changes
        ]
    )
