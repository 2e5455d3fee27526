"""The claim tagger's state, kept apart from any widget: what is tagged, saved at once.

``TaggerModel`` holds an article's units, the layers in play, the kernel's ``AnswerFile`` for
the exercise (``medialit.answers.live_answers``, shared with the lesson's other widgets) and
an undo stack. Every change goes through ``medialit.answers`` and is on disk before the call
returns. The view (``medialit.tagger``) only turns the student's clicks and keys into calls
here and draws what this says; tests drive this class directly, without a front end.
``load_tags`` reads a student's tags as a table without any widget.

A layer that takes zero labels (devices, frame; evidence when role is not in play) has a
"none" answer; choosing it is stored as ``responses["tagger:none:<layer>"]`` (a
space-separated list of unit ids) so that "nothing here" is an answer, not a blank.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from medialit.answers import AnswerSheet, answers_path, live_answers, read_answers
from medialit.article import Article, Unit, load_article
from medialit.check import none_key, none_units, student_answer
from medialit.errors import AnswersError, MedialitError
from medialit.scheme import Layer, Scheme, default_scheme

FRAME_COLUMNS = ["student", "exercise", "unit", "layer", "labels", "cues", "note", "answered"]
NONE_TEXT = {"devices": "no device", "frame": "no frame function", "evidence": "not evidence"}


def toggled(current: Sequence[str], label: str, on: bool, multiple: bool) -> list[str]:
    """The labels after a label button is pressed on (added; in a single-choice layer it
    replaces the others) or off (removed). The author mode chooses by the same rule."""
    if not on:
        return [x for x in current if x != label]
    return [*current, label] if multiple else [label]


@dataclass(frozen=True)
class _Snapshot:
    unit: str
    tags: dict[str, list[str]] | None
    cues: dict[str, list[str]] | None
    note: str | None
    none: dict[str, bool]
    what: str


class TaggerModel:
    """The tagger's state, kept apart from any widget. Every change is saved at once."""

    def __init__(
        self,
        exercise: str,
        layers: Sequence[str] | str = ("role",),
        article: str | Path | Article = "seed",
        units: Sequence[str] | None = None,
        folder: str | Path | None = None,
        path: str | Path | None = None,
        student: str | None = None,
        scheme: Scheme | None = None,
    ) -> None:
        self.scheme = scheme or default_scheme()
        layers = (layers,) if isinstance(layers, str) else tuple(layers)
        if not layers:
            raise MedialitError(
                "The tagger needs at least one layer, e.g. layers=('role',). "
                f"The layers are {', '.join(self.scheme.layer_names)}."
            )
        self.layer_defs: list[Layer] = [self.scheme.layer(name) for name in layers]
        self.layers = tuple(layer.name for layer in self.layer_defs)
        self.article = article if isinstance(article, Article) else load_article(article)
        if units is None:
            self.units: list[Unit] = list(self.article.units)
        else:
            self.units = [self.article.unit(u) for u in units]
            if not self.units:
                raise MedialitError("The tagger needs at least one unit; leave units=None for all.")
        # the kernel's one AnswerFile for this path, shared with the choice widgets
        self.file = live_answers(
            exercise,
            folder=folder,
            path=path,
            student=student,
            article=self.article.key,
            scheme=self.scheme,
        )
        sheet = self.file.sheet
        if sheet.article != self.article.key:
            if sheet.tags or sheet.notes:
                raise AnswersError(
                    f"{self.file.path} holds tags for the article {sheet.article!r}, not "
                    f"{self.article.key!r}. Use another exercise name or folder for this article."
                )
            sheet.article = self.article.key  # a sheet with no tags yet (e.g. only a choice)
        self.undo_stack: list[_Snapshot] = []
        #: what the last change did, in words ("P1.S1 role = claim"), for the view to say
        self.last_change = ""

    # -- reading ------------------------------------------------------------------------
    @property
    def sheet(self) -> AnswerSheet:
        return self.file.sheet

    @property
    def path(self) -> Path:
        return self.file.path

    @property
    def notice(self) -> str | None:
        return self.file.notice

    @property
    def ids(self) -> list[str]:
        return [u.id for u in self.units]

    def labels(self, unit: str, layer: str) -> list[str]:
        return self.sheet.get_tags(unit, layer)

    def cues(self, unit: str, label: str) -> list[str]:
        return self.sheet.get_cues(unit, label)

    def note(self, unit: str) -> str:
        return self.sheet.notes.get(unit, "")

    def is_none(self, unit: str, layer: str) -> bool:
        return unit in none_units(self.sheet, layer)

    def takes_none(self, layer: str) -> bool:
        """Does this layer offer a "none" answer in the tagger?"""
        if layer == "evidence":
            return "role" not in self.layers
        return not self.scheme.layer(layer).required

    def applies(self, unit: str, layer: str) -> bool:
        """Does the layer apply to the unit (evidence only once role = evidence)?"""
        layer_def = self.scheme.layer(layer)
        if layer_def.applies_when is None:
            return True
        other, _ = layer_def.applies_when
        if other not in self.layers and not self.sheet.get_tags(unit, other):
            return True  # nothing tells us otherwise: let the student decide
        return layer_def.applies(self.sheet.tags.get(unit, {}))

    def answered(self, unit: str, layer: str) -> bool:
        return student_answer(self.sheet, unit, layer)[0]

    def is_tagged(self, unit: str) -> bool:
        """Every layer in play has an answer for this unit."""
        return all(self.answered(unit, layer) for layer in self.layers)

    def progress(self) -> tuple[int, int]:
        """(tagged units, all units)."""
        return sum(self.is_tagged(u) for u in self.ids), len(self.units)

    def next_untagged(self, after: int = -1) -> int | None:
        """Index of the first untagged unit after ``after`` (wrapping round), or None."""
        n = len(self.units)
        for step in range(1, n + 1):
            i = (after + step) % n
            if not self.is_tagged(self.units[i].id):
                return i
        return None

    # -- changing -----------------------------------------------------------------------
    def choose(self, unit: str, layer: str, label: str, on: bool = True) -> None:
        """Switch one label on or off (single-choice layers replace the previous label)."""
        multiple = self.scheme.layer(layer).multiple
        self.set_labels(unit, layer, toggled(self.labels(unit, layer), label, on, multiple))

    def set_labels(self, unit: str, layer: str, labels: Sequence[str]) -> None:
        """Set a unit's labels in one layer and save (role ≠ evidence clears evidence)."""
        self._unit_id(unit)
        text = ", ".join(labels) if labels else "nothing"

        def change() -> None:
            self.sheet.set_tags(unit, layer, list(labels))
            if labels:
                self._mark_none(unit, layer, False)
            if layer == "role" and "evidence" not in labels:
                self.sheet.set_tags(unit, "evidence", [])
                self._mark_none(unit, "evidence", False)

        self._commit(unit, f"{unit} {layer} = {text}", change)

    def set_none(self, unit: str, layer: str, on: bool = True) -> None:
        """Mark (or unmark) a unit as having no label in a layer that allows none."""
        self._unit_id(unit)

        def change() -> None:
            if on:
                self.sheet.set_tags(unit, layer, [])
            self._mark_none(unit, layer, on)

        what = NONE_TEXT.get(layer, "none") if on else f"{layer} cleared"
        self._commit(unit, f"{unit} {layer}: {what}", change)

    def set_cues(self, unit: str, label: str, words: Sequence[str] | str) -> list[str]:
        """Save the cue words for a device label; return those not found in the sentence."""
        text = self.article.unit(unit).text.lower()
        self._commit(
            unit, f"{unit} cue words for {label}", lambda: self.sheet.set_cues(unit, label, words)
        )
        return [w for w in self.cues(unit, label) if w.lower() not in text]

    def set_note(self, unit: str, text: str) -> None:
        self._commit(unit, f"{unit} note", lambda: self.sheet.set_note(unit, text))

    def undo(self) -> str | None:
        """Undo the last change (and save); return the unit it touched, or None."""
        if not self.undo_stack:
            return None
        snap = self.undo_stack.pop()
        self._restore(snap)
        self.file.save()
        return snap.unit

    def _unit_id(self, unit: str) -> None:
        if unit not in self.ids:
            raise MedialitError(
                f"{unit!r} is not one of the units in this tagger ({self.ids[0]} to "
                f"{self.ids[-1]})."
            )

    def _mark_none(self, unit: str, layer: str, on: bool) -> None:
        marked = none_units(self.sheet, layer)
        if on:
            marked.add(unit)
        else:
            marked.discard(unit)
        order = {u: i for i, u in enumerate(self.article.ids)}
        text = " ".join(sorted(marked, key=lambda u: order.get(u, len(order))))
        self.sheet.set_response(none_key(layer), text)

    def _snapshot(self, unit: str, what: str) -> _Snapshot:
        sheet = self.sheet
        return _Snapshot(
            unit=unit,
            tags=copy.deepcopy(sheet.tags.get(unit)),
            cues=copy.deepcopy(sheet.cues.get(unit)),
            note=sheet.notes.get(unit),
            none={layer: self.is_none(unit, layer) for layer in self.scheme.layer_names},
            what=what,
        )

    def _restore(self, snap: _Snapshot) -> None:
        sheet = self.sheet
        for store, value in ((sheet.tags, snap.tags), (sheet.cues, snap.cues)):
            if value is None:
                store.pop(snap.unit, None)
            else:
                store[snap.unit] = copy.deepcopy(value)
        if snap.note is None:
            sheet.notes.pop(snap.unit, None)
        else:
            sheet.notes[snap.unit] = snap.note
        for layer, on in snap.none.items():
            if on != self.is_none(snap.unit, layer):
                self._mark_none(snap.unit, layer, on)

    def _commit(self, unit: str, what: str, change: Callable[[], None]) -> None:
        """Apply a change, remember how to undo it, and save. A failed save keeps the change
        in memory (it is written with the next successful save) and raises a clear error."""
        snap = self._snapshot(unit, what)
        change()
        self.last_change = what
        after = self._snapshot(unit, what)
        if (after.tags, after.cues, after.note, after.none) != (
            snap.tags,
            snap.cues,
            snap.note,
            snap.none,
        ):
            self.undo_stack.append(snap)  # a change that changed nothing is not undone later
        self.file.save()  # AnswersSaveError (a clear message) if the disk refuses

    # -- answers as data ----------------------------------------------------------------
    def to_frame(self) -> pd.DataFrame:
        return _frame(self.sheet, self.ids, self.layers)


def _frame(sheet: AnswerSheet, unit_ids: Sequence[str], layers: Sequence[str]) -> pd.DataFrame:
    rows = []
    for unit in unit_ids:
        for layer in layers:
            answered, labels = student_answer(sheet, unit, layer)
            cue_words = [w for lab in labels for w in sheet.get_cues(unit, lab)]
            rows.append(
                {
                    "student": sheet.student,
                    "exercise": sheet.exercise,
                    "unit": unit,
                    "layer": layer,
                    "labels": labels,
                    "cues": tuple(cue_words),
                    "note": sheet.notes.get(unit, ""),
                    "answered": answered,
                }
            )
    return pd.DataFrame(rows, columns=FRAME_COLUMNS)


def load_tags(
    exercise: str,
    layers: Sequence[str] | str = ("role",),
    folder: str | Path | None = None,
    path: str | Path | None = None,
    article: str | Path | None = None,
) -> pd.DataFrame:
    """A student's tags as ``Tagger.to_frame()`` gives them, read from disk without a widget.

    Nothing on disk changes. A missing file (the student never tagged) gives a frame with
    every unit untagged and prints one sentence saying so; a corrupt file raises
    ``AnswersError`` naming the file. The frame's ``attrs["message"]`` holds that sentence.
    """
    layers = (layers,) if isinstance(layers, str) else tuple(layers)
    scheme = default_scheme()
    for layer in layers:
        scheme.layer(layer)
    file = Path(path) if path is not None else answers_path(exercise, folder)
    message = ""
    if file.exists():
        sheet = read_answers(file, scheme=scheme)
    else:
        sheet = AnswerSheet(exercise=exercise, article=str(article or "seed"), scheme=scheme)
        message = (
            f"No saved answers for {exercise} yet ({file}): every sentence counts as untagged."
        )
        print(message)
    try:
        unit_ids = load_article(article or sheet.article).ids
    except MedialitError:
        unit_ids = list(sheet.tags)
    frame = _frame(sheet, unit_ids, layers)
    frame.attrs["message"] = message
    return frame
