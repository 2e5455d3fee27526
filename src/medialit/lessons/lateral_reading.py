"""Lesson 09: reading laterally, offline, with the kit's bundle (``medialit.lateral``).

A fact-checker who meets an unknown source leaves it and reads what others say about it. The
kit has no internet, so it ships "search results" written for it (``data/lateral/``); these
helpers show a page of results, open the one the student chose (with the expert's view of that
choice, only after the choice is saved), list what is known about the outlet with its sources,
and set reports of one event side by side. The HTML comes from ``medialit.lateral_view``.
"""

from __future__ import annotations

import re
from typing import Any

import ipywidgets as widgets
from IPython.display import HTML

from medialit.errors import MedialitError
from medialit.lessons.bank import split_key
from medialit.lessons.markup import STYLE, button_layout, kit_module, show, status_html
from medialit.lessons.saving import saved_response

_CARD_ID = re.compile(r"^([A-Z]\d+)\b")


def _view() -> Any:
    return kit_module("lateral_view")


def search_results(search_id: str) -> None:
    """A page of search results (``S_outlet``, ``S_claim``), each in the kit's own words."""
    show(HTML(STYLE + _view().search_results_html(search_id)))


def open_results(*card_ids: str) -> None:
    """Open some results: the kit's summary, a short quotation, the facts with their sources."""
    if not card_ids:
        raise MedialitError("Name at least one result to open, for example open_results('A3').")
    show(HTML(STYLE + "".join(_view().excerpt_html(c) for c in card_ids)))


def open_result(after: str) -> widgets.VBox:
    """A button that opens the result the student chose in the ``after`` question (e.g.
    ``"09.first_click"``) and says what an expert thinks of it as a first click."""
    exercise, name = split_key(after, None)
    button = widgets.Button(
        description="Open the result you chose", icon="folder-open", layout=button_layout()
    )
    button.add_class("ml-reveal")
    out = widgets.HTML()

    def on_click(_: Any) -> None:
        match = _CARD_ID.match(saved_response(exercise, name).strip())
        if match is None:
            out.value = status_html("Choose the result you would open first, above.", "warn")
            return
        card = match.group(1)
        view = _view()
        out.value = STYLE + view.first_click_html(card) + view.excerpt_html(card)

    button.on_click(on_click)
    widget = widgets.VBox([button, out])
    widget.add_class("ml-open-result")
    return widget


def outlet_facts(topic: str | None = None) -> None:
    """What published sources say about the outlet (or one topic: ownership, history, leaning,
    opinion_section, rating, unknown), each fact with its sources or marked unconfirmed."""
    show(HTML(STYLE + _view().facts_html(topic=topic)))


def coverage(event: str) -> None:
    """One event of the dossier (e.g. ``"hamburg"``) as sources of different kinds reported it."""
    show(HTML(STYLE + _view().coverage_html(event)))
