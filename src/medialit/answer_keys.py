"""Answer keys as strings, and finding them where students could read them.

The hidden tests of the source notebooks hold every key (``hidden_keys``). A key leaks if
any form of it (the whole literal, one ``"unit": [labels]`` pair, a line of a hidden test or
of a model answer) appears in a file a student receives: the release, returned feedback.
``find_leaks`` reads files as a person would (notebook sources and outputs, HTML text) and
lists each leak; tests and ``medialit feedback`` use it. Kept apart from ``medialit.grading``
(the notebooks' module) so that the grader's side can use it without importing the widgets.
"""

from __future__ import annotations

import ast
import contextlib
import html
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from medialit import paths

_HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n?(.*?)### END HIDDEN TESTS", re.S)
_SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)


def solutions_dir() -> Path:
    return paths.kit_root() / "solutions"


def _key_strings(key: Any) -> list[str]:
    """Serialized forms of a key that would mean a leak (not single common words)."""
    out = [json.dumps(key, ensure_ascii=False), repr(key)]
    if isinstance(key, dict):
        for unit, labels in key.items():
            out.append(json.dumps({unit: labels}, ensure_ascii=False)[1:-1])
            out.append(repr({unit: labels})[1:-1])
    return out


def hidden_score_call(source: str) -> tuple[str, Any] | str:
    """(item id, key) from a test cell's one hidden ``score_item`` call, read as literals
    (nothing is executed), or the reason the cell holds none. The grader
    (``medialit.course.keys``) and ``hidden_keys`` both read keys through this."""
    calls = []
    for region in _HIDDEN.findall(source):
        try:
            tree = ast.parse(region)
        except SyntaxError:
            return "its hidden test is not valid Python"
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "score_item":
                calls.append(node)
    if len(calls) != 1:
        return "it has no hidden score_item(...) call" if not calls else "it scores twice"
    node = calls[0]
    try:
        item_id = ast.literal_eval(node.args[0])
        keywords = {k.arg: k.value for k in node.keywords}
        key = ast.literal_eval(keywords["key"])
    except (IndexError, KeyError, ValueError, TypeError, SyntaxError):
        return "its score_item(...) call does not give an item id and key= as literals"
    return item_id, key


def hidden_keys(folder: str | Path | None = None) -> dict[str, Any]:
    """item id -> the key literal in the hidden tests of the source notebooks."""
    import nbformat

    keys: dict[str, Any] = {}
    for nb_path in sorted(Path(folder or solutions_dir()).glob("*/*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        for cell in nb.cells:
            found = hidden_score_call(cell.source)
            if not isinstance(found, str):
                keys[found[0]] = found[1]
    return keys


def answer_key_strings(folder: str | Path | None = None) -> list[str]:
    """Every string that would give an answer away if a student received it.

    From the source notebooks: each line of every hidden-test region, each line of every
    solution region (model answers, the model-answer filler), and serialized forms of each
    key (the whole key and each ``"unit": [labels]`` pair). Short lines (under 12 characters)
    are skipped: they are punctuation or common words, not answers.
    """
    import nbformat

    strings: set[str] = set()
    for nb_path in sorted(Path(folder or solutions_dir()).glob("*/*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        for cell in nb.cells:
            for region in _HIDDEN.findall(cell.source) + _SOLUTION.findall(cell.source):
                strings |= {line.strip() for line in region.splitlines() if len(line.strip()) >= 12}
    for key in hidden_keys(folder).values():
        strings |= set(_key_strings(key))
    return sorted(strings)


def _visible_text(path: Path) -> str:
    """The text a person would read in a file (notebook sources and outputs; HTML text)."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".ipynb":
        with contextlib.suppress(ValueError, KeyError, TypeError):
            nb = json.loads(raw)
            parts = []
            for cell in nb.get("cells", []):
                src = cell.get("source", "")
                parts.append("".join(src) if isinstance(src, list) else src)
                for out in cell.get("outputs", []):
                    text = out.get("text") or out.get("data", {}).get("text/plain", "")
                    parts.append("".join(text) if isinstance(text, list) else str(text))
            return raw + "\n" + "\n".join(parts)
    if path.suffix in (".html", ".htm"):
        return raw + "\n" + html.unescape(re.sub(r"<[^>]+>", "", raw))
    return raw


def find_leaks(
    folders: Iterable[str | Path],
    strings: Iterable[str] | None = None,
) -> list[tuple[Path, str]]:
    """(file, key string) for every answer-key string found in text files under the folders."""
    needles = list(strings if strings is not None else answer_key_strings())
    found = []
    for folder in folders:
        folder = Path(folder)
        files = (
            [folder] if folder.is_file() else sorted(p for p in folder.rglob("*") if p.is_file())
        )
        for path in files:
            if path.suffix in (".png", ".jpg", ".gif", ".pdf", ".db", ".sqlite", ".zip"):
                continue
            text = _visible_text(path)
            found += [(path, s) for s in needles if s in text]
    return found


def reference_row_strings(pairs: Iterable[tuple[str, str]]) -> list[str]:
    """How a reference row for each (unit, layer) begins in a CSV file (``P2.S2,role,``):
    a course's own article leaks if any row of a graded unit reaches a student, whatever its
    labels (``medialit course add-article`` checks the release and course settings for these
    next to ``answer_key_strings``)."""
    return sorted({f"{unit},{layer}," for unit, layer in pairs})
