"""The lesson notebooks: hygiene (fast) and execution in a fresh kernel (slow)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from medialit import paths

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = paths.notebooks_dir()
ALL = sorted(NOTEBOOKS.glob("*.ipynb"))
LESSONS = [p for p in ALL if p.name != "00_contents.ipynb"]
NAME = re.compile(r"^\d\d_[a-z0-9]+(?:_[a-z0-9]+)*\.ipynb$")
HEADER_FIELDS = ("**Time**", "**Difficulty**", "**Prerequisites**", "**Data used**")
ABSOLUTE = re.compile(r"(?<![\w.])(/(?:home|root|tmp|work|Users|usr|var)/|[A-Za-z]:\\\\)")
CODE_CALL = re.compile(r"^(from medialit\.lessons import \*|[a-z_]+\(.*\))$")


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def test_there_are_nine_lessons_and_a_contents_notebook():
    """Does notebooks/ hold lessons 00-08 and the table of contents?"""
    numbers = sorted(p.name[:2] for p in LESSONS)
    assert numbers == [f"{n:02d}" for n in range(9)]
    assert (NOTEBOOKS / "00_contents.ipynb").is_file()


def test_notebooks_are_built_from_their_sources():
    """Are the committed notebooks exactly what tools/build_notebooks.py makes?"""
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_notebooks.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_hygiene(path: Path):
    """No outputs, python3 kernelspec, NN_slug name, no absolute paths, no input()."""
    assert NAME.match(path.name), path.name
    nb = _read(path)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: committed outputs"
            assert cell.execution_count is None, f"{path.name}: execution count committed"
            assert "input(" not in cell.source
        assert not ABSOLUTE.search(cell.source), f"{path.name}: absolute path in {cell.source!r}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_header_and_next_link(path: Path):
    """Does each lesson open with the full header and end with a link that exists?"""
    nb = _read(path)
    head = nb.cells[0].source
    assert head.startswith("# Lesson ")
    for field in HEADER_FIELDS:
        assert field in head, f"{path.name}: header lacks {field}"
    assert "- I can " in head, f"{path.name}: no 'I can…' objectives"
    last = nb.cells[-1]
    assert last.cell_type == "markdown"
    match = re.search(r"\*\*Next:\*\* \[[^\]]+\]\(([^)]+\.ipynb)\)", last.source)
    assert match, f"{path.name}: no link to the next notebook"
    assert (NOTEBOOKS / match.group(1)).is_file(), f"{path.name}: {match.group(1)} missing"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_code_cells_are_one_line_calls_into_medialit(path: Path):
    """Is every code cell one line, calling a helper the package exports?"""
    import medialit.lessons as lessons

    nb = _read(path)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert code[0] == "from medialit.lessons import *"
    for source in code:
        assert "\n" not in source.strip(), f"{path.name}: multi-line cell {source!r}"
        assert CODE_CALL.match(source), f"{path.name}: {source!r}"
        name = source.split("(")[0]
        if not source.startswith("from "):
            assert name in lessons.__all__, f"{path.name}: {name} is not a lesson helper"


def test_contents_lists_every_lesson():
    """Does the table of contents link every lesson?"""
    text = "\n".join(c.source for c in _read(NOTEBOOKS / "00_contents.ipynb").cells)
    for path in LESSONS:
        assert f"({path.name})" in text


def test_every_question_key_used_exists():
    """Does every question/choice/reveal key in the lessons exist in questions.json?"""
    data = json.loads(paths.data_file("lessons/questions.json").read_text(encoding="utf-8"))
    keys = re.compile(
        r"""^(?:question|choice|reveal|show_rewrite)\("([^"]+)"(?:.*after="([^"]+)")?"""
    )
    for path in LESSONS:
        for cell in _read(path).cells:
            match = keys.match(cell.source) if cell.cell_type == "code" else None
            if match:
                for key in filter(None, match.groups()):
                    assert key in data, f"{path.name}: {key} not in questions.json"


def _has_warning(output: dict) -> bool:
    if output.get("output_type") == "stream" and output.get("name") == "stderr":
        return True
    text = json.dumps(output.get("data", {})) + str(output.get("text", ""))
    return "Warning" in text or "Traceback" in text


@pytest.mark.slow
@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_notebook_runs_clean_in_a_fresh_kernel(path: Path, tmp_path: Path):
    """Does the notebook run top to bottom with no error and no warning in its output?"""
    from nbclient import NotebookClient

    work = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, work)
    nb = _read(work / path.name)
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(work)}}
    ).execute()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.outputs:
            assert output["output_type"] != "error", f"{cell.source}: {output.get('evalue')}"
            assert not _has_warning(output), f"{cell.source}: {output}"
    assert not (NOTEBOOKS / "answers").exists() or path.name != "00_contents.ipynb"
