"""A damaged answers file: is every answer that can still be read kept, and nothing lost?

Issue 11: a file cut off halfway, or one unknown label in an otherwise good file, was moved
aside whole and the tagger showed "0 of 20 tagged" although the kernel still held all eight
tags; the notice did not say how to get the work back.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from medialit import answers
from medialit.answer_merge import flatten
from medialit.answer_recovery import read_prefix
from medialit.answers import AnswerSheet, live_answers, open_answers, read_answers
from medialit.errors import AnswersError
from medialit.scoring import parse_sheet

EIGHT = {
    "P0.S1": "thesis",
    "P1.S1": "claim",
    "P2.S1": "evidence",
    "P3.S1": "evidence",
    "P4.S1": "claim",
    "P5.S1": "claim",
    "P6.S1": "evidence",
    "P7.S1": "claim",
}


def full_sheet() -> AnswerSheet:
    """Eight role tags, one device list with two labels (on the last unit, so that it comes
    last in the file), cue words, a note, two "none" marks, a written answer, a verdict."""
    sheet = AnswerSheet(exercise="lesson01", student="ada")
    for unit, role in EIGHT.items():
        sheet.set_tags(unit, "role", role)
    sheet.set_tags("P7.S1", "devices", ["hedge", "intensifier"])
    sheet.set_cues("P7.S1", "intensifier", ["clearly"])
    sheet.set_note("P2.S1", "the tweet is quoted word for word — “naïve” or not")
    sheet.set_response("01.structure", "problem, then cause, then remedy")
    sheet.set_response("tagger:none:devices", "P0.S1 P1.S1")
    sheet.set_verdict("C1", "supported", "USA Today, 31 Jan 2019")
    return sheet


def write_sheet(path: Path, sheet: AnswerSheet) -> bytes:
    raw = (json.dumps(sheet.to_dict(), ensure_ascii=False, indent=2) + "\n").encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    return raw


def kept_aside(folder: Path) -> list[Path]:
    return sorted(folder.glob("lesson01.broken-*.json"))


def check_the_notice(store, path: Path, aside: Path) -> None:
    """One sentence that says what was recovered and how to go back to the original."""
    assert store.notice.startswith(f"{path} was damaged (")
    assert store.notice.endswith(
        f"the original is kept safe as {aside} — to go back to it, rename it to {path.name}."
    )
    assert store.notice.count(". ") == 0


# -- a file cut off ----------------------------------------------------------------------------
def test_a_file_cut_off_at_any_byte_keeps_every_whole_answer_and_invents_none(tmp_path):
    """Cut the file at every byte: what comes back is always a subset of the real answers
    (nothing shortened or made up), grows as the cut moves on, and the original is kept."""
    path = tmp_path / "lesson01.json"
    original = flatten(full_sheet())
    raw = write_sheet(path, full_sheet())
    recovered_before = 0
    for cut in range(len(raw) - 1):  # every byte, up to the file without its last "}\n"
        for old in tmp_path.iterdir():
            old.unlink()
        path.write_bytes(raw[:cut])
        store = open_answers("lesson01", folder=tmp_path)
        got = flatten(read_answers(path))  # the file is whole again
        answers_got = {k: v for k, v in got.items() if k[0] != "meta"}
        assert answers_got.items() <= original.items(), cut
        assert flatten(store.sheet) == got
        assert len(answers_got) >= recovered_before, cut
        recovered_before = len(answers_got)
        [aside] = kept_aside(tmp_path)
        assert aside.read_bytes() == raw[:cut]
        check_the_notice(store, path, aside)
        assert f"cut off at byte {cut}" in store.notice or cut == 0
    assert recovered_before == len([k for k in original if k[0] != "meta"])  # at len-2: all


def test_a_cut_inside_a_label_list_drops_that_answer_and_keeps_the_rest(tmp_path):
    path = tmp_path / "lesson01.json"
    raw = write_sheet(path, full_sheet())
    cut = raw.index(b'"hedge"') + len(b'"hedge",')  # P7.S1 devices: [hedge, intensifier]
    path.write_bytes(raw[:cut])
    store = open_answers("lesson01", folder=tmp_path)
    saved = read_answers(path)
    assert saved.get_tags("P7.S1", "devices") == []  # not shortened to ["hedge"]
    assert {u: saved.get_tags(u, "role") for u in EIGHT} == {u: [r] for u, r in EIGHT.items()}
    assert saved.notes == {} and saved.responses == {}
    [aside] = kept_aside(tmp_path)
    assert store.notice == (
        f"{path} was damaged (not valid JSON, cut off at byte {cut}); 8 of 9 tags recovered, "
        f"the original is kept safe as {aside} — to go back to it, rename it to lesson01.json."
    )


def test_a_file_broken_in_the_middle_keeps_what_comes_before(tmp_path):
    path = tmp_path / "lesson01.json"
    raw = write_sheet(path, full_sheet())
    at = raw.index(b'"notes"')
    path.write_bytes(raw[:at] + b"\x00" * 64 + raw[at + 64 :])  # a crash left zeros
    store = open_answers("lesson01", folder=tmp_path)
    assert f"not valid JSON from byte {at} on" in store.notice
    assert "9 tags" in store.notice
    assert read_answers(path).get_cues("P7.S1", "intensifier") == ["clearly"]


# -- bad entries in a whole file -----------------------------------------------------------------
def test_one_unknown_label_drops_only_that_answer(tmp_path):
    path = tmp_path / "lesson01.json"
    data = full_sheet().to_dict()
    data["tags"]["P4.S1"]["role"] = ["argument"]  # not a role label
    data["tags"]["P7.S1"]["devices"] = ["hedge", "sarcasm"]  # one of two labels unknown
    raw = json.dumps(data, indent=2).encode()
    path.write_bytes(raw)
    store = open_answers("lesson01", folder=tmp_path)
    saved = read_answers(path)
    assert saved.get_tags("P4.S1", "role") == []
    assert saved.get_tags("P7.S1", "devices") == ["hedge"]
    assert {u: saved.get_tags(u, "role") for u in EIGHT if u != "P4.S1"} == {
        u: [r] for u, r in EIGHT.items() if u != "P4.S1"
    }
    assert saved.notes == full_sheet().notes and saved.verdicts == full_sheet().verdicts
    assert saved.responses == full_sheet().responses
    [aside] = kept_aside(tmp_path)
    assert aside.read_bytes() == raw
    # 11 tags: 8 roles, P7.S1's devices and two units marked "no device"
    assert store.notice == (
        f"{path} was damaged (2 entries not valid: P4.S1 role 'argument', "
        "P7.S1 devices 'sarcasm'); 10 of 11 tags, 1 note, 1 answer and 1 verdict recovered, "
        f"the original is kept safe as {aside} — to go back to it, rename it to lesson01.json."
    )


def test_a_bad_row_is_dropped_and_listed(tmp_path):
    path = tmp_path / "lesson01.json"
    data = full_sheet().to_dict()
    data["tags"]["P5.S1"] = "claim"  # a row of the wrong shape
    data["verdicts"]["C2"] = {"verdict": "true"}
    data["notes"]["P6.S1"] = ["not", "text"]
    path.write_text(json.dumps(data), encoding="utf-8")
    store = open_answers("lesson01", folder=tmp_path)
    saved = read_answers(path)
    assert "P5.S1" not in saved.tags and len(saved.tags) == 7  # 8 units, one row dropped
    assert saved.verdicts == {"C1": {"verdict": "supported", "reason": "USA Today, 31 Jan 2019"}}
    assert saved.notes == {"P2.S1": "the tweet is quoted word for word — “naïve” or not"}
    assert (
        "3 entries not valid: P5.S1 (not an object of layers), note P6.S1, verdict C2"
        in store.notice
    )
    assert "10 of 11 tags, 1 of 2 notes, 1 answer and 1 of 2 verdicts recovered" in store.notice


def test_a_foreign_or_empty_file_recovers_nothing_but_is_kept(tmp_path):
    path = tmp_path / "lesson01.json"
    path.write_text('{"format": "somebody-else", "tags": {}}', encoding="utf-8")
    store = open_answers("lesson01", folder=tmp_path)
    assert "(not a medialit answers file); nothing in it could be recovered" in store.notice
    path.write_bytes(b"")
    assert "(empty); nothing" in open_answers("lesson01", folder=tmp_path).notice
    assert len(kept_aside(tmp_path)) == 2


# -- the kernel's own answers are written back ---------------------------------------------------
def test_the_kernels_answers_are_written_back_when_the_file_is_damaged_under_it(
    tmp_path, monkeypatch
):
    """The issue's case: the kernel holds eight tags, the file is cut off; re-running the
    tagger's cell must not show '0 of 20 tagged'."""
    monkeypatch.setattr(answers, "_LIVE", {})
    live = live_answers("lesson01", folder=tmp_path)
    for unit, role in EIGHT.items():
        live.set_tags(unit, "role", role)
    path = live.path
    raw = path.read_bytes()
    cut = raw.index(b'"P2.S1"')
    path.write_bytes(raw[:cut])  # only P0.S1 and P1.S1 readable

    again = live_answers("lesson01", folder=tmp_path)  # the re-run cell
    assert again is live
    assert len(live.sheet.tagged_units(["role"])) == 8
    assert {u: read_answers(path).get_tags(u, "role") for u in EIGHT} == {
        u: [r] for u, r in EIGHT.items()
    }
    [aside] = kept_aside(tmp_path)
    assert aside.read_bytes() == raw[:cut]
    assert live.moved_to == aside
    assert live.notice == (
        f"{path} was damaged (not valid JSON, cut off at byte {cut}); 2 tags recovered and "
        f"this notebook's own 8 tags written back, the original is kept safe as {aside} — to "
        "go back to it, rename it to lesson01.json."
    )


def test_a_save_onto_a_damaged_file_keeps_both_memory_and_the_files_readable_answers(tmp_path):
    """The other kernel's answers that are still readable in the damaged file are kept too."""
    mine = open_answers("lesson01", folder=tmp_path)
    mine.set_tags("P0.S1", "role", "thesis")
    other = open_answers("lesson01", folder=tmp_path)
    other.set_response("01.structure", "from the other notebook")
    other.set_tags("P9.S1", "role", "claim")
    raw = mine.path.read_bytes()
    end = raw.index(b'"from the other notebook"') + len(b'"from the other notebook"')
    mine.path.write_bytes(raw[: end + 1])  # cut just after the answer: it stays whole
    mine.set_tags("P1.S1", "role", "claim")
    saved = read_answers(mine.path)
    assert saved.get_tags("P0.S1", "role") == ["thesis"]
    assert saved.get_tags("P1.S1", "role") == ["claim"]
    assert saved.get_tags("P9.S1", "role") == ["claim"]  # read from the damaged file
    assert saved.responses == {"01.structure": "from the other notebook"}
    assert "rename it to lesson01.json" in mine.notice


def test_a_failed_write_during_recovery_leaves_everything_as_it_was(tmp_path, monkeypatch):
    mine = open_answers("lesson01", folder=tmp_path)
    mine.set_tags("P0.S1", "role", "thesis")
    mine.path.write_bytes(b'{"format": "medialit-answers", "version": 2, "tags": {"P')

    def refuse(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(answers, "write_atomic", refuse)
        with pytest.raises(AnswersError, match="kept in this notebook"):
            mine.set_tags("P1.S1", "role", "claim")
    assert mine.path.read_bytes().endswith(b'{"P')  # untouched
    assert kept_aside(tmp_path) == []  # no copy left from the failed attempt
    mine.save()
    assert read_answers(mine.path).tagged_units() == ["P0.S1", "P1.S1"]
    assert len(kept_aside(tmp_path)) == 1


def test_a_damaged_file_from_a_newer_medialit_is_left_alone(tmp_path):
    path = tmp_path / "lesson01.json"
    path.write_text('{"format": "medialit-answers", "version": 9, "tags": {', encoding="utf-8")
    with pytest.raises(AnswersError, match="newer medialit"):
        open_answers("lesson01", folder=tmp_path)
    assert [p.name for p in tmp_path.glob("*.json")] == ["lesson01.json"]  # no copy, no file
    assert path.read_text(encoding="utf-8").endswith('"tags": {')


def test_graders_still_refuse_a_damaged_file(tmp_path):
    """Recovery is for the student's own kernel; a handed-in file is read strictly."""
    data = full_sheet().to_dict()
    data["tags"]["P4.S1"]["role"] = ["argument"]
    raw = json.dumps(data).encode()
    sheet, problem = parse_sheet(raw, "answers/lesson01.json")
    assert sheet is None and "argument" in problem
    sheet, problem = parse_sheet(raw[:200], "answers/lesson01.json")
    assert sheet is None and "not valid JSON" in problem
    path = tmp_path / "lesson01.json"
    path.write_bytes(raw[:200])
    with pytest.raises(AnswersError, match="not valid JSON"):
        read_answers(path)
    assert path.read_bytes() == raw[:200]


# -- the prefix reader -----------------------------------------------------------------------
def test_the_prefix_reader_knows_what_was_closed():
    found = read_prefix('{"a": [1, 2], "b": {"c": ["x", "y"], "d": ["z"')
    assert found.stop is not None and found.why == "cut off"
    assert found.value == {"a": [1, 2], "b": {"c": ["x", "y"], "d": ["z"]}}
    assert found.whole(found.value["a"]) and found.whole(found.value["b"]["c"])
    assert not found.whole(found.value["b"]["d"]) and not found.whole(found.value)
    assert read_prefix('{"version": 12').value == {}  # 12 may have been 123
    assert read_prefix('{"a": "half a str').value == {}
    assert read_prefix('{"a": 1} junk').why == "extra text after the end"
    deep = read_prefix("[" * 50)
    assert re.search("nested deeper", deep.why)
    whole = read_prefix('{"a": [true, null, 1.5, "é"]}')
    assert whole.stop is None and whole.value == {"a": [True, None, 1.5, "é"]}
