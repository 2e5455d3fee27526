"""``medialit hub init``: the files it writes for a JupyterHub class, read back as JupyterHub
and Jupyter would read them (the hub itself is started in the hub test)."""

from __future__ import annotations

import json

import pytest
from traitlets.config.loader import PyFileConfigLoader

from medialit.cli import main
from medialit.hub import write_hub


class _User:
    def __init__(self, name):
        self.name = name


class _Spawner:
    def __init__(self, name):
        self.user = _User(name)
        self.environment = {}


@pytest.fixture
def course(tmp_path):
    root = tmp_path / "course"
    root.mkdir()
    (root / "nbgrader_config.py").write_text("c = get_config()\nc.CourseDirectory.db_url = 'x'\n")
    (root / "medialit_course.json").write_text("{}")
    return root


def _load(path):
    return PyFileConfigLoader(path.name, path=str(path.parent)).load_config()


def test_the_hub_config_sets_users_roles_and_course_mode(course, tmp_path):
    out = tmp_path / "deploy"
    write_hub(out, course, ["teacher"], ["s1", "s2"], port=8765, trial_password="pw")
    config = _load(out / "jupyterhub_config.py")
    assert config.JupyterHub.bind_url == "http://127.0.0.1:8765"
    assert config.Authenticator.allowed_users == {"teacher", "s1", "s2"}
    assert config.JupyterHub.authenticator_class == "dummy"
    assert config.Spawner.default_url == "/lab"
    assert config.Spawner.environment["MEDIALIT_COURSE_CONFIG"] == str(
        course / "medialit_course.json"
    )
    hook = config.Spawner.pre_spawn_hook
    student, teacher = _Spawner("s1"), _Spawner("teacher")
    hook(student)
    hook(teacher)
    assert student.environment["JUPYTER_CONFIG_PATH"].split(":") == [
        str(out / "students"),
        str(out / "common"),
    ]
    assert teacher.environment["JUPYTER_CONFIG_PATH"].startswith(str(out / "instructors"))
    assert teacher.notebook_dir == str(course)  # formgrader runs inside its server's root
    assert not hasattr(student, "notebook_dir")


def test_students_lose_the_instructor_tools_and_share_the_exchange(course, tmp_path):
    out = tmp_path / "deploy"
    write_hub(out, course, ["teacher"], ["s1"], exchange="/srv/x/exchange")
    lab = json.loads((out / "students" / "labconfig" / "page_config.json").read_text())
    assert set(lab["disabledExtensions"]) == {
        "@jupyter/nbgrader:formgrader",
        "@jupyter/nbgrader:create-assignment",
        "@jupyter/nbgrader:course-list",
    }
    server = json.loads((out / "students" / "jupyter_server_config.json").read_text())
    assert server["ServerApp"]["jpserver_extensions"] == {
        "nbgrader.server_extensions.formgrader": False,
        "nbgrader.server_extensions.course_list": False,
    }
    assert _load(out / "common" / "nbgrader_config.py").Exchange.root == "/srv/x/exchange"
    instructor = _load(out / "instructors" / "nbgrader_config.py")
    assert instructor.CourseDirectory.root == str(course)
    assert instructor.CourseDirectory.db_url == "x"  # the course's own settings are loaded
    setup = (out / "setup.sh").read_text()
    assert "chmod 1777 /srv/x/exchange" in setup and "chmod 0644" in setup
    assert _load(out / "jupyterhub_config.py").JupyterHub.authenticator_class == "pam"


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--instructor", "Teacher!"], "cannot be the user name of a instructor"),
        (["--student", "s1"], "Name at least one instructor"),
        (["--instructor", "t", "--student", "t"], "cannot be both instructor and student"),
    ],
)
def test_bad_names_get_one_sentence(course, tmp_path, capsys, argv, message):
    code = main(["hub", "init", str(course), "--out", str(tmp_path / "d"), *argv])
    assert code == 2
    assert message in capsys.readouterr().err


def test_a_class_list_file_names_the_students(course, tmp_path, capsys):
    roster = tmp_path / "class.csv"
    roster.write_text("id,first_name\nada,Ada\nalan,Alan\n")
    argv = ["hub", "init", str(course), "--instructor", "t", "--students", str(roster)]
    assert main([*argv, "--out", str(tmp_path / "d")]) == 0
    assert "for 2 students" in capsys.readouterr().out
    config = _load(tmp_path / "d" / "jupyterhub_config.py")
    assert config.Authenticator.allowed_users == {"t", "ada", "alan"}


def test_every_user_finds_the_kit_commands(course, tmp_path):
    import sys
    from pathlib import Path

    write_hub(tmp_path / "d", course, ["t"], ["s"])
    env = _load(tmp_path / "d" / "jupyterhub_config.py").Spawner.environment
    assert env["PATH"].split(":")[0] == str(Path(sys.executable).parent)
