"""Build the graded assignments' source notebooks and regenerate the student release.

    python tools/release.py              # regenerate exercises/ from solutions/ (nbgrader)
    python tools/release.py --sources    # first rewrite solutions/ from the spec below and
                                         # the kit's reference (after the reference changes)

The release is made by ``nbgrader generate_assignment`` in a temporary copy of the course
(so no gradebook is left behind) and then copied to exercises/; tests/test_release.py does the
same into a temporary folder and fails on any difference.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

from medialit import assignment_build as ab

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENTS = ("a1_claims", "a2_evidence", "a3_language", "a4_capstone")

KIT = ab.KIT
RUBRIC_LEVELS = ab.RUBRIC_LEVELS
# the cells every assignment is made of (shared with ``medialit course add-article``)
points_text, rubric_scale, md, manual = ab.points_text, ab.rubric_scale, ab.md, ab.manual
start_cell, test_cell = ab.start_cell, ab.test_cell


def code(grade_id: str, source: str):
    """A read-only code cell (a one-line call)."""
    return ab.code(grade_id, source)


def header(assignment: str, title: str, lessons: str, minutes: int, what: str):
    from medialit.grading import assignment_items

    return ab.header(assignment, title, lessons, minutes, what, assignment_items(assignment))


# -- the four assignments --------------------------------------------------------------------
def _key(item_id: str):
    from medialit.grading import public_key

    return public_key(item_id)


def _points(item_id: str) -> float:
    from medialit.grading import ITEMS

    return ITEMS[item_id].points


def _tag_call(assignment: str, layers: list[str], units, article: str = "seed") -> str:
    return ab.tag_call(assignment, layers, units, article)


def a1_claims() -> list:
    from medialit.grading import A1_UNITS

    a = "a1_claims"
    return [
        header(
            a,
            "Assignment 1: Claims",
            "01–02",
            40,
            "You decide what kind of text the article is, find its thesis, and tag what "
            "each sentence does and what kind of statement it makes.",
        ),
        code("imports", "from medialit.grading import *"),
        start_cell(a, _model(a)),
        md("genre_task", "## 1. What am I reading?\n\nChoose the genre of the article."),
        code("genre_choice", 'choose("a1_genre")'),
        test_cell("a1_genre", _points("a1_genre"), _key("a1_genre")),
        md(
            "thesis_task",
            "## 2. The thesis\n\nWhich sentence states the writer's overall "
            "position: the one thing the piece wants you to believe or do?",
        ),
        code("thesis_choice", 'choose("a1_thesis")'),
        test_cell("a1_thesis", _points("a1_thesis"), _key("a1_thesis")),
        md(
            "tagger_task",
            "## 3. Roles and statements\n\nTag every sentence in the tagger: its "
            "**role** in the argument and the kind of **statement** it makes. The sentences "
            "with one clear answer are graded; the others are there so you read the whole "
            "argument.",
        ),
        code("tagger", _tag_call(a, ["role", "statement"], A1_UNITS)),
        test_cell("a1_roles", _points("a1_roles"), _key("a1_roles")),
        test_cell("a1_statements", _points("a1_statements"), _key("a1_statements")),
        *manual(
            "a1_evidence_why",
            _points("a1_evidence_why"),
            "## 4. Why is it evidence?\n\nPick one sentence you tagged as `evidence`. "
            "Say which claim it supports and how: what does it show, and what would a "
            "reader have to accept for it to count?",
            (
                "names a sentence but not the claim it supports, or retells it",
                "links the sentence to a claim, but does not say how it supports it",
                "names the claim, says what the sentence shows and what a reader must "
                "accept for it to count, quoting the article's words",
            ),
            "P8.S1 supports the claim in P7.S1 that Trump has avoided institutional "
            "channels: it lists actions with Putin (side-stepping aides, cutting out "
            "interpreters). It counts only if the reader accepts that these happened as "
            "described, though the sentence names no meeting, date or source, and that they "
            "are typical, not exceptions.",
        ),
        md("end", "You are done. Save the notebook and hand in the folder."),
    ]


def a2_evidence() -> list:
    from medialit.grading import A2_UNITS, ITEMS

    a = "a2_evidence"
    return [
        header(
            a,
            "Assignment 2: Evidence and sources",
            "03–04",
            45,
            "You tag the kind of evidence the article offers, give verdicts on claims "
            "that the kit's dossier can check, and judge whether the examples carry the "
            "general claim.",
        ),
        code("imports", "from medialit.grading import *"),
        start_cell(a, _model(a)),
        md(
            "tagger_task",
            "## 1. Evidence types\n\nTag each sentence's **role**; where it is "
            "`evidence`, tag what **kind** of evidence it is.",
        ),
        code("tagger", _tag_call(a, ["role", "evidence"], A2_UNITS)),
        test_cell("a2_evidence_types", _points("a2_evidence_types"), _key("a2_evidence_types")),
        md(
            "verdict_task",
            "## 2. Trace the claims\n\nFor each claim, compare it with the "
            "dossier from lesson 04 and give a verdict with a reason: supported, partly "
            "supported, not supported, or can't tell from here. Claims: "
            + ", ".join(ITEMS["a2_verdicts"].units)
            + ".",
        ),
        code("dossier", "show_dossier()"),
        code("verdicts", 'choose_verdict("a2_verdicts")'),
        test_cell("a2_verdicts", _points("a2_verdicts"), _key("a2_verdicts")),
        *manual(
            "a2_sufficiency",
            _points("a2_sufficiency"),
            "## 3. Do the examples carry the claim?\n\nP7.S1 says the institutional "
            "avenues are ones Trump 'has eschewed'. P8.S1 to P9.S2 give examples. Do "
            "these examples support that general claim? Say what they show well and "
            "what they leave open.",
            (
                "a yes or no with no reason, or a view on the policy instead of the evidence",
                "points to the examples but does not weigh how far they reach",
                "weighs the examples: says what they show (specific, checkable cases) and "
                "what they leave open (how many cases, which meetings, other explanations)",
            ),
            "The examples are concrete and mostly checkable (meetings with Putin, the "
            "envoy, a new summit), which is the piece's strongest support. But two or "
            "three cases stand in for a general pattern, some details are not settled by "
            "the record, the piece names no source for them, and no count or expert "
            "assessment shows the pattern is typical.",
        ),
        *manual(
            "a2_missing",
            _points("a2_missing"),
            "## 4. What evidence is missing?\n\nName one kind of evidence the article "
            "does not use that would make its case stronger or weaker, and say why.",
            (
                "names nothing specific",
                "names a kind of evidence without saying what it would show",
                "names a kind of evidence (a statistic, an expert, a named source) and "
                "explains what it would add or test",
            ),
            "It cites no named expert or official for 'his own advisers have identified "
            "them as threats', and no outcome of the talks; an on-record assessment or a "
            "result of the meetings would test whether personal diplomacy failed.",
        ),
        md("end", "You are done. Save the notebook and hand in the folder."),
    ]


def a3_language() -> list:
    from medialit.grading import A3_UNITS

    a = "a3_language"
    return [
        header(
            a,
            "Assignment 3: Language and framing",
            "05–06",
            45,
            "You find the words that colour the article and the jobs of framing its "
            "sentences do, then rewrite and reframe a paragraph.",
        ),
        code("imports", "from medialit.grading import *"),
        start_cell(a, _model(a)),
        md(
            "tagger_task",
            "## 1. Devices and frames\n\nTag the **devices** in each sentence "
            "(any number; mark 'none' when there are none) and its **frame** function (or "
            "none). Devices earn credit for overlap with the expert's: every device you share "
            "counts, an extra or a missed one costs the same.",
        ),
        code("tagger", _tag_call(a, ["devices", "frame"], A3_UNITS)),
        test_cell("a3_devices", _points("a3_devices"), _key("a3_devices")),
        test_cell("a3_frames", _points("a3_frames"), _key("a3_frames")),
        *manual(
            "a3_rewrite",
            _points("a3_rewrite"),
            "## 2. A neutral rewrite\n\nRewrite paragraph 3 (P3.S1) in neutral words: keep "
            "every fact it states, replace the words that carry a judgment. Then say in "
            "one sentence how the effect changes.",
            (
                "changes facts or keeps most of the coloured words",
                "neutral words for some coloured ones; facts kept; effect not discussed",
                "every fact kept, each coloured word replaced, and the change in effect named",
            ),
            "With Russia, Trump has met President Vladimir Putin one-on-one. At their 2018 "
            "news conference in Helsinki he said he saw no reason to think Russia had "
            "interfered in the 2016 election; the next day he said he had misspoken and "
            "accepted his intelligence agencies' conclusion. He has described his personal "
            "relationship with Russia's president as a policy success. Without 'strongman', "
            "'even' and 'as if it were a brilliant policy move' the sentence reports instead "
            "of mocking, and 'taking Putin's side' becomes what he said and what he corrected.",
        ),
        *manual(
            "a3_reframe",
            _points("a3_reframe"),
            "## 3. Another frame\n\nThe piece frames the story as personal versus "
            "institutional diplomacy. Name that contrast in your own words, then describe "
            "another frame a writer could use for the same events.",
            (
                "does not name the contrast",
                "names the contrast, or gives another frame, but not both",
                "names the contrast clearly and gives a different frame with what it would "
                "put first",
            ),
            "The piece sets personal friendship against professional, institutional "
            "relations. Another frame is results: what did the meetings achieve or fail "
            "to achieve on trade and nuclear weapons, which would put outcomes first.",
        ),
        md("end", "You are done. Save the notebook and hand in the folder."),
    ]


def _search_cards(search_id: str) -> str:
    """A page of lesson 09's search results as a markdown list (``data/lateral/``): like a
    search page (and lesson 09's), it does not label each result's kind."""
    from medialit.lateral import card, search

    lines = []
    for c in (card(i) for i in search(search_id).cards):
        title = f" \u201c{c.title}\u201d" if c.title else ""
        lines.append(f"- **{c.id}** · {c.site}, {c.date}{title}: {c.summary}")
    return "\n".join(lines)


def a4_capstone() -> list:
    from medialit.grading import AGREEMENT_TABLE, ITEMS

    a = "a4_capstone"
    table = "\n".join(f"| {u} | {x} | {y} |" for u, x, y in AGREEMENT_TABLE)
    cells = [
        header(
            a,
            "Assignment 4: Capstone",
            "07–09",
            55,
            "You measure agreement between two readers, apply the scheme to the practice "
            "op-ed that argues the other side, choose the page that confirms a quotation, "
            "and reflect on whether you judged both pieces by the same standard.",
        ),
        code("imports", "from medialit.grading import *"),
        start_cell(a, _model(a)),
        md(
            "agreement_task",
            "## 1. Do they agree?\n\nTwo readers tagged the role of ten "
            "sentences of the article:\n\n| sentence | reader A | reader B |\n|---|---|---|\n"
            f"{table}\n\nWhat is their percent agreement (rows where they chose the same "
            "label, out of all rows)?",
        ),
        code("agreement_choice", 'choose("a4_agreement")'),
        test_cell("a4_agreement", _points("a4_agreement"), _key("a4_agreement")),
    ]
    if "a4_practice_roles" in ITEMS:
        cells += [
            md(
                "practice_task",
                "## 2. The other side\n\nThe practice op-ed was written for "
                "the kit: it argues the opposite case so you can apply the same scheme to "
                "both sides. It is not a published article. Tag the role of every sentence.",
            ),
            code("tagger", _tag_call(a, ["role"], None, article="practice")),
            test_cell("a4_practice_roles", _points("a4_practice_roles"), _key("a4_practice_roles")),
        ]
    cells += [
        md(
            "lateral_task",
            "## 3. Read laterally\n\nThe article quotes the president's tweet of 31 January "
            '2019: "no final deal will be made until my friend President Xi, and I, meet…". '
            "You search for those words and get these results (as in lesson 09, each "
            "summarised in the kit's own words):\n\n"
            + _search_cards("S_claim")
            + "\n\nWhich result would best confirm the exact words?",
        ),
        code("lateral_choice", 'choose("a4_lateral_confirm")'),
        test_cell("a4_lateral_confirm", _points("a4_lateral_confirm"), _key("a4_lateral_confirm")),
        *manual(
            "a4_response",
            _points("a4_response"),
            "## 4. The same standard?\n\nCompare how you tagged the two pieces. Did you "
            "judge both by the same standard? Give one place where you were stricter or "
            "gentler with one of them, and say why.",
            (
                "a view on which side is right, with no comparison of the tagging",
                "compares the pieces in general terms, without a specific place",
                "compares a specific place in each piece by the scheme's labels and reflects "
                "honestly on any difference in standard",
            ),
            "I tagged 'strongman' in the article as loaded language at once, but first "
            "read 'bold' in the practice op-ed as plain description; by the same test both "
            "are words chosen for their charge. Both pieces lean on a few examples for a "
            "general claim.",
        ),
        md("end", "You are done: this was the last assignment. Save and hand in the folder."),
    ]
    return cells


BUILDERS = {
    "a1_claims": a1_claims,
    "a2_evidence": a2_evidence,
    "a3_language": a3_language,
    "a4_capstone": a4_capstone,
}


def _model(assignment: str) -> dict:
    from medialit.grading import model_answers

    return model_answers(assignment)


def build_sources(root: Path = ROOT) -> list[Path]:
    """Rewrite solutions/<a>/<a>.ipynb from the spec and the kit's reference."""
    written = []
    for name, build in BUILDERS.items():
        nb = ab.new_notebook(name, build())
        path = root / "solutions" / name / f"{name}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, path)
        written.append(path)
    return written


# -- the release ---------------------------------------------------------------------------
def generate_release(target: Path, root: Path = ROOT) -> None:
    """Run nbgrader generate_assignment on a temporary copy of the course; copy to target."""
    for name in ASSIGNMENTS:
        stray = root / "solutions" / name / "answers"
        if stray.exists():
            raise SystemExit(
                f"{stray} exists (made by running the source notebook). Delete it first: "
                "nbgrader would ship it to students and copy it over their answers."
            )
    with tempfile.TemporaryDirectory() as tmp:
        course = Path(tmp)
        shutil.copy(root / "nbgrader_config.py", course)
        shutil.copytree(root / "solutions", course / "solutions")
        for name in ASSIGNMENTS:
            result = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "nbgrader",
                    "generate_assignment",
                    name,
                    "--force",
                    f"--CourseDirectory.db_url=sqlite:///{course / 'gradebook.db'}",
                ],
                cwd=course,
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise SystemExit(f"nbgrader failed on {name}:\n{result.stdout}{result.stderr}")
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(course / "exercises", target)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sources",
        action="store_true",
        help="rewrite solutions/ from the spec and reference first",
    )
    args = parser.parse_args(argv)
    if args.sources:
        for path in build_sources():
            print(f"wrote {path.relative_to(ROOT)}")
    generate_release(ROOT / "exercises")
    print("regenerated exercises/ from solutions/ with nbgrader")
    return 0


if __name__ == "__main__":
    sys.exit(main())
