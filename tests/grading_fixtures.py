"""Student submissions of the kit's a1_claims, built from the release the way a student would.

Each factory takes the released notebook (``exercises/a1_claims`` or a course's
``release/``) and the course's ``submitted/`` folder and writes one student's submission,
named after what the student did (``all-correct``, ``blank``, ``monkeypatched-scorer``, ...).
The answers file is built with the kit's own ``fill_answers`` (what the tagger and choice
widgets write); the notebook is the release with the student's edits. Attacks put their code
in the one code cell a student may edit (``a1_claims_start``), where it would run first.

``FIXTURES`` maps each name to its factory and the score its handed-in answers earn on
a1_claims's autograded items (genre 1 + thesis 2 + roles 3 + statements 3 = 9): a fair
grader gives exactly that, whatever the notebook's code does. ``PROBLEMS`` names the problem
line the grade report must show for a fixture.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path

import nbformat

A1 = "a1_claims"
KIT = Path(__file__).resolve().parents[1]
RELEASE = KIT / "exercises" / A1 / f"{A1}.ipynb"
START = "a1_claims_start"  # the assignment's one editable code cell
AUTO_POINTS = 9.0


def release() -> nbformat.NotebookNode:
    return nbformat.read(RELEASE, as_version=4)


def cell(nb, grade_id: str):
    for c in nb.cells:
        if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            return c
    raise KeyError(grade_id)


def answers_bytes(keep: tuple[str, ...] = ("tags", "responses", "verdicts"), **change) -> bytes:
    """An a1_claims answers file as the widgets write it: the model answers, only the parts
    in ``keep``, with ``change`` applied (``responses={...}`` replaces those responses)."""
    import tempfile

    from medialit.grading import fill_answers, model_answers

    model = model_answers(A1)
    kwargs = {k: v for k, v in model.items() if k in keep or k == "article"}
    for key, value in change.items():
        kwargs[key] = {**kwargs.get(key, {}), **value}
    with tempfile.TemporaryDirectory() as tmp:
        path = fill_answers(A1, folder=Path(tmp) / "answers", **kwargs)
        return path.read_bytes()


def write(
    submitted: Path,
    student: str,
    nb,
    answers: bytes | None,
    name: str = f"{A1}.ipynb",
    answers_name: str = f"answers/{A1}.json",
) -> Path:
    folder = submitted / student / A1
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / name)
    if answers is not None:
        path = folder / answers_name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(answers)
    return folder


def with_code(code: str):
    """The release with ``code`` typed into the editable start cell."""
    nb = copy.deepcopy(release())
    cell(nb, START).source = code + "\nstart('a1_claims')\n"
    return nb


# -- ordinary submissions ------------------------------------------------------------------


def all_correct(rel, submitted):
    return write(submitted, "all-correct", copy.deepcopy(rel), answers_bytes())


def blank(rel, submitted):
    return write(submitted, "blank", copy.deepcopy(rel), None)


def tagger_never_used(rel, submitted):
    return write(submitted, "tagger-never-used", copy.deepcopy(rel), answers_bytes(("responses",)))


def genre_wrong(rel, submitted):
    body = answers_bytes(responses={"genre": "news"})
    return write(submitted, "genre-wrong", copy.deepcopy(rel), body)


def test_cell_deleted(rel, submitted):
    nb = copy.deepcopy(rel)
    nb.cells.remove(cell(nb, "a1_genre_test"))
    return write(submitted, "test-cell-deleted", nb, answers_bytes())


def locked_cell_edited(rel, submitted):
    """The genre test edited to print full marks; the genre answer is wrong."""
    nb = copy.deepcopy(rel)
    cell(nb, "a1_genre_test").source = "print('Score: 1 of 1.')\n1.0"
    return write(submitted, "locked-cell-edited", nb, answers_bytes(responses={"genre": "news"}))


def notebook_renamed(rel, submitted):
    return write(
        submitted, "notebook-renamed", copy.deepcopy(rel), answers_bytes(), name=f"{A1} (1).ipynb"
    )


def malformed_notebook(rel, submitted):
    folder = write(submitted, "malformed-notebook", copy.deepcopy(rel), answers_bytes())
    path = folder / f"{A1}.ipynb"
    path.write_text(path.read_text()[:2000])  # half-written, as after a crash
    return folder


def answers_file_corrupt(rel, submitted):
    body = b'{"format": "medialit-answers", "tags": {'
    return write(submitted, "answers-file-corrupt", copy.deepcopy(rel), body)


Factory = Callable[[nbformat.NotebookNode, Path], Path]

#: name -> (factory, the score its handed-in answers earn on a1_claims's autograded items)
FIXTURES: dict[str, tuple[Factory, float]] = {
    "all-correct": (all_correct, AUTO_POINTS),
    "blank": (blank, 0.0),
    "tagger-never-used": (tagger_never_used, 3.0),
    "genre-wrong": (genre_wrong, AUTO_POINTS - 1),
    "test-cell-deleted": (test_cell_deleted, AUTO_POINTS),
    "locked-cell-edited": (locked_cell_edited, AUTO_POINTS - 1),
    "notebook-renamed": (notebook_renamed, AUTO_POINTS),
    "malformed-notebook": (malformed_notebook, AUTO_POINTS),
    "answers-file-corrupt": (answers_file_corrupt, 0.0),
}

#: The problem each fixture must show in the grade report (a substring).
PROBLEMS = {
    "blank": "no saved answers file",
    "test-cell-deleted": "cell deleted: a1_genre_test (restored from the source)",
    "locked-cell-edited": "locked cell edited: a1_genre_test",
    "notebook-renamed": "notebook renamed",
    "malformed-notebook": "corrupt notebook",
    "answers-file-corrupt": "answers file unusable",
}


def build(rel, submitted: Path, names: list[str] | None = None) -> list[str]:
    """Write every (or the named) fixture submission; return the student names."""
    chosen = names or list(FIXTURES)
    for name in chosen:
        FIXTURES[name][0](rel, submitted)
    return chosen


def sheet_json(path: Path) -> dict:
    return json.loads(path.read_text())


# -- attacks on the grader (tests/test_grading_attacks.py) ---------------------------------
#
# Each attack below is what a student could hand in to get a grade their answers do not earn,
# or to read or change what is not theirs. Their answers files carry the student's name, as
# a real one does, so no two of them are identical byte for byte unless the attack says so.


def student_answers(
    student: str, keep: tuple[str, ...] = ("tags", "responses", "verdicts"), **change
) -> bytes:
    """``answers_bytes`` saved by ``student`` (the name the widgets write into the file)."""
    import os

    before = os.environ.get("MEDIALIT_STUDENT")
    os.environ["MEDIALIT_STUDENT"] = student
    try:
        return answers_bytes(keep, **change)
    finally:
        if before is None:
            del os.environ["MEDIALIT_STUDENT"]
        else:
            os.environ["MEDIALIT_STUDENT"] = before


def other_assignment_answers(student: str, assignment: str = "a2_evidence") -> bytes:
    """A full-marks answers file of another assignment (what its widgets would write)."""
    import os
    import tempfile

    from medialit.grading import fill_answers, model_answers

    before = os.environ.get("MEDIALIT_STUDENT")
    os.environ["MEDIALIT_STUDENT"] = student
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = fill_answers(
                assignment, folder=Path(tmp) / "answers", **model_answers(assignment)
            )
            return path.read_bytes()
    finally:
        if before is None:
            del os.environ["MEDIALIT_STUDENT"]
        else:
            os.environ["MEDIALIT_STUDENT"] = before


#: A half-right a1_claims: genre right, thesis wrong, some roles and statements wrong.
HALF_RIGHT_CHANGES = {
    "responses": {"thesis": "P0.S1"},
    "tags": {
        "P2.S1": {"role": ["evidence"], "statement": ["value"]},
        "P7.S1": {"role": ["evidence"], "statement": ["value"]},
        "P9.S1": {"role": ["claim"], "statement": ["policy"]},
        "P11.S1": {"role": ["claim"], "statement": ["fact"]},
    },
}


def half_right(rel, submitted):
    body = student_answers("half-right", **HALF_RIGHT_CHANGES)
    return write(submitted, "half-right", copy.deepcopy(rel), body)


def _attack(student: str, code: str, answers: bytes | None, submitted: Path) -> Path:
    return write(submitted, student, with_code(code), answers)


MONKEYPATCH_CODE = (
    "import medialit.grading as g, medialit.scoring as s\n"
    "g.score_item = lambda *a, **k: 3.0\n"
    "score_item = lambda *a, **k: 3.0\n"
    "s.score.__code__ = (lambda *a, **k: None).__code__"
)


def monkeypatched_scorer(rel, submitted):
    """Replaces the scorer; the handed-in answers earn 3 (genre and thesis, no tags)."""
    del rel
    name = "monkeypatched-scorer"
    return _attack(name, MONKEYPATCH_CODE, student_answers(name, ("responses",)), submitted)


def silenced_output(rel, submitted):
    """Turns off the kernel's results, so a test cell would show no score."""
    del rel
    name = "silenced-output"
    body = student_answers(name, responses={"genre": "news"})
    return _attack(name, 'get_ipython().ast_node_interactivity = "none"', body, submitted)


def display_hijack(rel, submitted):
    """Shows every float as 'full marks'."""
    del rel
    name = "display-hijack"
    code = (
        "get_ipython().display_formatter.formatters['text/plain']"
        ".for_type(float, lambda o, p, c: p.text('full marks'))"
    )
    return _attack(name, code, student_answers(name, ("responses",)), submitted)


def answers_written_at_grade_time(rel, submitted):
    """A cell that would overwrite the answers file with full marks when run."""
    del rel
    name = "answers-written-at-grade-time"
    full = student_answers(name).decode("utf-8")
    code = (
        "import os\n"
        "os.makedirs('answers', exist_ok=True)\n"
        f"open('answers/{A1}.json', 'w').write({full!r})"
    )
    return _attack(name, code, student_answers(name, ("responses",)), submitted)


def answers_truncated_at_grade_time(rel, submitted):
    """A cell that would empty the answers file when run; the handed-in file is right."""
    del rel
    name = "answers-truncated-at-grade-time"
    code = f"open('answers/{A1}.json', 'w').close()"
    return _attack(name, code, student_answers(name), submitted)


def answers_symlinked_to_classmate(rel, submitted):
    """answers/a1_claims.json is a relative link to all-correct's answers file."""
    name = "answers-symlinked-to-classmate"
    folder = write(submitted, name, copy.deepcopy(rel), None)
    (folder / "answers").mkdir()
    target = f"../../../all-correct/{A1}/answers/{A1}.json"
    (folder / "answers" / f"{A1}.json").symlink_to(target)
    return folder


def answers_symlinked_to_etc_passwd(rel, submitted):
    name = "answers-symlinked-to-etc-passwd"
    folder = write(submitted, name, copy.deepcopy(rel), None)
    (folder / "answers").mkdir()
    (folder / "answers" / f"{A1}.json").symlink_to("/etc/passwd")
    return folder


def classmate_home_answers(submitted: Path) -> Path:
    """all-correct's working copy of their answers, in their home folder beside the course
    (on a shared JupyterHub, one filesystem holds homes and the course)."""
    return submitted.parent.parent / "home" / "all-correct" / A1 / "answers" / f"{A1}.json"


def answers_hard_linked_to_classmate(rel, submitted):
    """answers/a1_claims.json is a hard link to a classmate's answers file in their home."""
    import os

    name = "answers-hard-linked-to-classmate"
    victim = classmate_home_answers(submitted)
    victim.parent.mkdir(parents=True, exist_ok=True)
    victim.write_bytes(student_answers("all-correct"))
    folder = write(submitted, name, copy.deepcopy(rel), None)
    (folder / "answers").mkdir()
    os.link(victim, folder / "answers" / f"{A1}.json")
    return folder


def submission_folder_symlinked(rel, submitted):
    """submitted/<student>/a1_claims is a link to all-correct's submission folder."""
    del rel
    name = "submission-folder-symlinked"
    (submitted / name).mkdir(parents=True, exist_ok=True)
    (submitted / name / A1).symlink_to(f"../all-correct/{A1}", target_is_directory=True)
    return submitted / name / A1


#: Where the writes-outside-submission attack aims (relative to the notebook's folder).
OUTSIDE_TARGETS = (
    "../../../nbgrader_config.py",
    "../../../gradebook.db",
    f"../../../source/{A1}/planted.txt",
    f"../../other/{A1}/answers/{A1}.json",
)


def writes_outside_submission(rel, submitted):
    del rel
    name = "writes-outside-submission"
    code = "\n".join(
        f"open({target!r}, 'w').write('planted by {name}')" for target in OUTSIDE_TARGETS
    )
    return _attack(name, code, student_answers(name, ("responses",)), submitted)


ESCAPE_CODE = 'import subprocess; subprocess.Popen(["setsid", "sleep", "987"])'


def escaping_process(rel, submitted):
    del rel
    name = "escaping-process"
    return _attack(name, ESCAPE_CODE, student_answers(name, ("responses",)), submitted)


#: The saved output of the huge-output attack: 5 MB (a kernel's output, under the notebook cap)
HUGE_OUTPUT_BYTES = 5 * 1024 * 1024


def huge_output(rel, submitted):
    """A cell printing 100 lines of 1 MB, saved with 5 MB of what it printed."""
    import nbformat

    del rel
    name = "huge-output"
    nb = with_code("for _ in range(100):\n    print('x' * 1_000_000)")
    cell(nb, START).outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="x" * HUGE_OUTPUT_BYTES)
    ]
    return write(submitted, name, nb, student_answers(name, responses={"genre": "news"}))


def answers_too_large(rel, submitted):
    """A valid answers file of 2 MiB: a huge note."""
    name = "answers-too-large"
    data = json.loads(student_answers(name))
    data["notes"] = {"P0.S1": "very long note " * (2 * 1024 * 1024 // 15 + 1)}
    body = json.dumps(data, indent=2).encode("utf-8")
    assert len(body) > 2 * 1024 * 1024
    return write(submitted, name, copy.deepcopy(rel), body)


def answers_nested_deep(rel, submitted):
    """A small answers file with a list nested 5000 deep in its notes."""
    name = "answers-nested-deep"
    body = student_answers(name)
    deep = b'"notes": {"P0.S1": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    assert b'"notes": {}' in body
    return write(submitted, name, copy.deepcopy(rel), body.replace(b'"notes": {}', deep))


def answers_fifo(rel, submitted):
    """answers/a1_claims.json is a named pipe: opening it to read would wait forever."""
    import os

    name = "answers-fifo"
    folder = write(submitted, name, copy.deepcopy(rel), None)
    (folder / "answers").mkdir()
    os.mkfifo(folder / "answers" / f"{A1}.json")
    return folder


def answers_for_wrong_assignment(rel, submitted):
    name = "answers-for-wrong-assignment"
    return write(submitted, name, copy.deepcopy(rel), other_assignment_answers(name))


def answers_beside_notebook(rel, submitted):
    name = "answers-beside-notebook"
    body = student_answers(name)
    return write(submitted, name, copy.deepcopy(rel), body, answers_name=f"{A1}.json")


def import_cell_moved(rel, submitted):
    """The locked ``imports`` cell moved to the end of the notebook."""
    name = "import-cell-moved"
    nb = copy.deepcopy(rel)
    imports = cell(nb, "imports")
    nb.cells.remove(imports)
    nb.cells.append(imports)
    return write(submitted, name, nb, student_answers(name))


#: The bytes the two identical-answers students share (genre wrong: 8 points).
IDENTICAL_STUDENTS = ("identical-answers-1", "identical-answers-2")


def identical_answers(rel, submitted):
    body = student_answers("identical-answers", responses={"genre": "news"})
    for name in IDENTICAL_STUDENTS:
        write(submitted, name, copy.deepcopy(rel), body)
    return submitted / IDENTICAL_STUDENTS[0] / A1


#: Attack submissions: student -> (factory, the autograded score a fair grader gives, the
#: problem line the report must show, or None). ``half-right``'s score is what its answers
#: earn (the test computes it); one factory writes both identical-answers students.
ATTACKS: dict[str, tuple[Factory, float | None, str | None]] = {
    "half-right": (half_right, None, None),
    "monkeypatched-scorer": (monkeypatched_scorer, 3.0, None),
    "silenced-output": (silenced_output, AUTO_POINTS - 1, None),
    "display-hijack": (display_hijack, 3.0, None),
    "answers-written-at-grade-time": (answers_written_at_grade_time, 3.0, None),
    "answers-truncated-at-grade-time": (answers_truncated_at_grade_time, AUTO_POINTS, None),
    "answers-symlinked-to-classmate": (answers_symlinked_to_classmate, 0.0, "link refused"),
    "answers-symlinked-to-etc-passwd": (answers_symlinked_to_etc_passwd, 0.0, "link refused"),
    "answers-hard-linked-to-classmate": (answers_hard_linked_to_classmate, 0.0, "hard link"),
    "submission-folder-symlinked": (submission_folder_symlinked, 0.0, "symbolic link"),
    "writes-outside-submission": (writes_outside_submission, 3.0, None),
    "escaping-process": (escaping_process, 3.0, None),
    "huge-output": (huge_output, AUTO_POINTS - 1, None),
    "answers-too-large": (answers_too_large, 0.0, "too large"),
    "answers-nested-deep": (answers_nested_deep, 0.0, "answers file unusable"),
    "answers-fifo": (answers_fifo, 0.0, "is a FIFO"),
    "answers-for-wrong-assignment": (answers_for_wrong_assignment, 0.0, "wrong assignment"),
    "answers-beside-notebook": (answers_beside_notebook, AUTO_POINTS, "beside the notebook"),
    "import-cell-moved": (import_cell_moved, AUTO_POINTS, "locked cell moved"),
    "identical-answers-1": (identical_answers, AUTO_POINTS - 1, "identical byte for byte"),
    "identical-answers-2": (identical_answers, AUTO_POINTS - 1, "identical byte for byte"),
}


def build_attacks(rel, submitted: Path) -> list[str]:
    """Write all-correct and every attack submission; return the student names."""
    all_correct(rel, submitted)
    done: set[Factory] = set()
    for factory, _, _ in ATTACKS.values():
        if factory not in done:
            factory(rel, submitted)
            done.add(factory)
    return ["all-correct", *ATTACKS]
