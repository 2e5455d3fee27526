"""In JupyterLab in a real browser: is a student's work kept when two notebooks share one
answers file, and when the file was damaged? (Issue 11, "Work is never lost".)

Uses the shared fixtures of ``tests/browser/conftest.py``. Each test starts its own kernels
(up to a minute each on a busy two-core machine) and ends them.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from medialit.answers import AnswerSheet, read_answers

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DISK_DEADLINE_S = 20.0


def wait_on_disk(path: Path, check, what: str) -> None:
    """Wait until the answers file on disk satisfies ``check`` (the kernel saves it)."""
    deadline = time.monotonic() + DISK_DEADLINE_S
    while True:
        try:
            if check(read_answers(path)):
                return
        except Exception:  # not there yet, or being replaced
            pass
        assert time.monotonic() < deadline, f"not on disk within {DISK_DEADLINE_S} s: {what}"
        time.sleep(0.1)


def show(page, server, notebook: str, css: str) -> None:
    server.open_notebook(page, notebook)
    server.run_all_cells(page)
    page.locator(css).first.wait_for(state="visible", timeout=60_000)
    server.assert_no_widget_errors(page)


def test_two_notebooks_on_one_answers_file_keep_both_edits(lab_server, browser, lab_page):
    """Lesson 01's tagger in one notebook and its written question in a copy (two kernels,
    both opened before either saved): a tag, an answer, then another tag all survive."""
    folder = "two_kernels"
    lab_server.write_notebook(
        f"{folder}/lesson.ipynb",
        ["from medialit.lessons import *", 'tag("lesson01", layers=["role"])'],
    )
    lab_server.write_notebook(
        f"{folder}/lesson_copy.ipynb",
        ["from medialit.lessons import *", 'question("01.structure")'],
    )
    path = lab_server.root_dir / folder / "answers" / "lesson01.json"
    tagger_page = lab_page
    copy_page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    copy_page.set_default_timeout(30_000)
    try:
        show(tagger_page, lab_server, f"{folder}/lesson.ipynb", ".medialit-tagger")
        show(copy_page, lab_server, f"{folder}/lesson_copy.ipynb", ".ml-question textarea")

        tagger_page.locator(".medialit-label-role-thesis").click()
        wait_on_disk(path, lambda s: s.get_tags("P0.S1", "role") == ["thesis"], "the tag")

        answer = "A problem, its cause, then the remedy."
        copy_page.locator(".ml-question textarea").fill(answer)
        wait_on_disk(
            path,
            lambda s: s.responses.get("structure") == answer,
            "the written answer",
        )
        assert read_answers(path).get_tags("P0.S1", "role") == ["thesis"]  # kept

        tagger_page.locator(".medialit-unit-P1-S1").click()
        tagger_page.locator(".medialit-label-role-claim").click()
        wait_on_disk(path, lambda s: s.get_tags("P1.S1", "role") == ["claim"], "the second tag")
        saved = read_answers(path)
        assert saved.responses.get("structure") == answer  # kept
        assert saved.get_tags("P0.S1", "role") == ["thesis"]
        tagger_page.wait_for_function(
            "() => document.querySelector('.medialit-progress').innerText.includes('2 of 20')"
        )
        lab_server.assert_no_widget_errors(tagger_page)
        lab_server.assert_no_widget_errors(copy_page)
    except Exception:
        lab_server.screenshot(copy_page, "answers_two_kernels_copy")
        raise
    finally:
        copy_page.context.close()
        lab_server.shutdown_kernels()


def test_a_cut_off_answers_file_keeps_its_readable_tags_and_says_so(lab_server, lab_page):
    folder = "damaged"
    sheet = AnswerSheet(exercise="lesson01", student="tester")
    for unit, role in [("P0.S1", "thesis"), ("P1.S1", "claim"), ("P2.S1", "evidence")]:
        sheet.set_tags(unit, "role", role)
    sheet.set_tags("P3.S1", "role", "claim")
    raw = json.dumps(sheet.to_dict(), indent=2).encode()
    cut = raw.index(b'"claim"', raw.index(b'"P3.S1"')) + 3  # inside P3.S1's label list
    path = lab_server.root_dir / folder / "answers" / "lesson01.json"
    path.parent.mkdir(parents=True)
    path.write_bytes(raw[:cut])
    lab_server.write_notebook(
        f"{folder}/lesson.ipynb",
        ["from medialit.lessons import *", 'tag("lesson01", layers=["role"])'],
    )
    page = lab_page
    try:
        show(page, lab_server, f"{folder}/lesson.ipynb", ".medialit-tagger")
        assert "3 of 20 tagged" in page.locator(".medialit-progress").inner_text()
        notice = page.locator(".medialit-notice")
        notice.wait_for(state="visible")
        text = notice.inner_text()
        assert f"was damaged (not valid JSON, cut off at byte {cut})" in text
        assert "3 of 4 tags recovered" in text
        assert "rename it to lesson01.json" in text
        [aside] = path.parent.glob("lesson01.broken-*.json")
        assert aside.name in text and aside.read_bytes() == raw[:cut]
        saved = read_answers(path)
        assert saved.tagged_units() == ["P0.S1", "P1.S1", "P2.S1"]
        lab_server.assert_no_widget_errors(page)
    finally:
        lab_server.shutdown_kernels()
