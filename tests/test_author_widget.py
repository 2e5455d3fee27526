"""The author mode's view: do the page's actions reach DIR/reference.csv, and is it drawn back?

The widget is driven with ``handle`` and the same actions the page sends (see
``medialit.author``); the browser test clicks the real page.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from reference_files import article_folder, saved_row

from medialit import paths
from medialit.author import Author, author
from medialit.tagger import Tagger


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return article_folder(tmp_path, reference=None)


def test_opening_writes_every_row_and_uses_the_taggers_front_end(folder):
    widget = author(folder)
    assert widget.mode == "author" and widget._esm == Tagger._esm
    assert (folder / "reference.csv").is_file()
    assert saved_row(folder, "P0.S1", "role")["label"] == ""
    assert widget.current == "P0.S1" and "saved to" in widget.status
    assert [layer["name"] for layer in widget.layers] == [
        "role",
        "statement",
        "evidence",
        "devices",
        "frame",
    ]
    assert widget.layers[2]["closed_note"].startswith("Evidence type applies only where")
    panel = widget.marks["P0.S1"]["author"]["role"]
    assert panel == {
        "annotated": False,
        "accepted": [],
        "alternatives": [],
        "anchor": "",
        "rationale": "",
        "problems": [],
    }


def test_actions_set_label_alternative_anchor_cues_and_rationale(folder):
    widget = author(folder)
    unit = "P0.S1"
    widget.handle({"type": "choose", "unit": unit, "layer": "role", "label": "thesis", "on": True})
    assert saved_row(folder, unit, "role")["anchor"] == "yes"
    assert widget.marks[unit]["layers"]["role"]["labels"] == ["thesis"]
    widget.handle({"type": "accept", "unit": unit, "layer": "role", "label": "claim", "on": True})
    assert saved_row(folder, unit, "role")["accepted"] == "thesis;claim"
    assert widget.marks[unit]["author"]["role"]["alternatives"] == ["claim"]
    widget.handle({"type": "anchor", "unit": unit, "layer": "role", "on": True})
    assert saved_row(folder, unit, "role")["accepted"] == "thesis"
    widget.handle({"type": "rationale", "unit": unit, "layer": "role", "text": "It says so."})
    assert saved_row(folder, unit, "role")["rationale"] == "It says so."
    assert widget.marks[unit]["author"]["role"]["problems"] == []

    word = widget.model.article.unit(unit).text.split()[1]
    widget.handle(
        {"type": "choose", "unit": unit, "layer": "devices", "label": "figurative", "on": True}
    )
    widget.handle({"type": "cues", "unit": unit, "label": "figurative", "text": "nowhere"})
    assert "Not found in this sentence: 'nowhere'" in widget.marks[unit]["warning"]
    assert any("'nowhere'" in p for p in widget.marks[unit]["author"]["devices"]["problems"])
    widget.handle({"type": "cues", "unit": unit, "label": "figurative", "text": word})
    assert saved_row(folder, unit, "devices")["cues"] == f"figurative: {word}"
    assert widget.marks[unit]["warning"] == "" and widget.marks[unit]["cues"] == {
        "figurative": word
    }
    widget.handle({"type": "none", "unit": unit, "layer": "frame", "on": True})
    assert saved_row(folder, unit, "frame")["accepted"] == "none"
    assert widget.marks[unit]["layers"]["frame"]["none"] is True
    widget.handle({"type": "none", "unit": unit, "layer": "frame", "on": False})
    assert "stays “no label”" in widget.status
    widget.handle({"type": "clear", "unit": unit, "layer": "frame"})
    assert saved_row(folder, unit, "frame")["anchor"] == ""
    widget.handle({"type": "undo"})
    assert saved_row(folder, unit, "frame")["accepted"] == "none"
    assert widget.status.startswith("Undone")


def test_mistakes_are_said_not_saved(folder):
    widget = author(folder)
    widget.handle({"type": "none", "unit": "P0.S1", "layer": "role", "on": True})
    assert widget.status_error and widget.status.startswith("Not saved: The role layer")
    widget.handle({"type": "choose", "unit": "P0.S1", "layer": "role", "label": "x", "on": True})
    assert widget.status_error and "'x' is not a label" in widget.status
    widget.handle({"type": "dance"})
    assert widget.status_error and "Unknown action" in widget.status
    assert saved_row(folder, "P0.S1", "role")["label"] == ""


def test_progress_next_unfinished_and_check(folder):
    shutil.copy(paths.data_file("reference_practice.csv"), folder / "reference.csv")
    widget = Author(folder)
    assert all(mark["tagged"] for mark in widget.marks.values())
    widget.handle({"type": "check"})
    assert "valid." in widget.check_html
    widget.handle({"type": "rationale", "unit": "P1.S1", "layer": "role", "text": ""})
    assert widget.marks["P1.S1"]["tagged"] is False
    widget.handle({"type": "next_untagged"})
    assert widget.current == "P1.S1"
    widget.handle({"type": "check"})
    assert "not valid yet" in widget.check_html and "the rationale is empty" in widget.check_html


def test_check_output_escapes_what_the_file_says(folder):
    shutil.copy(paths.data_file("reference_practice.csv"), folder / "reference.csv")
    with (folder / "reference.csv").open("a", encoding="utf-8") as fh:
        fh.write("<b>P9.S9</b>,role,claim,claim,,yes,x\n")
    widget = Author(folder)
    widget.handle({"type": "check"})
    assert "&lt;b&gt;P9.S9&lt;/b&gt;" in widget.check_html and "<b>P9.S9" not in widget.check_html


def test_a_newer_author_view_retires_the_older(folder):
    old = author(folder)
    new = author(folder)
    assert old.retired and not new.retired
    old.handle({"type": "choose", "unit": "P0.S1", "layer": "role", "label": "claim", "on": True})
    assert saved_row(folder, "P0.S1", "role")["label"] == ""
    assert "replaced by a newer one" in old.status
