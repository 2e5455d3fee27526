"""Build the lesson notebooks in ``notebooks/`` from their sources in ``tools/lessons/``.

Each source is a markdown file named like the notebook (``01_anatomy_of_an_argument.md``):
a header block between ``---`` lines (title, description, objectives, time, difficulty,
prerequisites, data), then the lesson. In the lesson, a line ``+++`` starts a new markdown
cell and a fenced ``python`` block is one code cell. The script adds the standard header,
the import cell, the link to the next lesson and the table of contents, so those stay
consistent. It is idempotent: running it twice writes the same files, without outputs.

Each code cell imports what it calls (``from medialit.lessons import tag; tag(...)``), so it
runs even when the import cell above it was not run (a kernel restart, a student who starts
in the middle). Every notebook carries ``NOTEBOOK_METADATA``, what JupyterLab writes when it
opens a notebook with the python3 kernel, so opening one does not mark it modified.

    python tools/build_notebooks.py          # write the notebooks
    python tools/build_notebooks.py --check  # exit 1 if a notebook is out of date
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from medialit import assignment_build

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "tools" / "lessons"
NOTEBOOKS = ROOT / "notebooks"
CONTENTS = "00_contents"
IMPORT_LINE = "from medialit.lessons import *"
HEADER_FIELDS = ("title", "description", "time", "difficulty", "prerequisites", "data")
#: What JupyterLab 4 writes on opening a notebook with ipykernel's python3 kernel, shared with
#: the assignments (``medialit.assignment_build``), so opening a notebook does not mark it modified.
NOTEBOOK_METADATA = assignment_build.NOTEBOOK_METADATA
_FENCE = re.compile(r"^```python\n(.*?)^```\s*$", re.S | re.M)


@dataclass
class Lesson:
    stem: str
    number: str
    title: str
    description: str
    objectives: list[str]
    time: str
    difficulty: int
    prerequisites: str
    data: str
    body: str
    cells: list[tuple[str, str]] = field(default_factory=list)


def parse(path: Path) -> Lesson:
    """Read one lesson source; errors name the file and what is missing."""
    text = path.read_text(encoding="utf-8")
    match = re.match(r"^---\n(.*?)\n---\n(.*)$", text, re.S)
    if not match:
        raise SystemExit(f"{path}: must start with a header block between '---' lines.")
    head, body = match.groups()
    meta: dict[str, str] = {}
    objectives: list[str] = []
    for line in head.splitlines():
        if line.startswith("- "):
            objectives.append(line[2:].strip())
        elif ":" in line:
            key, _, value = line.partition(":")
            meta[key.strip()] = value.strip()
    missing = [f for f in HEADER_FIELDS if not meta.get(f)] + ([] if objectives else ["objectives"])
    if missing:
        raise SystemExit(f"{path}: header lacks {', '.join(missing)}.")
    number = path.stem.split("_", 1)[0]
    return Lesson(
        stem=path.stem,
        number=number,
        title=meta["title"],
        description=meta["description"],
        objectives=objectives,
        time=meta["time"],
        difficulty=int(meta["difficulty"]),
        prerequisites=meta["prerequisites"],
        data=meta["data"],
        body=body,
        cells=split_cells(body, path),
    )


def split_cells(body: str, path: Path) -> list[tuple[str, str]]:
    """Markdown and code cells, in order. Code cells must be one line each."""
    cells: list[tuple[str, str]] = []
    pos = 0
    for fence in _FENCE.finditer(body):
        cells += _markdown_cells(body[pos : fence.start()])
        code = fence.group(1).strip()
        if "\n" in code or not code:
            raise SystemExit(f"{path}: every code cell must be exactly one line:\n{code}")
        cells.append(("code", code))
        pos = fence.end()
    cells += _markdown_cells(body[pos:])
    return cells


def _markdown_cells(chunk: str) -> list[tuple[str, str]]:
    return [("markdown", part.strip()) for part in chunk.split("\n+++\n") if part.strip()]


def header(lesson: Lesson) -> str:
    dots = "●" * lesson.difficulty + "○" * (3 - lesson.difficulty)
    objectives = "\n".join(f"- {o}" for o in lesson.objectives)
    return (
        f"# Lesson {lesson.number} · {lesson.title}\n\n"
        f"{lesson.description}\n\n"
        f"**By the end of this lesson:**\n\n{objectives}\n\n"
        f"| | |\n|---|---|\n"
        f"| **Time** | {lesson.time} |\n"
        f"| **Difficulty** | {dots} {lesson.difficulty} of 3 |\n"
        f"| **Prerequisites** | {lesson.prerequisites} |\n"
        f"| **Data used** | {lesson.data} |\n\n"
        "*How this works:* click a grey code cell and press **Shift+Enter** to run it (or use "
        "**Run ▸ Run All Cells**). Your answers are saved as you go in "
        f"`answers/lesson{lesson.number}.json` beside this notebook, so you can stop and "
        "come back."
    )


def footer(lesson: Lesson, following: Lesson | None) -> str:
    if following is None:
        nxt = f"**Next:** [Back to the contents]({CONTENTS}.ipynb) — you have finished the course."
    else:
        nxt = f"**Next:** [Lesson {following.number} · {following.title}]({following.stem}.ipynb)"
    return f"---\n\n{nxt}\n\n[All lessons]({CONTENTS}.ipynb)"


def notebook_metadata() -> dict:
    """A fresh copy of ``NOTEBOOK_METADATA`` for one notebook."""
    return assignment_build.notebook_metadata()


def self_contained(call: str, module: str = "medialit.lessons") -> str:
    """``tag(...)`` -> ``from medialit.lessons import tag; tag(...)``: one line that runs even
    if the notebook's import cell was not run first (``assignment_build.self_contained``)."""
    try:
        return assignment_build.self_contained(call, module)
    except ValueError as exc:
        raise SystemExit(str(exc)) from exc


def notebook(cells: list[tuple[str, str]]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata = notebook_metadata()
    for n, (kind, source) in enumerate(cells):
        make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
        cell = make(self_contained(source) if kind == "code" else source)
        cell["id"] = f"cell-{n:02d}"
        nb.cells.append(cell)
    return nb


def lesson_notebook(lesson: Lesson, following: Lesson | None) -> nbformat.NotebookNode:
    cells = [("markdown", header(lesson)), ("code", IMPORT_LINE)]
    cells += lesson.cells
    cells.append(("markdown", footer(lesson, following)))
    return notebook(cells)


def contents_notebook(lessons: list[Lesson]) -> nbformat.NotebookNode:
    rows = "\n".join(
        f"| {les.number} | [{les.title}]({les.stem}.ipynb) | {les.description} | "
        f"{les.time} | {'●' * les.difficulty}{'○' * (3 - les.difficulty)} |"
        for les in lessons
    )
    intro = (
        "# medialit · Contents\n\n"
        "A short course in reading opinion writing closely. You will take one real opinion "
        "article apart sentence by sentence — what it claims, what evidence it gives, which "
        "words do the persuading, how it frames the story — and then do the same with a "
        "practice piece that argues the other way. The course is about **how** a piece "
        "argues, not about whether its politics are right.\n\n"
        "No programming is needed. Each grey code cell is one line that shows you something; "
        "click it and press **Shift+Enter**. Your answers are saved in the `answers/` folder "
        "beside the notebooks.\n\n"
        f"| # | lesson | what it is about | time | difficulty |\n|---|---|---|---|---|\n{rows}\n\n"
        f"**Start here:** [Lesson 00 · {lessons[0].title}]({lessons[0].stem}.ipynb)"
    )
    about = (
        "## About the texts\n\n"
        "- **The article** is a real opinion piece from the Washington Examiner, shown "
        'exactly as the kit received it, minus a stray "Related Content" line from the web '
        "page. Lesson 00 says what we know and do not know about it.\n"
        "- **The practice op-ed** in lesson 08 was *written for this kit*, for practice. It "
        "is not a published article.\n"
        "- **Facts about events** outside the article come from the kit's dossier, and every "
        "one is shown with the published report it comes from.\n\n"
        "**Working on your own?** The kit's four graded exercises are in the `exercises/` "
        "folder next to this one: open it in the file browser on the left. The check cell "
        "under each question shows your score and the expert's reasoning. (In a course, your "
        "instructor hands the exercises out instead.)"
    )
    return notebook([("markdown", intro), ("markdown", about)])


def build() -> dict[Path, str]:
    """Every notebook's path and its exact text."""
    lessons = [parse(p) for p in sorted(SOURCES.glob("[0-9][0-9]_*.md"))]
    if not lessons:
        raise SystemExit(f"No lesson sources in {SOURCES}.")
    out: dict[Path, str] = {}
    for n, lesson in enumerate(lessons):
        following = lessons[n + 1] if n + 1 < len(lessons) else None
        out[NOTEBOOKS / f"{lesson.stem}.ipynb"] = nbformat.writes(
            lesson_notebook(lesson, following)
        )
    out[NOTEBOOKS / f"{CONTENTS}.ipynb"] = nbformat.writes(contents_notebook(lessons))
    for text in out.values():
        nbformat.validate(nbformat.reads(text, as_version=4))
    return {path: text + "\n" for path, text in out.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale notebooks")
    args = parser.parse_args(argv)
    stale = []
    for path, text in build().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(path)
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    for path in stale:
        verb = "out of date" if args.check else "wrote"
        print(f"{verb}: {path.relative_to(ROOT)}")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
