"""The shared CSV reader: file, line and problem in every message, in the caller's error class."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from medialit import dossier, rewrites
from medialit.datafile import by_id, read_csv_rows
from medialit.errors import MedialitError, SchemeError
from medialit.reference import ReferenceFileError

COLUMNS = ("id", "name", "note")


class OddError(MedialitError):
    """A caller's own error class."""


def _write(tmp_path: Path, text: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_rows_are_stripped_and_numbered_by_the_line_they_start_on(tmp_path):
    text = 'id,name,note\n a , b ,c\n\nx,"two\nlines",z\ny,q,r\n'
    rows = read_csv_rows(_write(tmp_path, text), COLUMNS, error=OddError, exact=True)
    assert rows == [
        (2, {"id": "a", "name": "b", "note": "c"}),
        (4, {"id": "x", "name": "two\nlines", "note": "z"}),
        (6, {"id": "y", "name": "q", "note": "r"}),
    ]


def test_loose_header_keeps_required_columns_and_fills_short_rows(tmp_path):
    text = "extra, note ,id,name\n1,n,a\n2,m,b,c\n"
    rows = read_csv_rows(_write(tmp_path, text), COLUMNS, error=OddError)
    assert rows == [
        (2, {"id": "a", "name": "", "note": "n"}),
        (3, {"id": "b", "name": "c", "note": "m"}),
    ]


@pytest.mark.parametrize(
    ("text", "kwargs", "message"),
    [
        ("id,note\na,b\n", {}, "data.csv, line 1 (header): missing column(s) name. "),
        ("id,note\na,b\n", {"word": "row"}, "data.csv, row 1 (header): missing column(s) name."),
        ("id,note,name\na,b,c\n", {"exact": True}, "the first line must name the columns"),
        ("", {"exact": True}, "found nothing"),
        ("id,name,note\na,b,c\nd,e,f,g\n", {}, "data.csv, line 3: more values than columns (3)"),
        ("id,name,note\na,b,c,d\n", {"word": "row"}, "data.csv, row 2: more values than columns"),
        ("id,name,note\na,b,c\nd,e\n", {"exact": True}, "line 3: fewer values than columns (3)"),
        ("id,name,note\n", {"require_rows": True}, "data.csv: the file has a header but no rows."),
        ("id,name,note\n,,\n", {"require_rows": True, "skip_blank": True}, "but no rows"),
    ],
)
def test_problems_name_file_line_and_what_to_do(tmp_path, text, kwargs, message):
    path = _write(tmp_path, text)
    with pytest.raises(OddError) as info:
        read_csv_rows(path, COLUMNS, error=OddError, **kwargs)
    assert str(path) in str(info.value)
    assert message in str(info.value)


def test_blank_rows_are_kept_unless_skipped(tmp_path):
    path = _write(tmp_path, "id,name,note\n , ,\na,b,c\n")
    assert len(read_csv_rows(path, COLUMNS, error=OddError)) == 2
    assert read_csv_rows(path, COLUMNS, error=OddError, skip_blank=True) == [
        (3, {"id": "a", "name": "b", "note": "c"})
    ]


def test_missing_file_not_utf8_and_unreadable_csv(tmp_path):
    with pytest.raises(OddError, match=r"nope\.csv: file not found\. Check the path"):
        read_csv_rows(tmp_path / "nope.csv", COLUMNS, error=OddError)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("id,name,note\ncafé,b,c\n".encode("latin-1"))
    with pytest.raises(OddError, match=r"latin\.csv: not UTF-8 text .*save it as UTF-8"):
        read_csv_rows(latin, COLUMNS, error=OddError)
    huge = _write(tmp_path, "id,name,note\na,b,c\nd," + "x" * 200_000 + ",f\n", "huge.csv")
    with pytest.raises(OddError, match=r"huge\.csv, line 3: not a readable CSV file"):
        read_csv_rows(huge, COLUMNS, error=OddError)


def test_each_module_gets_its_own_error_class(tmp_path):
    """The scheme, reference, dossier and rewrites readers raise their own errors."""
    from medialit.reference import load_reference
    from medialit.scheme import load_scheme

    bad = _write(tmp_path, "id,name\n", "bad.csv")
    with pytest.raises(SchemeError, match=r"bad\.csv, row 1 \(header\): missing column\(s\)"):
        load_scheme(bad)
    with pytest.raises(ReferenceFileError, match=r"bad\.csv, row 1 \(header\)"):
        load_reference("seed", bad)
    with pytest.raises(dossier.DossierError, match=r"bad\.csv: the first line must name"):
        dossier.read_dossier(bad)
    latin = tmp_path / "rewrites.csv"
    latin.write_bytes(
        ",".join(rewrites.COLUMNS).encode() + "\nR1,05,P3.S1,seed,é,x\n".encode("cp1252")
    )
    with pytest.raises(rewrites.RewriteError, match=r"rewrites\.csv: not UTF-8 text"):
        rewrites.read_rewrites(latin)


def test_by_id_finds_the_item_or_lists_the_ids():
    claims = dossier.load_claims()
    assert by_id(claims, claims[1].id, error=OddError, noun="claim", nouns="Claims") is claims[1]
    ids = ", ".join(c.id for c in claims)
    with pytest.raises(OddError, match=re.escape(f"There is no claim 'C99'. Claims: {ids}.")):
        by_id(claims, "C99", error=OddError, noun="claim", nouns="Claims")
    with pytest.raises(dossier.DossierError, match=r"There is no dossier row 'nope'\. Rows: "):
        dossier.event("nope")
    with pytest.raises(rewrites.RewriteError, match=r"There is no rewrite 'R9'\. Rewrites: R1"):
        rewrites.get_rewrite("R9")
