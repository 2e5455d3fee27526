"""The author mode's model: does each change land in DIR/reference.csv as the format wants it?

Real files in a temporary article folder (the practice op-ed's text); no widget.
"""

from __future__ import annotations

import csv
import io
import resource
import shutil
import signal
from pathlib import Path

import pytest
from reference_files import article_folder, saved_row

from medialit import paths
from medialit.author_model import NOT_APPLICABLE, AuthorModel, ReferenceChangedError
from medialit.errors import MedialitError
from medialit.reference import NONE, ReferenceFileError, load_reference, split_labels
from medialit.reference_check import check_reference

LAYERS = ("role", "statement", "evidence", "devices", "frame")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return article_folder(tmp_path, reference=None)


def test_a_new_reference_is_every_row_not_annotated_yet(folder):
    model = AuthorModel(folder)
    assert not (folder / "reference.csv").exists()  # nothing is written until asked
    model.save()
    rows = list(csv.DictReader(io.StringIO((folder / "reference.csv").read_text("utf-8"))))
    assert len(rows) == len(model.ids) * 5
    assert [(r["id"], r["layer"]) for r in rows[:5]] == [("P0.S1", layer) for layer in LAYERS]
    assert all(r["label"] == r["anchor"] == r["rationale"] == "" for r in rows)
    assert (folder / "reference.csv").stat().st_mode & 0o077 == 0  # a key: the owner's only
    result = check_reference(folder)
    assert {p.kind for p in result.problems} == {"not-annotated"}
    assert result.gaps("role") == model.ids
    assert model.progress() == (0, len(model.ids)) and model.next_unfinished() == 0
    (folder / "reference.csv").chmod(0o640)
    model.choose("P0.S1", "role", "thesis")
    assert (folder / "reference.csv").stat().st_mode & 0o777 == 0o640  # kept when rewritten


def test_label_is_an_anchor_until_another_label_is_accepted(folder):
    model = AuthorModel(folder)
    model.choose("P0.S1", "role", "thesis")
    assert saved_row(folder, "P0.S1", "role") | {"rationale": ""} == {
        "id": "P0.S1",
        "layer": "role",
        "label": "thesis",
        "accepted": "thesis",
        "cues": "",
        "anchor": "yes",
        "rationale": "",
    }
    model.set_accepted("P0.S1", "role", "claim")
    row = saved_row(folder, "P0.S1", "role")
    assert (row["accepted"], row["anchor"]) == ("thesis;claim", "no")
    model.choose("P0.S1", "role", "concession")  # a new label keeps the alternatives
    assert saved_row(folder, "P0.S1", "role")["accepted"] == "concession;claim"
    assert model.alternatives("P0.S1", "role") == ["claim"]
    model.set_anchor("P0.S1", "role", True)  # an anchor: the alternatives go
    row = saved_row(folder, "P0.S1", "role")
    assert (row["label"], row["accepted"], row["anchor"]) == ("concession", "concession", "yes")
    model.set_accepted("P0.S1", "role", "claim")
    model.set_accepted("P0.S1", "role", "claim", on=False)  # the last alternative gone: anchor
    assert saved_row(folder, "P0.S1", "role")["anchor"] == "yes"
    with pytest.raises(MedialitError, match=r"is the label of P0\.S1 in role"):
        model.set_accepted("P0.S1", "role", "concession")
    with pytest.raises(MedialitError, match="'opinion' is not a label of the 'role' layer"):
        model.choose("P0.S1", "role", "opinion")


def test_not_an_anchor_without_an_alternative_is_kept_for_the_check_to_name(folder):
    model = AuthorModel(folder)
    model.choose("P1.S1", "statement", "fact")
    model.set_anchor("P1.S1", "statement", False)
    assert saved_row(folder, "P1.S1", "statement")["anchor"] == "no"
    kinds = {p.kind for p in model.problems("P1.S1", "statement")}
    assert kinds == {"anchor-mismatch", "no-rationale"}
    model.set_accepted("P1.S1", "statement", "value")
    assert {p.kind for p in model.problems("P1.S1", "statement")} == {"no-rationale"}


def test_devices_none_alternatives_and_cues(folder):
    model = AuthorModel(folder)
    unit = "P0.S1"
    text = model.article.unit(unit).text
    word = text.split()[1]
    model.set_none(unit, "devices")
    row = saved_row(folder, unit, "devices")
    assert (row["label"], row["accepted"], row["anchor"]) == ("", NONE, "yes")
    assert model.is_none(unit, "devices")
    model.set_accepted(unit, "devices", "figurative")
    assert saved_row(folder, unit, "devices")["accepted"] == "none;figurative"
    assert model.set_cues(unit, "figurative", f"{word}; not in the text") == ["not in the text"]
    row = saved_row(folder, unit, "devices")
    assert row["cues"] == f"figurative: {word}; not in the text"  # saved as typed
    assert "cue-not-in-text" in {p.kind for p in model.problems(unit, "devices")}
    model.set_cues(unit, "figurative", word)
    model.choose(unit, "devices", "loaded_language")
    model.choose(unit, "devices", "hedge")
    row = saved_row(folder, unit, "devices")
    assert row["label"] == "loaded_language;hedge"
    assert row["accepted"] == "loaded_language;hedge;figurative" and row["anchor"] == "no"
    model.set_cues(unit, "loaded_language", [word])
    model.set_accepted(unit, "devices", "figurative", on=False)  # its cues go with it
    assert saved_row(folder, unit, "devices")["cues"] == f"loaded_language: {word}"
    assert "missing-cues" in {p.kind for p in model.problems(unit, "devices")}  # hedge
    with pytest.raises(MedialitError, match="has no 'none'"):
        model.set_none(unit, "role")


def test_evidence_follows_the_role(folder):
    model = AuthorModel(folder)
    unit = "P2.S1"
    model.choose(unit, "role", "claim")
    row = saved_row(folder, unit, "evidence")
    assert (row["label"], row["accepted"], row["anchor"]) == ("", "", "no")
    assert row["rationale"] == NOT_APPLICABLE.format(layer="evidence", role="claim")
    assert not model.applies(unit, "evidence") and model.problems(unit, "evidence") == []
    model.set_accepted(unit, "role", "evidence")  # now it applies: the row is open again
    assert model.applies(unit, "evidence") and not model.annotated(unit, "evidence")
    model.choose(unit, "evidence", "example")
    row = saved_row(folder, unit, "evidence")
    assert (row["label"], row["accepted"], row["anchor"]) == ("example", "example", "yes")
    model.set_rationale(unit, "evidence", "A specific event.")
    model.set_accepted(unit, "role", "evidence", on=False)  # closed again; own words kept
    row = saved_row(folder, unit, "evidence")
    assert (row["label"], row["anchor"], row["rationale"]) == ("", "no", "A specific event.")
    model.clear(unit, "role")
    assert not model.annotated(unit, "role") and model.annotated(unit, "evidence")


def test_rationale_is_one_line_and_clear_returns_a_row_to_not_annotated(folder):
    model = AuthorModel(folder)
    model.choose("P0.S1", "frame", "problem")
    model.set_rationale("P0.S1", "frame", "  Names what is wrong.\n\nPlainly.  ")
    assert saved_row(folder, "P0.S1", "frame")["rationale"] == "Names what is wrong. Plainly."
    lines = (folder / "reference.csv").read_text("utf-8").splitlines()
    assert len(lines) == len(model.ids) * 5 + 1  # one line per row
    model.clear("P0.S1", "frame")
    row = saved_row(folder, "P0.S1", "frame")
    assert row["label"] == row["anchor"] == row["rationale"] == ""


def test_undo_restores_the_file_and_a_change_that_changes_nothing_is_not_a_step(folder):
    model = AuthorModel(folder)
    model.choose("P0.S1", "role", "thesis")
    first = (folder / "reference.csv").read_bytes()
    model.choose("P0.S1", "role", "thesis")  # again: nothing changes
    assert len(model.undo_stack) == 1
    model.set_rationale("P0.S1", "role", "Why.")
    model.set_accepted("P0.S1", "role", "claim")
    assert model.undo() == "P0.S1" and model.undo() == "P0.S1"
    assert (folder / "reference.csv").read_bytes() == first
    assert model.undo() == "P0.S1" and not model.annotated("P0.S1", "role")
    assert model.undo() is None


@pytest.mark.parametrize("name", ["reference_practice.csv"])
def test_load_save_round_trip_equals_the_file(folder, name):
    shutil.copy(paths.data_file(name), folder / "reference.csv")
    original = (folder / "reference.csv").read_bytes()
    model = AuthorModel(folder)
    assert model.to_csv().encode("utf-8") == original
    assert model.progress() == (len(model.ids), len(model.ids)) and model.check().ok
    model.set_rationale("P0.S1", "role", "Changed.")
    assert (folder / "reference.csv").read_bytes() != original
    model.undo()
    assert (folder / "reference.csv").read_bytes() == original
    assert AuthorModel(folder).to_csv().encode("utf-8") == original


def test_replaying_the_shipped_reference_through_the_api_writes_the_same_file(folder):
    """Every row of the practice reference, entered as an instructor would, gives the file."""
    shipped = paths.data_file("reference_practice.csv")
    with shipped.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    model = AuthorModel(folder)
    for row in rows:
        unit, layer = row["id"], row["layer"]
        label = split_labels(row["label"])
        accepted = split_labels(row["accepted"])
        if layer == "evidence" and not accepted:
            model.set_rationale(unit, layer, row["rationale"])
            continue
        if label:
            model.set_label(unit, layer, label)
        else:
            model.set_none(unit, layer)
        for other in accepted:
            if other not in label and not (other == NONE and not label):
                model.set_accepted(unit, layer, other)
        for cue_label, words in model_cues(row["cues"]).items():
            model.set_cues(unit, cue_label, words)
        if row["anchor"] == "yes":
            model.set_anchor(unit, layer, True)
        model.set_rationale(unit, layer, row["rationale"])
    assert (folder / "reference.csv").read_bytes() == shipped.read_bytes()
    reference = load_reference(folder)
    assert len(reference) == len(model.ids) * 5


def model_cues(value: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for group in value.split("|"):
        label, _, words = group.partition(":")
        if label.strip():
            out[label.strip()] = list(split_labels(words))
    return out


def test_a_hand_edited_file_keeps_rows_the_article_does_not_have(folder):
    shutil.copy(paths.data_file("reference_practice.csv"), folder / "reference.csv")
    with (folder / "reference.csv").open("a", encoding="utf-8") as fh:
        fh.write("P99.S1,role,claim,claim,,yes,A row for a unit that is not there.\n")
    model = AuthorModel(folder)
    assert [row["id"] for row in model.extra] == ["P99.S1"]
    assert "unknown-unit" in {p.kind for p in model.check().problems}
    model.set_rationale("P0.S1", "role", "Changed by the author mode.")
    assert (
        (folder / "reference.csv")
        .read_text("utf-8")
        .endswith("P99.S1,role,claim,claim,,yes,A row for a unit that is not there.\n")
    )


def test_a_file_changed_on_disk_meanwhile_is_never_overwritten(folder):
    model = AuthorModel(folder)
    model.choose("P0.S1", "role", "thesis")
    edited = (folder / "reference.csv").read_text("utf-8").replace("thesis", "claim")
    (folder / "reference.csv").write_text(edited, "utf-8")
    with pytest.raises(ReferenceChangedError, match="changed on disk since"):
        model.set_rationale("P0.S1", "role", "Lost?")
    assert (folder / "reference.csv").read_text("utf-8") == edited
    assert model.rationale("P0.S1", "role") == ""  # taken back: what is shown is what is saved
    assert AuthorModel(folder).label("P0.S1", "role") == ["claim"]


def test_a_refused_save_keeps_the_work_for_the_next_save(folder):
    """The disk refuses the write (a file-size limit, which binds root too): the change stays
    in memory, the old file stays whole, and the next save writes both."""
    model = AuthorModel(folder)
    model.choose("P0.S1", "role", "thesis")
    before = (folder / "reference.csv").read_bytes()
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (200, hard))
    try:
        with pytest.raises(ReferenceFileError, match="Could not save"):
            model.set_rationale("P0.S1", "role", "Kept.")
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, old_handler)
    assert (folder / "reference.csv").read_bytes() == before
    assert not [p for p in folder.iterdir() if p.name.startswith(".reference-")]
    assert model.rationale("P0.S1", "role") == "Kept."
    model.set_rationale("P1.S1", "role", "Next.")
    assert saved_row(folder, "P0.S1", "role")["rationale"] == "Kept."
    assert saved_row(folder, "P1.S1", "role")["rationale"] == "Next."


def test_a_broken_file_is_refused_with_one_sentence_and_left_alone(folder):
    (folder / "reference.csv").write_bytes(b"id,layer\n\xff\n")
    with pytest.raises(ReferenceFileError, match="not UTF-8"):
        AuthorModel(folder)
    assert (folder / "reference.csv").read_bytes() == b"id,layer\n\xff\n"
    with pytest.raises(MedialitError, match=r"Article file not found"):
        AuthorModel(folder.parent / "nowhere")  # no article: the article's own message
    (folder / "reference.csv").unlink()
    with pytest.raises(MedialitError, match=r"There is no unit 'P77\.S1'"):
        AuthorModel(folder).choose("P77.S1", "role", "claim")
