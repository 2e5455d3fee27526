"""The question bank (``data/lessons/questions.json``) and which graded checks its questions
touch.

A lesson question is data: its prompt, options, model answer and, where it would give away a
graded answer, the graded item it answers. ``CHOICE_CHECKS`` and ``held_back`` are how course
mode closes a lesson's checks while an assignment that asks the same thing is being graded.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from medialit import paths
from medialit.errors import MedialitError


@cache
def all_questions() -> dict[str, dict[str, Any]]:
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


def question_item(key: str) -> dict[str, Any]:
    items = all_questions()
    if key not in items:
        raise MedialitError(
            f"There is no question {key!r} in data/lessons/questions.json. "
            "Keys look like '00.genre' (lesson number, dot, name)."
        )
    return items[key]


def split_key(key: str, exercise: str | None) -> tuple[str, str]:
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
#: ``(claim, "verdict")`` (``grading`` grades the same claim ids); see ``locked_message``.
CHOICE_CHECKS: dict[str, tuple[str, str] | None] = {
    "00.genre": _graded_response("a1_genre"),  # ("genre", "response")
    "01.thesis": _graded_response("a1_thesis"),  # ("thesis", "response")
    "02.try_p6s1": ("P6.S1", "statement"),
    "02.try_p5s2": ("P5.S2", "statement"),  # a1_statements
    "02.try_p12s1": ("P12.S1", "statement"),
    "03.advisers": ("P5.S2", "evidence"),
    "06.episodic": None,
    "09.first_click": None,
    "09.owner": None,
    "09.kinds": None,
    "09.confirm_quote": _graded_response("a4_lateral_confirm"),  # ("lateral_confirm", ...)
    "09.why_not_column": None,
    "09.compare": None,
}


def locked_message(check: tuple[str, str] | None) -> str | None:
    """Course mode's message if this graded check is closed for now, else None."""
    if check is None:
        return None
    from medialit import course_mode, grading

    if not course_mode.is_locked(*check, article="seed"):  # the lessons' questions: the seed
        return None
    assignment = next(it.assignment for it in grading.ITEMS.values() if tuple(check) in it.checks())
    return course_mode.LOCKED_MESSAGE.format(assignment=assignment)


def choice_check(key: str) -> tuple[str, str] | None:
    if key not in CHOICE_CHECKS:
        raise MedialitError(
            f"lessons.CHOICE_CHECKS does not say which graded check {key!r} answers; add it "
            "(None if no graded item asks it) so course mode can close it."
        )
    return CHOICE_CHECKS[key]


#: Shown in place of a summary point that gives away a graded answer, while it is closed.
HELD_BACK = (
    "{what} opens after your instructor releases feedback for {assignment}: "
    "it would give away the answer to a graded question."
)


def held_back(item_id: str | None, what: str = "One more point") -> str | None:
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
