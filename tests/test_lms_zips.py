"""``medialit collect-zips``: Canvas- and Moodle-style downloads of real submissions (the
kit's a1_claims fixtures) are placed with their answers files and grade to the same scores
as the same submissions collected directly; what cannot be placed is reported."""

from __future__ import annotations

import io
import zipfile

import grading_fixtures as gf
import nbformat
import pytest

from medialit import course as c
from medialit.cli import main

pytestmark = pytest.mark.slow

#: student id -> (LMS id, first name, last name)
CLASS = {
    "all-correct": ("1001", "Ada", "Lovelace"),
    "genre-wrong": ("1002", "Alan", "Turing"),
    "tagger-never-used": ("1003", "Grace", "Hopper"),
    "blank": ("1004", "Edsger", "Dijkstra"),
}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    from nbgrader.api import Gradebook

    base = tmp_path_factory.mktemp("lms")
    made = c.init_course(base / "course", assignments=[gf.A1], progress=lambda m: None)
    with Gradebook(made.db_url) as gb:
        for student, (lms, first, last) in CLASS.items():
            gb.update_or_create_student(student, first_name=first, last_name=last, lms_user_id=lms)
    # the direct collection, as nbgrader collect leaves it, in a second folder
    direct = base / "direct"
    gf.build(gf.release(), direct, names=list(CLASS))
    return made, direct


def _files(direct, student):
    folder = direct / student / gf.A1
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def _canvas_zip(direct, path) -> None:
    """Canvas: flat, <lastfirst>_<user id>_<submission id>_<file>; folders lost."""
    with zipfile.ZipFile(path, "w") as z:
        for i, (student, (lms, first, last)) in enumerate(CLASS.items()):
            for rel, data in _files(direct, student).items():
                name = rel.split("/")[-1]
                if student == "genre-wrong" and name.endswith(".json"):
                    name = name.replace(".json", "-1.json")  # uploaded twice
                z.writestr(f"{last.lower()}{first.lower()}_{lms}_{9000 + i}_{name}", data)


def _moodle_zip(direct, path) -> None:
    """Moodle: a folder per student; one student uploaded a zip of the whole folder."""
    with zipfile.ZipFile(path, "w") as z:
        for student, (lms, first, last) in CLASS.items():
            prefix = f"{first} {last}_{lms}_assignsubmission_file_"
            files = _files(direct, student)
            if student == "tagger-never-used":
                inner = io.BytesIO()
                with zipfile.ZipFile(inner, "w") as iz:
                    for rel, data in files.items():
                        iz.writestr(f"{gf.A1}/{rel}", data)
                z.writestr(f"{prefix}/{gf.A1}.zip", inner.getvalue())
                continue
            for rel, data in files.items():
                z.writestr(f"{prefix}/{rel.split('/')[-1]}", data)


def _direct_scores(made, direct) -> dict[str, float]:
    import shutil

    for student in CLASS:
        shutil.copytree(direct / student, made.root / "submitted" / student, dirs_exist_ok=True)
    report = c.grade(made.root, gf.A1, progress=lambda m: None)
    return {r.student: r.score for r in report.results}


@pytest.mark.parametrize("layout", ["canvas", "moodle"])
def test_an_lms_download_grades_like_a_direct_collection(course, tmp_path, capsys, layout):
    import shutil

    made, direct = course
    shutil.rmtree(made.root / "submitted", ignore_errors=True)
    expected = _direct_scores(made, direct)
    assert expected == {s: gf.FIXTURES[s][1] for s in CLASS}
    shutil.rmtree(made.root / "submitted")
    download = tmp_path / f"{layout}.zip"
    (_canvas_zip if layout == "canvas" else _moodle_zip)(direct, download)
    code = main(["collect-zips", str(made.root), gf.A1, str(download)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"{len(CLASS)} submissions of {gf.A1} placed" in out
    answers = made.root / "submitted" / "all-correct" / gf.A1 / "answers" / f"{gf.A1}.json"
    assert answers.read_bytes() == _files(direct, "all-correct")[f"answers/{gf.A1}.json"]
    assert "blank" in out and "no answers file" in out  # said, not hidden
    report = c.grade(made.root, gf.A1, progress=lambda m: None)
    assert {r.student: r.score for r in report.results} == expected


def test_a_download_that_cannot_be_placed_is_reported(course, tmp_path, capsys):
    made, _ = course
    download = tmp_path / "stranger.zip"
    with zipfile.ZipFile(download, "w") as z:
        z.writestr("hackerevil_6666_1_a1_claims.ipynb", nbformat.writes(gf.release()))
        z.writestr("readme.txt", "not a submission")
        info = zipfile.ZipInfo("lovelaceada_1001_2_link.json")
        info.external_attr = 0o120777 << 16  # a symbolic link
        z.writestr(info, "/etc/passwd")
    code = main(["collect-zips", str(made.root), gf.A1, str(download), "--force"])
    out = capsys.readouterr().out
    assert code == 1
    assert "hackerevil (LMS id 6666): not placed; no student on the class list" in out
    assert "readme.txt is not in a Canvas or Moodle layout" in out
    assert "link.json is a link; skipped" in out
    assert not (made.root / "submitted" / "hackerevil").exists()
