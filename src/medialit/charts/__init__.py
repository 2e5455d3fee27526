"""Charts of the article's rhetoric, a student's tags and a class's answers (matplotlib).

Every chart function returns a ``ChartFigure`` (a matplotlib ``Figure``) that shows itself
in a notebook with its alt text, at the size it was drawn for, and writes ``<name>.png`` and
``<name>.svg`` when given ``save_to``. The charts a lesson shows fit JupyterLab's output
area unscaled, and no word on them is smaller than 8 pt (11 px on screen).

The package, one concern a module:

- ``figure``: how a chart is shown (size on screen, alt text) and saved;
- ``text``: font sizes, and fitting words into the room a chart gives them;
- ``palette``: the Okabe–Ito colours, one per label, and hatches;
- ``sources``: the tags, sentences and counts a chart shows, from whatever holds them;
- ``grid``: sentence-by-layer grids (the rhetoric map; a student against the expert);
- ``bars``: bar charts of a class (disputed sentences; label counts);
- ``timeline``: the dossier's dated record (lesson 04).
"""

from __future__ import annotations

from medialit.charts.bars import disputed_units, label_counts
from medialit.charts.figure import (
    NOTEBOOK_WIDTH,
    PNG_SCALE,
    SCREEN_DPI,
    ChartFigure,
    alt_text,
    save,
    title_of,
)
from medialit.charts.grid import rhetoric_map, student_vs_reference
from medialit.charts.palette import (
    DARK,
    EMPTY,
    HATCHES,
    NOT_APPLICABLE,
    OKABE_ITO,
    RIGHT,
    WRONG,
    YES_NO,
    label_colour,
)
from medialit.charts.sources import unit_texts as _unit_texts
from medialit.charts.text import SHORT
from medialit.charts.text import short as _short
from medialit.charts.timeline import timeline, timeline_alt_text

__all__ = [
    "DARK",
    "EMPTY",
    "HATCHES",
    "NOTEBOOK_WIDTH",
    "NOT_APPLICABLE",
    "OKABE_ITO",
    "PNG_SCALE",
    "RIGHT",
    "SCREEN_DPI",
    "SHORT",
    "WRONG",
    "YES_NO",
    "ChartFigure",
    "_short",
    "_unit_texts",
    "alt_text",
    "disputed_units",
    "label_colour",
    "label_counts",
    "rhetoric_map",
    "save",
    "student_vs_reference",
    "timeline",
    "timeline_alt_text",
    "title_of",
]
