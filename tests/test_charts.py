"""Charts render headless (Agg) with titles, axis labels, alt text, and save PNG + SVG."""

from __future__ import annotations

import io
import warnings

import matplotlib
import pytest
from matplotlib.patches import Rectangle

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
    assert any(ax.get_xlabel().strip() for ax in fig.axes)
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
