"""Shared test settings: headless matplotlib, a fixed student name, no stray answer files."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(autouse=True)
def _isolated_student(monkeypatch, tmp_path_factory):
    """Every test runs as student 'tester' with MEDIALIT_COURSE_CONFIG unset."""
    monkeypatch.setenv("MEDIALIT_STUDENT", "tester")
    monkeypatch.delenv("MEDIALIT_COURSE_CONFIG", raising=False)
    yield
