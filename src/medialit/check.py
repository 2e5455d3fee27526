"""Compare a student's tags with the expert reference, and explain every difference.

Every unit is judged by one function, ``judge`` (through ``_check_one``), whoever asks:

- ``check(...)`` (the tagger's Check button, the lessons) judges against the full expert
  reference and explains each difference;
- the graded items (``medialit.grading``: ``check_item`` for the self-check, ``score_item``
  at autograde) score each keyed unit with ``unit_credits`` against the item's key literal,
  read as a reference (``scoring.KeyReference``). The key lists the reference's accepted
  labels on anchor units only (for evidence, with the roles the expert accepts), so a
  graded unit gets the same credit from the Check button as from the autograder;
- ``score_layer(...)`` is the same judgement summed over a layer, against a reference.

What counts as an answer (``answered``):

- a single-choice layer (role, statement) is answered when it has a label;
- the evidence layer is answered when it has a label, or when the unit's role is chosen and is
  not ``evidence`` (then "no evidence type" is the answer: right when the expert does not read
  the unit as evidence, or accepts the student's role as well);
- devices and frame are answered when they have a label, or when the student marked the unit
  "none" in the tagger (stored as ``responses["tagger:none:<layer>"]``, see ``none_units``).

A unit that is not answered is never compared: the reference stays hidden until the student
has committed to a reading. While a course's assignment is being graded,
``medialit.course_mode.locked_checks()`` (if that module exists) names (unit, layer) pairs whose
checks stay closed.

Scoring: single-choice layers score 1 when the chosen label (or "none") is accepted, else 0.
Devices score by per-label credit, a Jaccard overlap against the reference::

    credit = |chosen ∩ accepted| / (|chosen ∩ accepted| + |chosen − accepted| + |expert − chosen|)

so every accepted label counts, an extra label or a missed expert label costs the same, and
an empty answer scores 1 where the reference accepts "none" (or the expert chose nothing).
"""

from __future__ import annotations

import html
import importlib
import importlib.util
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from medialit.answers import AnswerSheet, read_answers
from medialit.errors import MedialitError

NONE = "none"
LOCKED_MESSAGE = "This check opens after your instructor releases feedback."
NOT_TAGGED_MESSAGE = "Not tagged yet: choose your reading first, then check to see the expert's."

#: status -> short text shown in tables
STATUS_TEXT = {
    "match": "same as the expert",
    "accepted": "accepted reading",
    "partial": "partly matches",
    "different": "differs from the expert",
    "untagged": "not tagged yet",
    "locked": "closed for now",
    "no_reference": "no expert reading",
}
#: statuses that carry a score
SCORED = ("match", "accepted", "partial", "different")
MULTI_LAYERS = ("devices",)
SINGLE_LAYERS = ("role", "statement", "evidence", "frame")


def none_key(layer: str) -> str:
    """The ``responses`` key where the tagger lists units marked "none" in a layer."""
    return f"tagger:none:{layer}"


def none_units(sheet: AnswerSheet, layer: str) -> set[str]:
    """Units the student explicitly marked as having no label in ``layer``."""
    return set(sheet.responses.get(none_key(layer), "").split())


def student_answer(sheet: AnswerSheet, unit: str, layer: str) -> tuple[bool, tuple[str, ...]]:
    """(answered, labels) for one unit and layer, following the rules in the module docstring."""
    labels = tuple(sheet.get_tags(unit, layer))
    if labels:
        return True, labels
    if layer == "evidence":
        role = sheet.get_tags(unit, "role")
        return (bool(role) and "evidence" not in role), ()
    if layer in ("role", "statement"):
        return False, ()
    return unit in none_units(sheet, layer), ()


def locked_checks(article: str | None = None) -> frozenset[tuple[str, str]]:
    """(unit, layer) pairs whose checks are closed by course mode (on ``article`` only, when
    given); empty if there is none."""
    if importlib.util.find_spec("medialit.course_mode") is None:
        return frozenset()
    module = importlib.import_module("medialit.course_mode")
    return frozenset(module.locked_checks(article))


def _accepted_set(entry: Any) -> set[str]:
    accepted = set(entry.accepted) | set(entry.label)
    if not entry.label:  # the expert chose nothing: "no label" is the expert's own answer
        accepted.add(NONE)
    if not getattr(entry, "applicable", True):
        accepted = {NONE}
    return accepted


def is_accepted(entry: Any, labels: Sequence[str]) -> bool:
    """Single-choice layers: is the chosen label (an empty choice counts as "none") accepted?"""
    chosen = labels[0] if labels else NONE
    return chosen in _accepted_set(entry)


def device_credit(entry: Any, labels: Sequence[str]) -> float:
    """Jaccard-style per-label credit for devices (see the module docstring)."""
    if not labels and NONE in _accepted_set(entry):
        return 1.0  # "no device" is itself an accepted reading
    accepted = _accepted_set(entry) - {NONE}
    chosen = set(labels)
    expert = set(entry.label)
    good = chosen & accepted
    denominator = len(good) + len(chosen - accepted) + len(expert - chosen)
    return 1.0 if denominator == 0 else len(good) / denominator


@dataclass(frozen=True)
class UnitResult:
    """The check of one unit in one layer."""

    unit: str
    layer: str
    status: str  # one of STATUS_TEXT
    labels: tuple[str, ...]  # what the student chose
    credit: float | None  # None when not scored (untagged, locked, no reference)
    message: str  # the teaching sentence(s)
    expert: tuple[str, ...] = ()  # only filled once revealed
    accepted: tuple[str, ...] = ()

    @property
    def revealed(self) -> bool:
        return self.status in SCORED


def _say(labels: Iterable[str]) -> str:
    items = [f"“{lab}”" for lab in labels]
    if not items:
        return "no label"
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def _say_or(labels: Iterable[str]) -> str:
    items = [f"“{lab}”" for lab in labels]
    return " or ".join(items) if items else "no label"


def _cue_text(entry: Any, label: str) -> str:
    cues = (getattr(entry, "cues", None) or {}).get(label, ())
    return f" (in the words {', '.join(f'“{c}”' for c in cues)})" if cues else ""


def _you(layer: str, chosen: str) -> str:
    if chosen != NONE:
        return f"You chose “{chosen}”"
    if layer == "evidence":
        return "You did not tag this sentence as evidence"
    return f"You gave it no {layer} label"


def _expert(layer: str, expert: str) -> str:
    if expert != NONE:
        return f"the expert read this as “{expert}”"
    return f"the expert gives it no {layer} label"


def _single_message(
    entry: Any, layer: str, labels: tuple[str, ...], status: str, none_ok: bool = False
) -> str:
    chosen = labels[0] if labels else NONE
    expert = entry.label[0] if entry.label else NONE
    why = entry.rationale.strip()
    accepted = _accepted_set(entry)
    others = sorted(accepted - {chosen, expert, NONE})
    if layer == "evidence" and not getattr(entry, "applicable", True):
        if status == "match":
            return f"Like the expert, you did not read this as evidence. {why}".strip()
        return (
            f"You gave it the evidence type “{chosen}”, but the expert does not read this "
            f"sentence as evidence, so no evidence type applies. Why: {why}"
        ).strip()
    if none_ok and chosen == NONE:
        return (
            "You did not tag this sentence as evidence, and your role for it is an accepted "
            f"reading. Read as evidence, the expert would call it “{expert}”. Why: {why}"
        ).strip()
    if status == "match":
        text = f"{_you(layer, chosen)}, as the expert did. {why}"
        if others:
            text += f" Also accepted here: {_say_or(others)}."
        return text.strip()
    if status == "accepted":
        return (
            f"{_you(layer, chosen)}; {_expert(layer, expert)}. Yours is also accepted: more "
            f"than one reading is defensible here. Why the expert leans the other way: {why}"
        ).strip()
    text = f"{_you(layer, chosen)}; {_expert(layer, expert)}. Why: {why}"
    alternatives = sorted(accepted - {expert})
    if alternatives:
        text += f" Besides “{expert}”, {_say_or(alternatives)} would also be accepted."
    text += " Read the sentence again with that in mind: what is it there to do?"
    return text.strip()


def _devices_message(entry: Any, labels: tuple[str, ...], credit: float) -> str:
    accepted = _accepted_set(entry) - {NONE}
    chosen = set(labels)
    expert = list(entry.label)
    why = entry.rationale.strip()
    parts = []
    shared = [lab for lab in labels if lab in accepted]
    extra = [lab for lab in labels if lab not in accepted]
    missed = [lab for lab in expert if lab not in chosen]
    if not labels and not expert:
        parts.append("You marked no device here, and the expert sees none either.")
    if shared:
        found = ", ".join(f"“{lab}”" for lab in shared)
        parts.append(f"You found {found}, which the expert accepts.")
    if missed:
        parts.append(
            "The expert also saw "
            + ", ".join(f"“{lab}”{_cue_text(entry, lab)}" for lab in missed)
            + "."
        )
    if extra:
        parts.append(
            f"The expert does not read {_say(extra)} into this sentence; look at which words "
            "would carry it."
        )
    if not labels and expert:
        if NONE in _accepted_set(entry):
            parts.insert(0, "You marked no device here, which is also an accepted reading.")
        else:
            parts.insert(0, "You marked no device here.")
    if why:
        parts.append(why)
    others = sorted(accepted - set(expert) - chosen)
    if others:
        parts.append(f"{_say(others)} would also be accepted.")
    return " ".join(parts)


def judge(
    entry: Any, layer: str, labels: tuple[str, ...], none_ok: bool = False
) -> tuple[str, float, str]:
    """(status, credit, message) for an answered unit against its reference entry.

    ``none_ok``: an empty evidence answer is accepted because the student's role for the
    unit differs from evidence and the expert's role is not evidence either.
    """
    if layer in MULTI_LAYERS:
        credit = device_credit(entry, labels)
        status = "match" if credit == 1.0 else ("partial" if credit > 0 else "different")
        if status == "match" and set(labels) != set(entry.label):
            status = "accepted"
        return status, credit, _devices_message(entry, labels, credit)
    if len(labels) > 1:
        raise MedialitError(
            f"The {layer!r} layer takes one label per sentence, but the answers hold "
            f"{', '.join(labels)}. Choose one in the tagger."
        )
    if none_ok and not labels:
        status, credit = ("match" if not entry.label else "accepted"), 1.0
    elif not is_accepted(entry, labels):
        status, credit = "different", 0.0
    elif (labels[0] if labels else NONE) == (entry.label[0] if entry.label else NONE):
        status, credit = "match", 1.0
    else:
        status, credit = "accepted", 1.0
    return status, credit, _single_message(entry, layer, labels, status, none_ok)


def _entry(reference: Any, unit: str, layer: str) -> Any | None:
    try:
        return reference.entry(unit, layer)
    except (KeyError, LookupError, MedialitError):
        return None


@dataclass
class CheckReport:
    """Per-unit results of a check, with teaching text."""

    article: str
    layers: tuple[str, ...]
    results: list[UnitResult]

    def for_layer(self, layer: str) -> list[UnitResult]:
        return [r for r in self.results if r.layer == layer]

    def counts(self, layer: str | None = None) -> dict[str, int]:
        """How many results have each status (all layers, or one)."""
        results = self.for_layer(layer) if layer else self.results
        counts = dict.fromkeys(STATUS_TEXT, 0)
        for result in results:
            counts[result.status] += 1
        return counts

    def score(self, layer: str | None = None) -> float | None:
        """Mean credit over the units that were checked (None if none was)."""
        results = self.for_layer(layer) if layer else self.results
        credits = [r.credit for r in results if r.credit is not None]
        return sum(credits) / len(credits) if credits else None

    def points(self, layer: str | None = None) -> tuple[float, int]:
        """(credit earned, number of units in play): untagged units count as 0."""
        results = self.for_layer(layer) if layer else self.results
        return sum(r.credit or 0.0 for r in results), len(results)

    def to_frame(self) -> pd.DataFrame:
        """One row per unit and layer: unit, layer, status, labels, credit, expert, message."""
        columns = ["unit", "layer", "status", "labels", "credit", "expert", "accepted", "message"]
        rows = [
            {
                "unit": r.unit,
                "layer": r.layer,
                "status": r.status,
                "labels": r.labels,
                "credit": r.credit,
                "expert": r.expert,
                "accepted": r.accepted,
                "message": r.message,
            }
            for r in self.results
        ]
        return pd.DataFrame(rows, columns=columns)

    def summary(self) -> str:
        """One sentence per layer, e.g. "role: 12 checked, 9 agree with an accepted reading"."""
        lines = []
        for layer in self.layers:
            counts = self.counts(layer)
            checked = sum(counts[s] for s in SCORED)
            agree = counts["match"] + counts["accepted"]
            line = f"{layer}: {checked} checked, {agree} agree with an accepted reading"
            if counts["partial"]:
                line += f", {counts['partial']} partly"
            if counts["untagged"]:
                line += f"; {counts['untagged']} not tagged yet"
            if counts["locked"]:
                line += f"; {counts['locked']} closed until feedback is released"
            lines.append(line + ".")
        return "\n".join(lines)

    def untagged_units(self) -> list[str]:
        """Units with at least one layer not tagged yet, in order."""
        return list(dict.fromkeys(r.unit for r in self.results if r.status == "untagged"))

    def _untagged_line(self) -> str:
        units = self.untagged_units()
        if not units:
            return ""
        return (
            f"Not tagged yet (tag them, then check again): {', '.join(units)}. "
            "The expert's reading of a sentence stays hidden until you have tagged it."
        )

    def text(self) -> str:
        """Plain-text report: summary, one paragraph per checked unit and layer, untagged."""
        out = [self.summary(), ""]
        for r in self.results:
            if r.status != "untagged":
                out.append(f"{r.unit} · {r.layer} · {STATUS_TEXT[r.status]}: {r.message}")
        if self.untagged_units():
            out += ["", self._untagged_line()]
        return "\n".join(out)

    def __str__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        esc = html.escape
        rows = []
        for r in self.results:
            if r.status == "untagged":
                continue
            rows.append(
                f'<tr class="medialit-check-{esc(r.status)}"><td>{esc(r.unit)}</td>'
                f"<td>{esc(r.layer)}</td><td><b>{esc(STATUS_TEXT[r.status])}</b></td>"
                f"<td>{esc(r.message)}</td></tr>"
            )
        summary = "<br>".join(esc(line) for line in self.summary().splitlines())
        return (
            f'<div class="medialit-check-report"><p>{summary}</p>'
            "<table><thead><tr><th>sentence</th><th>layer</th><th>result</th>"
            "<th>what the expert thinks</th></tr></thead><tbody>"
            + "".join(rows)
            + f"</tbody></table><p>{esc(self._untagged_line())}</p></div>"
        )


def _load_reference(article: str) -> Any:
    try:
        from medialit.reference import load_reference
    except ModuleNotFoundError as exc:
        if exc.name != "medialit.reference":
            raise
        raise MedialitError(
            "The expert reference is not part of this copy of medialit yet, so the check "
            "cannot run. Update medialit, or ask your instructor."
        ) from exc
    return load_reference(article)


def _sheet(sheet_or_exercise: AnswerSheet | str, folder: Any = None) -> AnswerSheet:
    if isinstance(sheet_or_exercise, AnswerSheet):
        return sheet_or_exercise
    if hasattr(sheet_or_exercise, "sheet"):  # an AnswerFile
        return sheet_or_exercise.sheet
    from medialit.answers import answers_path

    path = answers_path(sheet_or_exercise, folder)
    if not path.exists():
        return AnswerSheet(exercise=sheet_or_exercise)
    return read_answers(path)


def check(
    sheet_or_exercise: AnswerSheet | str,
    layers: Sequence[str] | str = ("role",),
    reference: Any = None,
    units: Sequence[str] | None = None,
    folder: Any = None,
    locked: frozenset[tuple[str, str]] | None = None,
) -> CheckReport:
    """Compare tags with the expert reference for the layers in play.

    ``sheet_or_exercise`` is an ``AnswerSheet``, an ``AnswerFile`` or an exercise name (read
    from ``<folder or ./answers>/<exercise>.json``). ``units`` defaults to every unit the
    reference covers, in article order. ``locked`` overrides course mode (for tests).
    """
    sheet = _sheet(sheet_or_exercise, folder)
    layers = (layers,) if isinstance(layers, str) else tuple(layers)
    if reference is None:
        reference = _load_reference(sheet.article)
    if locked is None:
        locked = locked_checks(reference.article)
    if units is None:
        units = _reference_units(reference, layers)
    results = []
    for unit in units:
        for layer in layers:
            results.append(_check_one(sheet, reference, unit, layer, locked))
    return CheckReport(
        article=str(getattr(reference, "article", sheet.article)), layers=layers, results=results
    )


def _reference_units(reference: Any, layers: Sequence[str]) -> list[str]:
    seen: dict[str, None] = {}
    for layer in layers:
        for entry in reference.entries(layer):
            seen.setdefault(entry.unit, None)
    return list(seen)


def _check_one(
    sheet: AnswerSheet, reference: Any, unit: str, layer: str, locked: frozenset[tuple[str, str]]
) -> UnitResult:
    answered, labels = student_answer(sheet, unit, layer)
    if not answered:
        return UnitResult(unit, layer, "untagged", labels, None, NOT_TAGGED_MESSAGE)
    if (unit, layer) in locked:
        return UnitResult(unit, layer, "locked", labels, None, LOCKED_MESSAGE)
    entry = _entry(reference, unit, layer)
    if entry is None:
        return UnitResult(
            unit,
            layer,
            "no_reference",
            labels,
            None,
            "The expert reference here has no reading of this sentence in this layer (on a "
            "course's own article: the sentence is graded, and its reading stays with your "
            "instructor).",
        )
    none_ok = False
    if layer == "evidence" and not labels and getattr(entry, "applicable", True):
        # Answered with no type: the student's role is not evidence. That is right when the
        # expert does not read the unit as evidence, or accepts the student's role too.
        role = _entry(reference, unit, "role")
        mine = set(sheet.get_tags(unit, "role"))
        none_ok = role is not None and (
            "evidence" not in role.label or (bool(mine) and mine <= set(role.accepted))
        )
    status, credit, message = judge(entry, layer, labels, none_ok)
    return UnitResult(
        unit,
        layer,
        status,
        labels,
        credit,
        message,
        expert=tuple(entry.label),
        accepted=tuple(sorted(_accepted_set(entry))),
    )


def unit_credits(
    sheet: AnswerSheet, reference: Any, units: Sequence[str], layer: str
) -> list[float]:
    """Each unit's credit in one layer, in order: 0 when not answered, else ``judge``'s.

    The graded items (``medialit.grading``) score through this with their key as the
    reference; ``check`` and ``score_layer`` judge each unit the same way.
    """
    return [_check_one(sheet, reference, u, layer, frozenset()).credit or 0.0 for u in units]


def score_layer(
    sheet: AnswerSheet,
    reference: Any,
    units: Sequence[str],
    layer: str,
) -> tuple[float, list[str]]:
    """Fraction of credit over ``units`` in one layer, and one message per unit.

    For the autograder: an unanswered unit earns 0 ("not tagged yet"); devices earn the
    Jaccard per-label credit described in the module docstring. Course-mode locks hide the
    explanation of a locked unit but never change its score.
    """
    if not units:
        raise MedialitError("score_layer needs at least one unit to score.")
    locked = locked_checks(getattr(reference, "article", None))
    total = 0.0
    messages = []
    for unit in units:
        result = _check_one(sheet, reference, unit, layer, frozenset())
        total += result.credit or 0.0
        message = LOCKED_MESSAGE if (unit, layer) in locked else result.message
        messages.append(f"{unit} ({layer}): {message}")
    return total / len(units), messages
