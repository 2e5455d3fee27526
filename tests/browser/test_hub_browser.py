"""A student on the real JupyterHub, in Chromium: log in, fetch from the Assignments tab, tag
and answer with the widgets, submit; the instructor collects and grades; the grade is what
the student's clicks earn. The hub is ``conftest.hub`` (``tests/hubtest.py``); it runs only
with MEDIALIT_HUB_TESTS=1, as ``.ci/run`` does. A failure leaves a screenshot in
``test-artifacts/``."""

from __future__ import annotations

import contextlib
import json
import pwd
import time
from pathlib import Path

import pytest
from hubtest import A1, BROWSER_STUDENT, PASSWORD, TEACHER, run

from medialit import course as c

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


WRITTEN = "P8.S1 gives one case for the claim in P7.S1."
# type into the answer cell of a1_evidence_why (found by its nbgrader id), as the editor would
_WRITE_ANSWER = """(text) => {
  const panel = window.jupyterapp.shell.currentWidget;
  const cell = panel.content.widgets.find(c => {
    const meta = c.model.getMetadata('nbgrader');
    return meta && meta.grade_id === 'a1_evidence_why';
  });
  if (!cell) return false;
  cell.model.sharedModel.setSource(text);
  return true;
}"""


@contextlib.contextmanager
def _page(browser, name: str):
    """A fresh page (its own context); a screenshot in test-artifacts/NAME.png if it fails."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    try:
        yield page
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        raise
    finally:
        context.close()


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
    with _page(browser, "hub_student") as page:
        _log_in(page, hub, student)
        commands = page.evaluate("() => window.jupyterapp.commands.listCommands()")
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
        written = page.evaluate(_WRITE_ANSWER, WRITTEN)  # the hand-graded question
        assert written, "no a1_evidence_why cell in the notebook"
        page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
        _wait_for(
            lambda: WRITTEN in (home / A1 / f"{A1}.ipynb").read_text(encoding="utf-8"),
            "the written answer saved in the notebook",
        )

        # Validate (the notebook's toolbar button): nbgrader runs the notebook as the student;
        # the closed checks list what is unanswered, with no score and no answer key
        page.locator(".jp-NotebookPanel-toolbar .validate-button").first.click()
        dialog = page.locator(".jp-Dialog")
        dialog.get_by_text("Validation Results").wait_for(state="visible")
        report = dialog.inner_text()
        assert "Not finished: The thesis: no option is chosen yet" in report, report
        assert "Not finished: Sentence roles: 11 sentences without an answer" in report, report
        assert "Not finished: Genre" not in report, report  # the genre is answered
        assert "Score" not in report and "Partial credit" not in report, report
        keys = c.answer_key_strings(c.Course(Path(hub["course"])), A1)
        assert not [k for k in keys if k in report]
        dialog.locator(".jp-mod-accept").click()

        page.evaluate("() => window.jupyterapp.commands.execute('nbgrader:open-assignment-list')")
        page.get_by_role("button", name="Submit").click()
        inbound = Path(hub["course"]).parent / "exchange" / "medialit" / "inbound"
        _wait_for(
            lambda: any(p.name.startswith(f"{student}+{A1}+") for p in inbound.iterdir()),
            "the submission in the exchange",
        )

    course = str(hub["course"])
    bindir = hub["bindir"]
    teacher = {"user": TEACHER, "cwd": course, "env": hub["env"]}
    run([str(bindir / "nbgrader"), "collect", A1], **teacher)
    done = run([str(bindir / "medialit"), "grade", course, A1, "--student", student], **teacher)
    row = next(line.split() for line in done.stdout.splitlines() if line.startswith(student))
    # genre 1 + roles: P0.S1 is one of the 5 graded sentences (3 points) -> 1 + 0.6
    assert float(row[1]) == 1.6, done.stdout
    assert row[4] == "1", done.stdout  # the written answer waits for a person

    # the instructor grades the written answer in formgrader, in the browser
    from nbgrader.api import Gradebook

    with Gradebook(hub["db_url"]) as gb:
        notebook_id = gb.find_submission_notebook(A1, A1, student).id
    with _page(browser, "hub_formgrader") as page:
        _log_in(page, hub, TEACHER)
        page.goto(f"{hub['root']}/user/{TEACHER}/formgrader/submissions/{notebook_id}/")
        assert page.get_by_text(WRITTEN).count() >= 1  # the instructor reads the answer
        score = page.locator("input.score.needs_manual_grade")
        score.fill("2")
        score.press("Tab")  # formgrader saves on change
        _wait_for(lambda: _manual(hub, student) == 2.0, "the manual score in the gradebook")

    # feedback: made and released by the instructor, fetched and read by the student
    run([str(bindir / "medialit"), "feedback", course, A1], **teacher)
    run([str(bindir / "nbgrader"), "release_feedback", A1], **teacher)
    with _page(browser, "hub_feedback") as page:
        _log_in(page, hub, student)
        page.evaluate("() => window.jupyterapp.commands.execute('nbgrader:open-assignment-list')")
        page.get_by_role("button", name="Fetch Feedback").click()
        _wait_for(lambda: list((home / A1 / "feedback").rglob(f"{A1}.html")), "the feedback")
        (html,) = (home / A1 / "feedback").rglob(f"{A1}.html")
        page.goto(f"{hub['root']}/user/{student}/files/{html.relative_to(home).as_posix()}")
        text = page.locator("body").inner_text()
        assert "Genre (1 point): your answer matches the expert's." in text
        assert "Score: 0.6 of 3." in text
        assert "Score: 3.6 / 12.0" in text  # the written answer's 2 points counted
        keys = c.answer_key_strings(c.Course(Path(course)), A1)
        assert not [k for k in keys if k in text]


def _log_in(page, hub, user: str) -> None:
    page.goto(f"{hub['root']}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", PASSWORD)
    page.click("#login_submit")
    page.wait_for_url(f"**/user/{user}/lab**")
    page.wait_for_function("() => !!window.jupyterapp")
    page.evaluate("async () => { await window.jupyterapp.restored; }")


def _manual(hub, student: str) -> float | None:
    from nbgrader.api import Gradebook

    with Gradebook(hub["db_url"]) as gb:
        grade = gb.find_grade("a1_evidence_why", A1, A1, student)
        return grade.manual_score
