"""Charts render headless (Agg) with titles, axis labels, alt text, and save PNG + SVG."""

from __future__ import annotations

import base64
import io
import itertools
import re
import shutil
import struct
import warnings

import matplotlib
import pytest
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from medialit import charts
from medialit.answers import read_answers
from medialit.classroom import load_class
from medialit.reference import load_reference
from medialit.synthetic import make_class, write_toy_reference

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    base = tmp_path_factory.mktemp("charts")
    reference = load_reference("seed", write_toy_reference(base / "reference.csv"))
    made = make_class(base / "class", 12, 0.25, seed=5, reference=reference, untagged_rate=0.1)
    return reference, made, load_class(made.folder)


def draw(fig) -> bytes:
    """Render without any warning (a missing glyph or layout problem would warn)."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(buffer, format="png")
    return buffer.getvalue()


def check_words(fig) -> None:
    assert charts.title_of(fig).strip()
    key = getattr(fig, "_supxlabel", None)  # a key under the whole figure counts too
    xlabels = [ax.get_xlabel() for ax in fig.axes] + [key.get_text() if key else ""]
    assert any(x.strip() for x in xlabels)
    assert any(ax.get_ylabel().strip() for ax in fig.axes)
    assert len(charts.alt_text(fig)) > 60


def test_backend_is_agg():
    assert matplotlib.get_backend().lower() == "agg"


def test_rhetoric_map_labels_every_coloured_cell_in_words(setup):
    reference, _, _ = setup
    fig = charts.rhetoric_map(reference)
    assert draw(fig).startswith(b"\x89PNG")
    check_words(fig)
    grid = fig.axes[0]
    units = reference.units
    coloured = [p for p in grid.patches if isinstance(p, Rectangle)]
    assert len(coloured) >= len(units) * 5
    texts = [t.get_text() for t in grid.texts]
    assert len(texts) == len(units) * 5  # one word label (or "–") per cell
    first_role = reference.entry(units[0], "role").label[0]
    assert texts[0] == first_role
    assert "evidence" in charts.alt_text(fig).lower()


def test_rhetoric_map_of_a_student_sheet(setup):
    _, made, _ = setup
    sheet = read_answers(made.files[0])
    fig = charts.rhetoric_map(sheet)
    draw(fig)
    assert sheet.student in charts.title_of(fig)


def test_student_vs_reference_marks_right_and_wrong(setup):
    reference, made, _ = setup
    sheet = read_answers(made.files[0])
    fig = charts.student_vs_reference(sheet, reference)
    draw(fig)
    check_words(fig)
    texts = [t.get_text() for t in fig.axes[0].texts]
    marks = sum(t.startswith(("✓", "✗")) for t in texts)
    from medialit.agreement import agreement_with_reference

    counted = 0
    for layer in ("role", "statement", "frame"):
        counted += len(
            [
                e
                for e in reference.entries(layer)
                if sheet.get_tags(e.unit, layer) or layer == "frame"
            ]
        )
    assert marks >= counted
    role = agreement_with_reference(sheet, reference, "role")
    assert f"role {role.right} of {role.choices} accepted" in charts.alt_text(fig)


@pytest.mark.parametrize("layer", ["role", "devices", "frame"])
def test_disputed_units_chart(setup, layer):
    reference, _, answers = setup
    fig = charts.disputed_units(answers, layer, top=6, reference=reference)
    draw(fig)
    check_words(fig)
    assert len(fig.axes[0].get_yticklabels()) == 6
    assert "disagreed" in charts.title_of(fig)


def test_label_counts_from_a_class_and_from_the_reference(setup):
    reference, _, answers = setup
    fig = charts.label_counts(answers)
    draw(fig)
    check_words(fig)
    assert len(fig.axes) == 5
    role_bars = [p.get_width() for p in fig.axes[0].patches]
    expected = answers.label_counts(["role"])["count"].tolist()
    assert role_bars == expected
    draw(charts.label_counts(reference, title="The expert's labels"))


def test_save_to_writes_png_and_svg_with_alt_text(setup, tmp_path):
    _, _, answers = setup
    fig = charts.label_counts(answers, save_to=tmp_path / "out" / "counts.png")
    png, svg = tmp_path / "out" / "counts.png", tmp_path / "out" / "counts.svg"
    assert png.read_bytes().startswith(b"\x89PNG")
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text
    assert "How often each label was used" in text
    assert "Bar charts, one per layer" in text  # the alt text travels with the file
    html = fig._repr_html_()
    assert html.startswith("<img") and 'alt="Bar charts' in html


def test_palette_is_okabe_ito():
    assert charts.OKABE_ITO[0] == "#E69F00" and len(set(charts.OKABE_ITO)) == 7


# -- readable at the size shown ------------------------------------------------------------
#
# A chart is readable when every word on it is at least MIN_PX tall on screen, nothing is cut
# off at the figure's edge, and no two texts overlap. "On screen" means at the width the image
# is shown: a notebook shows a chart at its <img width>, or the output area's width if that is
# narrower (JupyterLab, 1280x900 window: about 800 CSS px); the class report shows its PNG at
# its own size, or its page's width if that is narrower (report.py: 72em at 16 px).

MIN_PX = 9  # the smallest text anyone should have to read
BODY_PX = 11  # what the notebook charts give every word
REPORT_WIDTH = 72 * 16


def png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG")
    return struct.unpack(">II", png[16:24])


def drawn_texts(fig) -> list[Text]:
    """Every text the renderer actually draws (not hidden, not an unused tick), in a draw at
    the figure's own dpi; their window extents are then those of that draw."""
    seen: dict[int, Text] = {}
    original = Text.draw

    def spy(self, renderer):
        if self.get_visible() and self.get_text().strip():
            seen[id(self)] = self
        return original(self, renderer)

    Text.draw = spy
    try:
        fig.draw_without_rendering()
    finally:
        Text.draw = original
    return list(seen.values())


def inside(box: Bbox, frame: Bbox) -> bool:
    frame = frame.padded(0.5)
    return frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1


def notebook_px(fig) -> float:
    """Displayed px per point of font size in a notebook: points × dpi/72 × shown/PNG width."""
    html = fig._repr_html_()
    png = base64.b64decode(re.search(r"base64,([^\"]+)\"", html).group(1))
    png_width = png_size(png)[0]
    asked = int(re.search(r'width="(\d+)"', html).group(1))
    shown = min(asked, charts.NOTEBOOK_WIDTH)
    dpi = png_width / fig.get_figwidth()
    assert dpi == pytest.approx(charts.SCREEN_DPI * charts.PNG_SCALE, rel=0.01)
    return dpi / 72 * shown / png_width


def report_px(fig, tmp_path) -> float:
    """Displayed px per point in the class report: its saved PNG, at most the page wide."""
    png, _ = charts.save(fig, tmp_path / "chart")
    png_width = png_size(png.read_bytes())[0]
    dpi = png_width / fig.get_figwidth()
    return dpi / 72 * min(png_width, REPORT_WIDTH) / png_width


def problems(fig, px_per_point: float, least: float = MIN_PX) -> list[str]:
    """What makes ``fig`` hard to read at the given scale, in words (empty: nothing)."""
    found = []
    texts = drawn_texts(fig)
    assert texts
    boxes = {}
    for t in texts:
        shown = t.get_fontsize() * px_per_point
        if shown < least:
            found.append(f"{t.get_text()!r} is {shown:.1f} px high on screen")
        box = t.get_window_extent()
        boxes[id(t)] = box
        if not inside(box, fig.bbox):
            found.append(f"{t.get_text()!r} is cut off at the edge of the figure")
    for a, b in itertools.combinations(texts, 2):  # tick labels and every other text
        if boxes[id(a)].overlaps(boxes[id(b)]):
            found.append(f"{a.get_text()!r} overlaps {b.get_text()!r}")
    return found


def cell_problems(fig) -> list[str]:
    """Words in a grid's cell that run out of it (columns are read off the x ticks)."""
    ax = fig.axes[0]
    centres = list(ax.get_xticks())
    lefts = [0.0]
    for centre in centres:
        lefts.append(2 * centre - lefts[-1])
    found = []
    for t in ax.texts:
        x, y = t.get_position()
        column = next(i for i in range(len(centres)) if lefts[i] <= x < lefts[i + 1])
        row = int(y)
        corners = ax.transData.transform([(lefts[column], row + 1), (lefts[column + 1], row)])
        cell = Bbox(corners).padded(0.5)
        box = t.get_window_extent()
        if not (
            cell.x0 <= box.x0 and box.x1 <= cell.x1 and cell.y0 <= box.y0 and box.y1 <= cell.y1
        ):
            found.append(f"{t.get_text()!r} runs out of its cell")
    return found


def bar_problems(fig) -> list[str]:
    """Words on a stacked bar that run out of their segment."""
    ax = fig.axes[0]
    found = []
    for t in ax.texts:
        if not t.get_visible() or t.get_text() == "Not enough answers yet":
            continue
        x, y = t.get_position()
        bar = next(
            p
            for p in ax.patches
            if p.get_x() <= x <= p.get_x() + p.get_width()
            and p.get_y() <= y <= p.get_y() + p.get_height()
        )
        box, room = t.get_window_extent(), bar.get_window_extent()
        if box.x0 < room.x0 - 0.5 or box.x1 > room.x1 + 0.5:
            found.append(f"{t.get_text()!r} runs out of its bar")
    return found


@pytest.fixture(scope="module")
def lessons_seen(tmp_path_factory):
    """The charts the lessons show, drawn through ``my_chart`` and ``class_agreement`` from
    realistic answers: the seed article's 20 sentences and the kit's expert reference."""
    import medialit.answers as answers_module
    from medialit import lessons
    from medialit.agreement import get_reference
    from medialit.lessons import markup  # every lesson helper displays through markup

    base = tmp_path_factory.mktemp("lessons")
    reference = get_reference(None, "seed")
    made = make_class(base / "class", 30, 0.25, seed=11, reference=reference, untagged_rate=0.1)
    practice = make_class(base / "practice", 1, 0.25, seed=3, article="practice", untagged_rate=0.1)
    (base / "answers").mkdir()
    for exercise in ("lesson01", "lesson02", "lesson03", "lesson05", "lesson06"):
        shutil.copy(made.files[0], base / "answers" / f"{exercise}.json")
    shutil.copy(practice.files[0], base / "answers" / "lesson08.json")
    shown: list = []
    patch = pytest.MonkeyPatch()
    patch.chdir(base)
    patch.setattr(answers_module, "_LIVE", {})
    patch.setattr(markup, "display", shown.append)
    seen = {}
    try:
        for kind, exercise, layer, article in NOTEBOOK_CHARTS:
            shown.clear()
            lessons.my_chart(kind, exercise, layer=layer, article=article)
            seen[kind, exercise, layer] = shown[-1]
        shown.clear()
        lessons.class_agreement(base / "class")
        seen["disputed", "lesson07", "role"] = shown[-1]
    finally:
        patch.undo()
    return seen


#: (kind, exercise, layer, article) of every my_chart cell in the lessons, and more layers.
NOTEBOOK_CHARTS = [
    ("map", "lesson01", "role", "seed"),
    ("map", "lesson06", "frame", "seed"),
    ("map", "lesson05", "devices", "seed"),
    ("map", "lesson08", "role", "practice"),
    ("counts", "lesson02", "statement", "seed"),
    ("counts", "lesson05", "devices", "seed"),
    ("compare", "lesson03", "evidence", "seed"),
    ("compare", "lesson01", "role", "seed"),
    ("compare", "lesson05", "devices", "seed"),
    ("compare", "lesson08", "role", "practice"),
]
SHOWN = [(k, e, la) for k, e, la, _ in NOTEBOOK_CHARTS] + [("disputed", "lesson07", "role")]


@pytest.mark.parametrize("chart", SHOWN, ids=["-".join(c) for c in SHOWN])
def test_notebook_charts_are_readable_at_the_size_shown(lessons_seen, chart):
    """Is every word of a lesson's chart at least 9 px (11 px for these) high as JupyterLab
    shows it, inside the figure, and clear of every other word?"""
    fig = lessons_seen[chart]
    assert fig.css_width <= charts.NOTEBOOK_WIDTH  # shown unscaled
    px = notebook_px(fig)
    assert problems(fig, px, BODY_PX) == []
    if chart[0] in ("map", "compare"):
        assert cell_problems(fig) == []
    if chart[0] == "disputed":
        assert bar_problems(fig) == []


def test_a_map_shows_only_the_layers_asked_for(lessons_seen):
    """Lesson 01's map of roles has no devices panel (it was an empty one); the devices map
    has its counts beside it."""
    roles = lessons_seen["map", "lesson01", "role"]
    assert len(roles.axes) == 1
    assert [t.get_text() for t in roles.axes[0].get_xticklabels()] == ["Role"]
    assert "device" not in charts.alt_text(roles).lower()
    assert len(lessons_seen["map", "lesson05", "devices"].axes) == 2
    frame = lessons_seen["map", "lesson06", "frame"]
    assert [t.get_text() for t in frame.axes[0].get_xticklabels()] == ["Frame function"]


def test_notebook_image_is_shown_at_its_drawn_width(setup):
    """Does the notebook image ask for the chart's own width, from a sharper PNG, and carry
    the alt text in every form a front end may choose?"""
    reference, _, _ = setup
    fig = charts.rhetoric_map(reference, layers=["role"])
    data, meta = fig._repr_mimebundle_()
    assert f'width="{fig.css_width}"' in data["text/html"] and "alt=" in data["text/html"]
    png_width = png_size(base64.b64decode(data["image/png"]))[0]
    assert png_width == pytest.approx(fig.css_width * charts.PNG_SCALE, abs=1)
    assert meta["image/png"]["width"] == fig.css_width
    assert data["text/plain"] == charts.alt_text(fig)


def test_report_charts_are_readable_on_the_report_page(setup, tmp_path):
    """Are the class report's charts (larger files, shown at most a page wide) readable too?"""
    reference, _, answers = setup
    figures = [
        charts.label_counts(answers),
        charts.disputed_units(answers, "role", top=8, reference=reference),
        charts.disputed_units(answers, "statement", top=8, reference=reference),
        charts.rhetoric_map(reference),
    ]
    for fig in figures:
        assert problems(fig, report_px(fig, tmp_path)) == [], charts.title_of(fig)
    assert cell_problems(figures[3]) == []


def test_compare_says_a_closed_evidence_layer_does_not_apply():
    """A sentence the student tagged as a claim had its evidence layer closed in the tagger:
    the compare chart says so ("does not apply (your role: claim)"), not "not tagged"."""
    from medialit.answers import AnswerSheet
    from medialit.charts import student_vs_reference

    sheet = AnswerSheet(exercise="lesson03", student="ada")
    sheet.set_tags("P8.S1", "role", ["claim"])  # the expert reads P8.S1 as evidence
    fig = student_vs_reference(sheet, layers=["role", "evidence"])
    texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    assert any("does not apply (your role: claim)" in t for t in texts)
