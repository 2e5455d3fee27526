"""Can a student read every option of a choice, at any width, in a real browser?

The graded thesis question (``choose("a1_thesis")`` in the a1_claims exercise) and lesson
01's thesis choice offer whole sentences. Each option must show its full text (no "…", nothing
cut off), no option may overlap another, and each radio circle must be visible, at a desktop
width (1280 px) and a narrow one (600 px). The options are real radio inputs: each one is named
by its text for a screen reader, and Tab and Space choose one. Opening a notebook, before
running anything, does not mark it modified.
"""

from __future__ import annotations

import json
import shutil
import sys

import pytest

from medialit import paths
from medialit.article import load_article
from medialit.grading import ITEMS
from medialit.lessons.bank import question_item as _item

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FOLDER = "choices"
ROOT = paths.notebooks_dir().parent
EXERCISE = f"{FOLDER}/a1_claims/a1_claims.ipynb"
LESSON = f"{FOLDER}/lessons/01_anatomy_of_an_argument.ipynb"

#: For every option group on the page: each label's text, box and radio, as the page draws them.
_MEASURE = """() => [...document.querySelectorAll('.ml-options')].map(group => {
  const labels = [...group.querySelectorAll('.medialit-radio-option')];
  const options = labels.map(label => {  // measured first, with no scrolling in between
    const input = label.querySelector('input[type=radio]');
    const box = label.getBoundingClientRect();
    const dot = input.getBoundingClientRect();
    const area = label.closest('.jp-OutputArea-output').getBoundingClientRect();
    return {
      text: label.innerText.trim(),
      box: [box.left, box.top, box.right, box.bottom],
      area: [area.left, area.right],
      clipped: label.scrollWidth > label.clientWidth + 1
        || label.scrollHeight > label.clientHeight + 1,
      dot: [dot.width, dot.height],
      dotInside: dot.left >= box.left - 1 && dot.right <= box.right + 1
        && dot.top >= box.top - 1 && dot.bottom <= box.bottom + 1,
    };
  });
  labels.forEach((label, n) => {  // then: is each radio on top where it is drawn?
    const input = label.querySelector('input[type=radio]');
    input.scrollIntoView({block: 'center'});
    const dot = input.getBoundingClientRect();
    const hit = document.elementFromPoint(dot.x + dot.width / 2, dot.y + dot.height / 2);
    options[n].dotOnTop = hit === input || label.contains(hit);
  });
  return options;
})"""


def _sentences(units, article: str = "seed") -> list[str]:
    art = load_article(article)
    return [f"{u}: {art.unit(u).text}" for u in units]


EXPECTED = {
    EXERCISE: [
        [text for text, _ in ITEMS["a1_genre"].options],
        _sentences(ITEMS["a1_thesis"].units),
    ],
    LESSON: [_sentences([opt for opt, _ in _item("01.thesis")["options"]])],
}


@pytest.fixture(scope="module")
def copies(lab_server):
    """The a1_claims release and lesson 01, copied into the shared server's root."""
    shutil.copytree(ROOT / "exercises" / "a1_claims", lab_server.root_dir / FOLDER / "a1_claims")
    lessons = lab_server.root_dir / FOLDER / "lessons"
    lessons.mkdir(parents=True)
    shutil.copy(ROOT / "notebooks" / "01_anatomy_of_an_argument.ipynb", lessons)
    return lab_server


def _overlap(a: list[float], b: list[float]) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return max(width, 0) * max(height, 0)


@pytest.mark.parametrize("width", [1280, 600])
@pytest.mark.parametrize("notebook", [EXERCISE, LESSON], ids=["a1_claims", "lesson01"])
def test_every_option_is_readable(notebook, width, copies, lab_page):
    """Is every option's whole text shown, apart from the others, with its radio visible?"""
    page, server = lab_page, copies
    page.set_viewport_size({"width": width, "height": 900})
    try:
        server.open_notebook(page, notebook)
        committed = json.loads((server.root_dir / notebook).read_text(encoding="utf-8"))
        if committed["metadata"]["language_info"]["version"] == sys.version.split()[0]:
            dirty = "() => window.jupyterapp.shell.currentWidget.context.model.dirty"
            assert not page.evaluate(dirty), "opening the notebook marked it modified"
        server.run_all_cells(page)
        page.locator(".ml-options .medialit-radio-option").first.wait_for(state="visible")
        page.wait_for_timeout(500)  # let the widgets lay out
        groups = page.evaluate(_MEASURE)
        assert [[o["text"] for o in g] for g in groups] == EXPECTED[notebook]
        for options in groups:
            for n, option in enumerate(options):
                where = f"{notebook} at {width} px: {option['text'][:30]}"
                assert not option["clipped"], f"cut off: {where}"
                left, _, right, _ = option["box"]
                assert option["area"][0] - 1 <= left and right <= option["area"][1] + 1, where
                assert min(option["dot"]) >= 8, f"no radio circle: {where}"
                assert option["dotInside"] and option["dotOnTop"], f"radio hidden: {where}"
                for other in options[n + 1 :]:
                    assert _overlap(option["box"], other["box"]) < 1, f"overlaps: {where}"
        for text in EXPECTED[notebook][-1]:  # each thesis option has its full text as its name
            assert page.get_by_role("radio", name=text, exact=True).count() == 1
        if notebook == EXERCISE and width == 600:  # chosen from the keyboard, as in a form
            cells = (
                "() => window.jupyterapp.shell.currentWidget.content.widgets"
                ".map(c => [c.model.type, c.model.sharedModel.getSource().length])"
            )
            active = "() => window.jupyterapp.shell.currentWidget.content.activeCellIndex"
            genre = page.locator(".medialit-choice-a1_genre input[type=radio]")
            genre.nth(1).check()  # one question answered: another must not take it away
            radios = page.locator(".medialit-choice-a1_thesis input[type=radio]")
            radios.nth(0).focus()
            before, at = page.evaluate(cells), page.evaluate(active)
            page.keyboard.press("ArrowDown")  # JupyterLab would move to the next cell
            assert radios.nth(1).is_checked() and radios.nth(1).evaluate(
                "r => r === document.activeElement"
            )
            for key in ("m", "a", "b", "d", "d"):  # and these would edit the notebook
                page.keyboard.press(key)
            assert page.evaluate(cells) == before and page.evaluate(active) == at
            status = page.locator(".medialit-choice", has=radios.nth(1))
            status.get_by_text("Saved: P2.S1").wait_for(state="visible")
            radios.last.focus()
            page.keyboard.press("ArrowDown")  # wraps within its own question only
            assert radios.first.is_checked() and genre.nth(1).is_checked()
            names = page.evaluate(
                "() => [...document.querySelectorAll('.medialit-radio')]"
                ".map(g => g.querySelector('input').name)"
            )
            assert len(set(names)) == len(names), names  # one radio group per question
    finally:
        server.shutdown_kernels()
