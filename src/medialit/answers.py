"""A student's live answers file: saved at every click, shared safely, never lost.

This is the only code that writes a student's ``answers/<exercise>.json``. The answers
themselves and their JSON format are ``medialit.answer_sheet`` (re-exported here, so
``from medialit.answers import AnswerSheet, read_answers, ...`` keeps working); this module
adds what a file that several widgets, kernels and accidents touch needs:

- every write is atomic (a temporary file in the same folder, flushed, then renamed over the
  old one), so a crash mid-write leaves the previous file whole;
- every save is a merge. Two notebooks (two kernels) can have one answers file open; each
  kernel remembers the file as it last read or wrote it and, at each save, re-reads the file
  under an exclusive lock (``fcntl.flock`` on ``answers/.<exercise>.json.lock``), applies only
  the answers it changed since (``medialit.answer_merge``), and writes the result. Nothing the
  other kernel saved disappears; where both changed the same answer the later save wins and
  ``notice`` says so in a sentence. The sheet in memory takes in the other kernel's answers,
  and ``on_change`` listeners (a widget that must redraw) are told;
- a damaged file (cut off, an unknown label, an entry of the wrong shape) is never dropped
  and never overwritten with a blank: every answer that can still be read is kept
  (``medialit.answer_recovery``), merged with the answers this kernel holds in memory, and
  written back; the original is kept, byte for byte, as ``<exercise>.broken-<time>.json``, and
  ``notice`` says in one sentence what was recovered and how to go back to the original;
- a label that is not in the scheme is refused with a message listing the valid ones;
- files from format version 1 load and are upgraded on the next save; a file from a newer
  medialit is left alone (saving over it would lose work);
- in a notebook, every widget on one answers file saves through one shared ``AnswerFile``
  (``live_answers``), so the tagger and the choice widgets share one sheet.

Graders never use this module's recovery: a handed-in file is read strictly
(``read_answers``, ``medialit.scoring``), since salvaging is a kindness to the student who
owns the file, not something to apply to hostile data.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from medialit.answer_merge import Flat, Merge, changes, fill, flatten, merge
from medialit.answer_recovery import Salvage, keep_aside, notice, salvage
from medialit.answer_sheet import (
    DEFAULT_FOLDER,
    FORMAT,
    VERDICTS,
    VERSION,
    AnswerSheet,
    answers_path,
    check_name,
    current_student,
    looks_like_answers,
    parse_answers,
    read_answers,
    upgrade,
)
from medialit.errors import AnswersError, AnswersSaveError
from medialit.scheme import Scheme

try:
    import fcntl
except ImportError:  # Windows: lock a byte of the lock file instead
    fcntl = None  # type: ignore[assignment]
    import msvcrt

__all__ = [
    "DEFAULT_FOLDER",
    "FORMAT",
    "VERDICTS",
    "VERSION",
    "AnswerFile",
    "AnswerSheet",
    "answers_path",
    "check_name",
    "current_student",
    "live_answers",
    "looks_like_answers",
    "open_answers",
    "parse_answers",
    "read_answers",
    "upgrade",
    "write_atomic",
]

#: How long a save waits for another notebook's save on the same file (each takes ms).
LOCK_WAIT_S = 10.0
#: ``AnswerFile._stamp`` before the file was ever read: never equal to a real stamp
_UNREAD = ("unread",)


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


def lock_path(path: Path) -> Path:
    """The lock file beside an answers file: ``answers/.<exercise>.json.lock``."""
    return path.with_name(f".{path.name}.lock")


@contextlib.contextmanager
def _locked(path: Path, *, required: bool = True) -> Iterator[None]:
    """Hold the answers file's lock for the block (one save at a time, across processes).

    The lock is released by the kernel when the file is closed or the process dies, so a
    crashed kernel never leaves it held. Without ``required`` (a read), a folder where no lock
    file can be made (read-only) is read without one."""
    target = lock_path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(target, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    except OSError as exc:
        if required:
            raise AnswersSaveError(
                f"Your answer is kept in this notebook but could not be written to {path} "
                f"({exc.strerror or exc}). Check that the folder is writable and has space; "
                "the next change will try again."
            ) from exc
        yield
        return
    try:
        deadline = time.monotonic() + LOCK_WAIT_S
        pause = 0.002
        while not _try_lock(fd):
            if time.monotonic() > deadline:
                raise AnswersSaveError(
                    f"Your answer is kept in this notebook but could not be written: another "
                    f"notebook has been saving to {path} for {LOCK_WAIT_S:.0f} s. The next "
                    "change will try again."
                )
            time.sleep(pause)
            pause = min(pause * 2, 0.05)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _try_lock(fd: int) -> bool:
    """Take the lock if it is free; False if another process holds it."""
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True
    try:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError:
        return False
    return True


@dataclass
class _OnDisk:
    """One version of the file as read: its bytes, and its sheet if it is whole and valid."""

    stamp: tuple | None
    raw: bytes | None  # None: there is no file
    sheet: AnswerSheet | None = None
    problem: str = ""  # why the strict reader refused it

    def good_for(self, exercise: str) -> bool:
        return self.sheet is not None and self.sheet.exercise == exercise


def _read(path: Path, scheme: Scheme | None) -> _OnDisk:
    """The file's bytes and stamp (from the same open file) and its sheet if valid.

    Raises AnswersError for a file from a newer medialit or one that cannot be opened."""
    try:
        with path.open("rb") as fh:
            st = os.fstat(fh.fileno())
            raw = fh.read()
    except FileNotFoundError:
        return _OnDisk(None, None)
    except OSError as exc:
        raise AnswersError(
            f"{path} cannot be opened ({exc.strerror or exc}); check its permissions."
        ) from exc
    stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
    try:
        return _OnDisk(stamp, raw, parse_answers(raw, scheme=scheme))
    except AnswersError as exc:
        if "newer medialit" in str(exc):
            raise AnswersError(f"{path}: {exc}") from exc
        return _OnDisk(stamp, raw, problem=str(exc).split(". ")[0].rstrip("."))


class AnswerFile:
    """A student's answers for one exercise, bound to its file; every save merges and is
    atomic (see the module docstring).

    Opening never raises for a damaged file: what can be read is recovered and written back,
    the original is kept aside, and ``notice`` says so in one sentence. A file from a newer
    medialit, or one holding another exercise's answers, is left untouched and raises.
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
        self.scheme = scheme
        #: the sentence about the last recovery of a damaged file, if there was one
        self.recovery: str | None = None
        #: where the damaged original was kept (the latest one)
        self.moved_to: Path | None = None
        #: what the latest save or refresh merged (conflicts, answers taken in)
        self.last_merge: Merge | None = None
        self._article = article
        self._unsaved = False  # a save failed: memory holds answers the disk does not
        self._listeners: list[Callable[[], Callable[[Merge], None] | None]] = []
        self._load()
        if student:
            self.sheet.student = student

    # -- what the student is told ---------------------------------------------------------
    @property
    def notice(self) -> str | None:
        """What the student should read: a recovery, and conflicts of the latest save."""
        merged = self.last_merge.message if self.last_merge is not None else None
        text = " ".join(part for part in (self.recovery, merged) if part)
        return text or None

    def on_change(self, callback: Callable[[Merge], None]) -> None:
        """Call ``callback(merge)`` after a save or refresh that took in answers changed
        elsewhere (another notebook) or recovered a damaged file, so a view can redraw.

        A bound method is held weakly: a widget that was replaced is not kept alive."""
        if hasattr(callback, "__self__") and hasattr(callback, "__func__"):
            self._listeners.append(weakref.WeakMethod(callback))
        else:
            self._listeners.append(lambda: callback)

    # -- reading --------------------------------------------------------------------------
    def _blank(self) -> AnswerSheet:
        return AnswerSheet(exercise=self.exercise, article=self._article, scheme=self.scheme)

    def _load(self) -> None:
        self.sheet = self._blank()
        self._base: Flat = flatten(self.sheet)
        self._stamp: tuple | None = _UNREAD
        disk = _read(self.path, self.scheme)
        if disk.sheet is not None and disk.sheet.exercise != self.exercise:
            raise AnswersError(
                f"{self.path} holds answers for exercise {disk.sheet.exercise!r}, "
                f"not {self.exercise!r}. Use another folder or file name."
            )
        if disk.raw is None:
            self._stamp = None
        elif disk.sheet is not None:
            self.sheet = disk.sheet
            self._base, self._stamp = flatten(disk.sheet), disk.stamp
        else:
            self._sync(write=True)  # damaged: recover it under the lock

    def changed_on_disk(self) -> bool:
        """Was the file written or removed by something else since this object last read or
        wrote it (another kernel, a script, the student deleting it)?"""
        return _disk_stamp(self.path) != self._stamp

    def refresh(self) -> Merge | None:
        """Take in what changed on disk since this object last read or wrote it, into this
        same sheet (so every widget holding it sees it). Answers changed here and not yet
        saved (a save failed) are kept. A damaged file is recovered and written back."""
        if not self.changed_on_disk():
            return None
        self._sync(write=False)
        return self.last_merge

    def reload(self) -> None:
        """Read the file again into this object (the same as ``refresh``: nothing this
        kernel changed is dropped)."""
        self.refresh()

    # -- writing --------------------------------------------------------------------------
    def save(self) -> Path:
        """Merge this kernel's changes into the file and write it atomically.

        If the disk refuses, the old file stays whole and AnswersSaveError (an AnswersError
        and an OSError) says what to do; the answers stay in memory and the next successful
        save writes them."""
        self._sync(write=True)
        return self.path

    def _sync(self, *, write: bool) -> None:
        """Bring memory and disk together under the lock: merge, recover, write if asked."""
        mine = flatten(self.sheet)
        found: Salvage | None = None
        lock = _locked(self.path, required=write) if write or self.path.exists() else None
        with lock or contextlib.nullcontext():
            stamp = _disk_stamp(self.path)
            if stamp == self._stamp:  # nobody else wrote: the disk is our base
                if not write:
                    return
                result, disk_flat = Merge(flat=mine, mine=changes(self._base, mine)), self._base
            else:
                disk = _read(self.path, self.scheme)
                stamp = disk.stamp
                if disk.raw is None:
                    disk_flat, whole = {}, True
                elif disk.good_for(self.exercise):
                    disk_flat, whole = flatten(disk.sheet), True
                else:
                    found = salvage(
                        disk.raw,
                        exercise=self.exercise,
                        article=self.sheet.article,
                        scheme=self.scheme,
                        problem=disk.problem,
                    )
                    disk_flat, whole = found.flat, False
                result = merge(self._base, mine, disk_flat, disk_complete=whole)
            if write or found is not None:
                stamp, aside = self._write(result.flat, damaged=found is not None)
                disk_flat = result.flat
        if found is not None:
            self.moved_to = aside
            memory = None if self._stamp is _UNREAD else mine  # None: just opened, nothing held
            self.recovery = notice(self.path, found, aside, memory)
        if result.flat != mine:
            fill(self.sheet, result.flat)
        self._base, self._stamp, self.last_merge = disk_flat, stamp, result
        if result.theirs or found is not None:
            self._tell(result)

    def _write(self, flat: Flat, *, damaged: bool) -> tuple[tuple | None, Path | None]:
        """Write these answers (keeping a damaged original aside first); return the new
        stamp and where the original went. Called with the lock held."""
        sheet = self._blank()
        fill(sheet, flat)
        sheet.saved_at = datetime.now(UTC).isoformat(timespec="seconds")
        text = json.dumps(sheet.to_dict(), ensure_ascii=False, indent=2)
        aside = None
        try:
            if damaged:
                aside = keep_aside(self.path)
            write_atomic(self.path, text + "\n")
        except OSError as exc:
            if aside is not None:
                with contextlib.suppress(OSError):
                    aside.unlink()
            self._unsaved = True
            raise AnswersSaveError(
                f"Your answer is kept in this notebook but could not be written to "
                f"{self.path} ({exc.strerror or exc}). Check that the folder is writable "
                "and has space; the next change will try again."
            ) from exc
        self._unsaved = False
        self.sheet.saved_at = sheet.saved_at
        return _disk_stamp(self.path), aside

    def _tell(self, result: Merge) -> None:
        alive = []
        for ref in self._listeners:
            callback = ref()
            if callback is not None:
                alive.append(ref)
                callback(result)
        self._listeners = alive

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

    The tagger, the graded choice widgets and the lesson widgets all save through it, so they
    share one sheet. If the file was changed outside this kernel since it was last read or
    written (another notebook, a script), what changed is taken into the same object first
    (``AnswerFile.refresh``), keeping anything this kernel has not saved yet. ``article``
    applies to a new sheet only.
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
    live.refresh()
    if student:
        live.sheet.student = student
    return live
