"""In JupyterLab in a real browser: is a click on a tag saved, and shown again after reopening?"""

from __future__ import annotations

import json
import os
import shutil
import time

import pytest
from widget_page import reopened, show_widget, wait_on_disk

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOK = "tagger_check.ipynb"
SAVE_DEADLINE_S = 1.0


def _roles(path) -> dict[str, list[str]]:
    """Each tagged unit's role as saved (nothing while the file is missing or mid-write)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    return {unit: tags.get("role") for unit, tags in data.get("tags", {}).items()}


def saved_role(path, unit: str) -> list[str] | None:
    return _roles(path).get(unit)


def test_click_is_saved_and_shown_after_reopening(lab_server, browser, lab_page):
    """A click on a label reaches the answers file within a second and survives a new kernel."""
    lab_server.write_notebook(
        NOTEBOOK,
        ["from medialit.tagger import tag", 'tag("browser_roles", folder="answers")'],
        markdown_first="Tag each sentence's role.",
    )
    answers = lab_server.root_dir / "answers" / "browser_roles.json"
    page = lab_page
    show_widget(page, lab_server, NOTEBOOK)
    assert "0 of 20 tagged" in page.locator(".medialit-progress").inner_text()
    assert "P0.S1" in page.locator(".medialit-unit-current").first.inner_text()

    thesis = page.locator(".medialit-label-role-thesis")
    thesis.click()
    clicked = time.monotonic()
    while saved_role(answers, "P0.S1") != ["thesis"]:
        assert time.monotonic() - clicked < SAVE_DEADLINE_S, (
            f"the click was not on disk within {SAVE_DEADLINE_S} s"
        )
        time.sleep(0.02)
    page.wait_for_function(
        "() => document.querySelector('.medialit-progress').innerText.includes('1 of 20')"
    )
    print(f"click to disk: {time.monotonic() - clicked:.3f} s")
    assert "mod-active" in (thesis.get_attribute("class") or "")
    if os.environ.get("MEDIALIT_SCREENSHOTS"):
        lab_server.screenshot(page, "tagger_after_click")
    lab_server.assert_no_widget_errors(page)

    # Reopen: a new page and a new kernel, as after closing the notebook or a restart.
    with reopened(page, browser, lab_server, NOTEBOOK, "tagger_reopened") as page:
        assert "1 of 20 tagged" in page.locator(".medialit-progress").inner_text()
        page.locator(".medialit-unit-P0-S1").click()
        page.wait_for_function(
            "() => document.querySelector('.medialit-label-role-thesis')"
            ".classList.contains('mod-active')"
        )
        sentence = page.locator(".medialit-unit-P0-S1")
        assert "medialit-unit-tagged" in (sentence.get_attribute("class") or "")
        assert "tagged" in (sentence.get_attribute("aria-label") or "")
        assert saved_role(answers, "P0.S1") == ["thesis"]
        lab_server.assert_no_widget_errors(page)


#: the keys pressed on five sentences of lesson 01 and the role each one chooses
KEYS = [("1", "thesis"), ("2", "claim"), ("5", "context"), ("2", "claim"), ("3", "evidence")]
#: keys JupyterLab takes in command mode: m (to Markdown), a/b (insert a cell), d d (delete)
NOTEBOOK_KEYS = ["m", "a", "b", "d", "d", "y", "Enter"]
_CELLS = """() => window.jupyterapp.shell.currentWidget.content.widgets
  .map(c => c.model.type + ':' + c.model.sharedModel.getSource().slice(0, 40))"""


def _wait_roles(path, want: dict) -> None:
    wait_on_disk(lambda: _roles(path), lambda roles: roles == want, want)


def test_lesson_01_tagged_from_the_keyboard(lab_server, lab_page):
    """Five sentences of lesson 01 tagged with keys only; the keys JupyterLab would take
    (m, a, b, d d, y, Enter) change no cell while the tagger has focus; undo by key."""
    from medialit import paths
    from medialit.article import load_article

    folder = lab_server.root_dir / "keyboard"
    folder.mkdir(exist_ok=True)
    shutil.copy(paths.notebooks_dir() / "01_anatomy_of_an_argument.ipynb", folder / "01.ipynb")
    answers = folder / "answers" / "lesson01.json"
    page = lab_page
    lab_server.open_notebook(page, "keyboard/01.ipynb")
    lab_server.run_all_cells(page)
    tagger = page.locator(".medialit-tagger")
    tagger.wait_for(state="visible", timeout=60_000)
    cells = page.evaluate(_CELLS)

    article = page.locator(".medialit-article")
    article.focus()  # as Tab would: the article is one tab stop
    want: dict[str, list[str]] = {}
    units = load_article("seed").ids[:5]
    for unit, (key, role) in zip(units, KEYS, strict=True):
        selected = page.locator(".medialit-sentence[aria-selected='true']")
        assert selected.get_attribute("data-unit") == unit
        page.keyboard.press(key)
        want[unit] = [role]
        _wait_roles(answers, want)
        page.keyboard.press(key)  # pressed twice: the label stays (u undoes, not a repeat)
        time.sleep(0.2)
        _wait_roles(answers, want)
        page.keyboard.press("j")
    page.wait_for_function(  # the kernel's answer to the last key is drawn
        "() => document.querySelector('.medialit-progress').innerText.includes('5 of 20')"
    )

    for key in NOTEBOOK_KEYS:
        page.keyboard.press(key)
    time.sleep(0.5)
    assert page.evaluate(_CELLS) == cells, "a key reached the notebook"
    assert tagger.is_visible()

    page.keyboard.press("u")  # undo the last tag
    del want[units[4]]
    _wait_roles(answers, want)
    page.keyboard.press("Backspace")
    del want[units[3]]
    _wait_roles(answers, want)
    page.keyboard.press("Home")
    page.keyboard.press("n")  # the first untagged sentence after the current one
    page.wait_for_function(
        "(unit) => document.querySelector(\".medialit-sentence[aria-selected='true']\")"
        ".dataset.unit === unit",
        arg=units[3],
    )
    focused = page.evaluate("() => document.activeElement.className")
    assert "medialit-article" in focused  # focus stays where the student is
    lab_server.assert_no_widget_errors(page)
