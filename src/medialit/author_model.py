"""The author mode's state: an instructor's reference for an article folder, saved as they work.

``AuthorModel("DIR")`` reads ``DIR/article.txt`` and, if it exists, ``DIR/reference.csv`` (in
the format of ``data/reference.csv``, see ``medialit.reference``), holds one row per unit and
layer as the CSV's own text, and writes the whole file again after every change (a temporary
file, then an atomic rename), so closing the notebook at any point loses nothing. The view
(``medialit.author``) only turns clicks into calls here; tests drive this class directly.

How the rows are kept, so the file stays the truth and a hand edit survives:

- Every unit has a row in every layer, in reading order. A row with only its id and layer is
  "not annotated yet"; ``medialit reference check`` names those layer by layer, and
  ``load_reference`` refuses the file until none is left.
- ``label`` is the expert's choice (as a student would choose it); ``accepted`` is that choice
  (``none`` where a layer's empty label stands for "no label") followed by the alternatives.
  Changing the label keeps the alternatives.
- ``anchor`` follows ``accepted`` (yes when nothing but the label is accepted) whenever the
  label or the alternatives change; ``set_anchor(True)`` drops the alternatives, and
  ``set_anchor(False)`` with none is kept as written, for the check to ask for one.
- Where the evidence layer does not apply (the role does not accept ``evidence``), its row is
  filled with empty labels, ``no`` and a plain rationale the instructor can rewrite.
- A new file is readable by its owner only (it is an answer key); an existing file keeps its
  permissions.
- A file edited by hand is read as it is (rows the article does not have are kept and
  written back at the end), and a save never overwrites a file changed on disk meanwhile.

Problems come from the same rules as ``load_reference`` (``medialit.reference_check``).
"""

from __future__ import annotations

import copy
import csv
import io
import os
import stat
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from medialit.article import Article, load_article
from medialit.datafile import read_csv_rows
from medialit.errors import MedialitError
from medialit.reference import (
    COLUMNS,
    FOLDER_REFERENCE,
    NONE,
    Problem,
    ReferenceFileError,
    applies,
    format_cues,
    is_blank,
    split_labels,
)
from medialit.reference_check import CheckResult, check_rows
from medialit.scheme import Layer, Scheme, default_scheme
from medialit.tagger_model import toggled

Row = dict[str, str]
#: what a layer's row says where the layer does not apply (the instructor may rewrite it)
NOT_APPLICABLE = "Not {layer}: the sentence's role is {role}, so this layer does not apply."


class ReferenceChangedError(ReferenceFileError):
    """The reference file changed on disk since the author mode read it (a hand edit)."""


class AuthorModel:
    """An instructor's reference for one article folder. Every change is saved at once."""

    def __init__(self, folder: str | Path, scheme: Scheme | None = None) -> None:
        self.folder = Path(folder)
        self.scheme = scheme or default_scheme()
        self.article: Article = load_article(self.folder)
        self.path = self.folder / FOLDER_REFERENCE
        self.layer_defs: list[Layer] = list(self.scheme.layers)
        self.layers = tuple(layer.name for layer in self.layer_defs)
        self.rows: dict[tuple[str, str], Row] = {
            (unit, layer): _blank(unit, layer) for unit in self.ids for layer in self.layers
        }
        #: rows the article and scheme do not have (or repeats), kept as the file had them
        self.extra: list[Row] = []
        self.undo_stack: list[tuple[str, str, dict[tuple[str, str], Row]]] = []
        self.last_change = ""
        self._on_disk: bytes | None = None
        if self.path.exists():
            self._read()

    # -- reading --------------------------------------------------------------------------
    @property
    def ids(self) -> list[str]:
        return self.article.ids

    def row(self, unit: str, layer: str) -> Row:
        """The CSV row of one unit and layer (a copy; change it through the setters)."""
        return dict(self._row(unit, layer))

    def label(self, unit: str, layer: str) -> list[str]:
        return list(split_labels(self._row(unit, layer)["label"]))

    def accepted(self, unit: str, layer: str) -> list[str]:
        return list(split_labels(self._row(unit, layer)["accepted"]))

    def alternatives(self, unit: str, layer: str) -> list[str]:
        """Accepted labels other than the expert's own choice (``none`` included)."""
        chosen = self._chosen(unit, layer)
        return [lab for lab in self.accepted(unit, layer) if lab not in chosen]

    def anchor(self, unit: str, layer: str) -> str:
        """``yes``, ``no``, or ``""`` while the row is not annotated."""
        return self._row(unit, layer)["anchor"]

    def cues(self, unit: str) -> dict[str, list[str]]:
        """The devices row's cue words by label (``{"hedge": ["in part"]}``)."""
        cues: dict[str, list[str]] = {}
        for group in self._row(unit, "devices")["cues"].split("|"):
            label, colon, words = group.partition(":")
            if colon and label.strip():
                cues.setdefault(label.strip(), []).extend(split_labels(words))
        return cues

    def rationale(self, unit: str, layer: str) -> str:
        return self._row(unit, layer)["rationale"]

    def annotated(self, unit: str, layer: str) -> bool:
        return not is_blank(self._row(unit, layer))

    def is_none(self, unit: str, layer: str) -> bool:
        """Has the expert chosen "no label" in a layer that allows it?"""
        return (
            self.takes_none(layer) and self.annotated(unit, layer) and not self.label(unit, layer)
        )

    def takes_none(self, layer: str) -> bool:
        return not self.scheme.layer(layer).required

    def applies(self, unit: str, layer: str) -> bool:
        """Does the layer apply (evidence only where the role accepts ``evidence``)?"""
        layer_def = self.scheme.layer(layer)
        if layer_def.applies_when is None:
            return True
        return bool(applies(layer_def, self._row(unit, layer_def.applies_when[0])))

    def check(self) -> CheckResult:
        """Every problem of the reference as it is now, by the rules ``load_reference`` uses."""
        return check_rows(self.path, self.numbered_rows(), self.article, self.scheme)

    def problems(self, unit: str, layer: str | None = None) -> list[Problem]:
        """The problems of one unit (in one layer), not-annotated rows included."""
        return [
            p
            for p in self.check().problems
            if p.unit == unit and (layer is None or p.layer == layer)
        ]

    def is_done(self, unit: str, problems: Sequence[Problem] | None = None) -> bool:
        """Is the unit annotated in every layer, with no problem left?"""
        found = self.problems(unit) if problems is None else problems
        return not any(p.unit == unit for p in found)

    def progress(self) -> tuple[int, int]:
        """(units done, all units)."""
        problems = self.check().problems
        return sum(self.is_done(u, problems) for u in self.ids), len(self.ids)

    def next_unfinished(self, after: int = -1) -> int | None:
        """Index of the first unit after ``after`` (wrapping round) that is not done, or None."""
        problems = self.check().problems
        n = len(self.ids)
        for step in range(1, n + 1):
            i = (after + step) % n
            if not self.is_done(self.ids[i], problems):
                return i
        return None

    def numbered_rows(self) -> list[tuple[int, Row]]:
        """(file line, row) pairs as ``to_csv`` writes them (one line per row)."""
        return [(i + 2, dict(row)) for i, row in enumerate(self._all_rows())]

    def to_csv(self) -> str:
        """The whole reference file, exactly as it is saved."""
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(self._all_rows())
        return out.getvalue()

    # -- changing -------------------------------------------------------------------------
    def choose(self, unit: str, layer: str, label: str, on: bool = True) -> None:
        """Switch the expert's label on or off, as a student does in the tagger."""
        multiple = self.scheme.layer(layer).multiple
        self.set_label(unit, layer, toggled(self.label(unit, layer), label, on, multiple))

    def set_label(self, unit: str, layer: str, labels: Sequence[str]) -> None:
        """Set the expert's label(s); the alternatives stay, the anchor follows."""
        layer_def = self._layer(unit, layer)
        labels = list(dict.fromkeys(lab for lab in labels if lab and lab != NONE))
        self._check_labels(layer_def, labels)
        text = ", ".join(labels) if labels else "no label"

        def change() -> None:
            others = self.alternatives(unit, layer)
            chosen = labels or ([NONE] if self.takes_none(layer) else [])
            accepted = [*chosen, *(lab for lab in others if lab not in chosen)]
            self._write(unit, layer, label=labels, accepted=accepted)

        self._commit(unit, layer, f"{unit} {layer}: {text}", change)

    def set_none(self, unit: str, layer: str) -> None:
        """The expert chooses "no label" (devices, frame)."""
        if not self.takes_none(layer):
            raise MedialitError(f"The {layer} layer needs a label; it has no 'none'.")
        self.set_label(unit, layer, [])

    def set_accepted(self, unit: str, layer: str, label: str, on: bool = True) -> None:
        """Accept (or stop accepting) another label beside the expert's own."""
        layer_def = self._layer(unit, layer)
        if label != NONE or not self.takes_none(layer):
            self._check_labels(layer_def, [label])
        if label in self._chosen(unit, layer):
            raise MedialitError(
                f"{label.replace('_', ' ')} is the label of {unit} in {layer}, so it is "
                "accepted already; choose another label first to change that."
            )

        def change() -> None:
            if not self.annotated(unit, layer):
                self._write(unit, layer, label=[], accepted=self._chosen(unit, layer, True))
            accepted = self.accepted(unit, layer)
            accepted = [*accepted, label] if on else [x for x in accepted if x != label]
            self._write(unit, layer, accepted=list(dict.fromkeys(accepted)))

        what = "also accepts" if on else "no longer accepts"
        self._commit(unit, layer, f"{unit} {layer} {what} {label}", change)

    def set_anchor(self, unit: str, layer: str, on: bool) -> None:
        """Make the row an anchor (only the label is right: the alternatives go) or not."""
        self._layer(unit, layer)

        def change() -> None:
            if on:
                self._write(unit, layer, accepted=self._chosen(unit, layer, True))
            else:
                self._row(unit, layer)["anchor"] = "no"

        what = "an anchor" if on else "not an anchor"
        self._commit(unit, layer, f"{unit} {layer} is {what}", change)

    def set_cues(self, unit: str, label: str, words: Sequence[str] | str) -> list[str]:
        """Save the cue words of a device label; return those not found in the unit's text."""
        self._layer(unit, "devices")
        self._check_labels(self.scheme.layer("devices"), [label])
        found = split_labels(words) if isinstance(words, str) else tuple(w.strip() for w in words)
        found = tuple(dict.fromkeys(w for w in found if w))

        def change() -> None:
            cues = self.cues(unit)
            if found:
                cues[label] = list(found)
            else:
                cues.pop(label, None)
            self._row(unit, "devices")["cues"] = format_cues(
                {lab: tuple(w) for lab, w in cues.items()}
            )

        self._commit(unit, "devices", f"{unit} cue words for {label}", change)
        text = self.article.unit(unit).text
        return [w for w in found if w not in text]

    def set_rationale(self, unit: str, layer: str, text: str) -> None:
        """Say why (one line in the CSV: line breaks become spaces)."""
        self._layer(unit, layer)
        clean = " ".join(str(text).split())
        self._commit(
            unit,
            layer,
            f"{unit} {layer} rationale",
            lambda: self._row(unit, layer).__setitem__("rationale", clean),
        )

    def clear(self, unit: str, layer: str) -> None:
        """Back to "not annotated" for one unit and layer."""
        self._layer(unit, layer)

        def change() -> None:
            self.rows[(unit, layer)] = _blank(unit, layer)
            for dependent in self.layer_defs:
                if dependent.applies_when and dependent.applies_when[0] == layer:
                    self._follow(unit, dependent)

        self._commit(unit, layer, f"{unit} {layer} cleared", change)

    def undo(self) -> str | None:
        """Undo the last change (and save); return the unit it touched, or None."""
        if not self.undo_stack:
            return None
        unit, what, before = self.undo_stack.pop()
        self.rows = before
        self.last_change = f"undone: {what}"
        self.save()
        return unit

    def save(self) -> None:
        """Write the whole file atomically. A file changed on disk since it was read is left
        alone (``ReferenceFileError``): open the author mode again to load it."""
        data = self.to_csv().encode("utf-8")
        on_disk = self.path.read_bytes() if self.path.exists() else None
        if on_disk != self._on_disk:
            raise ReferenceChangedError(
                f"{self.path} was changed on disk since the author mode read it (edited by "
                "hand?). Nothing was written; run the author cell again to load that version."
            )
        if data == on_disk:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".reference-", suffix=".tmp", dir=self.folder)
        try:
            if on_disk is not None:  # keep the file's own permissions; a new key is private
                os.chmod(tmp, stat.S_IMODE(self.path.stat().st_mode))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except OSError as exc:
            Path(tmp).unlink(missing_ok=True)
            raise ReferenceFileError(
                f"Could not save {self.path} ({exc.strerror or exc}). Your work is kept in "
                "this notebook and is written with the next change that saves."
            ) from exc
        self._on_disk = data

    # -- inside -----------------------------------------------------------------------------
    def _read(self) -> None:
        rows = read_csv_rows(
            self.path, COLUMNS, error=ReferenceFileError, word="row", skip_blank=True
        )
        for _, row in rows:
            key = (row["id"], row["layer"])
            if key in self.rows and is_blank(self.rows[key]):
                self.rows[key] = dict(row)
            else:
                self.extra.append(dict(row))
        self._on_disk = self.path.read_bytes()

    def _all_rows(self) -> list[Row]:
        return [*self.rows.values(), *self.extra]

    def _row(self, unit: str, layer: str) -> Row:
        try:
            return self.rows[(unit, layer)]
        except KeyError:
            self._layer(unit, layer)
            raise

    def _layer(self, unit: str, layer: str) -> Layer:
        if unit not in self.ids:
            self.article.unit(unit)  # the article's own message: the valid range
        return self.scheme.layer(layer)

    def _check_labels(self, layer: Layer, labels: Sequence[str]) -> None:
        for label in labels:
            if label not in layer.label_names:
                raise MedialitError(
                    f"{label!r} is not a label of the {layer.name!r} layer. "
                    f"Valid labels: {', '.join(layer.label_names)}."
                )

    def _chosen(self, unit: str, layer: str, force: bool = False) -> list[str]:
        """The label as ``accepted`` lists it: ``none`` stands for an empty label."""
        label = self.label(unit, layer)
        if label or not self.takes_none(layer):
            return label
        return [NONE] if force or self.annotated(unit, layer) else []

    def _write(
        self,
        unit: str,
        layer: str,
        label: Sequence[str] | None = None,
        accepted: Sequence[str] | None = None,
    ) -> None:
        """Change label and/or accepted; cues of labels no longer accepted go; the anchor
        follows; the evidence row follows the role."""
        row = self._row(unit, layer)
        if label is not None:
            row["label"] = ";".join(label)
        if accepted is not None:
            row["accepted"] = ";".join(accepted)
        if layer == "devices":
            keep = set(split_labels(row["accepted"]))
            cues = {lab: tuple(w) for lab, w in self.cues(unit).items() if lab in keep}
            row["cues"] = format_cues(cues)
        chosen = set(self._chosen(unit, layer, True))
        applicable = self._applicable(unit, layer)
        row["anchor"] = (
            "yes" if applicable and set(split_labels(row["accepted"])) == chosen else "no"
        )
        for dependent in self.layer_defs:
            if dependent.applies_when and dependent.applies_when[0] == layer:
                self._follow(unit, dependent)

    def _applicable(self, unit: str, layer: str) -> bool:
        """As the rules read it: where the other layer is not annotated, the row decides."""
        layer_def = self.scheme.layer(layer)
        other = layer_def.applies_when[0] if layer_def.applies_when else None
        known = applies(layer_def, self._row(unit, other) if other else None)
        row = self._row(unit, layer)
        return bool(row["label"] or row["accepted"]) if known is None else known

    def _follow(self, unit: str, layer: Layer) -> None:
        """A layer that applies only with another's label (evidence with role) follows it."""
        row = self._row(unit, layer.name)
        other = layer.applies_when[0] if layer.applies_when else ""
        role = " or ".join(self.label(unit, other)) or "not chosen"
        auto = NOT_APPLICABLE.format(layer=layer.name, role=role)
        start = NOT_APPLICABLE.split("{role}")[0].format(layer=layer.name)
        was_auto = row["rationale"].startswith(start)
        if self.applies(unit, layer.name) or not self.annotated(unit, other):
            if was_auto and not row["label"] and not row["accepted"]:
                self.rows[(unit, layer.name)] = _blank(unit, layer.name)
            return
        row.update(label="", accepted="", cues="", anchor="no")
        if not row["rationale"] or was_auto:
            row["rationale"] = auto

    def _commit(self, unit: str, layer: str, what: str, change: Callable[[], None]) -> None:
        """Apply a change, remember how to undo it, save. A change refused because the file
        was edited meanwhile is taken back; one the disk refused stays, for the next save."""
        before = copy.deepcopy(self.rows)
        change()
        if self.rows == before:
            self.last_change = f"{what} (no change)"
            return
        try:
            self.save()
        except ReferenceChangedError:
            self.rows = before
            raise
        finally:
            if self.rows != before:
                self.undo_stack.append((unit, what, before))
                self.last_change = what


def _blank(unit: str, layer: str) -> Row:
    return {column: "" for column in COLUMNS} | {"id": unit, "layer": layer}
