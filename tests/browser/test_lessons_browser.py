"""Each lesson in a real browser: JupyterLab runs all cells, every widget renders, no errors.

Uses the shared fixtures of ``tests/browser/conftest.py``: the one JupyterLab server of the
browser session (``lab_server``) serves a copy of notebooks/ in its ``lessons/`` folder, and
a fresh Chromium page (``lab_page``) opens each lesson in turn.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from medialit import paths

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LESSONS = sorted(p.name for p in paths.notebooks_dir().glob("0[0-8]_*.ipynb"))
FOLDER = "lessons"
#: What each kind of code cell must show once rendered (CSS class added by the kit).
EXPECTED = {
    "question(": ".ml-question",
    "choice(": ".ml-choice-box",
    "tag(": ".medialit-tagger",
    "verdicts(": ".ml-verdicts",
    "show_rewrite(": ".ml-rewrite",
}


@pytest.fixture(scope="module")
def lessons_dir(lab_server) -> Path:
    """A copy of notebooks/ inside the shared server's root (answers are saved beside it)."""
    folder = lab_server.root_dir / FOLDER
    shutil.copytree(paths.notebooks_dir(), folder, dirs_exist_ok=True)
    return folder


def _expected(notebook: Path) -> dict[str, int]:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    counts: dict[str, int] = {}
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        for call, css in EXPECTED.items():
            if re.match(re.escape(call), source):
                counts[css] = counts.get(css, 0) + 1
    return counts


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_runs_in_jupyterlab(name, lab_server, lessons_dir, lab_page):
    """Does the lesson run all its cells in JupyterLab, with every widget rendered?"""
    page = lab_page
    try:
        lab_server.open_notebook(page, f"{FOLDER}/{name}")
        lab_server.run_all_cells(page)
        page.wait_for_timeout(1500)  # let widget views attach
        body = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
        lab_server.assert_no_widget_errors(page)  # no "Error displaying widget", no stderr
        assert body.locator(".jp-OutputArea-output[data-mime-type*='stderr']").count() == 0
        assert body.locator(".jp-RenderedText[data-mime-type*='error']").count() == 0
        expected = _expected(lessons_dir / name)
        for css, count in expected.items():
            found = body.locator(css).count()
            assert found == count, f"{name}: {found} rendered {css}, expected {count}"
        if os.environ.get("MEDIALIT_SCREENSHOTS"):  # to look at a lesson as a student would
            folder = Path(os.environ["MEDIALIT_SCREENSHOTS"])
            folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    finally:
        lab_server.shutdown_kernels()  # one kernel at a time on a busy machine
