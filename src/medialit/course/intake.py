"""Reading a handed-in submission as hostile data, before anything else touches it.

A submission is ``submitted/<student>/<assignment>/``: the notebook(s), ``answers/`` with the
saved answers, perhaps ``timestamp.txt``. Everything in it is treated as an attack until
shown otherwise, because it is whatever a student's kernel (or editor) left there:

- only regular files and folders are read. A symbolic link (to another student's answers,
  to ``/etc/passwd``), a file with more than one hard link (a hard link to a file outside
  the submission), a device, a FIFO or a socket is refused with a problem line and never
  opened, followed or copied. Files are opened with ``O_NOFOLLOW`` and checked again with
  ``fstat`` on the open descriptor, so a link swapped in after the check is refused too;
- sizes are capped (each file, the whole folder, the number of entries, the folder depth),
  and an answers file has its own small cap;
- the bytes are read into memory once, here. Later steps parse them; no step reads the
  student's folder again, and nothing is ever copied from it to the course folder.

Only what grading needs is read: top-level notebooks, top-level ``*.json`` and the answers
folder's ``*.json`` files, ``timestamp.txt`` and ``submission_secret.txt`` (nbgrader's
exchange names returned feedback with it). Other files are left where they are.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from medialit.scoring import MAX_ANSWERS_BYTES  # the self-check reads with the same cap

#: Caps on what one submission may hold (a real one is well under 1 MB in a few files).
MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024
MAX_TIMESTAMP_BYTES = 1024
MAX_TOTAL_BYTES = 100 * 1024 * 1024
MAX_ENTRIES = 500
MAX_DEPTH = 6


@dataclass
class Submission:
    """The files of one submission that grading reads, as bytes, and what was refused."""

    folder: Path
    files: dict[str, bytes] = field(default_factory=dict)  # posix path in the folder -> bytes
    problems: list[str] = field(default_factory=list)
    missing: bool = False  # True: no folder at all (nothing handed in)

    def notebooks(self) -> list[str]:
        return sorted(name for name in self.files if "/" not in name and name.endswith(".ipynb"))


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _cap(name: str) -> int | None:
    """How many bytes grading reads of this file, or None if grading does not need it."""
    top = "/" not in name
    if top and name.endswith(".ipynb"):
        return MAX_NOTEBOOK_BYTES
    if name.endswith(".json") and (top or (name.count("/") == 1 and name.startswith("answers/"))):
        return MAX_ANSWERS_BYTES
    if name in ("timestamp.txt", "submission_secret.txt"):  # nbgrader's, from the exchange
        return MAX_TIMESTAMP_BYTES
    return None


def _read(path: Path, name: str, cap: int, problems: list[str]) -> bytes | None:
    """The file's bytes, or None (and a problem line) if it is not a plain private file."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            problems.append(f"link refused: {name} is a symbolic link; not read")
        else:
            problems.append(f"unreadable file: {name} ({exc.strerror}); not read")
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            problems.append(f"refused: {name} is {_kind(info.st_mode)}; not read")
            return None
        if info.st_nlink > 1:
            problems.append(
                f"link refused: {name} is a hard link ({info.st_nlink} names for one file); "
                "not read"
            )
            return None
        if info.st_size > cap:
            problems.append(
                f"file too large: {name} is {info.st_size:,} bytes (the limit is {cap:,}); not read"
            )
            return None
        chunks, left = [], cap + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > cap:
            problems.append(f"file too large: {name} grew past {cap:,} bytes; not read")
            return None
        return data
    finally:
        os.close(fd)


def read_submission(folder: Path) -> Submission:
    """Walk a submission folder without following anything, and read what grading needs."""
    sub = Submission(folder)
    for parent in (folder.parent, folder):
        try:
            mode = os.lstat(parent).st_mode
        except FileNotFoundError:
            sub.missing = True
            sub.problems.append("nothing handed in: the submission folder is missing")
            return sub
        if not stat.S_ISDIR(mode):
            sub.problems.append(
                f"refused: the submission folder {parent.name} is {_kind(mode)}, "
                "not a folder; nothing in it was read"
            )
            return sub
    total = entries = 0
    stack: list[tuple[Path, str, int]] = [(folder, "", 0)]
    while stack:
        here, prefix, depth = stack.pop()
        try:
            listing = sorted(os.scandir(here), key=lambda e: e.name)
        except OSError as exc:
            sub.problems.append(f"unreadable folder: {prefix or '.'} ({exc.strerror})")
            continue
        for entry in listing:
            entries += 1
            if entries > MAX_ENTRIES:
                sub.problems.append(
                    f"too many files: over {MAX_ENTRIES} entries; the rest were not read"
                )
                return sub
            name = prefix + entry.name
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISDIR(info.st_mode):
                if entry.name in (".ipynb_checkpoints", "__pycache__"):
                    continue
                if depth + 1 >= MAX_DEPTH:
                    sub.problems.append(f"folders nested too deep at {name}; not read")
                    continue
                stack.append((Path(entry.path), name + "/", depth + 1))
                continue
            if not stat.S_ISREG(info.st_mode):
                target = ""
                if stat.S_ISLNK(info.st_mode):
                    try:
                        target = f" to {os.readlink(entry.path)}"
                    except OSError:
                        target = ""
                what = "link refused" if stat.S_ISLNK(info.st_mode) else "refused"
                sub.problems.append(f"{what}: {name} is {_kind(info.st_mode)}{target}; not read")
                continue
            cap = _cap(name)
            if cap is None:
                continue
            if total + info.st_size > MAX_TOTAL_BYTES:
                sub.problems.append(
                    f"submission too large: over {MAX_TOTAL_BYTES:,} bytes; {name} not read"
                )
                continue
            data = _read(Path(entry.path), name, cap, sub.problems)
            if data is not None:
                total += len(data)
                sub.files[name] = data
    return sub
