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

The file is validated on load; every problem names the file, the row and what to fix.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd

from medialit import paths
from medialit.article import Article, load_article
from medialit.datafile import read_csv_rows
from medialit.errors import MedialitError
from medialit.scheme import Scheme, default_scheme

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


@cache
def _load(path: Path, mtime: int, size: int, art: Article, scheme: Scheme) -> Reference:
    """Parse and validate (cached per file version, so a corrected file is re-read)."""
    rows = read_csv_rows(path, COLUMNS, error=ReferenceFileError, word="row", skip_blank=True)
    return _build(path, rows, art, scheme)


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(";") if part.strip())


def _parse_cues(where: str, value: str) -> dict[str, tuple[str, ...]]:
    cues: dict[str, tuple[str, ...]] = {}
    for group in value.split("|"):
        if not group.strip():
            continue
        label, colon, words = group.partition(":")
        label = label.strip()
        if not colon or not label:
            raise ReferenceFileError(
                f"{where}: cues {group.strip()!r} must look like 'label: word; phrase', "
                "with ' | ' between labels."
            )
        if label in cues:
            raise ReferenceFileError(f"{where}: cues for {label!r} are given twice.")
        found = _split(words)
        if not found:
            raise ReferenceFileError(f"{where}: cues for {label!r} name no words.")
        cues[label] = found
    return cues


def _build(
    path: Path, rows: list[tuple[int, dict[str, str]]], art: Article, scheme: Scheme
) -> Reference:
    unit_ids = art.ids
    parsed: dict[tuple[str, str], tuple[int, dict[str, str]]] = {}
    for number, row in rows:
        where = f"{path}, row {number}"
        unit, layer = row["id"], row["layer"]
        if unit not in unit_ids:
            raise ReferenceFileError(
                f"{where}: {unit!r} is not a unit of the article {art.key!r} "
                f"(units run from {unit_ids[0]} to {unit_ids[-1]}); fix the id."
            )
        if layer not in scheme.layer_names:
            raise ReferenceFileError(
                f"{where}: {layer!r} is not a layer; use one of {', '.join(scheme.layer_names)}."
            )
        if (unit, layer) in parsed:
            first = parsed[(unit, layer)][0]
            raise ReferenceFileError(
                f"{where}: {unit} {layer} is given twice (also row {first}); keep one row."
            )
        parsed[(unit, layer)] = (number, row)

    for unit in unit_ids:
        for layer in scheme.layer_names:
            if (unit, layer) not in parsed:
                raise ReferenceFileError(
                    f"{path}: no row for unit {unit}, layer {layer}; every unit of the "
                    f"article needs one row per layer ({', '.join(scheme.layer_names)})."
                )

    entries: dict[tuple[str, str], RefEntry] = {}
    for unit in unit_ids:
        for layer_name in scheme.layer_names:
            number, row = parsed[(unit, layer_name)]
            entries[(unit, layer_name)] = _entry(
                f"{path}, row {number}", unit, row, art, scheme, parsed
            )
    return Reference(art.key, path, entries, tuple(scheme.layer_names))


def _entry(
    where: str,
    unit: str,
    row: dict[str, str],
    art: Article,
    scheme: Scheme,
    parsed: dict[tuple[str, str], tuple[int, dict[str, str]]],
) -> RefEntry:
    layer = scheme.layer(row["layer"])
    label, accepted = _split(row["label"]), _split(row["accepted"])
    for name, values in (("label", label), ("accepted", accepted)):
        if len(set(values)) != len(values):
            raise ReferenceFileError(f"{where}: {name} lists a label twice ({row[name]!r}).")
    none_ok = layer.choice != "one"
    valid = [*layer.label_names, *([NONE] if none_ok else [])]
    for lab in (*label, *accepted):
        if lab not in valid or (lab == NONE and lab in label):
            raise ReferenceFileError(
                f"{where}: {lab!r} is not a label of the {layer.name!r} layer. "
                f"Valid labels: {', '.join(valid)}"
                + (" ('none' only in accepted, for 'no label is also fine')." if none_ok else ".")
            )

    applicable = True
    if layer.applies_when is not None:
        other, needed = layer.applies_when
        other_row = parsed[(unit, other)][1]
        applicable = needed in _split(other_row["accepted"])
        if not applicable and (label or accepted):
            raise ReferenceFileError(
                f"{where}: the {layer.name} layer only applies when {other} accepts "
                f"{needed!r}, and {unit}'s {other} row does not; leave label and accepted "
                "empty, or accept it in the other layer."
            )

    if applicable and layer.choice == "one" and len(label) != 1:
        raise ReferenceFileError(
            f"{where}: the {layer.name} layer takes exactly one label; found {len(label)} "
            f"({row['label']!r})."
        )
    if layer.choice == "optional" and len(label) > 1:
        raise ReferenceFileError(
            f"{where}: the {layer.name} layer takes at most one label; found {row['label']!r}."
        )
    chosen = set(label) or ({NONE} if none_ok else set())
    missing = sorted(chosen - set(accepted))
    if applicable and missing:
        what = "'none' (the label is empty)" if missing == [NONE] else ", ".join(missing)
        raise ReferenceFileError(
            f"{where}: accepted ({row['accepted']!r}) must include the label; add {what}."
        )

    cues: dict[str, tuple[str, ...]] = {}
    if row["cues"] and layer.name != "devices":
        raise ReferenceFileError(
            f"{where}: only devices rows have cues; empty the cues of this {layer.name} row."
        )
    if layer.name == "devices":
        cues = _parse_cues(where, row["cues"])
        text = art.unit(unit).text
        for lab, words in cues.items():
            if lab not in accepted or lab == NONE:
                raise ReferenceFileError(
                    f"{where}: cues are given for {lab!r}, which is not an accepted device "
                    f"label of this unit ({row['accepted']!r})."
                )
            for word in words:
                if word not in text:
                    raise ReferenceFileError(
                        f"{where}: the cue {word!r} ({lab}) does not occur in the text of "
                        f"{unit}; copy it exactly, with the article's apostrophes and case."
                    )
        uncued = [lab for lab in label if lab not in cues]
        if uncued:
            raise ReferenceFileError(
                f"{where}: the chosen device(s) {', '.join(uncued)} need cue words from "
                f"the text of {unit} (cues like 'hedge: in part')."
            )

    anchor_text = row["anchor"].lower()
    if anchor_text not in ("yes", "no"):
        raise ReferenceFileError(f"{where}: anchor must be yes or no, not {row['anchor']!r}.")
    anchor = anchor_text == "yes"
    expected = applicable and set(accepted) == chosen
    if anchor != expected:
        if expected:
            why = "the expert accepts exactly one answer, so it is an anchor: write yes"
        elif not applicable:
            why = "the layer does not apply to this unit, so it cannot be an anchor: write no"
        else:
            why = "accepted allows more than the label, so it is not an anchor: write no"
        raise ReferenceFileError(f"{where}: anchor is {row['anchor']!r} but {why}.")
    if not row["rationale"]:
        raise ReferenceFileError(f"{where}: the rationale is empty; say in a sentence why.")
    return RefEntry(unit, layer.name, label, accepted, cues, anchor, row["rationale"], applicable)
