"""Expert-reference files for tests, as the reference, check and author-mode tests all use them.

Real files only: the kit's shipped rows (``data/reference.csv`` and the practice op-ed's
``data/reference_practice.csv``), rows written back in the reference format
(``medialit.reference.COLUMNS``), an article folder as ``medialit article new`` makes it, and
one row of a folder's ``reference.csv`` as it is on disk.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from medialit import paths
from medialit.reference import COLUMNS

Row = dict[str, str]


def shipped_rows(name: str = "reference.csv") -> list[Row]:
    """The rows of one of the kit's reference files, as plain dicts."""
    with paths.data_file(name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write_rows(path: Path, rows: list[Row]) -> Path:
    """Write ``rows`` as a reference file at ``path`` (header first); return the path."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def index_of(rows: list[Row], unit: str, layer: str) -> int:
    """Where the row of one unit and layer is in ``rows`` (its file line is this + 2)."""
    for index, row in enumerate(rows):
        if row["id"] == unit and row["layer"] == layer:
            return index
    raise AssertionError(f"no row for {unit} {layer}")


def article_folder(tmp_path: Path, reference: str | None = "reference_practice.csv") -> Path:
    """A folder as ``medialit article new`` makes it: the practice op-ed's text, and the kit's
    ``reference`` file copied in as ``reference.csv`` (None: no reference yet)."""
    folder = tmp_path / "myarticle"
    folder.mkdir()
    shutil.copy(paths.data_file("practice_oped.txt"), folder / "article.txt")
    if reference:
        shutil.copy(paths.data_file(reference), folder / "reference.csv")
    return folder


def saved_row(folder: Path, unit: str, layer: str) -> Row:
    """One row of ``folder/reference.csv`` as it is on disk now."""
    with (folder / "reference.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return rows[index_of(rows, unit, layer)]
