"""Do saved answers survive crashes, corrupt files and restarts, and refuse bad labels?"""

from __future__ import annotations

import json
import os

import pytest

from medialit import answers as answers_mod
from medialit.answers import (
    VERSION,
    AnswerSheet,
    answers_path,
    open_answers,
    read_answers,
)
from medialit.article import load_article
from medialit.errors import AnswersError, UnknownLabelError


def test_a_change_is_on_disk_at_once_and_survives_a_restart(tmp_path):
    first = open_answers("lesson01", folder=tmp_path)
    first.set_tags("P2.S1", "role", "claim")
    first.set_tags("P2.S1", "devices", ["intensifier"])
    first.set_cues("P2.S1", "intensifier", ["clearly"])
    first.set_note("P2.S1", "the writer's judgment")
    on_disk = json.loads((tmp_path / "lesson01.json").read_text(encoding="utf-8"))
    assert on_disk["format"] == "medialit-answers"
    assert on_disk["version"] == VERSION
    assert on_disk["tags"]["P2.S1"] == {"role": ["claim"], "devices": ["intensifier"]}
    assert on_disk["cues"]["P2.S1"] == {"intensifier": ["clearly"]}
    assert on_disk["student"] == "tester"

    again = open_answers("lesson01", folder=tmp_path)  # a new kernel, a new object
    assert again.notice is None
    assert again.sheet.get_tags("P2.S1", "role") == ["claim"]
    assert again.sheet.get_cues("P2.S1", "intensifier") == ["clearly"]
    assert again.sheet.notes["P2.S1"] == "the writer's judgment"


def test_two_exercises_never_share_a_file(tmp_path):
    a = open_answers("lesson01", folder=tmp_path)
    b = open_answers("lesson02", folder=tmp_path)
    a.set_tags("P1.S1", "role", "evidence")
    b.set_tags("P1.S1", "statement", "fact")
    assert a.path != b.path
    assert read_answers(a.path).get_tags("P1.S1", "statement") == []
    assert read_answers(b.path).get_tags("P1.S1", "role") == []


def test_a_crash_mid_write_leaves_the_previous_file_whole(tmp_path, monkeypatch):
    store = open_answers("lesson01", folder=tmp_path)
    store.set_tags("P1.S1", "role", "evidence")
    before = store.path.read_bytes()

    def crash(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(answers_mod.os, "replace", crash)
    store.sheet.set_tags("P2.S1", "role", "claim")
    with pytest.raises(OSError, match="disk full"):
        store.save()
    monkeypatch.undo()
    assert store.path.read_bytes() == before
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == [".lesson01.json.lock", "lesson01.json"]  # no temp file (the lock stays)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('{"format": "medialit-answers", "version": 2, "tags": {', "not valid JSON"),
        ('["a", "list"]', "not a medialit answers file"),
        ('{"format": "somebody-else"}', "not a medialit answers file"),
        ("\udcff", "cannot be read"),
        (
            '{"format": "medialit-answers", "version": 2, "exercise": "lesson01", '
            '"student": "x", "tags": {"P1.S1": {"role": ["argument"]}}}',
            "argument",
        ),
    ],
    ids=["truncated", "list", "foreign", "binary", "unknown-label"],
)
def test_a_bad_file_is_moved_aside_and_the_student_is_told(tmp_path, content, reason):
    path = tmp_path / "lesson01.json"
    if content == "\udcff":
        path.write_bytes(b"\xff\xfe\x00garbage")
    else:
        path.write_text(content, encoding="utf-8")
    original = path.read_bytes()

    store = open_answers("lesson01", folder=tmp_path)

    assert store.moved_to is not None and store.moved_to.exists()
    assert store.moved_to.read_bytes() == original  # nothing lost
    assert store.moved_to.name.startswith("lesson01.broken-")
    assert store.notice is not None
    assert str(store.moved_to) in store.notice
    assert reason in store.notice
    assert store.notice.count(". ") == 0  # one plain sentence
    store.set_tags("P1.S1", "role", "evidence")  # work goes on in a fresh file
    assert read_answers(path).get_tags("P1.S1", "role") == ["evidence"]
    assert store.moved_to.read_bytes() == original


def test_breaking_the_file_twice_keeps_both_old_copies(tmp_path):
    path = tmp_path / "lesson01.json"
    path.write_text("{", encoding="utf-8")
    first = open_answers("lesson01", folder=tmp_path).moved_to
    path.write_text("{{", encoding="utf-8")
    second = open_answers("lesson01", folder=tmp_path).moved_to
    assert first != second
    assert first.read_text() == "{" and second.read_text() == "{{"


def test_a_file_from_a_newer_medialit_is_left_alone(tmp_path):
    path = tmp_path / "lesson01.json"
    path.write_text('{"format": "medialit-answers", "version": 99}', encoding="utf-8")
    with pytest.raises(AnswersError, match="newer medialit"):
        open_answers("lesson01", folder=tmp_path)
    assert path.read_text() == '{"format": "medialit-answers", "version": 99}'
    assert list(tmp_path.iterdir()) == [path]


def test_version_1_files_still_load_and_are_upgraded_on_save(tmp_path):
    path = tmp_path / "lesson05.json"
    old = {
        "format": "medialit-answers",
        "version": 1,
        "student": "ada",
        "exercise": "lesson05",
        "article": "seed",
        "tags": {
            "P3.S1": {
                "role": "evidence",
                "devices": [{"label": "loaded_language", "cues": ["strongman"]}, "intensifier"],
            }
        },
        "notes": {"P3.S1": "strongman is a judgment"},
    }
    path.write_text(json.dumps(old), encoding="utf-8")
    store = open_answers("lesson05", folder=tmp_path)
    assert store.notice is None
    assert store.sheet.student == "ada"
    assert store.sheet.get_tags("P3.S1", "role") == ["evidence"]
    assert store.sheet.get_tags("P3.S1", "devices") == ["loaded_language", "intensifier"]
    assert store.sheet.get_cues("P3.S1", "loaded_language") == ["strongman"]
    store.save()
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == VERSION


def test_unknown_label_is_refused_with_the_valid_ones(tmp_path):
    store = open_answers("lesson01", folder=tmp_path)
    with pytest.raises(UnknownLabelError, match="Valid labels: thesis, claim, evidence"):
        store.set_tags("P1.S1", "role", "opinion")
    assert not store.path.exists()  # nothing half-written


def test_single_choice_layers_take_one_label(tmp_path):
    sheet = AnswerSheet(exercise="x")
    with pytest.raises(AnswersError, match="takes one label"):
        sheet.set_tags("P1.S1", "role", ["claim", "evidence"])
    sheet.set_tags("P1.S1", "devices", ["hedge", "intensifier", "hedge"])
    assert sheet.get_tags("P1.S1", "devices") == ["hedge", "intensifier"]


def test_clearing_a_device_drops_its_cue_words():
    sheet = AnswerSheet(exercise="x")
    sheet.set_tags("P2.S1", "devices", ["intensifier", "hedge"])
    sheet.set_cues("P2.S1", "intensifier", "clearly; ")
    sheet.set_cues("P2.S1", "hedge", ["particularly"])
    sheet.set_tags("P2.S1", "devices", ["hedge"])
    assert sheet.cues == {"P2.S1": {"hedge": ["particularly"]}}
    sheet.set_tags("P2.S1", "devices", [])
    assert sheet.tags == {} and sheet.cues == {}


def test_verdicts_and_responses_are_saved(tmp_path):
    store = open_answers("lesson04", folder=tmp_path)
    store.set_verdict("C1", "partly_supported", "Helsinki had interpreters")
    store.set_response("genre", "opinion")
    with pytest.raises(AnswersError, match="Valid verdicts: supported"):
        store.set_verdict("C2", "true")
    sheet = read_answers(store.path)
    assert sheet.verdicts == {
        "C1": {"verdict": "partly_supported", "reason": "Helsinki had interpreters"}
    }
    assert sheet.responses == {"genre": "opinion"}


def test_a_file_for_another_exercise_is_not_taken_over(tmp_path):
    open_answers("lesson01", folder=tmp_path).set_tags("P1.S1", "role", "claim")
    os.replace(tmp_path / "lesson01.json", tmp_path / "lesson02.json")
    with pytest.raises(AnswersError, match="holds answers for exercise 'lesson01'"):
        open_answers("lesson02", folder=tmp_path)


def test_unsafe_exercise_names_are_refused():
    with pytest.raises(AnswersError, match="cannot be used in a file name"):
        answers_path("../../etc/passwd")


def test_read_answers_reports_the_file_and_changes_nothing(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(AnswersError, match=r"broken\.json: not valid JSON"):
        read_answers(path)
    assert path.read_text() == "{"
    with pytest.raises(AnswersError, match="no answers file"):
        read_answers(tmp_path / "missing.json")


def test_frame_has_one_row_per_unit_and_layer():
    sheet = AnswerSheet(exercise="x")
    sheet.set_tags("P1.S1", "role", "evidence")
    sheet.set_tags("P1.S1", "evidence", "quote")
    sheet.set_tags("P3.S1", "devices", ["loaded_language"])
    sheet.set_cues("P3.S1", "loaded_language", ["strongman"])
    tagged = sheet.to_frame()
    assert len(tagged) == 3
    assert tagged.loc[tagged.layer == "devices", "cues"].item() == ("strongman",)
    full = sheet.to_frame(article=load_article(), layers=["role", "evidence"])
    assert len(full) == 40
    assert full.set_index(["unit", "layer"]).loc[("P1.S1", "evidence"), "labels"] == ("quote",)
    assert full.set_index(["unit", "layer"]).loc[("P2.S1", "role"), "labels"] == ()


def test_live_answers_is_one_object_per_file(tmp_path, monkeypatch):
    """Do widgets on one answers file share one AnswerFile, keyed by the resolved path?"""
    from medialit import answers

    monkeypatch.setattr(answers, "_LIVE", {})
    monkeypatch.chdir(tmp_path)
    first = answers.live_answers("lesson01")
    assert answers.live_answers("lesson01", folder=tmp_path / "answers") is first
    assert answers.live_answers("lesson01", path="answers/../answers/lesson01.json") is first
    assert answers.live_answers("lesson02") is not first
    with pytest.raises(AnswersError, match="holds answers for exercise 'lesson01'"):
        answers.live_answers("lesson02", path="answers/lesson01.json")


def test_live_answers_keep_an_unsaved_change_over_a_changed_file(tmp_path, monkeypatch):
    """After a failed save, is the answer kept (and written next) even if the file changed?"""
    from medialit import answers

    monkeypatch.setattr(answers, "_LIVE", {})
    live = answers.live_answers("lesson01", folder=tmp_path)
    live.set_response("genre", "opinion piece")

    def refuse(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(answers, "write_atomic", refuse)
        with pytest.raises(AnswersError, match="kept in this notebook"):
            live.set_response("reaction", "angry")
    open_answers("lesson01", folder=tmp_path).set_note("P1.S1", "from elsewhere")
    again = answers.live_answers("lesson01", folder=tmp_path)
    assert again is live and again.sheet.responses["reaction"] == "angry"
    again.save()
    assert read_answers(tmp_path / "lesson01.json").responses["reaction"] == "angry"
