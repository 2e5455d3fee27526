"""Is the expert reference complete and consistent, and are broken copies reported by row?"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import pytest
from reference_files import Row, index_of, shipped_rows, write_rows

from medialit import cli, paths
from medialit.article import load_article
from medialit.reference import (
    COLUMNS,
    RefEntry,
    ReferenceFileError,
    is_accepted,
    load_reference,
)
from medialit.scheme import default_scheme

LAYERS = ["role", "statement", "evidence", "devices", "frame"]


def find(rows: list[Row], unit: str, layer: str) -> tuple[int, Row]:
    """The CSV row number (header = row 1) and the row of one unit and layer."""
    index = index_of(rows, unit, layer)
    return index + 2, rows[index]


def split(value: str) -> set[str]:
    return {part.strip() for part in value.split(";") if part.strip()}


# --- the shipped reference -------------------------------------------------------------------


def test_shipped_reference_covers_every_unit_and_layer_once():
    reference = load_reference()
    article = load_article()
    assert reference.article == "seed"
    assert len(reference) == len(article) * 5 == 100
    assert [(e.unit, e.layer) for e in reference.entries()] == [
        (unit, layer) for unit in article.ids for layer in LAYERS
    ]
    raw = [(r["id"], r["layer"]) for r in shipped_rows()]
    assert len(raw) == len(set(raw)) == 100


def test_anchor_column_agrees_with_the_accepted_labels_in_the_raw_file():
    """Anchor = exactly one acceptable answer (devices: accepted set equals the chosen set)."""
    for row in shipped_rows():
        chosen = split(row["label"]) or {"none"}
        applicable = bool(row["accepted"])
        expected = applicable and split(row["accepted"]) == chosen
        assert (row["anchor"] == "yes") == expected, (row["id"], row["layer"])


def test_single_choice_layers_have_one_label_inside_the_accepted_set():
    scheme = default_scheme()
    for entry in load_reference().entries():
        layer = scheme.layer(entry.layer)
        assert set(entry.label) <= set(entry.accepted), (entry.unit, entry.layer)
        if layer.choice == "one" and entry.applicable:
            assert len(entry.label) == 1, (entry.unit, entry.layer)
        if layer.choice == "optional":
            assert len(entry.label) <= 1
        assert entry.rationale.strip()
        allowed = set(layer.label_names) | ({"none"} if layer.choice != "one" else set())
        assert set(entry.accepted) <= allowed


def test_evidence_layer_applies_exactly_where_role_accepts_evidence():
    reference = load_reference()
    applicable = []
    for unit in load_article().ids:
        evidence = reference.entry(unit, "evidence")
        role_accepts = "evidence" in reference.entry(unit, "role").accepted
        assert evidence.applicable == role_accepts, unit
        if role_accepts:
            applicable.append(unit)
            assert len(evidence.label) == 1
        else:
            assert evidence.label == () and evidence.accepted == ()
            assert not evidence.anchor
    assert {"P1.S1", "P8.S1", "P9.S1"} <= set(applicable)


def test_every_cue_occurs_verbatim_in_its_unit_and_every_chosen_device_has_one():
    reference = load_reference()
    article = load_article()
    for entry in reference.entries("devices"):
        text = article.unit(entry.unit).text
        for label, words in entry.cues.items():
            assert label in entry.accepted, (entry.unit, label)
            for word in words:
                assert word in text, (entry.unit, word)
        assert set(entry.label) <= set(entry.cues), entry.unit
    for layer in ("role", "statement", "evidence", "frame"):
        assert all(not e.cues for e in reference.entries(layer))


def test_each_layer_has_anchors_and_open_questions():
    """Not everything is ambiguous, and not everything is graded strictly."""
    reference = load_reference()
    for layer in LAYERS:
        entries = [e for e in reference.entries(layer) if e.applicable]
        anchors = reference.anchors(layer)
        assert anchors, layer
        assert len(anchors) < len(entries), layer
        assert all(e.anchor and e.applicable for e in anchors)


_SPOKEN = {"loaded_language": "loaded language", "common_ground": "common ground"}


def test_rationales_say_why_each_accepted_alternative_is_defensible_too():
    for entry in load_reference().entries():
        text = entry.rationale.lower()
        for label in set(entry.accepted) - set(entry.label) - {"none"}:
            assert _SPOKEN.get(label, label) in text, (entry.unit, entry.layer, label)


@pytest.mark.parametrize(
    ("unit", "layer", "label", "also"),
    [
        ("P0.S1", "role", ("thesis",), set()),
        ("P1.S1", "evidence", ("quote",), set()),
        ("P1.S1", "statement", ("fact",), set()),
        ("P5.S1", "statement", ("policy",), set()),
        ("P5.S1", "devices", ("hedge",), set()),
        ("P8.S1", "evidence", ("example",), set()),
        ("P9.S1", "evidence", ("example",), set()),
        ("P11.S1", "role", ("thesis",), {"claim", "concession"}),
        ("P12.S2", "statement", ("policy",), set()),
        ("P12.S2", "role", ("thesis",), {"claim"}),
    ],
)
def test_key_expert_decisions(unit, layer, label, also):
    """The decisions the lessons are built on (see the rationale for each)."""
    entry = load_reference().entry(unit, layer)
    assert entry.label == label
    assert also <= set(entry.accepted)


def test_devices_of_the_closing_sentence_name_vain_as_loaded_language():
    entry = load_reference().entry("P12.S2", "devices")
    assert "vain" in entry.cues["loaded_language"]
    assert "vague_source" in load_reference().entry("P5.S2", "devices").label


def test_to_frame_has_the_shared_columns_and_one_row_per_entry():
    frame = load_reference().to_frame()
    assert list(frame.columns) == [
        "id",
        "layer",
        "label",
        "accepted",
        "cues",
        "anchor",
        "rationale",
    ]
    assert len(frame) == 100
    row = frame[(frame["id"] == "P5.S1") & (frame["layer"] == "devices")].iloc[0]
    assert row["cues"] == "hedge: in part" and bool(row["anchor"]) is True


def test_entry_lookup_errors_name_the_valid_choices():
    reference = load_reference()
    with pytest.raises(ReferenceFileError, match=r"P0\.S1 to P12\.S2"):
        reference.entry("P99.S1", "role")
    with pytest.raises(ReferenceFileError, match="role, statement"):
        reference.entry("P1.S1", "tone")


# --- is_accepted -----------------------------------------------------------------------------


def entry(layer: str, label, accepted, applicable: bool = True) -> RefEntry:
    chosen = set(label) or {"none"}
    anchor = applicable and set(accepted) == chosen
    return RefEntry("P1.S1", layer, tuple(label), tuple(accepted), {}, anchor, "why", applicable)


def test_is_accepted_for_single_choice_layers():
    role = entry("role", ["evidence"], ["evidence", "context"])
    assert is_accepted(role, ["context"]) and is_accepted(role, ["evidence"])
    assert not is_accepted(role, ["claim"])
    assert not is_accepted(role, [])
    assert not is_accepted(role, ["evidence", "context"])
    frame = entry("frame", [], ["none", "problem"])
    assert is_accepted(frame, []) and is_accepted(frame, ["problem"])
    assert not is_accepted(frame, ["remedy"])
    assert not is_accepted(entry("frame", ["remedy"], ["remedy"]), [])


def test_is_accepted_for_devices_and_layers_that_do_not_apply():
    devices = entry("devices", ["hedge"], ["hedge", "figurative"])
    assert is_accepted(devices, ["hedge"]) and is_accepted(devices, ["figurative", "hedge"])
    assert not is_accepted(devices, ["hedge", "intensifier"])
    assert not is_accepted(devices, [])
    assert is_accepted(entry("devices", ["hedge"], ["hedge", "none"]), [])
    assert is_accepted(entry("devices", [], ["none"]), [])
    off = entry("evidence", [], [], applicable=False)
    assert is_accepted(off, []) and not is_accepted(off, ["example"])


# --- broken copies ---------------------------------------------------------------------------


def _set(unit: str, layer: str, **values: str) -> Callable[[list[Row]], int]:
    def edit(rows: list[Row]) -> int:
        number, row = find(rows, unit, layer)
        row.update(values)
        return number

    return edit


def _drop_unit(rows: list[Row]) -> int:
    rows[:] = [r for r in rows if r["id"] != "P3.S1"]
    return 0


def _duplicate(rows: list[Row]) -> int:
    rows.append(dict(find(rows, "P2.S1", "frame")[1]))
    return len(rows) + 1


BROKEN = {
    "missing-unit": (_drop_unit, r"no row for unit P3\.S1, layer role"),
    "unknown-label": (
        _set("P2.S1", "role", label="opinion", accepted="opinion"),
        r"'opinion' is not a label of the 'role' layer\. Valid labels: thesis, claim",
    ),
    "cue-not-in-text": (
        _set("P5.S1", "devices", cues="hedge: perhaps"),
        r"the cue 'perhaps' \(hedge\) does not occur in the text of P5\.S1",
    ),
    "cue-straight-apostrophe": (
        _set(
            "P3.S1",
            "devices",
            cues="loaded_language: Russia's strongman | "
            "figurative: as if it were a brilliant policy move | intensifier: even",
        ),
        r"the cue \"Russia's strongman\" \(loaded_language\) does not occur",
    ),
    "cue-for-unaccepted-label": (
        _set("P5.S1", "devices", cues="hedge: in part | intensifier: strong"),
        r"cues are given for 'intensifier', which is not an accepted device label",
    ),
    "chosen-device-without-cue": (
        _set("P5.S1", "devices", cues=""),
        r"the chosen device\(s\) hedge need cue words",
    ),
    "anchor-says-yes-but-two-accepted": (
        _set("P1.S1", "role", anchor="yes"),
        r"anchor is 'yes' but accepted allows more than the label",
    ),
    "anchor-says-no-but-one-accepted": (
        _set("P2.S1", "role", anchor="no"),
        r"anchor is 'no' but the expert accepts exactly one answer",
    ),
    "label-not-in-accepted": (
        _set("P2.S1", "role", label="thesis", accepted="claim"),
        r"accepted \('claim'\) must include the label; add thesis",
    ),
    "empty-frame-without-none": (
        _set("P1.S1", "frame", accepted="problem"),
        r"must include the label; add 'none'",
    ),
    "two-roles": (
        _set("P2.S1", "role", label="claim;thesis", accepted="claim;thesis", anchor="no"),
        r"the role layer takes exactly one label; found 2",
    ),
    "evidence-where-role-rejects-it": (
        _set("P2.S1", "evidence", label="example", accepted="example", anchor="yes"),
        r"the evidence layer only applies when role accepts 'evidence'",
    ),
    "none-as-a-role": (
        _set("P2.S1", "role", accepted="claim;none", anchor="no"),
        r"'none' is not a label of the 'role' layer",
    ),
    "cues-on-a-role-row": (
        _set("P2.S1", "role", cues="claim: clearly"),
        r"only devices rows have cues",
    ),
    "empty-rationale": (_set("P6.S1", "statement", rationale=""), r"the rationale is empty"),
    "bad-anchor-word": (_set("P6.S1", "statement", anchor="maybe"), r"anchor must be yes or no"),
    "unknown-unit": (_set("P6.S1", "statement", id="P6.S9"), r"'P6\.S9' is not a unit"),
    "duplicate-row": (_duplicate, r"P2\.S1 frame is given twice"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_copy_is_reported_with_file_row_and_problem(tmp_path, case):
    """Each mistake an editor could make is refused with the file, the row and what to fix."""
    edit, message = BROKEN[case]
    rows = shipped_rows()
    number = edit(rows)
    path = write_rows(tmp_path / "reference.csv", rows)
    with pytest.raises(ReferenceFileError, match=message) as info:
        load_reference("seed", path)
    assert str(path) in str(info.value)
    if number:
        assert f"row {number}:" in str(info.value)


def test_missing_column_and_missing_file_are_reported(tmp_path):
    rows = shipped_rows()
    path = tmp_path / "ref.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "layer", "label", "accepted", "cues", "rationale"])
        writer.writerows([[r[c] for c in COLUMNS if c != "anchor"] for r in rows])
    with pytest.raises(ReferenceFileError, match=r"row 1 \(header\): missing column\(s\) anchor"):
        load_reference("seed", path)
    with pytest.raises(ReferenceFileError, match="reference file not found"):
        load_reference("seed", tmp_path / "nope.csv")
    with pytest.raises(ReferenceFileError, match="has no reference for the article 'tv'"):
        load_reference("tv")


def test_a_corrected_file_is_read_again(tmp_path):
    rows = shipped_rows()
    path = write_rows(tmp_path / "reference.csv", rows)
    old = find(rows, "P6.S1", "role")[1]["rationale"]
    assert load_reference("seed", path).entry("P6.S1", "role").rationale == old
    find(rows, "P6.S1", "role")[1]["rationale"] = "A new, longer explanation for the lesson."
    write_rows(path, rows)
    assert load_reference("seed", path).entry("P6.S1", "role").rationale.startswith("A new")


def test_loader_accepts_another_article_in_the_same_format(tmp_path):
    """Same format for the practice op-ed (or any article text with its own reference)."""
    text = tmp_path / "mini.txt"
    text.write_text("Why envoys matter\n\nEnvoys may help. Leaders should meet often.\n")
    rows = []
    for unit, role, statement in [
        ("P0.S1", "thesis", "value"),
        ("P1.S1", "claim", "prediction"),
        ("P1.S2", "thesis", "policy"),
    ]:
        rows += [
            {"id": unit, "layer": "role", "label": role, "accepted": role, "anchor": "yes"},
            {
                "id": unit,
                "layer": "statement",
                "label": statement,
                "accepted": statement,
                "anchor": "yes",
            },
            {"id": unit, "layer": "evidence", "label": "", "accepted": "", "anchor": "no"},
            {"id": unit, "layer": "devices", "label": "", "accepted": "none", "anchor": "yes"},
            {"id": unit, "layer": "frame", "label": "", "accepted": "none;remedy", "anchor": "no"},
        ]
    for row in rows:
        row.setdefault("cues", "")
        row["rationale"] = "Because."
    _, devices = find(rows, "P1.S1", "devices")
    devices.update(label="hedge", accepted="hedge", cues="hedge: may")
    reference = load_reference(str(text), write_rows(tmp_path / "mini.csv", rows))
    assert reference.article == "mini"
    assert [e.unit for e in reference.anchors("role")] == ["P0.S1", "P1.S1", "P1.S2"]
    assert reference.entry("P1.S1", "devices").cues == {"hedge": ("may",)}


def test_practice_reference_validates_once_it_is_shipped():
    if not paths.data_file("reference_practice.csv").is_file() or not (
        paths.data_file("practice_oped.txt").is_file()
    ):
        pytest.skip("the practice op-ed and its reference are not in data/ yet")
    reference = load_reference("practice")
    assert len(reference) == len(load_article("practice")) * 5


# --- the command -----------------------------------------------------------------------------


def test_cli_csv_has_one_row_per_unit_and_layer(capsys):
    assert cli.main(["reference", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0]) == list(COLUMNS)
    assert len(rows) == 100
    assert {r["anchor"] for r in rows} == {"yes", "no"}
    p5 = next(r for r in rows if r["id"] == "P5.S1" and r["layer"] == "devices")
    assert p5["cues"] == "hedge: in part"


def test_cli_json_filters_one_layer(capsys):
    assert cli.main(["reference", "--format", "json", "--layer", "evidence"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert len(records) == 20 and {r["layer"] for r in records} == {"evidence"}
    p1 = next(r for r in records if r["id"] == "P1.S1")
    assert p1["label"] == "quote" and p1["anchor"] == "yes"


def test_cli_table_shows_rationales(capsys):
    assert cli.main(["reference", "--layer", "role"]) == 0
    out = capsys.readouterr().out
    assert "P12.S2" in out and "rationale" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--article", "tv"], "has no reference for the article 'tv'"),
        (["--layer", "tone"], "There is no layer 'tone'"),
    ],
)
def test_cli_mistakes_give_one_readable_line(capsys, args, message):
    assert cli.main(["reference", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("medialit: error: ") and message in err
    assert len(err.strip().splitlines()) == 1


def test_cli_checks_a_broken_file(tmp_path, capsys):
    rows = shipped_rows()
    number = _set("P5.S1", "devices", cues="hedge: perhaps")(rows)
    path = write_rows(tmp_path / "reference.csv", rows)
    assert cli.main(["reference", "--file", str(path)]) == 2
    assert f"row {number}:" in capsys.readouterr().err


def test_a_partial_reference_keeps_its_rules_but_not_every_row(tmp_path):
    """Does the lessons' copy of an own article's key load with rows left out, read a left-out
    row as no reading, and still refuse a row that breaks the rules?"""
    from medialit.reference import load_partial_reference

    source = paths.data_file("reference_practice.csv").read_text(encoding="utf-8").splitlines()
    kept = [line for line in source if not line.startswith(("P3.S1,", "P6.S3,role"))]
    path = tmp_path / "lesson_reference.csv"
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    ref = load_partial_reference("practice", path)
    assert ref.entry("P7.S1", "role").label == ("concession",)
    with pytest.raises(ReferenceFileError, match=r"no unit 'P3\.S1'"):
        ref.entry("P3.S1", "role")
    bad = [
        line.replace(",role,concession,concession,", ",role,thesis,concession,") for line in kept
    ]
    path.write_text("\n".join(bad) + "\n", encoding="utf-8")
    with pytest.raises(ReferenceFileError, match="must include the label"):
        load_partial_reference("practice", path)
