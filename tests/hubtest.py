"""A real JupyterHub class for tests: a world-readable virtualenv with the kit, system users,
a course on PostgreSQL made by ``medialit course init`` and ``medialit hub init``, and the
hub on 127.0.0.1 with a trial password. ``conftest.hub`` runs one per session, only where
``MEDIALIT_HUB_TESTS=1`` (``.ci/run`` sets it: it adds system users). The assignment is
released to the exchange before any test runs.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from lab_settings import LAB_SETTINGS

KIT = Path(__file__).resolve().parents[1]
A1 = "a1_claims"
TEACHER = "mlteacher"
#: student -> what they answer ("all", "choices" or None) in the API-driven test
STUDENTS = {"mlstudent1": "all", "mlstudent2": "choices", "mlstudent3": None}
#: the student who works in Chromium (tests/browser/test_hub_browser.py)
BROWSER_STUDENT = "mlstudent4"
PASSWORD = "hub-test-password"
SBIN_PATH = "/usr/sbin:/usr/bin:/sbin:/bin"


def need(condition: bool, what: str) -> None:
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"the hub test needs {what}; .ci/run installs it", pytrace=False)
    pytest.skip(f"the hub test needs {what}")


def run(argv, *, user=None, cwd=None, env=None, check=True, timeout=600):
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


def users() -> list[str]:
    return [TEACHER, *STUDENTS, BROWSER_STUDENT]


def _lab_settings(user: str) -> None:
    home = Path(pwd.getpwnam(user).pw_dir)
    for name, value in LAB_SETTINGS.items():
        path = home / ".jupyter" / "lab" / "user-settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    run(["chown", "-R", f"{user}:", str(home / ".jupyter")])


def run_hub(postgres_url):
    """Generator for the session fixture: yields a dict describing the running class."""
    if os.environ.get("MEDIALIT_HUB_TESTS") != "1":
        pytest.skip("set MEDIALIT_HUB_TESTS=1 to run the JupyterHub test (it adds system users)")
    need(os.geteuid() == 0, "root (it adds system users)")
    need(shutil.which("configurable-http-proxy") is not None, "configurable-http-proxy (npm)")
    need(Path("/usr/bin/python3").exists(), "Debian's /usr/bin/python3")
    import pg
    import requests

    base = Path(tempfile.mkdtemp(prefix="medialit-hub-"))
    base.chmod(0o755)
    venv = base / "venv"
    run(["/usr/bin/python3", "-m", "venv", str(venv)])
    # the users' servers run this Python, so it must live where every user can read it
    run([str(venv / "bin" / "pip"), "install", "-q", f"{KIT}[postgres]", "jupyterhub"])
    bindir = venv / "bin"
    for user in users():
        if subprocess.run(["id", "-u", user], capture_output=True).returncode != 0:
            run(["useradd", "-m", "-s", "/bin/bash", user])
        _lab_settings(user)
    url = pg.new_database(postgres_url, "hub_class")
    course = base / "course"
    run([str(bindir / "medialit"), "course", "init", str(course), "--db", url, "--assignment", A1])
    deploy = base / "deploy"
    port = pg.free_port()
    hub_init = [str(bindir / "medialit"), "hub", "init", str(course), "--out", str(deploy)]
    hub_init += ["--instructor", TEACHER, "--exchange", str(base / "exchange")]
    hub_init += [a for s in [*STUDENTS, BROWSER_STUDENT] for a in ("--student", s)]
    run([*hub_init, "--port", str(port), "--trial-password", PASSWORD])
    with (deploy / "jupyterhub_config.py").open("a") as config:  # for the browser test
        config.write('\nc.Spawner.args = ["--LabApp.expose_app_in_browser=True"]\n')
    run(["bash", str(deploy / "setup.sh")])
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
            PATH=f"{bindir}:{SBIN_PATH}",
            HOME=pwd.getpwnam(TEACHER).pw_dir,
        )
        nbgrader = [str(bindir / "nbgrader"), "release_assignment", A1]
        run(nbgrader, user=TEACHER, cwd=course, env=instructor_env)
        yield {
            "root": root,
            "course": course,
            "bindir": bindir,
            "env": instructor_env,
            "deploy": deploy,
            "db_url": url,
        }
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        for user in users():
            subprocess.run(["pkill", "-KILL", "-u", user], capture_output=True)
        log.close()
        shutil.rmtree(base, ignore_errors=True)
        for user in users():
            subprocess.run(["userdel", "-r", user], capture_output=True)
        for user in [TEACHER, *STUDENTS]:
            subprocess.run(["userdel", "-r", user], capture_output=True)
