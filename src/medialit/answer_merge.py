"""Merging two notebooks' answers: a three-way merge, one answer at a time.

A student can have one answers file open in two kernels (lesson 01 and a copy of it, or a
notebook reopened in a second tab). Each kernel saves its whole sheet, so without a merge the
last save silently drops what the other one saved. ``medialit.answers`` therefore saves by
merging: it keeps the sheet as the file was when this kernel last read or wrote it (the
*base*), and at each save re-reads the file and applies only what this kernel changed since
the base. This module is that merge, without any file access, so it can be tested on its own.

The unit of a change is one answer, the smallest thing a student changes with one click:

- a unit's labels in one layer (``("tags", unit, layer)``), cue words for one device label
  (``("cues", unit, label)``), a unit's note (``("notes", unit)``);
- one written answer or choice (``("responses", key)``), one verdict (``("verdicts", claim)``);
- one unit marked "none" in a layer (``("none", layer, unit)``): the tagger stores these as
  one space-separated response per layer (``check.none_key``), which would otherwise make two
  notebooks marking different units collide;
- the sheet's ``student`` and ``article`` (``("meta", name)``), never reported to the student.

Rules: an answer only one side changed takes that side's value; an answer both sides changed
to different values takes this kernel's (its save is the later one) and is reported as a
conflict, so the student is told in a sentence. A deletion is a change like any other. When
the file on disk was damaged and only partly read, an answer missing from it is not taken as
deleted (``disk_complete=False``): damage is not a decision.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from medialit.answer_sheet import AnswerSheet

#: where the tagger keeps a layer's "none" answers (``medialit.check.none_key``)
NONE_PREFIX = "tagger:none:"

Key = tuple[str, ...]
Flat = dict[Key, Hashable]
_MISSING = object()


def flatten(sheet: AnswerSheet) -> Flat:
    """Every answer in a sheet as ``{key: value}`` (values are tuples or strings)."""
    flat: Flat = {("meta", "student"): sheet.student, ("meta", "article"): sheet.article}
    for unit, by_layer in sheet.tags.items():
        for layer, labels in by_layer.items():
            flat[("tags", unit, layer)] = tuple(labels)
    for unit, by_label in sheet.cues.items():
        for label, words in by_label.items():
            flat[("cues", unit, label)] = tuple(words)
    for unit, text in sheet.notes.items():
        flat[("notes", unit)] = text
    for key, text in sheet.responses.items():
        if key.startswith(NONE_PREFIX):
            layer = key.removeprefix(NONE_PREFIX)
            for unit in text.split():
                flat[("none", layer, unit)] = True
        else:
            flat[("responses", key)] = text
    for claim, entry in sheet.verdicts.items():
        flat[("verdicts", claim)] = (entry.get("verdict", ""), entry.get("reason", ""))
    return flat


def fill(sheet: AnswerSheet, flat: Flat) -> None:
    """Make ``sheet`` hold exactly the answers in ``flat``, changing the sheet in place.

    In place, because widgets hold the sheet object: after a merge they see the other
    notebook's answers without being handed a new sheet.
    """
    tags: dict[str, dict[str, list[str]]] = {}
    cues: dict[str, dict[str, list[str]]] = {}
    notes: dict[str, str] = {}
    responses: dict[str, str] = {}
    verdicts: dict[str, dict[str, str]] = {}
    for key, value in flat.items():
        kind = key[0]
        if kind == "meta":
            setattr(sheet, key[1], value)
        elif kind == "tags":
            tags.setdefault(key[1], {})[key[2]] = list(value)
        elif kind == "cues":
            cues.setdefault(key[1], {})[key[2]] = list(value)
        elif kind == "notes":
            notes[key[1]] = value
        elif kind == "responses":
            responses[key[1]] = value
        elif kind == "none":
            name = NONE_PREFIX + key[1]
            responses[name] = f"{responses[name]} {key[2]}" if name in responses else key[2]
        elif kind == "verdicts":
            verdict, reason = value
            verdicts[key[1]] = {"verdict": verdict, "reason": reason}
    for target, new in (
        (sheet.tags, tags),
        (sheet.cues, cues),
        (sheet.notes, notes),
        (sheet.responses, responses),
        (sheet.verdicts, verdicts),
    ):
        target.clear()
        target.update(new)
    for unit in list(sheet.cues):  # cue words whose device label went away in the merge
        sheet._prune_cues(unit)


@dataclass
class Merge:
    """The result of merging this kernel's changes into the file on disk."""

    flat: Flat
    #: answers this kernel changed (and so writes)
    mine: list[Key] = field(default_factory=list)
    #: answers changed elsewhere (another notebook) that this kernel takes in
    theirs: list[Key] = field(default_factory=list)
    #: answers both changed to different values: this kernel's value was kept
    conflicts: list[Key] = field(default_factory=list)

    @property
    def message(self) -> str | None:
        """One sentence about the conflicts, or None if there were none."""
        if not self.conflicts:
            return None
        names = [describe(key) for key in self.conflicts]
        if len(names) > 3:
            names = [*names[:2], f"{len(names) - 2} more answers"]
        listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        verb = "was" if len(self.conflicts) == 1 else "were"
        return f"{listed} {verb} also changed in another notebook; kept yours, made last."


def merge(base: Flat, mine: Flat, disk: Flat, *, disk_complete: bool = True) -> Merge:
    """Apply what changed from ``base`` to ``mine`` onto ``disk`` (see the module docstring)."""
    theirs = dict(disk) if disk_complete else {**base, **disk}
    result = Merge(flat=dict(theirs))
    for key in _union(base, mine):
        before, now = base.get(key, _MISSING), mine.get(key, _MISSING)
        if now == before:
            continue
        result.mine.append(key)
        there = theirs.get(key, _MISSING)
        if there != before and there != now and key[0] != "meta":
            result.conflicts.append(key)
        if now is _MISSING:
            result.flat.pop(key, None)
        else:
            result.flat[key] = now
    changed = set(result.mine)
    result.theirs = [
        key
        for key in _union(base, theirs)
        if key not in changed and theirs.get(key, _MISSING) != base.get(key, _MISSING)
    ]
    return result


def changes(base: Flat, mine: Flat) -> list[Key]:
    """The answers that differ between two flattened sheets."""
    return [key for key in _union(base, mine) if base.get(key, _MISSING) != mine.get(key, _MISSING)]


def _union(*flats: Flat) -> Iterable[Key]:
    seen: dict[Key, None] = {}
    for flat in flats:
        seen.update(dict.fromkeys(flat))
    return list(seen)


def describe(key: Key) -> str:
    """An answer's key in words a student reads: ``P3.S1 role``, ``the answer 'genre'``."""
    kind = key[0]
    if kind == "tags":
        return f"{key[1]} {key[2]}"
    if kind == "cues":
        return f"{key[1]} cue words for {key[2]}"
    if kind == "notes":
        return f"the note on {key[1]}"
    if kind == "none":
        return f"{key[2]} {key[1]} (none)"
    if kind == "responses":
        return f"the answer {key[1]!r}"
    if kind == "verdicts":
        return f"the verdict on {key[1]}"
    return " ".join(key[1:])


def count(flat: Flat) -> dict[str, int]:
    """How many answers of each kind a flattened sheet holds (no meta)."""
    counts: dict[str, int] = {}
    for key in flat:
        kind = {"none": "tags"}.get(key[0], key[0])
        if kind != "meta":
            counts[kind] = counts.get(kind, 0) + 1
    return counts


def any_answers(flat: Flat) -> bool:
    return any(key[0] != "meta" for key in flat)
