"""Scoring one graded item from a student's saved answers: the one code path.

``score(item, sheet, problem, key)`` turns an answers sheet and a key into points and the
lines a student reads. Two callers use it and nothing else scores an item:

- the grader (``medialit.course.scoring_step``), in the instructor's process, with the key
  read from the course's source notebooks and the sheet parsed from the handed-in file;
- the student's self-check (``medialit.grading.check_item``), in the student's kernel, with
  the key derived from the public reference (equal to the hidden key by a test).

So the Check button prints exactly what the grader will give for the same file. The lines
never name an accepted label: they end up in returned feedback. A student mistake (missing,
corrupt or foreign answers) never raises here; it scores 0 with a sentence saying why.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medialit.answers import AnswerSheet, answers_path
from medialit.errors import AnswersError, MedialitError
from medialit.items import Item, _reference, item_units, load_claims


@dataclass
class Result:
    points: float
    lines: list[str]
    misses: list[str]
    sheet: AnswerSheet | None


#: Largest answers file read (the grader's intake has the same cap).
MAX_ANSWERS_BYTES = 1024 * 1024


def answers_name(assignment: str) -> str:
    """How messages name the answers file: as the student sees it beside the notebook."""
    return f"answers/{assignment}.json"


def missing_answers(assignment: str) -> str:
    return (
        f"No saved answers ({answers_name(assignment)} is not there), so this item scores 0. "
        "Answer with the tagger and the choices above: every click is saved to that file."
    )


def load_sheet(it: Item, folder: str | Path) -> tuple[AnswerSheet | None, str | None]:
    """The student's saved answers for an item's assignment, read from disk in a kernel
    (the self-check), or (None, the sentence that explains why there are none): the same
    parser and the same sentences as the grader's, so the Check button says what it will."""
    path = answers_path(it.assignment, folder)
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_ANSWERS_BYTES + 1)
    except FileNotFoundError:
        return None, missing_answers(it.assignment)
    except OSError as exc:
        return None, f"{answers_name(it.assignment)} cannot be read ({exc.strerror}); it scores 0."
    if len(raw) > MAX_ANSWERS_BYTES:
        return None, (
            f"{answers_name(it.assignment)} is over {MAX_ANSWERS_BYTES:,} bytes, too large to be "
            "an answers file; it scores 0."
        )
    sheet, problem = parse_sheet(raw, answers_name(it.assignment))
    if sheet is None:
        return None, problem
    return sheet, belongs(it, sheet, answers_name(it.assignment))


def belongs(it: Item, sheet: AnswerSheet, name: str) -> str | None:
    """Why a sheet cannot be graded for this item (another assignment or article), or None."""
    if sheet.exercise != it.assignment:
        return f"{name} holds answers for {sheet.exercise}, not {it.assignment}."
    if it.kind == "tags" and sheet.tags and (sheet.article or "seed") != it.article:
        return f"{name} holds answers on the article {sheet.article!r}, not {it.article!r}."
    return None


def parse_sheet(raw: bytes, name: str) -> tuple[AnswerSheet | None, str | None]:
    """An answers sheet parsed from the bytes a student handed in (the grader's reader).

    Never raises for bad input: (None, a sentence) for text that is not UTF-8, not JSON,
    nested too deep or not a valid answers file. The size cap is the caller's (intake).
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, f"{name} is not UTF-8 text, so it cannot be read; it scores 0."
    try:
        data = json.loads(text)
    except RecursionError:
        return None, f"{name} is nested deeper than {MAX_DEPTH} levels; it is not an answers file."
    except json.JSONDecodeError as exc:
        return None, f"{name} is not valid JSON (line {exc.lineno}: {exc.msg}); it scores 0."
    if nesting_depth(data) > MAX_DEPTH:
        return None, f"{name} is nested deeper than {MAX_DEPTH} levels; it is not an answers file."
    try:
        return AnswerSheet.from_dict(data), None
    except AnswersError as exc:
        return None, f"{name} cannot be graded: {exc}"
    except (TypeError, ValueError, AttributeError) as exc:
        return None, f"{name} cannot be graded: it is not a valid answers file ({exc})."


#: Deepest JSON nesting a real answers file could have (it uses 4: tags > unit > layer > list).
MAX_DEPTH = 12


def nesting_depth(value: Any) -> int:
    """How deeply lists and objects nest in parsed JSON (walked without recursion)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            node = list(node.values())
        if isinstance(node, list):
            deepest = max(deepest, depth)
            stack += [(child, depth + 1) for child in node if isinstance(child, dict | list)]
    return deepest


def _marked_none(sheet: AnswerSheet, unit: str, layer: str) -> bool:
    from medialit.check import none_units

    return unit in none_units(sheet, layer)


def _answer(sheet: AnswerSheet, unit: str, layer: str) -> tuple[bool, tuple[str, ...]]:
    from medialit.check import student_answer

    return student_answer(sheet, unit, layer)


class KeyReference:
    """A tags item's key literal read as a reference: on each keyed unit the one accepted
    answer is the key's labels (an empty list: "no label"). The key lists the reference's
    accepted labels on anchor units, where the reference accepts exactly that, so a graded
    unit's entry here equals the reference's (rationale and cues aside).

    An evidence key may also say which roles the expert accepts for a unit, the expert's own
    first (``{"labels": ["example"], "roles": ["evidence", "claim"]}``): the unit then has a
    role entry, so a student whose accepted role is not evidence is right to give no type,
    exactly as the Check button judges it against the full reference."""

    def __init__(self, layer: str, key: dict[str, Any], article: str = "seed"):
        self.layer, self.key, self.article = layer, key, article

    def _parts(self, unit: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        value = self.key[unit]
        if isinstance(value, dict):
            return tuple(value.get("labels", ())), tuple(value.get("roles", ()))
        return tuple(value), ()

    def entry(self, unit: str, layer: str) -> Any:
        from medialit.reference import RefEntry

        if unit not in self.key:
            raise KeyError(f"{unit} {layer}")
        labels, roles = self._parts(unit)
        if layer == "role" and self.layer == "evidence" and roles:
            return RefEntry(unit, layer, roles[:1], roles, {}, True, "", True)
        if layer != self.layer:
            raise KeyError(f"{unit} {layer}")
        return RefEntry(unit, layer, labels, labels or ("none",), {}, True, "", True)

    def entries(self, layer: str | None = None) -> list[Any]:
        return [self.entry(u, self.layer) for u in self.key if layer in (None, self.layer)]


def unit_credits(it: Item, sheet: AnswerSheet, key: dict[str, Any]) -> dict[str, float]:
    """Credit per keyed unit (0 if not answered), judged by ``medialit.check`` (the same
    per-unit judgement as the Check button) against the key literal."""
    from medialit.check import unit_credits as judged

    layer = it.layer or ""
    credits = judged(sheet, KeyReference(layer, key, it.article), list(key), layer)
    return dict(zip(key, credits, strict=True))


def _fmt(x: float) -> str:
    return f"{x:g}"


def _points_text(points: float) -> str:
    return f"{_fmt(points)} point" + ("" if points == 1 else "s")


def _clamp(it: Item, fraction: float) -> float:
    return round(min(max(fraction, 0.0), 1.0) * it.points, 2)


def score(it: Item, sheet: AnswerSheet | None, problem: str | None, key: Any) -> Result:
    """Score one item against a key; the lines never name an accepted label."""
    head = f"{it.title} ({_points_text(it.points)})"
    if sheet is None or problem is not None:  # as the grader: a sheet it cannot grade is 0
        return Result(0.0, [f"{head}: {problem}", f"Score: 0 of {_fmt(it.points)}."], [], None)
    lines: list[str] = []
    misses: list[str] = []
    if it.kind == "tags":
        if not isinstance(key, dict) or not key:
            raise MedialitError(f"The key for {it.id} must be a non-empty {{unit: [labels]}}.")
        shown = item_units(it)
        tagged = sum(1 for u in shown if _answer(sheet, u, it.layer)[0])
        credits = unit_credits(it, sheet, key)
        total = sum(credits.values())
        misses += [unit for unit, credit in credits.items() if credit < 1]
        fraction = total / len(key)
        lines.append(f"{head}: you answered {tagged} of the {len(shown)} sentences in this task.")
        rule = (
            "credit per sentence is the overlap of your devices with the expert's"
            if it.layer == "devices"
            else "each matches the expert's reading or it does not"
        )
        lines.append(
            f"{len(key)} of them have one clear answer and are graded ({rule}); "
            f"yours earn {_fmt(round(total, 2))} of {len(key)}."
        )
        if misses:
            lines.append(
                "Look again at: "
                + ", ".join(
                    f"{u} (not answered)" if not _answer(sheet, u, it.layer)[0] else u
                    for u in misses
                )
                + "."
            )
    elif it.kind in ("choice", "thesis", "agreement"):
        chosen = sheet.responses.get(it.response or "")
        if not chosen:
            fraction = 0.0
            lines.append(f"{head}: not answered yet. Choose an option above; it is saved at once.")
            misses.append(it.response or "")
        elif chosen in key:
            fraction = 1.0
            lines.append(f"{head}: your answer matches the expert's.")
        else:
            fraction = 0.0
            lines.append(f"{head}: your answer is not the one the expert chose. {it.hint}".strip())
            misses.append(it.response or "")
    elif it.kind == "verdicts":
        right = 0
        for claim, verdicts in key.items():
            given = sheet.verdicts.get(claim, {}).get("verdict")
            if given in verdicts:
                right += 1
            else:
                misses.append(claim)
        fraction = right / len(key)
        answered = sum(1 for c in key if c in sheet.verdicts)
        lines.append(
            f"{head}: you gave {answered} of {len(key)} verdicts; "
            f"{right} match what the dossier settles."
        )
        if misses:
            lines.append(
                "Look again at: "
                + ", ".join(f"{c} (no verdict)" if c not in sheet.verdicts else c for c in misses)
                + "."
            )
    else:
        raise MedialitError(f"{it.id} is graded by hand.")
    points = _clamp(it, fraction)
    lines.append(f"Score: {_fmt(points)} of {_fmt(it.points)}.")
    return Result(points, lines, misses, sheet)


def unanswered(it: Item, sheet: AnswerSheet | None) -> str | None:
    """What of an item is still unanswered, in one sentence, or None when every part is.

    It names sentences, claims or the choice, never a label, so course mode can say it while
    the item's check is closed (nbgrader's Validate button shows it)."""
    if sheet is None:
        return "nothing is saved yet"
    missing: list[str] = []
    if it.kind == "tags":
        missing = [u for u in item_units(it) if not _answer(sheet, u, it.layer or "")[0]]
        what = "sentences without an answer"
    elif it.kind in ("choice", "thesis", "agreement"):
        return None if sheet.responses.get(it.response or "") else "no option is chosen yet"
    elif it.kind == "verdicts":
        missing = [c for c in it.units if not sheet.verdicts.get(c, {}).get("verdict")]
        what = "claims without a verdict"
    if not missing:
        return None
    shown = ", ".join(missing[:8]) + (f" and {len(missing) - 8} more" if len(missing) > 8 else "")
    if len(missing) == 1:  # "1 sentence without an answer"
        what = what.replace("sentences", "sentence").replace("claims", "claim")
    return f"{len(missing)} {what}: {shown}"


def reasoning(it: Item, sheet: AnswerSheet, misses: list[str], reference: Any) -> list[str]:
    """The expert's reasoning for what the student got wrong (self-study only)."""
    lines = []
    if it.kind == "tags":
        ref = _reference(it.article, reference)
        for unit in misses:
            if sheet.get_tags(unit, it.layer) or _marked_none(sheet, unit, it.layer):
                lines.append(f"{unit}: {ref.entry(unit, it.layer).rationale}")
    elif it.kind == "thesis" and misses:
        ref = _reference(it.article, reference)
        chosen = sheet.responses.get(it.response or "")
        if chosen in it.units:
            lines.append(f"{chosen}: {ref.entry(chosen, 'role').rationale}")
    elif it.kind == "choice" and misses and sheet.responses.get(it.response or ""):
        lines.append(it.explain)  # only for a choice made: an unanswered one reveals nothing
    elif it.kind == "verdicts":
        claims = load_claims()
        for claim in misses:
            if claim in sheet.verdicts:
                lines.append(f"{claim}: {claims[claim].explanation}")
    return [line for line in lines if line]
