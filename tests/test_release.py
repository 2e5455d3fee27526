"""The student release in exercises/ is exactly what nbgrader makes from solutions/."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from medialit.course.settings import CODE_STUB
from medialit.grading import ASSIGNMENTS

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "exercises"
SOLUTIONS = ROOT / "solutions"


def _release_tool():
    spec = importlib.util.spec_from_file_location("release_tool", ROOT / "tools" / "release.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _files(folder: Path) -> dict[str, Path]:
    return {str(p.relative_to(folder)): p for p in folder.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_release_is_regenerated_exactly(tmp_path):
    """Does nbgrader, run on solutions/ now, produce exactly the committed exercises/?"""
    target = tmp_path / "exercises"
    _release_tool().generate_release(target)
    fresh, committed = _files(target), _files(EXERCISES)
    assert sorted(fresh) == sorted(committed), "run: python tools/release.py"
    for name, path in fresh.items():
        assert path.read_bytes() == committed[name].read_bytes(), (
            f"exercises/{name} differs from a fresh release; run: python tools/release.py"
        )


def test_no_saved_answers_in_sources_or_release():
    """An answers file in solutions/<a>/ would ship to students and overwrite theirs."""
    for name in ASSIGNMENTS:
        assert not (SOLUTIONS / name / "answers").exists()
        assert not (EXERCISES / name / "answers").exists()
        assert sorted(p.name for p in (EXERCISES / name).iterdir()) == [f"{name}.ipynb"]


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_release_notebook_is_clean(name):
    """No outputs, python3 kernel, nothing that raises, every code cell one call."""
    nb = nbformat.read(EXERCISES / name / f"{name}.ipynb", as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        text = cell.source
        for marker in ("BEGIN SOLUTION", "HIDDEN TESTS", "NotImplementedError", "score_item"):
            assert marker not in text
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
            lines = [ln for ln in text.splitlines() if ln.strip() and ln != CODE_STUB]
            assert len(lines) == 1, text
        meta = cell.metadata["nbgrader"]
        if not meta["solution"]:
            assert meta["locked"], f"{meta['grade_id']} should be read-only"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_sources_carry_python3_and_no_outputs(name):
    nb = nbformat.read(SOLUTIONS / name / f"{name}.ipynb", as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert all(c.get("outputs", []) == [] for c in nb.cells)


def _validate(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "nbgrader", "validate", str(path)],
        cwd=path.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_sources_pass_and_release_fails_validation(name, tmp_path):
    """Do the sources earn full marks, and does the untouched release fail, per nbgrader?"""
    src = tmp_path / "src"
    rel = tmp_path / "rel"
    shutil.copytree(SOLUTIONS / name, src)
    shutil.copytree(EXERCISES / name, rel)
    src_out = _validate(src / f"{name}.ipynb").stdout
    rel_out = _validate(rel / f"{name}.ipynb").stdout
    assert "Success! Your notebook passes all the tests." in src_out, src_out
    assert "The following cell failed" in rel_out and "Success!" not in rel_out, rel_out


def test_points_read_as_a_student_would_say_them():
    """Do the assignments say '1 point' and 'up to 0.67 points', never '1 points' or
    '0–0.666667 points'?"""
    import re

    tool = _release_tool()
    assert tool.points_text(1) == "1 point" and tool.points_text(3) == "3 points"
    assert tool.rubric_scale(2) == ("up to 0.67 points", "0.67 to 1.33 points", "1.33 to 2 points")
    assert tool.rubric_scale(3) == ("up to 1 point", "1 to 2 points", "2 to 3 points")
    for name in ASSIGNMENTS:
        nb = nbformat.read(EXERCISES / name / f"{name}.ipynb", as_version=4)
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        assert not re.search(r"\b1 points|\d\.\d{3,}", text), name
