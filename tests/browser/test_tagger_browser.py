"""In JupyterLab in a real browser: is a click on a tag saved, and shown again after reopening?"""

from __future__ import annotations

import json
import os
import time

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOK = "tagger_check.ipynb"
SAVE_DEADLINE_S = 1.0


def saved_role(path, unit: str) -> list[str] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    return data.get("tags", {}).get(unit, {}).get("role")


def show_tagger(page, server) -> None:
    server.open_notebook(page, NOTEBOOK)
    server.run_all_cells(page)
    page.locator(".medialit-tagger").wait_for(state="visible", timeout=60_000)
    server.assert_no_widget_errors(page)


def test_click_is_saved_and_shown_after_reopening(lab_server, browser, lab_page):
    """A click on a label reaches the answers file within a second and survives a new kernel."""
    lab_server.write_notebook(
        NOTEBOOK,
        ["from medialit.tagger import tag", 'tag("browser_roles", folder="answers")'],
        markdown_first="Tag each sentence's role.",
    )
    answers = lab_server.root_dir / "answers" / "browser_roles.json"
    page = lab_page
    show_tagger(page, lab_server)
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
    page.close()
    lab_server.shutdown_kernels()
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    try:
        show_tagger(page, lab_server)
        assert "1 of 20 tagged" in page.locator(".medialit-progress").inner_text()
        page.locator(".medialit-unit-P0-S1").click()
        page.wait_for_function(
            "() => document.querySelector('.medialit-label-role-thesis')"
            ".classList.contains('mod-active')"
        )
        assert "✓ P0.S1" in page.locator(".medialit-unit-P0-S1").inner_text()
        assert saved_role(answers, "P0.S1") == ["thesis"]
        lab_server.assert_no_widget_errors(page)
    except Exception:
        lab_server.screenshot(page, "tagger_reopened")
        raise
    finally:
        page.context.close()
