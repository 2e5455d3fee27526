"""The claim tagger's view: the article as running text, tagged from the keyboard or the mouse.

``tag("01_anatomy", layers=("role",))`` in a notebook cell shows it. The state lives in
``medialit.tagger_model.TaggerModel`` (saved at once, with undo); this module is only the view.

It is an anywidget (a custom widget whose front end is one ES module, ``static/tagger.js``,
with no JavaScript build step), because the student must be able to tag with the keyboard
inside a notebook, and plain ipywidgets buttons cannot stop JupyterLab's own shortcuts (``m``
turned the tagger's cell into Markdown). The front end:

- shows the article as running text with the current sentence highlighted, and that sentence
  again in large type above the labels;
- moves with a click, the arrow keys or ``j``/``k``; number keys choose labels of the current
  layer (``0``: none), ``←``/``→`` change layer, ``n`` jumps to the next untagged sentence,
  ``u`` or Backspace undoes; a help line lists the keys;
- carries ``data-lm-suppress-shortcuts`` (JupyterLab 4.1+), so JupyterLab's command shortcuts
  do not fire while the tagger has focus, and stops the keys it uses from reaching the notebook;
- is one tab stop for the article (a listbox with ``aria-activedescendant``), then the labels,
  each a named ``button`` with ``aria-pressed``; focus is always visible.

The front end never changes answers itself: it sends an action (``{"type": "choose", "unit":
..., "layer": ..., "label": ..., "on": ...}``) naming the sentence it was on, and ``handle``
applies it through the model, saves, and sends back ``marks`` (every unit's answers). Tests
call ``handle`` with the same actions. Article text reaches the page only as text (the front
end sets ``textContent``), never as HTML.
"""

from __future__ import annotations

import html
import weakref
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anywidget
import pandas as pd
import traitlets

from medialit.article import Article
from medialit.check import CheckReport
from medialit.errors import MedialitError
from medialit.tagger_model import (  # noqa: F401 (re-exported: lessons and tests use them)
    FRAME_COLUMNS,
    NONE_TEXT,
    TaggerModel,
    load_tags,
)

if TYPE_CHECKING:
    from medialit.author_model import AuthorModel

_STATIC = Path(__file__).parent / "static"
_HOW = {"one": "choose one", "any": "choose any number", "optional": "choose one or none"}

#: the newest tagger per answers file, so an older one (a re-run cell) can step aside
_LIVE: dict[str, weakref.ref] = {}


def live_tagger(path: str | Path) -> Tagger | None:
    """The newest tagger in this kernel on this answers file, if one is showing."""
    ref = _LIVE.get(str(Path(path).resolve()))
    widget = ref() if ref is not None else None
    return None if widget is None or widget.retired else widget


def css_name(name: str) -> str:
    """A unit id or label as a CSS class fragment: P1.S2 -> P1-S2, a_b -> a-b."""
    return name.replace(".", "-").replace("_", "-")


class Tagger(anywidget.AnyWidget):
    """The tagger widget. See the module docstring; ``tag(...)`` is the notebook helper."""

    _esm = (_STATIC / "tagger.js").read_text(encoding="utf-8")
    _css = (_STATIC / "tagger.css").read_text(encoding="utf-8")

    #: the article: [{"id", "text", "paragraph", "headline", "tagged_here"}] (static)
    units = traitlets.List().tag(sync=True)
    #: the layers in play: [{"name", "title", "question", "how", "labels": [...], "none"}]
    layers = traitlets.List().tag(sync=True)
    #: index into the tagger's own units (the front end moves it)
    index = traitlets.Int(0).tag(sync=True)
    #: every tagger unit's answers: {unit: {"tagged", "layers": {layer: {...}}, "cues", "note"}}
    marks = traitlets.Dict().tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)
    status_error = traitlets.Bool(False).tag(sync=True)
    notice_text = traitlets.Unicode("").tag(sync=True)
    retired = traitlets.Bool(False).tag(sync=True)
    can_undo = traitlets.Bool(False).tag(sync=True)
    check_html = traitlets.Unicode("").tag(sync=True)
    cue_warning = traitlets.Unicode("").tag(sync=True)
    exercise = traitlets.Unicode("").tag(sync=True)
    #: counts the kernel's answers to the page's actions (even when nothing changed)
    revision = traitlets.Int(0).tag(sync=True)

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
        model = TaggerModel(exercise, layers, article, units, folder, path, student)
        if start is not None:
            model._unit_id(start)
            index = model.ids.index(start)
        else:
            first = model.next_untagged()
            index = 0 if first is None else first
        super().__init__(
            units=unit_items(model),
            layers=layer_items(model),
            index=index,
            notice_text=model.notice or "",
            exercise=exercise,
        )
        self.model = model
        self.reference = reference
        self._cue_warnings: dict[str, str] = {}
        self.on_msg(self._on_front_end)
        self._sync()
        model.file.on_change(self._file_changed)  # another notebook's answers, a recovery
        key = str(model.path.resolve())
        older = _LIVE.get(key)
        if older is not None and older() is not None and older() is not self:
            older().retire()
        _LIVE[key] = weakref.ref(self)

    # -- public ---------------------------------------------------------------------------
    @property
    def current(self) -> str:
        """The id of the unit on show."""
        return self.model.units[self.index].id

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
        self.index = max(0, min(int(target), len(self.model.units) - 1))

    def check(self) -> CheckReport:
        """Compare the tags with the expert reference (see ``medialit.check``)."""
        from medialit.check import _load_reference, check

        if self.reference is None:
            self.reference = _load_reference(self.model.article.key)
        return check(self.model.sheet, self.model.layers, self.reference, self.model.ids)

    def retire(self) -> None:
        """Step aside for a newer tagger on the same file: no more changes from this one."""
        self.retired = True
        self.can_undo = False
        self.status = (
            "This tagger was replaced by a newer one on the same answers file (a re-run cell). "
            "Your choices are saved; use the newest tagger."
        )

    def handle(self, action: dict[str, Any]) -> None:
        """Apply one action from the front end (see the module docstring)."""
        kind = action.get("type")
        if kind == "next_untagged":
            self._next_untagged()
        elif kind == "check":
            self._check()
        elif kind in _CHANGES:
            self._guarded(lambda: _CHANGES[kind](self, action))
        else:
            self._say(f"Unknown action from the page: {kind!r}.", error=True)

    # -- actions --------------------------------------------------------------------------
    def _on_front_end(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict):
            self.handle(content)

    def _unit(self, action: dict[str, Any]) -> str:
        unit = str(action.get("unit") or self.current)
        self.model._unit_id(unit)
        return unit

    def _choose(self, action: dict[str, Any]) -> str:
        unit = self._unit(action)
        self.model.choose(unit, str(action["layer"]), str(action["label"]), bool(action["on"]))
        return self._saved(self.model.last_change)

    def _none(self, action: dict[str, Any]) -> str:
        self.model.set_none(self._unit(action), str(action["layer"]), bool(action["on"]))
        return self._saved(self.model.last_change)

    def _cues(self, action: dict[str, Any]) -> str:
        unit = self._unit(action)
        missing = self.model.set_cues(unit, str(action["label"]), str(action.get("text") or ""))
        if missing:
            self._cue_warnings[unit] = (
                f"Not found in this sentence: {', '.join(repr(w) for w in missing)}. "
                "Check the spelling (your words are saved as you typed them)."
            )
        else:
            self._cue_warnings.pop(unit, None)
        return self._saved(self.model.last_change)

    def _note(self, action: dict[str, Any]) -> str:
        unit = self._unit(action)
        self.model.set_note(unit, str(action.get("text") or ""))
        return self._saved(f"{unit} note")

    def _undo(self, _action: dict[str, Any]) -> str:
        what = self.model.undo_stack[-1].what if self.model.undo_stack else None
        unit = self.model.undo()
        if unit is None:
            return "Nothing to undo."
        self.index = self.model.ids.index(unit)
        return f"Undone: {what}. Saved to {self.model.path}."

    def _next_untagged(self) -> None:
        found = self.model.next_untagged(self.index)
        if found is None:
            self._say("Every sentence is tagged. Press Check to compare.")
        else:
            self.index = found

    def _check(self) -> None:
        try:
            report = self.check()
        except MedialitError as exc:
            self.check_html = f"<p><b>The check could not run:</b> {html.escape(str(exc))}</p>"
            return
        self.check_html = report._repr_html_()

    def _guarded(self, action: Callable[[], str]) -> None:
        """Run a change; say what was saved, or the error; then send the answers again."""
        if self.retired:
            self.retire()
            self._sync()
            return
        try:
            self._say(action())
        except MedialitError as exc:
            self._say(f"Not saved: {exc}", error=True)
        self.notice_text = self.model.notice or ""  # e.g. "also changed in another notebook"
        self._sync()

    def _file_changed(self, _merge: Any) -> None:
        """The answers file brought in changes from elsewhere: draw them."""
        self.notice_text = self.model.notice or ""
        self._sync()

    def _say(self, text: str, error: bool = False) -> None:
        self.status, self.status_error = text, error

    def _saved(self, what: str) -> str:
        return f"Saved to {self.model.path}: {what}."

    # -- what the front end draws ---------------------------------------------------------
    def _sync(self) -> None:
        """Send every unit's answers (small: one dict per unit) and what undo can do."""
        model = self.model
        marks = {}
        for unit in model.ids:
            layers = {}
            for layer in model.layers:
                layers[layer] = {
                    "labels": model.labels(unit, layer),
                    "none": model.is_none(unit, layer),
                    "applies": model.applies(unit, layer),
                }
            marks[unit] = {
                "tagged": model.is_tagged(unit),
                "layers": layers,
                "cues": {label: "; ".join(words) for label, words in _cues(model, unit).items()},
                "note": model.note(unit),
                "warning": self._cue_warnings.get(unit, ""),
            }
        with self.hold_sync():
            self.marks = marks
            self.can_undo = bool(model.undo_stack) and not self.retired
            self.revision += 1


_CHANGES: dict[str, Callable[[Tagger, dict[str, Any]], str]] = {
    "choose": Tagger._choose,
    "none": Tagger._none,
    "cues": Tagger._cues,
    "note": Tagger._note,
    "undo": Tagger._undo,
}


def _cues(model: TaggerModel, unit: str) -> dict[str, list[str]]:
    return dict(model.sheet.cues.get(unit, {}))


def unit_items(model: TaggerModel | AuthorModel) -> list[dict[str, Any]]:
    """Every unit of the article, in order, marked with whether this tagger tags it (the
    front end's ``units``; the author mode sends the same)."""
    mine = set(model.ids)
    return [
        {
            "id": unit.id,
            "text": unit.text,
            "paragraph": unit.paragraph,
            "headline": unit.is_headline,
            "tagged_here": unit.id in mine,
        }
        for unit in model.article.units
    ]


#: why a layer's buttons are closed, for the student
CLOSED_NOTE = (
    "Evidence type applies only to sentences whose role is “evidence”. Choose "
    "the role first; when it is “evidence”, these buttons open."
)


def layer_items(
    model: TaggerModel | AuthorModel, closed_note: str = CLOSED_NOTE
) -> list[dict[str, Any]]:
    """The layers in play with their labels (the front end's ``layers``)."""
    return [
        {
            "name": layer.name,
            "title": layer.title,
            "question": layer.question,
            "how": _HOW[layer.choice],
            "multiple": layer.multiple,
            "labels": [
                {"name": lab.name, "text": lab.name.replace("_", " "), "definition": lab.definition}
                for lab in layer.labels
            ],
            "none": NONE_TEXT.get(layer.name, "none") if model.takes_none(layer.name) else None,
            "closed_note": "" if layer.applies_when is None else closed_note,
        }
        for layer in model.layer_defs
    ]


def tag(exercise: str, layers: Sequence[str] | str = ("role",), **kwargs: Any) -> Tagger:
    """Notebook helper: ``tag("01_anatomy")`` shows the tagger for that exercise."""
    return Tagger(exercise, layers=layers, **kwargs)
