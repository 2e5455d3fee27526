"""Where the kit's data lives, in a git checkout and in an installed copy.

In a checkout (or an editable install) the files are the repository's own ``data/``,
``seeds/`` and ``notebooks/``. A wheel carries copies of them under ``medialit/_shipped/``.
``MEDIALIT_HOME`` can point at another checkout, for instructors who keep an edited copy.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from medialit.errors import MedialitError

_PACKAGE_DIR = Path(__file__).resolve().parent
SEED_NAME = "000_50abb9f4152b4059.txt"


@cache
def kit_root() -> Path:
    """The folder that holds ``data/``, ``seeds/`` and ``notebooks/``."""
    override = os.environ.get("MEDIALIT_HOME")
    candidates = [Path(override)] if override else []
    candidates += [_PACKAGE_DIR / "_shipped", _PACKAGE_DIR.parent.parent]
    for candidate in candidates:
        if (candidate / "data" / "scheme.csv").is_file():
            return candidate
    where = ", ".join(str(c) for c in candidates)
    raise MedialitError(
        f"Cannot find the kit's data folder (looked in {where}). "
        "Reinstall medialit with 'pip install .' from the project folder, "
        "or set MEDIALIT_HOME to a medialit checkout."
    )


def data_dir() -> Path:
    return kit_root() / "data"


def data_file(name: str) -> Path:
    return data_dir() / name


def seed_file(name: str = SEED_NAME) -> Path:
    return kit_root() / "seeds" / name


def notebooks_dir() -> Path:
    return kit_root() / "notebooks"
