"""Recovering a damaged answers file: keep every answer that can still be read.

A student's answers file can be damaged: cut off halfway (a copy interrupted, a disk that
filled up under another program, a sync tool), one label the scheme does not know (an older
kit, a hand edit), one entry of the wrong shape. Starting the student from zero for that is
the worst outcome, so ``salvage`` reads what it can:

- JSON that stops early or breaks in the middle is read up to the damage by ``read_prefix``,
  a small parser that knows which objects and lists were closed before the damage. Only
  entries read whole are kept: a layer's label list cut in half is dropped, not shortened, so
  a recovered answer is always one the student really gave. Its leaves (strings, numbers) are
  read by the standard library's ``json`` scanner; only the nesting is walked here. (Repair
  libraries such as ``json-repair`` close what is open instead, which turns half a list into
  a shorter answer; and the kit may not add dependencies for this.)
- each entry is then checked as ``AnswerSheet`` checks it; one that fails (an unknown label,
  a row of the wrong shape) is dropped and listed, the rest are kept.

The damaged original is never lost: ``keep_aside`` keeps it, byte for byte, as
``<exercise>.broken-<time>.json`` beside the file, and ``notice`` says in one sentence what was
recovered and how to go back to the original. Writing the recovered answers (merged with what
the kernel still holds) is ``medialit.answers``'s job; graders never salvage (a handed-in
file is read strictly by ``medialit.answer_sheet``).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from json.decoder import scanstring
from pathlib import Path
from typing import Any

from medialit.answer_merge import NONE_PREFIX, Flat, count, flatten
from medialit.answer_sheet import FORMAT, VERDICTS, VERSION, AnswerSheet, upgrade
from medialit.errors import AnswersError, MedialitError
from medialit.scheme import Scheme

#: Deeper than any answers file (tags > unit > layer > list is 4); deeper input is damage.
MAX_DEPTH = 12
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
#: how a kind of answer is named in the notice (cue words go with their device tag)
_KINDS = {
    "tags": ("tag", "tags"),
    "notes": ("note", "notes"),
    "responses": ("answer", "answers"),
    "verdicts": ("verdict", "verdicts"),
}


class _Stop(Exception):
    """The text is damaged here: stop reading."""


@dataclass
class Prefix:
    """What ``read_prefix`` could read: the value, where it stopped and why."""

    value: Any
    #: character offset of the damage (None: the text is whole JSON)
    stop: int | None
    why: str
    #: ids of the objects and lists the damage left open (their contents may be partial)
    open: set[int] = field(default_factory=set)

    def whole(self, value: Any) -> bool:
        """Was this object or list closed before the damage?"""
        return id(value) not in self.open


def read_prefix(text: str) -> Prefix:
    """Read JSON text as far as it is whole (see the module docstring)."""
    reader = _PrefixReader(text)
    holder: list[Any] = []
    try:
        end = reader.value(0, 0, holder.append)
        end = _WHITESPACE.match(text, end).end()
        if end < len(text):
            reader.stop, reader.why = end, "extra text after the end"
    except _Stop:
        pass
    return Prefix(holder[0] if holder else None, reader.stop, reader.why, reader.open)


class _PrefixReader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.stop: int | None = None
        self.why = ""
        self.open: set[int] = set()

    def fail(self, pos: int, why: str) -> None:
        self.stop, self.why = min(pos, len(self.text)), why
        raise _Stop

    def broken(self, start: int, exc: json.JSONDecodeError) -> None:
        """A string, number or word starting at ``start`` could not be read: was it cut off
        by the end of the text (it runs to the end), or is it broken where it stands?"""
        rest = self.text[start:]
        cut = (
            exc.pos >= len(self.text)
            or exc.msg.startswith("Unterminated string")
            or (rest.startswith('"') and '"' not in rest[1:])  # e.g. a "\\u00" escape cut
            or any(word.startswith(rest) for word in ("true", "false", "null"))
        )
        self.fail(len(self.text) if cut else exc.pos, "cut off" if cut else exc.msg)

    def skip(self, pos: int) -> int:
        pos = _WHITESPACE.match(self.text, pos).end()
        if pos >= len(self.text):
            self.fail(pos, "cut off")
        return pos

    def value(self, pos: int, depth: int, put: Callable[[Any], Any]) -> int:
        """Read one value at ``pos`` and hand it to ``put``; return where it ends.

        An object or list is handed over as soon as it opens, so whatever was read of it
        before the damage stays in the result (its id stays in ``open``)."""
        pos = self.skip(pos)
        char = self.text[pos]
        if char in "{[":
            if depth >= MAX_DEPTH:
                self.fail(pos, f"nested deeper than {MAX_DEPTH} levels")
            container: dict | list = {} if char == "{" else []
            put(container)
            self.open.add(id(container))
            if isinstance(container, dict):
                end = self.members(pos + 1, depth + 1, container)
            else:
                end = self.items(pos + 1, depth + 1, container)
            self.open.discard(id(container))
            return end
        try:
            value, end = _DECODER.raw_decode(self.text, pos)
        except json.JSONDecodeError as exc:
            self.broken(pos, exc)
        if end >= len(self.text) and isinstance(value, int | float):
            self.fail(pos, "cut off")  # "12" at the very end may have been "123"
        put(value)
        return end

    def members(self, pos: int, depth: int, into: dict) -> int:
        pos = self.skip(pos)
        if self.text[pos] == "}":
            return pos + 1
        while True:
            if self.text[pos] != '"':
                self.fail(pos, "Expecting property name enclosed in double quotes")
            try:
                key, end = scanstring(self.text, pos + 1)
            except json.JSONDecodeError as exc:
                self.broken(pos, exc)
            pos = end
            pos = self.skip(pos)
            if self.text[pos] != ":":
                self.fail(pos, "Expecting ':' delimiter")
            pos = self.skip(self.value(pos + 1, depth, lambda v, k=key: into.__setitem__(k, v)))
            if self.text[pos] == "}":
                return pos + 1
            if self.text[pos] != ",":
                self.fail(pos, "Expecting ',' delimiter")
            pos = self.skip(pos + 1)

    def items(self, pos: int, depth: int, into: list) -> int:
        pos = self.skip(pos)
        if self.text[pos] == "]":
            return pos + 1
        while True:
            pos = self.skip(self.value(pos, depth, into.append))
            if self.text[pos] == "]":
                return pos + 1
            if self.text[pos] != ",":
                self.fail(pos, "Expecting ',' delimiter")
            pos += 1


# -- from damaged bytes to a sheet -----------------------------------------------------------
@dataclass
class Salvage:
    """What could be read from a damaged answers file."""

    sheet: AnswerSheet
    #: the damage in a few words, e.g. "not valid JSON, cut off at byte 812"
    damage: str
    #: answers read whole, by kind ("tags", "notes", ...)
    kept: dict[str, int] = field(default_factory=dict)
    #: answers begun but dropped (cut in half or not valid), by kind
    lost: dict[str, int] = field(default_factory=dict)
    #: the dropped entries that were not valid, in words (cut entries are not listed)
    invalid: list[str] = field(default_factory=list)

    @property
    def flat(self) -> Flat:
        return flatten(self.sheet)


def salvage(
    raw: bytes,
    *,
    exercise: str,
    article: str = "seed",
    scheme: Scheme | None = None,
    problem: str = "",
) -> Salvage:
    """Every answer that can still be read from a damaged file's bytes.

    ``problem`` is the strict reader's complaint, used when the file is whole JSON. Raises
    AnswersError only for a file from a newer medialit (saving over it would lose work)."""
    text, bad_byte = _text(raw)
    prefix = read_prefix(text)
    json_at = None if prefix.stop is None else len(text[: prefix.stop].encode("utf-8"))
    damage = ""  # the first damage in the file; "" if it is whole JSON
    if not raw.strip():
        damage = "empty"
    elif json_at is not None and (bad_byte is None or json_at < bad_byte):
        if prefix.why == "cut off":
            damage = f"not valid JSON, cut off at byte {len(raw)}"
        else:
            damage = f"not valid JSON from byte {json_at} on ({prefix.why})"
    elif bad_byte is not None:
        damage = f"cannot be read as text from byte {bad_byte} on"
    sheet = AnswerSheet(exercise=exercise, article=article, scheme=scheme)
    found = Salvage(sheet=sheet, damage=damage)
    data = prefix.value
    foreign = _foreign(data, exercise)
    if foreign:
        found.damage = damage or foreign
        return found
    for key, setter in (("student", "student"), ("article", "article")):
        if isinstance(data.get(key), str) and data[key]:
            setattr(sheet, setter, data[key])
    _Entries(found, prefix, data.get("version", VERSION)).read(data)
    if not found.damage:
        found.damage = _invalid_text(found.invalid) or problem or "not valid"
    elif found.invalid:
        found.damage += f", and {_invalid_text(found.invalid)}"
    found.kept = count(found.flat)
    return found


def _text(raw: bytes) -> tuple[str, int | None]:
    """The bytes as text, up to the first byte that is not UTF-8 (and where that is; None
    also when the only bad bytes are a character cut in half by the end of the file)."""
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        cut = exc.reason == "unexpected end of data" and exc.end == len(raw)
        return raw[: exc.start].decode("utf-8"), None if cut else exc.start


def _foreign(data: Any, exercise: str) -> str:
    """Why nothing in ``data`` can be taken as this exercise's answers ("" if it can)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return "not a medialit answers file"
    version = data.get("version", VERSION)
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        raise AnswersError(
            f"it was written by a newer medialit (format version {version}; this one reads "
            f"up to {VERSION}). Upgrade medialit with 'pip install -U medialit'."
        )
    if version not in (1, VERSION):
        return f"its format version {version!r} is not one medialit knows"
    other = data.get("exercise")
    if isinstance(other, str) and other != exercise:
        return f"it holds answers for exercise {other!r}"
    return ""


def _invalid_text(invalid: list[str]) -> str:
    if not invalid:
        return ""
    shown = ", ".join(invalid[:3]) + (f" and {len(invalid) - 3} more" if len(invalid) > 3 else "")
    return f"{'an entry' if len(invalid) == 1 else f'{len(invalid)} entries'} not valid: {shown}"


class _Entries:
    """Copy each whole, valid entry of parsed data into the salvage's sheet."""

    def __init__(self, found: Salvage, prefix: Prefix, version: Any) -> None:
        self.found, self.prefix, self.sheet = found, prefix, found.sheet
        self.version = version

    def drop(self, kind: str, what: str | None = None) -> None:
        """One entry begun but not kept: cut off (what=None) or not valid (listed)."""
        self.found.lost[kind] = self.found.lost.get(kind, 0) + 1
        if what is not None:
            self.found.invalid.append(what)

    def section(self, data: dict, key: str) -> dict:
        value = data.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.found.invalid.append(f"the {key} section")
            return {}
        return value

    def read(self, data: dict) -> None:
        for unit, by_layer in self.section(data, "tags").items():
            self.tags(unit, by_layer)
        for unit, by_label in self.section(data, "cues").items():
            self.cues(unit, by_label)
        for unit, text in self.section(data, "notes").items():
            self.text("notes", unit, text, self.sheet.notes)
        for key, text in self.section(data, "responses").items():
            self.text("responses", key, text, self.sheet.responses)
        for claim, entry in self.section(data, "verdicts").items():
            self.verdict(claim, entry)

    def tags(self, unit: str, by_layer: Any) -> None:
        if self.version == 1 and isinstance(by_layer, dict):
            by_layer = self.upgraded(unit, by_layer)
        if not isinstance(by_layer, dict):
            self.drop("tags", f"{unit} (not an object of layers)")
            return
        for layer, labels in by_layer.items():
            if not self.prefix.whole(labels):
                self.drop("tags")
            elif not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
                self.drop("tags", f"{unit} {layer} (not a list of labels)")
            else:
                self.labels(unit, layer, labels)

    def upgraded(self, unit: str, by_layer: dict) -> dict:
        """A version-1 unit entry in today's shape (whole layers only)."""
        whole = {k: v for k, v in by_layer.items() if self.prefix.whole(v)}
        for _ in range(len(by_layer) - len(whole)):
            self.drop("tags")
        try:
            old = upgrade({"format": FORMAT, "version": 1, "tags": {unit: whole}})
        except AnswersError:
            return {}
        for label, words in old["cues"].get(unit, {}).items():
            self.sheet.cues.setdefault(unit, {})[label] = list(words)
        return old["tags"].get(unit, {})

    def labels(self, unit: str, layer: str, labels: list[str]) -> None:
        scheme = self.sheet._scheme()
        try:
            known = scheme.layer(layer).label_names
        except MedialitError:
            self.drop("tags", f"{unit} {layer} (no such layer)")
            return
        good = [x for x in labels if x in known]
        self.found.invalid += [f"{unit} {layer} {x!r}" for x in labels if x not in known]
        try:
            if not good:
                raise AnswersError("no valid label left")
            self.sheet.set_tags(unit, layer, good)
        except MedialitError:
            self.drop("tags", None if len(good) < len(labels) else f"{unit} {layer} {labels!r}")

    def cues(self, unit: str, by_label: Any) -> None:
        if not isinstance(by_label, dict):
            self.drop("cues", f"cue words of {unit}")
            return
        for label, words in by_label.items():
            if not self.prefix.whole(words):
                self.drop("cues")
            elif not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                self.drop("cues", f"cue words of {unit} {label}")
            else:
                self.sheet.set_cues(unit, label, words)
        self.sheet._prune_cues(unit)

    def text(self, kind: str, key: str, text: Any, into: dict[str, str]) -> None:
        if not isinstance(text, str):
            self.drop(kind, f"{kind.rstrip('s')} {key}")
        elif kind == "responses" and key.startswith(NONE_PREFIX):
            into[key] = " ".join(text.split())
        elif text.strip():
            into[key] = text

    def verdict(self, claim: str, entry: Any) -> None:
        if not self.prefix.whole(entry):
            self.drop("verdicts")
        elif not isinstance(entry, dict) or entry.get("verdict") not in VERDICTS:
            self.drop("verdicts", f"verdict {claim}")
        else:
            self.sheet.set_verdict(claim, entry["verdict"], str(entry.get("reason") or ""))


# -- keeping the original, and telling the student -------------------------------------------
def keep_aside(path: Path) -> Path:
    """Keep a copy of a damaged file as ``<name>.broken-<time>.json`` beside it; return it.

    The copy is a hard link where the file system allows (instant, byte for byte), else a
    copy; the original stays where it is until the recovered file is written over it, so a
    failed write leaves the student exactly where they were."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    n = 1
    while True:
        suffix = "" if n == 1 else f"-{n}"
        target = path.with_name(f"{path.stem}.broken-{stamp}{suffix}{path.suffix}")
        try:
            os.link(path, target)
            return target
        except FileExistsError:
            n += 1
        except OSError:
            if target.exists():
                n += 1
                continue
            try:
                with path.open("rb") as src, target.open("xb") as dst:
                    shutil.copyfileobj(src, dst)
            except FileExistsError:
                n += 1
                continue
            except BaseException:
                with contextlib.suppress(OSError):
                    target.unlink()
                raise
            return target


def notice(path: Path, found: Salvage, aside: Path, memory: Flat | None = None) -> str:
    """The one sentence a student reads after a recovery (see the module docstring).

    ``memory``: this kernel's own answers, written back with what the file still held."""
    recovered = _amounts(found.kept, found.lost)
    recovered = f"{recovered} recovered" if recovered else "nothing in it could be recovered"
    if memory is not None and any(count(memory).values()):
        recovered += f" and this notebook's own {_amounts(count(memory), {})} written back"
    return (
        f"{path} was damaged ({found.damage}); {recovered}, the original is kept safe as "
        f"{aside} — to go back to it, rename it to {path.name}."
    )


def _amounts(kept: dict[str, int], lost: dict[str, int]) -> str:
    """ "8 of 9 tags, 1 note and 2 answers" (only the kinds that occur)."""
    parts = []
    for kind, (one, many) in _KINDS.items():
        have, begun = kept.get(kind, 0), kept.get(kind, 0) + lost.get(kind, 0)
        if not begun:
            continue
        noun = one if begun == 1 else many
        parts.append(f"{have} {noun}" if have == begun else f"{have} of {begun} {noun}")
    if not parts:
        return ""
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
