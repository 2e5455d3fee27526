"""The five-layer tagging scheme, read from plain CSV files an instructor can edit.

``data/layers.csv`` describes the layers (how many labels a unit takes, when a layer
applies); ``data/scheme.csv`` lists every label with its definition, what it is grounded
in, and cue examples. Both are validated on load: a problem names the file, the row and
what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from medialit import paths
from medialit.datafile import read_csv_rows
from medialit.errors import SchemeError

if TYPE_CHECKING:
    import pandas as pd

LAYER_COLUMNS = ("layer", "order", "title", "question", "choice", "applies_when", "lesson")
LABEL_COLUMNS = ("layer", "label", "definition", "grounded_in", "cues")
#: one = exactly one label; any = any number (devices); optional = zero or one (frame)
CHOICES = ("one", "any", "optional")


@dataclass(frozen=True)
class Label:
    layer: str
    name: str
    definition: str
    grounded_in: str
    cues: tuple[str, ...]


@dataclass(frozen=True)
class Layer:
    name: str
    order: int
    title: str
    question: str
    choice: str
    applies_when: tuple[str, str] | None  # (layer, label) that must be chosen for this to apply
    lesson: str
    labels: tuple[Label, ...] = field(default=())

    @property
    def label_names(self) -> list[str]:
        return [lab.name for lab in self.labels]

    @property
    def multiple(self) -> bool:
        return self.choice == "any"

    @property
    def required(self) -> bool:
        """Must a unit this layer applies to carry a label?"""
        return self.choice == "one"

    def label(self, name: str) -> Label:
        for lab in self.labels:
            if lab.name == name:
                return lab
        raise SchemeError(f"{name!r} is not a label of layer {self.name!r}.")

    def applies(self, tags: dict[str, list[str]]) -> bool:
        """Does this layer apply to a unit with these tags in other layers?"""
        if self.applies_when is None:
            return True
        other, label = self.applies_when
        return label in tags.get(other, [])


@dataclass(frozen=True)
class Scheme:
    layers: tuple[Layer, ...]
    source: Path

    @property
    def layer_names(self) -> list[str]:
        return [layer.name for layer in self.layers]

    def layer(self, name: str) -> Layer:
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise SchemeError(
            f"There is no layer {name!r}; the layers are {', '.join(self.layer_names)}."
        )

    def check_labels(self, layer_name: str, labels: list[str]) -> None:
        """Raise UnknownLabelError (listing the valid labels) for any label not in the layer."""
        from medialit.errors import UnknownLabelError

        layer = self.layer(layer_name)
        for label in labels:
            if label not in layer.label_names:
                raise UnknownLabelError(
                    f"{label!r} is not a label of the {layer.name!r} layer. "
                    f"Valid labels: {', '.join(layer.label_names)}."
                )

    def to_frame(self) -> pd.DataFrame:
        """One row per label: layer, label, choice, definition, grounded_in, cues."""
        import pandas as pd  # only here: importing the scheme must stay light

        rows = []
        for layer in self.layers:
            for lab in layer.labels:
                rows.append(
                    {
                        "layer": layer.name,
                        "label": lab.name,
                        "choice": layer.choice,
                        "definition": lab.definition,
                        "grounded_in": lab.grounded_in,
                        "cues": "; ".join(lab.cues),
                    }
                )
        return pd.DataFrame(rows)


def _is_name(value: str) -> bool:
    return bool(value) and value.replace("_", "").isalnum() and value == value.lower()


def load_scheme(scheme_path: Path | None = None, layers_path: Path | None = None) -> Scheme:
    """Read and validate the scheme; defaults to the kit's ``data/`` files."""
    scheme_path = Path(scheme_path) if scheme_path else paths.data_file("scheme.csv")
    if layers_path is None:
        # An edited scheme.csv may stand alone; then the kit's own layers.csv applies.
        beside = scheme_path.with_name("layers.csv")
        layers_path = beside if beside.is_file() else paths.data_file("layers.csv")
    layers_path = Path(layers_path)

    layer_rows: dict[str, tuple[int, dict[str, str]]] = {}
    for number, row in read_csv_rows(layers_path, LAYER_COLUMNS, error=SchemeError, word="row"):
        name = row["layer"]
        if not _is_name(name):
            raise SchemeError(
                f"{layers_path}, row {number}: layer name {name!r} must be "
                "lower-case letters, digits and underscores."
            )
        if name in layer_rows:
            raise SchemeError(f"{layers_path}, row {number}: layer {name!r} is listed twice.")
        if row["choice"] not in CHOICES:
            raise SchemeError(
                f"{layers_path}, row {number}: choice {row['choice']!r} must be "
                f"one of {', '.join(CHOICES)}."
            )
        if not row["order"].isdigit():
            raise SchemeError(
                f"{layers_path}, row {number}: order {row['order']!r} must be a whole number."
            )
        layer_rows[name] = (number, row)

    labels: dict[str, list[Label]] = {name: [] for name in layer_rows}
    for number, row in read_csv_rows(scheme_path, LABEL_COLUMNS, error=SchemeError, word="row"):
        layer, name = row["layer"], row["label"]
        if layer not in labels:
            raise SchemeError(
                f"{scheme_path}, row {number}: layer {layer!r} is not in {layers_path.name} "
                f"(layers: {', '.join(labels)})."
            )
        if not _is_name(name):
            raise SchemeError(
                f"{scheme_path}, row {number}: label {name!r} must be lower-case "
                "letters, digits and underscores."
            )
        if any(lab.name == name for lab in labels[layer]):
            raise SchemeError(
                f"{scheme_path}, row {number}: label {name!r} appears twice in layer {layer!r}."
            )
        if not row["definition"]:
            raise SchemeError(f"{scheme_path}, row {number}: label {name!r} has no definition.")
        if not row["grounded_in"]:
            raise SchemeError(f"{scheme_path}, row {number}: label {name!r} has no grounded_in.")
        cues = tuple(c.strip() for c in row["cues"].split(";") if c.strip())
        labels[layer].append(Label(layer, name, row["definition"], row["grounded_in"], cues))

    layers = []
    for name, (number, row) in layer_rows.items():
        if len(labels[name]) < 2:
            raise SchemeError(
                f"{layers_path}, row {number}: layer {name!r} needs at least two "
                f"labels in {scheme_path.name}; it has {len(labels[name])}."
            )
        condition = None
        if row["applies_when"]:
            other, _, label = row["applies_when"].partition("=")
            other, label = other.strip(), label.strip()
            if other not in labels or label not in [lab.name for lab in labels[other]]:
                raise SchemeError(
                    f"{layers_path}, row {number}: applies_when {row['applies_when']!r} must "
                    "name another layer and one of its labels, like role=evidence."
                )
            condition = (other, label)
        layers.append(
            Layer(
                name,
                int(row["order"]),
                row["title"],
                row["question"],
                row["choice"],
                condition,
                row["lesson"],
                tuple(labels[name]),
            )
        )
    layers.sort(key=lambda layer: layer.order)
    return Scheme(tuple(layers), scheme_path)


_DEFAULT: Scheme | None = None


def default_scheme() -> Scheme:
    """The kit's own scheme, loaded once."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load_scheme()
    return _DEFAULT
