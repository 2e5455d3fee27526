"""``medialit hub init``: the files for a class on one JupyterHub server with system users.

What it writes into a folder (``deploy`` by default, in the course folder):

- ``jupyterhub_config.py``: JupyterHub (5 or 6) on 127.0.0.1, system users (PAM, or a
  shared trial password with ``--trial-password``), ``LocalProcessSpawner`` running each
  user's server as that user from the Python that runs the hub, JupyterLab by default, and
  ``MEDIALIT_COURSE_CONFIG`` set for everyone to the course's ``medialit_course.json``;
- ``common/nbgrader_config.py``: the exchange (``--exchange``, world-writable as nbgrader
  needs, with the sticky bit so no one deletes another's files) and the course id;
- ``instructors/``: nbgrader's course folder for formgrader (``CourseDirectory.root``); an
  instructor's JupyterLab opens in the course folder, where formgrader must run;
- ``students/``: a Jupyter config that turns off nbgrader's instructor tools (formgrader,
  create-assignment, course list) for students, so their lab shows the assignment list and
  validate only;
- ``setup.sh``: what root runs once (users, the exchange, permissions).

The hub's spawner puts ``instructors/`` or ``students/`` first on each user's
``JUPYTER_CONFIG_PATH``, then ``common/``. Nothing here is secret: the answer keys stay in the
course folder, readable by instructors only (``setup.sh`` sets that).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from medialit.errors import MedialitError

_USER = re.compile(r"^[a-z_][a-z0-9_-]{0,31}$")

HUB_CONFIG = '''\
"""JupyterHub for the medialit course in {course} (written by 'medialit hub init')."""

import os

c = get_config()  # noqa: F821

INSTRUCTORS = {instructors!r}
STUDENTS = {students!r}
HERE = {here!r}
COURSE = {course!r}

c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.db_url = "sqlite:///" + os.path.join(HERE, "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(HERE, "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = os.path.join(HERE, "jupyterhub-proxy.pid")
c.Authenticator.allowed_users = INSTRUCTORS | STUDENTS
{authenticator}
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [{singleuser!r}]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {{
    "MEDIALIT_COURSE_CONFIG": {course_config!r},
    # the kit's commands (medialit, nbgrader) in every user's terminal
    "PATH": {bindir!r} + ":/usr/local/bin:/usr/bin:/bin",
}}


def _config_path(spawner):
    role = "instructors" if spawner.user.name in INSTRUCTORS else "students"
    spawner.environment["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
        [os.path.join(HERE, role), os.path.join(HERE, "common")]
    )
    if role == "instructors":  # formgrader works only inside the server's root folder
        spawner.notebook_dir = COURSE


c.Spawner.pre_spawn_hook = _config_path
'''

PAM = 'c.JupyterHub.authenticator_class = "pam"'
TRIAL = (
    'c.JupyterHub.authenticator_class = "dummy"\n'
    "c.DummyAuthenticator.password = {password!r}  # a trial only: use PAM for a class"
)

COMMON = """\
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = {course_id!r}
c.Exchange.root = {exchange!r}
"""

INSTRUCTOR = """\
c = get_config()  # noqa: F821
load_subconfig({course_config!r})  # noqa: F821 (the course's gradebook and grading settings)
c.CourseDirectory.root = {course!r}
"""

STUDENT_SERVER = {
    "ServerApp": {
        "jpserver_extensions": {
            "nbgrader.server_extensions.formgrader": False,
            "nbgrader.server_extensions.course_list": False,
        }
    }
}
STUDENT_LAB = {
    "disabledExtensions": {
        "@jupyter/nbgrader:formgrader": True,
        "@jupyter/nbgrader:create-assignment": True,
        "@jupyter/nbgrader:course-list": True,
    }
}

SETUP = """\
#!/usr/bin/env bash
# Run once as root: users, the nbgrader exchange, permissions. Then start the hub with
#   {python} -m jupyterhub -f {here}/jupyterhub_config.py
set -euo pipefail
for user in {users}; do
  id -u "$user" >/dev/null 2>&1 || useradd -m -s /bin/bash "$user"
done
mkdir -p {exchange}
chmod 1777 {exchange}  # world-writable (nbgrader needs it); sticky: no one deletes another's files
# the course (answer keys in source/, the gradebook) belongs to the first instructor; students
# may pass through it to read the course-mode file, and read nothing else in it
chown -R {owner}: {course}
chmod -R o-rwx {course}
chmod 0711 {course}
chmod 0644 {course}/medialit_course.json
dir={course}
while [ "$dir" != "/" ]; do dir=$(dirname "$dir"); chmod o+x "$dir"; done
chmod -R a+rX {here}/common {here}/instructors {here}/students
"""


def _users(names: Iterable[str], what: str) -> list[str]:
    out = []
    for name in names:
        if not _USER.match(name):
            raise MedialitError(
                f"{name!r} cannot be the user name of a {what}: use lower-case letters, digits, "
                "'-' and '_', starting with a letter."
            )
        out.append(name)
    return out


def read_class_list(path: Path) -> list[str]:
    """Student user names from a file: one per line, or a CSV with an ``id`` column."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise MedialitError(f"The class list {path} cannot be read ({exc.strerror}).") from None
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    if lines and "," in lines[0]:
        import csv

        rows = list(csv.DictReader(lines))
        if not rows or "id" not in rows[0]:
            raise MedialitError(f"{path}: a CSV class list needs an 'id' column.")
        return [row["id"].strip() for row in rows]
    return lines


def write_hub(
    folder: str | Path,
    course: str | Path,
    instructors: Iterable[str],
    students: Iterable[str],
    *,
    port: int = 8000,
    exchange: str = "/srv/nbgrader/exchange",
    course_id: str = "medialit",
    trial_password: str | None = None,
) -> list[Path]:
    """Write the hub's files; returns their paths."""
    course = Path(course).resolve()
    if not (course / "nbgrader_config.py").is_file():
        raise MedialitError(
            f"{course} is not a course folder; make one first with 'medialit course init'."
        )
    teachers = _users(instructors, "instructor")
    learners = _users(students, "student")
    if not teachers:
        raise MedialitError("Name at least one instructor (--instructor NAME).")
    both = sorted(set(teachers) & set(learners))
    if both:
        raise MedialitError(f"{', '.join(both)} cannot be both instructor and student.")
    here = Path(folder).resolve()
    here.mkdir(parents=True, exist_ok=True)
    singleuser = str(Path(sys.executable).with_name("jupyterhub-singleuser"))
    auth = TRIAL.format(password=trial_password) if trial_password else PAM
    files = {
        "jupyterhub_config.py": HUB_CONFIG.format(
            course=str(course),
            instructors=set(teachers),
            students=set(learners),
            here=str(here),
            port=int(port),
            authenticator=auth,
            singleuser=singleuser,
            bindir=str(Path(sys.executable).parent),
            course_config=str(course / "medialit_course.json"),
        ),
        "common/nbgrader_config.py": COMMON.format(course_id=course_id, exchange=exchange),
        "instructors/nbgrader_config.py": INSTRUCTOR.format(
            course=str(course), course_config=str(course / "nbgrader_config.py")
        ),
        "students/jupyter_server_config.json": json.dumps(STUDENT_SERVER, indent=2) + "\n",
        "students/labconfig/page_config.json": json.dumps(STUDENT_LAB, indent=2) + "\n",
        "setup.sh": SETUP.format(
            python=sys.executable,
            here=str(here),
            users=" ".join([*teachers, *learners]),
            exchange=exchange,
            owner=teachers[0],
            course=str(course),
        ),
    }
    written = []
    for name, text in files.items():
        path = here / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    (here / "setup.sh").chmod(0o755)
    return written
