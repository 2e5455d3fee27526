"""Pre-flight: what is wrong with a handed-in submission, found before it is scored.

Works on the bytes that ``intake`` read (nothing here opens a student's file). It decides
which notebook is graded under which name, parses each notebook, and finds which answers
file is graded; every finding is a plain problem line for the instructor's report:

- a renamed notebook (the only unexpected ``.ipynb`` takes the expected name); a missing or
  unreadable notebook (its written answers are lost, its autograded items still count: they
  come from the answers file);
- nbgrader cells deleted, duplicated or edited although locked; a locked cell moved (the
  import cell run after the tagger, say); the grader restores all of them from the
  instructor's copy in the next step;
- no answers file; an answers file beside the notebook instead of in ``answers/`` (graded
  from there when it is the only one, and said so); several candidates (none is guessed).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import nbformat

from medialit.answers import looks_like_answers
from medialit.course.intake import Submission

ANSWERS_DIR = "answers"


@dataclass
class Preflight:
    """What the pre-flight check found in one submission."""

    problems: list[str] = field(default_factory=list)
    notebooks: dict[str, nbformat.NotebookNode | None] = field(default_factory=dict)
    answers_name: str | None = None  # which file in the submission is graded
    answers: bytes | None = None


def grade_cells(nb) -> list:
    return [c for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id")]


def grade_id(cell) -> str:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")


def parse_notebook(raw: bytes) -> tuple[nbformat.NotebookNode | None, str]:
    """A notebook from handed-in bytes, or (None, why it cannot be read)."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return None, "not UTF-8 text"
    except json.JSONDecodeError as exc:
        return None, f"not valid JSON, line {exc.lineno}: {exc.msg}"
    except RecursionError:
        return None, "nested too deep"
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        return None, "not a notebook (no list of cells)"
    try:
        nb = nbformat.from_dict(data)
        if not isinstance(nb.get("nbformat", 4), int) or nb.get("nbformat", 4) < 4:
            nb = nbformat.convert(nb, 4)
        for i, cell in enumerate(nb.cells):
            if not isinstance(cell, dict):
                return None, f"cell {i + 1} is not a cell"
            source = cell.get("source", "")
            if isinstance(source, list) and all(isinstance(s, str) for s in source):
                cell.source = "".join(source)
            elif not isinstance(source, str):
                return None, f"cell {i + 1} has no text"
            meta = cell.setdefault("metadata", nbformat.NotebookNode())
            if not isinstance(meta, dict) or not isinstance(meta.get("nbgrader", {}), dict):
                return None, f"cell {i + 1} has broken metadata"
            if not isinstance(meta.get("nbgrader", {}).get("grade_id", ""), str):
                return None, f"cell {i + 1} has a broken grade id"
        return nb, ""
    except Exception as exc:  # any malformed notebook is the same case for the report
        return None, (str(exc).splitlines() or [type(exc).__name__])[0][:120]


def _check_cells(nb, release, problems: list[str], locked_checksums: dict[str, str]) -> None:
    from nbgrader import utils as nbutils

    counts: dict[str, int] = {}
    for cell in grade_cells(nb):
        counts[grade_id(cell)] = counts.get(grade_id(cell), 0) + 1
    order = [grade_id(c) for c in grade_cells(release)]
    for cell in grade_cells(release):
        meta = cell.metadata.nbgrader
        gid = meta.grade_id
        n = counts.get(gid, 0)
        if n == 0:
            what = "answer cell" if meta.get("solution") else "cell"
            fix = "restored empty" if meta.get("solution") else "restored from the source"
            problems.append(f"{what} deleted: {gid} ({fix})")
        elif n > 1:
            problems.append(f"cell duplicated: {gid} ({n} copies; the last is graded)")
    for cell in grade_cells(nb):
        gid = grade_id(cell)
        expected = locked_checksums.get(gid)
        if expected and counts.get(gid) == 1 and nbutils.compute_checksum(cell) != expected:
            problems.append(f"locked cell edited: {gid} (restored from the source)")
    # locked cells the student moved: those outside the longest run kept in release order
    present = [gid for gid in dict.fromkeys(grade_id(c) for c in grade_cells(nb)) if gid in order]
    moved = [gid for gid in _out_of_order(present, order) if gid in locked_checksums]
    if moved:
        problems.append(
            f"locked cell moved: {', '.join(moved[:3])} (put back in place; the grade "
            "does not depend on cell order)"
        )


def _out_of_order(present: list[str], order: list[str]) -> list[str]:
    """The fewest cells whose moving explains ``present``: everything outside a longest
    subsequence that keeps the release's order."""
    rank = {gid: i for i, gid in enumerate(order)}
    ranks = [rank[gid] for gid in present]
    best = [1] * len(ranks)
    back = [-1] * len(ranks)
    for i in range(len(ranks)):
        for j in range(i):
            if ranks[j] < ranks[i] and best[j] + 1 > best[i]:
                best[i], back[i] = best[j] + 1, j
    keep: set[int] = set()
    i = max(range(len(ranks)), key=lambda k: best[k], default=-1)
    while i >= 0:
        keep.add(i)
        i = back[i]
    return [gid for k, gid in enumerate(present) if k not in keep]


def _locked_checksums(release) -> dict[str, str]:
    out = {}
    for cell in grade_cells(release):
        meta = cell.metadata.nbgrader
        locked = meta.get("locked") or (meta.get("grade") and not meta.get("solution"))
        if locked and "checksum" in meta:
            out[meta.grade_id] = meta.checksum
    return out


def _answers(sub: Submission, assignment: str, report: Preflight, notebooks: set[str]) -> None:
    expected = f"{ANSWERS_DIR}/{assignment}.json"
    if expected in sub.files:
        report.answers_name, report.answers = expected, sub.files[expected]
        return
    refused = [p for p in report.problems if f"{expected} " in p]
    candidates = [
        name
        for name in sub.files
        if name.endswith(".json")
        and "/" not in name
        and name not in notebooks
        and looks_like_answers(sub.files[name])
    ]
    if not candidates:
        candidates = [
            n
            for n in sub.files
            if n.startswith(f"{ANSWERS_DIR}/") and looks_like_answers(sub.files[n])
        ]
        if len(candidates) == 1:
            name = candidates[0]
            report.problems.append(
                f"answers file misnamed: {name} instead of {expected}; graded from there"
            )
            report.answers_name, report.answers = name, sub.files[name]
            return
    if len(candidates) == 1:
        name = candidates[0]
        report.problems.append(
            f"answers file beside the notebook: {name} instead of {expected}; graded from there"
        )
        report.answers_name, report.answers = name, sub.files[name]
    elif len(candidates) > 1:
        report.problems.append(
            f"several answers files ({', '.join(sorted(candidates))}) and none in "
            f"{expected}: none graded, as it is not clear which is the student's"
        )
    elif not refused:
        report.problems.append("no saved answers file (tagger never used)")


def preflight(sub: Submission, releases: dict[str, object], assignment: str) -> Preflight:
    """Check one submission against the release notebooks (name -> parsed release)."""
    report = Preflight(problems=list(sub.problems))
    present = sub.notebooks()
    expected = list(releases)
    extra = [name for name in present if name not in releases]
    missing = [name for name in expected if name not in present]
    chosen = {name: name for name in expected if name in present}
    if len(missing) == 1 and len(extra) == 1:
        report.problems.append(f"notebook renamed: {extra[0]} graded as {missing[0]}")
        chosen[missing[0]] = extra[0]
        extra, missing = [], []
    for name in missing:
        report.problems.append(
            f"notebook missing: {name} (autograded items scored from the answers file; "
            "written answers missing)"
        )
    for name in extra:
        report.problems.append(f"extra notebook ignored: {name}")
    for name in expected:
        if name not in chosen:
            report.notebooks[name] = None
            continue
        nb, reason = parse_notebook(sub.files[chosen[name]])
        if nb is None:
            report.problems.append(
                f"corrupt notebook: {chosen[name]} cannot be read ({reason}); autograded items "
                "scored from the answers file, written answers lost"
            )
            report.notebooks[name] = None
            continue
        release = releases[name]
        _check_cells(nb, release, report.problems, _locked_checksums(release))
        report.notebooks[name] = nb
    _answers(sub, assignment, report, set(present))
    return report
