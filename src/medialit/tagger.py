"""The claim tagger: tag an article's sentences, one unit at a time, saved as you go.

``tag("01_anatomy", layers=("role",))`` in a notebook cell shows the widget. It is built
from plain ipywidgets 8 (no front-end build):

- ``TaggerModel`` holds the state (article, layers, the ``AnswerFile``, an undo stack) and
  knows nothing about widgets; every change goes through ``medialit.answers`` and is written
  to disk atomically before the call returns.
- ``Tagger`` (a ``VBox``) is the view: the current sentence with its neighbours, one row of
  labelled toggle buttons per layer, cue-word boxes for devices, a note, navigation
  (Previous / Next / Next untagged / Undo), a Check button, a progress line and an overview
  strip of every unit marked "✓" (tagged) or "·" (not yet), the current one "▶".

Every button has visible text; unit text is escaped before it reaches an ``HTML`` widget.
Keyboard: every control is a focusable button or text box (Tab to move, Space/Enter to press);
ipywidgets offers no key bindings beyond that without a custom front end.

A layer that takes zero labels (devices, frame; evidence when role is not in play) has a
"none" button; choosing it is stored as ``responses["tagger:none:<layer>"]`` (a space-separated
list of unit ids) so that "nothing here" is an answer, not a blank.
"""

from __future__ import annotations

import copy
import html
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd

from medialit.answers import AnswerSheet, answers_path, live_answers, read_answers
from medialit.article import Article, Unit, load_article
from medialit.check import CheckReport, none_key, none_units, student_answer
from medialit.errors import AnswersError, MedialitError
from medialit.scheme import Layer, Scheme, default_scheme

FRAME_COLUMNS = ["student", "exercise", "unit", "layer", "labels", "cues", "note", "answered"]
NONE_TEXT = {"devices": "no device", "frame": "no frame function", "evidence": "not evidence"}


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
        current = self.labels(unit, layer)
        if self.scheme.layer(layer).multiple:
            labels = [*current, label] if on else [x for x in current if x != label]
        else:
            labels = [label] if on else [x for x in current if x != label]
        self.set_labels(unit, layer, labels)

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
        self.undo_stack.append(snap)
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


# ---------------------------------------------------------------------------------------
# The view
# ---------------------------------------------------------------------------------------

#: the newest tagger per answers file, so an older one (a re-run cell) can step aside
_LIVE: dict[str, weakref.ref] = {}


def live_tagger(path: str | Path) -> Tagger | None:
    """The newest tagger in this kernel on this answers file, if one is showing."""
    ref = _LIVE.get(str(Path(path).resolve()))
    widget = ref() if ref is not None else None
    return None if widget is None or widget._retired else widget


def _css(name: str) -> str:
    return name.replace(".", "-").replace("_", "-")


def _button(text: str, css: str, tooltip: str = "") -> widgets.Button:
    button = widgets.Button(description=text, tooltip=tooltip, layout=widgets.Layout(width="auto"))
    button.add_class(css)
    return button


class Tagger(widgets.VBox):
    """The tagger widget. See the module docstring; ``tag(...)`` is the notebook helper."""

    def __init__(
        self,
        exercise: str,
        layers: Sequence[str] | str = ("role",),
        article: str | Path | Article = "seed",
        units: Sequence[str] | None = None,
        folder: str | Path | None = None,
        path: str | Path | None = None,
        student: str | None = None,
        reference: Any = None,
        start: str | None = None,
    ) -> None:
        super().__init__()
        self.model = TaggerModel(exercise, layers, article, units, folder, path, student)
        self.reference = reference
        self._syncing = False
        self._retired = False
        self._cue_warnings: dict[str, str] = {}
        self._build()
        self.add_class("medialit-tagger")
        self._index = 0
        if start is not None:
            self.model._unit_id(start)
            self._index = self.model.ids.index(start)
        else:
            first = self.model.next_untagged()
            self._index = 0 if first is None else first
        self._show()
        key = str(self.model.path.resolve())
        older = _LIVE.get(key)
        if older is not None and older() is not None and older() is not self:
            older().retire()
        _LIVE[key] = weakref.ref(self)

    # -- building -----------------------------------------------------------------------
    def _build(self) -> None:
        model = self.model
        self.notice_html = widgets.HTML()
        self.notice_html.add_class("medialit-notice")
        if model.notice:
            self.notice_html.value = (
                '<div style="border:2px solid #b36200;padding:6px;margin:4px 0">'
                f"<b>⚠ Please read:</b> {html.escape(model.notice)}</div>"
            )
        self.progress_html = widgets.HTML()
        self.progress_html.add_class("medialit-progress")
        self.overview_buttons: dict[str, widgets.Button] = {}
        for unit in model.units:
            button = _button(unit.id, "medialit-overview-unit", tooltip=_short(unit.text))
            button.add_class(f"medialit-unit-{_css(unit.id)}")
            button.on_click(self._jump_handler(unit.id))
            self.overview_buttons[unit.id] = button
        self.overview = widgets.HBox(
            list(self.overview_buttons.values()), layout=widgets.Layout(flex_flow="row wrap")
        )
        self.overview.add_class("medialit-overview")
        self.unit_html = widgets.HTML()
        self.unit_html.add_class("medialit-unit")
        self.unit_html.add_class("medialit-unit-current")

        self.label_buttons: dict[str, dict[str, widgets.ToggleButton]] = {}
        self.none_buttons: dict[str, widgets.ToggleButton] = {}
        self.layer_notes: dict[str, widgets.HTML] = {}
        self.cue_inputs: dict[str, widgets.Text] = {}
        self.cue_rows: dict[str, widgets.HBox] = {}
        self.cue_warning = widgets.HTML()
        self.cue_warning.add_class("medialit-cue-warning")
        layer_boxes = []
        for layer in model.layer_defs:
            how = {
                "one": "choose one",
                "any": "choose any number",
                "optional": "choose one or none",
            }
            head = widgets.HTML(
                f"<b>{html.escape(layer.title)}</b> — {html.escape(layer.question)} "
                f"<i>({how[layer.choice]})</i>"
            )
            buttons = {}
            for lab in layer.labels:
                toggle = widgets.ToggleButton(
                    description=lab.name.replace("_", " "),
                    tooltip=lab.definition,
                    layout=widgets.Layout(width="auto"),
                )
                toggle.add_class("medialit-label")
                toggle.add_class(f"medialit-label-{layer.name}-{lab.name}")
                toggle.observe(self._label_handler(layer.name, lab.name), "value")
                buttons[lab.name] = toggle
            self.label_buttons[layer.name] = buttons
            row = list(buttons.values())
            if model.takes_none(layer.name):
                toggle = widgets.ToggleButton(
                    description=NONE_TEXT.get(layer.name, "none"),
                    tooltip=f"Nothing in the {layer.title.lower()} layer applies here",
                    layout=widgets.Layout(width="auto"),
                )
                toggle.add_class("medialit-label")
                toggle.add_class(f"medialit-label-{layer.name}-none")
                toggle.observe(self._none_handler(layer.name), "value")
                self.none_buttons[layer.name] = toggle
                row.append(toggle)
            note = widgets.HTML()
            note.add_class(f"medialit-layer-note-{layer.name}")
            self.layer_notes[layer.name] = note
            parts = [head, widgets.HBox(row, layout=widgets.Layout(flex_flow="row wrap")), note]
            if layer.multiple:
                for lab in layer.labels:
                    text = widgets.Text(
                        placeholder="the words that carry it, separated by ;",
                        continuous_update=False,
                        layout=widgets.Layout(width="28em"),
                    )
                    text.add_class(f"medialit-cues-{lab.name}")
                    text.observe(self._cue_handler(lab.name), "value")
                    self.cue_inputs[lab.name] = text
                    label = widgets.Label(f"Cue words for {lab.name.replace('_', ' ')}:")
                    self.cue_rows[lab.name] = widgets.HBox([label, text])
                parts += [*self.cue_rows.values(), self.cue_warning]
            box = widgets.VBox(parts)
            box.add_class(f"medialit-layer-{layer.name}")
            layer_boxes.append(box)
        self.layer_boxes = layer_boxes

        self.note = widgets.Textarea(
            placeholder="A short note on this sentence (optional): why did you choose this?",
            continuous_update=False,
            layout=widgets.Layout(width="100%", height="3.5em"),
        )
        self.note.add_class("medialit-note")
        self.note.observe(self._note_handler, "value")

        self.prev_button = _button("◀ Previous", "medialit-prev", "the sentence before")
        self.next_button = _button("Next ▶", "medialit-next", "the sentence after")
        self.next_untagged_button = _button(
            "Next untagged »", "medialit-next-untagged", "jump to the next sentence not tagged yet"
        )
        self.undo_button = _button("↶ Undo", "medialit-undo", "undo your last change")
        self.check_button = _button(
            "Check against the expert", "medialit-check", "compare the sentences you tagged"
        )
        self.prev_button.on_click(lambda _: self.go(self._index - 1))
        self.next_button.on_click(lambda _: self.go(self._index + 1))
        self.next_untagged_button.on_click(self._on_next_untagged)
        self.undo_button.on_click(self._on_undo)
        self.check_button.on_click(self._on_check)
        nav = widgets.HBox(
            [
                self.prev_button,
                self.next_button,
                self.next_untagged_button,
                self.undo_button,
                self.check_button,
            ],
            layout=widgets.Layout(flex_flow="row wrap"),
        )
        self.status_html = widgets.HTML()
        self.status_html.add_class("medialit-status")
        self.check_html = widgets.HTML()
        self.check_html.add_class("medialit-check-output")
        self.children = [
            self.notice_html,
            self.progress_html,
            self.overview,
            self.unit_html,
            *layer_boxes,
            self.note,
            nav,
            self.status_html,
            self.check_html,
        ]

    # -- public ---------------------------------------------------------------------------
    @property
    def current(self) -> str:
        """The id of the unit on show."""
        return self.model.units[self._index].id

    @property
    def path(self) -> Path:
        return self.model.path

    @property
    def notice(self) -> str | None:
        return self.model.notice

    @property
    def answers(self) -> dict[str, Any]:
        """The saved answers as a plain dict (the file's content)."""
        return self.model.sheet.to_dict()

    def to_frame(self) -> pd.DataFrame:
        """One row per unit and layer in play (every unit, tagged or not)."""
        return self.model.to_frame()

    def go(self, target: int | str) -> None:
        """Show a unit, by index or id (out-of-range indexes stop at the ends)."""
        if isinstance(target, str):
            self.model._unit_id(target)
            target = self.model.ids.index(target)
        self._index = max(0, min(int(target), len(self.model.units) - 1))
        self._show()

    def check(self) -> CheckReport:
        """Compare the tags with the expert reference (see ``medialit.check``)."""
        from medialit.check import _load_reference, check

        if self.reference is None:
            self.reference = _load_reference(self.model.article.key)
        return check(self.model.sheet, self.model.layers, self.reference, self.model.ids)

    def retire(self) -> None:
        """Step aside for a newer tagger on the same file: no more changes from this one."""
        self._retired = True
        self.status_html.value = (
            "<b>This tagger was replaced by a newer one on the same answers file</b> "
            "(a re-run cell). Your choices are saved; use the newest tagger."
        )
        for box in self._controls():
            box.disabled = True

    # -- handlers -----------------------------------------------------------------------
    def _controls(self) -> list[widgets.DOMWidget]:
        controls: list[widgets.DOMWidget] = [
            b for buttons in self.label_buttons.values() for b in buttons.values()
        ]
        controls += [*self.none_buttons.values(), *self.cue_inputs.values(), self.note]
        controls += [self.undo_button, self.check_button]
        return controls

    def _guarded(self, action: Callable[[], str | None]) -> None:
        """Run a change; show what was saved, or the error, then redraw from the model."""
        if self._syncing:
            return
        if self._retired:
            self._show()
            return
        try:
            saved = action()
        except MedialitError as exc:
            self.status_html.value = f"<b>⚠ Not saved:</b> {html.escape(str(exc))}"
            self.status_html.add_class("medialit-error")
        else:
            self.status_html.remove_class("medialit-error")
            if saved:
                self.status_html.value = html.escape(saved)
        self._show()

    def _saved(self, what: str) -> str:
        return f"Saved to {self.model.path}: {what}."

    def _label_handler(self, layer: str, label: str) -> Callable[[dict], None]:
        def handler(change: dict) -> None:
            def action() -> str:
                unit = self.current
                self.model.choose(unit, layer, label, bool(change["new"]))
                return self._saved(self.model.undo_stack[-1].what)

            self._guarded(action)

        return handler

    def _none_handler(self, layer: str) -> Callable[[dict], None]:
        def handler(change: dict) -> None:
            def action() -> str:
                self.model.set_none(self.current, layer, bool(change["new"]))
                return self._saved(self.model.undo_stack[-1].what)

            self._guarded(action)

        return handler

    def _cue_handler(self, label: str) -> Callable[[dict], None]:
        def handler(change: dict) -> None:
            def action() -> str:
                unit = self.current
                missing = self.model.set_cues(unit, label, change["new"] or "")
                if missing:
                    self._cue_warnings[unit] = (
                        f"Not found in this sentence: {', '.join(repr(w) for w in missing)}. "
                        "Check the spelling (your words are saved as you typed them)."
                    )
                else:
                    self._cue_warnings.pop(unit, None)
                return self._saved(self.model.undo_stack[-1].what)

            self._guarded(action)

        return handler

    def _note_handler(self, change: dict) -> None:
        def action() -> str:
            self.model.set_note(self.current, change["new"] or "")
            return self._saved(f"{self.current} note")

        self._guarded(action)

    def _jump_handler(self, unit: str) -> Callable[[widgets.Button], None]:
        return lambda _button: self.go(unit)

    def _on_next_untagged(self, _button: widgets.Button | None = None) -> None:
        index = self.model.next_untagged(self._index)
        if index is None:
            self.status_html.value = "Every sentence is tagged. Press Check to compare."
            return
        self.go(index)

    def _on_undo(self, _button: widgets.Button | None = None) -> None:
        def action() -> str:
            snap_what = self.model.undo_stack[-1].what if self.model.undo_stack else None
            unit = self.model.undo()
            if unit is None:
                return "Nothing to undo."
            self._index = self.model.ids.index(unit)
            return f"Undone: {snap_what}. Saved to {self.model.path}."

        self._guarded(action)

    def _on_check(self, _button: widgets.Button | None = None) -> None:
        try:
            report = self.check()
        except MedialitError as exc:
            self.check_html.value = (
                f"<p><b>The check could not run:</b> {html.escape(str(exc))}</p>"
            )
            return
        self.check_html.value = report._repr_html_()

    # -- drawing ------------------------------------------------------------------------
    def _show(self) -> None:
        """Bring every widget in line with the model (without triggering the handlers)."""
        model = self.model
        unit = model.units[self._index]
        self._syncing = True
        try:
            done, total = model.progress()
            self.progress_html.value = (
                f"<b>{done} of {total} tagged</b> · sentence {self._index + 1} of {total} "
                f"({html.escape(unit.id)})"
            )
            for uid, button in self.overview_buttons.items():
                mark = "✓" if model.is_tagged(uid) else "·"
                here = uid == unit.id
                text = f"{'▶ ' if here else ''}{mark} {uid}"
                if button.description != text:
                    button.description = text
                if here:
                    button.add_class("medialit-unit-current")
                    button.button_style = "info"
                else:
                    button.remove_class("medialit-unit-current")
                    button.button_style = ""
                if mark == "✓":
                    button.add_class("medialit-unit-tagged")
                else:
                    button.remove_class("medialit-unit-tagged")
            self.unit_html.value = self._unit_markup(unit)
            for layer in model.layers:
                chosen = set(model.labels(unit.id, layer))
                applies = model.applies(unit.id, layer)
                for label, toggle in self.label_buttons[layer].items():
                    toggle.value = label in chosen
                    toggle.disabled = self._retired or not applies
                    toggle.icon = "check" if label in chosen else ""
                if layer in self.none_buttons:
                    self.none_buttons[layer].value = model.is_none(unit.id, layer)
                    self.none_buttons[layer].disabled = self._retired or not applies
                self.layer_notes[layer].value = (
                    ""
                    if applies
                    else "<i>Evidence type applies only to sentences whose role is "
                    "“evidence”. Choose the role above first; when it is “evidence”, these "
                    "buttons open.</i>"
                )
                if model.scheme.layer(layer).multiple:
                    for label, row in self.cue_rows.items():
                        on = label in chosen
                        row.layout.display = "" if on else "none"
                        self.cue_inputs[label].value = "; ".join(model.cues(unit.id, label))
                        self.cue_inputs[label].disabled = self._retired
                    self.cue_warning.value = html.escape(self._cue_warnings.get(unit.id, ""))
            self.note.value = model.note(unit.id)
            self.prev_button.disabled = self._index == 0
            self.next_button.disabled = self._index == len(model.units) - 1
            self.undo_button.disabled = self._retired or not model.undo_stack
        finally:
            self._syncing = False

    def _unit_markup(self, unit: Unit) -> str:
        units = self.model.article.units
        at = self.model.article.ids.index(unit.id)
        before = units[at - 1] if at > 0 else None
        after = units[at + 1] if at + 1 < len(units) else None
        parts = []
        if before is not None:
            parts.append(
                f'<div style="color:#555;font-size:90%">{html.escape(before.id)} '
                f"{html.escape(before.text)}</div>"
            )
        kind = " (headline)" if unit.is_headline else ""
        parts.append(
            '<div class="medialit-unit-text" style="background:#fff6d5;border-left:6px solid '
            '#b36200;padding:6px 10px;margin:4px 0;font-size:115%">'
            f"<b>▶ {html.escape(unit.id)}{kind}</b> {html.escape(unit.text)}</div>"
        )
        if after is not None:
            parts.append(
                f'<div style="color:#555;font-size:90%">{html.escape(after.id)} '
                f"{html.escape(after.text)}</div>"
            )
        return "".join(parts)


def _short(text: str, size: int = 90) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def tag(exercise: str, layers: Sequence[str] | str = ("role",), **kwargs: Any) -> Tagger:
    """Notebook helper: ``tag("01_anatomy")`` shows the tagger for that exercise."""
    return Tagger(exercise, layers=layers, **kwargs)
