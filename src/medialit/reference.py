"""The expert reference annotation: what an expert tags each unit with, and what else is fine.

One plain CSV per article (``data/reference.csv`` for the seed, ``data/reference_practice.csv``
for the practice op-ed), one row per unit and layer, columns
``id,layer,label,accepted,cues,anchor,rationale``:

- ``label``: the expert's choice; ``;``-separated for devices, empty for "no label";
- ``accepted``: every label the expert finds defensible, including ``label``; ``none`` (frame
  and devices only) means "no label is also fine";
- ``cues``: devices only, ``label: word; phrase | label2: word``; each cue occurs verbatim in
  the unit's text;
- ``anchor``: ``yes`` when exactly one answer is acceptable (graded strictly), else ``no``;
- ``rationale``: one or two sentences that teach why.

The file is validated on load; every problem names the file, the row and what to fix. One
set of rules (``validate_rows``) collects every problem: ``load_reference`` raises the first
(the grader and the lessons need a whole, valid reference), while ``medialit reference
check`` (``medialit.reference_check``) and the instructor's author mode list them all. A row
with only its id and layer filled in stands for "not annotated yet", so a half-done reference
can be saved and its gaps named.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path

import pandas as pd

from medialit import paths
from medialit.article import Article, load_article
from medialit.datafile import read_csv_rows
from medialit.errors import MedialitError
from medialit.scheme import Layer, Scheme, default_scheme

COLUMNS = ("id", "layer", "label", "accepted", "cues", "anchor", "rationale")
#: The label that stands for "no label" in ``accepted`` (frame and devices only).
NONE = "none"
#: Reference files the kit ships, by article short name.
REFERENCE_FILES = {"seed": "reference.csv", "practice": "reference_practice.csv"}


class ReferenceFileError(MedialitError):
    """The reference file is missing, malformed or inconsistent with the article or scheme."""


@dataclass(frozen=True)
class RefEntry:
    """The expert's reading of one unit in one layer."""

    unit: str
    layer: str
    label: tuple[str, ...]
    accepted: tuple[str, ...]
    cues: dict[str, tuple[str, ...]] = field(hash=False)
    anchor: bool
    rationale: str
    applicable: bool


@dataclass(frozen=True)
class Reference:
    """Every unit × layer entry of one article, in reading order."""

    article: str
    path: Path
    _entries: dict[tuple[str, str], RefEntry] = field(repr=False, hash=False)
    _layers: tuple[str, ...] = field(repr=False)

    def entry(self, unit: str, layer: str) -> RefEntry:
        """The entry for one unit and layer; a clear error if there is none."""
        try:
            return self._entries[(unit, layer)]
        except KeyError:
            pass
        if layer not in self._layers:
            raise ReferenceFileError(
                f"There is no layer {layer!r} in the reference; "
                f"the layers are {', '.join(self._layers)}."
            )
        units = self.units
        raise ReferenceFileError(
            f"There is no unit {unit!r} in the reference for the article {self.article!r}. "
            f"Units run from {units[0]} to {units[-1]}; ids look like P3.S2."
        )

    @property
    def units(self) -> list[str]:
        """Unit ids in reading order."""
        return list(dict.fromkeys(unit for unit, _ in self._entries))

    def entries(self, layer: str | None = None) -> list[RefEntry]:
        """All entries in reading order (one layer, or all layers unit by unit)."""
        if layer is not None and layer not in self._layers:
            raise ReferenceFileError(
                f"There is no layer {layer!r}; the layers are {', '.join(self._layers)}."
            )
        return [e for e in self._entries.values() if layer is None or e.layer == layer]

    def anchors(self, layer: str) -> list[RefEntry]:
        """Entries of a layer with exactly one acceptable answer: the strictly graded ones."""
        return [e for e in self.entries(layer) if e.anchor and e.applicable]

    def to_frame(self) -> pd.DataFrame:
        """One row per unit and layer: id, layer, label, accepted, cues, anchor, rationale."""
        rows = [
            {
                "id": e.unit,
                "layer": e.layer,
                "label": "; ".join(e.label),
                "accepted": "; ".join(e.accepted),
                "cues": format_cues(e.cues),
                "anchor": e.anchor,
                "rationale": e.rationale,
            }
            for e in self._entries.values()
        ]
        return pd.DataFrame(rows, columns=list(COLUMNS))

    def __len__(self) -> int:
        return len(self._entries)


def format_cues(cues: dict[str, tuple[str, ...]]) -> str:
    """``{"hedge": ("in part",)}`` -> ``"hedge: in part"`` (the CSV's own notation)."""
    return " | ".join(f"{label}: {'; '.join(words)}" for label, words in cues.items())


def is_accepted(entry: RefEntry, labels: Sequence[str]) -> bool:
    """Does the expert accept this choice?

    Single-choice layers (role, statement, evidence, frame): exactly one label, in the
    accepted set; an empty choice counts as ``none``. Devices: every chosen label is
    accepted, and an empty choice is accepted when the expert chose no device or accepts
    ``none``. Where a layer does not apply (evidence on a non-evidence sentence), only an
    empty choice is accepted.
    """
    chosen = [lab for lab in dict.fromkeys(labels) if lab and lab != NONE]
    if not entry.applicable:
        return not chosen
    if entry.layer == "devices":
        if not chosen:
            return not entry.label or NONE in entry.accepted
        return all(lab in entry.accepted for lab in chosen)
    if len(chosen) > 1:
        return False
    return (chosen[0] if chosen else NONE) in entry.accepted


#: An article folder keeps its reference here, in the format of ``data/reference.csv``.
FOLDER_REFERENCE = "reference.csv"
#: The lessons' copy of an own article's reference, graded rows withheld (``course add-article``).
LESSON_REFERENCE = "lesson_reference.csv"


def reference_path(article: str | Path = "seed") -> Path:
    """The shipped reference file of an article short name, or an article folder's own."""
    if article not in REFERENCE_FILES and Path(article).is_dir():
        return Path(article) / FOLDER_REFERENCE
    if article not in REFERENCE_FILES:
        raise ReferenceFileError(
            f"The kit has no reference for the article {article!r}. "
            f"Use one of {', '.join(REFERENCE_FILES)}, or pass the path of a reference CSV."
        )
    return paths.data_file(REFERENCE_FILES[article])


def load_reference(
    article: str | Path = "seed", path: Path | None = None, scheme: Scheme | None = None
) -> Reference:
    """Read and validate the reference of an article ("seed", "practice" or a text file).

    ``path`` overrides the shipped reference file (e.g. an instructor's corrected copy).
    """
    if path is None:
        path = reference_path(article)
    path = Path(path)
    if not path.is_file():
        raise ReferenceFileError(
            f"{path}: reference file not found. Restore it from the medialit repository, "
            "or give the path of a reference CSV."
        )
    try:
        stat = path.stat()
        art = load_article(article)
    except MedialitError as exc:
        raise ReferenceFileError(f"Cannot check {path} against its article: {exc}") from exc
    scheme = scheme or default_scheme()
    return _load(path.resolve(), stat.st_mtime_ns, stat.st_size, art, scheme)


def load_partial_reference(article: str | Path, path: str | Path) -> Reference:
    """A reference with rows left out on purpose: the lessons' copy of an own article's key,
    whose graded rows are withheld (``medialit course add-article``). Every row that is there
    is checked by the same rules as a whole reference; a missing row is not a problem, and
    the Check button reads it as "the expert reference has no reading of this sentence"."""
    path = Path(path)
    art, scheme = load_article(article), default_scheme()
    rows = read_csv_rows(path, COLUMNS, error=ReferenceFileError, word="row", skip_blank=True)
    entries, problems = validate_rows(path, rows, art, scheme)
    real = [p for p in problems if p.kind != "missing-row"]
    if real:
        raise ReferenceFileError(real[0].message)
    return Reference(art.key, path, entries, tuple(scheme.layer_names))


@cache
def _load(path: Path, mtime: int, size: int, art: Article, scheme: Scheme) -> Reference:
    """Parse and validate (cached per file version, so a corrected file is re-read)."""
    rows = read_csv_rows(path, COLUMNS, error=ReferenceFileError, word="row", skip_blank=True)
    return _build(path, rows, art, scheme)


def split_labels(value: str) -> tuple[str, ...]:
    """``"claim; evidence"`` -> ``("claim", "evidence")``: the CSV's list notation."""
    return tuple(part.strip() for part in value.split(";") if part.strip())


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a reference file: where it is and what to do about it.

    ``row`` is the file line the row starts on (the header is row 1), or None for a problem
    of the whole file (a missing row). ``kind`` names the rule, so a report can group
    problems (``missing-row``, ``not-annotated``) and tests can ask for one.
    """

    path: Path
    row: int | None
    text: str
    kind: str
    unit: str = ""
    layer: str = ""

    @property
    def message(self) -> str:
        """The problem as one line: file, row and what is wrong."""
        where = f"{self.path}, row {self.row}" if self.row is not None else f"{self.path}"
        return f"{where}: {self.text}"

    def __str__(self) -> str:
        return self.message


def is_blank(row: dict[str, str]) -> bool:
    """A row that names its unit and layer and nothing else: not annotated yet."""
    return not any(row[c] for c in COLUMNS if c not in ("id", "layer"))


def _build(
    path: Path, rows: list[tuple[int, dict[str, str]]], art: Article, scheme: Scheme
) -> Reference:
    entries, problems = validate_rows(path, rows, art, scheme)
    if problems:
        raise ReferenceFileError(problems[0].message)
    return Reference(art.key, path, entries, tuple(scheme.layer_names))


def validate_rows(
    path: Path, rows: Sequence[tuple[int, dict[str, str]]], art: Article, scheme: Scheme
) -> tuple[dict[tuple[str, str], RefEntry], list[Problem]]:
    """Every entry that could be read, and every problem, in the order a reader meets them.

    The one set of rules for a reference: ``load_reference`` raises the first problem,
    ``medialit reference check`` and the author mode list them all. ``rows`` are (file line,
    row) pairs as ``read_csv_rows`` gives them.
    """
    problems: list[Problem] = []

    def report(row: int | None, text: str, kind: str, unit: str = "", layer: str = "") -> None:
        problems.append(Problem(path, row, text, kind, unit, layer))

    unit_ids = art.ids
    known = set(unit_ids)
    parsed: dict[tuple[str, str], tuple[int, dict[str, str]]] = {}
    for number, row in rows:
        unit, layer = row["id"], row["layer"]
        if unit not in known:
            report(
                number,
                f"{unit!r} is not a unit of the article {art.key!r} "
                f"(units run from {unit_ids[0]} to {unit_ids[-1]}); fix the id.",
                "unknown-unit",
                unit,
                layer,
            )
        elif layer not in scheme.layer_names:
            report(
                number,
                f"{layer!r} is not a layer; use one of {', '.join(scheme.layer_names)}.",
                "unknown-layer",
                unit,
                layer,
            )
        elif (unit, layer) in parsed:
            first = parsed[(unit, layer)][0]
            report(
                number,
                f"{unit} {layer} is given twice (also row {first}); keep one row.",
                "duplicate-row",
                unit,
                layer,
            )
        else:
            parsed[(unit, layer)] = (number, row)

    for unit in unit_ids:
        for layer in scheme.layer_names:
            if (unit, layer) not in parsed:
                report(
                    None,
                    f"no row for unit {unit}, layer {layer}; every unit of the article needs "
                    f"one row per layer ({', '.join(scheme.layer_names)}).",
                    "missing-row",
                    unit,
                    layer,
                )

    entries: dict[tuple[str, str], RefEntry] = {}
    for unit in unit_ids:
        for layer_name in scheme.layer_names:
            if (unit, layer_name) not in parsed:
                continue
            number, row = parsed[(unit, layer_name)]
            if is_blank(row):
                report(
                    number,
                    f"{unit} has no {layer_name} annotation yet; fill in its label, accepted, "
                    "anchor and rationale.",
                    "not-annotated",
                    unit,
                    layer_name,
                )
                continue

            found = partial(report, number, unit=unit, layer=layer_name)
            entries[(unit, layer_name)] = _entry(found, unit, row, art, scheme, parsed)
    return entries, problems


def _parse_cues(found: Callable[[str, str], None], value: str) -> dict[str, tuple[str, ...]]:
    cues: dict[str, tuple[str, ...]] = {}
    for group in value.split("|"):
        if not group.strip():
            continue
        label, colon, words = group.partition(":")
        label = label.strip()
        if not colon or not label:
            found(
                f"cues {group.strip()!r} must look like 'label: word; phrase', "
                "with ' | ' between labels.",
                "malformed-cues",
            )
            continue
        if label in cues:
            found(f"cues for {label!r} are given twice.", "malformed-cues")
            continue
        words_found = split_labels(words)
        if not words_found:
            found(f"cues for {label!r} name no words.", "malformed-cues")
            continue
        cues[label] = words_found
    return cues


def applies(layer: Layer, other_row: dict[str, str] | None) -> bool | None:
    """Does a layer apply to a unit, given the unit's row in the layer it depends on?

    None when that row is missing or not annotated yet (nothing tells us either way).
    """
    if layer.applies_when is None:
        return True
    if other_row is None or is_blank(other_row):
        return None
    return layer.applies_when[1] in split_labels(other_row["accepted"])


def _entry(
    found: Callable[[str, str], None],
    unit: str,
    row: dict[str, str],
    art: Article,
    scheme: Scheme,
    parsed: dict[tuple[str, str], tuple[int, dict[str, str]]],
) -> RefEntry:
    """Check one row (``found`` hears each problem) and read it as an entry."""
    layer = scheme.layer(row["layer"])
    label, accepted = split_labels(row["label"]), split_labels(row["accepted"])
    for name, values in (("label", label), ("accepted", accepted)):
        if len(set(values)) != len(values):
            found(f"{name} lists a label twice ({row[name]!r}).", "repeated-label")
    none_ok = layer.choice != "one"
    valid = [*layer.label_names, *([NONE] if none_ok else [])]
    for lab in dict.fromkeys((*label, *accepted)):
        if lab not in valid or (lab == NONE and lab in label):
            found(
                f"{lab!r} is not a label of the {layer.name!r} layer. "
                f"Valid labels: {', '.join(valid)}"
                + (" ('none' only in accepted, for 'no label is also fine')." if none_ok else "."),
                "unknown-label",
            )

    applicable = True
    if layer.applies_when is not None:
        other, needed = layer.applies_when
        other_row = parsed.get((unit, other))
        known = applies(layer, other_row[1] if other_row else None)
        applicable = bool(label or accepted) if known is None else known
        if not applicable and (label or accepted):
            found(
                f"the {layer.name} layer only applies when {other} accepts "
                f"{needed!r}, and {unit}'s {other} row does not; leave label and accepted "
                "empty, or accept it in the other layer.",
                "layer-does-not-apply",
            )

    if applicable and layer.choice == "one" and len(label) != 1:
        found(
            f"the {layer.name} layer takes exactly one label; found {len(label)} "
            f"({row['label']!r}).",
            "label-count",
        )
    if layer.choice == "optional" and len(label) > 1:
        found(
            f"the {layer.name} layer takes at most one label; found {row['label']!r}.",
            "label-count",
        )
    chosen = set(label) or ({NONE} if none_ok else set())
    missing = sorted(chosen - set(accepted))
    if applicable and missing:
        what = "'none' (the label is empty)" if missing == [NONE] else ", ".join(missing)
        found(
            f"accepted ({row['accepted']!r}) must include the label; add {what}.",
            "label-not-accepted",
        )

    cues: dict[str, tuple[str, ...]] = {}
    if row["cues"] and layer.name != "devices":
        found(
            f"only devices rows have cues; empty the cues of this {layer.name} row.",
            "cues-not-allowed",
        )
    if layer.name == "devices":
        cues = _parse_cues(found, row["cues"])
        text = art.unit(unit).text
        for lab, words in cues.items():
            if lab not in accepted or lab == NONE:
                found(
                    f"cues are given for {lab!r}, which is not an accepted device "
                    f"label of this unit ({row['accepted']!r}).",
                    "cue-label-not-accepted",
                )
            for word in words:
                if word not in text:
                    found(
                        f"the cue {word!r} ({lab}) does not occur in the text of "
                        f"{unit}; copy it exactly, with the article's apostrophes and case.",
                        "cue-not-in-text",
                    )
        uncued = [lab for lab in label if lab not in cues]
        if uncued:
            found(
                f"the chosen device(s) {', '.join(uncued)} need cue words from "
                f"the text of {unit} (cues like 'hedge: in part').",
                "missing-cues",
            )

    anchor_text = row["anchor"].lower()
    anchor = anchor_text == "yes"
    if anchor_text not in ("yes", "no"):
        found(f"anchor must be yes or no, not {row['anchor']!r}.", "bad-anchor")
    else:
        expected = applicable and set(accepted) == chosen
        if anchor != expected:
            if expected:
                why = "the expert accepts exactly one answer, so it is an anchor: write yes"
            elif not applicable:
                why = "the layer does not apply to this unit, so it cannot be an anchor: write no"
            else:
                why = "accepted allows more than the label, so it is not an anchor: write no"
            found(f"anchor is {row['anchor']!r} but {why}.", "anchor-mismatch")
    if not row["rationale"]:
        found("the rationale is empty; say in a sentence why.", "no-rationale")
    return RefEntry(unit, layer.name, label, accepted, cues, anchor, row["rationale"], applicable)
