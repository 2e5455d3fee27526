"""``medialit collect-zips``: submissions downloaded from an LMS, placed where grading finds them.

Without a JupyterHub exchange, students upload their notebook and answers file to the LMS and
the instructor downloads every submission as one zip. nbgrader's ``zip_collect`` keeps only
notebooks by default, so every student would score 0 ("tagger never used"); and a flat
download loses the ``answers/`` folder. This step reads the two layouts LMSs produce:

- **Canvas** ("Download Submissions"): one flat zip, each file renamed
  ``<lastfirst>[_LATE]_<user id>_<submission id>_<file name>``, where a re-uploaded file may
  carry ``-1``, ``-2`` ... before its extension;
- **Moodle** ("Download all submissions", in folders): one folder per student,
  ``<Full Name>_<participant id>_assignsubmission_file_/<files>``, or the same prefix on each
  file when downloaded flat.

A student may also have uploaded a zip of their whole assignment folder; it is opened (one
level) and its notebook and answers file are used. Each student is matched to the class list
in the gradebook (``medialit``/nbgrader student id, the LMS id in ``lms_user_id``, or the
name), the notebook goes to ``submitted/<student>/<assignment>/<assignment>.ipynb`` and the
answers file (recognised by its content) to ``answers/<assignment>.json``. Anything that
cannot be placed is reported, never guessed. Zips are hostile data like any submission: no
member is extracted by its own path, links are skipped, and sizes are capped.
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from medialit.answers import looks_like_answers
from medialit.course.folder import Course, open_course
from medialit.course.intake import MAX_NOTEBOOK_BYTES
from medialit.errors import MedialitError
from medialit.scoring import MAX_ANSWERS_BYTES

MAX_MEMBER_BYTES = MAX_NOTEBOOK_BYTES
MAX_ZIP_BYTES = 2 * 1024 * 1024 * 1024
MAX_MEMBERS = 20_000

_CANVAS = re.compile(r"^(?P<name>[^_/]+)_(?:LATE_)?(?P<id>\d+)_(?P<sub>\d+)_(?P<file>.+)$")
_MOODLE = re.compile(r"^(?P<name>[^/]+?)_(?P<id>\d+)_assignsubmission_file_(?P<file>.*)$")
_RESUBMITTED = re.compile(r"^(?P<stem>.+?)-\d+(?P<ext>\.[A-Za-z0-9]+)$")


@dataclass
class Upload:
    """One student's files from the download (name -> bytes) and who they seem to be."""

    key: str  # LMS id
    name: str  # as the LMS wrote it
    files: dict[str, bytes] = field(default_factory=dict)


@dataclass
class Collected:
    placed: dict[str, str] = field(default_factory=dict)  # student id -> what was placed
    problems: list[str] = field(default_factory=list)


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _original_name(name: str) -> str:
    """A Canvas re-upload's name without its ``-N`` (``a1_claims-1.ipynb``: ``a1_claims``)."""
    match = _RESUBMITTED.match(name)
    return f"{match['stem']}{match['ext']}" if match else name


def _members(archive: zipfile.ZipFile, label: str, problems: list[str]):
    """(path, bytes) of each plain file member, links skipped and sizes capped."""
    total = 0
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise MedialitError(f"{label} holds over {MAX_MEMBERS:,} files; is it the right zip?")
    for info in infos:
        if info.is_dir():
            continue
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            problems.append(f"{label}: {info.filename} is a link; skipped")
            continue
        if info.file_size > MAX_MEMBER_BYTES:
            problems.append(f"{label}: {info.filename} is too large ({info.file_size:,} bytes)")
            continue
        total += info.file_size
        if total > MAX_ZIP_BYTES:
            raise MedialitError(f"{label} unpacks to over {MAX_ZIP_BYTES:,} bytes; stopped.")
        with archive.open(info) as f:
            data = f.read(MAX_MEMBER_BYTES + 1)
        if len(data) > MAX_MEMBER_BYTES:
            problems.append(f"{label}: {info.filename} is larger than it says; skipped")
            continue
        yield info.filename.replace("\\", "/"), data


def read_download(path: Path, problems: list[str]) -> dict[str, Upload]:
    """LMS id -> Upload, from one downloaded zip (Canvas or Moodle layout)."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise MedialitError(f"{path} is not a zip file that can be read ({exc}).") from None
    uploads: dict[str, Upload] = {}
    with archive:
        for member, data in _members(archive, path.name, problems):
            parts = [p for p in member.split("/") if p not in ("", ".", "..")]
            if not parts or parts[-1].startswith("."):
                continue
            moodle = _MOODLE.match(parts[0])
            canvas = _CANVAS.match(parts[-1]) if len(parts) == 1 else None
            if moodle and (len(parts) > 1 or moodle["file"]):
                key, name = moodle["id"], moodle["name"]
                inner = "/".join(parts[1:]) if len(parts) > 1 else moodle["file"]
            elif canvas:
                key, name, inner = canvas["id"], canvas["name"], _original_name(canvas["file"])
            else:
                problems.append(f"{path.name}: {member} is not in a Canvas or Moodle layout")
                continue
            upload = uploads.setdefault(key, Upload(key, name))
            upload.files[inner] = data
    return uploads


def _expand(upload: Upload, problems: list[str]) -> dict[str, bytes]:
    """The upload's files, with any zip a student uploaded opened (one level)."""
    files: dict[str, bytes] = {}
    for name, data in upload.files.items():
        if not name.lower().endswith(".zip"):
            files[name] = data
            continue
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as inner:
                for member, content in _members(inner, f"{upload.name}'s {name}", problems):
                    files[member] = content
        except zipfile.BadZipFile:
            problems.append(f"{upload.name}: {name} is not a readable zip; skipped")
    return files


def _arrange(files: dict[str, bytes], assignment: str) -> tuple[dict[str, bytes], list[str]]:
    """Submission-relative path -> bytes: the notebook(s) and the answers file."""
    out: dict[str, bytes] = {}
    notes: list[str] = []
    notebooks = {n: d for n, d in files.items() if n.endswith(".ipynb") and "checkpoint" not in n}
    answers = {
        n: d
        for n, d in files.items()
        if n.endswith(".json") and looks_like_answers(d[:4096]) and len(d) <= MAX_ANSWERS_BYTES
    }
    if len(notebooks) == 1:
        out[f"{assignment}.ipynb"] = next(iter(notebooks.values()))
    else:
        for name, data in notebooks.items():
            out[Path(name).name] = data
        if not notebooks:
            notes.append("no notebook")
    exact = [n for n in answers if Path(n).name == f"{assignment}.json"]
    chosen = exact if len(exact) == 1 else list(answers)
    if len(chosen) == 1:
        out[f"answers/{assignment}.json"] = answers[chosen[0]]
    elif len(chosen) > 1:
        notes.append(f"several answers files ({', '.join(sorted(chosen))}); none placed")
    else:
        notes.append("no answers file")
    return out, notes


def _class_list(course: Course) -> list[dict]:
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url) as gb:
        return [
            {
                "id": s.id,
                "lms": s.lms_user_id or "",
                "names": {
                    _squash(f"{s.last_name or ''}{s.first_name or ''}"),
                    _squash(f"{s.first_name or ''}{s.last_name or ''}"),
                }
                - {""},
            }
            for s in gb.students
        ]


def _match(upload: Upload, students: list[dict]) -> tuple[str | None, str]:
    by_lms = [s["id"] for s in students if s["lms"] and s["lms"] == upload.key]
    if len(by_lms) == 1:
        return by_lms[0], ""
    by_id = [s["id"] for s in students if s["id"] in (upload.key, upload.name)]
    if len(by_id) == 1:
        return by_id[0], ""
    by_name = [s["id"] for s in students if _squash(upload.name) in s["names"]]
    if len(by_name) == 1:
        return by_name[0], ""
    if len(by_name) > 1:
        return None, f"the name matches {len(by_name)} students"
    return None, "no student on the class list has this LMS id or name"


def collect_zips(
    directory: str | Path, assignment: str, zips: list[str | Path], force: bool = False
) -> Collected:
    """Place every student's notebook and answers file from LMS downloads."""
    course = open_course(directory)
    course.check_assignment(assignment)
    result = Collected()
    uploads: dict[str, Upload] = {}
    for path in zips:
        for key, upload in read_download(Path(path), result.problems).items():
            if key in uploads:
                uploads[key].files.update(upload.files)
            else:
                uploads[key] = upload
    if not uploads:
        raise MedialitError("No submissions found in the zip file(s).")
    students = _class_list(course)
    if not students:
        raise MedialitError(
            "The gradebook has no class list to match the downloads with; add the students "
            "first ('nbgrader db student import students.csv', with their LMS ids in "
            "lms_user_id)."
        )
    for upload in sorted(uploads.values(), key=lambda u: u.name):
        label = f"{upload.name} (LMS id {upload.key})"
        student, why = _match(upload, students)
        if student is None:
            result.problems.append(f"{label}: not placed; {why}")
            continue
        files, notes = _arrange(_expand(upload, result.problems), assignment)
        target = course.root / "submitted" / student / assignment
        if target.exists() and not force:
            result.problems.append(
                f"{label}: not placed; {student} already has a submission (use --force)"
            )
            continue
        if not files:
            result.problems.append(f"{label}: nothing to place ({'; '.join(notes)})")
            continue
        if target.exists():
            import shutil

            shutil.rmtree(target)
        for rel, data in files.items():
            out = target / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
        result.placed[student] = ", ".join(sorted(files))
        for note in notes:
            result.problems.append(f"{label} -> {student}: {note}")
    return result
