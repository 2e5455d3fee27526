"""One grader at a time per assignment: a lock file in the course folder.

Two graders who run ``medialit grade`` (or ``medialit feedback``) on the same assignment at
once would write the same autograded folders and gradebook rows. The second one waits for
the first (saying who holds the lock, from when) or, past its wait, stops with a sentence
naming the holder. The lock is ``fcntl.flock`` on ``.medialit/locks/<assignment>.lock``:
the kernel releases it when the holder exits or crashes, so a killed grader never leaves a
stale lock behind. The file records who holds it, for the message only.
"""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import json
import os
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from medialit.course.folder import SCRATCH, Course, Progress, stderr
from medialit.errors import MedialitError

#: Default seconds a second grader waits for the first one to finish.
DEFAULT_WAIT = 600.0


def _holder(path: Path) -> str:
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, json.JSONDecodeError):
        data = {}
    if not data:
        return "another grading run"
    return (
        f"{data.get('user', '?')} on {data.get('host', '?')} (process {data.get('pid', '?')}, "
        f"{data.get('what', 'grading')} since {data.get('since', '?')})"
    )


@contextlib.contextmanager
def assignment_lock(
    course: Course,
    assignment: str,
    what: str = "grading",
    wait: float = DEFAULT_WAIT,
    progress: Progress = stderr,
) -> Iterator[None]:
    """Hold the assignment's lock for the block; wait up to ``wait`` seconds for it."""
    folder = course.root / SCRATCH / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{assignment}.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        deadline = time.monotonic() + max(wait, 0.0)
        told = 0.0
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = _holder(path)
                now = time.monotonic()
                if now >= deadline:
                    raise MedialitError(
                        f"{assignment} is being graded by {holder}; try again when it has "
                        "finished (or pass --wait SECONDS to wait for it)."
                    ) from None
                if now - told >= 15:
                    progress(f"waiting for {holder} to finish with {assignment} ...")
                    told = now
                time.sleep(0.25)
        record = {
            "user": getpass.getuser(),
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "what": what,
            "since": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(record).encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
