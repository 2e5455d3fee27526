"""Sanitize: the student's notebook with every cell they may not change put back.

What nbgrader's sanitize step does (``ClearOutput``, ``OverwriteKernelspec``,
``OverwriteCells`` with ``add_missing_cells``), done on the parsed notebook in memory, from
the instructor's copies: every locked and test cell gets the source notebook's text (hidden
tests included, as nbgrader keeps them in the autograded notebook; feedback strips them),
deleted cells come back in the release's order, duplicates keep the last copy, cells keep
no outputs, and the student's answer cells keep their text with the release's metadata.
Cells a student invented carry no nbgrader metadata afterwards, so no grade can hang on one.
A notebook that could not be read is replaced by the release: written answers are lost (the
report says so), the autograded items still count.
"""

from __future__ import annotations

import copy
import re

import nbformat

from medialit.course.preflight import grade_cells, grade_id


def _release_order(nb, release) -> list:
    """The student's cells with the release's nbgrader cells in the release's order: each
    graded or locked cell the student kept, moved or deleted is placed where the release has
    it; the student's own cells follow the nbgrader cell they came after."""
    last_copy = {}
    for cell in grade_cells(nb):
        last_copy[grade_id(cell)] = cell
    known = {grade_id(c) for c in grade_cells(release)}
    # the student's free cells, grouped after the nbgrader cell they followed
    after: dict[str, list] = {}
    anchor = ""
    for cell in nb.cells:
        gid = grade_id(cell)
        if gid in known:
            anchor = gid
        elif not gid:
            after.setdefault(anchor, []).append(cell)
    cells = list(after.get("", []))
    for rel in release.cells:
        gid = grade_id(rel)
        if not gid:
            cells.append(copy.deepcopy(rel))
            continue
        cells.append(last_copy.get(gid) or copy.deepcopy(rel))
        cells += after.get(gid, [])
    return cells


def sanitize(nb, release, source) -> nbformat.NotebookNode:
    """The notebook as it will be graded (a new object; the inputs are not changed)."""
    by_source = {grade_id(c): c for c in grade_cells(source)}
    by_release = {grade_id(c): c for c in grade_cells(release)}
    base = copy.deepcopy(nb) if nb is not None else copy.deepcopy(release)
    out = nbformat.v4.new_notebook(metadata=copy.deepcopy(source.get("metadata", {})))
    for cell in _release_order(base, release):
        cell = copy.deepcopy(cell)
        gid = grade_id(cell)
        if gid and gid not in by_release:
            del cell.metadata["nbgrader"]  # not a cell of this assignment
            gid = ""
        if gid:
            rel = by_release[gid]
            src = by_source.get(gid, rel)
            meta = rel.metadata.nbgrader
            if meta.get("solution"):
                cell.cell_type = rel.cell_type
                cell.metadata = copy.deepcopy(rel.metadata)
                cell.source = cell.get("source", "")
            else:
                cell = copy.deepcopy(src)
                cell.metadata = copy.deepcopy(rel.metadata)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        else:
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
        out.cells.append(cell)
    out.nbformat, out.nbformat_minor = 4, 5
    _valid_ids(out)
    return out


def _valid_ids(nb) -> None:
    """Cell ids as nbformat 4.5 wants them: present, unique, 1-64 of [A-Za-z0-9_-]."""
    seen: set[str] = set()
    for i, cell in enumerate(nb.cells):
        cid = re.sub(r"[^A-Za-z0-9_-]", "-", str(cell.get("id") or ""))[:56] or f"cell-{i}"
        base, n = cid, 0
        while cid in seen:
            n += 1
            cid = f"{base[:48]}-{n}"
        seen.add(cid)
        cell["id"] = cid
