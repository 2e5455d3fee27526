"""A class's answers in one call: load every answers file in a folder and summarise them.

``load_class(folder)`` reads every ``*.json`` file below the folder through
``medialit.answers.read_answers`` (nothing on disk changes), skips and lists the files it
cannot read, and returns a ``ClassAnswers``: one long table with a row per chosen label, plus
the agreement figures (see ``medialit.agreement``) and what the class disputed most.

Each answers file is one annotator. A folder may be laid out any way (``<student>.json``,
``<student>/<exercise>.json``, nbgrader's ``submitted/<student>/<assignment>/...``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from medialit import agreement as ag
from medialit.answers import read_answers
from medialit.errors import AnswersError, MedialitError
from medialit.scheme import Scheme, default_scheme

COLUMNS = ["student", "exercise", "file", "unit", "layer", "label"]


@dataclass
class ClassAnswers:
    """Every readable answers file of a class folder.

    ``frame``: student, exercise, file, unit, layer, label — one row per chosen label.
    ``tags``: file -> ``{unit: {layer: [labels]}}`` (the raw tags, for agreement figures).
    ``students``: file, student, exercise, labels (how many labels each file holds).
    ``skipped``: (path, reason) for each file that could not be read.
    """

    folder: Path
    frame: pd.DataFrame
    tags: dict[str, dict[str, dict[str, list[str]]]]
    students: pd.DataFrame
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    exercise: str | None = None
    article: str = "seed"
    scheme: Scheme | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.tags)

    @property
    def exercises(self) -> list[str]:
        return sorted(set(self.students["exercise"])) if len(self.students) else []

    def _scheme(self) -> Scheme:
        return self.scheme or default_scheme()

    def units(self, reference=None) -> list[str]:
        """Units in reading order: the reference's, else the article's."""
        if reference is not None:
            return ag.units_of(reference)
        from medialit.article import load_article

        return load_article(self.article).ids

    def decision_table(self, layer: str, reference=None) -> pd.DataFrame:
        """Annotators (rows) × decisions (columns) for one layer; None = missing."""
        scheme = self._scheme()
        scheme.layer(layer)
        device_labels = scheme.layer(ag.MULTI_LAYER).label_names
        return ag.as_decision_table(self.tags.items(), layer, self.units(reference), device_labels)

    def summary(self, reference=None, layers: list[str] | None = None) -> pd.DataFrame:
        """One row per layer: the class's agreement and its agreement with the reference.

        Columns: layer, students (files with decisions in the layer), decisions (items that
        two or more students decided), percent (average share of agreeing pairs), alpha
        (Krippendorff's α, nominal), alpha_reading, ref_choices, ref_right, ref_share
        (pooled over the class), ref_untagged, method, reading.
        """
        layers = layers or self._scheme().layer_names
        rows = []
        for layer in layers:
            table = self.decision_table(layer, reference)
            present = table.notna()
            students = int(present.any(axis=1).sum())
            decided = int((present.sum(axis=0) >= 2).sum())
            percent = ag.mean_pair_agreement(table) if len(table) else float("nan")
            alpha = ag.krippendorff_alpha(table) if len(table) >= 2 else float("nan")
            row = {
                "layer": layer,
                "students": students,
                "decisions": decided,
                "percent": percent,
                "alpha": alpha,
                "alpha_reading": ag.interpret(alpha),
                "ref_choices": 0,
                "ref_right": 0,
                "ref_share": float("nan"),
                "ref_untagged": 0,
                "method": ag.METHOD.get(layer, ""),
            }
            if reference is not None:
                for tags in self.tags.values():
                    choices, right, untagged, _, _ = ag.reference_choices(tags, reference, layer)
                    row["ref_choices"] += choices
                    row["ref_right"] += right
                    row["ref_untagged"] += untagged
                if row["ref_choices"]:
                    row["ref_share"] = row["ref_right"] / row["ref_choices"]
            row["reading"] = _layer_reading(row, reference is not None)
            rows.append(row)
        return pd.DataFrame(rows)

    def by_student(self, reference, layers: list[str] | None = None) -> pd.DataFrame:
        """Per file and layer: choices, right, share, untagged against the reference."""
        layers = layers or self._scheme().layer_names
        meta = self.students.set_index("file")
        rows = []
        for file, tags in self.tags.items():
            for layer in layers:
                choices, right, untagged, extra, _ = ag.reference_choices(tags, reference, layer)
                rows.append(
                    {
                        "file": file,
                        "student": meta.at[file, "student"],
                        "layer": layer,
                        "choices": choices,
                        "right": right,
                        "share": right / choices if choices else float("nan"),
                        "untagged": untagged,
                        "extra": extra,
                    }
                )
        return pd.DataFrame(
            rows,
            columns=["file", "student", "layer", "choices", "right", "share", "untagged", "extra"],
        )

    def disputed(self, layer: str = "role", top: int = 5, reference=None) -> pd.DataFrame:
        """The decisions the class split on most, with the spread of labels.

        Columns: unit (or ``unit:label`` for devices), answers, top_label, top_share,
        disagreement (share of pairs of students who disagree), spread ({label: count}).
        """
        table = self.decision_table(layer, reference)
        rows = []
        for position, item in enumerate(table.columns):
            values = table[item].dropna()
            n = len(values)
            if n < 2:
                continue
            counts = values.astype(str).value_counts()
            if layer == ag.MULTI_LAYER:
                counts = counts.rename({"True": "yes", "False": "no"})
            pairs_agree = float((counts * (counts - 1)).sum() / (n * (n - 1)))
            rows.append(
                {
                    "unit": item,
                    "order": position,
                    "answers": n,
                    "top_label": str(counts.index[0]),
                    "top_share": float(counts.iloc[0] / n),
                    "disagreement": 1.0 - pairs_agree,
                    "spread": {str(k): int(v) for k, v in counts.items()},
                }
            )
        frame = pd.DataFrame(
            rows,
            columns=[
                "unit",
                "order",
                "answers",
                "top_label",
                "top_share",
                "disagreement",
                "spread",
            ],
        )
        frame = frame.sort_values(["disagreement", "order"], ascending=[False, True])
        return frame.drop(columns="order").head(top).reset_index(drop=True)

    def label_counts(self, layers: list[str] | None = None) -> pd.DataFrame:
        """How often each label was chosen: layer, label, count (every scheme label listed)."""
        scheme = self._scheme()
        layers = layers or scheme.layer_names
        counts = self.frame.groupby(["layer", "label"]).size()
        rows = [
            {"layer": layer, "label": label, "count": int(counts.get((layer, label), 0))}
            for layer in layers
            for label in scheme.layer(layer).label_names
        ]
        return pd.DataFrame(rows, columns=["layer", "label", "count"])

    @property
    def reading(self) -> str:
        """One sentence on what was loaded."""
        text = f"Read {len(self)} answers file(s) from {self.folder}"
        if self.exercise:
            text += f" for exercise {self.exercise}"
        text += "."
        if self.skipped:
            text += (
                f" {len(self.skipped)} file(s) could not be read and were skipped "
                "(listed in .skipped)."
            )
        if len(self.exercises) > 1:
            text += (
                f" The folder mixes several exercises ({', '.join(self.exercises)}); "
                "choose one with exercise=... to compare like with like."
            )
        return text


def _pct(value: float) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value:.0%}"


def _layer_reading(row: dict, with_reference: bool) -> str:
    if not row["decisions"]:
        text = f"Too few students tagged the {row['layer']} layer to compare them."
    else:
        text = (
            f"On average {_pct(row['percent'])} of pairs of students chose the same "
            f"label; Krippendorff's α = {ag._fmt(row['alpha'])}, {row['alpha_reading']}."
        )
        extra = ag.anchor_sentence(row["alpha"])
        if extra:
            text += " " + extra
    if with_reference and row["ref_choices"]:
        text += (
            f" {_pct(row['ref_share'])} of the class's labels are among those the expert accepts"
        )
        text += (
            f" ({row['ref_untagged']} untagged sentence(s) not counted)."
            if row["ref_untagged"]
            else "."
        )
    return text


def load_class(
    folder: str | Path,
    exercise: str | None = None,
    scheme: Scheme | None = None,
) -> ClassAnswers:
    """Read every answers file under ``folder``; skip and list unreadable ones.

    With ``exercise``, only files for that exercise are kept (others are not listed as
    skipped: they are simply another exercise).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise MedialitError(
            f"The class folder {folder} does not exist. Give the folder that "
            "holds the students' answers files (*.json)."
        )
    rows: list[tuple[str, str, str, str, str, str]] = []
    tags: dict[str, dict[str, dict[str, list[str]]]] = {}
    meta: list[tuple[str, str, str, int]] = []
    skipped: list[tuple[Path, str]] = []
    articles: set[str] = set()
    for path in sorted(folder.rglob("*.json")):
        if not path.is_file():
            continue
        try:
            sheet = read_answers(path, scheme=scheme)
        except AnswersError as exc:
            skipped.append((path, _reason(exc, path)))
            continue
        if exercise is not None and sheet.exercise != exercise:
            continue
        key = path.relative_to(folder).as_posix()
        tags[key] = sheet.tags
        articles.add(sheet.article)
        count = 0
        for unit, by_layer in sheet.tags.items():
            for layer, labels in by_layer.items():
                for label in labels:
                    rows.append((sheet.student, sheet.exercise, key, unit, layer, label))
                    count += 1
        meta.append((key, sheet.student, sheet.exercise, count))
    frame = pd.DataFrame(rows, columns=COLUMNS)
    students = pd.DataFrame(meta, columns=["file", "student", "exercise", "labels"])
    article = articles.pop() if len(articles) == 1 else "seed"
    return ClassAnswers(folder, frame, tags, students, skipped, exercise, article, scheme)


def _reason(exc: AnswersError, path: Path) -> str:
    message = str(exc)
    prefix = f"{path}: "
    return message[len(prefix) :] if message.startswith(prefix) else message
