"""A student's saved answers: one JSON file per student and exercise.

This module is the only code that reads or writes answer files. The format is documented
in ``data/README.md`` ("Saved answers"). In short (version 2)::

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

Guarantees:

- every write is atomic (a temporary file in the same folder, flushed, then renamed over
  the old one), so a crash mid-write leaves the previous file intact;
- a corrupt or foreign file is never overwritten or dropped: ``open_answers`` moves it aside
  with a timestamp and says so in one plain sentence (``AnswerFile.notice``);
- a label that is not in the scheme is refused with a message listing the valid ones;
- files from format version 1 load and are upgraded on the next save;
- in a notebook, every widget on one answers file saves through one shared ``AnswerFile``
  (``live_answers``), so the tagger and the choice widgets never overwrite each other.
"""

from __future__ import annotations

import contextlib
import copy
import getpass
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medialit.errors import AnswersError, AnswersSaveError
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


def read_answers(path: str | Path, scheme: Scheme | None = None) -> AnswerSheet:
    """Read an answers file without changing anything on disk (for graders and reports).

    Raises AnswersError naming the file if it is missing, corrupt or invalid.
    """
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise AnswersError(f"{path}: no answers file here yet.") from exc
    except (UnicodeDecodeError, OSError) as exc:
        raise AnswersError(f"{path}: cannot be read ({exc}).") from exc
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise AnswersError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg}).") from exc
    try:
        return AnswerSheet.from_dict(data, scheme=scheme)
    except AnswersError as exc:
        raise AnswersError(f"{path}: {exc}") from exc


def write_atomic(path: Path, text: str) -> None:
    """Write text so that readers only ever see the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable where we can
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def move_aside(path: Path) -> Path:
    """Rename a bad file to ``<name>.broken-<timestamp>.json`` beside it; return the new path."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.stem}.broken-{stamp}{path.suffix}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.stem}.broken-{stamp}-{n}{path.suffix}")
    os.replace(path, target)
    return target


class AnswerFile:
    """A student's answers for one exercise, bound to its file; every save is atomic.

    Opening never raises for a bad file: it is moved aside, ``notice`` says so in one
    sentence, and work starts from an empty sheet. A file from a newer medialit is left
    untouched and raises, because saving over it would lose work.
    """

    def __init__(
        self,
        exercise: str,
        *,
        folder: str | Path | None = None,
        path: str | Path | None = None,
        student: str | None = None,
        article: str = "seed",
        scheme: Scheme | None = None,
    ) -> None:
        check_name("exercise", exercise)
        self.exercise = exercise
        self.path = Path(path) if path is not None else answers_path(exercise, folder)
        self.notice: str | None = None
        self.moved_to: Path | None = None
        self.scheme = scheme
        self._article = article
        self._unsaved = False  # a save failed: memory holds answers the disk does not
        self._load()
        if student:
            self.sheet.student = student

    def _load(self) -> None:
        """(Re)read the sheet from disk; a bad file is moved aside (see the class docstring)."""
        exercise, scheme = self.exercise, self.scheme
        if self.path.exists():
            try:
                self.sheet = read_answers(self.path, scheme=scheme)
            except AnswersError as exc:
                if "newer medialit" in str(exc):
                    raise
                self.moved_to = move_aside(self.path)
                self.notice = (
                    f"Your saved answers could not be read ({_reason(exc)}), so the old file "
                    f"was kept safe as {self.moved_to} and a fresh file was started."
                )
                self.sheet = AnswerSheet(exercise=exercise, article=self._article, scheme=scheme)
            else:
                if self.sheet.exercise != exercise:
                    raise AnswersError(
                        f"{self.path} holds answers for exercise {self.sheet.exercise!r}, "
                        f"not {exercise!r}. Use another folder or file name."
                    )
        else:
            self.sheet = AnswerSheet(exercise=exercise, article=self._article, scheme=scheme)
        self._stamp = _disk_stamp(self.path)

    def changed_on_disk(self) -> bool:
        """Was the file written or removed by something else since this object last read or
        wrote it (another kernel, a script, the student deleting it)?"""
        return _disk_stamp(self.path) != self._stamp

    def reload(self) -> None:
        """Read the file again into this same object, so every widget holding it sees it."""
        student = self.sheet.student
        self._load()
        if not self.path.exists():
            self.sheet.student = student

    def save(self) -> Path:
        """Write the sheet atomically. If the disk refuses, the old file stays whole and
        AnswersSaveError (an AnswersError and an OSError) says what to do; the answers stay
        in memory and the next successful save writes them."""
        self.sheet.saved_at = datetime.now(UTC).isoformat(timespec="seconds")
        text = json.dumps(self.sheet.to_dict(), ensure_ascii=False, indent=2)
        try:
            write_atomic(self.path, text + "\n")
        except OSError as exc:
            self._unsaved = True
            raise AnswersSaveError(
                f"Your answer is kept in this notebook but could not be written to "
                f"{self.path} ({exc.strerror or exc}). Check that the folder is writable "
                "and has space; the next change will try again."
            ) from exc
        self._unsaved = False
        self._stamp = _disk_stamp(self.path)
        return self.path

    # Convenience: change and save in one call.
    def set_tags(self, unit: str, layer: str, labels) -> None:
        self.sheet.set_tags(unit, layer, labels)
        self.save()

    def set_cues(self, unit: str, label: str, words) -> None:
        self.sheet.set_cues(unit, label, words)
        self.save()

    def set_note(self, unit: str, text: str) -> None:
        self.sheet.set_note(unit, text)
        self.save()

    def set_response(self, key: str, text: str) -> None:
        self.sheet.set_response(key, text)
        self.save()

    def set_verdict(self, claim: str, verdict: str | None, reason: str = "") -> None:
        self.sheet.set_verdict(claim, verdict, reason)
        self.save()


def _reason(exc: AnswersError) -> str:
    """The cause of a read error in a few words: no path, first sentence only."""
    message = str(exc)
    _, _, tail = message.partition(": ")
    return (tail or message).split(". ")[0].rstrip(".")


def _disk_stamp(path: Path) -> tuple[int, int, int] | None:
    """What identifies one version of a file on disk (every atomic write makes a new inode)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def open_answers(exercise: str, **kwargs) -> AnswerFile:
    """Open (or start) a student's answers for an exercise. See ``AnswerFile``.

    Every call reads the file afresh into a new object. Widgets in a notebook use
    ``live_answers`` instead, so that they share one sheet.
    """
    return AnswerFile(exercise, **kwargs)


#: the one AnswerFile per answers path (resolved) that this kernel writes; see live_answers
_LIVE: dict[str, AnswerFile] = {}


def live_answers(
    exercise: str,
    *,
    folder: str | Path | None = None,
    path: str | Path | None = None,
    student: str | None = None,
    article: str | None = None,
    scheme: Scheme | None = None,
) -> AnswerFile:
    """The one AnswerFile this kernel writes for an answers file (same path, same object).

    The tagger, the graded choice widgets and the lesson widgets all save through it, so a
    save by one never drops what another saved: each writes the whole shared sheet. If the
    file was changed or removed outside this kernel since it was last read or written, it is
    read again into the same object first (unless a failed save left answers only in memory:
    those are kept and written by the next save). ``article`` applies to a new sheet only.
    """
    target = Path(path) if path is not None else answers_path(exercise, folder)
    check_name("exercise", exercise)
    key = str(target.resolve())
    live = _LIVE.get(key)
    if live is None:
        live = AnswerFile(
            exercise, path=target, student=student, article=article or "seed", scheme=scheme
        )
        _LIVE[key] = live
        return live
    if live.exercise != exercise:
        raise AnswersError(
            f"{target} holds answers for exercise {live.exercise!r}, not {exercise!r}. "
            "Use another folder or file name."
        )
    if scheme is not None and scheme is not live.scheme:
        live.scheme = live.sheet.scheme = scheme
    if live.changed_on_disk() and not live._unsaved:
        live.reload()
    if student:
        live.sheet.student = student
    return live
