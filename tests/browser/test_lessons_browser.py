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
from axe import find_axe, serious_violations

from medialit import paths

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LESSONS = sorted(p.name for p in paths.notebooks_dir().glob("[0-9][0-9]_*.ipynb"))
FOLDER = "lessons"
#: What each kind of code cell must show once rendered (CSS class added by the kit).
EXPECTED = {
    "choose(": ".medialit-choice",
    "choose_verdict(": ".medialit-verdicts",
    "question(": ".ml-question",
    "choice(": ".ml-choice-box",
    "tag(": ".medialit-tagger",
    "verdicts(": ".ml-verdicts",
    "show_rewrite(": ".ml-rewrite",
    "open_result(": ".ml-open-result",
}


@pytest.fixture(scope="module")
def lessons_dir(lab_server) -> Path:
    """A copy of notebooks/ inside the shared server's root (answers are saved beside it)."""
    folder = lab_server.root_dir / FOLDER
    shutil.copytree(paths.notebooks_dir(), folder, dirs_exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def axe() -> Path:
    return find_axe()


def _expected(notebook: Path) -> dict[str, int]:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    counts: dict[str, int] = {}
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        for call, css in EXPECTED.items():
            if re.search(r"(^|; )" + re.escape(call), source):  # "from ... import x; x(...)"
                counts[css] = counts.get(css, 0) + 1
    return counts


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_runs_in_jupyterlab(name, lab_server, lessons_dir, lab_page, axe):
    """Does the lesson run all its cells in JupyterLab, with every widget rendered, and no
    serious or critical axe-core violation in its outputs?"""
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
        violations = serious_violations(page, axe)
        assert not violations, f"{name}: axe-core found\n" + "\n".join(violations)
        if os.environ.get("MEDIALIT_SCREENSHOTS"):  # to look at a lesson as a student would
            folder = Path(os.environ["MEDIALIT_SCREENSHOTS"])
            folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    finally:
        lab_server.shutdown_kernels()  # one kernel at a time on a busy machine


#: the student release of the assignments (generated from solutions/ by tools/release.py)
RELEASE = Path(__file__).resolve().parents[2] / "exercises"
EXERCISES = sorted(p.parent.name for p in RELEASE.glob("a*/a*.ipynb"))


@pytest.fixture(scope="module")
def exercises_dir(lab_server) -> Path:
    """A copy of the student release (exercises/) inside the shared server's root."""
    folder = lab_server.root_dir / "exercises"
    shutil.copytree(RELEASE, folder, dirs_exist_ok=True)
    return folder


@pytest.mark.parametrize("name", EXERCISES)
def test_exercise_runs_and_reads_well(name, lab_server, exercises_dir, lab_page, axe):
    """Does each assignment, as a student receives it, run all its cells with every widget
    rendered and no serious or critical axe-core violation in its outputs?"""
    page = lab_page
    try:
        lab_server.open_notebook(page, f"exercises/{name}/{name}.ipynb")
        lab_server.run_all_cells(page)
        page.wait_for_timeout(1500)
        lab_server.assert_no_widget_errors(page)
        expected = _expected(exercises_dir / name / f"{name}.ipynb")
        body = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
        for css, count in expected.items():
            assert body.locator(css).count() == count, f"{name}: {css}"
        violations = serious_violations(page, axe)
        assert not violations, f"{name}: axe-core found\n" + "\n".join(violations)
    finally:
        lab_server.shutdown_kernels()


def test_the_axe_check_finds_what_it_should(lab_server, lab_page, axe):
    """The axe check can fail: a nameless button and an unlabelled text box in an output are
    reported (both critical)."""
    lab_server.write_notebook(
        "axe_probe.ipynb",
        ["from IPython.display import HTML", "HTML('<button></button><input type=\"text\">')"],
    )
    page = lab_page
    try:
        lab_server.open_notebook(page, "axe_probe.ipynb")
        lab_server.run_all_cells(page)
        found = "\n".join(serious_violations(page, axe))
        assert "button-name" in found and "critical: label" in found, found
    finally:
        lab_server.shutdown_kernels()
