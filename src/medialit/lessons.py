"""What the lesson notebooks call: one function per code cell, each displaying something.

Every helper here is a one-liner for the student: show the article or some of its units,
ask a question (saved as you type, with a model answer to reveal afterwards), offer a
single choice with an explanation, give the claims of lesson 04 a verdict, reveal the
kit's rewrite, show charts and agreement. The teaching texts, prompts and model answers
are data in ``data/lessons/questions.json``; the article is only ever quoted through
``medialit.article``, so the words shown are exactly the seed's.

Answers go to ``answers/lessonNN.json`` beside the notebook (``medialit.answers``). The
tagger and these widgets save through the kernel's one ``AnswerFile`` for that path
(``medialit.answers.live_answers``), so neither overwrites what the other saved.
"""

from __future__ import annotations

import html
import importlib
import json
import re
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import ipywidgets as widgets
from IPython.display import HTML, display

from medialit import choices, paths
from medialit.answers import VERDICTS, AnswerFile, answers_path, live_answers, read_answers
from medialit.article import Article, Unit, load_article
from medialit.errors import MedialitError

__all__ = [
    "agreement_anchors",
    "choice",
    "claims_table",
    "class_agreement",
    "label_guide",
    "my_agreement",
    "my_chart",
    "question",
    "reveal",
    "show_article",
    "show_dating",
    "show_my_answer",
    "show_paragraph",
    "show_rewrite",
    "show_source",
    "show_timeline",
    "show_units",
    "summary",
    "tag",
    "verdicts",
]

_WIDE = widgets.Layout(width="16em")
#: Shown above the practice op-ed wherever it is displayed whole (see data/practice_oped.md).
PRACTICE_LABEL = (
    "Practice op-ed, written for the medialit kit for practice. It is not a published "
    "article: it has no author and no date, and it does not state the kit's view."
)
#: A written answer must be at least this long before its model answer can be revealed.
MIN_ANSWER_CHARS = 15

_STYLE = """
<style>
.ml-article {max-width: 46em; font-size: 1.05em; line-height: 1.55;}
.ml-article h3 {margin-bottom: 0.6em;}
.ml-id {font-size: 0.85em; color: #4a4a4a; font-family: monospace; margin: 0 0.25em;}
.ml-quote {border-left: 4px solid #9bb7d4; padding: 0.2em 0.9em; margin: 0.4em 0;
  max-width: 46em;}
.ml-note {color: #444; font-size: 0.95em;}
.ml-table th, .ml-table td {text-align: left !important; vertical-align: top;}
.ml-box {background: #f4f7fb; border: 1px solid #d6e0ea; border-radius: 4px;
  padding: 0.5em 0.9em; max-width: 46em;}
</style>
"""


# -- data --------------------------------------------------------------------------------
@cache
def _questions() -> dict[str, dict[str, Any]]:
    """Every prompt, option set and model answer, keyed like ``"00.genre"``."""
    path = paths.data_file("lessons/questions.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise MedialitError(f"{path} is missing; restore it from the medialit repository.") from exc
    except json.JSONDecodeError as exc:
        raise MedialitError(
            f"{path} is not valid JSON (line {exc.lineno}: {exc.msg}); fix or restore it."
        ) from exc
    return {key: value for key, value in data.items() if not key.startswith("_")}


def _item(key: str) -> dict[str, Any]:
    items = _questions()
    if key not in items:
        raise MedialitError(
            f"There is no question {key!r} in data/lessons/questions.json. "
            "Keys look like '00.genre' (lesson number, dot, name)."
        )
    return items[key]


def _split_key(key: str, exercise: str | None) -> tuple[str, str]:
    """``"03.gap"`` -> (``"lesson03"``, ``"gap"``) unless an exercise is given."""
    lesson, _, name = key.partition(".")
    if exercise is None:
        if not (name and lesson.isdigit()):
            raise MedialitError(
                f"{key!r} does not say which lesson it belongs to; use a key like '03.gap' "
                "or pass exercise='lesson03'."
            )
        exercise = f"lesson{lesson}"
    return exercise, name or key


def _graded_response(item_id: str) -> tuple[str, str]:
    """The check pair of a graded item's saved response, e.g. ``("genre", "response")``."""
    from medialit.items import ITEMS

    return (ITEMS[item_id].response or "", "response")


#: The graded check each lesson choice would answer, as a ``medialit.course_mode`` pair:
#: ``(response key, "response")`` for a question a graded item also asks (its ``response``),
#: ``(unit, layer)`` for a question about one sentence's label; None: no graded item asks it.
#: While the assignment whose ``grading.Item.checks()`` holds the pair is locked, the Check
#: shows ``course_mode.LOCKED_MESSAGE`` instead. Lesson 04's verdicts map each claim id to
#: ``(claim, "verdict")`` (``grading`` grades the same claim ids); see ``_locked``.
CHOICE_CHECKS: dict[str, tuple[str, str] | None] = {
    "00.genre": _graded_response("a1_genre"),  # ("genre", "response")
    "01.thesis": _graded_response("a1_thesis"),  # ("thesis", "response")
    "02.try_p6s1": ("P6.S1", "statement"),
    "02.try_p5s2": ("P5.S2", "statement"),  # a1_statements
    "02.try_p12s1": ("P12.S1", "statement"),
    "03.advisers": ("P5.S2", "evidence"),
    "06.episodic": None,
}


def _locked(check: tuple[str, str] | None) -> str | None:
    """Course mode's message if this graded check is closed for now, else None."""
    if check is None:
        return None
    from medialit import course_mode, grading

    if not course_mode.is_locked(*check):
        return None
    assignment = next(it.assignment for it in grading.ITEMS.values() if tuple(check) in it.checks())
    return course_mode.LOCKED_MESSAGE.format(assignment=assignment)


def _choice_check(key: str) -> tuple[str, str] | None:
    if key not in CHOICE_CHECKS:
        raise MedialitError(
            f"lessons.CHOICE_CHECKS does not say which graded check {key!r} answers; add it "
            "(None if no graded item asks it) so course mode can close it."
        )
    return CHOICE_CHECKS[key]


#: Lessons whose answers belong to another article than the seed.
LESSON_ARTICLES = {"lesson08": "practice"}


def _file(exercise: str) -> AnswerFile:
    """The kernel's one AnswerFile for an exercise, shared with its tagger."""
    return live_answers(exercise, article=LESSON_ARTICLES.get(exercise, "seed"))


def _saved_response(exercise: str, name: str) -> str:
    return _file(exercise).sheet.responses.get(name, "")


def _save(exercise: str, change: Callable[[Any], None], status: widgets.HTML) -> None:
    """Apply a change to the exercise's shared sheet, save, and say so in ``status``."""
    answers = _file(exercise)
    try:
        change(answers.sheet)
        answers.save()
    except MedialitError as exc:
        status.value = _status(f"Not saved: {exc}", "bad")
        return
    notice = answers.notice
    where = f"answers/{exercise}.json"
    status.value = _status(notice or f"Saved in {where}.", "warn" if notice else "good")


# -- small HTML pieces -------------------------------------------------------------------
def _esc(text: str) -> str:
    return html.escape(str(text), quote=True)


def _para(text: str) -> str:
    """Escape a teaching text; blank lines become paragraph breaks, *words* become italics."""
    parts = []
    for block in str(text).split("\n\n"):
        escaped = _esc(block.strip()).replace("\n", "<br>")
        bits = escaped.split("*")
        if len(bits) % 2 == 1 and len(bits) > 1:
            escaped = "".join(b if i % 2 == 0 else f"<em>{b}</em>" for i, b in enumerate(bits))
        parts.append(f"<p>{escaped}</p>")
    return "".join(parts)


def _status(text: str = "", kind: str = "note") -> str:
    colour = {"note": "#555", "good": "#1b6e2e", "warn": "#8a4b00", "bad": "#a01c1c"}[kind]
    return f'<span style="color:{colour}">{_esc(text)}</span>'


def _article(article: str | Article) -> Article:
    return article if isinstance(article, Article) else load_article(article)


def _unit_html(unit: Unit, *, with_id: bool = True) -> str:
    label = f'<span class="ml-id">{_esc(unit.id)}</span>' if with_id else ""
    return f"{label}{_esc(unit.text)}"


# -- reading -----------------------------------------------------------------------------
def show_article(article: str = "seed") -> None:
    """The whole article, paragraph by paragraph, with each unit's id shown small."""
    art = _article(article)
    parts = [_STYLE, '<div class="ml-article">']
    if art.key == "practice":
        parts.append(f'<div class="ml-box ml-practice-label">{_esc(PRACTICE_LABEL)}</div>')
    parts.append(f"<h3>{_unit_html(art.units[0])}</h3>")
    for number in range(1, art.paragraph_count + 1):
        sentences = " ".join(_unit_html(u) for u in art.paragraph(number))
        parts.append(f"<p>{sentences}</p>")
    parts.append("</div>")
    display(HTML("".join(parts)))


def show_units(*unit_ids: str, article: str = "seed") -> None:
    """Quote some units of the article, each with its id."""
    art = _article(article)
    if not unit_ids:
        raise MedialitError("Name at least one unit to show, for example show_units('P3.S1').")
    quotes = "".join(f'<div class="ml-quote">{_unit_html(art.unit(uid))}</div>' for uid in unit_ids)
    display(HTML(_STYLE + quotes))


def show_paragraph(number: int, article: str = "seed") -> None:
    """Quote one paragraph (0 is the headline)."""
    art = _article(article)
    units = art.paragraph(number)
    if not units:
        raise MedialitError(
            f"The article has no paragraph {number}; paragraphs run from 0 (the headline) "
            f"to {art.paragraph_count}."
        )
    show_units(*(u.id for u in units), article=article)


def show_source() -> None:
    """Lesson 00: what the kit knows, and does not know, about where the article came from.

    The date is left out on purpose: lesson 00 asks the student to work it out first, and
    ``show_dating`` shows the kit's dating afterwards.
    """
    info = _item("00.source")
    rows = "".join(
        f"<tr><th style='text-align:left;padding-right:1em'>{_esc(k)}</th>"
        f"<td style='text-align:left'>{_esc(v)}</td></tr>"
        for k, v in info["facts"]
    )
    display(HTML(_STYLE + f"<table class='ml-table'>{rows}</table>"))


def _dating_html() -> str:
    info = _item("00.source")
    record = _module("dossier").event(info["dossier_event"])
    return (
        f"{_STYLE}<p><b>Dating it.</b> {_esc(info['dating'])}</p>"
        f'<div class="ml-box">{_esc(record.what_the_record_shows)}<br>'
        f'<span class="ml-note">Source: {_esc(record.citation)}</span></div>'
    )


def show_dating(*, after: str) -> widgets.VBox:
    """Lesson 00: how the kit dates the article from its dossier, revealed only once the
    student has written their own answer (the ``after`` question, e.g. ``"00.dating"``)."""
    _item("00.source")  # a missing entry fails when the cell runs
    return _after_writing(
        after,
        label="Show how the kit dates it",
        css="ml-dating",
        warn="Write your own answer above first — then compare.",
        render=_dating_html,
    )


def show_my_answer(key: str) -> None:
    """Show a written answer the student saved in an earlier lesson (e.g. ``"00.reaction"``),
    read-only, or say plainly that there is none yet."""
    exercise, name = _split_key(key, None)
    path = answers_path(exercise)
    saved = read_answers(path).responses.get(name, "").strip() if path.exists() else ""
    lesson = exercise.removeprefix("lesson")
    if not saved:
        _say(
            f"There is no saved answer to this question from lesson {lesson} yet "
            f"(answers/{exercise}.json). You can go back and write one, or think back now."
        )
        return
    display(
        HTML(
            _STYLE + f'<div class="ml-box"><b>What you wrote in lesson {_esc(lesson)}:</b>'
            f'<div class="ml-quote">{_para(saved)}</div></div>'
        )
    )


def label_guide(layer: str) -> None:
    """The labels of one layer, with their meaning and typical cue words (from the scheme)."""
    from medialit.scheme import default_scheme

    lay = default_scheme().layer(layer)
    rows = "".join(
        f"<tr><td style='text-align:left'><b>{_esc(lab.name)}</b></td>"
        f"<td style='text-align:left'>{_esc(lab.definition)}</td>"
        f"<td style='text-align:left'><i>{_esc('; '.join(lab.cues))}</i></td></tr>"
        for lab in lay.labels
    )
    head = (
        "<tr><th style='text-align:left'>label</th><th style='text-align:left'>meaning</th>"
        "<th style='text-align:left'>typical words (not from our article)</th></tr>"
    )
    title = f"<p><b>{_esc(lay.title)}:</b> {_esc(lay.question)}</p>"
    display(HTML(_STYLE + title + f"<table class='ml-table'>{head}{rows}</table>"))


# -- questions ---------------------------------------------------------------------------
def _reveal_box(
    model: str, *, need: Callable[[], str] | None, css: str, answers: str | None = None
) -> widgets.VBox:
    """A "Reveal a model answer" button; if ``need`` is given, it returns the student's text.
    A model answer that gives away graded item ``answers`` stays closed in course mode."""
    button = widgets.Button(description="Reveal a model answer", icon="eye", layout=_WIDE)
    button.add_class("ml-reveal")
    out = widgets.HTML()
    out.add_class(css)

    def on_click(_: Any) -> None:
        if need is not None and len(need().strip()) < MIN_ANSWER_CHARS:
            out.value = _status(
                "Write your own answer first (a sentence or two) — then compare.", "warn"
            )
            return
        closed = _held_back(answers, what="The model answer")
        if closed:
            out.value = f'<div class="ml-box ml-locked">{_para(closed)}</div>'
            return
        out.value = f'<div class="ml-box"><b>A model answer</b>{_para(model)}</div>'

    button.on_click(on_click)
    return widgets.VBox([button, out])


def question(key: str, prompt: str | None = None, *, exercise: str | None = None) -> widgets.VBox:
    """A written answer, saved as you type, with a model answer to reveal after writing."""
    item = _item(key) if prompt is None else {"prompt": prompt, "model": ""}
    if prompt is None:
        prompt = item["prompt"]
    exercise, name = _split_key(key, exercise)
    box = widgets.Textarea(
        value=_saved_response(exercise, name),
        placeholder=item.get("placeholder", "Type your answer here. It is saved as you type."),
        layout=widgets.Layout(width="95%", max_width="46em", height="7em"),
    )
    box.add_class("ml-answer")
    status = widgets.HTML(_status("Saved earlier." if box.value else ""))

    def on_change(change: dict) -> None:
        _save(exercise, lambda s: s.set_response(name, change["new"]), status)

    box.observe(on_change, names="value")
    parts: list[widgets.Widget] = [widgets.HTML(_para(prompt)), box, status]
    if item.get("model"):
        parts.append(
            _reveal_box(
                item["model"], need=lambda: box.value, css="ml-model", answers=item.get("answers")
            )
        )
    widget = widgets.VBox(parts)
    widget.add_class("ml-question")
    return widget


def choice(
    key: str,
    prompt: str | None = None,
    options: Sequence[str] | None = None,
    *,
    exercise: str | None = None,
    explain: dict[str, str] | None = None,
) -> widgets.VBox:
    """One choice among options, saved, with a Check button that explains each option."""
    item = dict(_item(key)) if options is None else {}
    graded = _choice_check(key) if options is None else None
    prompt = prompt if prompt is not None else item.get("prompt", "")
    if options is None:
        options = [opt for opt, _ in item["options"]]
        explain = explain or {opt: why for opt, why in item["options"]}
    explain = explain or {}
    good = set(item.get("accept", []))
    exercise, name = _split_key(key, exercise)
    saved = _saved_response(exercise, name)
    labelled: list[tuple[str, str]] = [(opt, opt) for opt in options]
    if item.get("units"):  # options are unit ids: show each with its words, from the article
        art = load_article(item.get("article", "seed"))
        labelled = [(f"{opt}: {art.unit(opt).text}", opt) for opt in options]
    radio = choices.radio_buttons(labelled, saved)  # whole sentences, wrapped
    radio.add_class("ml-choice")
    status = widgets.HTML()
    feedback = widgets.HTML()
    check = widgets.Button(description="Check", icon="check", layout=_WIDE)
    check.add_class("ml-check")

    def on_change(change: dict) -> None:
        feedback.value = ""
        if change["new"] is None:
            return
        _save(exercise, lambda s: s.set_response(name, change["new"]), status)

    def on_check(_: Any) -> None:
        picked = radio.value
        if picked is None:
            feedback.value = _status("Pick one option first.", "warn")
            return
        closed = _locked(graded)
        if closed:
            feedback.value = f'<div class="ml-box ml-locked">{_para(closed)}</div>'
            return
        verdict = ""
        if good:
            verdict = (
                "<b>Yes — a defensible choice.</b> "
                if picked in good
                else "<b>Not the best choice.</b> "
            )
        why = explain.get(picked, "")
        feedback.value = f'<div class="ml-box">{verdict}{_para(why)}</div>'

    radio.observe(on_change, names="value")
    check.on_click(on_check)
    head = widgets.HTML(choices.STYLE + _para(prompt))
    widget = widgets.VBox([head, radio, status, check, feedback])
    widget.add_class("ml-choice-box")
    return widget


def reveal(key: str, *, after: str | None = None) -> widgets.VBox:
    """A model answer or explanation behind a button.

    With ``after="05.rewrite"`` the button only opens once that written answer exists.
    """
    item = _item(key)
    need = None
    if after:
        exercise, name = _split_key(after, None)

        def need() -> str:
            return _saved_response(exercise, name)

    body = (
        widgets.VBox([widgets.HTML(_para(item.get("prompt", "")))]) if item.get("prompt") else None
    )
    box = _reveal_box(item["model"], need=need, css="ml-model", answers=item.get("answers"))
    return widgets.VBox([body, box] if body else [box])


#: Shown in place of a summary point that gives away a graded answer, while it is closed.
HELD_BACK = (
    "{what} opens after your instructor releases feedback for {assignment}: "
    "it would give away the answer to a graded question."
)


def _held_back(item_id: str | None, what: str = "One more point") -> str | None:
    """Course mode's note if the graded item ``item_id``'s checks are closed, else None."""
    if not item_id:
        return None
    from medialit import course_mode
    from medialit.items import ITEMS

    if item_id not in ITEMS:
        raise MedialitError(
            f"data/lessons/questions.json names {item_id!r} as a graded item, but there is "
            f"no such item; use one of {', '.join(ITEMS)}."
        )
    assignment = ITEMS[item_id].assignment
    if assignment not in course_mode.locked_assignments():
        return None
    return HELD_BACK.format(what=what, assignment=assignment)


def _inline(text: str) -> str:
    """Escape a short text; **words** become bold and *words* italics."""
    escaped = _esc(text)
    escaped = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", escaped)
    return re.sub(r"\*(.+?)\*", r"<em>\1</em>", escaped)


def summary(key: str) -> widgets.VBox:
    """A lesson's "What you learned" list (e.g. ``"00.learned"`` in questions.json).

    A point that gives away the answer to a graded item (its ``"answers"``, an item id such
    as ``"a1_genre"``) is never on show when the cells run: in self-study it waits behind a
    button, so Run All does not answer the lesson's questions before the student has tried
    them; while course mode closes that item's checks it is held back, and a note says when
    it opens.
    """
    shown, later, notes = [], [], []
    for point in _item(key)["points"]:
        closed = _held_back(point.get("answers"))
        if not point.get("answers"):
            shown.append(f"<li>{_inline(point['text'])}</li>")
        elif closed is None:
            later.append(f"<li>{_inline(point['text'])}</li>")
        elif closed not in notes:
            notes.append(closed)
    held = "".join(f'<p class="ml-note ml-locked">{_esc(n)}</p>' for n in notes)
    head = widgets.HTML(_STYLE + f'<div class="ml-summary"><ul>{"".join(shown)}</ul>{held}</div>')
    parts: list[widgets.Widget] = [head]
    if later:
        button = widgets.Button(
            description="Show what the lesson's answers were", icon="eye", layout=_WIDE
        )
        button.add_class("ml-reveal")
        rest = widgets.HTML()
        rest.add_class("ml-summary-answers")

        def on_click(_: Any) -> None:
            rest.value = f'<div class="ml-summary"><ul>{"".join(later)}</ul></div>'
            button.layout.display = "none"

        button.on_click(on_click)
        parts += [
            widgets.HTML('<p class="ml-note">The rest gives the answers: answer first.</p>'),
            button,
            rest,
        ]
    box = widgets.VBox(parts)
    box.add_class("ml-summary-box")
    return box


# -- the tagger, the reference and the charts (other modules of the kit) ------------------
def _module(name: str):
    """Import a kit module, or explain plainly that this copy of the kit lacks it."""
    try:
        return importlib.import_module(f"medialit.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"medialit.{name}":
            raise
        raise MedialitError(
            f"This copy of medialit has no '{name}' module yet; update the kit "
            "('git pull' then 'pip install -e .') and run the cell again."
        ) from exc


def tag(
    exercise: str,
    layers: Sequence[str],
    units: Sequence[str] | None = None,
    article: str = "seed",
) -> Any:
    """The claim tagger (``medialit.tagger.tag``), saving into ``answers/<exercise>.json``.

    The tagger saves through the same AnswerFile as this lesson's other widgets
    (``medialit.answers.live_answers``), so tags, written answers and verdicts share one
    sheet and never overwrite each other.
    """
    tagger = _module("tagger")
    return tagger.tag(exercise, layers=list(layers), units=units, article=article)


def _sheet_or_message(exercise: str) -> Any:
    """The student's saved sheet for an exercise, or None after saying what to do."""
    path = answers_path(exercise)
    if not path.exists():
        lesson = exercise.removeprefix("lesson")
        todo = (
            "Tag the sentences in the tagger above first"
            if _module("tagger").live_tagger(path) is not None
            else f"Do the tagging in lesson {lesson} first"
        )
        _say(
            f"There are no saved answers for lesson {lesson} yet ({path}). {todo}, then run "
            "this cell again."
        )
        return None
    return read_answers(path)


def _say(text: str) -> None:
    display(HTML(_STYLE + f'<div class="ml-box">{_para(text)}</div>'))


def my_chart(kind: str, exercise: str, layer: str = "role", article: str = "seed") -> None:
    """A chart of the student's saved tags: "map" (reading order), "counts", or "compare"
    (each tag marked as accepted by the expert or not)."""
    charts = _module("charts")
    sheet = _sheet_or_message(exercise)
    if sheet is None:
        return
    if sheet.article != article:
        raise MedialitError(
            f"answers/{exercise}.json holds tags of the {sheet.article!r} article, not "
            f"{article!r}; run this cell with article={sheet.article!r}."
        )
    if not any(layer in by_layer for by_layer in sheet.tags.values()):
        _say(f"You have not tagged the {layer} layer yet: tag a few sentences first.")
        return
    if kind == "map":
        fig = charts.rhetoric_map(sheet, layers=[layer])
    elif kind == "counts":
        fig = charts.label_counts(sheet, layers=[layer])
    elif kind == "compare":
        fig = charts.student_vs_reference(sheet, layers=[layer])
    else:
        raise MedialitError(f"Unknown chart {kind!r}; use 'map', 'counts' or 'compare'.")
    _show_figure(fig)


def _show_figure(fig: Any) -> None:
    if fig is None:
        return
    import matplotlib.pyplot as plt

    display(fig)
    plt.close(fig)


def _table(frame: Any, columns: Sequence[str] | None = None) -> str:
    """A small escaped HTML table (pandas escapes cell text)."""
    frame = frame if columns is None else frame[list(columns)]
    frame = frame.rename(columns=lambda c: str(c).replace("_", " "))
    return frame.to_html(index=False, escape=True, border=0, na_rep="", classes="ml-table")


def my_agreement(exercise: str, layers: Sequence[str] = ("role",)) -> None:
    """Lesson 07: how far the student's saved tags agree with the expert reference
    (``medialit.agreement``), and the expert's reasoning on every sentence where they differ
    (``medialit.check``, which keeps checks closed in course mode)."""
    agreement = _module("agreement")
    sheet = _sheet_or_message(exercise)
    if sheet is None:
        return
    reference = _module("reference").load_reference(sheet.article)
    parts = [_STYLE]
    for layer in layers:
        result = agreement.agreement_with_reference(sheet, reference, layer)
        parts.append(f"<h4>{_esc(layer)}</h4><p>{_esc(result.reading)}</p>")
        units = list(dict.fromkeys(unit for unit, _ in result.mistakes))
        if not units:
            continue
        report = _module("check").check(sheet, [layer], reference=reference, units=units)
        rows = "".join(
            f"<tr><td>{_esc(r.unit)}</td><td>{_esc(', '.join(r.labels) or 'none')}</td>"
            f"<td>{_esc(r.message)}</td></tr>"
            for r in report.results
        )
        parts.append(
            "<p>Where the expert reads it differently:</p><table class='ml-table'>"
            "<tr><th>sentence</th><th>your label</th><th>what the expert thinks</th></tr>"
            f"{rows}</table>"
        )
    display(HTML("".join(parts)))


def agreement_anchors() -> None:
    """Lesson 07: the published agreement figures the kit compares with."""
    agreement = _module("agreement")
    display(HTML(_STYLE + _table(agreement.anchors_frame())))


def class_agreement(folder: str | Path = "class") -> None:
    """Lesson 07: agreement between classmates, when the instructor shared a class folder."""
    folder = Path(folder)
    if not folder.is_dir() or not any(folder.rglob("*.json")):
        _say(_item("07.no_class")["model"].replace("{folder}", str(folder)))
        return
    classroom = _module("classroom")
    charts = _module("charts")
    answers = classroom.load_class(folder)
    reference = _module("reference").load_reference(answers.article)
    summary = answers.summary(reference, layers=["role", "statement"])
    readings = "".join(
        f"<p><b>{_esc(r.layer)}:</b> {_esc(r.reading)}</p>" for r in summary.itertuples()
    )
    display(HTML(_STYLE + f"<p>{_esc(answers.reading)}</p>{readings}"))
    if len(answers) >= 2:
        _show_figure(charts.disputed_units(answers, "role", reference=reference))


# -- lesson 04: the dossier (medialit.dossier) ----------------------------------------------
def _lines(text: str) -> str:
    """Escape text; its line breaks become <br>."""
    return "<br>".join(_esc(line) for line in str(text).splitlines())


#: Appended to a date in the record that falls after the article was written.
AFTER_ARTICLE = "after the article was written"
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_DATE = re.compile(rf"\b(\d{{1,2}}) ({'|'.join(_MONTHS)}) (\d{{4}})\b( \(([^)]*)\))?")


def mark_later_dates(text: str) -> str:
    """Label every full date in ``text`` later than the article's ("5 February 2019") with
    "(after the article was written)", so no one mistakes it for something the writer knew.
    A bracket right after the date takes the label in: "5 February 2019 (after the article
    was written; State of the Union)"."""
    from datetime import date

    written = _module("dossier").ARTICLE_DATE

    def label(match: re.Match) -> str:
        day, month, year, bracket, inside = match.groups()
        when = date(int(year), _MONTHS.index(month) + 1, int(day))
        if when <= written:
            return match.group(0)
        note = f"{AFTER_ARTICLE}; {inside}" if bracket else AFTER_ARTICLE
        return f"{day} {month} {year} ({note})"

    return _DATE.sub(label, text)


def show_timeline() -> None:
    """Lesson 04: the dated record from the dossier, as a timeline chart with its sources.

    Dates in the record later than the article are labelled as such (``mark_later_dates``).
    """
    dossier = _module("dossier")
    _show_figure(dossier.timeline())
    frame = dossier.dossier_frame()
    frame["what_the_record_shows"] = frame["what_the_record_shows"].map(mark_later_dates)
    display(HTML(_STYLE + _table(frame, ["when", "event", "what_the_record_shows", "sources"])))


def claims_table() -> None:
    """Lesson 04: each checkable claim of the article beside the dossier events it rests on.

    Each event is named with its date only; the full record of each event is in the table
    of ``show_timeline()``, so a record used by several claims is not repeated. The rows
    come from ``medialit.dossier.claims_beside_record()``, which leaves out the kit's
    verdict on purpose: ``verdicts()`` reveals it only after the student has chosen.
    """
    dossier = _module("dossier")
    frame = dossier.claims_beside_record()
    rows = []
    for c in frame.itertuples():
        events = [dossier.event(i.strip()) for i in c.dossier.split(";") if i.strip()]
        record = "<br>".join(f"{_esc(e.when)}: {_esc(e.event)}" for e in events)
        sources = "<br>".join(_esc(e.citation) for e in events)  # not the dossier's row ids
        rows.append(
            f"<tr><td>{_esc(c.id)}<br><span class='ml-id'>{_esc(c.unit)}</span></td>"
            f"<td>{_esc(c.claim)}</td><td>{record or _lines(c.record)}</td>"
            f"<td class='ml-note'>{sources}</td></tr>"
        )
    head = (
        "<tr><th>claim</th><th>the article says</th><th>the record it rests on (full text "
        "under the timeline)</th><th>sources</th></tr>"
    )
    display(HTML(_STYLE + f"<table class='ml-table'>{head}{''.join(rows)}</table>"))


def verdicts(exercise: str = "lesson04") -> widgets.VBox:
    """Lesson 04: a verdict and a reason for each checkable claim, saved like tags.

    The kit's own reading of a claim is revealed only after the student chose a verdict.
    """
    sheet = _file(exercise).sheet
    rows = [
        _verdict_row(exercise, claim, sheet.verdicts.get(claim.id, {}))
        for claim in _module("dossier").load_claims()
    ]
    widget = widgets.VBox(rows)
    widget.add_class("ml-verdicts")
    return widget


def _quoted(text: str) -> str:
    """The article's words in quotation marks, once: a claim that is itself a quotation
    already starts and ends with its own marks, and a quotation inside one takes single marks."""
    text = text.strip()
    if text[:1] in '“"' and text[-1:] in '”"':
        return text
    return "“" + text.replace("“", "‘").replace("”", "’") + "”"


def _verdict_row(exercise: str, claim: Any, saved: dict) -> widgets.VBox:
    words = _module("dossier").VERDICT_WORDS
    names = [(words[v], v) for v in VERDICTS]
    pick = choices.radio_buttons(names, saved.get("verdict"), horizontal=True)
    pick.add_class("ml-verdict")
    reason = widgets.Textarea(
        value=saved.get("reason", ""),
        placeholder="Your reason: which record, and what it does or does not show.",
        layout=widgets.Layout(width="95%", max_width="46em", height="4em"),
    )
    status = widgets.HTML()
    kit = widgets.HTML()
    show = widgets.Button(description="Show the kit's reading", icon="eye", layout=_WIDE)
    show.add_class("ml-reveal")

    def save() -> None:
        _save(exercise, lambda s: s.set_verdict(claim.id, pick.value, reason.value), status)

    def on_pick(_: Any) -> None:
        kit.value = ""  # "choose first", or the kit's reading of the verdict picked before
        save()

    def on_show(_: Any) -> None:
        if pick.value is None:
            kit.value = _status("Choose your verdict first, then compare.", "warn")
            return
        closed = _locked((claim.id, "verdict"))
        if closed:
            kit.value = f'<div class="ml-box ml-locked">{_para(closed)}</div>'
            return
        reading = _module("dossier").check_verdict(claim.id, pick.value)
        kit.value = f'<div class="ml-box">{_para(reading)}</div>'

    pick.observe(on_pick, names="value")
    reason.observe(lambda _: save() if pick.value else None, names="value")
    show.on_click(on_show)
    head = widgets.HTML(
        _STYLE
        + choices.STYLE
        + f"<h4>{_esc(claim.id)} <span class='ml-id'>{_esc(claim.unit)}</span> "
        + f"{_esc(_quoted(claim.claim))}</h4>"
    )
    return widgets.VBox([head, pick, reason, status, show, kit])


# -- lesson 05 and 06: the kit's rewrites (medialit.rewrites) ---------------------------------
_REWRITE_TITLES = {"05": "The kit's neutral version", "06": "The kit's reframing"}


def _rewrite_html(rewrite_id: str) -> str:
    """The original, the kit's rewrite and the list of changes, as one box."""
    rw = _module("rewrites").get_rewrite(rewrite_id)
    kind = _REWRITE_TITLES.get(rw.lesson, "The kit's rewrite")
    title = f"{kind} of {' and '.join(rw.units)}"
    changes = "".join(
        f"<tr><td>{_esc(c.original)}</td>"
        f"<td>{'<i>removed</i>' if c.removed else _esc(c.replacement)}</td>"
        f"<td>{_esc(c.why)}</td></tr>"
        for c in rw.changes
    )
    return (
        f'<div class="ml-box"><b>{_esc(title)}</b>'
        f'<p class="ml-note">The original:</p><div class="ml-quote">{_esc(rw.original)}</div>'
        f'<p class="ml-note">The kit\'s version:</p><div class="ml-quote">{_esc(rw.rewrite)}</div>'
        "<p><b>What changed, and why</b></p><table class='ml-table'><tr><th>the original says"
        "</th><th>the kit's version says</th><th>why</th></tr>"
        f"{changes}</table></div>"
    )


def show_rewrite(rewrite_id: str, *, after: str) -> widgets.VBox:
    """The kit's rewrite (``data/rewrites.csv``, e.g. ``"R1"``) and its list of changes,
    revealed only once the student has saved their own version (the ``after`` question)."""
    _module("rewrites").get_rewrite(rewrite_id)  # an unknown id fails when the cell runs
    return _after_writing(
        after,
        label="Show the kit's rewrite",
        css="ml-rewrite",
        warn="Write your own version above first — then compare.",
        render=lambda: _STYLE + _rewrite_html(rewrite_id),
    )


def _after_writing(
    after: str, *, label: str, css: str, warn: str, render: Callable[[], str]
) -> widgets.VBox:
    """A button that shows ``render()`` only once the ``after`` answer has been written."""
    exercise, name = _split_key(after, None)
    button = widgets.Button(description=label, icon="eye", layout=_WIDE)
    button.add_class("ml-reveal")
    out = widgets.HTML()

    def on_click(_: Any) -> None:
        if len(_saved_response(exercise, name).strip()) < MIN_ANSWER_CHARS:
            out.value = _status(warn, "warn")
            return
        out.value = render()

    button.on_click(on_click)
    widget = widgets.VBox([button, out])
    widget.add_class(css)
    return widget
