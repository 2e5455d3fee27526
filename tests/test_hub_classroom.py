"""A class on a real JupyterHub, end to end without a browser.

JupyterHub (with configurable-http-proxy from npm) and PostgreSQL on 127.0.0.1, a course made
by ``medialit course init --db postgresql://...`` and ``medialit hub init``, one instructor
and three students as real system users. Students log in, their servers spawn as themselves,
they fetch ``a1_claims`` through their Assignments tab's API, save answers (as the widgets
would) and submit; the instructor collects, grades into PostgreSQL with ``medialit grade``,
makes and releases feedback; a student fetches it and reads the score with no answer key.

It creates system users and folders, so it runs only where asked: ``MEDIALIT_HUB_TESTS=1``
(``.ci/run`` sets it on its throwaway machine). There, a missing part fails the test.
"""

from __future__ import annotations

import os
import pwd
import time
from pathlib import Path

import pytest
from hubtest import A1, PASSWORD, SBIN_PATH, STUDENTS, TEACHER, run

pytestmark = [pytest.mark.hub, pytest.mark.slow]


def _disabled(lab: str) -> set[str]:
    """The lab extensions a user's JupyterLab page turns off."""
    import json
    import re

    found = re.search(
        r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', lab, re.S
    )
    data = json.loads(found.group(1))
    disabled = data.get("disabledExtensions") or []
    return set(disabled if isinstance(disabled, list) else [k for k, v in disabled.items() if v])


def _user_env(hub, user: str) -> dict[str, str]:
    return dict(
        os.environ,
        HOME=pwd.getpwnam(user).pw_dir,
        MEDIALIT_STUDENT=user,
        PATH=f"{hub['bindir']}:{SBIN_PATH}",
    )


def _login(hub, user: str):
    import requests

    s = requests.Session()
    s.get(f"{hub['root']}/hub/login", timeout=30)
    xsrf = s.cookies.get("_xsrf", path="/hub/")
    form = {"username": user, "password": PASSWORD, "_xsrf": xsrf}
    s.post(f"{hub['root']}/hub/login?next=", data=form, timeout=180)
    for _ in range(120):  # the server spawns as the user
        page = s.get(f"{hub['root']}/user/{user}/lab", timeout=30)
        if page.ok and "jupyter-config-data" in page.text:
            return s, page.text
        time.sleep(1)
    raise AssertionError(f"{user}'s server did not start")


def _assignments(hub, s, user: str, action: str = "", **data):
    xsrf = s.cookies.get("_xsrf", path=f"/user/{user}/")
    url = f"{hub['root']}/user/{user}/assignments" + (f"/{action}" if action else "")
    send = {"course_id": "medialit", **data}
    if action:
        r = s.post(url, data=send, headers={"X-XSRFToken": xsrf}, timeout=300)
    else:
        r = s.get(url, params=send, headers={"X-XSRFToken": xsrf}, timeout=300)
    assert r.ok and r.json()["success"], r.text[:1000]
    return r.json()["value"]


def _as_teacher(hub, *argv):
    return run(list(argv), user=TEACHER, cwd=hub["course"], env=hub["env"])


def test_a_class_fetches_submits_is_graded_into_postgresql_and_gets_feedback(hub):
    bindir = hub["bindir"]  # the assignment is released (hubtest.run_hub)

    # students: log in, check the tools they see, fetch, answer, submit
    for student, answers in STUDENTS.items():
        s, lab = _login(hub, student)
        assert {
            "@jupyter/nbgrader:formgrader",
            "@jupyter/nbgrader:create-assignment",
        } <= _disabled(lab)
        assert s.get(f"{hub['root']}/user/{student}/formgrader", timeout=30).status_code == 404
        released = _assignments(hub, s, student)
        assert [a["assignment_id"] for a in released] == [A1]
        _assignments(hub, s, student, "fetch", assignment_id=A1)
        home = Path(pwd.getpwnam(student).pw_dir)
        assert (home / A1 / f"{A1}.ipynb").is_file()
        if answers:
            keep = ("tags", "responses", "verdicts") if answers == "all" else ("responses",)
            code = (
                "from medialit.grading import fill_answers, model_answers\n"
                f"m = model_answers({A1!r})\n"
                f"fill_answers({A1!r}, **{{k: v for k, v in m.items() if k in {keep!r}}})\n"
            )
            env = _user_env(hub, student)
            run([str(bindir / "python3"), "-c", code], user=student, cwd=home / A1, env=env)
        _assignments(hub, s, student, "submit", assignment_id=A1)

    # the instructor: formgrader is there; collect, grade into PostgreSQL, feedback
    s, lab = _login(hub, TEACHER)
    assert "@jupyter/nbgrader:formgrader" not in _disabled(lab)
    assert s.get(f"{hub['root']}/user/{TEACHER}/formgrader", timeout=60).status_code == 200
    _as_teacher(hub, str(bindir / "nbgrader"), "collect", A1)
    done = _as_teacher(hub, str(bindir / "medialit"), "grade", str(hub["course"]), A1)
    scores = {
        line.split()[0]: float(line.split()[1])
        for line in done.stdout.splitlines()
        if line.split() and line.split()[0] in STUDENTS
    }
    assert scores == {"mlstudent1": 9.0, "mlstudent2": 3.0, "mlstudent3": 0.0}, done.stdout
    _as_teacher(hub, str(bindir / "medialit"), "feedback", str(hub["course"]), A1)
    _as_teacher(hub, str(bindir / "nbgrader"), "release_feedback", A1)

    # a student reads their feedback: the score and messages, no key
    student = "mlstudent2"
    s, _ = _login(hub, student)
    _assignments(hub, s, student, "fetch_feedback", assignment_id=A1)
    home = Path(pwd.getpwnam(student).pw_dir)
    (page,) = list((home / A1 / "feedback").rglob(f"{A1}.html"))
    from medialit import course as c

    text = c.html_text(page)
    assert "Genre (1 point): your answer matches the expert's." in text
    assert "Score: 0 of 3." in text  # the tagger was never used
    keys = c.answer_key_strings(c.Course(hub["course"]), A1)
    assert c.find_leaks(page.parent, keys) == []
