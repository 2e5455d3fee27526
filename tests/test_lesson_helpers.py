"""The lesson helpers as a student meets them: what each shows, saves and keeps back.

Each test runs the helpers in an empty folder with a fresh kernel's state and collects what
they display (``shown``), then checks what a student would see: answers saved as typed,
explanations and model answers only after answering, course mode closing graded checks, and
lesson 09's search results, opened results and coverage table.
"""

from __future__ import annotations

import ipywidgets
import nbformat
import pytest

from medialit import paths
from medialit.errors import MedialitError


@pytest.fixture
def shown(monkeypatch, tmp_path):
    """Run in an empty folder; collect what the helpers display instead of printing it."""
    import medialit.answers as answers
    import medialit.lessons.markup as markup

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(answers, "_LIVE", {})  # a fresh kernel: no answers file open yet
    out: list = []
    monkeypatch.setattr(markup, "display", out.append)  # every lesson helper displays here
    return out


def _html(objects: list) -> str:
    return "\n".join(
        getattr(o, "data", "") or getattr(o, "_repr_html_", lambda: "")() or "" for o in objects
    )


def test_question_saves_as_you_type_and_reveals_only_after_writing(shown):
    """Is a written answer saved at once, and the model answer held back until written?"""
    from medialit.answers import read_answers
    from medialit.lessons import question

    widget = question("00.reaction")
    _, box, status, reveal = widget.children
    button, out = reveal.children
    button.click()
    assert "Write your own answer first" in out.value
    box.value = "It made me <b>angry</b> at first."
    assert read_answers("answers/lesson00.json").responses["reaction"].startswith("It made")
    assert "Saved in answers/lesson00.json" in status.value
    button.click()
    assert "A model answer" in out.value
    assert "<b>angry</b>" not in out.value
    again = question("00.reaction")
    assert again.children[1].value == box.value


def test_choice_saves_and_explains(shown):
    """Does a choice save, and does Check explain the option picked?"""
    from medialit.answers import read_answers
    from medialit.lessons import choice

    widget = choice("00.genre")
    _, radio, _, check, feedback = widget.children
    check.click()
    assert "Pick one option first" in feedback.value
    radio.value = "news report"
    check.click()
    assert "Not the best choice" in feedback.value
    radio.value = "opinion piece"
    check.click()
    assert "defensible" in feedback.value
    assert read_answers("answers/lesson00.json").responses["genre"] == "opinion piece"


def test_tagger_and_questions_share_one_answers_file(shown):
    """Do tags and written answers of one lesson both survive, whichever saves last?"""
    from medialit.answers import read_answers
    from medialit.lessons import question, tag

    q = question("01.structure")
    q.children[1].value = "It opens with an example and ends with its thesis."
    tagger = tag("lesson01", layers=["role"])
    tagger.model.choose("P1.S1", "role", "evidence")
    q.children[1].value = "It opens with an example, concedes, then states its thesis."
    tagger.model.choose("P2.S1", "role", "claim")
    sheet = read_answers("answers/lesson01.json")
    assert sheet.get_tags("P1.S1", "role") == ["evidence"]
    assert sheet.get_tags("P2.S1", "role") == ["claim"]
    assert sheet.responses["structure"].endswith("states its thesis.")


def test_agreement_and_chart_from_saved_tags(shown):
    """With saved tags, do the lesson 07 report and the charts show the expert's reasons?"""
    from medialit.lessons import my_agreement, my_chart, tag

    tagger = tag("lesson01", layers=["role"])
    tagger.model.choose("P2.S1", "role", "thesis")  # the reference accepts only "claim"
    tagger.model.choose("P8.S1", "role", "evidence")
    my_agreement("lesson01", ["role"])
    text = _html(shown)
    assert "1 of your 2 role labels" in text
    assert "P2.S1" in text and "claim" in text
    shown.clear()
    my_chart("map", "lesson01", layer="role")
    assert len(shown) == 1 and hasattr(shown[0], "savefig")


def test_helpers_say_what_to_do_without_answers_or_class(shown):
    """Without saved tags or a class folder, do the helpers explain instead of failing?"""
    from medialit.lessons import class_agreement, my_agreement

    my_agreement("lesson02", ["statement"])
    class_agreement("class")
    text = _html(shown)
    assert "no saved answers for lesson 02" in text
    assert "No class folder was found" in text


def test_verdicts_save_and_reveal_the_kit_reading_after_choosing(shown):
    """Is a verdict saved with its reason, and the kit's reading shown only after choosing?"""
    from medialit.answers import read_answers
    from medialit.lessons import verdicts

    widget = verdicts("lesson04")
    first = widget.children[0]
    _, pick, reason, status, show, kit = first.children
    assert status.value == ""
    show.click()
    assert "Choose your verdict first" in kit.value
    pick.value = "partly_supported"
    assert kit.value == ""  # the warning goes once a verdict is chosen
    reason.value = "USA Today, 31 Jan 2019 reports the tweets."
    saved = read_answers("answers/lesson04.json").verdicts["C1"]
    assert saved == {"verdict": "partly_supported", "reason": reason.value}
    show.click()
    assert "supported" in kit.value and "Choose" not in kit.value


def test_show_article_escapes_and_keeps_every_unit(shown):
    """Does the article view show every unit id and the exact (escaped) text?"""
    import html

    from medialit.article import load_article
    from medialit.lessons import show_article

    show_article()
    text = _html(shown)
    for unit in load_article().units:
        assert unit.id in text
        assert html.escape(unit.text, quote=True) in text


def test_rewrite_and_its_changes_shown_only_after_writing_your_own(shown):
    """Is the kit's rewrite (from rewrites.csv) with its list of changes held back until the
    student has saved their own version, then shown with the original?"""
    import html

    from medialit.lessons import question, show_rewrite
    from medialit.rewrites import get_rewrite

    reveal = show_rewrite("R1", after="05.rewrite")
    button, out = reveal.children
    button.click()
    assert "Write your own version above first" in out.value
    question("05.rewrite").children[1].value = "Trump met Putin alone and took his side."
    button.click()
    rewrite = get_rewrite("R1")
    assert html.escape(rewrite.rewrite) in out.value
    assert html.escape(rewrite.original) in out.value
    for change in rewrite.changes:
        assert html.escape(change.why) in out.value
        assert html.escape(change.original) in out.value
    assert "neutral version of P3.S1" in out.value


def test_unknown_rewrite_id_is_a_clear_error(shown):
    """Does a wrong rewrite id fail when the cell runs, naming the ids that exist?"""
    from medialit.lessons import show_rewrite
    from medialit.rewrites import RewriteError

    with pytest.raises(RewriteError, match="R1, R2"):
        show_rewrite("05.kit_rewrite", after="05.rewrite")


def test_claims_table_names_the_record_but_not_the_kit_verdict(shown):
    """Does the lesson 04 table show each claim with the dossier events it rests on (date and
    name, not the full record repeated) and their sources, and keep the kit's verdict and
    explanation hidden?"""
    import html

    from medialit.dossier import claims_beside_record, event, load_claims
    from medialit.lessons import claims_table

    claims_table()
    text = _html(shown)
    frame = claims_beside_record()
    assert len(frame) == len(load_claims()) >= 3
    for row in frame.itertuples():
        assert html.escape(row.claim) in text
        for event_id in filter(None, row.dossier.split("; ")):
            e = event(event_id)
            assert html.escape(f"{e.when}: {e.event}") in text
            assert html.escape(e.citation) in text
            assert "_" not in e.id or e.id not in text  # no internal ids such as special_envoy
    assert html.escape(event("helsinki").what_the_record_shows) not in text
    if (frame["dossier"] == "").any():  # claims no dossier row bears on
        assert "a claim to investigate" in text
    for claim in load_claims():
        assert html.escape(claim.explanation) not in text
    assert "kit's verdict" not in text


def test_record_dates_after_the_article_are_labelled(shown):
    """Are dates in the record later than the article (31 Jan 2019) labelled as such in the
    lesson 04 timeline table, and earlier ones left alone?"""
    from medialit.lessons import mark_later_dates, show_timeline

    marked = mark_later_dates("18 January 2019: x. 5 February 2019 (State of the Union): y.")
    assert marked == (
        "18 January 2019: x. 5 February 2019 (after the article was written; State of the "
        "Union): y."
    )
    assert mark_later_dates("Thursday 31 January 2019") == "Thursday 31 January 2019"
    show_timeline()
    text = _html(shown)
    assert "8 February 2019 (after the article was written)" in text
    assert "18 January 2019 (after" not in text


def test_source_hides_the_date_until_the_student_has_dated_it(shown):
    """Does lesson 00 show the source without the dossier's date, and reveal the kit's
    dating only after the student has written an answer to 00.dating?"""
    from medialit.dossier import event
    from medialit.lessons import question, show_dating, show_source

    show_source()
    text = _html(shown)
    assert "Not known" in text and "31 January 2019" not in text
    button, out = show_dating(after="00.dating").children
    button.click()
    assert "Write your own answer above first" in out.value
    question("00.dating").children[1].value = "Find the tweet it quotes and its date."
    button.click()
    assert "31 January 2019" in out.value
    assert event("xi_tweet").citation in out.value


def test_an_earlier_answer_is_shown_back(shown):
    """Does lesson 08 show the first reaction saved in lesson 00, or say there is none?"""
    from medialit.lessons import question, show_my_answer

    show_my_answer("00.reaction")
    assert "no saved answer" in _html(shown)
    shown.clear()
    question("00.reaction").children[1].value = "It worried me <a little>."
    show_my_answer("00.reaction")
    text = _html(shown)
    assert "What you wrote in lesson 00" in text and "It worried me &lt;a little&gt;." in text


def test_chart_before_tagging_points_to_the_tagger_above(shown):
    """With the lesson's tagger shown but nothing tagged (Run All), does the chart say to tag
    in the tagger above, rather than in the lesson the student is already in?"""
    from medialit.lessons import my_chart, tag

    tagger = tag("lesson01", layers=["role"])
    my_chart("map", "lesson01", layer="role")
    text = _html(shown)
    assert "Tag the sentences in the tagger above first" in text
    assert "Do the tagging in lesson 01" not in text
    del tagger


def test_lesson08_compares_with_the_practice_reference(shown):
    """Do lesson 08's tags go to the practice op-ed, and does the comparison use its reference?

    P2.S2 of the practice piece is its thesis (the only label its reference accepts); the
    seed reference would accept "claim" for the seed's P2.S2, so this tells them apart.
    """
    from medialit.lessons import my_agreement, my_chart, tag
    from medialit.reference import load_reference

    practice = load_reference("practice")
    assert practice.entry("P2.S2", "role").accepted == ("thesis",)
    tagger = tag("lesson08", layers=["role"], article="practice")
    tagger.model.choose("P2.S2", "role", "claim")
    tagger.model.choose("P7.S1", "role", "concession")
    my_agreement("lesson08", ["role"])
    text = _html(shown)
    assert "1 of your 2 role labels" in text
    assert "P2.S2" in text and "underrated" in text  # the practice reference's reasoning
    shown.clear()
    my_chart("compare", "lesson08", layer="role", article="practice")
    assert len(shown) == 1 and hasattr(shown[0], "savefig")
    with pytest.raises(MedialitError, match="practice"):
        my_chart("map", "lesson08", layer="role")


def test_practice_oped_is_labelled_as_written_for_the_kit(shown):
    """Is the practice op-ed shown with a label saying it was written for the kit?"""
    from medialit.lessons import show_article

    show_article("practice")
    assert "written for the medialit kit for practice" in _html(shown)
    assert "not a published" in _html(shown)
    shown.clear()
    show_article()
    assert "written for the medialit kit" not in _html(shown)
    nb = nbformat.read(paths.notebooks_dir() / "08_the_other_side.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "written for this kit, for practice" in text
    assert "reference_practice.csv" in text


@pytest.fixture
def course(shown, tmp_path, monkeypatch):
    """Course mode on for a1 and a2 (settings found through the environment)."""
    from medialit import course_mode

    path = course_mode.write_config(tmp_path / "course.json", ["a1_claims", "a2_evidence"])
    monkeypatch.setenv(course_mode.ENV_VAR, str(path))
    return path


def test_course_mode_closes_lesson_choices_of_graded_items(course):
    """Locked: do the lessons' Checks for graded choices say so instead of answering,
    while the choice is still saved, and do they open again with the assignment?"""
    from medialit import course_mode
    from medialit.answers import read_answers
    from medialit.lessons import choice

    closed = course_mode.LOCKED_MESSAGE.format(assignment="a1_claims")
    for key, pick in (
        ("00.genre", "opinion piece"),
        ("01.thesis", "P12.S2"),
        ("02.try_p5s2", "value"),
    ):
        _, radio, _, check, feedback = choice(key).children
        radio.value = pick
        check.click()
        assert "opens after your instructor releases feedback for a1_claims" in feedback.value
        assert "defensible" not in feedback.value and "Yes" not in feedback.value
    assert closed.split(":")[0] in feedback.value
    assert read_answers("answers/lesson00.json").responses["genre"] == "opinion piece"
    _, radio, _, check, feedback = choice("02.try_p6s1").children  # no graded item asks it
    radio.value = "policy"
    check.click()
    assert "defensible" in feedback.value

    course_mode.write_config(course, ["a2_evidence"])
    _, radio, _, check, feedback = choice("01.thesis").children
    check.click()
    assert "defensible" in feedback.value and "releases feedback" not in feedback.value


def test_course_mode_closes_the_kit_reading_of_graded_claims(course):
    """Locked a2: is the kit's reading hidden for the graded claims (C2, C5, C9, C11, C15)
    and shown for the others?"""
    from medialit import course_mode
    from medialit.grading import ITEMS
    from medialit.lessons import verdicts

    graded = set(ITEMS["a2_verdicts"].units)
    rows = verdicts("lesson04").children
    seen = set()
    for row in rows:
        claim = row.children[0].value.split("<h4>")[1].split(" ")[0]
        _, pick, _, _, show, kit = row.children
        pick.value = "supported"
        show.click()
        locked = "releases feedback for a2_evidence" in kit.value
        assert locked == (claim in graded), claim
        seen.add(claim)
    assert graded <= seen
    course_mode.write_config(course, [])
    row = next(r for r in verdicts("lesson04").children if "C2 " in r.children[0].value)
    row.children[4].click()
    assert "releases feedback" not in row.children[5].value and row.children[5].value


def test_summaries_hold_back_graded_answers_in_course_mode(shown, course):
    """Locked a1: do lesson 00's and 01's "What you learned" and the model answers that give
    away a graded answer (genre, thesis) hold that part back, and show it once opened?"""
    from medialit import course_mode
    from medialit.lessons import question, summary

    boxes = [summary("00.learned"), summary("01.learned")]
    text = _summary_text(boxes)
    assert "opinion piece" not in text and "states its thesis" not in text
    assert "We know its outlet and section" in text  # the rest of the summary is there
    assert text.count("releases feedback for a1_claims") == 2
    assert not [b for box in boxes for b in box.children if isinstance(b, ipywidgets.Button)]
    why = question("00.genre_why")
    why.children[1].value = "The headline judges, and it says what should happen."
    button, out = why.children[3].children
    button.click()
    assert "releases feedback for a1_claims" in out.value and "opinion" not in out.value

    course_mode.write_config(course, [])
    boxes = [summary("00.learned"), summary("01.learned")]
    text = _summary_text(boxes)  # self-study: Run All shows no answer before a click
    assert "opinion piece" not in text and "states its thesis" not in text
    for box in boxes:
        next(b for b in box.children if isinstance(b, ipywidgets.Button)).click()
    text = _summary_text(boxes)
    assert "<b>opinion piece</b>" in text and "states its thesis" in text
    assert "releases feedback" not in text
    button.click()
    assert "A model answer" in out.value


def _summary_text(boxes) -> str:
    return " ".join(
        child.value for box in boxes for child in box.children if hasattr(child, "value")
    )


def test_a_quoted_claim_is_quoted_once(shown):
    """Does lesson 04 show a claim that is itself a quotation (C2) with one pair of marks?"""
    from medialit.lessons import verdicts

    heads = [row.children[0].value for row in verdicts("lesson04").children]
    c2 = next(h for h in heads if "<h4>C2 " in h)
    assert "““" not in c2 and "””" not in c2 and "“no final deal" in c2
    c6 = next(h for h in heads if "<h4>C6 " in h)
    assert "‘in love.’”" in c6


def test_lesson_09_opens_the_chosen_result_only_after_a_choice(shown):
    """Does lesson 09 show a page of results without saying which are good first clicks, ask
    for a choice before opening one, then open the chosen card with the expert's view of it
    and its facts' sources?"""
    from medialit.lateral import card
    from medialit.lessons import choice, open_result, search_results
    from medialit.lessons.bank import question_item

    search_results("S_outlet")
    page = _html(shown)
    assert all(f"ml-card-A{n}" in page for n in range(1, 8))
    assert "good first click" not in page.lower()
    button, out = open_result(after="09.first_click").children
    button.click()
    assert "Choose the result you would open first" in out.value
    options = [opt for opt, _ in question_item("09.first_click")["options"]]
    weak = next(opt for opt in options if opt.startswith("A7"))
    choice("09.first_click").children[1].value = weak
    button.click()
    assert "Not the best first click" in out.value and card("A7").url in out.value
    good = next(opt for opt in options if opt.startswith("A3"))
    choice("09.first_click").children[1].value = good
    button.click()
    assert "A good first click" in out.value and "Clarity Media Group" in out.value


def test_lesson_09_coverage_names_whose_rating_each_leaning_is(shown):
    """Does the coverage table give a leaning only with the organisation that rated it?"""
    from medialit.lessons import coverage

    coverage("hamburg")
    text = _html(shown)
    assert text.count("AllSides") >= 3 and "The Washington Times" in text
    assert "read it as opinion" in text  # the column is described by its kind, not a leaning


def test_showing_the_summary_answers_hides_only_its_own_button(shown):
    """Does pressing the summary's button leave every other button of the lesson in place
    (buttons that shared one layout all vanished together)?"""
    from medialit.lessons import choice, summary

    check = next(w for w in choice("09.owner").children if isinstance(w, ipywidgets.Button))
    box = summary("09.learned")
    button = next(w for w in box.children if isinstance(w, ipywidgets.Button))
    button.click()
    assert button.layout.display == "none"
    assert check.layout.display != "none" and check.layout is not button.layout


def test_show_record_gives_a_rows_sources_in_full(shown):
    """Does lesson 09's look at the kit's own record show each row with its sources, saying
    when a source only relays another outlet's story?"""
    from medialit.dossier import event
    from medialit.lessons import show_record

    show_record("buenos_aires", "envoy_ignored")
    text = _html(shown)
    assert "relays: Financial Times" in text and "The Japan Times (Bloomberg)" in text
    assert event("buenos_aires").event in text
    with pytest.raises(MedialitError, match="Name at least one dossier row"):
        show_record()
