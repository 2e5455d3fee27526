"""How a chart is shown and saved: its size on screen, its alt text, PNG and SVG files.

A notebook shows a chart at ``SCREEN_DPI`` CSS px per figure inch, and JupyterLab's output
area is about ``NOTEBOOK_WIDTH`` CSS px wide at a 1280×900 window; a wider image would be
scaled down, and its words with it. So the charts a lesson shows are drawn at most
``NOTEBOOK_INCHES`` wide, and each is shown at exactly its drawn size (``<img width=...>``)
from a PNG with ``PNG_SCALE`` times as many pixels, sharp on high-density screens. A font
of ``s`` points is then ``s * SCREEN_DPI / 72`` px on screen, whatever the PNG's size.

The figures are built without pyplot, so nothing opens a window and nothing piles up in
memory; they render with the Agg backend on a headless machine.
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

from matplotlib.figure import Figure

import medialit.charts.text as tx

#: CSS px per figure inch in a notebook (matplotlib's default dpi).
SCREEN_DPI = 100
#: The width of JupyterLab's output area at a 1280×900 window, in CSS px (about 800–850).
NOTEBOOK_WIDTH = 800
#: The widest chart a lesson shows, in inches: it is shown unscaled.
NOTEBOOK_INCHES = NOTEBOOK_WIDTH / SCREEN_DPI
#: A notebook's PNG has this many pixels per CSS px.
PNG_SCALE = 2
#: Saved files (``save``): PNG resolution.
FILE_DPI = 150


class ChartFigure(Figure):
    """A matplotlib Figure with alt text, shown in notebooks as an image with that alt text,
    at its drawn size (``css_width``) or the output area's width if that is narrower."""

    alt_text: str = ""

    @property
    def css_width(self) -> int:
        """The width the notebook image asks for, in CSS px."""
        return round(self.get_figwidth() * SCREEN_DPI)

    def png(self) -> bytes:
        """The PNG a notebook shows: ``PNG_SCALE`` pixels per CSS px."""
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", dpi=SCREEN_DPI * PNG_SCALE)
        return buffer.getvalue()

    def _img(self, data: str) -> str:
        alt = html.escape(self.alt_text, quote=True)
        return (
            f'<img src="data:image/png;base64,{data}" alt="{alt}" width="{self.css_width}" '
            'style="max-width:100%;height:auto">'
        )

    def _repr_html_(self) -> str:
        return self._img(base64.b64encode(self.png()).decode("ascii"))

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict, dict]:
        """HTML (with alt text), the same PNG at its display width, and the alt text as plain
        text, so that every front end shows the chart at the size it was drawn for."""
        data = base64.b64encode(self.png()).decode("ascii")
        bundle = {"text/html": self._img(data), "image/png": data, "text/plain": self.alt_text}
        return bundle, {"image/png": {"width": self.css_width}}

    def _ipython_display_(self) -> None:
        """Show exactly ``_repr_mimebundle_`` (IPython would otherwise let the inline
        backend's own PNG of the figure, at another size, replace ours)."""
        from IPython.display import display

        data, metadata = self._repr_mimebundle_()
        display(data, raw=True, metadata=metadata)


def alt_text(fig: Figure) -> str:
    """The figure's alt text: a few sentences saying what the chart shows."""
    return getattr(fig, "alt_text", "") or ""


def title_of(fig: Figure) -> str:
    """The figure's title (its suptitle), on one line."""
    suptitle = getattr(fig, "_suptitle", None)
    return " ".join(suptitle.get_text().split()) if suptitle is not None else ""


def save(fig: Figure, save_to: str | Path) -> list[Path]:
    """Write ``<save_to>.png`` and ``<save_to>.svg`` (any suffix is replaced); return both."""
    stem = Path(save_to)
    if stem.suffix.lower() in (".png", ".svg"):
        stem = stem.with_suffix("")
    stem.parent.mkdir(parents=True, exist_ok=True)
    meta = {"Title": title_of(fig), "Description": alt_text(fig)}
    written = []
    for fmt in ("png", "svg"):
        target = stem.with_name(f"{stem.name}.{fmt}")
        fig.savefig(target, format=fmt, dpi=FILE_DPI, metadata=meta)
        written.append(target)
    return written


def new_figure(width: float, height: float) -> ChartFigure:
    """An empty chart ``width`` × ``height`` inches, laid out by matplotlib's constrained
    layout (nothing drawn outside the figure, titles and labels never overlap the axes)."""
    width = round(width * SCREEN_DPI) / SCREEN_DPI  # a whole number of CSS px
    return ChartFigure(figsize=(width, height), layout="constrained")


def set_title(fig: Figure, title: str) -> None:
    """The chart's title, wrapped to the figure's width."""
    room = fig.get_figwidth() - 0.3
    fig.suptitle(tx.wrap(tx.plain(title), room, tx.TITLE), fontsize=tx.TITLE)


def finish(fig: ChartFigure, alt: str, save_to: str | Path | None) -> ChartFigure:
    """Give the chart its alt text and, with ``save_to``, write it as PNG and SVG."""
    fig.alt_text = alt
    if hasattr(fig, "set_alt_text"):  # pragma: no cover - newer matplotlib
        fig.set_alt_text(alt)
    if save_to is not None:
        save(fig, save_to)
    return fig
