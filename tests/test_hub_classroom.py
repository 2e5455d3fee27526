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
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.hub, pytest.mark.slow]

KIT = Path(__file__).resolve().parents[1]
A1 = "a1_claims"
TEACHER = "mlteacher"
STUDENTS = {"mlstudent1": "all", "mlstudent2": "choices", "mlstudent3": None}
PASSWORD = "hub-test-password"


def _need(condition: bool, what: str) -> None:
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"the hub test needs {what}; .ci/run installs it", pytrace=False)
    pytest.skip(f"the hub test needs {what}")


def _run(argv, *, user=None, cwd=None, env=None, check=True, timeout=600):
    if user:
        argv = ["runuser", "-u", user, "--", *argv]
    done = subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if check and done.returncode != 0:
        raise AssertionError(
            f"{' '.join(argv)} failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}"
        )
    return done


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def hub(postgres_url, tmp_path_factory):
    if os.environ.get("MEDIALIT_HUB_TESTS") != "1":
        pytest.skip("set MEDIALIT_HUB_TESTS=1 to run the JupyterHub test (it adds system users)")
    _need(os.geteuid() == 0, "root (it adds system users)")
    _need(shutil.which("configurable-http-proxy") is not None, "configurable-http-proxy (npm)")
    _need(Path("/usr/bin/python3").exists(), "Debian's /usr/bin/python3")
    import pg
    import requests

    base = Path(tempfile.mkdtemp(prefix="medialit-hub-"))
    base.chmod(0o755)
    venv = base / "venv"
    _run(["/usr/bin/python3", "-m", "venv", str(venv)])
    # the users' servers run this Python, so it must live where every user can read it
    _run([str(venv / "bin" / "pip"), "install", "-q", f"{KIT}[postgres]", "jupyterhub"])
    bindir = venv / "bin"
    for user in [TEACHER, *STUDENTS]:
        if subprocess.run(["id", "-u", user], capture_output=True).returncode != 0:
            _run(["useradd", "-m", "-s", "/bin/bash", user])
    url = pg.new_database(postgres_url, "hub_class")
    course = base / "course"
    _run([str(bindir / "medialit"), "course", "init", str(course), "--db", url, "--assignment", A1])
    deploy = base / "deploy"
    port = _free_port()
    hub_init = [str(bindir / "medialit"), "hub", "init", str(course), "--out", str(deploy)]
    hub_init += ["--instructor", TEACHER, "--exchange", str(base / "exchange")]
    hub_init += [a for s in STUDENTS for a in ("--student", s)]
    _run([*hub_init, "--port", str(port), "--trial-password", PASSWORD])
    _run(["bash", str(deploy / "setup.sh")])
    log = (base / "hub.log").open("w")
    proc = subprocess.Popen(
        [str(bindir / "python3"), "-m", "jupyterhub", "-f", str(deploy / "jupyterhub_config.py")],
        cwd=deploy,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    root = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if requests.get(f"{root}/hub/api", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if proc.poll() is not None:
                raise AssertionError((base / "hub.log").read_text()[-3000:])
            time.sleep(0.5)
        instructor_env = dict(
            os.environ,
            JUPYTER_CONFIG_PATH=f"{deploy / 'instructors'}:{deploy / 'common'}",
            PATH=f"{bindir}:/usr/sbin:/usr/bin:/sbin:/bin",
            HOME=pwd.getpwnam(TEACHER).pw_dir,
        )
        yield {
            "root": root,
            "course": course,
            "bindir": bindir,
            "env": instructor_env,
            "deploy": deploy,
        }
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        for user in [TEACHER, *STUDENTS]:
            subprocess.run(["pkill", "-KILL", "-u", user], capture_output=True)
        log.close()
        shutil.rmtree(base, ignore_errors=True)
        for user in [TEACHER, *STUDENTS]:
            subprocess.run(["userdel", "-r", user], capture_output=True)


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
        PATH=f"{hub['bindir']}:/usr/sbin:/usr/bin:/sbin:/bin",
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
    return _run(list(argv), user=TEACHER, cwd=hub["course"], env=hub["env"])


def test_a_class_fetches_submits_is_graded_into_postgresql_and_gets_feedback(hub):
    bindir = hub["bindir"]
    _as_teacher(hub, str(bindir / "nbgrader"), "release_assignment", A1)

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
            _run([str(bindir / "python3"), "-c", code], user=student, cwd=home / A1, env=env)
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
