"""Synthetic classes for demos and tests: made-up students whose tags err at a known rate.

``make_class(folder, n, error_rate, seed)`` writes ``n`` answers files (through
``medialit.answers``) as ``<folder>/<student>/<exercise>.json``. For every decision a student
makes, with probability ``error_rate`` they pick a label outside the expert's accepted set
(chosen at random among those, when there is one); otherwise a label from the accepted set
(the expert's own label most of the time). The same seed gives the same class.

How each layer is generated:

- role, statement: one label per sentence; with ``untagged_rate`` a sentence is left untagged;
- evidence: only where the student chose role ``evidence`` and the expert sees evidence;
- devices: the expert's device labels, each replaced by a wrong one with probability
  ``error_rate``; a sentence with no expert device gets one wrong device with that probability;
- frame: one label or none from the accepted set, or a wrong choice with ``error_rate``.

Devices and frame are never "left untagged": an empty answer there means "none".

``write_toy_reference`` writes a small made-up reference (not the expert's!) in the format of
``data/reference.csv``, for tests that must not depend on the shipped annotation.
"""

from __future__ import annotations

import csv
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from medialit.agreement import MULTI_LAYER, NONE, OPTIONAL_LAYER, get_reference
from medialit.answers import AnswerFile, write_atomic
from medialit.errors import MedialitError
from medialit.scheme import Scheme, default_scheme

#: the chance that a right answer is the expert's own label rather than another accepted one
EXPERT_SHARE = 0.7
CORRUPT_KINDS = ("truncated", "foreign", "newer")


@dataclass
class SyntheticClass:
    """What ``make_class`` wrote: the readable files and the deliberately broken ones."""

    folder: Path
    files: list[Path]
    corrupt: list[Path] = field(default_factory=list)
    error_rate: float = 0.0
    seed: int = 0


def make_class(
    folder: str | Path,
    n: int,
    error_rate: float,
    seed: int = 0,
    *,
    exercise: str = "tags",
    layers: list[str] | None = None,
    untagged_rate: float = 0.0,
    corrupt: int = 0,
    reference=None,
    article: str = "seed",
    scheme: Scheme | None = None,
) -> SyntheticClass:
    """Write ``n`` synthetic students' answers (and ``corrupt`` broken files) to ``folder``."""
    if not isinstance(n, int) or n < 1:
        raise MedialitError(f"The number of students must be a whole number from 1 up; got {n}.")
    for name, rate in (("error rate", error_rate), ("untagged rate", untagged_rate)):
        if not 0.0 <= float(rate) <= 1.0:
            raise MedialitError(f"The {name} must be between 0 and 1 (e.g. 0.2); got {rate}.")
    folder = Path(folder)
    if folder.exists() and any(folder.rglob("*.json")):
        raise MedialitError(
            f"{folder} already holds answers files; write a synthetic class to an empty or "
            "new folder so that no one's answers are mixed with made-up ones."
        )
    scheme = scheme or default_scheme()
    reference = get_reference(reference, article)
    layers = layers or scheme.layer_names
    for layer in layers:
        scheme.layer(layer)
    rng = random.Random(seed)
    width = max(4, len(str(n)))
    files = []
    for i in range(1, n + 1):
        student = f"student-{i:0{width}d}"
        answers = AnswerFile(
            exercise,
            path=folder / student / f"{exercise}.json",
            student=student,
            article=article,
            scheme=scheme,
        )
        _fill(answers.sheet, reference, scheme, layers, rng, error_rate, untagged_rate)
        files.append(answers.save())
    broken = [
        _write_corrupt(folder / f"broken-{k:02d}" / f"{exercise}.json", kind, exercise)
        for k, kind in enumerate((CORRUPT_KINDS * corrupt)[:corrupt], start=1)
    ]
    return SyntheticClass(folder, files, broken, error_rate, seed)


def _fill(
    sheet,
    reference,
    scheme: Scheme,
    layers,
    rng: random.Random,
    error_rate: float,
    untagged_rate: float,
) -> None:
    for unit in dict.fromkeys(e.unit for e in reference.entries()):
        for layer in layers:
            entry = reference.entry(unit, layer)
            names = scheme.layer(layer).label_names
            if layer == MULTI_LAYER:
                labels = _devices(entry, names, rng, error_rate)
                sheet.set_tags(unit, layer, labels)
                for label in labels:
                    if label in entry.cues:
                        sheet.set_cues(unit, label, list(entry.cues[label]))
                continue
            if layer == "evidence" and (
                not entry.applicable or "evidence" not in sheet.get_tags(unit, "role")
            ):
                continue
            if layer != OPTIONAL_LAYER and rng.random() < untagged_rate:
                continue
            label = _single(entry, names, rng, error_rate, optional=layer == OPTIONAL_LAYER)
            if label != NONE:
                sheet.set_tags(unit, layer, [label])


def _single(entry, names, rng: random.Random, error_rate: float, optional: bool) -> str:
    options = [*names, NONE] if optional else list(names)
    wrong = [lab for lab in options if lab not in entry.accepted]
    if wrong and rng.random() < error_rate:
        return rng.choice(wrong)
    expert = entry.label[0] if entry.label else NONE
    if rng.random() < EXPERT_SHARE or len(entry.accepted) == 1:
        return expert
    return rng.choice(list(entry.accepted))


def _devices(entry, names, rng: random.Random, error_rate: float) -> list[str]:
    wrong = [lab for lab in names if lab not in entry.accepted]
    chosen: list[str] = []
    for label in entry.label or (NONE,):
        spare = [lab for lab in wrong if lab not in chosen]
        if spare and rng.random() < error_rate:
            chosen.append(rng.choice(spare))
        elif label != NONE:
            chosen.append(label)
    return chosen


def _write_corrupt(path: Path, kind: str, exercise: str) -> Path:
    if kind == "truncated":
        text = '{"format": "medialit-answers", "version": 2, "tags": {"P1.S1": '
    elif kind == "foreign":
        text = json.dumps({"name": "not an answers file", "cells": []})
    else:
        text = json.dumps(
            {
                "format": "medialit-answers",
                "version": 99,
                "student": "future",
                "exercise": exercise,
                "tags": {},
            }
        )
    write_atomic(path, text + "\n")
    return path


# -- a toy reference for tests ------------------------------------------------------------

_ROLE_CYCLE = ("thesis", "evidence", "claim", "evidence", "context", "concession", "claim")
_STATEMENT_CYCLE = ("value", "fact", "policy", "fact", "prediction", "value")
_EVIDENCE_CYCLE = ("example", "quote", "authority", "statistic")
_FRAME_CYCLE = ("problem", "", "cause", "judgment", "", "remedy")


def write_toy_reference(path: str | Path, article: str = "seed") -> Path:
    """Write a made-up reference for ``article`` (same format as ``data/reference.csv``).

    Deterministic, valid for ``medialit.reference.load_reference``, with a mix of anchors and
    multi-label accepted sets. It is NOT an expert reading of the article: tests only.
    """
    from medialit.article import load_article

    art = load_article(article)
    rows = []
    for i, unit in enumerate(art.units):
        role = _ROLE_CYCLE[i % len(_ROLE_CYCLE)]
        role_ok = [role] + (["claim"] if role in ("thesis", "concession") else [])
        statement = _STATEMENT_CYCLE[i % len(_STATEMENT_CYCLE)]
        statement_ok = [statement] + (["value"] if statement == "policy" else [])
        rows.append(_row(unit.id, "role", [role], role_ok))
        rows.append(_row(unit.id, "statement", [statement], statement_ok))
        if "evidence" in role_ok:
            kind = _EVIDENCE_CYCLE[i % len(_EVIDENCE_CYCLE)]
            ok = [kind] + (["example"] if kind == "quote" else [])
            rows.append(_row(unit.id, "evidence", [kind], ok))
        else:
            rows.append(_row(unit.id, "evidence", [], [], anchor=False))
        word = _longest_word(unit.text)
        if i % 3 == 0:
            rows.append(
                _row(
                    unit.id,
                    "devices",
                    ["loaded_language"],
                    ["loaded_language"],
                    cues=f"loaded_language: {word}",
                )
            )
        elif i % 3 == 1:
            rows.append(
                _row(
                    unit.id,
                    "devices",
                    ["intensifier"],
                    ["intensifier", "hedge"],
                    cues=f"intensifier: {word}",
                )
            )
        else:
            rows.append(_row(unit.id, "devices", [], [NONE]))
        frame = _FRAME_CYCLE[i % len(_FRAME_CYCLE)]
        if frame:
            rows.append(_row(unit.id, "frame", [frame], [frame, NONE]))
        else:
            rows.append(_row(unit.id, "frame", [], [NONE]))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["id", "layer", "label", "accepted", "cues", "anchor", "rationale"])
        writer.writerows(rows)
    return path


def _row(unit, layer, label, accepted, cues="", anchor=None):
    chosen = set(label) or ({NONE} if layer in (MULTI_LAYER, OPTIONAL_LAYER) else set())
    if anchor is None:
        anchor = set(accepted) == chosen
    return [
        unit,
        layer,
        ";".join(label),
        ";".join(accepted),
        cues,
        "yes" if anchor else "no",
        "Toy reference for tests; not an expert reading.",
    ]


def _longest_word(text: str) -> str:
    words = re.findall(r"[A-Za-z]+", text)
    return max(words, key=len) if words else text.split()[0]
