"""A student attacking a course's own article (issue 13): every way to a graded answer.

``medialit course add-article`` keeps the key of an instructor's article in the course's
``source/`` only. These tests play the student, who has the two releases, the installed kit
and the course-mode file, and try to learn the accepted label of a graded (unit, layer):

- from the lessons' expert reading (``lesson_reference.csv``): graded rows are withheld, but
  the reasons the expert wrote for the other rows may name a graded answer ("'To be fair'
  marks a concession" on a sentence whose role is graded; "keep 'thesis' for the headline
  and P2.S2" on another sentence);
- from the shape of the assignment: which sentences another question asks about can settle
  a graded role (a sentence graded for its evidence type must be read as evidence; the
  thesis question's options are the thesis and claims);
- from the grader: a forged items file, an edited notebook, a changed article, an answers
  file linked to the instructor's key, the lessons' answers or another article's; and the
  feedback each of them gets back.

The article is the kit's practice op-ed with its reference, as an instructor would bring it
in; its reference ships with the kit, so these tests judge the course's mechanics, not the
secrecy of that particular key.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import io
import json
import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from medialit.answer_keys import find_leaks
from medialit.article import load_article
from medialit.course.article_lessons import REASON_LEFT_OUT, write_lesson_reference
from medialit.course.article_plan import plan_article
from medialit.course.feedback import html_text
from medialit.course_mode import ENV_VAR
from medialit.items import ITEMS_FILE
from medialit.reference import LESSON_REFERENCE, load_reference

KIT = Path(__file__).resolve().parents[1]
NAME = "oped"
METADATA = {"section": {"value": "opinion", "from": "given"}}
UNIT_ID = re.compile(r"\bP\d+\.S\d+\b")


def _folder(base: Path, edit=None) -> Path:
    """The practice op-ed as an instructor's article folder; ``edit(rows)`` changes the
    reference's rows (dicts) before it is written."""
    folder = base / NAME
    folder.mkdir(parents=True)
    shutil.copyfile(KIT / "data" / "practice_oped.txt", folder / "article.txt")
    (folder / "article.json").write_text(json.dumps(METADATA), encoding="utf-8")
    source = KIT / "data" / "reference_practice.csv"
    if edit is None:
        shutil.copyfile(source, folder / "reference.csv")
        return folder
    with source.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    edit(rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (folder / "reference.csv").write_text(out.getvalue(), encoding="utf-8")
    return folder


def _plan(folder: Path):
    return plan_article(NAME, load_article(folder), load_reference(folder), METADATA)


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _words(label: str) -> str:
    return label.replace("_", " ")


def _graded_labels(folder: Path, withheld) -> dict[str, set[str]]:
    """unit -> every accepted label of its withheld rows (``none`` aside), as words."""
    out: dict[str, set[str]] = {}
    for row in _rows(folder / "reference.csv"):
        if (row["id"], row["layer"]) in withheld:
            labels = {*row["accepted"].split(";"), *row["label"].split(";")} - {"", "none"}
            out.setdefault(row["id"], set()).update(_words(x.strip()) for x in labels)
    return out


def _giveaways(folder: Path, lessons_csv: Path, withheld) -> list[str]:
    """Each reason in the lessons' reference that names a graded answer: a label accepted on
    a withheld row of its own sentence, or of a sentence it names (the headline is P0.S1)."""
    graded = _graded_labels(folder, withheld)
    found = []
    for row in _rows(lessons_csv):
        reason = row["rationale"].lower()
        named = {row["id"], *UNIT_ID.findall(row["rationale"])}
        if "headline" in reason:
            named.add("P0.S1")
        for unit in named & set(graded):
            found += [
                f"{row['id']} {row['layer']}: {label!r} ({unit})"
                for label in graded[unit]
                if re.search(rf"\b{re.escape(label)}", reason)
            ]
    return found


# -- the lessons' expert reading ----------------------------------------------------------------
def test_no_reason_in_the_lessons_reference_names_a_graded_answer(tmp_path):
    folder = _folder(tmp_path)
    plan = _plan(folder)
    target = tmp_path / LESSON_REFERENCE
    write_lesson_reference(folder / "reference.csv", target, plan.withheld)
    text = target.read_text(encoding="utf-8")
    # the practice reference's own giveaway: P10.S1's reason names the answer to the thesis
    # question (P2.S2) and the headline's graded role
    assert ("P2.S2", "role") in plan.withheld and ("P0.S1", "role") in plan.withheld
    assert "keep 'thesis' for the headline and P2.S2" not in text
    assert REASON_LEFT_OUT in text
    assert _giveaways(folder, target, plan.withheld) == []
    # a reason about a sentence with nothing graded, naming no graded sentence, stays
    graded_units = {u for u, _ in plan.withheld}
    source = {(r["id"], r["layer"]): r["rationale"] for r in _rows(folder / "reference.csv")}
    free = [
        (key, reason)
        for key, reason in source.items()
        if key[0] not in graded_units
        and not set(UNIT_ID.findall(reason)) & graded_units
        and "headline" not in reason.lower()
        and reason
    ]
    assert free
    kept = {(r["id"], r["layer"]): r["rationale"] for r in _rows(target)}
    assert all(kept[key] == reason for key, reason in free)


def test_a_reason_on_an_ungraded_sentence_that_names_a_graded_answer_is_left_out(tmp_path):
    probe = _plan(_folder(tmp_path / "probe"))
    graded = probe.item("roles").units[-1]
    key = probe.keys[probe.item("roles").id][graded]
    graded_units = {u for u, _ in probe.withheld}
    free = next(u for u in load_article(_folder(tmp_path / "ids")).ids if u not in graded_units)
    planted = f"Unlike {graded}, which the writer offers as a {_words(key[0])}, this one is not."

    def edit(rows):
        for row in rows:
            if (row["id"], row["layer"]) == (free, "statement"):
                row["rationale"] = planted

    folder = _folder(tmp_path / "in", edit)
    plan = _plan(folder)
    assert plan.keys[plan.item("roles").id][graded] == key
    target = tmp_path / LESSON_REFERENCE
    write_lesson_reference(folder / "reference.csv", target, plan.withheld)
    assert planted not in target.read_text(encoding="utf-8")
    (row,) = [r for r in _rows(target) if (r["id"], r["layer"]) == (free, "statement")]
    assert row["label"] and row["accepted"]  # the reading stays; only its reason goes
    assert _giveaways(folder, target, plan.withheld) == []


def test_a_key_other_users_can_read_is_named_before_anything_is_added(tmp_path):
    from medialit.course.add_article import add_article
    from medialit.course.init_course import CONFIG_TEMPLATE
    from medialit.errors import MedialitError

    course = tmp_path / "course"
    course.mkdir()
    config = CONFIG_TEMPLATE.format(course_id="t", db_url="sqlite:///x.db", timeout=30)
    (course / "nbgrader_config.py").write_text(config, encoding="utf-8")

    folder = _folder(tmp_path / "in")
    # broken metadata stops add-article after the reference is read, before it writes
    (folder / "article.json").write_text("{oops", encoding="utf-8")
    said: list[str] = []
    for mode, warned in ((0o644, True), (0o600, False)):
        (folder / "reference.csv").chmod(mode)
        said.clear()
        with pytest.raises(MedialitError, match="not readable JSON"):
            add_article(course, folder, progress=said.append)
        assert any("chmod 600" in line for line in said) is warned, said
    assert sorted(p.name for p in course.iterdir()) == ["nbgrader_config.py"]


# -- the shape of the assignment -----------------------------------------------------------------
def test_no_other_question_settles_a_graded_role(tmp_path):
    """A sentence graded for its evidence type is one the expert reads as evidence only, and
    the thesis question's options are the thesis and claims (the plan is public): neither may
    be a sentence whose role is graded."""
    plan = _plan(_folder(tmp_path))
    roles = set(plan.item("roles").units)
    assert roles
    assert not roles & set(plan.item("evidence_types").units)
    assert not roles & set(plan.item("thesis").units)
    assert all((u, "role") in plan.withheld for u in plan.item("thesis").units)


# -- the grader and what it hands back -------------------------------------------------------------
def _earned(plan, answers: Path) -> float:
    """What an answers folder earns by the self-check's path, with the instructor's keys."""
    from medialit.grading import score_item

    with contextlib.redirect_stdout(io.StringIO()):
        return round(
            sum(score_item(it.id, key=plan.keys[it.id], folder=answers) for it in plan.items), 2
        )


def _student(course: Path, name: str, answers: dict | None = None, edit=None) -> Path:
    """A submission made from the release: the answers the widgets would write, then the
    student's own changes to the folder."""
    from medialit.grading import fill_answers

    folder = course / "submitted" / name / NAME
    shutil.copytree(course / "release" / NAME, folder)
    if answers is not None:
        fill_answers(NAME, folder=folder / "answers", **copy.deepcopy(answers))
    if edit is not None:
        edit(folder)
    return folder


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    from medialit import course as c
    from medialit.course.add_article import add_article
    from medialit.grading import fill_answers

    base = tmp_path_factory.mktemp("own_attacks")
    course = c.init_course(base / "course", assignments=["a1_claims"], progress=lambda m: None)
    done = add_article(course.root, _folder(base / "in"), progress=lambda m: None)
    plan, root = done.plan, course.root
    half = copy.deepcopy(plan.model)
    for unit in plan.item("roles").units[::2]:
        half["tags"][unit]["role"] = ["context"]
    half["responses"]["genre"] = "news"

    def forge(folder: Path) -> None:  # items worth 100 points each, and test cells of its own
        data = json.loads((folder / ITEMS_FILE).read_text(encoding="utf-8"))
        for row in data["items"]:
            row["points"], row["units"] = 100, row["units"][:1]
        (folder / ITEMS_FILE).write_text(json.dumps(data), encoding="utf-8")
        nb = nbformat.read(folder / f"{NAME}.ipynb", as_version=4)
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade"):
                cell.source = f"score_item('{NAME}_genre', key=['news'])"
        nbformat.write(nb, folder / f"{NAME}.ipynb")

    def new_article(folder: Path) -> None:
        (folder / NAME / "article.txt").write_text("One line.\n\nAnother line.\n", "utf-8")

    def link_to_key(folder: Path) -> None:
        (folder / "answers").mkdir()
        os.symlink(root / "source" / NAME / f"{NAME}.ipynb", folder / "answers" / f"{NAME}.json")

    def lessons_answers(folder: Path) -> None:
        made = fill_answers(f"{NAME}_lessons", folder=folder / "tmp", **copy.deepcopy(plan.model))
        (folder / "answers").mkdir()
        made.rename(folder / "answers" / f"{NAME}.json")
        shutil.rmtree(folder / "tmp")

    other = {**copy.deepcopy(plan.model), "article": "practice"}
    made = {
        "half-right": _student(root, "half-right", half),
        "forged-items": _student(root, "forged-items", half, forge),
        "new-article": _student(root, "new-article", plan.model, new_article),
        "linked-to-the-key": _student(root, "linked-to-the-key", None, link_to_key),
        "lessons-answers": _student(root, "lessons-answers", None, lessons_answers),
        "other-article": _student(root, "other-article", other),
    }
    expected = {name: _earned(plan, folder / "answers") for name, folder in made.items()}
    # files the grader refuses: ``score_item`` scores whatever sheet it reads, so the grader's
    # rule is written out: nothing for another assignment's answers, only the choices for tags
    # on another article
    expected["linked-to-the-key"] = expected["lessons-answers"] = 0.0
    expected["other-article"] = float(sum(it.points for it in plan.items if it.kind != "tags"))
    key_before = (root / "source" / NAME / f"{NAME}.ipynb").read_bytes()
    report = c.grade(root, NAME, jobs=2, progress=lambda m: None)
    feedback = c.feedback(root, NAME, progress=lambda m: None)
    results = {r.student: r for r in report.results}
    return course, done, expected, results, feedback, key_before


@pytest.mark.slow
@pytest.mark.parametrize(
    "student, problem",
    [
        ("half-right", None),
        ("forged-items", "locked cell edited"),
        ("new-article", None),
        ("linked-to-the-key", "link refused"),
        ("lessons-answers", "wrong assignment"),
        ("other-article", "wrong article"),
    ],
)
def test_a_hostile_submission_gets_what_its_answers_earn(attacked, student, problem):
    course, done, expected, results, _, key_before = attacked
    result = results[student]
    assert result.status == "graded", result.problems
    assert result.score == expected[student], result.problems
    assert result.max_score == done.points  # the items of source/, not the student's copy
    if problem is not None:
        assert any(problem in line for line in result.problems), result.problems
    assert 0 < expected["half-right"] < done.points
    assert expected["new-article"] == done.points  # graded on the course's article
    source = course.root / "source" / NAME / f"{NAME}.ipynb"
    assert source.read_bytes() == key_before and not source.is_symlink()


@pytest.mark.slow
def test_feedback_gives_no_graded_answer_away(attacked):
    from medialit.course.add_article import leak_strings

    course, done, _, _, feedback, _ = attacked
    plan = done.plan
    assert len(feedback) == 6
    assert find_leaks([course.root / "feedback"], leak_strings(course, plan)) == []
    withheld = {
        (r["id"], r["layer"]): r["rationale"]
        for r in _rows(KIT / "data" / "reference_practice.csv")
        if (r["id"], r["layer"]) in plan.withheld
    }
    for path in feedback:
        text = html_text(path)
        assert not [reason for reason in withheld.values() if reason[:60] in text], path
    # nothing a student handed in beside the notebook comes back (their forged items file)
    assert not list((course.root / "feedback").rglob(ITEMS_FILE))
    assert not list((course.root / "autograded").rglob(ITEMS_FILE))


@pytest.mark.slow
def test_the_released_checks_give_no_score_even_outside_course_mode(attacked, monkeypatch):
    """A student who drops the course settings (or points them at a file of their own)
    still gets no score and no label from a Check button in the assignment."""
    from medialit.grading import check_item, fill_answers

    course, done, _, _, _, _ = attacked
    plan = done.plan
    work = course.root.parent / "student"
    shutil.copytree(course.root / "release" / NAME, work)
    monkeypatch.chdir(work)
    mine = work / "settings.json"
    mine.write_text(json.dumps({"format": "medialit-course", "locked": []}), encoding="utf-8")
    wrong = copy.deepcopy(plan.model)
    for unit in plan.item("roles").units:
        wrong["tags"][unit]["role"] = ["context"]
    fill_answers(NAME, folder=work / "answers", **wrong)
    for settings in (None, str(mine)):
        if settings is None:
            monkeypatch.delenv(ENV_VAR, raising=False)
        else:
            monkeypatch.setenv(ENV_VAR, settings)
        for it in plan.items:
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                assert check_item(it.id) is None
            text = out.getvalue()
            assert "Score" not in text and "your feedback" in text
            labels = (
                {x for v in plan.keys[it.id].values() for x in v} if it.kind == "tags" else set()
            )
            shown = text.lower().replace(it.title.lower(), "")
            assert not [x for x in labels if _words(x) in shown], text
