"""Two notebooks on one answers file: does every save keep what the other one saved?

Issue 11: lesson 01 and a copy of it open in two kernels; a tag and a written answer made in
one vanished when the other saved ("last writer wins"). Two ``AnswerFile`` objects stand for
the two kernels here (each keeps its own memory of the file, as a kernel does); the last test
runs real processes at once.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from medialit import answers
from medialit.answers import live_answers, open_answers, read_answers
from medialit.errors import AnswersSaveError


def on_disk(path: Path):
    return read_answers(path)


def test_interleaved_tags_answers_notes_and_verdicts_from_two_kernels_all_survive(tmp_path):
    one = open_answers("lesson01", folder=tmp_path)
    two = open_answers("lesson01", folder=tmp_path)  # opened before either saved anything
    one.set_tags("P0.S1", "role", "thesis")
    two.set_response("01.structure", "problem, then cause, then remedy")
    one.set_note("P0.S1", "the headline states it")
    two.set_verdict("C1", "supported", "USA Today")
    two.set_tags("P1.S1", "role", "claim")
    one.set_tags("P1.S1", "devices", ["intensifier"])  # same unit, other layer: no conflict
    one.set_cues("P1.S1", "intensifier", ["clearly"])
    two.set_note("P2.S1", "a quote")
    one.set_response("01.warrant", "strong leaders need advisers")

    saved = on_disk(one.path)
    assert saved.tags == {
        "P0.S1": {"role": ["thesis"]},
        "P1.S1": {"role": ["claim"], "devices": ["intensifier"]},
    }
    assert saved.cues == {"P1.S1": {"intensifier": ["clearly"]}}
    assert saved.notes == {"P0.S1": "the headline states it", "P2.S1": "a quote"}
    assert saved.responses == {
        "01.structure": "problem, then cause, then remedy",
        "01.warrant": "strong leaders need advisers",
    }
    assert saved.verdicts == {"C1": {"verdict": "supported", "reason": "USA Today"}}
    assert one.notice is None and two.notice is None  # nothing was changed in both
    # each kernel's sheet took in what the other had saved before its own last save
    assert one.sheet.tags == saved.tags and one.sheet.notes == saved.notes
    assert two.sheet.get_tags("P0.S1", "role") == ["thesis"]


def test_changes_made_on_the_sheet_then_saved_are_merged_like_the_tagger_makes_them(tmp_path):
    """The tagger changes ``file.sheet`` directly and then calls ``save()``."""
    one = open_answers("lesson01", folder=tmp_path)
    two = open_answers("lesson01", folder=tmp_path)
    one.sheet.set_tags("P3.S1", "role", "evidence")
    one.sheet.set_tags("P3.S1", "evidence", "quote")
    one.save()
    two.sheet.responses["tagger:none:devices"] = "P3.S1"
    two.sheet.set_response("01.thesis", "P0.S1")
    two.save()
    saved = on_disk(one.path)
    assert saved.tags == {"P3.S1": {"role": ["evidence"], "evidence": ["quote"]}}
    assert saved.responses == {"tagger:none:devices": "P3.S1", "01.thesis": "P0.S1"}


def test_a_cleared_answer_stays_cleared_when_the_other_kernel_saves(tmp_path):
    one = open_answers("lesson01", folder=tmp_path)
    one.set_tags("P0.S1", "role", "thesis")
    one.set_response("01.structure", "draft")
    two = open_answers("lesson01", folder=tmp_path)  # knows both answers
    one.set_tags("P0.S1", "role", [])  # the student clears it in the first notebook
    one.set_response("01.structure", "")
    two.set_tags("P1.S1", "role", "claim")  # the second saves something else
    saved = on_disk(one.path)
    assert saved.tags == {"P1.S1": {"role": ["claim"]}}
    assert saved.responses == {}
    assert two.sheet.get_tags("P0.S1", "role") == []  # and its memory follows


def test_the_same_answer_changed_in_both_keeps_the_newer_and_says_so(tmp_path):
    one = open_answers("lesson01", folder=tmp_path)
    two = open_answers("lesson01", folder=tmp_path)
    one.set_tags("P3.S1", "role", "claim")
    two.set_tags("P3.S1", "role", "evidence")  # later: kept
    assert on_disk(one.path).get_tags("P3.S1", "role") == ["evidence"]
    assert two.notice == ("P3.S1 role was also changed in another notebook; kept yours, made last.")
    assert two.last_merge is not None and two.last_merge.conflicts == [("tags", "P3.S1", "role")]
    two.set_note("P3.S1", "a dated quote")  # the next save had no conflict: no notice
    assert two.notice is None

    one.sheet.set_response("01.structure", "first notebook")
    one.sheet.set_note("P3.S1", "first notebook's note")
    one.sheet.set_tags("P3.S1", "role", "thesis")
    two.set_response("01.structure", "second notebook")
    one.save()
    assert one.notice == (
        "P3.S1 role, the note on P3.S1 and the answer '01.structure' were also changed in "
        "another notebook; kept yours, made last."
    )
    saved = on_disk(one.path)
    assert saved.responses["01.structure"] == "first notebook"
    assert saved.notes["P3.S1"] == "first notebook's note"
    assert saved.get_tags("P3.S1", "role") == ["thesis"]


def test_units_marked_none_in_two_notebooks_are_both_kept(tmp_path):
    """The tagger keeps a layer's "none" units in one response; two notebooks marking
    different units must not collide on it."""
    one = open_answers("lesson05", folder=tmp_path)
    two = open_answers("lesson05", folder=tmp_path)
    one.set_response("tagger:none:devices", "P1.S1 P2.S1")
    two.set_response("tagger:none:devices", "P4.S1")
    one.set_response("tagger:none:devices", "P2.S1")  # unmarks P1.S1 only
    marked = set(on_disk(one.path).responses["tagger:none:devices"].split())
    assert marked == {"P2.S1", "P4.S1"}
    assert one.notice is None


def test_live_answers_takes_in_the_other_kernels_answers_into_the_same_sheet(tmp_path, monkeypatch):
    monkeypatch.setattr(answers, "_LIVE", {})
    live = live_answers("lesson01", folder=tmp_path)
    sheet = live.sheet
    heard = []

    class View:  # a widget that redraws when the file brings news (held weakly)
        def redraw(self, merge):
            heard.append(merge.theirs)

    view = View()
    live.on_change(view.redraw)
    live.set_tags("P0.S1", "role", "thesis")
    other = open_answers("lesson01", folder=tmp_path)  # the second kernel
    other.set_tags("P1.S1", "role", "claim")
    other.set_response("01.structure", "from the copy")

    again = live_answers("lesson01", folder=tmp_path)  # e.g. a re-run cell in kernel one
    assert again is live and live.sheet is sheet
    assert sheet.get_tags("P1.S1", "role") == ["claim"]
    assert sheet.get_tags("P0.S1", "role") == ["thesis"]
    assert sheet.responses == {"01.structure": "from the copy"}
    assert heard == [[("tags", "P1.S1", "role"), ("responses", "01.structure")]]

    other.set_note("P1.S1", "news")
    live.set_tags("P2.S1", "role", "claim")  # a save also takes the news in
    assert sheet.notes == {"P1.S1": "news"}
    assert len(heard) == 2
    del view  # a replaced widget is not kept alive by the file
    other.set_note("P1.S1", "more news")
    live.refresh()
    assert len(heard) == 2 and sheet.notes == {"P1.S1": "more news"}


def test_a_save_waits_for_the_other_kernels_save(tmp_path, monkeypatch):
    one = open_answers("lesson01", folder=tmp_path)
    one.set_tags("P0.S1", "role", "thesis")
    lock = os.open(answers.lock_path(one.path), os.O_RDWR)
    fcntl.flock(lock, fcntl.LOCK_EX)  # another kernel is in the middle of a save
    done = threading.Event()

    def save() -> None:
        one.set_tags("P1.S1", "role", "claim")
        done.set()

    worker = threading.Thread(target=save)
    worker.start()
    assert not done.wait(0.3)  # it waits ...
    assert on_disk(one.path).get_tags("P1.S1", "role") == []
    os.close(lock)  # ... and saves as soon as the other save is done
    assert done.wait(5)
    worker.join()
    assert on_disk(one.path).get_tags("P1.S1", "role") == ["claim"]

    monkeypatch.setattr(answers, "LOCK_WAIT_S", 0.2)
    lock = os.open(answers.lock_path(one.path), os.O_RDWR)
    fcntl.flock(lock, fcntl.LOCK_EX)
    try:
        with pytest.raises(AnswersSaveError, match="kept in this notebook"):
            one.set_tags("P2.S1", "role", "claim")
    finally:
        os.close(lock)
    one.save()  # the answer was kept in memory and is written next time
    assert on_disk(one.path).get_tags("P2.S1", "role") == ["claim"]


HAMMER = r"""
import sys, time
from pathlib import Path
from medialit.answers import open_answers
from medialit.article import load_article

folder, who, rounds = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
units = load_article("seed").ids
layer = ["role", "statement", "devices"][who]
label = {"role": "claim", "statement": "value", "devices": ["hedge"]}[layer]
mine = open_answers("lesson01", folder=folder)  # opened before the others start writing
(folder / f"ready-{who}").touch()
while not (folder / "go").exists():
    time.sleep(0.005)
for i in range(rounds):
    unit = units[i % len(units)]
    if i < len(units):
        mine.sheet.set_tags(unit, layer, label)  # as the tagger does, then save
        mine.save()
    mine.set_response(f"q{who}-{i}", f"answer {i} from process {who}")
    if i % 5 == 0:
        mine.set_verdict(f"C{who}{i}", "supported", f"process {who}")
    if who == 0 and i < len(units):
        mine.set_note(unit, f"note {i}")
"""


@pytest.mark.timeout(120)
def test_three_processes_saving_at_once_lose_no_change(tmp_path):
    """Real kernels are processes: three write one file as fast as they can, at once."""
    rounds, workers = 30, 3
    script = tmp_path / "hammer.py"
    script.write_text(HAMMER, encoding="utf-8")
    folder = tmp_path / "answers"
    folder.mkdir()
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), str(folder), str(who), str(rounds)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in range(workers)
    ]
    deadline = time.monotonic() + 60
    while not all((folder / f"ready-{who}").exists() for who in range(workers)):
        assert time.monotonic() < deadline, "the writers did not start"
        assert all(p.poll() is None for p in procs), [p.stderr.read() for p in procs]
        time.sleep(0.05)
    (folder / "go").touch()
    for proc in procs:
        _, err = proc.communicate(timeout=90)
        assert proc.returncode == 0, err

    saved = on_disk(folder / "lesson01.json")
    from medialit.article import load_article

    units = load_article("seed").ids
    for unit in units:
        assert saved.get_tags(unit, "role") == ["claim"], unit
        assert saved.get_tags(unit, "statement") == ["value"], unit
        assert saved.get_tags(unit, "devices") == ["hedge"], unit
    assert saved.notes == {unit: f"note {i}" for i, unit in enumerate(units)}
    for who in range(workers):
        for i in range(rounds):
            assert saved.responses[f"q{who}-{i}"] == f"answer {i} from process {who}"
            if i % 5 == 0:
                assert saved.verdicts[f"C{who}{i}"]["reason"] == f"process {who}"
    assert len(saved.responses) == workers * rounds
    assert sorted(p.name for p in folder.glob("*.json")) == ["lesson01.json"]  # no recovery
