"""The lesson notebooks: hygiene (fast) and execution in a fresh kernel (slow)."""

from __future__ import annotations

import importlib.util
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
#: The import cell, or one call that imports what it calls (it runs even before the import).
CODE_CALL = re.compile(r"^from medialit\.lessons import (\*|([a-z_]+); \2\(.*\))$")


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def test_there_are_ten_lessons_and_a_contents_notebook():
    """Does notebooks/ hold lessons 00-09 and the table of contents?"""
    numbers = sorted(p.name[:2] for p in LESSONS)
    assert numbers == [f"{n:02d}" for n in range(10)]
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
    """Is every code cell one line, calling a helper the package exports, and importing it
    itself (so running a cell before the import cell is no NameError)?"""
    import medialit.lessons as lessons

    nb = _read(path)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert code[0] == "from medialit.lessons import *"
    for source in code:
        assert "\n" not in source.strip(), f"{path.name}: multi-line cell {source!r}"
        match = CODE_CALL.match(source)
        assert match, f"{path.name}: {source!r}"
        name = match.group(2)
        if name:
            assert name in lessons.__all__, f"{path.name}: {name} is not a lesson helper"


def test_a_cell_runs_without_the_import_cell(tmp_path, monkeypatch):
    """Does a lesson cell run in a fresh namespace, as after a kernel restart?"""
    import medialit.lessons.markup as markup

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(markup, "display", lambda *a: None)
    nb = _read(NOTEBOOKS / "01_anatomy_of_an_argument.ipynb")
    cell = next(c.source for c in nb.cells if "question(" in c.source)
    exec(cell, {})  # no import run first


def _notebook_metadata() -> dict:
    spec = importlib.util.spec_from_file_location(
        "medialit_build_notebooks", ROOT / "tools" / "build_notebooks.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module.NOTEBOOK_METADATA


def test_notebook_metadata_is_what_jupyterlab_writes_on_opening():
    """Does every committed notebook (lessons, sources, release) carry exactly the kernelspec
    and language_info that JupyterLab writes when it opens it with ipykernel's python3 kernel,
    so that opening and closing one does not mark it modified?"""
    from ipykernel.ipkernel import IPythonKernel
    from jupyter_client.kernelspec import KernelSpecManager

    want = _notebook_metadata()
    spec = KernelSpecManager().get_kernel_spec("python3")
    kernelspec = {"name": "python3", "display_name": spec.display_name, "language": spec.language}
    assert want["kernelspec"] == kernelspec
    info = dict(IPythonKernel.language_info)
    assert {k: v for k, v in want["language_info"].items() if k != "version"} == {
        k: v for k, v in info.items() if k != "version"
    }
    assert re.fullmatch(r"3\.\d+\.\d+", want["language_info"]["version"])
    committed = [*ALL, *ROOT.glob("solutions/*/*.ipynb"), *ROOT.glob("exercises/*/*.ipynb")]
    assert len(committed) == len(ALL) + 8
    for path in committed:
        metadata = json.loads(path.read_text(encoding="utf-8"))["metadata"]
        assert metadata == want, path


def test_contents_lists_every_lesson():
    """Does the table of contents link every lesson?"""
    text = "\n".join(c.source for c in _read(NOTEBOOKS / "00_contents.ipynb").cells)
    for path in LESSONS:
        assert f"({path.name})" in text


def test_every_question_key_used_exists():
    """Does every question/choice/reveal key in the lessons exist in questions.json, and
    every show_rewrite id in data/rewrites.csv, for the lesson that shows it?"""
    from medialit.rewrites import get_rewrite

    data = json.loads(paths.data_file("lessons/questions.json").read_text(encoding="utf-8"))
    keys = re.compile(
        r"""^(?:from medialit\.lessons import \w+; )?"""
        r"""(question|choice|reveal|show_rewrite|summary)\("([^"]+)"(?:.*after="([^"]+)")?"""
    )
    rewrites_shown = []
    for path in LESSONS:
        for cell in _read(path).cells:
            match = keys.match(cell.source) if cell.cell_type == "code" else None
            if not match:
                continue
            helper, key, after = match.groups()
            if helper == "show_rewrite":
                assert get_rewrite(key).lesson == path.name[:2], f"{path.name}: {key}"
                rewrites_shown.append(key)
                key = None
            for name in filter(None, (key, after)):
                assert name in data, f"{path.name}: {name} not in questions.json"
    assert sorted(rewrites_shown) == ["R1", "R2"]


def test_fallacy_examples_are_verbatim_and_left_out_rows_exist():
    """Is every quote in lesson 08's fallacy table word for word in the unit it cites (the
    article's column from the article, the practice column from the practice piece), and
    does 04.left_out's model answer name only dossier rows that exist?"""
    from medialit.article import load_article
    from medialit.dossier import load_dossier

    nb = _read(NOTEBOOKS / "08_the_other_side.ipynb")
    table = next(c.source for c in nb.cells if "| **straw man** |" in c.source)
    quoted = re.compile(r'"([^"]+)" \((P\d+\.S\d+)\)')
    seen = 0
    for row in (r for r in table.splitlines() if r.startswith("| **")):
        cells = [c.strip() for c in row.strip("|").split("|")]
        for article, cell in (("seed", cells[2]), ("practice", cells[3])):
            for words, unit in quoted.findall(cell):
                assert words in load_article(article).unit(unit).text, (article, unit, words)
                seen += 1
    assert seen >= 9
    data = json.loads(paths.data_file("lessons/questions.json").read_text(encoding="utf-8"))
    ids = {event.id for event in load_dossier()}
    named = re.findall(r"\(([a-z_]+(?:, [a-z_]+)*)\)", data["04.left_out"]["model"])
    names = {n for group in named for n in group.split(", ")}
    assert {"test_halt", "stockholm", "hamburg"} <= names <= ids, names - ids
    for key in ("08.selective", "09.kit_sources"):  # other model answers that name rows
        named = re.findall(r"\(([a-z_]+(?:, [a-z_]+)*)\)", data[key]["model"])
        names = {n for group in named for n in group.split(", ")}
        assert names and names <= ids, (key, names - ids)


def test_the_kit_rewrites_live_only_in_rewrites_csv():
    """Does questions.json hold no second copy of the kit's rewrites?"""
    from medialit.rewrites import load_rewrites

    text = paths.data_file("lessons/questions.json").read_text(encoding="utf-8")
    for rewrite in load_rewrites():
        assert rewrite.rewrite not in text
        assert rewrite.rewrite[:40] not in text
    assert "kit_rewrite" not in text and "kit_reframe" not in text


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


# -- the helpers the lessons call, driven headless -------------------------------------------


def test_every_lesson_choice_says_which_graded_check_it_answers():
    """Is every choice question in questions.json mapped (so course mode can close it)?"""
    from medialit.grading import ITEMS
    from medialit.lessons import CHOICE_CHECKS
    from medialit.lessons.bank import all_questions as _questions

    choices = {key for key, item in _questions().items() if "options" in item}
    assert choices == set(CHOICE_CHECKS)
    assert CHOICE_CHECKS["00.genre"] in ITEMS["a1_genre"].checks()
    assert CHOICE_CHECKS["01.thesis"] in ITEMS["a1_thesis"].checks()
    assert CHOICE_CHECKS["02.try_p5s2"] in ITEMS["a1_statements"].checks()


def test_every_held_back_text_names_a_graded_item():
    """Does every summary point or model answer marked as giving an answer away name a real
    graded item, and is every lesson summary shown by a summary(...) cell?"""
    from medialit.grading import ITEMS
    from medialit.lessons.bank import all_questions as _questions

    marked = []
    for key, item in _questions().items():
        for entry in [item, *item.get("points", [])]:
            if "answers" in entry:
                assert entry["answers"] in ITEMS, key
                marked.append(entry["answers"])
    assert {"a1_genre", "a1_thesis"} <= set(marked)
    cells = "\n".join(c.source for path in LESSONS for c in _read(path).cells)
    for key in (k for k in _questions() if k.endswith(".learned")):
        assert f'summary("{key}")' in cells, key
