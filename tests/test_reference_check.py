"""Does ``medialit reference check`` list every problem of a reference, each with file and row?

One broken copy of the seed's reference carries many mistakes at once; the check must name
each of them at its own row (``load_reference`` names only the first, with the same words).
A valid article folder passes with a one-line summary; the command exits 0 or 2.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from reference_files import Row, article_folder, index_of, shipped_rows, write_rows

from medialit import cli, paths
from medialit.article import load_article
from medialit.reference import ReferenceFileError, load_reference
from medialit.reference_check import check_reference, locate

#: (unit, layer, new values, kind of problem, words the problem must use)
EDITS = [
    ("P1.S1", "role", {"anchor": "yes"}, "anchor-mismatch", "accepted allows more than"),
    (
        "P2.S1",
        "role",
        {"label": "opinion", "accepted": "opinion"},
        "unknown-label",
        "'opinion' is not a label of the 'role' layer",
    ),
    (
        "P2.S1",
        "statement",
        {"label": "value", "accepted": "fact"},
        "label-not-accepted",
        "must include the label; add value",
    ),
    (
        "P2.S1",
        "evidence",
        {"label": "example", "accepted": "example", "anchor": "yes"},
        "layer-does-not-apply",
        "only applies when role accepts 'evidence'",
    ),
    (
        "P4.S2",
        "role",
        {"label": "evidence;claim", "accepted": "evidence;claim", "anchor": "no"},
        "label-count",
        "takes exactly one label; found 2",
    ),
    ("P5.S1", "devices", {"cues": "hedge in part"}, "malformed-cues", "must look like"),
    ("P6.S2", "devices", {"cues": "hedge: not likely | hedge: likely"}, "malformed-cues", "twice"),
    ("P6.S2", "statement", {"cues": "fact: goal"}, "cues-not-allowed", "only devices rows"),
    ("P9.S2", "devices", {"cues": "intensifier: perhaps"}, "cue-not-in-text", "'perhaps'"),
    (
        "P10.S1",
        "devices",
        {"cues": "intensifier: even | hedge: even"},
        "cue-label-not-accepted",
        "cues are given for 'hedge'",
    ),
    ("P10.S2", "devices", {"cues": ""}, "missing-cues", "need cue words"),
    ("P7.S1", "statement", {"anchor": "maybe"}, "bad-anchor", "anchor must be yes or no"),
    ("P7.S1", "role", {"rationale": ""}, "no-rationale", "rationale is empty"),
    ("P8.S1", "role", {"accepted": "evidence;claim;claim"}, "repeated-label", "twice"),
    ("P12.S1", "frame", {"label": "problem;cause"}, "label-count", "at most one label"),
    ("P9.S1", "statement", {"id": "P9.S7"}, "unknown-unit", "'P9.S7' is not a unit"),
    ("P9.S1", "frame", {"layer": "tone"}, "unknown-layer", "'tone' is not a layer"),
    (
        "P11.S1",
        "frame",
        {"label": "", "accepted": "", "cues": "", "anchor": "", "rationale": ""},
        "not-annotated",
        "no frame annotation yet",
    ),
]


def broken_copy(tmp_path: Path) -> tuple[Path, list[Row], dict[int, tuple[str, str]]]:
    """The seed's reference with every edit above, a repeated row and one unit's rows gone."""
    rows = shipped_rows()
    for unit, layer, values, _, _ in EDITS:
        rows[index_of(rows, unit, layer)].update(values)
    rows.append(dict(rows[index_of(rows, "P3.S1", "role")]))  # a repeated row, at the end
    rows = [r for r in rows if r["id"] != "P12.S2"]  # a unit with no rows at all
    path = write_rows(tmp_path / "reference.csv", rows)
    lines = {i + 2: (r["id"], r["layer"]) for i, r in enumerate(rows)}
    return path, rows, lines


def test_every_problem_is_listed_with_file_row_and_words(tmp_path):
    path, rows, _ = broken_copy(tmp_path)
    result = check_reference(path, "seed")
    assert not result.ok
    for unit, layer, values, kind, words in EDITS:
        edited = {**{"id": unit, "layer": layer}, **values}
        row = next(
            i + 2
            for i, r in enumerate(rows)
            if r["id"] == edited["id"] and r["layer"] == edited["layer"]
        )
        found = [p for p in result.problems if p.row == row and p.kind == kind]
        assert found, f"no {kind} problem at row {row} ({unit} {layer})"
        assert any(words in p.text for p in found), [p.text for p in found]
        assert any(p.message.startswith(f"{path}, row {row}: ") for p in found)
    duplicate = [p for p in result.problems if p.kind == "duplicate-row"]
    assert [p.row for p in duplicate] == [len(rows) + 1]
    assert "P3.S1 role is given twice (also row" in duplicate[0].text
    missing = result.gaps("role", "missing-row")
    assert missing == ["P12.S2"] and result.gaps("frame") == ["P11.S1"]


def test_lines_name_rows_in_order_then_what_is_missing_per_layer(tmp_path):
    path, _, _ = broken_copy(tmp_path)
    lines = check_reference(path, "seed").lines()
    numbered = [int(line.split(", row ")[1].split(":")[0]) for line in lines if ", row " in line]
    assert numbered == sorted(numbered) and len(numbered) >= len(EDITS) - 1
    assert all(line.startswith(str(path)) for line in lines)
    gaps = [line for line in lines if "units have" in line or "unit has" in line]
    assert f"{path}: 1 unit has no role row: P12.S2." in "\n".join(gaps)
    assert any("1 unit has no frame yet: P11.S1" in line for line in gaps)
    assert lines[-len(gaps) :] == gaps  # what is still missing comes last


def test_load_reference_raises_the_first_problem_the_check_lists(tmp_path):
    """One set of rules: the loader's error is the check's first problem, word for word."""
    path, _, _ = broken_copy(tmp_path)
    first = check_reference(path, "seed").problems[0]
    with pytest.raises(ReferenceFileError) as info:
        load_reference("seed", path)
    assert str(info.value) == first.message


@pytest.mark.parametrize(
    ("unit", "layer", "values", "kind", "words"), EDITS, ids=[f"{e[3]}-{e[0]}" for e in EDITS]
)
def test_each_mistake_alone_is_the_loaders_error_too(tmp_path, unit, layer, values, kind, words):
    rows = shipped_rows()
    at = index_of(rows, unit, layer)
    rows[at].update(values)
    path = write_rows(tmp_path / "reference.csv", rows)
    result = check_reference(path, "seed")
    assert kind in {p.kind for p in result.problems}
    with pytest.raises(ReferenceFileError, match=f"row {at + 2}:"):
        load_reference("seed", path)


def test_a_valid_folder_passes_with_a_summary(tmp_path):
    folder = article_folder(tmp_path)
    result = check_reference(folder)
    assert result.ok and result.path == folder / "reference.csv"
    summary = result.summary()
    units = len(load_article(folder))
    assert summary.startswith(f"{folder / 'reference.csv'}: valid. {units} units × 5 layers;")
    reference = load_reference(folder)
    for layer in ("role", "statement", "evidence", "devices", "frame"):
        assert f"{layer} {len(reference.anchors(layer))}" in summary


def test_the_kits_own_references_pass():
    assert check_reference("seed").ok and check_reference("practice").ok
    assert check_reference(paths.data_file("reference.csv")).ok  # the article is known


def test_a_file_that_is_not_csv_is_one_problem(tmp_path):
    folder = article_folder(tmp_path, reference=None)
    (folder / "reference.csv").write_text("id,layer,label\nP0.S1,role,thesis\n", "utf-8")
    result = check_reference(folder)
    assert [p.kind for p in result.problems] == ["unreadable"]
    assert result.problems[0].row == 1 and "missing column(s)" in result.problems[0].text
    (folder / "reference.csv").write_bytes(b"\xff\xfe\x00junk")
    assert "not UTF-8" in check_reference(folder).problems[0].message


def test_locate_finds_the_article(tmp_path):
    folder = article_folder(tmp_path)
    assert locate(folder) == (folder / "reference.csv", folder)
    assert locate(folder / "reference.csv") == (folder / "reference.csv", folder)
    loose = shutil.copy(folder / "reference.csv", tmp_path / "loose.csv")
    assert locate(loose, "practice") == (Path(loose), "practice")
    with pytest.raises(ReferenceFileError, match=r"Which article does .* annotate"):
        locate(loose)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ReferenceFileError, match=r"has no reference\.csv yet"):
        locate(empty)
    with pytest.raises(ReferenceFileError, match="no such file or folder"):
        locate(tmp_path / "nowhere")


# --- the command -----------------------------------------------------------------------------


def test_cli_valid_folder_exits_0_with_one_line(tmp_path, capsys):
    folder = article_folder(tmp_path)
    assert cli.main(["reference", "check", str(folder)]) == 0
    out = capsys.readouterr().out
    assert len(out.strip().splitlines()) == 1
    assert f"valid. {len(load_article(folder))} units" in out


def test_cli_broken_file_exits_2_with_every_problem(tmp_path, capsys):
    path, _, _ = broken_copy(tmp_path)
    assert cli.main(["reference", "check", str(path), "--article", "seed"]) == 2
    captured = capsys.readouterr()
    assert len(captured.out.strip().splitlines()) == len(check_reference(path, "seed").lines())
    for _, _, _, kind, words in EDITS:
        assert kind == "not-annotated" or words in captured.out
    assert "1 unit has no frame yet: P11.S1." in captured.out
    assert captured.err.startswith("medialit: error: ") and "not valid yet" in captured.err
    assert len(captured.err.strip().splitlines()) == 1


def test_cli_half_done_reference_says_what_is_missing(tmp_path, capsys):
    folder = article_folder(tmp_path)
    rows = shipped_rows("reference_practice.csv")
    for row in rows[10:]:  # P0.S1 and P1.S1 are done
        row.update(label="", accepted="", cues="", anchor="", rationale="")
    write_rows(folder / "reference.csv", rows)
    assert cli.main(["reference", "check", str(folder)]) == 2
    captured = capsys.readouterr()
    units = load_article(folder).ids
    assert f"{len(units) - 2} units have no role yet: P2.S1, P2.S2," in captured.out
    assert f"{len(rows) - 10} of {len(rows)} unit-layers not annotated yet" in captured.err


def test_cli_check_mistakes_give_one_line(tmp_path, capsys):
    assert cli.main(["reference", "check", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert "no such file or folder" in err and len(err.strip().splitlines()) == 1
    assert cli.main(["reference", "check", "seed"]) == 0
    assert cli.main(["reference", "--layer", "role", "--format", "csv"]) == 0  # unchanged
