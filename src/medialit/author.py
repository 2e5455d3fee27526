"""The author mode: an instructor writes the reference for an article folder in the tagger.

``author("DIR")`` in a notebook cell shows the student's tagger (the same front end,
``static/tagger.js``) with an author panel under each layer: the label a student would choose
(the label buttons), the other labels that are also accepted, whether the row is an anchor
(graded strictly), the cue words (devices) and the rationale, with the problems the reference
check finds in that row. Every change is in ``DIR/reference.csv`` before the call returns
(``medialit.author_model.AuthorModel`` holds the state and writes the file; this module is
only the view). The file can be edited by hand as CSV and checked with
``medialit reference check DIR``; run the cell again to load a hand-edited file.

The front end sends the student tagger's actions (``choose``, ``none``, ``cues``, ``undo``,
``next_untagged``, ``check``) and the author panel's own (``accept``, ``anchor``,
``rationale``, ``clear``), each naming its unit; ``handle`` applies them, and tests call it
with the same actions. The page is told it is in author mode by the ``mode`` trait.
"""

from __future__ import annotations

import html
import weakref
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from medialit.author_model import AuthorModel
from medialit.errors import MedialitError
from medialit.tagger import Tagger, layer_items, unit_items

#: why the evidence buttons are closed, for the instructor
CLOSED_NOTE = (
    "Evidence type applies only where the role accepts “evidence” (as the label or as an "
    "accepted alternative). Choose or accept it in the role layer first."
)

#: the newest author widget per reference file, so an older one (a re-run cell) steps aside
_LIVE: dict[str, weakref.ref] = {}


class Author(anywidget.AnyWidget):
    """The author-mode widget. See the module docstring; ``author(DIR)`` shows one."""

    _esm = Tagger._esm
    _css = Tagger._css

    mode = traitlets.Unicode("author").tag(sync=True)
    units = traitlets.List().tag(sync=True)
    layers = traitlets.List().tag(sync=True)
    index = traitlets.Int(0).tag(sync=True)
    #: every unit's reference: the tagger's marks plus {"author": {layer: {...}}}
    marks = traitlets.Dict().tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)
    status_error = traitlets.Bool(False).tag(sync=True)
    notice_text = traitlets.Unicode("").tag(sync=True)
    retired = traitlets.Bool(False).tag(sync=True)
    can_undo = traitlets.Bool(False).tag(sync=True)
    check_html = traitlets.Unicode("").tag(sync=True)
    exercise = traitlets.Unicode("").tag(sync=True)
    revision = traitlets.Int(0).tag(sync=True)

    def __init__(self, folder: str | Path, start: str | None = None) -> None:
        model = AuthorModel(folder)
        if not model.path.exists():
            model.save()  # every row, each "not annotated yet": a file to edit by hand too
        if start is not None:
            model.article.unit(start)
            index = model.ids.index(start)
        else:
            first = model.next_unfinished()
            index = 0 if first is None else first
        super().__init__(
            units=unit_items(model),
            layers=layer_items(model, CLOSED_NOTE),
            index=index,
            exercise=str(model.folder),
        )
        self.model = model
        self._cue_warnings: dict[str, str] = {}
        self._say(f"Your reference is saved to {model.path} as you work.")
        self.on_msg(self._on_front_end)
        self._sync()
        key = str(model.path.resolve())
        older = _LIVE.get(key)
        if older is not None and older() is not None and older() is not self:
            older().retire()
        _LIVE[key] = weakref.ref(self)

    # -- public ---------------------------------------------------------------------------
    @property
    def current(self) -> str:
        return self.model.ids[self.index]

    @property
    def path(self) -> Path:
        return self.model.path

    def go(self, target: int | str) -> None:
        """Show a unit, by index or id."""
        if isinstance(target, str):
            self.model.article.unit(target)
            target = self.model.ids.index(target)
        self.index = max(0, min(int(target), len(self.model.ids) - 1))

    def retire(self) -> None:
        """Step aside for a newer author widget on the same file."""
        self.retired = True
        self.can_undo = False
        self._say(
            "This author view was replaced by a newer one on the same reference (a re-run "
            "cell). Your work is saved; use the newest one.",
            error=True,
        )

    def handle(self, action: dict[str, Any]) -> None:
        """Apply one action from the front end (see the module docstring)."""
        kind = action.get("type")
        if kind == "next_untagged":
            found = self.model.next_unfinished(self.index)
            if found is None:
                self._say("Every unit is done in every layer. Check the whole reference.")
            else:
                self.index = found
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
        self.model.article.unit(unit)
        return unit

    def _choose(self, action: dict[str, Any]) -> str:
        unit = self._unit(action)
        self.model.choose(unit, str(action["layer"]), str(action["label"]), bool(action["on"]))
        return self._saved()

    def _none(self, action: dict[str, Any]) -> str:
        unit, layer = self._unit(action), str(action["layer"])
        if not action.get("on"):
            return (
                f"{unit} {layer} stays “no label”. Choose a label instead, "
                "or Clear this layer to start it again."
            )
        self.model.set_none(unit, layer)
        return self._saved()

    def _accept(self, action: dict[str, Any]) -> str:
        unit = self._unit(action)
        layer, label = str(action["layer"]), str(action["label"])
        self.model.set_accepted(unit, layer, label, bool(action["on"]))
        return self._saved()

    def _anchor(self, action: dict[str, Any]) -> str:
        unit = self._unit(action)
        self.model.set_anchor(unit, str(action["layer"]), bool(action["on"]))
        return self._saved()

    def _cues(self, action: dict[str, Any]) -> str:
        unit = self._unit(action)
        missing = self.model.set_cues(unit, str(action["label"]), str(action.get("text") or ""))
        if missing:
            self._cue_warnings[unit] = (
                f"Not found in this sentence: {', '.join(repr(w) for w in missing)}. "
                "Copy the words exactly, with the article's apostrophes and case "
                "(saved as you typed them)."
            )
        else:
            self._cue_warnings.pop(unit, None)
        return self._saved()

    def _rationale(self, action: dict[str, Any]) -> str:
        unit = self._unit(action)
        self.model.set_rationale(unit, str(action["layer"]), str(action.get("text") or ""))
        return self._saved()

    def _clear(self, action: dict[str, Any]) -> str:
        self.model.clear(self._unit(action), str(action["layer"]))
        return self._saved()

    def _undo(self, _action: dict[str, Any]) -> str:
        unit = self.model.undo()
        if unit is None:
            return "Nothing to undo."
        self.index = self.model.ids.index(unit)
        return f"{self.model.last_change[0].upper()}{self.model.last_change[1:]}. Saved."

    def _check(self) -> None:
        result = self.model.check()
        summary = html.escape(result.summary())
        if result.ok:
            self.check_html = f"<p><b>✓</b> {summary}</p>"
            return
        items = "".join(f"<li>{html.escape(line)}</li>" for line in result.lines())
        self.check_html = f"<p><b>{summary}</b></p><ul>{items}</ul>"

    def _guarded(self, action: Callable[[], str]) -> None:
        """Run a change; say what was saved, or the error; then send the reference again."""
        if self.retired:
            self.retire()
            self._sync()
            return
        try:
            self._say(action())
        except MedialitError as exc:
            self._say(f"Not saved: {exc}", error=True)
        self._sync()

    def _say(self, text: str, error: bool = False) -> None:
        self.status, self.status_error = text, error

    def _saved(self) -> str:
        return f"Saved to {self.model.path}: {self.model.last_change}."

    # -- what the front end draws ---------------------------------------------------------
    def _sync(self) -> None:
        model = self.model
        problems: dict[tuple[str, str], list[str]] = defaultdict(list)
        for problem in model.check().problems:
            if problem.kind != "not-annotated":
                problems[(problem.unit, problem.layer)].append(problem.text)
        marks = {}
        for unit in model.ids:
            layers, panels = {}, {}
            for layer in model.layers:
                layers[layer] = {
                    "labels": model.label(unit, layer),
                    "none": model.is_none(unit, layer),
                    "applies": model.applies(unit, layer),
                }
                panels[layer] = {
                    "annotated": model.annotated(unit, layer),
                    "accepted": model.accepted(unit, layer),
                    "alternatives": model.alternatives(unit, layer),
                    "anchor": model.anchor(unit, layer),
                    "rationale": model.rationale(unit, layer),
                    "problems": problems.get((unit, layer), []),
                }
            done = all(p["annotated"] and not p["problems"] for p in panels.values())
            marks[unit] = {
                "tagged": done,
                "layers": layers,
                "cues": {label: "; ".join(words) for label, words in model.cues(unit).items()},
                "note": "",
                "warning": self._cue_warnings.get(unit, ""),
                "author": panels,
            }
        with self.hold_sync():
            self.marks = marks
            self.can_undo = bool(model.undo_stack) and not self.retired
            self.revision += 1


_CHANGES: dict[str, Callable[[Author, dict[str, Any]], str]] = {
    "choose": Author._choose,
    "none": Author._none,
    "accept": Author._accept,
    "anchor": Author._anchor,
    "cues": Author._cues,
    "rationale": Author._rationale,
    "clear": Author._clear,
    "undo": Author._undo,
}


def author(folder: str | Path, start: str | None = None) -> Author:
    """Notebook helper: ``author("DIR")`` shows the author mode for an article folder."""
    return Author(folder, start=start)
