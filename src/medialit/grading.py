"""The graded assignments in a student's notebook: answer widgets and the self-check.

Each autograded test cell in ``solutions/<assignment>/<assignment>.ipynb`` reads::

    check_item("a1_roles")                                  # public: the self-check
    ### BEGIN HIDDEN TESTS
    score_item("a1_roles", key={"P2.S1": ["claim"], ...})   # hidden: the answer key
    ### END HIDDEN TESTS

The grade is not computed here. The grader (``medialit.course``) never runs these cells: it
reads the hidden ``score_item`` call of each test cell from the instructor's copy as data
(the item id and the key literal), reads the answers file the student handed in, and scores
it with ``medialit.scoring.score`` in its own process. So nothing a student types or runs in
their kernel can change a grade. The cells still run in a student's kernel and in
``nbgrader validate``, where they print what the grader would print:

- ``check_item(item)`` is the student's self-check. Unless course mode closes the item
  (``medialit.course_mode``), it derives the key from the public reference (equal to the
  hidden literal, by a test), scores through the same ``scoring.score`` (same score, same
  lines) and adds the expert's reasoning for self-study. Its last line, the score, is the
  cell's result (``Score``), so the notebook shows it once.
- ``score_item(item, key)`` scores against the literal key the same way.

The answer widgets (``choose``, ``choose_verdict``, ``tag``) save to
``answers/<assignment>.json`` beside the notebook as the student clicks; that file is what
is graded. The items themselves are listed in ``medialit.items``.
"""

from __future__ import annotations

import ast
import contextlib
import html
import io
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from medialit.answers import VERDICTS, answers_path, live_answers
from medialit.errors import MedialitError
from medialit.items import (  # noqa: F401 (re-exported: the notebooks and tests use them)
    A1_UNITS,
    A2_CLAIMS,
    A2_UNITS,
    A3_UNITS,
    AGREEMENT_OPTIONS,
    AGREEMENT_TABLE,
    ASSIGNMENTS,
    AUTO_KINDS,
    ITEMS,
    Item,
    _reference,
    agreement_answer,
    assignment_items,
    item,
    item_units,
    load_claims,
    public_key,
)
from medialit.scoring import (  # noqa: F401 (re-exported)
    KeyReference,
    Result,
    _points_text,
    load_sheet,
    reasoning,
    score,
    unanswered,
    unit_credits,
)

__all__ = [
    "check_item",
    "choose",
    "choose_verdict",
    "fill_answers",
    "score_item",
    "show_dossier",
    "start",
    "tag",
]


def _in_kernel() -> bool:
    """Is this running in a Jupyter kernel (where output is shown in a notebook)?"""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def _say(lines: list[str]) -> None:
    """A self-check's message. In a notebook it is shown as wrapped text (printed text is
    shown in a fixed-width box that breaks words at its edge); elsewhere it is printed."""
    text = "\n".join(lines)
    if not _in_kernel():
        print(text)
        return
    from IPython.display import display

    paragraphs = "".join(
        f'<p style="margin:0.15em 0 0.15em {"1.5em" if line.startswith(" ") else "0"}">'
        f"{html.escape(line.strip())}</p>"
        for line in lines
    )
    body = '<div class="medialit-check-lines" style="max-width:46em;line-height:1.45">'
    display({"text/plain": text, "text/html": body + paragraphs + "</div>"}, raw=True)


def score_item(item_id: str, key: Any, folder: str | Path = "answers") -> float:
    """Hidden part of a test cell: print a key-free message, return the score."""
    it = item(item_id)
    sheet, problem = load_sheet(it, folder)
    result = score(it, sheet, problem, key)
    print("\n".join(result.lines))
    return result.points


class Score(float):
    """A self-check's score: one sentence in the notebook, the bare number for nbgrader.

    JupyterLab shows the cell's result as ``sentence`` ("Score: 1.29 of 3."), so the student
    reads the score once. nbgrader's Validate reads a test cell's partial credit from the
    result's plain text, which is the number (as the grader writes it). It compares and
    computes like the float it is.
    """

    sentence: str

    def __new__(cls, points: float, sentence: str) -> Score:
        value = super().__new__(cls, points)
        value.sentence = sentence
        return value

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {
            "text/plain": repr(float(self)),
            "text/html": f"<b>{html.escape(self.sentence)}</b>",
        }


def check_item(item_id: str, folder: str | Path = "answers", reference: Any = None) -> Any:
    """Self-check: the autograder's score and message for this item, plus the expert's reasons.

    It prints the grader's message and returns the score as a ``Score``, which the notebook
    shows as the grader's last line ("Score: 1.29 of 3."), so the score appears once.

    In course mode (the item's assignment is locked) nothing is scored: it says whether every
    part is answered (what is missing goes to stderr, which nbgrader's Validate lists) and
    that the check opens after feedback, and returns None.
    """
    from medialit import course_mode

    it = item(item_id)
    sheet, problem = load_sheet(it, folder)
    config = course_mode.current()
    if it.assignment in config.locked:
        return _closed_check(it, sheet, problem, config.problem)
    if it.keyless:  # a course's own article: the key is in the instructor's source/ only
        return _closed_check(it, sheet, problem, config.problem, KEYLESS_MESSAGE)
    try:
        key = public_key(item_id, reference)
    except (MedialitError, OSError, KeyError) as exc:
        print(f"{it.title}: the expert's answers cannot be loaded here ({exc}).")
        return Score(0.0, "No score: the check could not run (see above).")
    result = score(it, sheet, problem, key)
    *lines, total = result.lines  # the grader's last line is the score: shown as the result
    if sheet is None and answers_path(it.assignment, folder).exists():
        lines.append(
            "To start again from a fresh file, run the assignment's first code cell: it keeps "
            "the broken file aside."
        )
    if sheet is not None and result.misses:
        reasons = reasoning(it, sheet, result.misses, reference)
        if reasons:
            lines.append("The expert's reasoning:")
            lines += [f"  {r}" for r in reasons]
    _say(lines)
    return Score(result.points, total)


#: A course's own item has no key a student's kernel can read: the score comes with feedback.
KEYLESS_MESSAGE = (
    "Your instructor's grader scores this question from your saved answers; "
    "your score comes with your feedback for {assignment}."
)


def _closed_check(
    it: Item,
    sheet: Any,
    problem: str | None,
    settings_problem: str | None,
    message: str | None = None,
) -> None:
    """A check in course mode: no score, only whether every part is answered. What is missing
    goes to stderr, so nbgrader's Validate button lists it; an answered item passes."""
    from medialit import course_mode

    todo = None if problem else unanswered(it, sheet)
    if problem:
        status = problem
    elif todo:
        status = "some of it is not answered yet."
    else:
        status = "every part is answered and saved; it is graded after you submit."
    lines = [f"{it.title} ({_points_text(it.points)}): {status}"]
    if settings_problem:
        lines.append(f"(The course settings could not be read: {settings_problem})")
    lines.append((message or course_mode.LOCKED_MESSAGE).format(assignment=it.assignment))
    _say(lines)
    if problem or todo:
        print(f"Not finished: {it.title}: {todo or problem}", file=sys.stderr)
    return None


# -- the notebook's answer widgets --------------------------------------------------------
def start(assignment: str, folder: str | Path = "answers") -> None:
    """First cell of an assignment: where answers go, and any problem with the saved file."""
    from medialit import course_mode

    answers = live_answers(assignment, folder=folder)
    if answers.notice:
        print(answers.notice)
    print(
        f"Your answers are saved in {answers.path} as you click. Hand in this whole folder "
        "(the notebook and the answers folder); do not rename them."
    )
    if assignment in course_mode.current().locked:
        print("Course mode: the expert's checks for this assignment open after feedback.")


def tag(exercise: str, layers: Sequence[str] | str = ("role",), **kwargs: Any) -> Any:
    """The claim tagger (``medialit.tagger.tag``), saving to ``answers/<exercise>.json``."""
    from medialit.tagger import tag as _tag

    return _tag(exercise, layers=layers, **kwargs)


def _option_label(it: Item, value: str) -> str:
    return dict((v, t) for t, v in _options(it)).get(value, value)


def _options(it: Item) -> list[tuple[str, str]]:
    if it.kind == "thesis":
        from medialit.article import load_article

        article = load_article(it.article)
        return [(f"{u}: {article.unit(u).text}", u) for u in it.units]
    return list(it.options)


def choose(item_id: str, folder: str | Path = "answers") -> Any:
    """Radio buttons for a choice item, each option in full (a thesis option is the whole
    sentence); the choice is saved as a response at once."""
    import ipywidgets as w

    from medialit import choices

    it = item(item_id)
    answers = live_answers(it.assignment, folder=folder)  # shared with the tagger
    options = _options(it)
    saved = answers.sheet.responses.get(it.response or "")
    values = [v for _, v in options]
    buttons = choices.radio_buttons(options, saved)
    status = w.HTML()

    def show(value: str | None) -> None:
        text = f"Saved: {_option_label(it, value)}" if value else "Not answered yet."
        status.value = f"<em>{html.escape(text)}</em>"

    def on_change(change: dict) -> None:
        try:
            live_answers(it.assignment, folder=folder).set_response(it.response, change["new"])
        except MedialitError as exc:
            status.value = f"<strong>{html.escape(str(exc))}</strong>"
            return
        show(change["new"])

    show(saved if saved in values else None)
    buttons.observe(on_change, names="value")
    box = w.VBox([buttons, status, w.HTML(choices.STYLE)])
    box.add_class("medialit-choice")
    buttons.add_class(f"medialit-choice-{it.id}")
    return box


#: How the verdict buttons name each verdict.
VERDICT_NAMES = {
    "supported": "supported",
    "partly_supported": "partly supported",
    "not_supported": "not supported",
    "cant_tell": "can't tell from here",
}


def choose_verdict(item_id: str, folder: str | Path = "answers") -> Any:
    """One verdict (with a reason) per claim of a verdicts item, saved as you choose."""
    import ipywidgets as w

    from medialit import choices

    it = item(item_id)
    claims = load_claims()
    names = VERDICT_NAMES
    rows = []
    saved = live_answers(it.assignment, folder=folder).sheet.verdicts  # shared with the tagger
    for claim in it.units:
        row = claims[claim]
        prior = saved.get(claim, {})
        buttons = choices.radio_buttons(
            [(names[v], v) for v in VERDICTS], prior.get("verdict"), horizontal=True
        )
        reason = w.Textarea(
            value=prior.get("reason", ""),
            placeholder="Your reason",
            continuous_update=False,
            layout=w.Layout(width="90%"),
        )
        status = w.HTML()

        def save(_change: dict, claim=claim, buttons=buttons, reason=reason, status=status):
            if buttons.value is None:
                status.value = "<em>Choose a verdict first; the reason is saved with it.</em>"
                return
            try:
                live_answers(it.assignment, folder=folder).set_verdict(
                    claim, buttons.value, reason.value
                )
            except MedialitError as exc:
                status.value = f"<strong>{html.escape(str(exc))}</strong>"
                return
            status.value = f"<em>Saved: {html.escape(names[buttons.value])}</em>"

        buttons.observe(save, names="value")
        reason.observe(save, names="value")
        text = html.escape(row.claim)
        head = w.HTML(f"{choices.STYLE}<b>{claim}</b> ({row.unit}): {text}")
        rows.append(w.VBox([head, buttons, reason, status]))
    box = w.VBox(rows)
    box.add_class("medialit-verdicts")
    return box


def show_dossier() -> Any:
    """The kit's dossier (``data/dossier.csv``): dated events with the reports that state them."""
    from medialit.dossier import dossier_frame

    frame = dossier_frame()[["when", "event", "what_the_record_shows", "sources"]]
    frame = frame.rename(columns={"what_the_record_shows": "what the record shows"})
    style = frame.style.format(escape="html").hide(axis="index")
    style = style.set_table_styles([{"selector": "th", "props": "text-align: left;"}])
    return style.set_properties(**{"text-align": "left", "vertical-align": "top"})


def fill_answers(
    assignment: str,
    tags: dict | None = None,
    responses: dict | None = None,
    verdicts: dict | None = None,
    folder: str | Path = "answers",
    article: str = "seed",
) -> Path:
    """Save a whole set of answers at once (model answers in solutions, test fixtures)."""
    answers = live_answers(assignment, folder=folder, article=article)
    for unit, by_layer in (tags or {}).items():
        for layer, labels in by_layer.items():
            if labels == ["none"]:
                from medialit.check import none_key

                marked = set(answers.sheet.responses.get(none_key(layer), "").split())
                answers.sheet.set_response(none_key(layer), " ".join(sorted(marked | {unit})))
            else:
                answers.sheet.set_tags(unit, layer, labels)
    for key, value in (responses or {}).items():
        answers.sheet.set_response(key, value)
    for claim, verdict in (verdicts or {}).items():
        answers.sheet.set_verdict(claim, verdict, "model answer")
    return answers.save()


def model_answers(assignment: str) -> dict[str, Any]:
    """Keyword arguments for ``fill_answers`` that earn full marks on every autograded item."""
    tags: dict[str, dict[str, list[str]]] = {}
    responses: dict[str, str] = {}
    verdicts: dict[str, str] = {}
    article = "seed"
    for it in assignment_items(assignment):
        if it.kind == "manual":
            continue
        key = public_key(it.id)
        if it.kind == "tags":
            article = it.article
            ref = _reference(it.article)
            for unit in item_units(it):
                entry = ref.entry(unit, it.layer)
                chosen = list(entry.label) or (["none"] if it.layer in ("devices", "frame") else [])
                if unit in key:
                    value = key[unit]  # evidence: maybe {"labels": [...], "roles": [...]}
                    chosen = list(value["labels"] if isinstance(value, dict) else value)
                    chosen = chosen or ["none"]
                if it.layer == "evidence":
                    tags.setdefault(unit, {})["role"] = list(ref.entry(unit, "role").label)
                    if not entry.applicable:
                        continue
                if chosen:
                    tags.setdefault(unit, {})[it.layer] = chosen
        elif it.kind == "verdicts":
            verdicts.update({claim: v[0] for claim, v in key.items()})
        else:
            responses[it.response or ""] = key[0]
    out: dict[str, Any] = {"tags": tags, "responses": responses, "verdicts": verdicts}
    if article != "seed":
        out["article"] = article
    return out


# -- answer keys and leaks (``medialit.answer_keys``; re-exported for older callers) -------
from medialit.answer_keys import (  # noqa: E402, F401
    _key_strings,
    answer_key_strings,
    find_leaks,
    hidden_keys,
    solutions_dir,
)


def run_cell_source(source: str) -> tuple[str, Any]:
    """Run a test cell's code here; return (stdout, value of the last expression)."""
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    namespace: dict[str, Any] = {}
    exec("from medialit.grading import *", namespace)  # the notebook's import cell
    out = io.StringIO()
    value = None
    with contextlib.redirect_stdout(out):
        exec(compile(tree, "<cell>", "exec"), namespace)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)
    return out.getvalue(), value


# -- nbgrader settings (``medialit.course.settings``) ---------------------------------------
def configure_nbgrader(c: Any, cell_timeout: int = 60) -> Any:
    """The kit's nbgrader settings (``medialit.course.settings``; kept here for course
    folders whose ``nbgrader_config.py`` imports it from this module)."""
    from medialit.course.settings import configure_nbgrader as configure

    return configure(c, cell_timeout=cell_timeout)
