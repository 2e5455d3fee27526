"""Does an installed copy (not the git checkout) carry the article, the scheme and the lessons?"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    (built,) = out.glob("medialit-*.whl")
    return built


def test_wheel_ships_data_seed_and_notebooks(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "medialit/_shipped/data/scheme.csv",
        "medialit/_shipped/data/layers.csv",
        "medialit/_shipped/seeds/000_50abb9f4152b4059.txt",
        "medialit/cli.py",
        "medialit/_shipped/solutions/a1_claims/a1_claims.ipynb",
        "medialit/static/tagger.js",  # the tagger's front end (anywidget, no build step)
        "medialit/static/tagger.css",
    ):
        assert needed in names
    assert any(n.startswith("medialit/_shipped/notebooks/") for n in names) or not list(
        (ROOT / "notebooks").glob("*.ipynb")
    )


def test_installed_copy_works_away_from_the_checkout(wheel, tmp_path):
    """Unpack the wheel as site-packages would and use it from an unrelated folder."""
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "import medialit, medialit.paths as p;"
        "from medialit.article import load_article;"
        "from medialit.scheme import load_scheme;"
        "a = load_article(); s = load_scheme();"
        "print(p.kit_root().relative_to(p.Path(medialit.__file__).parent), len(a),"
        " len(s.to_frame()))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["_shipped", "20", "23"]
