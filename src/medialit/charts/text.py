"""Words on a chart: the font sizes, and fitting words into the room a chart gives them.

Sizes are in points. A notebook shows a chart at ``SCREEN_DPI`` CSS px per inch
(``medialit.charts.figure``), so a size of ``s`` points is ``s * 100 / 72`` px on screen:
``SMALL`` (8 pt) is 11 px, the smallest text any chart uses. Widths are measured with the
font matplotlib draws with, so a label shortened or wrapped here fits where it is put.
"""

from __future__ import annotations

from functools import lru_cache

from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

TITLE = 12.0  # the chart's title
HEADING = 10.0  # a panel's title
TEXT = 9.0  # axis labels, tick labels, sentences, keys
SMALL = 8.0  # words in cells and on bars, legends: never smaller
LINE = 1.25  # line height, in font sizes

SHORT = {
    "loaded_language": "loaded language",
    "vague_source": "vague source",
    "common_ground": "common ground",
}
_MEASURE = TextToPath()


@lru_cache(maxsize=8192)
def width(text: str, size: float) -> float:
    """How wide ``text`` is drawn at ``size`` points, in inches (its widest line)."""
    prop = FontProperties(size=size)
    return (
        max(
            _MEASURE.get_text_width_height_descent(line, prop, ismath=False)[0]
            for line in text.split("\n")
        )
        / 72
    )


def height(lines: int, size: float) -> float:
    """How tall ``lines`` lines of text are at ``size`` points, in inches."""
    return lines * size * LINE / 72


def fit(text: str, room: float, size: float) -> str:
    """``text`` on one line, shortened with "…" until it is at most ``room`` inches wide."""
    text = " ".join(text.split())
    if width(text, size) <= room:
        return text
    low, high = 0, len(text)  # the longest prefix that fits, by bisection
    while low < high:
        mid = (low + high + 1) // 2
        if width(text[:mid].rstrip() + "…", size) <= room:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + "…"


def fit_after(head: str, text: str, room: float, size: float) -> str:
    """``head`` as it is, then as much of ``text`` as fits in ``room`` inches in all."""
    return head + fit(text, room - width(head, size), size)


def wrap(text: str, room: float, size: float) -> str:
    """``text`` broken into lines at most ``room`` inches wide (a longer word is shortened)."""
    lines: list[str] = []
    for word in text.split():
        if lines and width(f"{lines[-1]} {word}", size) <= room:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(fit(word, room, size))
    return "\n".join(lines)


def wrap_items(items: list[str], room: float, size: float, sep: str = ";  ") -> str:
    """``items`` joined by ``sep``, a line broken only between items where it can be."""
    lines: list[str] = []
    for item in items:
        if lines and width(lines[-1] + sep + item, size) <= room:
            lines[-1] += sep + item
        else:
            lines.extend(wrap(item, room, size).split("\n"))
    return "\n".join(lines)


def plain(text: str) -> str:
    """Text safe for matplotlib (a '$' would start mathematics)."""
    return text.replace("$", r"\$")


def words(label: str) -> str:
    """A label as words: ``loaded_language`` → "loaded language"."""
    return SHORT.get(label, label.replace("_", " "))


def short(text: str, n: int = 42) -> str:
    """``text`` on one line, at most ``n`` characters (for tables, where width is not drawn)."""
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"
