"""What the lesson notebooks call: one function per code cell, each displaying something.

Every helper here is a one-liner for the student: show the article or some of its units,
ask a question (saved as you type, with a model answer to reveal afterwards), offer a
single choice with an explanation, give the claims of lesson 04 a verdict, reveal the
kit's rewrite, show charts and agreement. The teaching texts, prompts and model answers
are data in ``data/lessons/questions.json``; the article is only ever quoted through
``medialit.article``, so the words shown are exactly the seed's.

Answers go to ``answers/lessonNN.json`` beside the notebook (``medialit.answers``). Each
save re-reads the file first, so the tagger and these widgets can share one file without
one overwriting what the other saved.
"""

from __future__ import annotations

import html
import importlib
import json
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import ipywidgets as widgets
from IPython.display import HTML, display

from medialit import paths
from medialit.answers import VERDICTS, open_answers
from medialit.article import Article, Unit, load_article
from medialit.errors import MedialitError

__all__ = [
    "choice",
    "claims_table",
    "class_agreement",
    "label_guide",
    "my_agreement",
    "my_chart",
    "question",
    "reveal",
    "show_article",
    "show_paragraph",
    "show_rewrite",
    "show_source",
    "show_timeline",
    "show_units",
    "tag",
    "verdicts",
]

#: How the kit names verdicts to a student.
VERDICT_NAMES = {
    "supported": "supported",
    "partly_supported": "partly supported",
    "not_supported": "not supported",
    "cant_tell": "can't tell from here",
}
#: A written answer must be at least this long before its model answer can be revealed.
MIN_ANSWER_CHARS = 15

_STYLE = """
<style>
.ml-article {max-width: 46em; font-size: 1.05em; line-height: 1.55;}
.ml-article h3 {margin-bottom: 0.6em;}
.ml-id {font-size: 0.7em; color: #6a6a6a; font-family: monospace; margin: 0 0.25em;}
.ml-quote {border-left: 4px solid #9bb7d4; padding: 0.2em 0.9em; margin: 0.4em 0;
  max-width: 46em;}
.ml-note {color: #444; font-size: 0.95em;}
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


def _saved_response(exercise: str, name: str) -> str:
    return open_answers(exercise).sheet.responses.get(name, "")


def _save(exercise: str, change: Callable[[Any], None]) -> str | None:
    """Re-open the answers file, apply a change, save. Returns the file's notice, if any."""
    answers = open_answers(exercise)
    change(answers.sheet)
    answers.save()
    return answers.notice


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


def _shorten(text: str, limit: int = 95) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


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
    """Lesson 00: what the kit knows, and does not know, about where the article came from."""
    info = _item("00.source")
    rows = "".join(
        f"<tr><th style='text-align:left;padding-right:1em'>{_esc(k)}</th>"
        f"<td style='text-align:left'>{_esc(v)}</td></tr>"
        for k, v in info["facts"]
    )
    record = _dossier_row(info["dossier_event"])
    dating = ""
    if record is not None:
        dating = (
            f"<p><b>Dating it.</b> {_esc(info['dating'])}</p>"
            f'<div class="ml-box">{_esc(record["text"])}<br>'
            f'<span class="ml-note">Source: {_esc(record["citation"])}</span></div>'
        )
    display(HTML(_STYLE + f"<table>{rows}</table>{dating}"))


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
    display(HTML(_STYLE + title + f"<table>{head}{rows}</table>"))


# -- questions ---------------------------------------------------------------------------
def _reveal_box(model: str, *, need: Callable[[], str] | None, css: str) -> widgets.VBox:
    """A "Reveal a model answer" button; if ``need`` is given, it returns the student's text."""
    button = widgets.Button(description="Reveal a model answer", icon="eye")
    button.add_class("ml-reveal")
    out = widgets.HTML()
    out.add_class(css)

    def on_click(_: Any) -> None:
        if need is not None and len(need().strip()) < MIN_ANSWER_CHARS:
            out.value = _status(
                "Write your own answer first (a sentence or two) — then compare.", "warn"
            )
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
        try:
            notice = _save(exercise, lambda s: s.set_response(name, change["new"]))
        except MedialitError as exc:
            status.value = _status(f"Not saved: {exc}", "bad")
            return
        where = f"answers/{exercise}.json"
        status.value = _status(notice or f"Saved in {where}.", "warn" if notice else "good")

    box.observe(on_change, names="value")
    parts: list[widgets.Widget] = [widgets.HTML(_para(prompt)), box, status]
    if item.get("model"):
        parts.append(_reveal_box(item["model"], need=lambda: box.value, css="ml-model"))
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
        labelled = [(f"{opt}: {_shorten(art.unit(opt).text)}", opt) for opt in options]
    radio = widgets.RadioButtons(
        options=labelled,
        value=saved if saved in options else None,
        layout=widgets.Layout(width="auto"),
    )
    radio.add_class("ml-choice")
    status = widgets.HTML()
    feedback = widgets.HTML()
    check = widgets.Button(description="Check", icon="check")
    check.add_class("ml-check")

    def on_change(change: dict) -> None:
        feedback.value = ""
        if change["new"] is None:
            return
        try:
            notice = _save(exercise, lambda s: s.set_response(name, change["new"]))
        except MedialitError as exc:
            status.value = _status(f"Not saved: {exc}", "bad")
            return
        status.value = _status(notice or f"Saved in answers/{exercise}.json.", "good")

    def on_check(_: Any) -> None:
        picked = radio.value
        if picked is None:
            feedback.value = _status("Pick one option first.", "warn")
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
    widget = widgets.VBox([widgets.HTML(_para(prompt)), radio, status, check, feedback])
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
    box = _reveal_box(item["model"], need=need, css="ml-model")
    return widgets.VBox([body, box] if body else [box])


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
    """The claim tagger (``medialit.tagger.tag``), saving into ``answers/<exercise>.json``."""
    tagger = _module("tagger")
    return tagger.tag(exercise, layers=list(layers), units=units, article=article)


def my_chart(kind: str, exercise: str, layer: str = "role", article: str = "seed") -> None:
    """A chart of the student's own tags: ``kind`` is "map", "counts" or "compare"."""
    charts = _module("charts")
    _show_figure(charts.lesson_chart(kind, exercise=exercise, layer=layer, article=article))


def _show_figure(fig: Any) -> None:
    if fig is None:
        return
    import matplotlib.pyplot as plt

    display(fig)
    plt.close(fig)


def my_agreement(exercise: str, layers: Sequence[str] = ("role", "statement")) -> None:
    """Lesson 07: how far the student's saved tags agree with the expert reference."""
    agreement = _module("agreement")
    display(agreement.student_report(exercise, layers=list(layers)))


def class_agreement(folder: str | Path = "class") -> None:
    """Lesson 07: agreement between classmates, when the instructor shared a class folder."""
    folder = Path(folder)
    if not folder.is_dir() or (not any(folder.glob("*.json")) and not any(folder.glob("*/*"))):
        display(
            HTML(
                _STYLE
                + '<div class="ml-box">'
                + _para(_item("07.no_class")["model"].replace("{folder}", str(folder)))
                + "</div>"
            )
        )
        return
    agreement = _module("agreement")
    display(agreement.class_report(folder))


# -- lesson 04: the dossier ----------------------------------------------------------------
def _dossier_row(event: str) -> dict[str, str] | None:
    """One dossier row as text + citation, or None if the dossier is not there."""
    try:
        dossier = _module("dossier")
    except MedialitError:
        return None
    return dossier.event_text(event)


def show_timeline() -> None:
    """Lesson 04: the dated record from the dossier, as a timeline chart with its sources."""
    dossier = _module("dossier")
    _show_figure(dossier.timeline())


def claims_table() -> None:
    """Lesson 04: each checkable claim of the article beside what the record shows."""
    dossier = _module("dossier")
    display(dossier.claims_beside_record())


def verdicts(exercise: str = "lesson04") -> widgets.VBox:
    """Lesson 04: a verdict and a reason for each checkable claim, saved like tags.

    The kit's own reading of a claim is revealed only after the student chose a verdict.
    """
    dossier = _module("dossier")
    sheet = open_answers(exercise).sheet
    rows = []
    for claim in dossier.load_claims():
        rows.append(_verdict_row(exercise, claim, sheet.verdicts.get(claim.id, {}), dossier))
    widget = widgets.VBox(rows)
    widget.add_class("ml-verdicts")
    return widget


def _verdict_row(exercise: str, claim: Any, saved: dict, dossier: Any) -> widgets.VBox:
    names = [(VERDICT_NAMES[v], v) for v in VERDICTS]
    pick = widgets.ToggleButtons(options=names, value=saved.get("verdict"))
    pick.add_class("ml-verdict")
    reason = widgets.Textarea(
        value=saved.get("reason", ""),
        placeholder="Your reason: which record, and what it does or does not show.",
        layout=widgets.Layout(width="95%", max_width="46em", height="4em"),
    )
    status = widgets.HTML()
    kit = widgets.HTML()
    show = widgets.Button(description="Show the kit's reading", icon="eye")
    show.add_class("ml-reveal")

    def save(_: Any = None) -> None:
        try:
            notice = _save(exercise, lambda s: s.set_verdict(claim.id, pick.value, reason.value))
        except MedialitError as exc:
            status.value = _status(f"Not saved: {exc}", "bad")
            return
        status.value = _status(notice or f"Saved in answers/{exercise}.json.", "good")

    def on_show(_: Any) -> None:
        if pick.value is None:
            kit.value = _status("Choose your verdict first, then compare.", "warn")
            return
        result = dossier.check_verdict(claim.id, pick.value)
        kit.value = f'<div class="ml-box">{_para(result.message)}</div>'

    pick.observe(lambda c: save(), names="value")
    reason.observe(lambda c: save() if pick.value else None, names="value")
    show.on_click(on_show)
    head = widgets.HTML(
        _STYLE
        + f"<h4>{_esc(claim.id)}: {_esc(claim.claim)}</h4>"
        + f'<div class="ml-quote"><span class="ml-id">{_esc(claim.unit)}</span>'
        + f"{_esc(load_article('seed').unit(claim.unit).text)}</div>"
    )
    return widgets.VBox([head, pick, reason, status, show, kit])


# -- lesson 05 and 06: rewrites ----------------------------------------------------------
def show_rewrite(rewrite_id: str, *, after: str) -> widgets.VBox:
    """The kit's own rewrite, revealed once the student saved their own (``after`` key)."""
    rewrites = _module("rewrites")
    exercise, name = _split_key(after, None)
    button = widgets.Button(description="Show the kit's rewrite", icon="eye")
    button.add_class("ml-reveal")
    out = widgets.HTML()

    def on_click(_: Any) -> None:
        if len(_saved_response(exercise, name).strip()) < MIN_ANSWER_CHARS:
            out.value = _status("Write your own rewrite above first — then compare.", "warn")
            return
        rewrite = rewrites.get_rewrite(rewrite_id)
        out.value = (
            f'<div class="ml-box"><b>{_esc(rewrite.title)}</b>'
            f"<p>{_esc(rewrite.text)}</p>{_para(rewrite.note)}</div>"
        )

    button.on_click(on_click)
    return widgets.VBox([button, out])
