"""A student on the real JupyterHub, in Chromium: log in, fetch from the Assignments tab, tag
and answer with the widgets, submit; the instructor collects and grades; the grade is what
the student's clicks earn. The hub is ``conftest.hub`` (``tests/hubtest.py``); it runs only
with MEDIALIT_HUB_TESTS=1, as ``.ci/run`` does. A failure leaves a screenshot in
``test-artifacts/``."""

from __future__ import annotations

import json
import pwd
import time
from pathlib import Path

import pytest
from hubtest import A1, BROWSER_STUDENT, PASSWORD, TEACHER, run

pytestmark = [pytest.mark.browser, pytest.mark.hub, pytest.mark.slow]

WAIT_MS = 180_000
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
_CURRENT_IDLE = """() => {
  const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const kernel = panel && panel.sessionContext && panel.sessionContext.session
    && panel.sessionContext.session.kernel;
  return !!kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle'
    && panel.content.widgets.filter(c => c.model.type === 'code')
         .every(c => c.model.executionCount !== null);
}"""


def _saved(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def _wait_for(condition, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.25)


def test_a_student_fetches_tags_and_submits_in_the_browser(hub, browser):
    student = BROWSER_STUDENT
    home = Path(pwd.getpwnam(student).pw_dir)
    answers = home / A1 / "answers" / f"{A1}.json"
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    try:
        page.goto(f"{hub['root']}/hub/login")
        page.fill("#username_input", student)
        page.fill("#password_input", PASSWORD)
        page.click("#login_submit")
        page.wait_for_url(f"**/user/{student}/lab**")
        page.wait_for_function("() => !!window.jupyterapp")
        commands = page.evaluate(
            "async () => { await window.jupyterapp.restored;"
            " return window.jupyterapp.commands.listCommands(); }"
        )
        assert "nbgrader:open-assignment-list" in commands
        assert "nbgrader:open-formgrader" not in commands  # no instructor tools

        page.evaluate("() => window.jupyterapp.commands.execute('nbgrader:open-assignment-list')")
        page.get_by_role("button", name="Fetch").click()
        _wait_for(lambda: (home / A1 / f"{A1}.ipynb").is_file(), "the fetched notebook")

        page.evaluate(
            "(path) => window.jupyterapp.commands.execute('docmanager:open', {path})",
            f"{A1}/{A1}.ipynb",
        )
        page.locator(".jp-Notebook").first.wait_for(state="visible")
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_function(_CURRENT_IDLE, polling=250)
        page.locator(".medialit-tagger").wait_for(state="visible")
        assert page.get_by_text("Error displaying widget").count() == 0

        page.get_by_label("an opinion column").check()  # the genre
        page.locator(".medialit-label-role-thesis").first.click()  # P0.S1, the headline
        _wait_for(
            lambda: (
                _saved(answers).get("responses", {}).get("genre") == "opinion"
                and _saved(answers).get("tags", {}).get("P0.S1", {}).get("role") == ["thesis"]
            ),
            "the clicks in the answers file",
        )
        page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")

        page.evaluate("() => window.jupyterapp.commands.execute('nbgrader:open-assignment-list')")
        page.get_by_role("button", name="Submit").click()
        inbound = Path(hub["course"]).parent / "exchange" / "medialit" / "inbound"
        _wait_for(
            lambda: any(p.name.startswith(f"{student}+{A1}+") for p in inbound.iterdir()),
            "the submission in the exchange",
        )
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "hub_student.png"), full_page=True)
        raise
    finally:
        context.close()

    course = str(hub["course"])
    bindir = hub["bindir"]
    teacher = {"user": TEACHER, "cwd": course, "env": hub["env"]}
    run([str(bindir / "nbgrader"), "collect", A1], **teacher)
    done = run([str(bindir / "medialit"), "grade", course, A1, "--student", student], **teacher)
    row = next(line.split() for line in done.stdout.splitlines() if line.startswith(student))
    # genre 1 + roles: P0.S1 is one of the 7 graded sentences (3 points) -> 1 + 0.43
    assert float(row[1]) == 1.43, done.stdout
