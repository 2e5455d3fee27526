"""Reading the kit's plain CSV data files, with errors that name the file and the line.

Every data file in ``data/`` (the scheme, the references, the dossier, the claims, the
rewrites) is a UTF-8 CSV file with a header line. ``read_csv_rows`` reads one and checks
what all of them need; each module then checks the values and raises its own error class,
with ``require_filled`` and ``split_list`` for what many of them check alike.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, TypeVar

from medialit.errors import MedialitError


def read_csv_rows(
    path: Path,
    columns: Sequence[str],
    *,
    error: type[MedialitError],
    exact: bool = False,
    word: str = "line",
    skip_blank: bool = False,
    require_rows: bool = False,
) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) pairs of a UTF-8 CSV file, values stripped; problems raise ``error``.

    The number is the file line a row starts on (the header is line 1). ``exact``: the
    header must be ``columns`` in that order and every row must have that many values;
    otherwise the header must contain ``columns`` (others are ignored) and a short row's
    missing values are empty. ``word`` names a line in messages ("line" or "row", as the
    calling module's own messages do). ``skip_blank`` leaves out rows whose values are all
    blank; ``require_rows`` refuses a file with a header and no rows.
    """
    if not path.is_file():
        raise error(f"{path}: file not found. Check the path, or restore the file from the kit.")
    columns = list(columns)
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            header = [name.strip() for name in next(reader, [])]
            if exact and header != columns:
                raise error(
                    f"{path}: the first line must name the columns {','.join(columns)}; "
                    f"found {','.join(header) or 'nothing'}."
                )
            missing = [c for c in columns if c not in header]
            if missing:
                raise error(
                    f"{path}, {word} 1 (header): missing column(s) {', '.join(missing)}. "
                    f"The header must be: {','.join(columns)}."
                )
            while True:
                start = reader.line_num + 1
                values = next(reader, None)
                if values is None:
                    break
                if not values:  # an empty line
                    continue
                where = f"{path}, {word} {start}"
                if len(values) > len(header):
                    raise error(
                        f"{where}: more values than columns ({len(header)}); "
                        "put quotes around any value that contains a comma."
                    )
                if exact and len(values) < len(header):
                    raise error(
                        f"{where}: fewer values than columns ({len(header)}); "
                        "check the commas and quotes on that line."
                    )
                if skip_blank and not any(v.strip() for v in values):
                    continue
                row = dict(zip(header, (v.strip() for v in values), strict=False))
                rows.append((start, {c: row.get(c, "") for c in columns}))
    except UnicodeDecodeError as exc:
        raise error(f"{path}: not UTF-8 text ({exc.reason}); save it as UTF-8.") from exc
    except csv.Error as exc:
        raise error(
            f"{path}, {word} {reader.line_num}: not a readable CSV file ({exc}); "
            "check the quotes on that line."
        ) from exc
    if require_rows and not rows:
        raise error(f"{path}: the file has a header but no rows.")
    return rows


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


_Item = TypeVar("_Item", bound=_HasId)


def by_id(
    items: Sequence[_Item], wanted: str, *, error: type[MedialitError], noun: str, nouns: str
) -> _Item:
    """The item whose ``id`` is ``wanted``; else ``error`` naming it and listing the ids.

    ``noun`` names one item in the message ("claim"), ``nouns`` the list ("Claims").
    """
    for item in items:
        if item.id == wanted:
            return item
    raise error(f"There is no {noun} {wanted!r}. {nouns}: {', '.join(item.id for item in items)}.")


def split_list(value: str) -> tuple[str, ...]:
    """A cell holding a list, ``a; b; c``, as its stripped, non-empty items."""
    return tuple(part.strip() for part in value.split(";") if part.strip())


def require_filled(
    where: str, row: dict[str, str], names: Sequence[str], *, error: type[MedialitError]
) -> None:
    """Raise ``error`` naming the first of these columns that is empty in ``row``."""
    for name in names:
        if not row[name]:
            raise error(f"{where}: the {name} column is empty; fill it in.")
