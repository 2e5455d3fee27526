"""The answers format: one student's answers for one exercise, in memory and as JSON.

``AnswerSheet`` holds the answers and checks every one as it is set (a label must be in the
scheme, a verdict one of ``VERDICTS``); ``to_dict``/``from_dict`` turn it into the file's
JSON and back, upgrading files from older format versions. The format is documented in
``data/README.md`` ("Saved answers"). In short (version 2)::

    {
      "format": "medialit-answers", "version": 2,
      "student": "ada", "exercise": "01_anatomy", "article": "seed",
      "saved_at": "2026-11-25T10:00:00+00:00",
      "tags":  {"P1.S1": {"role": ["evidence"], "devices": ["intensifier"]}},
      "cues":  {"P1.S1": {"intensifier": ["clearly"]}},
      "notes": {"P1.S1": "the tweet is quoted word for word"},
      "responses": {"genre": "opinion"},
      "verdicts": {"C1": {"verdict": "supported", "reason": "USA Today, 31 Jan 2019"}}
    }

This module is strict on purpose and never touches the disk except to read: ``read_answers``
and ``parse_answers`` either return a whole valid sheet or raise ``AnswersError`` naming what
is wrong. Graders, reports and the Check button rely on that (a handed-in file is hostile
data and must not be half-read). Writing a student's live file, merging two notebooks'
saves and salvaging a damaged file are elsewhere (``medialit.answers``,
``medialit.answer_merge``, ``medialit.answer_recovery``), so this reader stays as simple as
the format itself.
"""

from __future__ import annotations

import copy
import getpass
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medialit.errors import AnswersError
from medialit.scheme import Scheme, default_scheme

if TYPE_CHECKING:
    import pandas as pd

FORMAT = "medialit-answers"
VERSION = 2
VERDICTS = ("supported", "partly_supported", "not_supported", "cant_tell")
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
DEFAULT_FOLDER = "answers"


def current_student() -> str:
    """Who is working: $MEDIALIT_STUDENT, else the JupyterHub user, else the login name."""
    for var in ("MEDIALIT_STUDENT", "JUPYTERHUB_USER", "NB_USER"):
        if os.environ.get(var):
            return os.environ[var]
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "student"


def check_name(kind: str, value: str) -> str:
    if not isinstance(value, str) or not _SAFE_NAME.match(value):
        raise AnswersError(
            f"The {kind} name {value!r} cannot be used in a file name. "
            "Use letters, digits, '-', '_' or '.', starting with a letter or digit."
        )
    return value


def answers_path(exercise: str, folder: str | Path | None = None) -> Path:
    """Where an exercise's answers live: ``<folder>/<exercise>.json`` (folder: ./answers)."""
    check_name("exercise", exercise)
    return Path(folder if folder is not None else DEFAULT_FOLDER) / f"{exercise}.json"


@dataclass
class AnswerSheet:
    """A student's answers for one exercise, in memory."""

    exercise: str
    student: str = field(default_factory=current_student)
    article: str = "seed"
    tags: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    cues: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    responses: dict[str, str] = field(default_factory=dict)
    verdicts: dict[str, dict[str, str]] = field(default_factory=dict)
    saved_at: str | None = None
    scheme: Scheme | None = field(default=None, repr=False, compare=False)

    def _scheme(self) -> Scheme:
        return self.scheme or default_scheme()

    # -- tags -------------------------------------------------------------------------
    def get_tags(self, unit: str, layer: str) -> list[str]:
        return list(self.tags.get(unit, {}).get(layer, []))

    def set_tags(self, unit: str, layer: str, labels: list[str] | tuple[str, ...] | str | None):
        """Set a unit's labels in one layer (an empty list clears them)."""
        if labels is None:
            labels = []
        if isinstance(labels, str):
            labels = [labels]
        labels = list(dict.fromkeys(labels))
        scheme = self._scheme()
        layer_def = scheme.layer(layer)
        scheme.check_labels(layer, labels)
        if len(labels) > 1 and not layer_def.multiple:
            raise AnswersError(
                f"The {layer!r} layer takes one label per sentence; got {', '.join(labels)}."
            )
        if labels:
            self.tags.setdefault(unit, {})[layer] = labels
        else:
            self.tags.get(unit, {}).pop(layer, None)
            if unit in self.tags and not self.tags[unit]:
                del self.tags[unit]
            # cues belong to device labels; drop those whose label went away
        self._prune_cues(unit)

    def get_cues(self, unit: str, label: str) -> list[str]:
        return list(self.cues.get(unit, {}).get(label, []))

    def set_cues(self, unit: str, label: str, words: list[str] | str) -> None:
        """Cue words that carry a device label, e.g. ``["clearly"]``."""
        if isinstance(words, str):
            words = [w.strip() for w in words.split(";")]
        words = [w.strip() for w in words if w and w.strip()]
        if words:
            self.cues.setdefault(unit, {})[label] = list(dict.fromkeys(words))
        else:
            self.cues.get(unit, {}).pop(label, None)
            if unit in self.cues and not self.cues[unit]:
                del self.cues[unit]

    def _prune_cues(self, unit: str) -> None:
        chosen = {lab for labels in self.tags.get(unit, {}).values() for lab in labels}
        for label in list(self.cues.get(unit, {})):
            if label not in chosen:
                del self.cues[unit][label]
        if unit in self.cues and not self.cues[unit]:
            del self.cues[unit]

    def set_note(self, unit: str, text: str) -> None:
        if text and text.strip():
            self.notes[unit] = text
        else:
            self.notes.pop(unit, None)

    def set_response(self, key: str, text: str) -> None:
        if text is None or (isinstance(text, str) and not text.strip()):
            self.responses.pop(key, None)
        else:
            self.responses[key] = str(text)

    def set_verdict(self, claim: str, verdict: str | None, reason: str = "") -> None:
        if verdict is None:
            self.verdicts.pop(claim, None)
            return
        if verdict not in VERDICTS:
            raise AnswersError(
                f"{verdict!r} is not a verdict. Valid verdicts: {', '.join(VERDICTS)}."
            )
        self.verdicts[claim] = {"verdict": verdict, "reason": reason or ""}

    def tagged_units(self, layers: list[str] | None = None) -> list[str]:
        """Units with at least one label in any of these layers (all layers if None)."""
        return [
            unit
            for unit, by_layer in self.tags.items()
            if any(by_layer.get(layer) for layer in (layers or by_layer))
        ]

    # -- serialisation ----------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "student": self.student,
            "exercise": self.exercise,
            "article": self.article,
            "saved_at": self.saved_at,
            "tags": copy.deepcopy(self.tags),
            "cues": copy.deepcopy(self.cues),
            "notes": dict(self.notes),
            "responses": dict(self.responses),
            "verdicts": copy.deepcopy(self.verdicts),
        }

    @classmethod
    def from_dict(cls, data: Any, scheme: Scheme | None = None) -> AnswerSheet:
        """Build a sheet from parsed JSON, upgrading old versions; AnswersError if invalid."""
        data = upgrade(data)
        sheet = cls(
            exercise=_str(data, "exercise"),
            student=_str(data, "student"),
            article=_str(data, "article", "seed"),
            saved_at=data.get("saved_at"),
            scheme=scheme,
        )
        for unit, by_layer in _mapping(data, "tags").items():
            if not isinstance(by_layer, dict):
                raise AnswersError(f"tags for {unit} must be an object of layer: [labels].")
            for layer, labels in by_layer.items():
                if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
                    raise AnswersError(f"tags for {unit}, layer {layer} must be a list of labels.")
                sheet.set_tags(unit, layer, labels)
        for unit, by_label in _mapping(data, "cues").items():
            if not isinstance(by_label, dict):
                raise AnswersError(f"cues for {unit} must be an object of label: [words].")
            for label, words in by_label.items():
                if not isinstance(words, list):
                    raise AnswersError(f"cues for {unit}, {label} must be a list of words.")
                sheet.set_cues(unit, label, [str(w) for w in words])
            sheet._prune_cues(unit)
        sheet.notes = {str(k): str(v) for k, v in _mapping(data, "notes").items()}
        sheet.responses = {str(k): str(v) for k, v in _mapping(data, "responses").items()}
        for claim, entry in _mapping(data, "verdicts").items():
            if not isinstance(entry, dict):
                raise AnswersError(f"verdict for {claim} must be an object.")
            sheet.set_verdict(str(claim), entry.get("verdict"), str(entry.get("reason", "")))
        return sheet

    def to_frame(self, article=None, layers: list[str] | None = None) -> pd.DataFrame:
        """One row per unit and layer: student, exercise, unit, layer, labels, cues, note.

        With an ``article``, every unit appears (untagged ones with no labels); otherwise
        only tagged units do. ``labels`` and ``cues`` are tuples.
        """
        import pandas as pd  # only here: the notebooks' answer widgets must import fast

        layer_names = layers or self._scheme().layer_names
        units = article.ids if article is not None else list(self.tags)
        rows = []
        for unit in units:
            for layer in layer_names:
                labels = self.get_tags(unit, layer)
                if article is None and not labels:
                    continue
                cue_words = [w for lab in labels for w in self.get_cues(unit, lab)]
                rows.append(
                    {
                        "student": self.student,
                        "exercise": self.exercise,
                        "unit": unit,
                        "layer": layer,
                        "labels": tuple(labels),
                        "cues": tuple(cue_words),
                        "note": self.notes.get(unit, ""),
                    }
                )
        columns = ["student", "exercise", "unit", "layer", "labels", "cues", "note"]
        return pd.DataFrame(rows, columns=columns)


def _str(data: dict, key: str, default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or not value:
        raise AnswersError(f"the field {key!r} is missing or not text.")
    return value


def _mapping(data: dict, key: str) -> dict:
    value = data.get(key, {})
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise AnswersError(f"the field {key!r} must be a JSON object.")
    return value


def upgrade(data: Any) -> dict:
    """Bring a parsed answers file up to the current version (or raise AnswersError).

    Version 1 (the kit's pre-release format) kept each single-choice layer as a string,
    and device labels as a list of {"label", "cues"} objects inside the tags.
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise AnswersError('it is not a medialit answers file (no "format": "medialit-answers").')
    version = data.get("version")
    if version == VERSION:
        return data
    if version == 1:
        data = copy.deepcopy(data)
        tags, cues = {}, {}
        for unit, by_layer in _mapping(data, "tags").items():
            if not isinstance(by_layer, dict):
                raise AnswersError(f"tags for {unit} must be an object.")
            for layer, value in by_layer.items():
                if isinstance(value, str):
                    tags.setdefault(unit, {})[layer] = [value]
                elif isinstance(value, list):
                    labels = []
                    for item in value:
                        if isinstance(item, dict):
                            labels.append(item.get("label"))
                            if item.get("cues"):
                                cues.setdefault(unit, {})[item.get("label")] = item["cues"]
                        else:
                            labels.append(item)
                    tags.setdefault(unit, {})[layer] = labels
        data.update(version=VERSION, tags=tags, cues=cues)
        data.setdefault("responses", {})
        data.setdefault("verdicts", {})
        return data
    if isinstance(version, int) and version > VERSION:
        raise AnswersError(
            f"it was written by a newer medialit (format version {version}; this one reads "
            f"up to {VERSION}). Upgrade medialit with 'pip install -U medialit'."
        )
    raise AnswersError(f"its format version {version!r} is not one medialit knows.")


def looks_like_answers(raw: bytes) -> bool:
    """Do these bytes carry the answers format's marker? A cheap test to find a student's
    answers file among other files, before (and without) parsing it."""
    return f'"{FORMAT}"'.encode() in raw


def parse_answers(raw: bytes, scheme: Scheme | None = None) -> AnswerSheet:
    """A whole valid sheet from an answers file's bytes, or AnswersError saying what is wrong
    (not UTF-8 text, not JSON, not an answers file, an invalid entry). Changes nothing."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise AnswersError(f"cannot be read ({exc}).") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AnswersError(f"not valid JSON (line {exc.lineno}: {exc.msg}).") from exc
    return AnswerSheet.from_dict(data, scheme=scheme)


def read_answers(path: str | Path, scheme: Scheme | None = None) -> AnswerSheet:
    """Read an answers file without changing anything on disk (for graders and reports).

    Raises AnswersError naming the file if it is missing, corrupt or invalid.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise AnswersError(f"{path}: no answers file here yet.") from exc
    except OSError as exc:
        raise AnswersError(f"{path}: cannot be read ({exc}).") from exc
    try:
        return parse_answers(raw, scheme=scheme)
    except AnswersError as exc:
        raise AnswersError(f"{path}: {exc}") from exc
