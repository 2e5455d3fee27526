"""The graded items: keys agree with the reference, and the self-check is the autograder."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import nbformat
import pytest

from medialit import course_mode, grading
from medialit.answers import open_answers, read_answers
from medialit.course import settings
from medialit.grading import ITEMS, check_item, public_key, score_item

SOLUTIONS = Path(__file__).resolve().parent.parent / "solutions"
EXERCISES = Path(__file__).resolve().parent.parent / "exercises"
AUTO = [it.id for it in ITEMS.values() if it.kind != "manual"]


@pytest.fixture(autouse=True)
def _no_course(monkeypatch, tmp_path):
    """Each test runs in an empty folder with no course settings (everything open)."""
    monkeypatch.delenv(course_mode.ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)


def _cells(folder: Path, assignment: str) -> dict[str, nbformat.NotebookNode]:
    nb = nbformat.read(folder / assignment / f"{assignment}.ipynb", as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells}


# -- fixtures: answers files named after what they stand for -----------------------------------
def _write_model(folder: Path, assignment: str) -> None:
    grading.fill_answers(assignment, folder=folder, **grading.model_answers(assignment))


def _partly_right(folder: Path, assignment: str) -> None:
    """Model answers with the first graded unit / claim / choice of every item made wrong."""
    _write_model(folder, assignment)
    answers = open_answers(assignment, folder=folder)
    for it in grading.assignment_items(assignment):
        if it.kind == "tags":
            unit = next(iter(public_key(it.id)))
            wrong = {
                "role": ["context"],
                "statement": ["prediction"],
                "evidence": ["statistic"],
                "devices": ["hedge", "figurative"],
                "frame": ["cause"],
            }[it.layer]
            if it.layer == "evidence":
                answers.sheet.set_tags(unit, "role", ["evidence"])
            if it.layer == "devices" and "hedge" in public_key(it.id)[unit]:
                wrong = ["vague_source"]
            answers.sheet.set_tags(unit, it.layer, wrong)
        elif it.kind == "verdicts":
            claim = next(iter(public_key(it.id)))
            answers.sheet.set_verdict(claim, "not_supported", "a guess")
        elif it.kind in ("choice", "thesis", "agreement"):
            values = [v for _, v in grading._options(it)]
            answers.sheet.set_response(
                it.response, next(v for v in values if v not in public_key(it.id))
            )
    answers.save()


def _blank(folder: Path, assignment: str) -> None:
    open_answers(assignment, folder=folder).save()  # a file with no answers in it


def _never_used(folder: Path, assignment: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)  # no answers file at all


def _corrupt(folder: Path, assignment: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{assignment}.json").write_text('{"format": "medialit-answers", "vers', "utf-8")


FIXTURES = {
    "all-correct": _write_model,
    "partly-right": _partly_right,
    "blank": _blank,
    "tagger-never-used": _never_used,
    "answers-file-corrupt": _corrupt,
}


def test_hidden_keys_equal_the_reference():
    """Does every hidden-test key literal equal what the kit's public reference accepts?"""
    keys = grading.hidden_keys(SOLUTIONS)
    assert sorted(keys) == sorted(AUTO)
    for item_id, key in keys.items():
        assert key == public_key(item_id), f"{item_id}: rebuild with tools/release.py --sources"


def test_tag_keys_use_only_anchor_units():
    """Are tag items graded strictly only where the reference accepts exactly one answer?"""
    from medialit.reference import load_reference

    ref = load_reference()
    for it in ITEMS.values():
        if it.kind == "tags" and it.article == "seed":
            for unit in public_key(it.id):
                assert unit in it.units and ref.entry(unit, it.layer).anchor


@pytest.mark.parametrize("assignment", grading.ASSIGNMENTS)
def test_every_item_has_its_cell_with_its_points(assignment):
    """Does each item have a graded cell with the item's points, in source and release?"""
    for folder in (SOLUTIONS, EXERCISES):
        cells = _cells(folder, assignment)
        for it in grading.assignment_items(assignment):
            cell = cells[it.id if it.kind == "manual" else f"{it.id}_test"]
            assert cell.metadata["nbgrader"]["grade"] is True
            assert cell.metadata["nbgrader"]["points"] == it.points
            if it.kind == "manual":
                assert cell.cell_type == "markdown" and cell.metadata["nbgrader"]["solution"]
                task = cells[f"{it.id}_task"].source
                assert all(level in task for level in ("beginning", "developing", "proficient"))


@pytest.mark.parametrize("fixture", FIXTURES)
@pytest.mark.parametrize("item_id", AUTO)
def test_self_check_is_the_autograder(item_id, fixture, tmp_path, capsys):
    """For every fixture: does the release's check cell print and score what the source's
    public part prints, and does the hidden part score what score_item scores?"""
    it = ITEMS[item_id]
    FIXTURES[fixture](tmp_path / "answers", it.assignment)
    key = grading.hidden_keys(SOLUTIONS)[item_id]

    hidden = score_item(item_id, key=key)
    hidden_out = capsys.readouterr()
    checked = check_item(item_id)
    check_out = capsys.readouterr()
    assert hidden_out.err == check_out.err == ""
    assert checked == hidden
    *message, score_line = hidden_out.out.splitlines()
    assert score_line.startswith("Score: ")
    # the same message, then the expert's reasons; the score line is the check's result
    assert check_out.out.startswith("".join(f"{line}\n" for line in message))
    assert score_line not in check_out.out and checked.sentence == score_line

    release_src = _cells(EXERCISES, it.assignment)[f"{item_id}_test"].source
    out, value = grading.run_cell_source(release_src)
    assert (out, value) == (check_out.out, checked)
    source_src = _cells(SOLUTIONS, it.assignment)[f"{item_id}_test"].source
    out, value = grading.run_cell_source(source_src)
    assert value == hidden and out == check_out.out + hidden_out.out


@pytest.mark.parametrize("item_id", AUTO)
def test_exact_scores(item_id, tmp_path):
    """Full marks for the model answers, 0 for no answers, in between for partly right."""
    it = ITEMS[item_id]
    key = public_key(item_id)
    scores = {}
    for name, make in FIXTURES.items():
        folder = tmp_path / name / "answers"
        make(folder, it.assignment)
        scores[name] = score_item(item_id, key=key, folder=folder)
    assert scores["all-correct"] == it.points
    assert scores["blank"] == scores["tagger-never-used"] == scores["answers-file-corrupt"] == 0
    n = len(key)
    if it.kind in ("choice", "thesis", "agreement"):
        assert scores["partly-right"] == 0
    elif it.layer == "devices":
        assert 0 < scores["partly-right"] < it.points
    else:
        assert scores["partly-right"] == round(it.points * (n - 1) / n, 2)


def test_messages_explain_without_naming_the_key(tmp_path, capsys):
    """Does the graded message name the sentences to reread but no accepted label?"""
    _partly_right(tmp_path / "answers", "a1_claims")
    key = public_key("a1_roles")
    score_item("a1_roles", key=key)
    out = capsys.readouterr().out
    wrong = next(iter(key))
    assert f"Look again at: {wrong}." in out and "Score: " in out.splitlines()[-1]
    for pair in grading._key_strings(key):
        assert pair not in out
    check_item("a1_roles")
    assert "The expert's reasoning:" in capsys.readouterr().out


def test_never_used_and_corrupt_say_what_to_do(tmp_path, capsys):
    assert check_item("a1_roles") == 0
    out = capsys.readouterr().out
    assert "No saved answers (answers/a1_claims.json is not there)" in out
    assert "Answer with the tagger" in out
    _corrupt(tmp_path / "answers", "a1_claims")
    assert check_item("a1_roles") == 0
    out = capsys.readouterr().out
    assert "answers/a1_claims.json is not valid JSON" in out
    assert "run the assignment's first code cell: it keeps the broken file aside" in out


def test_scoring_is_warning_free(tmp_path):
    """A warning would land on stderr and cost points: the kit's own code raises none."""
    _partly_right(tmp_path / "answers", "a3_language")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for it in grading.assignment_items("a3_language"):
            if it.kind != "manual":
                check_item(it.id)


def test_ignore_pattern_drops_warnings_only():
    import re

    stderr = "/x/y.py:3: FutureWarning: Series.__getitem__ treating keys as positions\n"
    assert re.search(settings.WARNING_PATTERN, stderr)
    assert not re.search(settings.WARNING_PATTERN, "Traceback: NameError: name 'x'")


def test_choice_widget_saves_at_once(tmp_path):
    """Is a click on a choice saved to the answers file, and shown again on a new widget?"""
    box = grading.choose("a1_genre")
    buttons = box.children[0]
    buttons.set_state({"index": 1})
    saved = json.loads((tmp_path / "answers" / "a1_claims.json").read_text("utf-8"))
    assert saved["responses"]["genre"] == buttons.options[1][1]
    assert grading.choose("a1_genre").children[0].index == 1


def test_verdict_widget_saves_verdict_and_reason(tmp_path):
    box = grading.choose_verdict("a2_verdicts")
    first = box.children[0]
    buttons, reason = first.children[1], first.children[2]
    reason.value = "the dossier row"
    assert "Choose a verdict first" in first.children[3].value
    buttons.set_state({"index": 0})
    claim = ITEMS["a2_verdicts"].units[0]
    saved = json.loads((tmp_path / "answers" / "a2_evidence.json").read_text("utf-8"))
    assert saved["verdicts"][claim] == {"verdict": "supported", "reason": "the dossier row"}


# -- course mode -----------------------------------------------------------------------------
def test_without_settings_everything_is_open():
    assert course_mode.locked_checks() == frozenset()
    assert course_mode.locked_items() == frozenset()


def test_course_mode_closes_graded_checks_and_reopens(tmp_path, capsys):
    """Locked: no score, no expert reasoning; one command reopens."""
    course_mode.write_config(tmp_path, ["a1_claims"])
    _partly_right(tmp_path / "answers", "a1_claims")
    assert ("P8.S1", "role") in course_mode.locked_checks()
    assert ("genre", "response") in course_mode.locked_checks()
    assert course_mode.locked_items() == {it.id for it in grading.assignment_items("a1_claims")}
    assert check_item("a1_roles") is None  # no score, so nbgrader's Validate shows none
    out, err = capsys.readouterr()
    assert "opens after your instructor releases feedback" in out
    assert "expert's reasoning" not in out and "Look again" not in out
    assert "Score" not in out
    assert err == ""  # every sentence has an answer (some wrong): nothing is missing
    for pair in grading._key_strings(public_key("a1_roles")):
        assert pair not in out

    assert course_mode.main(["open", "a1_claims"]) == 0
    assert course_mode.locked_checks() == frozenset()
    capsys.readouterr()
    assert check_item("a1_roles") > 0


def test_a_sentence_check_closes_only_on_the_article_it_is_graded_on(tmp_path):
    """With the kit's a1 and a course's own article 'own' both locked, does P1.S1's role close
    on the seed only where a1 grades it, and on 'own' only where 'own' grades it?"""
    own = {("P4.S2", "devices"), ("P0.S1", "role")}
    course_mode.write_config(tmp_path, ["a1_claims", "own"], checks={"own": own})
    seed, theirs = course_mode.locked_checks("seed"), course_mode.locked_checks("own")
    assert ("P8.S1", "role") in seed and ("P4.S2", "devices") not in seed
    assert own <= theirs and ("P8.S1", "role") not in theirs
    assert ("genre", "response") in seed and ("genre", "response") in theirs  # not a sentence
    assert course_mode.is_locked("P4.S2", "devices", article="own")
    assert not course_mode.is_locked("P4.S2", "devices", article="seed")


def test_settings_are_found_above_and_through_the_environment(tmp_path, monkeypatch):
    course_mode.write_config(tmp_path, ["a2_evidence"])
    deep = tmp_path / "autograded" / "ada" / "a2_evidence"
    deep.mkdir(parents=True)
    assert course_mode.current(deep).locked == {"a2_evidence"}
    elsewhere = tmp_path / "hub.json"
    course_mode.write_config(elsewhere, ["a3_language"])
    monkeypatch.setenv(course_mode.ENV_VAR, str(elsewhere))
    assert course_mode.locked_assignments() == {"a3_language"}


def test_unreadable_settings_close_everything(tmp_path, capsys):
    (tmp_path / course_mode.CONFIG_NAME).write_text("{not json", "utf-8")
    config = course_mode.current()
    assert config.locked == set(grading.ASSIGNMENTS) and "cannot be read" in config.problem
    assert check_item("a4_agreement") is None
    out, err = capsys.readouterr()
    assert "could not be read" in out and "Not finished: " in err


def test_course_mode_says_an_answered_item_is_finished(tmp_path, capsys):
    """Every part answered: the closed check prints no score and nothing on stderr, so
    nbgrader's Validate passes the cell; one part blank: it names the part."""
    course_mode.write_config(tmp_path, ["a1_claims"])
    answers = open_answers("a1_claims", folder=tmp_path / "answers")
    answers.set_response("genre", "news")  # a wrong answer is still an answer
    assert check_item("a1_genre") is None
    out, err = capsys.readouterr()
    assert "every part is answered and saved" in out and err == ""
    assert check_item("a1_thesis") is None
    assert capsys.readouterr().err == "Not finished: The thesis: no option is chosen yet\n"
    answers.set_tags("P0.S1", "role", ["claim"])
    assert check_item("a1_roles") is None
    err = capsys.readouterr().err
    # what is missing names sentences (Validate lists it), never a label
    assert err.startswith("Not finished: Sentence roles: 11 sentences without an answer: P1.S1,")
    assert "P0.S1" not in err and "and 3 more" in err


def test_course_mode_command_errors_are_one_line(tmp_path, capsys):
    assert course_mode.main(["status"]) == 2
    assert "No course settings here" in capsys.readouterr().err
    assert course_mode.main(["init"]) == 0
    assert course_mode.main(["lock", "a9_nothing"]) == 2
    assert "Unknown assignment" in capsys.readouterr().err
    assert course_mode.main(["init"]) == 2
    assert course_mode.main(["open", "all"]) == 0
    assert course_mode.locked_assignments() == frozenset()


def test_grading_import_does_not_load_pandas():
    """Does the notebooks' import cell stay light (pandas only loads for a table)?"""
    import subprocess
    import sys

    code = (
        "import sys\nfrom medialit.grading import *\n"
        "from medialit.answers import AnswerSheet\nfrom medialit.scheme import default_scheme\n"
        "assert 'pandas' not in sys.modules, 'pandas was imported'\n"
        "frame = AnswerSheet(exercise='x', student='s').to_frame()\n"
        "assert list(frame.columns)[:2] == ['student', 'exercise']\n"
        "assert len(default_scheme().to_frame()) > 0\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_unanswered_choice_gets_no_expert_reasoning(tmp_path, capsys):
    """Does the self-check keep the expert's reasoning back until a choice is made?"""
    explain = ITEMS["a1_genre"].explain
    _blank(tmp_path / "answers", "a1_claims")
    assert check_item("a1_genre") == 0
    out = capsys.readouterr().out
    assert "not answered yet" in out
    assert explain not in out and "expert's reasoning" not in out
    answers = open_answers("a1_claims", folder=tmp_path / "answers")
    answers.set_response("genre", "news")
    assert check_item("a1_genre") == 0
    out = capsys.readouterr().out
    assert "The expert's reasoning:" in out and explain in out


def _on_disk(folder: Path, assignment: str) -> dict:
    return json.loads((folder / f"{assignment}.json").read_text("utf-8"))


def test_choice_then_tagger_click_keeps_both(tmp_path):
    """Genre chosen after the tagger cell ran, then one tagger click: are both on disk?"""
    from medialit.tagger import tag

    tagger = tag("a1_claims", layers=["role"], folder="answers")
    grading.choose("a1_genre").children[0].value = "opinion"
    tagger.model.choose("P2.S1", "role", "claim")
    saved = _on_disk(tmp_path / "answers", "a1_claims")
    assert saved["responses"] == {"genre": "opinion"}
    assert saved["tags"] == {"P2.S1": {"role": ["claim"]}}


def test_tagger_click_then_choice_and_verdict_keep_both(tmp_path):
    """A tagger click, then a choice and a verdict: are the tags still on disk?"""
    from medialit.tagger import tag

    tagger = tag("a2_evidence", layers=["role", "evidence"], folder="answers")
    box = grading.choose_verdict("a2_verdicts")
    tagger.model.choose("P3.S1", "role", "evidence")
    box.children[0].children[1].value = "supported"
    tagger.model.choose("P3.S1", "evidence", "example")
    saved = _on_disk(tmp_path / "answers", "a2_evidence")
    claim = ITEMS["a2_verdicts"].units[0]
    assert saved["verdicts"] == {claim: {"verdict": "supported", "reason": ""}}
    assert saved["tags"] == {"P3.S1": {"role": ["evidence"], "evidence": ["example"]}}

    tag("a1_claims", layers=["role"], folder="answers").model.choose("P0.S1", "role", "thesis")
    grading.choose("a1_thesis").children[0].value = "P12.S2"
    saved = _on_disk(tmp_path / "answers", "a1_claims")
    assert saved["tags"] == {"P0.S1": {"role": ["thesis"]}}
    assert saved["responses"] == {"thesis": "P12.S2"}


def test_choice_first_then_practice_tagger_saves_the_practice_article(tmp_path):
    """a4: the agreement choice is saved before the tagger of the practice op-ed opens;
    does the file then say its tags are of the practice article?"""
    from medialit.tagger import tag

    grading.choose("a4_agreement").children[0].value = "70%"
    tagger = tag("a4_capstone", layers=["role"], article="practice", folder="answers")
    tagger.model.choose("P0.S1", "role", "thesis")
    saved = _on_disk(tmp_path / "answers", "a4_capstone")
    assert saved["article"] == "practice" and saved["responses"] == {"agreement": "70%"}


def test_shared_answers_are_reread_when_changed_elsewhere(tmp_path):
    """If another kernel (or a script) rewrites or removes the file, do widgets opened
    afterwards build on what is on disk rather than on a stale copy?"""
    from medialit.answers import live_answers

    live = live_answers("a1_claims", folder="answers")
    live.set_response("genre", "news")
    other = open_answers("a1_claims", folder="answers")  # another kernel
    other.set_response("thesis", "P12.S2")
    grading.choose("a1_genre").children[0].value = "opinion"
    saved = _on_disk(tmp_path / "answers", "a1_claims")
    assert saved["responses"] == {"genre": "opinion", "thesis": "P12.S2"}
    (tmp_path / "answers" / "a1_claims.json").unlink()  # the student starts over
    assert live_answers("a1_claims", folder="answers").sheet.responses == {}


def _answers_to_try(layer: str) -> list[list[str]]:
    """Every answer a student can give one unit in a layer (devices: up to two labels)."""
    from itertools import combinations

    from medialit.scheme import default_scheme

    names = default_scheme().layer(layer).label_names
    if layer == "devices":
        return [["none"]] + [list(c) for n in (1, 2) for c in combinations(names, n)]
    return [[name] for name in names] + ([["none"]] if layer == "frame" else [])


@pytest.mark.parametrize(
    "item_id", [i for i in AUTO if ITEMS[i].kind == "tags" and ITEMS[i].article == "seed"]
)
def test_graded_units_get_the_check_buttons_credit(item_id, tmp_path):
    """For every graded unit and every answer, does the autograder's credit equal what the
    Check button (check.check against the full reference) gives that unit?"""
    from medialit.check import check
    from medialit.reference import load_reference

    it = ITEMS[item_id]
    key, ref = public_key(item_id), load_reference(it.article)
    tries = [{u: {it.layer: answer} for u in key} for answer in _answers_to_try(it.layer)]
    if it.layer == "evidence":  # a type under the role evidence, or another role and no type
        tries = [
            {u: {"role": ["evidence"], "evidence": a} for u in key}
            for a in _answers_to_try("evidence")
        ]
        tries += [{u: {"role": [role]} for u in key} for role in ("claim", "context", "thesis")]
    for n, tags in enumerate(tries):
        folder = tmp_path / str(n)
        grading.fill_answers(it.assignment, tags=tags, folder=folder)
        sheet = read_answers(folder / f"{it.assignment}.json")
        graded = grading.unit_credits(it, sheet, key)
        shown = check(sheet, [it.layer], reference=ref, units=list(key), locked=frozenset())
        assert graded == {r.unit: r.credit for r in shown.results}, (tags, graded)


def test_no_evidence_type_is_right_under_another_accepted_role(tmp_path):
    """Does a2 grade the sentences the expert reads as evidence or claim, giving credit for
    no evidence type under the role claim and for the right type under evidence, and none
    under a role the expert does not accept?"""
    key = public_key("a2_evidence_types")
    assert {"P8.S1", "P9.S1", "P9.S2"} <= set(key)
    it = ITEMS["a2_evidence_types"]
    cases = {
        "claim, no type": ({"role": ["claim"]}, 1.0),
        "context, no type": ({"role": ["context"]}, 0.0),
        "evidence, expert's type": ({"role": ["evidence"], "evidence": ["example"]}, 1.0),
        "evidence, another type": ({"role": ["evidence"], "evidence": ["statistic"]}, 0.0),
    }
    for n, (name, (tags, credit)) in enumerate(cases.items()):
        folder = tmp_path / str(n)
        grading.fill_answers("a2_evidence", tags={"P8.S1": tags}, folder=folder)
        sheet = read_answers(folder / "a2_evidence.json")
        assert grading.unit_credits(it, sheet, key)["P8.S1"] == credit, name


def test_autograde_scores_through_the_check_judgement(tmp_path, monkeypatch):
    """Is a tags item scored by check.judge (one code path), not by a second formula?"""
    import medialit.check as check_module

    judged: list[tuple[str, str]] = []
    real = check_module.judge

    def spy(entry, layer, labels, none_ok=False):
        judged.append((entry.unit, layer))
        return real(entry, layer, labels, none_ok)

    monkeypatch.setattr(check_module, "judge", spy)
    _write_model(tmp_path / "answers", "a3_language")
    key = public_key("a3_devices")
    assert score_item("a3_devices", key=key) == ITEMS["a3_devices"].points
    assert judged == [(unit, "devices") for unit in key]


def test_self_check_shows_the_score_once_and_nbgrader_reads_it(tmp_path, capsys):
    """Does the check print the grader's message without its score line, and show the score
    as the cell's result: one sentence in JupyterLab, the bare number for nbgrader?"""
    from nbgrader.utils import determine_grade

    _partly_right(tmp_path / "answers", "a1_claims")
    value = check_item("a1_roles")
    printed = capsys.readouterr().out
    assert "Score:" not in printed and "Look again at:" in printed
    bundle = value._repr_mimebundle_()
    assert bundle["text/plain"] == repr(float(value)) and float(bundle["text/plain"]) < 3
    assert bundle["text/html"] == f"<b>{value.sentence}</b>"
    assert value.sentence == f"Score: {float(value):g} of 3."
    cell = nbformat.v4.new_code_cell(
        "check_item('a1_roles')",
        metadata={"nbgrader": {"grade": True, "solution": False, "points": 3}},
        outputs=[
            nbformat.v4.new_output("stream", name="stdout", text=printed),
            nbformat.v4.new_output("execute_result", data=bundle, execution_count=1),
        ],
    )
    assert determine_grade(cell) == (float(value), 3.0)


def test_in_a_notebook_the_self_check_is_wrapped_text(tmp_path, monkeypatch, capsys):
    """In a kernel the self-check's message is shown as HTML paragraphs (escaped), which wrap
    at word boundaries, with the same plain text beside it; nothing goes to stdout."""
    import IPython.display

    shown = []
    monkeypatch.setattr(grading, "_in_kernel", lambda: True)
    monkeypatch.setattr(IPython.display, "display", lambda data, raw: shown.append(data))
    _partly_right(tmp_path / "answers", "a1_claims")
    checked = check_item("a1_roles")
    assert capsys.readouterr().out == ""
    (bundle,) = shown
    assert bundle["text/plain"].startswith("Sentence roles (3 points): you answered")
    assert bundle["text/html"].count("<p ") == len(bundle["text/plain"].splitlines())
    assert "<script" not in bundle["text/html"] and checked.sentence.startswith("Score: ")


def test_self_check_scores_a_file_for_another_assignment_as_the_grader_does(tmp_path, capsys):
    """Does the self-check give 0, with the grader's reason, for an answers file saved for
    another assignment under this assignment's name, as medialit grade does?"""
    folder = tmp_path / "answers"
    _write_model(folder, "a2_evidence")
    (folder / "a2_evidence.json").rename(folder / "a1_claims.json")
    assert score_item("a1_roles", key=public_key("a1_roles"), folder=folder) == 0
    assert "holds answers for a2_evidence, not a1_claims" in capsys.readouterr().out
    assert float(check_item("a1_roles", folder=folder)) == 0
