"""Does the tagger save every change at once, resume, undo, recover and escape? (headless)

The widget is driven the way the front end drives it: ``set_state`` for a toggle or a text
box, ``.click()`` for a button.
"""

from __future__ import annotations

import json

import pytest

import medialit.check as check_module
from medialit.answers import read_answers
from medialit.errors import AnswersError, MedialitError
from medialit.tagger import Tagger, load_tags, tag


@pytest.fixture(autouse=True)
def _open_checks(monkeypatch):
    monkeypatch.setattr(check_module, "locked_checks", frozenset)


def press(tagger: Tagger, layer: str, label: str, on: bool = True) -> None:
    tagger.label_buttons[layer][label].set_state({"value": on})


def on_disk(tagger: Tagger) -> dict:
    return json.loads(tagger.path.read_text(encoding="utf-8"))


def test_a_click_is_on_disk_at_once(tmp_path):
    """Is a label choice written to the answers file before the handler returns?"""
    tagger = tag("01_anatomy", folder=tmp_path)
    assert tagger.current == "P0.S1" and not tagger.path.exists()
    press(tagger, "role", "thesis")
    assert on_disk(tagger)["tags"] == {"P0.S1": {"role": ["thesis"]}}
    assert read_answers(tagger.path).get_tags("P0.S1", "role") == ["thesis"]
    assert "Saved" in tagger.status_html.value
    press(tagger, "role", "claim")  # single choice: replaces
    assert on_disk(tagger)["tags"]["P0.S1"]["role"] == ["claim"]
    assert tagger.label_buttons["role"]["thesis"].value is False
    press(tagger, "role", "claim", on=False)  # pressing again clears
    assert on_disk(tagger)["tags"] == {}


def test_resume_in_a_new_widget_on_the_same_file(tmp_path):
    """After a kernel restart (a new widget on the same file), are earlier tags shown?"""
    first = Tagger("01_anatomy", folder=tmp_path)
    press(first, "role", "thesis")
    first.next_button.click()
    press(first, "role", "evidence")
    first.next_button.click()
    first.note.set_state({"value": "sets the scene"})

    again = Tagger("01_anatomy", folder=tmp_path)
    assert again.current == "P2.S1"  # starts at the first untagged sentence
    assert again.note.value == "sets the scene"
    again.go("P0.S1")
    assert again.label_buttons["role"]["thesis"].value is True
    assert again.label_buttons["role"]["claim"].value is False
    assert "2 of 20 tagged" in again.progress_html.value
    assert again.to_frame().equals(first.to_frame())
    # the old widget stepped aside, so it cannot overwrite the new one's work
    press(first, "role", "context")
    assert on_disk(again)["tags"]["P1.S1"]["role"] == ["evidence"]
    assert first.label_buttons["role"]["context"].disabled


def test_undo_restores_and_saves(tmp_path):
    """Does Undo bring back the previous state, on disk too, including cleared layers?"""
    tagger = Tagger("03_evidence", layers=("role", "evidence"), folder=tmp_path, start="P3.S1")
    press(tagger, "role", "evidence")
    press(tagger, "evidence", "example")
    press(tagger, "role", "claim")  # role is no longer evidence: the evidence type goes
    assert on_disk(tagger)["tags"]["P3.S1"] == {"role": ["claim"]}
    tagger.go("P0.S1")
    tagger.undo_button.click()
    assert tagger.current == "P3.S1"  # undo shows the sentence it changed
    assert on_disk(tagger)["tags"]["P3.S1"] == {"role": ["evidence"], "evidence": ["example"]}
    assert tagger.label_buttons["evidence"]["example"].value is True
    assert "Undone" in tagger.status_html.value
    tagger.undo_button.click()
    tagger.undo_button.click()
    assert on_disk(tagger)["tags"] == {}
    assert tagger.undo_button.disabled
    tagger._on_undo()
    assert "Nothing to undo" in tagger.status_html.value


def test_broken_file_is_kept_and_the_student_is_told(tmp_path):
    """Does a corrupt answers file get moved aside, with a plain notice, and work go on?"""
    path = tmp_path / "01_anatomy.json"
    path.write_text('{"format": "medialit-answers", "version": 2, "tags": {', encoding="utf-8")
    tagger = Tagger("01_anatomy", folder=tmp_path)
    assert tagger.notice and "kept safe" in tagger.notice
    assert "Please read" in tagger.notice_html.value
    broken = list(tmp_path.glob("01_anatomy.broken-*.json"))
    assert len(broken) == 1 and broken[0].read_text(encoding="utf-8").endswith('"tags": {')
    press(tagger, "role", "thesis")
    assert on_disk(tagger)["tags"] == {"P0.S1": {"role": ["thesis"]}}


def test_old_format_file_still_loads(tmp_path):
    """Does a version-1 answers file show its tags, and get upgraded on the next save?"""
    old = {
        "format": "medialit-answers",
        "version": 1,
        "student": "tester",
        "exercise": "05_words",
        "article": "seed",
        "tags": {
            "P2.S1": {"role": "claim", "devices": [{"label": "intensifier", "cues": ["clearly"]}]}
        },
    }
    (tmp_path / "05_words.json").write_text(json.dumps(old), encoding="utf-8")
    tagger = Tagger("05_words", layers=("role", "devices"), folder=tmp_path, start="P2.S1")
    assert tagger.notice is None
    assert tagger.label_buttons["role"]["claim"].value is True
    assert tagger.label_buttons["devices"]["intensifier"].value is True
    assert tagger.cue_inputs["intensifier"].value == "clearly"
    press(tagger, "devices", "hedge")
    saved = on_disk(tagger)
    assert saved["version"] == 2 and saved["cues"]["P2.S1"] == {"intensifier": ["clearly"]}


def test_article_text_is_escaped(tmp_path):
    """Is an article's text shown as text, never inserted as HTML?"""
    article = tmp_path / "tricky.txt"
    article.write_text(
        "Headline <img src=x onerror=alert(1)>\n\n"
        "A body sentence with <script>alert('x')</script> & an ampersand.\n",
        encoding="utf-8",
    )
    tagger = Tagger("tricky", article=article, folder=tmp_path)
    assert "<img" not in tagger.unit_html.value and "&lt;img src=x" in tagger.unit_html.value
    tagger.next_button.click()
    shown = tagger.unit_html.value
    assert "<script>" not in shown and "&lt;script&gt;" in shown and "&amp; an" in shown
    # label descriptions are never read as HTML (tooltips are plain-text attributes)
    assert not any(b.description_allow_html for b in tagger.label_buttons["role"].values())


def test_two_exercises_never_share_a_file(tmp_path):
    """Do two taggers for two exercises write two files?"""
    one = tag("01_anatomy", folder=tmp_path)
    two = tag("02_statements", layers="statement", folder=tmp_path)
    press(one, "role", "thesis")
    press(two, "statement", "value")
    assert one.path != two.path
    assert on_disk(one)["tags"] == {"P0.S1": {"role": ["thesis"]}}
    assert on_disk(two)["tags"] == {"P0.S1": {"statement": ["value"]}}


def test_progress_overview_and_next_untagged(tmp_path):
    """Are progress, the current unit and tagged units visible as text, not colour alone?"""
    tagger = Tagger("01_anatomy", folder=tmp_path, units=["P0.S1", "P1.S1", "P2.S1"])
    assert "0 of 3 tagged" in tagger.progress_html.value
    current = tagger.overview_buttons["P0.S1"]
    assert current.description.startswith("▶") and "medialit-unit-current" in current._dom_classes
    press(tagger, "role", "thesis")
    tagger.next_untagged_button.click()
    assert tagger.current == "P1.S1"
    assert tagger.overview_buttons["P0.S1"].description == "✓ P0.S1"
    assert "medialit-unit-current" not in tagger.overview_buttons["P0.S1"]._dom_classes
    assert "1 of 3 tagged" in tagger.progress_html.value
    tagger.overview_buttons["P2.S1"].click()
    press(tagger, "role", "claim")
    tagger.next_untagged_button.click()
    assert tagger.current == "P1.S1"  # wraps round
    press(tagger, "role", "evidence")
    tagger.next_untagged_button.click()
    assert "Every sentence is tagged" in tagger.status_html.value
    labelled = [
        tagger.prev_button,
        tagger.next_button,
        tagger.next_untagged_button,
        tagger.undo_button,
        tagger.check_button,
        *tagger.overview_buttons.values(),
    ]
    labelled += [b for row in tagger.label_buttons.values() for b in row.values()]
    assert all(b.description.strip() for b in labelled)
    assert "medialit-tagger" in tagger._dom_classes
    assert "medialit-label-role-thesis" in tagger.label_buttons["role"]["thesis"]._dom_classes


def test_evidence_layer_opens_only_for_evidence(tmp_path):
    """Is the evidence type disabled, with a reason, until the role is evidence?"""
    tagger = Tagger("03_evidence", layers=("role", "evidence"), folder=tmp_path)
    assert all(b.disabled for b in tagger.label_buttons["evidence"].values())
    assert "applies only" in tagger.layer_notes["evidence"].value
    assert "evidence" not in tagger.none_buttons  # role decides "not evidence"
    press(tagger, "role", "context")
    assert all(b.disabled for b in tagger.label_buttons["evidence"].values())
    assert tagger.model.is_tagged("P0.S1")  # context: no evidence type needed
    press(tagger, "role", "evidence")
    assert not any(b.disabled for b in tagger.label_buttons["evidence"].values())
    assert not tagger.model.is_tagged("P0.S1")
    press(tagger, "evidence", "quote")
    assert tagger.model.is_tagged("P0.S1")
    alone = Tagger("03b", layers="evidence", folder=tmp_path)
    assert not tagger.label_buttons["evidence"]["quote"].disabled
    assert "evidence" in alone.none_buttons


def test_devices_with_cue_words_and_none(tmp_path):
    """Can a student pick several devices, type their cue words, or say there are none?"""
    tagger = Tagger("05_words", layers="devices", folder=tmp_path, start="P2.S1")
    assert tagger.cue_rows["intensifier"].layout.display == "none"
    press(tagger, "devices", "intensifier")
    press(tagger, "devices", "loaded_language")
    assert tagger.cue_rows["intensifier"].layout.display == ""
    tagger.cue_inputs["intensifier"].set_state({"value": "clearly; ; "})
    assert on_disk(tagger)["cues"]["P2.S1"] == {"intensifier": ["clearly"]}
    assert tagger.cue_warning.value == ""
    tagger.cue_inputs["loaded_language"].set_state({"value": "shameless"})
    assert "Not found in this sentence" in tagger.cue_warning.value
    assert on_disk(tagger)["cues"]["P2.S1"]["loaded_language"] == ["shameless"]  # kept
    assert on_disk(tagger)["tags"]["P2.S1"]["devices"] == ["intensifier", "loaded_language"]
    assert tagger.model.is_tagged("P2.S1")
    tagger.go("P3.S1")
    tagger.none_buttons["devices"].set_state({"value": True})
    assert tagger.model.is_tagged("P3.S1")
    assert on_disk(tagger)["responses"]["tagger:none:devices"] == "P3.S1"
    press(tagger, "devices", "hedge")  # a label replaces "none"
    assert tagger.none_buttons["devices"].value is False
    assert "tagger:none:devices" not in on_disk(tagger)["responses"]


def test_answers_and_frames(tmp_path, capsys):
    """Are answers a plain dict, and is load_tags the same frame without a widget?"""
    tagger = Tagger("01_anatomy", folder=tmp_path)
    press(tagger, "role", "thesis")
    assert tagger.answers["tags"] == {"P0.S1": {"role": ["thesis"]}}
    json.dumps(tagger.answers)  # plain data
    frame = tagger.to_frame()
    assert len(frame) == 20 and frame.loc[0, "labels"] == ("thesis",) and frame.loc[0, "answered"]
    before = tagger.path.read_bytes()
    loaded = load_tags("01_anatomy", folder=tmp_path)
    assert loaded.equals(frame) and tagger.path.read_bytes() == before
    assert capsys.readouterr().out == ""

    missing = load_tags("never_tagged", layers=("role", "statement"), folder=tmp_path)
    assert "No saved answers for never_tagged yet" in capsys.readouterr().out
    assert len(missing) == 40 and not missing["answered"].any()
    assert missing.attrs["message"]
    assert not (tmp_path / "never_tagged.json").exists()

    (tmp_path / "broken.json").write_text("{nope", encoding="utf-8")
    with pytest.raises(AnswersError, match="not valid JSON"):
        load_tags("broken", folder=tmp_path)
    assert (tmp_path / "broken.json").read_text(encoding="utf-8") == "{nope"


def test_failed_save_is_shown_and_loses_nothing(tmp_path, monkeypatch):
    """If the disk refuses a write, does the student see why, keep the choice, and get it
    saved with the next change?"""
    import medialit.answers

    tagger = Tagger("01_anatomy", folder=tmp_path)

    def refuse(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(medialit.answers, "write_atomic", refuse)  # the disk write itself
    press(tagger, "role", "thesis")
    assert "Not saved" in tagger.status_html.value and "No space left" in tagger.status_html.value
    assert tagger.label_buttons["role"]["thesis"].value is True
    monkeypatch.undo()
    tagger.next_button.click()
    press(tagger, "role", "claim")
    assert on_disk(tagger)["tags"] == {"P0.S1": {"role": ["thesis"]}, "P1.S1": {"role": ["claim"]}}


def test_bad_arguments_get_clear_errors(tmp_path):
    """Do a wrong layer, unit or exercise name fail with a message that says what to do?"""
    with pytest.raises(MedialitError, match="the layers are role"):
        Tagger("x", layers=("roles",), folder=tmp_path)
    with pytest.raises(MedialitError, match=r"P3\.S2"):
        Tagger("x", units=["P99"], folder=tmp_path)
    with pytest.raises(AnswersError, match="cannot be used in a file name"):
        Tagger("../etc", folder=tmp_path)
    practice = tmp_path / "other"
    Tagger("x", folder=practice).label_buttons["role"]["claim"].set_state({"value": True})
    with pytest.raises(AnswersError, match="holds tags for the article 'seed'"):
        Tagger("x", folder=practice, article="practice")


class OneEntryReference:
    article = "seed"

    def entry(self, unit, layer):
        from types import SimpleNamespace

        if (unit, layer) != ("P0.S1", "role"):
            raise KeyError(unit)
        return SimpleNamespace(
            unit=unit,
            layer=layer,
            label=("thesis",),
            accepted=("thesis", "claim"),
            cues={},
            anchor=False,
            rationale="The headline <b>states</b> the position.",
            applicable=True,
        )

    def entries(self, layer=None):
        return [self.entry("P0.S1", "role")]


def test_check_button_explains_tagged_units_only(tmp_path):
    """Does Check explain the tagged unit (escaped) and keep the rest hidden?"""
    tagger = Tagger("01_anatomy", folder=tmp_path, reference=OneEntryReference())
    tagger.check_button.click()
    assert "not tagged yet" in tagger.check_html.value
    assert "states" not in tagger.check_html.value
    press(tagger, "role", "claim")
    tagger.check_button.click()
    shown = tagger.check_html.value
    assert "also accepted" in shown and "&lt;b&gt;states&lt;/b&gt;" in shown
    report = tagger.check()
    assert report.results[0].status == "accepted"


def test_check_without_a_reference_says_so(tmp_path):
    """For an article with no expert reference, does Check say so instead of failing?"""
    article = tmp_path / "mine.txt"
    article.write_text("A headline\n\nOne sentence here.\n", encoding="utf-8")
    tagger = Tagger("mine", article=article, folder=tmp_path)
    tagger.check_button.click()
    assert "could not run" in tagger.check_html.value
