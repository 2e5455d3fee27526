"""Small HTML pieces every lesson helper uses, and the one place that displays them.

The lesson helpers build escaped HTML strings (``esc``, ``para``, ``table_html``) and hand them
to ``show``; charts go through ``show_figure``. Keeping the display call here means a test can
collect everything the lessons show by patching one name, and the helpers stay free of
IPython details.
"""

from __future__ import annotations

import html
import importlib
import re
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
from IPython.display import HTML, display

from medialit.article import Article, Unit, load_article
from medialit.errors import MedialitError

STYLE = """
<style>
.ml-article {max-width: 46em; font-size: 1.05em; line-height: 1.55;}
.ml-article h3 {margin-bottom: 0.6em;}
.ml-id {font-size: 0.85em; color: #4a4a4a; font-family: monospace; margin: 0 0.25em;}
.ml-quote {border-left: 4px solid #9bb7d4; padding: 0.2em 0.9em; margin: 0.4em 0;
  max-width: 46em;}
.ml-note {color: #444; font-size: 0.95em;}
.ml-table th, .ml-table td {text-align: left !important; vertical-align: top;}
.ml-box {background: #f4f7fb; border: 1px solid #d6e0ea; border-radius: 4px;
  padding: 0.5em 0.9em; max-width: 46em;}
[class*="ml-"] .widget-html-content, .widget-html-content .ml-box {line-height: 1.45;}
</style>
"""


def button_layout() -> widgets.Layout:
    """A layout for one button: wide enough for its whole label. Every button needs its own
    (a shared Layout is one model: hiding one button would hide them all)."""
    return widgets.Layout(width="auto", min_width="12em")


def esc(text: str) -> str:
    return html.escape(str(text), quote=True)


def para(text: str) -> str:
    """Escape a teaching text; blank lines become paragraph breaks, *words* become italics."""
    parts = []
    for block in str(text).split("\n\n"):
        escaped = esc(block.strip()).replace("\n", "<br>")
        bits = escaped.split("*")
        if len(bits) % 2 == 1 and len(bits) > 1:
            escaped = "".join(b if i % 2 == 0 else f"<em>{b}</em>" for i, b in enumerate(bits))
        parts.append(f"<p>{escaped}</p>")
    return "".join(parts)


def status_html(text: str = "", kind: str = "note") -> str:
    colour = {"note": "#555", "good": "#1b6e2e", "warn": "#8a4b00", "bad": "#a01c1c"}[kind]
    return f'<span style="color:{colour}">{esc(text)}</span>'


def inline(text: str) -> str:
    """Escape a short text; **words** become bold and *words* italics."""
    escaped = esc(text)
    escaped = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", escaped)
    return re.sub(r"\*(.+?)\*", r"<em>\1</em>", escaped)


def lines_html(text: str) -> str:
    """Escape text; its line breaks become <br>."""
    return "<br>".join(esc(line) for line in str(text).splitlines())


def table_html(frame: Any, columns: Sequence[str] | None = None) -> str:
    """A small escaped HTML table (pandas escapes cell text)."""
    frame = frame if columns is None else frame[list(columns)]
    frame = frame.rename(columns=lambda c: str(c).replace("_", " "))
    return frame.to_html(index=False, escape=True, border=0, na_rep="", classes="ml-table")


def say(text: str) -> None:
    display(HTML(STYLE + f'<div class="ml-box">{para(text)}</div>'))


def show_figure(fig: Any) -> None:
    if fig is None:
        return
    import matplotlib.pyplot as plt

    display(fig)
    plt.close(fig)


def unit_html(unit: Unit, *, with_id: bool = True) -> str:
    label = f'<span class="ml-id">{esc(unit.id)}</span>' if with_id else ""
    return f"{label}{esc(unit.text)}"


def kit_module(name: str):
    """Import a kit module, or explain plainly that this copy of the kit lacks it."""
    try:
        return importlib.import_module(f"medialit.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"medialit.{name}":
            raise
        raise MedialitError(
            f"This copy of medialit has no '{name}' module yet; update the kit "
            "('git pull' then 'pip install -e .') and run the cell again."
        ) from exc


def article_of(article: str | Article) -> Article:
    return article if isinstance(article, Article) else load_article(article)


def show(obj: Any) -> None:
    """Display one piece of lesson output (``HTML(...)``) below the cell."""
    display(obj)
