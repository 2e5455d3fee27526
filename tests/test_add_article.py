"""An instructor's own article in a course (issue 13, items 3 and 4): the practice op-ed,
brought in as an article folder, becomes lessons and a graded assignment whose key lives only
in the course's source/.

Fast tests cover the pieces: the folder gives the practice op-ed's units, the plan grades half
the anchors and withholds their rows from the lessons' reference, the items registry learns a
course's items without losing the kit's, course mode closes a course's own checks, a planted
key is found. The slow end-to-end part makes a real course (``course init``), adds the
article, builds fixture students from the release (perfect, blank, partly right, and one who
edits the notebook to forge the check), grades them with ``medialit grade`` and checks every
score against the reference, and that nothing a student receives holds a graded answer.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
from pathlib import Path

import nbformat
import pytest

from medialit import course_mode, items
from medialit.answer_keys import find_leaks, reference_row_strings
from medialit.article import load_article
from medialit.check import check
from medialit.course.add_article import add_article, check_leaks, student_files
from medialit.course.article_lessons import write_lesson_reference
from medialit.course.article_plan import plan_article
from medialit.course.init_course import CONFIG_TEMPLATE
from medialit.errors import MedialitError
from medialit.grading import fill_answers
from medialit.lessons.own_article import lesson_reference
from medialit.reference import LESSON_REFERENCE, load_reference

KIT = Path(__file__).resolve().parents[1]
NAME = "oped"
METADATA = {
    "title": {"value": "The case for putting leaders in the same room", "from": "given"},
    "section": {"value": "opinion", "from": "given"},
}


def article_dir(base: Path, name: str = NAME, metadata: dict | None = METADATA) -> Path:
    """The practice op-ed as an article folder, as the brief says to make one."""
    folder = base / name
    folder.mkdir(parents=True)
    shutil.copyfile(KIT / "data" / "practice_oped.txt", folder / "article.txt")
    shutil.copyfile(KIT / "data" / "reference_practice.csv", folder / "reference.csv")
    if metadata is not None:
        (folder / "article.json").write_text(json.dumps(metadata), encoding="utf-8")
    return folder


def _plan(folder: Path):
    return plan_article(NAME, load_article(folder), load_reference(folder), METADATA)


# -- fast: the pieces -----------------------------------------------------------------------
def test_the_folder_gives_the_practice_op_eds_units(tmp_path):
    folder, practice = load_article(article_dir(tmp_path)), load_article("practice")
    assert folder.key == NAME
    assert [(u.id, u.start, u.end, u.text) for u in folder.units] == [
        (u.id, u.start, u.end, u.text) for u in practice.units
    ]


def test_the_plan_grades_half_the_anchors_and_withholds_their_rows(tmp_path):
    folder = article_dir(tmp_path)
    plan, ref = _plan(folder), load_reference(folder)
    kinds = {it.kind for it in plan.items}
    assert {"choice", "thesis", "tags"} <= kinds
    assert plan.keys[f"{NAME}_genre"] == ["opinion"]
    for it in plan.items:
        if it.kind != "tags":
            continue
        anchors = [e.unit for e in ref.anchors(it.layer)]
        assert set(plan.keys[it.id]) <= set(it.units) <= set(anchors)
        for unit, labels in plan.keys[it.id].items():
            value = labels["labels"] if isinstance(labels, dict) else labels
            assert sorted(set(ref.entry(unit, it.layer).accepted) - {"none"}) == sorted(value)
            assert (unit, it.layer) in plan.withheld
    # roles keep practice anchors for the lessons: about half are graded
    role_anchors = ref.anchors("role")
    assert 0 < len(plan.item("roles").units) < len(role_anchors)
    thesis = plan.item("thesis")
    assert plan.keys[thesis.id] and set(plan.keys[thesis.id]) < set(thesis.units)
    assert all((u, "role") in plan.withheld for u in thesis.units)


def test_the_lessons_reference_has_no_graded_row(tmp_path):
    folder = article_dir(tmp_path)
    plan = _plan(folder)
    target = folder / LESSON_REFERENCE
    dropped = write_lesson_reference(folder / "reference.csv", target, plan.withheld)
    assert dropped == len(plan.withheld)
    text = target.read_text(encoding="utf-8")
    assert not [s for s in reference_row_strings(plan.withheld) if s in text]
    ref = lesson_reference(folder)
    full = load_reference(folder)
    assert len(ref) == len(full) - dropped
    kept = next(e for e in full.anchors("role") if (e.unit, "role") not in plan.withheld)
    assert ref.entry(kept.unit, "role") == kept  # the practice anchors keep their reading
    graded = sorted(plan.item("roles").units)[0]
    sheet_dir = tmp_path / "answers"
    fill_answers("lessons", tags={graded: {"role": ["context"]}}, folder=sheet_dir, article=NAME)
    report = check(
        "lessons", ["role"], reference=ref, units=[graded], folder=sheet_dir, locked=set()
    )
    assert report.results[0].status == "no_reference"  # nothing to reveal, even if opened


def test_the_items_registry_learns_a_course_without_losing_the_kit(tmp_path, monkeypatch):
    folder = article_dir(tmp_path)
    plan = _plan(folder)
    saved = tmp_path / "assignment"
    saved.mkdir()
    (saved / items.ITEMS_FILE).write_text(items.items_json(plan.items), encoding="utf-8")
    assert "fixed_key" not in (saved / items.ITEMS_FILE).read_text(encoding="utf-8")
    for it in plan.items:
        items.COURSE_ITEMS.pop(it.id, None)
    with pytest.raises(MedialitError, match="no graded item"):
        items.item(f"{NAME}_roles")
    monkeypatch.chdir(saved)  # where a student's notebook runs
    roles = items.item(f"{NAME}_roles")
    assert roles.keyless and roles.units == plan.item("roles").units
    assert items.item("a1_roles") is items.ITEMS["a1_roles"]
    assert items.course_item(f"{NAME}_genre").fixed_key == ()  # no key on the student's side
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / items.ITEMS_FILE).write_text('{"format": "medialit-items", "items": [{"id": 1}]}')
    with pytest.raises(MedialitError, match="not a readable list"):
        items.register_items(bad)


def test_course_mode_closes_a_courses_own_checks(tmp_path, monkeypatch):
    path = course_mode.write_config(
        tmp_path, ["a1_claims", NAME], checks={NAME: [["P4.S2", "evidence"]]}
    )
    assert course_mode.read_config(path) == {"a1_claims", NAME}
    monkeypatch.setenv(course_mode.ENV_VAR, str(path))
    assert ("P4.S2", "evidence") in course_mode.locked_checks()
    course_mode.write_config(path, ["a1_claims"])  # opened after feedback; checks kept
    assert ("P4.S2", "evidence") not in course_mode.locked_checks()
    assert NAME in course_mode.own_checks(path)
    with pytest.raises(MedialitError, match="unknown assignment"):
        path.write_text(json.dumps({"format": "medialit-course", "locked": ["nope"]}))
        course_mode.read_config(path)


def _bare_course(root: Path) -> Path:
    root.mkdir()
    config = CONFIG_TEMPLATE.format(course_id="t", db_url="sqlite:///x.db", timeout=30)
    (root / "nbgrader_config.py").write_text(config, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    "spoil, message",
    [
        (lambda f: (f / "reference.csv").unlink(), "has no reference.csv"),
        (lambda f: (f / "article.txt").unlink(), "Article file not found"),
        (lambda f: (f / "article.json").write_text("{oops"), "not readable JSON"),
        (
            lambda f: (f / "reference.csv").write_text(
                "\n".join((f / "reference.csv").read_text(encoding="utf-8").splitlines()[:-1])
            ),
            "no row for unit",
        ),
    ],
)
def test_bad_input_is_one_sentence_and_writes_nothing(tmp_path, spoil, message):
    course = _bare_course(tmp_path / "course")
    folder = article_dir(tmp_path / "in")
    spoil(folder)
    before = sorted(p.relative_to(course) for p in course.rglob("*"))
    with pytest.raises(MedialitError, match=message) as caught:
        add_article(course, folder, progress=lambda m: None)
    assert "\n" not in str(caught.value)
    assert sorted(p.relative_to(course) for p in course.rglob("*")) == before


def test_a_bad_name_or_a_taken_one_is_refused(tmp_path):
    course = _bare_course(tmp_path / "course")
    folder = article_dir(tmp_path / "in")
    with pytest.raises(MedialitError, match="cannot name an assignment"):
        add_article(course, folder, name="My Article", progress=lambda m: None)
    with pytest.raises(MedialitError, match="already has an assignment"):
        add_article(course, folder, name="a1_claims", progress=lambda m: None)


# -- slow: the whole round trip ---------------------------------------------------------------
def _answers(tmp: Path, model: dict, **change) -> bytes:
    kwargs = copy.deepcopy(model)
    for key, value in change.items():
        kwargs[key] = value
    return fill_answers(NAME, folder=tmp / "answers", **kwargs).read_bytes()


def _submit(course: Path, student: str, nb, answers: bytes | None) -> None:
    folder = course / "submitted" / student / NAME
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"{NAME}.ipynb")
    if answers is not None:
        (folder / "answers").mkdir()
        (folder / "answers" / f"{NAME}.json").write_bytes(answers)


def _expected(plan, responses: dict, tags: dict) -> float:
    """What the reference says a set of answers earns (every single-label layer here)."""
    total = 0.0
    for it in plan.items:
        key = plan.keys[it.id]
        if it.kind in ("choice", "thesis"):
            total += it.points * (responses.get(it.response) in key)
        else:
            right = 0.0
            for unit, labels in key.items():
                if isinstance(labels, dict):  # evidence where the expert also accepts a role
                    labels = labels["labels"]  # these students all read it as evidence
                given = tags.get(unit, {}).get(it.layer, [])
                given = [] if given == ["none"] else given
                if it.layer == "devices":
                    both = len(set(given) & set(labels))
                    union = len(set(given) | set(labels))
                    right += 1.0 if union == 0 else both / union
                else:
                    right += sorted(given) == sorted(labels)
            total += round(it.points * right / len(key), 2)
    return round(total, 2)


@pytest.fixture(scope="module")
def added(tmp_path_factory):
    from medialit import course as c

    base = tmp_path_factory.mktemp("own")
    course = c.init_course(base / "course", assignments=["a1_claims"], progress=lambda m: None)
    added = add_article(course.root, article_dir(base / "in"), progress=lambda m: None)
    plan = added.plan
    release = nbformat.read(course.root / "release" / NAME / f"{NAME}.ipynb", as_version=4)
    work = base / "work"
    perfect = _answers(work / "p", plan.model)
    # partly right: the wrong genre, the first graded role changed, the rest as the expert
    tags = copy.deepcopy(plan.model["tags"])
    first = plan.item("roles").units[0]
    tags[first]["role"] = ["context"]
    partly_responses = {**plan.model["responses"], "genre": "news"}
    partly = _answers(work / "q", plan.model, tags=tags, responses=partly_responses)
    forged = copy.deepcopy(release)
    for cell in forged.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade_id") == f"{NAME}_start":
            cell.source = (
                "import medialit.grading as g\n"
                "g.check_item = g.score_item = lambda *a, **k: 99.0\n"
                f"score_item('{NAME}_roles', key={{}})\n"
            )
        elif meta.get("grade"):
            cell.source = f"score_item('{NAME}_roles', key={{'P1.S1': ['context']}})"
    _submit(course.root, "perfect", release, perfect)
    _submit(course.root, "blank", release, None)
    _submit(course.root, "partly", release, partly)
    _submit(course.root, "forger", forged, partly)
    expected = {
        "perfect": _expected(plan, plan.model["responses"], plan.model["tags"]),
        "blank": 0.0,
        "partly": _expected(plan, partly_responses, tags),
    }
    expected["forger"] = expected["partly"]
    return course, added, expected


@pytest.mark.slow
def test_medialit_grade_scores_every_fixture_student_from_the_reference(added, capsys):
    from medialit import course as c
    from medialit.cli import main

    course, done, expected = added
    assert main(["grade", str(course.root), NAME]) == 0
    scores = c.per_question(course)
    scores = scores[scores["assignment"] == NAME]
    got = scores.groupby("student")["score"].sum().round(2).to_dict()
    assert got == expected
    assert expected["perfect"] == done.points
    assert 0 < expected["partly"] < expected["perfect"]
    assert "forger" in capsys.readouterr().out


@pytest.mark.slow
def test_no_graded_answer_reaches_a_student(added):
    course, done, _ = added
    plan = done.plan
    files = student_files(course, NAME)
    assert (course.root / "release" / NAME / items.ITEMS_FILE).is_file()
    assert not list((course.root / "release" / NAME).rglob("reference*.csv"))
    from medialit.course.add_article import leak_strings

    assert find_leaks(files, leak_strings(course, plan)) == []
    lesson_csv = course.root / "release" / f"{NAME}_lessons" / NAME / LESSON_REFERENCE
    text = lesson_csv.read_text(encoding="utf-8")
    for unit, layer in plan.withheld:
        assert f"\n{unit},{layer}," not in text
    # the key is in the instructor's source only, which only the instructor can read
    source = course.root / "source" / NAME / f"{NAME}.ipynb"
    assert "### BEGIN HIDDEN TESTS" in source.read_text(encoding="utf-8")
    assert oct(source.stat().st_mode & 0o777) == "0o600"
    assert oct(source.parent.stat().st_mode & 0o777) == "0o700"


@pytest.mark.slow
def test_a_key_planted_in_the_release_is_found(added, tmp_path):
    course, done, _ = added
    plan = done.plan
    unit = plan.item("roles").units[0]
    planted = course.root / "release" / f"{NAME}_lessons" / "notes.csv"
    row = next(
        line
        for line in (KIT / "data" / "reference_practice.csv").read_text().splitlines()
        if line.startswith(f"{unit},role,")
    )
    planted.write_text(row + "\n", encoding="utf-8")
    try:
        with pytest.raises(MedialitError, match="would give a graded answer away"):
            check_leaks(course, plan)
    finally:
        planted.unlink()
    key_line = json.dumps({unit: plan.keys[plan.item("roles").id][unit]})[1:-1]
    planted = course.root / "release" / NAME / "extra.txt"
    planted.write_text(key_line, encoding="utf-8")
    try:
        with pytest.raises(MedialitError, match="would give a graded answer away"):
            check_leaks(course, plan)
    finally:
        planted.unlink()
    check_leaks(course, plan)


@pytest.mark.slow
def test_in_the_students_folders_checks_stay_closed(added, monkeypatch, capsys):
    from medialit.grading import check_item

    course, done, _ = added
    plan = done.plan
    monkeypatch.setenv(course_mode.ENV_VAR, str(course.root / course_mode.CONFIG_NAME))
    # the assignment: the self-check says what is unanswered and gives no score
    monkeypatch.chdir(course.root / "release" / NAME)
    assert check_item(f"{NAME}_roles") is None
    out = capsys.readouterr()
    assert "Score" not in out.out and "after your instructor releases feedback" in out.out
    # the lessons: a graded unit's check is closed, a practice anchor's is open
    lessons = course.root / "release" / f"{NAME}_lessons"
    monkeypatch.chdir(lessons)
    ref = lesson_reference(NAME)
    graded = plan.item("roles").units[0]
    practice = next(
        e.unit
        for e in load_reference("practice").anchors("role")
        if (e.unit, "role") not in plan.withheld
    )
    fill_answers(
        f"{NAME}_lessons",
        tags={graded: {"role": ["claim"]}, practice: {"role": ["context"]}},
        folder=lessons / "answers",
        article=NAME,
    )
    report = check(f"{NAME}_lessons", ["role"], reference=ref, units=[graded, practice])
    assert report.results[0].status == "locked"
    assert report.results[1].status in ("match", "different", "accepted")
    shutil.rmtree(lessons / "answers")


@pytest.mark.slow
def test_the_released_lessons_run_and_show_only_the_practice_readings(added, tmp_path):
    from nbclient import NotebookClient

    course, done, _ = added
    plan = done.plan
    lessons = tmp_path / "lessons"
    shutil.copytree(course.root / "release" / f"{NAME}_lessons", lessons)
    practice = [e for e in load_reference("practice").anchors("role")]
    tags = {e.unit: {"role": ["context"]} for e in practice}  # right or wrong, all compared
    fill_answers(f"{NAME}_lessons", tags=tags, folder=lessons / "answers", article=NAME)
    env = {course_mode.ENV_VAR: str(course.root / course_mode.CONFIG_NAME)}
    for stem in ("01_anatomy", "06_agreement"):
        nb = nbformat.read(lessons / f"{NAME}_{stem}.ipynb", as_version=4)
        assert all(len(c.source.splitlines()) == 1 for c in nb.cells if c.cell_type == "code")
        old = dict(os.environ)
        os.environ.update(env)
        try:
            NotebookClient(nb, timeout=120, resources={"metadata": {"path": lessons}}).execute()
        finally:
            os.environ.clear()
            os.environ.update(old)
        shown = json.dumps([c.get("outputs", []) for c in nb.cells])
        assert "Error" not in shown
    # lesson 06 names the practice sentences it compares, never a graded one
    graded_roles = {u for u, layer in plan.withheld if layer == "role"}
    assert any(e.unit in shown for e in practice if e.unit not in graded_roles)
    assert not [u for u in graded_roles if f"<td>{u}</td>" in shown]


def test_the_command_says_one_line_and_exits_2_on_bad_input(tmp_path, capsys):
    from medialit.cli import main

    course = _bare_course(tmp_path / "course")
    folder = article_dir(tmp_path / "in")
    (folder / "reference.csv").unlink()
    assert main(["course", "add-article", str(course), str(folder)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "has no reference.csv" in err


def test_the_thesis_key_is_the_sentence_the_expert_reads_as_the_thesis():
    """When no thesis sentence is an anchor, is the key the sentence whose label is thesis,
    not an earlier claim that merely also accepts thesis?"""
    from types import SimpleNamespace

    from medialit.course.article_plan import _thesis_options

    def role(label, accepted, anchor=False):
        return SimpleNamespace(label=(label,), accepted=tuple(accepted), anchor=anchor)

    roles = {
        "P1.S1": role("claim", ["claim", "thesis"]),  # also accepts thesis: not the key
        "P2.S1": role("claim", ["claim"], anchor=True),
        "P3.S1": role("claim", ["claim"], anchor=True),
        "P4.S1": role("thesis", ["thesis", "claim"]),  # the expert's own thesis
    }
    article = SimpleNamespace(ids=["P0.S1", *roles])
    ref = SimpleNamespace(entry=lambda unit, layer: roles[unit])
    options, key = _thesis_options(article, ref)
    assert key == ["P4.S1"] and "P4.S1" in options and "P1.S1" not in options


def test_one_tagger_and_the_source_line_in_the_assignment(tmp_path):
    """Does the assignment have one tagger for every graded layer (two on one answers file
    retire each other), say where the piece appeared at the genre question, and tell the
    instructor what it does not ask and why?"""
    folder = article_dir(tmp_path / "in")
    plan = plan_article(NAME, load_article(folder), load_reference(folder), METADATA)
    assert len(plan.taggers) == 1
    layers = plan.taggers[0][0]
    assert {it.layer for it in plan.items if it.kind == "tags"} <= set(layers)
    assert plan.where.startswith("It appeared in") or "not known" in plan.where
    meta = {"section": {"value": "sports", "from": "given"}}
    other = plan_article(NAME, load_article(folder), load_reference(folder), meta)
    assert any(line.startswith("genre: the article's section") for line in other.not_asked)
    assert "Where it appeared is not known" in other.where


def test_the_assignment_tagger_says_why_it_has_nothing_to_check(tmp_path, monkeypatch):
    """In the assignment's copy (no reference at all), does Check say that the instructor's
    grader scores the tags, instead of 'no expert reading' on every sentence?"""
    from medialit.lessons.own_article import tag

    folder = tmp_path / NAME
    folder.mkdir()
    shutil.copyfile(article_dir(tmp_path / "in") / "article.txt", folder / "article.txt")
    monkeypatch.chdir(tmp_path)
    tagger = tag(NAME, ["role"], article=str(folder))
    tagger.handle({"type": "check"})
    assert "instructor's grader scores these tags" in tagger.check_html
    assert "P1.S1" not in tagger.check_html  # no line per sentence


@pytest.mark.slow
def test_replace_rebuilds_with_a_corrected_key_until_work_is_handed_in(tmp_path):
    """Does --replace rebuild an article added before from its corrected reference (the new
    key in the hidden tests, the old one gone), and refuse once a student has handed it in?"""
    from medialit import course as c
    from medialit.answer_keys import hidden_keys

    course = c.init_course(tmp_path / "course", assignments=["a1_claims"], progress=lambda m: None)
    folder = article_dir(tmp_path / "in")
    first = add_article(course.root, folder, progress=lambda m: None)
    with pytest.raises(MedialitError, match="--replace"):
        add_article(course.root, folder, progress=lambda m: None)

    def own_keys() -> dict:
        return {k: v for k, v in hidden_keys(course.root / "source").items() if k.startswith(NAME)}

    assert own_keys() == first.plan.keys
    (folder / "reference.csv").write_text(
        (folder / "reference.csv")
        .read_text(encoding="utf-8")
        .replace("P1.S1,statement,fact,fact,", "P1.S1,statement,value,value,"),
        encoding="utf-8",
    )
    again = add_article(course.root, folder, progress=lambda m: None, replace=True)
    keys = own_keys()
    assert first.plan.keys[f"{NAME}_statements"]["P1.S1"] == ["fact"]
    assert keys[f"{NAME}_statements"]["P1.S1"] == ["value"]  # the corrected key, not the old
    assert keys == again.plan.keys
    assert not (course.root / ".medialit" / f"replaced-{NAME}").exists()
    (course.root / "submitted" / "alice" / NAME).mkdir(parents=True)
    with pytest.raises(MedialitError, match="have handed in"):
        add_article(course.root, folder, progress=lambda m: None, replace=True)
    assert (course.root / "source" / NAME / f"{NAME}.ipynb").is_file()  # left as it was
