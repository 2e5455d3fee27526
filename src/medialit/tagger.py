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
call ``handle`` with the same actions. That plumbing, shared with the instructor's author
mode, is ``medialit.action_view.ActionView``; this module says what the tagger's actions do.
Article text reaches the page only as text (the front end sets ``textContent``), never as
HTML.
"""

from __future__ import annotations

import html
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd
import traitlets

from medialit.action_view import ActionView, layer_items, live_view, unit_items
from medialit.article import Article
from medialit.check import CheckReport
from medialit.errors import MedialitError
from medialit.tagger_model import (  # noqa: F401 (re-exported: lessons and tests use them)
    FRAME_COLUMNS,
    NONE_TEXT,
    TaggerModel,
    load_tags,
)

#: why a layer's buttons are closed, for the student
CLOSED_NOTE = (
    "Evidence type applies only to sentences whose role is “evidence”. Choose "
    "the role first; when it is “evidence”, these buttons open."
)


def live_tagger(path: str | Path) -> Tagger | None:
    """The newest tagger in this kernel on this answers file, if one is showing."""
    return live_view(Tagger, path)  # type: ignore[return-value]


def css_name(name: str) -> str:
    """A unit id or label as a CSS class fragment: P1.S2 -> P1-S2, a_b -> a-b."""
    return name.replace(".", "-").replace("_", "-")


class Tagger(ActionView):
    """The tagger widget. See the module docstring; ``tag(...)`` is the notebook helper."""

    cue_warning = traitlets.Unicode("").tag(sync=True)

    _live: ClassVar[dict[str, weakref.ref]] = {}
    CHANGES: ClassVar[dict[str, str]] = {**ActionView.CHANGES, "note": "_note"}
    REPLACED = (
        "This tagger was replaced by a newer one on the same answers file (a re-run cell). "
        "Your choices are saved; use the newest tagger."
    )
    ALL_DONE = "Every sentence is tagged. Press Check to compare."
    CUE_HINT = "Check the spelling (your words are saved as you typed them)."

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
        super().__init__(
            model,
            start,
            units=unit_items(model),
            layers=layer_items(model, CLOSED_NOTE),
            notice_text=model.notice or "",
            exercise=exercise,
        )
        self.reference = reference
        model.file.on_change(self._file_changed)  # another notebook's answers, a recovery

    # -- public ---------------------------------------------------------------------------
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

    def check(self) -> CheckReport:
        """Compare the tags with the expert reference (see ``medialit.check``)."""
        from medialit.check import _load_reference, check

        if self.reference is None:
            self.reference = _load_reference(self.model.article.key)
        return check(self.model.sheet, self.model.layers, self.reference, self.model.ids)

    # -- actions --------------------------------------------------------------------------
    def _known(self, unit: str) -> None:
        self.model._unit_id(unit)

    def _next_open(self, after: int) -> int | None:
        return self.model.next_untagged(after)

    def _none(self, action: dict[str, Any]) -> str:
        self.model.set_none(self._unit(action), str(action["layer"]), bool(action["on"]))
        return self._saved()

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

    def _check(self) -> None:
        if self.reference is not None and not self.reference.entries():
            self.check_html = (  # an own article's assignment: the key is the instructor's
                "<p>There is no expert reading to check against here: your instructor's "
                "grader scores these tags, and your score comes with your feedback.</p>"
            )
            return
        try:
            report = self.check()
        except MedialitError as exc:
            self.check_html = f"<p><b>The check could not run:</b> {html.escape(str(exc))}</p>"
            return
        self.check_html = report._repr_html_()

    def _after_change(self) -> None:
        self.notice_text = self.model.notice or ""  # e.g. "also changed in another notebook"

    def _file_changed(self, _merge: Any) -> None:
        """The answers file brought in changes from elsewhere: draw them."""
        self._after_change()
        self._sync()

    # -- what the front end draws ---------------------------------------------------------
    def _marks(self) -> dict[str, Any]:
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
        return marks


def _cues(model: TaggerModel, unit: str) -> dict[str, list[str]]:
    return dict(model.sheet.cues.get(unit, {}))


def tag(exercise: str, layers: Sequence[str] | str = ("role",), **kwargs: Any) -> Tagger:
    """Notebook helper: ``tag("01_anatomy")`` shows the tagger for that exercise."""
    return Tagger(exercise, layers=layers, **kwargs)
