"""Does the tagger save every change at once, resume, undo, recover and escape? (headless)

The widget is driven the way its front end (``static/tagger.js``) drives it: each click or
key becomes an action dict passed to ``Tagger.handle``, naming the sentence it was on; what
the page draws is read from the synced traits (``marks``, ``status``, ``index``...).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import medialit.check as check_module
import medialit.tagger
from medialit.answers import read_answers
from medialit.errors import AnswersError, MedialitError
from medialit.tagger import Tagger, load_tags, tag


@pytest.fixture(autouse=True)
def _open_checks(monkeypatch):
    monkeypatch.setattr(check_module, "locked_checks", frozenset)


def press(tagger: Tagger, layer: str, label: str, on: bool = True) -> None:
    """A label button pressed on the sentence on show (``none``: the layer's none button)."""
    if label == "none":
        tagger.handle({"type": "none", "unit": tagger.current, "layer": layer, "on": on})
    else:
        action = {"type": "choose", "layer": layer, "label": label, "on": on}
        tagger.handle({**action, "unit": tagger.current})


def pressed(tagger: Tagger, layer: str, label: str) -> bool:
    """Is the button drawn pressed on the sentence on show?"""
    state = tagger.marks[tagger.current]["layers"][layer]
    return state["none"] if label == "none" else label in state["labels"]


def opens(tagger: Tagger, layer: str) -> bool:
    """Are the layer's buttons enabled on the sentence on show?"""
    return tagger.marks[tagger.current]["layers"][layer]["applies"] and not tagger.retired


def step(tagger: Tagger, by: int = 1) -> None:
    """The Next/Previous button (or j/k): the page moves ``index``; the kernel sees it."""
    tagger.index = max(0, min(tagger.index + by, len(tagger.model.units) - 1))


def progress(tagger: Tagger) -> str:
    """The progress line as the page draws it."""
    tagged = sum(1 for mark in tagger.marks.values() if mark["tagged"])
    return f"{tagged} of {len(tagger.marks)} tagged"


def on_disk(tagger: Tagger) -> dict:
    return json.loads(tagger.path.read_text(encoding="utf-8"))


def test_a_click_is_on_disk_at_once(tmp_path):
    """Is a label choice written to the answers file before the handler returns?"""
    tagger = tag("01_anatomy", folder=tmp_path)
    assert tagger.current == "P0.S1" and not tagger.path.exists()
    press(tagger, "role", "thesis")
    assert on_disk(tagger)["tags"] == {"P0.S1": {"role": ["thesis"]}}
    assert read_answers(tagger.path).get_tags("P0.S1", "role") == ["thesis"]
    assert "Saved" in tagger.status
    press(tagger, "role", "claim")  # single choice: replaces
    assert on_disk(tagger)["tags"]["P0.S1"]["role"] == ["claim"]
    assert not pressed(tagger, "role", "thesis") and pressed(tagger, "role", "claim")
    press(tagger, "role", "claim", on=False)  # pressing again clears
    assert on_disk(tagger)["tags"] == {}


def test_resume_in_a_new_widget_on_the_same_file(tmp_path):
    """After a kernel restart (a new widget on the same file), are earlier tags shown?"""
    first = Tagger("01_anatomy", folder=tmp_path)
    press(first, "role", "thesis")
    step(first)
    press(first, "role", "evidence")
    step(first)
    first.handle({"type": "note", "unit": first.current, "text": "sets the scene"})

    again = Tagger("01_anatomy", folder=tmp_path)
    assert again.current == "P2.S1"  # starts at the first untagged sentence
    assert again.marks["P2.S1"]["note"] == "sets the scene"
    again.go("P0.S1")
    assert pressed(again, "role", "thesis") and not pressed(again, "role", "claim")
    assert progress(again) == "2 of 20 tagged"
    assert again.to_frame().equals(first.to_frame())
    # the old widget stepped aside, so it cannot overwrite the new one's work
    press(first, "role", "context")
    assert on_disk(again)["tags"]["P1.S1"]["role"] == ["evidence"]
    assert first.retired and not opens(first, "role") and "replaced" in first.status


def test_undo_restores_and_saves(tmp_path):
    """Does Undo bring back the previous state, on disk too, including cleared layers?"""
    tagger = Tagger("03_evidence", layers=("role", "evidence"), folder=tmp_path, start="P3.S1")
    press(tagger, "role", "evidence")
    press(tagger, "evidence", "example")
    press(tagger, "role", "claim")  # role is no longer evidence: the evidence type goes
    assert on_disk(tagger)["tags"]["P3.S1"] == {"role": ["claim"]}
    tagger.go("P0.S1")
    tagger.handle({"type": "undo"})
    assert tagger.current == "P3.S1"  # undo shows the sentence it changed
    assert on_disk(tagger)["tags"]["P3.S1"] == {"role": ["evidence"], "evidence": ["example"]}
    assert pressed(tagger, "evidence", "example")
    assert "Undone" in tagger.status
    tagger.handle({"type": "undo"})
    tagger.handle({"type": "undo"})
    assert on_disk(tagger)["tags"] == {}
    assert not tagger.can_undo  # the page disables Undo
    tagger.handle({"type": "undo"})
    assert "Nothing to undo" in tagger.status


def test_broken_file_is_kept_and_the_student_is_told(tmp_path):
    """Does a corrupt answers file get moved aside, with a plain notice, and work go on?"""
    path = tmp_path / "01_anatomy.json"
    path.write_text('{"format": "medialit-answers", "version": 2, "tags": {', encoding="utf-8")
    tagger = Tagger("01_anatomy", folder=tmp_path)
    assert tagger.notice and "kept safe" in tagger.notice
    assert tagger.notice_text == tagger.notice  # the page shows it as text
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
    assert pressed(tagger, "role", "claim") and pressed(tagger, "devices", "intensifier")
    assert tagger.marks["P2.S1"]["cues"]["intensifier"] == "clearly"
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
    # the text goes to the page as data, and the page sets it with textContent only
    assert tagger.units[0]["text"] == "Headline <img src=x onerror=alert(1)>"
    script = (Path(medialit.tagger.__file__).parent / "static" / "tagger.js").read_text("utf-8")
    assert script.count("innerHTML") == 1 and "checkOut.innerHTML" in script  # the kit's report
    assert "insertAdjacentHTML" not in script and "outerHTML" not in script


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
    assert progress(tagger) == "0 of 3 tagged" and tagger.current == "P0.S1"
    assert [u["id"] for u in tagger.units if u["tagged_here"]] == ["P0.S1", "P1.S1", "P2.S1"]
    assert len(tagger.units) == 20  # the whole article is shown as running text
    press(tagger, "role", "thesis")
    tagger.handle({"type": "next_untagged"})
    assert tagger.current == "P1.S1"
    assert tagger.marks["P0.S1"]["tagged"] and not tagger.marks["P1.S1"]["tagged"]
    assert progress(tagger) == "1 of 3 tagged"
    tagger.index = 2  # a click on P2.S1 in the article: the page moves the index itself
    press(tagger, "role", "claim")
    tagger.handle({"type": "next_untagged"})
    assert tagger.current == "P1.S1"  # wraps round
    press(tagger, "role", "evidence")
    tagger.handle({"type": "next_untagged"})
    assert "Every sentence is tagged" in tagger.status
    # every label the page draws has a visible name and the layer says how to choose
    role = tagger.layers[0]
    assert role["how"] == "choose one" and all(lab["text"].strip() for lab in role["labels"])


def test_evidence_layer_opens_only_for_evidence(tmp_path):
    """Is the evidence type disabled, with a reason, until the role is evidence?"""
    tagger = Tagger("03_evidence", layers=("role", "evidence"), folder=tmp_path)
    assert not opens(tagger, "evidence")
    assert "applies only" in tagger.layers[1]["closed_note"]
    assert tagger.layers[1]["none"] is None  # role decides "not evidence"
    press(tagger, "role", "context")
    assert not opens(tagger, "evidence")
    assert tagger.model.is_tagged("P0.S1")  # context: no evidence type needed
    press(tagger, "role", "evidence")
    assert opens(tagger, "evidence")
    assert not tagger.model.is_tagged("P0.S1")
    press(tagger, "evidence", "quote")
    assert tagger.model.is_tagged("P0.S1")
    alone = Tagger("03b", layers="evidence", folder=tmp_path)
    assert opens(alone, "evidence")
    assert alone.layers[0]["none"] == "not evidence"


def test_devices_with_cue_words_and_none(tmp_path):
    """Can a student pick several devices, type their cue words, or say there are none?"""
    tagger = Tagger("05_words", layers="devices", folder=tmp_path, start="P2.S1")
    assert tagger.layers[0]["multiple"] and tagger.layers[0]["how"] == "choose any number"
    press(tagger, "devices", "intensifier")
    press(tagger, "devices", "loaded_language")
    assert tagger.marks["P2.S1"]["layers"]["devices"]["labels"] == [
        "intensifier",
        "loaded_language",
    ]  # the page shows a cue box for each chosen device
    cues = {"type": "cues", "unit": "P2.S1"}
    tagger.handle({**cues, "label": "intensifier", "text": "clearly; ; "})
    assert on_disk(tagger)["cues"]["P2.S1"] == {"intensifier": ["clearly"]}
    assert tagger.marks["P2.S1"]["warning"] == ""
    tagger.handle({**cues, "label": "loaded_language", "text": "shameless"})
    assert "Not found in this sentence" in tagger.marks["P2.S1"]["warning"]
    assert on_disk(tagger)["cues"]["P2.S1"]["loaded_language"] == ["shameless"]  # kept
    assert on_disk(tagger)["tags"]["P2.S1"]["devices"] == ["intensifier", "loaded_language"]
    assert tagger.model.is_tagged("P2.S1")
    tagger.go("P3.S1")
    press(tagger, "devices", "none")
    assert tagger.model.is_tagged("P3.S1") and pressed(tagger, "devices", "none")
    assert on_disk(tagger)["responses"]["tagger:none:devices"] == "P3.S1"
    press(tagger, "devices", "hedge")  # a label replaces "none"
    assert not pressed(tagger, "devices", "none")
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
    assert "Not saved" in tagger.status and "No space left" in tagger.status
    assert tagger.status_error and pressed(tagger, "role", "thesis")
    monkeypatch.undo()
    step(tagger)
    press(tagger, "role", "claim")
    assert not tagger.status_error
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
    press(Tagger("x", folder=practice), "role", "claim")
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
    tagger.handle({"type": "check"})
    assert "not tagged yet" in tagger.check_html
    assert "states" not in tagger.check_html
    press(tagger, "role", "claim")
    tagger.handle({"type": "check"})
    shown = tagger.check_html
    assert "also accepted" in shown and "&lt;b&gt;states&lt;/b&gt;" in shown
    report = tagger.check()
    assert report.results[0].status == "accepted"


def test_check_without_a_reference_says_so(tmp_path):
    """For an article with no expert reference, does Check say so instead of failing?"""
    article = tmp_path / "mine.txt"
    article.write_text("A headline\n\nOne sentence here.\n", encoding="utf-8")
    tagger = Tagger("mine", article=article, folder=tmp_path)
    tagger.handle({"type": "check"})
    assert "could not run" in tagger.check_html


def test_actions_name_their_sentence_and_bad_ones_are_refused(tmp_path):
    """An action for another sentence than the one on show (the page moved on before the
    kernel answered) changes that sentence; an unknown sentence or action is refused."""
    tagger = Tagger("01_anatomy", folder=tmp_path)
    tagger.handle({"type": "choose", "unit": "P5.S1", "layer": "role", "label": "claim", "on": 1})
    assert tagger.current == "P0.S1" and on_disk(tagger)["tags"] == {"P5.S1": {"role": ["claim"]}}
    tagger.handle({"type": "choose", "unit": "P99.S9", "layer": "role", "label": "claim", "on": 1})
    assert tagger.status_error and "P99.S9" in tagger.status
    tagger.handle({"type": "explode"})
    assert tagger.status_error and "Unknown action" in tagger.status
    before = tagger.revision
    tagger.handle({"type": "undo"})
    assert tagger.revision == before + 1  # the page always hears back, changed or not


def test_another_notebooks_tags_and_a_conflict_reach_the_page(tmp_path):
    """Two kernels on one answers file (two AnswerFile objects): after this tagger's next
    save, the other's tags are drawn, and an answer both changed is said in the notice."""
    from medialit.answers import AnswerFile

    tagger = Tagger("01_anatomy", folder=tmp_path)
    other = AnswerFile("01_anatomy", folder=tmp_path)  # the other notebook's kernel
    other.set_tags("P3.S1", "role", ["claim"])
    other.set_tags("P0.S1", "role", ["claim"])
    press(tagger, "role", "thesis")  # P0.S1, changed in both: this one is the newer
    saved = on_disk(tagger)["tags"]
    assert saved["P3.S1"] == {"role": ["claim"]} and saved["P0.S1"] == {"role": ["thesis"]}
    assert tagger.marks["P3.S1"]["tagged"]  # drawn without a click on it
    assert "P0.S1" in tagger.notice_text and "another notebook" in tagger.notice_text


def test_a_repeated_choice_is_not_an_undo_step(tmp_path):
    """A number key pressed twice chooses the label twice; one Undo then clears it (the
    repeat changed nothing, so it is not a step of its own), and says what it undid."""
    tagger = Tagger("01_anatomy", folder=tmp_path)
    press(tagger, "role", "thesis")
    press(tagger, "role", "thesis")
    assert on_disk(tagger)["tags"] == {"P0.S1": {"role": ["thesis"]}}
    assert "P0.S1 role = thesis" in tagger.status
    tagger.handle({"type": "undo"})
    assert on_disk(tagger)["tags"] == {} and not tagger.can_undo
