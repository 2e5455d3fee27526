"""Lessons 05 and 06: the kit's neutral rewrite and reframing, shown after the student's own."""

from __future__ import annotations

import ipywidgets as widgets

from medialit.lessons.markup import STYLE, esc, kit_module
from medialit.lessons.questions import after_writing

_REWRITE_TITLES = {"05": "The kit's neutral version", "06": "The kit's reframing"}


def _rewrite_html(rewrite_id: str) -> str:
    """The original, the kit's rewrite and the list of changes, as one box."""
    rw = kit_module("rewrites").get_rewrite(rewrite_id)
    kind = _REWRITE_TITLES.get(rw.lesson, "The kit's rewrite")
    title = f"{kind} of {' and '.join(rw.units)}"
    changes = "".join(
        f"<tr><td>{esc(c.original)}</td>"
        f"<td>{'<i>removed</i>' if c.removed else esc(c.replacement)}</td>"
        f"<td>{esc(c.why)}</td></tr>"
        for c in rw.changes
    )
    return (
        f'<div class="ml-box"><b>{esc(title)}</b>'
        f'<p class="ml-note">The original:</p><div class="ml-quote">{esc(rw.original)}</div>'
        f'<p class="ml-note">The kit\'s version:</p><div class="ml-quote">{esc(rw.rewrite)}</div>'
        "<p><b>What changed, and why</b></p><table class='ml-table'><tr><th>the original says"
        "</th><th>the kit's version says</th><th>why</th></tr>"
        f"{changes}</table></div>"
    )


def show_rewrite(rewrite_id: str, *, after: str) -> widgets.VBox:
    """The kit's rewrite (``data/rewrites.csv``, e.g. ``"R1"``) and its list of changes,
    revealed only once the student has saved their own version (the ``after`` question)."""
    kit_module("rewrites").get_rewrite(rewrite_id)  # an unknown id fails when the cell runs
    return after_writing(
        after,
        label="Show the kit's rewrite",
        css="ml-rewrite",
        warn="Write your own version above first — then compare.",
        render=lambda: STYLE + _rewrite_html(rewrite_id),
    )
