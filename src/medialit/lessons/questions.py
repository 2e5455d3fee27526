"""Questions in a lesson: written answers, single choices, model answers and summaries.

A written answer is saved as it is typed; its model answer opens only once the student has
written something (``MIN_ANSWER_CHARS``). A choice has a Check button that explains every
option. Anything that would give away a graded answer stays closed in course mode
(``medialit.lessons.bank``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as widgets

from medialit import choices
from medialit.article import load_article
from medialit.lessons.bank import choice_check, held_back, locked_message, question_item, split_key
from medialit.lessons.markup import STYLE, button_layout, esc, inline, para, status_html
from medialit.lessons.saving import save_answer, saved_response

#: A written answer must be at least this long before its model answer can be revealed.
MIN_ANSWER_CHARS = 15


def _reveal_box(
    model: str, *, need: Callable[[], str] | None, css: str, answers: str | None = None
) -> widgets.VBox:
    """A "Reveal a model answer" button; if ``need`` is given, it returns the student's text.
    A model answer that gives away graded item ``answers`` stays closed in course mode."""
    button = widgets.Button(description="Reveal a model answer", icon="eye", layout=button_layout())
    button.add_class("ml-reveal")
    out = widgets.HTML()
    out.add_class(css)

    def on_click(_: Any) -> None:
        if need is not None and len(need().strip()) < MIN_ANSWER_CHARS:
            out.value = status_html(
                "Write your own answer first (a sentence or two) — then compare.", "warn"
            )
            return
        closed = held_back(answers, what="The model answer")
        if closed:
            out.value = f'<div class="ml-box ml-locked">{para(closed)}</div>'
            return
        out.value = f'<div class="ml-box"><b>A model answer</b>{para(model)}</div>'

    button.on_click(on_click)
    return widgets.VBox([button, out])


def question(key: str, prompt: str | None = None, *, exercise: str | None = None) -> widgets.VBox:
    """A written answer, saved as you type, with a model answer to reveal after writing."""
    item = question_item(key) if prompt is None else {"prompt": prompt, "model": ""}
    if prompt is None:
        prompt = item["prompt"]
    exercise, name = split_key(key, exercise)
    box = widgets.Textarea(
        value=saved_response(exercise, name),
        placeholder=item.get("placeholder", "Type your answer here. It is saved as you type."),
        layout=widgets.Layout(width="95%", max_width="46em", height="7em"),
    )
    box.add_class("ml-answer")
    status = widgets.HTML(status_html("Saved earlier." if box.value else ""))

    def on_change(change: dict) -> None:
        save_answer(exercise, lambda s: s.set_response(name, change["new"]), status)

    box.observe(on_change, names="value")
    parts: list[widgets.Widget] = [widgets.HTML(para(prompt)), box, status]
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
    item = dict(question_item(key)) if options is None else {}
    graded = choice_check(key) if options is None else None
    prompt = prompt if prompt is not None else item.get("prompt", "")
    if options is None:
        options = [opt for opt, _ in item["options"]]
        explain = explain or {opt: why for opt, why in item["options"]}
    explain = explain or {}
    good = set(item.get("accept", []))
    exercise, name = split_key(key, exercise)
    saved = saved_response(exercise, name)
    labelled: list[tuple[str, str]] = [(opt, opt) for opt in options]
    if item.get("units"):  # options are unit ids: show each with its words, from the article
        art = load_article(item.get("article", "seed"))
        labelled = [(f"{opt}: {art.unit(opt).text}", opt) for opt in options]
    radio = choices.radio_buttons(labelled, saved)  # whole sentences, wrapped
    radio.add_class("ml-choice")
    status = widgets.HTML()
    feedback = widgets.HTML()
    check = widgets.Button(description="Check", icon="check", layout=button_layout())
    check.add_class("ml-check")

    def on_change(change: dict) -> None:
        feedback.value = ""
        if change["new"] is None:
            return
        save_answer(exercise, lambda s: s.set_response(name, change["new"]), status)

    def on_check(_: Any) -> None:
        picked = radio.value
        if picked is None:
            feedback.value = status_html("Pick one option first.", "warn")
            return
        closed = locked_message(graded)
        if closed:
            feedback.value = f'<div class="ml-box ml-locked">{para(closed)}</div>'
            return
        verdict = ""
        if good:  # a question of fact says "Correct." / "No." (its "right" and "wrong")
            right = item.get("right", "Yes — a defensible choice.")
            wrong = item.get("wrong", "Not the best choice.")
            verdict = f"<b>{esc(right if picked in good else wrong)}</b> "
        why = explain.get(picked, "")
        feedback.value = f'<div class="ml-box">{verdict}{para(why)}</div>'

    radio.observe(on_change, names="value")
    check.on_click(on_check)
    head = widgets.HTML(choices.STYLE + para(prompt))
    widget = widgets.VBox([head, radio, status, check, feedback])
    widget.add_class("ml-choice-box")
    return widget


def reveal(key: str, *, after: str | None = None) -> widgets.VBox:
    """A model answer or explanation behind a button.

    With ``after="05.rewrite"`` the button only opens once that written answer exists.
    """
    item = question_item(key)
    need = None
    if after:
        exercise, name = split_key(after, None)

        def need() -> str:
            return saved_response(exercise, name)

    body = (
        widgets.VBox([widgets.HTML(para(item.get("prompt", "")))]) if item.get("prompt") else None
    )
    box = _reveal_box(item["model"], need=need, css="ml-model", answers=item.get("answers"))
    return widgets.VBox([body, box] if body else [box])


def summary(key: str) -> widgets.VBox:
    """A lesson's "What you learned" list (e.g. ``"00.learned"`` in questions.json).

    A point that gives away the answer to a graded item (its ``"answers"``, an item id such
    as ``"a1_genre"``) is never on show when the cells run: in self-study it waits behind a
    button, so Run All does not answer the lesson's questions before the student has tried
    them; while course mode closes that item's checks it is held back, and a note says when
    it opens.
    """
    shown, later, notes = [], [], []
    for point in question_item(key)["points"]:
        closed = held_back(point.get("answers"))
        if not point.get("answers"):
            shown.append(f"<li>{inline(point['text'])}</li>")
        elif closed is None:
            later.append(f"<li>{inline(point['text'])}</li>")
        elif closed not in notes:
            notes.append(closed)
    held = "".join(f'<p class="ml-note ml-locked">{esc(n)}</p>' for n in notes)
    head = widgets.HTML(STYLE + f'<div class="ml-summary"><ul>{"".join(shown)}</ul>{held}</div>')
    parts: list[widgets.Widget] = [head]
    if later:
        button = widgets.Button(
            description="Show what the lesson's answers were", icon="eye", layout=button_layout()
        )
        button.add_class("ml-reveal")
        rest = widgets.HTML()
        rest.add_class("ml-summary-answers")

        def on_click(_: Any) -> None:
            rest.value = f'<div class="ml-summary"><ul>{"".join(later)}</ul></div>'
            button.layout.display = "none"

        button.on_click(on_click)
        parts += [
            widgets.HTML(
                '<p class="ml-note">The rest gives away answers to graded questions (here or '
                "in an assignment): try those questions first.</p>"
            ),
            button,
            rest,
        ]
    box = widgets.VBox(parts)
    box.add_class("ml-summary-box")
    return box


def after_writing(
    after: str, *, label: str, css: str, warn: str, render: Callable[[], str]
) -> widgets.VBox:
    """A button that shows ``render()`` only once the ``after`` answer has been written."""
    exercise, name = split_key(after, None)
    button = widgets.Button(description=label, icon="eye", layout=button_layout())
    button.add_class("ml-reveal")
    out = widgets.HTML()

    def on_click(_: Any) -> None:
        if len(saved_response(exercise, name).strip()) < MIN_ANSWER_CHARS:
            out.value = status_html(warn, "warn")
            return
        out.value = render()

    button.on_click(on_click)
    widget = widgets.VBox([button, out])
    widget.add_class(css)
    return widget
