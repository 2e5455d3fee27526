"""How far annotators agree with each other and with the expert reference.

Three figures, each with a plain-language reading:

- **percent agreement**: the share of decisions on which two annotators chose the same label
  (for a class: the average, over sentences, of the share of pairs of students who agree);
- **Cohen's κ** for two annotators (scikit-learn's ``cohen_kappa_score``): agreement corrected
  for the agreement two people would reach by chance, given how often each uses each label;
- **Krippendorff's α** (nominal) for a whole class (the ``krippendorff`` package): the same
  idea for any number of annotators, and it copes with sentences some students left untagged.

How each layer is turned into decisions (the reports say this in words, see ``METHOD``):

- ``role`` and ``statement``: one decision per sentence; an untagged sentence is missing.
- ``evidence``: one decision per sentence, counted only where the annotators gave an evidence
  type (the layer applies only to sentences tagged as evidence).
- ``frame`` (zero or one label): "no frame" is an answer, so an untagged sentence counts as
  ``none`` — but only for an annotator who tagged a frame somewhere; someone who tagged no
  frame at all has not done the layer, and all their sentences are missing.
- ``devices`` (any number of labels): one yes/no decision per sentence and device label
  ("is there loaded language here?"), for annotators who tagged a device somewhere.

Agreement with the reference counts a label as right when it is in the expert's accepted set
(which may be several labels, see ``taxonomy.md``), and reports untagged sentences separately
instead of counting them wrong.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from medialit.errors import MedialitError

NONE = "none"
SINGLE_LAYERS = ("role", "statement", "evidence")
MULTI_LAYER = "devices"
OPTIONAL_LAYER = "frame"

#: How each layer becomes decisions, in words a report can print.
METHOD = {
    "role": "One decision per sentence; sentences a student left untagged are left out.",
    "statement": "One decision per sentence; sentences a student left untagged are left out.",
    "evidence": "Only sentences that were given an evidence type count (the layer applies "
    "only to sentences tagged as evidence), so this figure covers fewer sentences.",
    "devices": "Devices allow several labels per sentence, so each sentence and device label "
    'is one yes/no decision ("is there loaded language here?"), for students who tagged '
    "devices somewhere.",
    "frame": "A sentence with no frame counts as the answer 'none' for students who tagged "
    "frames somewhere; students who tagged no frame at all are left out.",
}

#: Landis & Koch (1977) bands: a rule of thumb, not a law.
BANDS = (
    (0.0, "less than chance"),
    (0.20, "slight"),
    (0.40, "fair"),
    (0.60, "moderate"),
    (0.80, "substantial"),
    (1.0, "almost perfect"),
)
BANDS_SOURCE = (
    "Landis, J. R. & Koch, G. G. (1977). The measurement of observer agreement for "
    "categorical data. Biometrics 33(1), 159-174."
)


def interpret(value: float | None) -> str:
    """A chance-corrected agreement figure (κ or α) in plain words, e.g. "moderate agreement".

    Uses the Landis & Koch (1977) bands (below 0: less than chance; up to 0.20 slight; 0.40
    fair; 0.60 moderate; 0.80 substantial; above: almost perfect). They are a rule of thumb.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "cannot be computed (too few decisions, or everyone used the same label)"
    if value < 0:
        return "less agreement than chance"
    for upper, words in BANDS[1:]:
        if value <= upper:
            return f"{words} agreement"
    return "almost perfect agreement"


@dataclass(frozen=True)
class Anchor:
    """A published agreement figure to compare a class with."""

    measure: str
    value: str
    what: str
    source: str


def anchors() -> list[Anchor]:
    """The published anchors of ``taxonomy.md`` ("Agreement, honestly"), described as their
    own papers describe them (see ``data/README.md``, changes)."""
    return [
        Anchor(
            "Fleiss' κ",
            "0.56",
            "three professional annotators, 300 news editorials: each unit given one of six "
            "types of argumentative unit (such as anecdote, statistics or the writer's own "
            "assumption); the authors call this agreement high",
            "Al-Khatib, K. et al. (2016). A News Editorial Corpus for Mining Argumentation "
            "Strategies. COLING 2016.",
        ),
        Anchor(
            "Krippendorff's α",
            "about 0.22",
            "claims in web articles and blog posts (the figure for claims in that kind of "
            "text; the same study reports lower ones for other parts of arguments; annotators "
            "also marked where each claim starts and ends)",
            "Habernal, I. & Gurevych, I. (2017). Argumentation Mining in User-Generated Web "
            "Discourse. Computational Linguistics 43(1).",
        ),
        Anchor(
            "multi-π (Fleiss)",
            "0.17 to 0.29",
            "five untrained annotators, 14 short snippets: argumentative or not (0.17), "
            "then claim and premise (0.29)",
            "Stab, C. (2017). Argumentative Writing Support by means of Natural Language "
            "Processing. PhD thesis, TU Darmstadt, section 4.2.1 (preliminary study).",
        ),
    ]


def anchors_frame() -> pd.DataFrame:
    """The anchors as a table: measure, value, what, source."""
    return pd.DataFrame([a.__dict__ for a in anchors()])


def anchor_sentence(value: float) -> str:
    """Compare a class figure with the published anchors, in one sentence."""
    if value is None or math.isnan(value):
        return ""
    if value >= 0.56:
        where = (
            "at or above the 0.56 that professional annotators reached on types of "
            "argumentative unit in news editorials"
        )
    elif value >= 0.29:
        where = (
            "between untrained annotators (0.17-0.29) and professional annotators on "
            "types of argumentative unit in editorials (0.56)"
        )
    elif value >= 0.17:
        where = (
            "in the range of untrained annotators (0.17-0.29), close to the 0.22 "
            "reported for claims in web articles and blog posts"
        )
    else:
        where = "below the 0.17-0.29 published for untrained annotators"
    return f"For comparison, {value:.2f} is {where}."


# -- the basic figures ---------------------------------------------------------------------


def _pairs(a: Sequence, b: Sequence) -> tuple[list, list]:
    if len(a) != len(b):
        raise MedialitError(
            f"The two annotators' answers have different lengths ({len(a)} and {len(b)}); "
            "give one answer per sentence for each, in the same order."
        )
    kept = [(x, y) for x, y in zip(a, b, strict=True) if not _missing(x) and not _missing(y)]
    return [x for x, _ in kept], [y for _, y in kept]


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def percent_agreement(a: Sequence, b: Sequence) -> float:
    """Share of decisions (both present) on which two annotators agree; nan if none."""
    x, y = _pairs(a, b)
    if not x:
        return float("nan")
    return sum(p == q for p, q in zip(x, y, strict=True)) / len(x)


def cohens_kappa(a: Sequence, b: Sequence) -> float:
    """Cohen's κ for two annotators over decisions both made (None = missing).

    nan when it is undefined: no shared decisions, or both used one and the same label
    throughout (chance agreement is then 1).
    """
    from sklearn.metrics import cohen_kappa_score

    x, y = _pairs(a, b)
    labels = sorted({str(v) for v in x} | {str(v) for v in y})
    if len(labels) < 2:
        return float("nan")
    return float(cohen_kappa_score([str(v) for v in x], [str(v) for v in y], labels=labels))


def krippendorff_alpha(data: Sequence[Sequence] | np.ndarray | pd.DataFrame) -> float:
    """Krippendorff's α, nominal, for a table of annotators (rows) × items (columns).

    Values may be any labels; None/NaN mark a missing value. nan when α is undefined (fewer
    than two values per item anywhere, or only one label used at all).
    """
    import krippendorff

    if isinstance(data, pd.DataFrame):
        data = data.to_numpy(dtype=object)
    rows = [list(row) for row in data]
    codes: dict[Any, int] = {}
    matrix = np.full((len(rows), max((len(r) for r in rows), default=0)), np.nan)
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if not _missing(value):
                matrix[i, j] = codes.setdefault(value, len(codes))
    if len(codes) < 2 or matrix.shape[0] < 2:
        return float("nan")
    pairable = (~np.isnan(matrix)).sum(axis=0) >= 2
    if not pairable.any():
        return float("nan")
    matrix = matrix[:, pairable]
    if len(np.unique(matrix[~np.isnan(matrix)])) < 2:
        return float("nan")
    return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))


def mean_pair_agreement(data: Sequence[Sequence] | np.ndarray | pd.DataFrame) -> float:
    """Average over items (with 2+ values) of the share of annotator pairs that agree.

    ``data`` is annotators (rows) × items (columns); for two annotators this equals
    ``percent_agreement``.
    """
    if isinstance(data, pd.DataFrame):
        data = data.to_numpy(dtype=object)
    rows = [list(row) for row in data]
    if not rows:
        return float("nan")
    shares = []
    for j in range(len(rows[0])):
        counts: dict[Any, int] = {}
        for row in rows:
            if not _missing(row[j]):
                counts[row[j]] = counts.get(row[j], 0) + 1
        n = sum(counts.values())
        if n >= 2:
            shares.append(sum(c * (c - 1) for c in counts.values()) / (n * (n - 1)))
    return float(np.mean(shares)) if shares else float("nan")


# -- from answer sheets to decisions ------------------------------------------------------


def layer_items(layer: str, units: Sequence[str], device_labels: Sequence[str] = ()) -> list:
    """The decisions a layer is made of: units, or (unit, label) pairs for devices."""
    if layer == MULTI_LAYER:
        return [(u, lab) for u in units for lab in device_labels]
    return list(units)


def decisions(
    tags: Mapping[str, Mapping[str, Sequence[str]]],
    layer: str,
    units: Sequence[str],
    device_labels: Sequence[str] = (),
) -> list:
    """One annotator's decisions in a layer, aligned with ``layer_items`` (None = missing).

    ``tags`` is ``{unit: {layer: [labels]}}`` as in an answers file.
    """
    if layer == MULTI_LAYER:
        done = any(tags.get(u, {}).get(layer) for u in tags)
        out: list = []
        for u in units:
            chosen = set(tags.get(u, {}).get(layer, ()))
            out += [(lab in chosen) if done else None for lab in device_labels]
        return out
    if layer == OPTIONAL_LAYER:
        done = any(tags.get(u, {}).get(layer) for u in tags)
        out = []
        for u in units:
            chosen = tags.get(u, {}).get(layer, ())
            out.append(chosen[0] if chosen else (NONE if done else None))
        return out
    return [(tags.get(u, {}).get(layer) or [None])[0] for u in units]


@dataclass(frozen=True)
class PairAgreement:
    """Two annotators in one layer: percent agreement, Cohen's κ and what they mean."""

    layer: str
    decisions: int
    percent: float
    kappa: float
    method: str
    reading: str


def compare_sheets(a, b, layer: str, units: Sequence[str] | None = None) -> PairAgreement:
    """Percent agreement and Cohen's κ between two answer sheets in one layer."""
    from medialit.scheme import default_scheme

    scheme = a.scheme or default_scheme()
    scheme.layer(layer)
    if units is None:
        units = list(dict.fromkeys([*a.tags, *b.tags]))
    device_labels = scheme.layer(MULTI_LAYER).label_names if layer == MULTI_LAYER else ()
    x = decisions(a.tags, layer, units, device_labels)
    y = decisions(b.tags, layer, units, device_labels)
    px, py = _pairs(x, y)
    percent = percent_agreement(x, y)
    kappa = cohens_kappa(x, y)
    if not px:
        reading = f"No shared decisions in the {layer} layer: one of you has not tagged it yet."
    else:
        reading = (
            f"You agree on {sum(p == q for p, q in zip(px, py, strict=True))} of {len(px)} "
            f"decisions ({percent:.0%}). Corrected for chance, Cohen's κ = "
            f"{_fmt(kappa)}: {interpret(kappa)} (Landis & Koch bands, a rule of thumb)."
        )
    return PairAgreement(layer, len(px), percent, kappa, METHOD.get(layer, ""), reading)


@dataclass(frozen=True)
class ReferenceAgreement:
    """One student's agreement with the expert reference in one layer.

    ``choices`` counts the labels the student gave (for devices and frame, a sentence with no
    label counts as the choice "none"); ``right`` those in the accepted set; ``untagged`` the
    sentences the student has not tagged in this layer (not counted as wrong); ``extra``
    evidence types given where the expert sees no evidence.
    """

    layer: str
    sentences: int
    choices: int
    right: int
    untagged: int
    extra: int
    share: float
    reading: str
    mistakes: tuple[tuple[str, str], ...] = field(default=())


def reference_choices(tags: Mapping[str, Mapping[str, Sequence[str]]], reference, layer: str):
    """Score one annotator's tags in one layer against the reference.

    Returns (choices, right, untagged, extra, mistakes) where mistakes lists (unit, label)
    choices outside the accepted set. Shared by ``agreement_with_reference`` and the class
    summary so that both count the same way.
    """
    entries = [e for e in reference.entries(layer) if e.applicable]
    done = any(tags.get(u, {}).get(layer) for u in tags)
    choices = right = untagged = extra = 0
    mistakes: list[tuple[str, str]] = []
    applicable = {e.unit for e in entries}
    for entry in entries:
        chosen = list(tags.get(entry.unit, {}).get(layer, ()))
        if not chosen:
            if layer in (MULTI_LAYER, OPTIONAL_LAYER) and done:
                chosen = [NONE]
            else:
                untagged += 1
                continue
        for label in chosen:
            choices += 1
            if label in entry.accepted:
                right += 1
            else:
                mistakes.append((entry.unit, label))
    if layer == "evidence":  # a type where the expert reads no evidence (not where it is silent)
        known = {e.unit for e in reference.entries(layer)}
        for unit, by_layer in tags.items():
            if unit in known and unit not in applicable and by_layer.get(layer):
                extra += 1
    return choices, right, untagged, extra, mistakes


def agreement_with_reference(sheet, reference, layer: str) -> ReferenceAgreement:
    """Share of a student's labels that the expert accepts, in one layer."""
    entries = [e for e in reference.entries(layer) if e.applicable]
    choices, right, untagged, extra, mistakes = reference_choices(sheet.tags, reference, layer)
    share = right / choices if choices else float("nan")
    if not choices:
        reading = f"Nothing tagged yet in the {layer} layer ({len(entries)} sentences to tag)."
    else:
        reading = (
            f"{right} of your {choices} {layer} labels ({share:.0%}) are among the "
            "labels the expert accepts."
        )
        if untagged:
            reading += f" {untagged} sentence(s) not tagged yet are not counted."
    if extra:
        reading += (
            f" You gave an evidence type to {extra} sentence(s) where the expert sees no evidence."
        )
    return ReferenceAgreement(
        layer, len(entries), choices, right, untagged, extra, share, reading, tuple(mistakes)
    )


def _fmt(value: float) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value:.2f}"


# -- the reference --------------------------------------------------------------------------


def get_reference(reference=None, article: str = "seed", path: Path | None = None):
    """The reference to compare with: the one given, else ``medialit.reference``'s."""
    if reference is not None:
        return reference
    from medialit.reference import load_reference

    return load_reference(article, path)


def units_of(reference) -> list[str]:
    """The reference's units, in reading order."""
    return list(dict.fromkeys(e.unit for e in reference.entries()))


def as_decision_table(
    sheets: Iterable[tuple[str, Mapping[str, Mapping[str, Sequence[str]]]]],
    layer: str,
    units: Sequence[str],
    device_labels: Sequence[str] = (),
) -> pd.DataFrame:
    """Annotators (rows) × decisions (columns) for one layer, from (name, tags) pairs."""
    items = layer_items(layer, units, device_labels)
    columns = [f"{u}:{lab}" for u, lab in items] if layer == MULTI_LAYER else items
    rows, names = [], []
    for name, tags in sheets:
        rows.append(decisions(tags, layer, units, device_labels))
        names.append(name)
    return pd.DataFrame(rows, index=names, columns=columns, dtype=object)
