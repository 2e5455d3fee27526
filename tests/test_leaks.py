"""No answer key in anything a student receives: the release, its data, returned feedback.

The key strings come from ``medialit.grading.answer_key_strings()``: every line of the hidden
tests and solution regions (model answers) of solutions/, and each key serialized whole and
as ``"unit": [labels]`` pairs. Single labels such as "evidence" are not searched on their own:
they are words in every instruction; a key is the pairing of a unit (or item) with its label.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from medialit import course_mode
from medialit.grading import (
    answer_key_strings,
    fill_answers,
    find_leaks,
    hidden_keys,
    model_answers,
)

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "exercises"
SOLUTIONS = ROOT / "solutions"


def test_key_strings_cover_keys_tests_and_model_answers():
    """Is the list of key strings meaningful (so an empty leak report means something)?"""
    strings = answer_key_strings(SOLUTIONS)
    assert '"P7.S1": ["claim"]' in strings
    assert any(s.startswith("score_item(") for s in strings)
    assert any(s.startswith("fill_answers(") for s in strings)
    assert any("Without 'strongman'" in s for s in strings)  # a model written answer
    assert '["opinion"]' in strings  # a choice key, serialized (the word alone is not)
    assert len(hidden_keys(SOLUTIONS)) >= 8


def test_release_has_no_answer_key():
    """Does any answer-key string appear in exercises/ (notebooks and any shipped data)?"""
    assert find_leaks([EXERCISES]) == []


def test_a_planted_leak_is_found(tmp_path):
    """Would the check notice a key in a notebook cell or in syntax-highlighted HTML?"""
    nb = nbformat.read(EXERCISES / "a1_claims" / "a1_claims.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell('x = {"P7.S1": ["claim"]}'))
    nbformat.write(nb, tmp_path / "leaky.ipynb")
    (tmp_path / "feedback.html").write_text(
        '<span class="s2">&quot;P7.S1&quot;</span><span class="p">:</span> '
        '<span class="p">[</span><span class="s2">&quot;claim&quot;</span>]',
        "utf-8",
    )
    found = {path.name for path, _ in find_leaks([tmp_path])}
    assert found == {"leaky.ipynb", "feedback.html"}


def _nbgrader(course: Path, *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_feedback_has_no_answer_key(tmp_path):
    """Autograde a partly-right submission in a course and grep the returned feedback."""
    name = "a1_claims"
    course = tmp_path / "course"
    (course / "solutions").mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(SOLUTIONS / name, course / "solutions" / name)
    course_mode.write_config(course, [name])
    submission = course / "submitted" / "ada" / name
    shutil.copytree(EXERCISES / name, submission)
    model = model_answers(name)
    model["tags"]["P7.S1"]["role"] = ["evidence"]  # one graded sentence wrong
    fill_answers(name, folder=submission / "answers", **model)
    _nbgrader(course, "generate_assignment", name, "--force")
    _nbgrader(course, "autograde", name, "--force")
    _nbgrader(course, "generate_feedback", name, "--force")
    feedback = course / "feedback" / "ada" / name
    html = (feedback / f"{name}.html").read_text("utf-8")
    assert "Look again at: P7.S1." in html  # the graded message reached the student
    strings = answer_key_strings(SOLUTIONS)
    assert find_leaks([feedback], strings) == []
    # the grader's own copy does hold the hidden tests: stripping them is what keeps it clean
    assert find_leaks([course / "autograded" / "ada" / name], strings)
