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
        cells.append(last_copy.get(gid, rel) if gid else rel)
        cells += after.get(gid, []) if gid else []
    return cells


def _cell(cell_type: str, source, metadata, cell_id, attachments=None) -> nbformat.NotebookNode:
    """A new cell node (the text is shared, the metadata copied: inputs stay unchanged)."""
    node = nbformat.NotebookNode(
        cell_type=cell_type,
        id=cell_id,
        metadata=copy.deepcopy(metadata) if metadata else nbformat.NotebookNode(),
        source=source if isinstance(source, str) else "".join(source or []),
    )
    if cell_type == "code":
        node.outputs, node.execution_count = [], None
    elif attachments and cell_type in ("markdown", "raw"):
        node.attachments = copy.deepcopy(attachments)
    return node


def sanitize(nb, release, source) -> nbformat.NotebookNode:
    """The notebook as it will be graded (a new object; the inputs are not changed)."""
    by_source = {grade_id(c): c for c in grade_cells(source)}
    by_release = {grade_id(c): c for c in grade_cells(release)}
    out = nbformat.NotebookNode(
        cells=[],
        metadata=copy.deepcopy(source.get("metadata", {})),
        nbformat=4,
        nbformat_minor=5,
    )
    for cell in _release_order(nb if nb is not None else release, release):
        gid = grade_id(cell)
        rel = by_release.get(gid)
        if rel is None:  # the student's own cell (nbgrader metadata, if any, dropped)
            meta = {k: v for k, v in cell.get("metadata", {}).items() if k != "nbgrader"}
            kind = cell.get("cell_type")
            kind = kind if kind in ("code", "markdown", "raw") else "raw"
            new = _cell(kind, cell.get("source", ""), meta, cell.get("id"), cell.get("attachments"))
        elif rel.metadata.nbgrader.get("solution"):  # an answer: the student's text
            new = _cell(
                rel.cell_type,
                cell.get("source", ""),
                rel.metadata,
                cell.get("id"),
                cell.get("attachments"),
            )
        else:  # locked or test cell: the instructor's copy (hidden tests included)
            src = by_source.get(gid, rel)
            new = _cell(src.cell_type, src.source, rel.metadata, rel.get("id"))
        out.cells.append(new)
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
