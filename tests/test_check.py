"""Does the check compare tags with the expert fairly, teach, and never reveal too early?"""

from __future__ import annotations

import importlib.machinery
import sys
import types
from dataclasses import dataclass, field

import pytest

import medialit.check as check_module
from medialit.answers import AnswerSheet, open_answers
from medialit.article import load_article
from medialit.check import (
    LOCKED_MESSAGE,
    check,
    device_credit,
    is_accepted,
    none_key,
    score_layer,
)
from medialit.errors import MedialitError

REAL_LOCKED_CHECKS = check_module.locked_checks


@pytest.fixture(autouse=True)
def _open_checks(monkeypatch):
    """Course mode is another module's business: tests here run with every check open."""
    monkeypatch.setattr(check_module, "locked_checks", frozenset)


@dataclass(frozen=True)
class Entry:
    """Stands in for ``medialit.reference.RefEntry`` (same fields)."""

    unit: str
    layer: str
    label: tuple[str, ...]
    accepted: tuple[str, ...]
    cues: dict = field(default_factory=dict, hash=False)
    anchor: bool = False
    rationale: str = ""
    applicable: bool = True


class FakeReference:
    """A few hand-made entries, with the shared interface's lookup methods."""

    article = "seed"

    def __init__(self, entries: list[Entry]) -> None:
        self._entries = {(e.unit, e.layer): e for e in entries}

    def entry(self, unit: str, layer: str) -> Entry:
        return self._entries[(unit, layer)]

    def entries(self, layer: str | None = None) -> list[Entry]:
        return [e for e in self._entries.values() if layer in (None, e.layer)]


RATIONALE_P1 = "The sentence reports what the tweets said, to support the claim that follows."
REF = FakeReference(
    [
        Entry("P1.S1", "role", ("evidence",), ("evidence",), anchor=True, rationale=RATIONALE_P1),
        Entry("P1.S1", "evidence", ("quote",), ("quote", "example"), rationale="Quoted words."),
        Entry("P2.S1", "role", ("claim",), ("claim", "thesis"), rationale="It argues a point."),
        Entry("P2.S1", "evidence", (), (), rationale="Not evidence.", applicable=False),
        Entry("P3.S1", "role", ("claim",), ("claim", "evidence"), rationale="Claim first."),
        Entry("P3.S1", "evidence", ("example",), ("example",), rationale="A meeting."),
        Entry(
            "P2.S1",
            "devices",
            ("intensifier", "loaded_language"),
            ("intensifier", "loaded_language", "hedge"),
            cues={"intensifier": ("clearly",), "loaded_language": ("equating",)},
            rationale="'clearly' sharpens certainty.",
        ),
        Entry("P4.S1", "devices", (), ("none",), rationale="Plain report."),
        Entry("P4.S1", "frame", (), ("none", "problem"), rationale="Scene setting."),
    ]
)


def sheet_with(**tags: dict[str, list[str]]) -> AnswerSheet:
    sheet = AnswerSheet(exercise="ex", student="tester")
    for unit, by_layer in tags.items():
        for layer, labels in by_layer.items():
            sheet.set_tags(unit.replace("_", "."), layer, labels)
    return sheet


def result(report, unit: str, layer: str):
    (found,) = [r for r in report.results if r.unit == unit and r.layer == layer]
    return found


def test_untagged_units_reveal_nothing():
    """Is the expert's reading hidden until the student has tagged the unit?"""
    report = check(sheet_with(), ["role", "evidence"], REF, locked=frozenset())
    for r in report.results:
        assert r.status == "untagged"
        assert r.credit is None and r.expert == () and r.accepted == ()
        assert "claim" not in r.message and "evidence" not in r.message.replace("expert's", "")
    text = report.text() + report._repr_html_()
    assert RATIONALE_P1 not in text and "It argues a point" not in text
    assert "Not tagged yet (tag them, then check again): P1.S1, P2.S1, P3.S1." in report.text()
    assert report.untagged_units() == ["P1.S1", "P2.S1", "P3.S1"]


def test_match_accepted_and_different_are_worded_to_teach():
    """Does each outcome explain itself with the expert's rationale?"""
    sheet = sheet_with(
        P1_S1={"role": ["evidence"]}, P2_S1={"role": ["thesis"]}, P3_S1={"role": ["context"]}
    )
    report = check(sheet, "role", REF, units=["P1.S1", "P2.S1", "P3.S1"], locked=frozenset())
    same, alt, other = (result(report, u, "role") for u in ("P1.S1", "P2.S1", "P3.S1"))
    assert (same.status, same.credit) == ("match", 1.0)
    assert RATIONALE_P1 in same.message
    assert (alt.status, alt.credit) == ("accepted", 1.0)
    assert "also accepted" in alt.message and "“claim”" in alt.message
    assert (other.status, other.credit) == ("different", 0.0)
    assert "“claim”" in other.message and "Claim first." in other.message
    assert "“evidence”" in other.message  # the other accepted reading is named
    assert "wrong" not in report.text().lower()
    assert report.score("role") == pytest.approx(2 / 3)
    assert report.counts("role")["different"] == 1


def test_evidence_layer_follows_the_role():
    """Is 'not evidence' an answer, and judged against whether evidence applies?"""
    sheet = sheet_with(
        P1_S1={"role": ["evidence"], "evidence": ["example"]},  # accepted alternative
        P2_S1={"role": ["claim"]},  # not evidence, and the expert agrees
        P3_S1={"role": ["claim"]},  # expert's role is claim too: not tagging evidence is fine
    )
    report = check(sheet, "evidence", REF, units=["P1.S1", "P2.S1", "P3.S1"], locked=frozenset())
    assert result(report, "P1.S1", "evidence").status == "accepted"
    assert result(report, "P2.S1", "evidence").status == "match"
    p3 = result(report, "P3.S1", "evidence")
    assert p3.credit == 1.0 and "“example”" in p3.message

    wrong_type = sheet_with(P2_S1={"role": ["evidence"], "evidence": ["statistic"]})
    r = result(
        check(wrong_type, "evidence", REF, units=["P2.S1"], locked=frozenset()), "P2.S1", "evidence"
    )
    assert r.status == "different" and "no evidence type applies" in r.message

    no_role = sheet_with()
    assert check(no_role, "evidence", REF, units=["P1.S1"]).results[0].status == "untagged"


def test_device_credit_is_jaccard_over_accepted_labels():
    """Does a devices answer earn overlap credit, counting every accepted label?"""
    entry = REF.entry("P2.S1", "devices")
    assert device_credit(entry, ["intensifier", "loaded_language"]) == 1.0
    assert device_credit(entry, ["intensifier"]) == pytest.approx(1 / 2)
    assert device_credit(entry, ["intensifier", "figurative"]) == pytest.approx(1 / 3)
    # "hedge" is accepted, so it is credited, not counted as extra
    assert device_credit(entry, ["intensifier", "loaded_language", "hedge"]) == 1.0
    assert device_credit(entry, []) == 0.0
    assert device_credit(REF.entry("P4.S1", "devices"), []) == 1.0
    assert device_credit(REF.entry("P4.S1", "devices"), ["hedge"]) == 0.0
    some_see_none = Entry("P1.S1", "devices", ("loaded_language",), ("loaded_language", "none"))
    assert device_credit(some_see_none, []) == 1.0
    assert device_credit(some_see_none, ["hedge"]) == 0.0


def test_devices_message_names_missed_labels_with_cues():
    """Does a partial devices answer say what the expert also saw, and in which words?"""
    sheet = sheet_with(P2_S1={"devices": ["intensifier", "figurative"]})
    r = check(sheet, "devices", REF, units=["P2.S1"], locked=frozenset()).results[0]
    assert r.status == "partial" and r.credit == pytest.approx(1 / 3)
    assert "“loaded_language” (in the words “equating”)" in r.message
    assert "“figurative”" in r.message and "“intensifier”" in r.message


def test_none_marked_in_tagger_is_an_answer():
    """Is an explicit 'no frame function' checked, while a blank stays hidden?"""
    sheet = sheet_with()
    assert check(sheet, "frame", REF, units=["P4.S1"]).results[0].status == "untagged"
    sheet.set_response(none_key("frame"), "P4.S1")
    sheet.set_response(none_key("devices"), "P4.S1")
    report = check(sheet, ["devices", "frame"], REF, units=["P4.S1"], locked=frozenset())
    assert [r.status for r in report.results] == ["match", "match"]
    assert "“problem”" in result(report, "P4.S1", "frame").message  # says what else is accepted


def test_locked_checks_say_when_they_open(monkeypatch):
    """In course mode, is a locked check closed without revealing the reference?"""
    module = types.ModuleType("medialit.course_mode")
    module.locked_checks = lambda article=None: frozenset({("P1.S1", "role")})
    module.__spec__ = importlib.machinery.ModuleSpec("medialit.course_mode", None)
    monkeypatch.setitem(sys.modules, "medialit.course_mode", module)
    monkeypatch.setattr(check_module, "locked_checks", REAL_LOCKED_CHECKS)
    sheet = sheet_with(P1_S1={"role": ["claim"]}, P2_S1={"role": ["claim"]})
    report = check(sheet, "role", REF, units=["P1.S1", "P2.S1"])
    locked, open_ = report.results
    assert locked.status == "locked" and locked.message == LOCKED_MESSAGE
    assert RATIONALE_P1 not in report.text() and locked.expert == ()
    assert open_.status == "match"
    score, messages = score_layer(sheet, REF, ["P1.S1"], "role")
    assert score == 0.0 and LOCKED_MESSAGE in messages[0] and RATIONALE_P1 not in messages[0]


def test_no_course_mode_means_everything_open(monkeypatch):
    """Without medialit.course_mode, is every check open?"""
    real_find_spec = check_module.importlib.util.find_spec
    monkeypatch.setattr(
        check_module.importlib.util,
        "find_spec",
        lambda name, *a: None if name == "medialit.course_mode" else real_find_spec(name, *a),
    )
    monkeypatch.setattr(check_module, "locked_checks", REAL_LOCKED_CHECKS)
    assert REAL_LOCKED_CHECKS() == frozenset()
    sheet = sheet_with(P1_S1={"role": ["claim"]})
    assert check(sheet, "role", REF, units=["P1.S1"]).results[0].status == "different"


def test_score_layer_agrees_with_check():
    """Are the self-check and the autograder one code path (same credit per unit)?"""
    sheet = sheet_with(
        P1_S1={"role": ["evidence"], "devices": ["hedge"]},
        P2_S1={"role": ["thesis"], "devices": ["intensifier"]},
        P3_S1={"role": ["context"]},
    )
    for layer, units in (
        ("role", ["P1.S1", "P2.S1", "P3.S1", "P4.S1"]),
        ("devices", ["P2.S1", "P4.S1"]),
    ):
        report = check(sheet, layer, REF, units=units, locked=frozenset())
        score, messages = score_layer(sheet, REF, units, layer)
        earned, count = report.points(layer)
        assert score == pytest.approx(earned / count)
        assert len(messages) == len(units)
    assert score_layer(sheet, REF, ["P1.S1", "P2.S1", "P3.S1", "P4.S1"], "role")[0] == 0.5
    with pytest.raises(MedialitError, match="at least one unit"):
        score_layer(sheet, REF, [], "role")


def test_html_report_is_escaped():
    """Is a rationale with markup shown as text, never as HTML?"""
    ref = FakeReference(
        [
            Entry(
                "P1.S1",
                "role",
                ("claim",),
                ("claim",),
                rationale="<script>alert(1)</script> & more",
            )
        ]
    )
    report = check(sheet_with(P1_S1={"role": ["claim"]}), "role", ref, locked=frozenset())
    page = report._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page and "&amp; more" in page
    frame = report.to_frame()
    assert list(frame.columns)[:3] == ["unit", "layer", "status"] and len(frame) == 1


def test_check_by_exercise_name_reads_the_saved_file(tmp_path):
    """Can a notebook check an exercise by name, from the saved answers?"""
    open_answers("ex", folder=tmp_path).set_tags("P1.S1", "role", ["evidence"])
    report = check("ex", "role", REF, units=["P1.S1"], folder=tmp_path, locked=frozenset())
    assert report.results[0].status == "match"
    missing = check("nothing", "role", REF, units=["P1.S1"], folder=tmp_path)
    assert missing.results[0].status == "untagged"


# -- with the real reference loader ------------------------------------------------------


def write_reference(path, overrides: dict[tuple[str, str], tuple[str, str, str, str]]) -> None:
    """A full reference CSV for the seed: every unit is context/fact with no devices or frame,
    except ``overrides[(unit, layer)] = (label, accepted, cues, anchor)``."""
    import csv

    defaults = {
        "role": ("context", "context", "", "yes"),
        "statement": ("fact", "fact", "", "yes"),
        "evidence": ("", "", "", "no"),
        "devices": ("", "none", "", "yes"),
        "frame": ("", "none", "", "yes"),
    }
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["id", "layer", "label", "accepted", "cues", "anchor", "rationale"])
        for unit in load_article("seed").ids:
            for layer, row in defaults.items():
                label, accepted, cues, anchor = overrides.get((unit, layer), row)
                out.writerow([unit, layer, label, accepted, cues, anchor, f"Why {unit} {layer}."])


def test_real_reference_file_and_is_accepted_agree(tmp_path):
    """With medialit.reference's loader, does the check accept exactly what it accepts?"""
    reference = pytest.importorskip("medialit.reference")
    path = tmp_path / "reference.csv"
    write_reference(
        path,
        {
            ("P1.S1", "role"): ("evidence", "evidence; claim", "", "no"),
            ("P1.S1", "evidence"): ("quote", "quote", "", "yes"),
            ("P2.S1", "devices"): (
                "intensifier",
                "intensifier; none",
                "intensifier: clearly",
                "no",
            ),
        },
    )
    ref = reference.load_reference("seed", path=path)
    sheet = sheet_with(P1_S1={"role": ["claim"]}, P2_S1={"role": ["context"]})
    report = check(sheet, ["role", "evidence"], ref, locked=frozenset())
    assert result(report, "P1.S1", "role").status == "accepted"
    # The expert reads P1.S1 as evidence but accepts claim: under claim, no type is right.
    assert result(report, "P1.S1", "evidence").status == "accepted"
    context = check(sheet_with(P1_S1={"role": ["context"]}), ["evidence"], ref, locked=frozenset())
    assert result(context, "P1.S1", "evidence").status == "different"  # a role not accepted
    assert result(report, "P2.S1", "evidence").status == "match"
    assert result(report, "P3.S1", "role").status == "untagged"
    for entry in ref.entries():
        if entry.layer == "devices":
            continue
        for label in ["", *entry.accepted, "claim", "quote", "problem"]:
            labels = [label] if label and label != "none" else []
            assert is_accepted(entry, labels) == reference.is_accepted(entry, labels), entry
