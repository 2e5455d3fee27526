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
with the same actions. The page is told it is in author mode by the ``mode`` trait. The
plumbing shared with the tagger (actions, saving, retiring an older view) is
``medialit.action_view.ActionView``; this module says what the author's actions do.
"""

from __future__ import annotations

import html
import weakref
from collections import defaultdict
from pathlib import Path
from typing import Any, ClassVar

import traitlets

from medialit.action_view import ActionView, layer_items, unit_items
from medialit.author_model import AuthorModel

#: why the evidence buttons are closed, for the instructor
CLOSED_NOTE = (
    "Evidence type applies only where the role accepts “evidence” (as the label or as an "
    "accepted alternative). Choose or accept it in the role layer first."
)


class Author(ActionView):
    """The author-mode widget. See the module docstring; ``author(DIR)`` shows one."""

    mode = traitlets.Unicode("author").tag(sync=True)

    _live: ClassVar[dict[str, weakref.ref]] = {}
    CHANGES: ClassVar[dict[str, str]] = {
        **ActionView.CHANGES,
        "accept": "_accept",
        "anchor": "_anchor",
        "rationale": "_rationale",
        "clear": "_clear",
    }
    REPLACED = (
        "This author view was replaced by a newer one on the same reference (a re-run "
        "cell). Your work is saved; use the newest one."
    )
    REPLACED_IS_ERROR = True
    ALL_DONE = "Every unit is done in every layer. Check the whole reference."
    CUE_HINT = (
        "Copy the words exactly, with the article's apostrophes and case (saved as you typed them)."
    )

    def __init__(self, folder: str | Path, start: str | None = None) -> None:
        model = AuthorModel(folder)
        if not model.path.exists():
            model.save()  # every row, each "not annotated yet": a file to edit by hand too
        super().__init__(
            model,
            start,
            units=unit_items(model),
            layers=layer_items(model, CLOSED_NOTE),
            exercise=str(model.folder),
        )
        self._say(f"Your reference is saved to {model.path} as you work.")

    # -- actions --------------------------------------------------------------------------
    def _known(self, unit: str) -> None:
        self.model.article.unit(unit)

    def _next_open(self, after: int) -> int | None:
        return self.model.next_unfinished(after)

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

    # -- what the front end draws ---------------------------------------------------------
    def _marks(self) -> dict[str, Any]:
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
        return marks


def author(folder: str | Path, start: str | None = None) -> Author:
    """Notebook helper: ``author("DIR")`` shows the author mode for an article folder."""
    return Author(folder, start=start)
