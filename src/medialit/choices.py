"""The kit's single-choice widget: radio buttons for whole sentences, made for the keyboard.

Two problems with ipywidgets' ``RadioButtons`` decided this. It draws each option in a box
one line (20 px) high, so a long option ran into the next one and hid its radio circle. And
it cannot keep JupyterLab's shortcuts out: with an option focused, the arrow keys moved the
notebook's cell selection instead of the choice, and ``m`` then turned a cell into Markdown.

``RadioChoice`` is an anywidget (front end ``static/radio.js`` and ``radio.css``, no build
step). Its options are native radio inputs in one ``radiogroup``, each in a label as tall as
its text that wraps at any width from 600 px up, the circle beside the first line, so an
option is read whole by eye and by a screen reader; Tab reaches the group, the arrow keys move
between options and Space picks one, as in any web form, because the group carries
JupyterLab's ``data-lm-suppress-shortcuts`` and keeps its keys from the notebook.

It keeps the part of ``RadioButtons``' interface the kit uses: ``options`` as ``(text shown,
value saved)`` pairs, ``index`` and ``value`` (kept in step, None until chosen), ``disabled``,
``observe``, ``add_class``. Used by the graded assignments (``medialit.grading.choose`` and
``choose_verdict``) and the lessons (``medialit.lessons.choice`` and ``verdicts``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import anywidget
import traitlets

#: The CSS class every radio group of the kit carries.
CSS_CLASS = "ml-options"

#: Line height for the text beside the kit's choices (the radio groups style themselves).
STYLE = """<style>
.ml-choice-box .widget-html-content, .ml-verdicts .widget-html-content,
.medialit-verdicts .widget-html-content {line-height: 1.4;}
</style>"""

_STATIC = Path(__file__).parent / "static"


class RadioChoice(anywidget.AnyWidget):
    """Radio buttons for ``(text, value)`` pairs; ``index``/``value`` None until chosen."""

    _esm = (_STATIC / "radio.js").read_text(encoding="utf-8")
    _css = (_STATIC / "radio.css").read_text(encoding="utf-8")

    options = traitlets.List().tag(sync=True)
    index = traitlets.Int(None, allow_none=True).tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    #: the group's accessible name (the question it answers)
    description = traitlets.Unicode("").tag(sync=True)
    orientation = traitlets.Unicode("vertical").tag(sync=True)
    value = traitlets.Any(None)

    def __init__(
        self,
        options: Sequence[tuple[str, str]],
        value: str | None = None,
        *,
        description: str = "",
        horizontal: bool = False,
    ) -> None:
        pairs = [[str(text), saved] for text, saved in options]
        values = [saved for _, saved in pairs]
        super().__init__(
            options=pairs,
            index=values.index(value) if value in values else None,
            description=description,
            orientation="horizontal" if horizontal else "vertical",
        )
        self.value = value if value in values else None

    @traitlets.observe("index")
    def _index_changed(self, change: dict[str, Any]) -> None:
        index = change["new"]
        value = None if index is None else self.options[index][1]
        if self.value != value:
            self.value = value

    @traitlets.observe("value")
    def _value_changed(self, change: dict[str, Any]) -> None:
        values = [saved for _, saved in self.options]
        index = values.index(change["new"]) if change["new"] in values else None
        if self.index != index:
            self.index = index


def radio_buttons(
    options: Sequence[tuple[str, str]],
    value: str | None = None,
    *,
    horizontal: bool = False,
    description: str = "Choose one",
) -> RadioChoice:
    """Radio buttons for ``(text shown, value saved)`` pairs, with nothing chosen unless
    ``value`` is one of the values; ``description`` names the group for a screen reader."""
    buttons = RadioChoice(options, value, description=description, horizontal=horizontal)
    buttons.add_class(CSS_CLASS)
    return buttons
