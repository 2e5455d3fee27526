"""What the claim tagger and the author mode share as views: an anywidget driven by actions.

Both widgets (``medialit.tagger.Tagger`` for students, ``medialit.author.Author`` for
instructors) draw one front end, ``static/tagger.js``, and talk to it the same way: the page
never changes anything itself; it sends an action (``{"type": "choose", "unit": ..., ...}``)
naming the unit it was on, and ``handle`` applies it through the widget's model (which saves
at once), says what was saved or what went wrong in ``status``, and sends every unit's state
back in ``marks``. A newer widget on the same file retires the older one (a re-run cell), so
two views never write one file.

``ActionView`` holds that plumbing and the traits the page reads; a subclass names its
model's changes in ``CHANGES`` (action type -> method name) and says how to draw a unit
(``_marks``), run the check (``_check``), find the next open unit (``_next_open``) and
undo (``_undo``). The state lives in the model, never here, so tests can drive either.
``unit_items`` and ``layer_items`` are the page's ``units`` and ``layers`` for both.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import anywidget
import traitlets

from medialit.errors import MedialitError
from medialit.tagger_model import NONE_TEXT

_STATIC = Path(__file__).parent / "static"
_HOW = {"one": "choose one", "any": "choose any number", "optional": "choose one or none"}


def live_view(cls: type[ActionView], path: str | Path) -> ActionView | None:
    """The newest widget of this class in this kernel on this file, if one is showing."""
    ref = cls._live.get(str(Path(path).resolve()))
    widget = ref() if ref is not None else None
    return None if widget is None or widget.retired else widget


class ActionView(anywidget.AnyWidget):
    """An anywidget view on a model, driven by the page's actions (see the module docstring)."""

    _esm = (_STATIC / "tagger.js").read_text(encoding="utf-8")
    _css = (_STATIC / "tagger.css").read_text(encoding="utf-8")

    #: the article: [{"id", "text", "paragraph", "headline", "tagged_here"}] (static)
    units = traitlets.List().tag(sync=True)
    #: the layers in play: [{"name", "title", "question", "how", "labels": [...], "none"}]
    layers = traitlets.List().tag(sync=True)
    #: index into the widget's own units (the front end moves it)
    index = traitlets.Int(0).tag(sync=True)
    #: every unit's state: {unit: {"tagged", "layers": {layer: {...}}, "cues", "note", ...}}
    marks = traitlets.Dict().tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)
    status_error = traitlets.Bool(False).tag(sync=True)
    notice_text = traitlets.Unicode("").tag(sync=True)
    retired = traitlets.Bool(False).tag(sync=True)
    can_undo = traitlets.Bool(False).tag(sync=True)
    check_html = traitlets.Unicode("").tag(sync=True)
    exercise = traitlets.Unicode("").tag(sync=True)
    #: counts the kernel's answers to the page's actions (even when nothing changed)
    revision = traitlets.Int(0).tag(sync=True)

    #: the newest view per file, so an older one (a re-run cell) can step aside; each widget
    #: class sets its own (``add_traits`` makes a subclass per instance, so not ``type(self)``)
    _live: ClassVar[dict[str, weakref.ref]]
    #: the actions that change the model: action type -> name of the method applying it
    #: (these four come from the student's tagger, which the author mode draws too)
    CHANGES: ClassVar[dict[str, str]] = {
        "choose": "_choose",
        "none": "_none",
        "cues": "_cues",
        "undo": "_undo",
    }
    #: what a retired view says, and whether as an error
    REPLACED: ClassVar[str] = "This view was replaced by a newer one on the same file."
    REPLACED_IS_ERROR: ClassVar[bool] = False
    #: what ``next_untagged`` says when nothing is left to do
    ALL_DONE: ClassVar[str] = "Everything is done."
    #: what follows the cue words a sentence does not have
    CUE_HINT: ClassVar[str] = "Check the spelling (saved as you typed them)."

    def __init__(self, model: Any, start: str | None = None, **traits: Any) -> None:
        """Show ``model`` (it has ``ids``, ``path``, ``undo_stack`` and ``last_change``) at the
        unit ``start`` (default: the first still to do), with these ``traits``; retire an
        older view of this class on the same file."""
        self.model = model  # first: the hooks that find the start read it
        index = self._index_of(start) if start is not None else self._next_open(-1) or 0
        super().__init__(index=index, **traits)
        self._cue_warnings: dict[str, str] = {}
        self.on_msg(self._on_front_end)
        self._sync()
        key = str(model.path.resolve())
        older = self._live.get(key)
        older_view = older() if older is not None else None
        if older_view is not None and older_view is not self:
            older_view.retire()
        self._live[key] = weakref.ref(self)

    # -- public ---------------------------------------------------------------------------
    @property
    def current(self) -> str:
        """The id of the unit on show."""
        return self.model.ids[self.index]

    @property
    def path(self) -> Path:
        return self.model.path

    def go(self, target: int | str) -> None:
        """Show a unit, by index or id (out-of-range indexes stop at the ends)."""
        if isinstance(target, str):
            target = self._index_of(target)
        self.index = max(0, min(int(target), len(self.model.ids) - 1))

    def retire(self) -> None:
        """Step aside for a newer view on the same file: no more changes from this one."""
        self.retired = True
        self.can_undo = False
        self._say(self.REPLACED, error=self.REPLACED_IS_ERROR)

    def handle(self, action: dict[str, Any]) -> None:
        """Apply one action from the front end (see the module docstring)."""
        kind = action.get("type")
        if kind == "next_untagged":
            found = self._next_open(self.index)
            if found is None:
                self._say(self.ALL_DONE)
            else:
                self.index = found
        elif kind == "check":
            self._check()
        elif kind in self.CHANGES:
            change = getattr(self, self.CHANGES[kind])
            self._guarded(lambda: change(action))
        else:
            self._say(f"Unknown action from the page: {kind!r}.", error=True)

    # -- what a subclass says -------------------------------------------------------------
    def _known(self, unit: str) -> None:
        """Raise MedialitError unless ``unit`` is one of this view's units."""
        raise NotImplementedError

    def _next_open(self, after: int) -> int | None:
        """Index of the next unit still to do after ``after`` (wrapping round), or None."""
        raise NotImplementedError

    def _check(self) -> None:
        """Run the check and put what it says in ``check_html``."""
        raise NotImplementedError

    def _marks(self) -> dict[str, Any]:
        """Every unit's state as the page draws it (``marks``)."""
        raise NotImplementedError

    def _none(self, action: dict[str, Any]) -> str:
        """The layer's "no label" button, on or off."""
        raise NotImplementedError

    def _undo(self, action: dict[str, Any]) -> str:
        """Undo the last change; say what was undone."""
        raise NotImplementedError

    def _after_change(self) -> None:
        """Anything else to draw after a change, before the marks are sent (nothing here)."""

    # -- actions both share ---------------------------------------------------------------
    def _on_front_end(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict):
            self.handle(content)

    def _index_of(self, unit: str) -> int:
        self._known(unit)
        return self.model.ids.index(unit)

    def _unit(self, action: dict[str, Any]) -> str:
        unit = str(action.get("unit") or self.current)
        self._known(unit)
        return unit

    def _choose(self, action: dict[str, Any]) -> str:
        unit = self._unit(action)
        self.model.choose(unit, str(action["layer"]), str(action["label"]), bool(action["on"]))
        return self._saved()

    def _cues(self, action: dict[str, Any]) -> str:
        unit = self._unit(action)
        missing = self.model.set_cues(unit, str(action["label"]), str(action.get("text") or ""))
        if missing:
            self._cue_warnings[unit] = (
                f"Not found in this sentence: {', '.join(repr(w) for w in missing)}. "
                + self.CUE_HINT
            )
        else:
            self._cue_warnings.pop(unit, None)
        return self._saved()

    def _guarded(self, action: Callable[[], str]) -> None:
        """Run a change; say what was saved, or the error; then send the marks again."""
        if self.retired:
            self.retire()
            self._sync()
            return
        try:
            self._say(action())
        except MedialitError as exc:
            self._say(f"Not saved: {exc}", error=True)
        self._after_change()
        self._sync()

    def _say(self, text: str, error: bool = False) -> None:
        self.status, self.status_error = text, error

    def _saved(self, what: str | None = None) -> str:
        """What a change says: where it is saved and what it was (the model's last change)."""
        return f"Saved to {self.model.path}: {self.model.last_change if what is None else what}."

    def _sync(self) -> None:
        """Send every unit's state (small: one dict per unit) and what undo can do."""
        marks = self._marks()
        with self.hold_sync():
            self.marks = marks
            self.can_undo = bool(self.model.undo_stack) and not self.retired
            self.revision += 1


def unit_items(model: Any) -> list[dict[str, Any]]:
    """Every unit of the article, in order, marked with whether this view shows it for
    tagging (the front end's ``units``)."""
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


def layer_items(model: Any, closed_note: str) -> list[dict[str, Any]]:
    """The layers in play with their labels (the front end's ``layers``); ``closed_note``
    says why a layer that applies only sometimes (evidence) has its buttons closed."""
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
