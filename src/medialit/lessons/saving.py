"""Where a lesson's answers are saved: one shared ``AnswerFile`` per exercise.

Every widget of a lesson (written answers, choices, verdicts, the tagger) saves through the
kernel's one ``AnswerFile`` for ``answers/<exercise>.json`` (``medialit.answers.live_answers``),
so none overwrites what another saved; ``save_answer`` says in the widget what happened.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from medialit.answers import AnswerFile, live_answers
from medialit.errors import MedialitError
from medialit.lessons.markup import status_html

#: Lessons whose answers belong to another article than the seed.
LESSON_ARTICLES = {"lesson08": "practice"}


def answer_file(exercise: str) -> AnswerFile:
    """The kernel's one AnswerFile for an exercise, shared with its tagger."""
    return live_answers(exercise, article=LESSON_ARTICLES.get(exercise, "seed"))


def saved_response(exercise: str, name: str) -> str:
    return answer_file(exercise).sheet.responses.get(name, "")


def save_answer(exercise: str, change: Callable[[Any], None], status: widgets.HTML) -> None:
    """Apply a change to the exercise's shared sheet, save, and say so in ``status``."""
    answers = answer_file(exercise)
    try:
        change(answers.sheet)
        answers.save()
    except MedialitError as exc:
        status.value = status_html(f"Not saved: {exc}", "bad")
        return
    notice = answers.notice
    where = f"answers/{exercise}.json"
    status.value = status_html(notice or f"Saved in {where}.", "warn" if notice else "good")
