"""The lessons on a course's own article: its tagger and its expert reading, graded rows held back.

``medialit course add-article`` hands students a copy of the article as a folder
(``<name>/article.txt``, ``article.json``) beside their notebooks. The lessons' copy also holds
``lesson_reference.csv``: the instructor's reference with every row the assignment grades left
out, and any reason that would name a graded answer replaced
(``medialit.course.article_lessons``),
so nothing a student's kernel can read gives a graded answer away. It is read with
``medialit.reference.load_partial_reference``: a row that is not there reads as "the expert
reference has no reading of this sentence in this layer", and course mode names those checks
closed until feedback. The assignment's copy has no reference at all: its tagger has nothing
to compare with, and its questions are scored by the instructor's grader.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from medialit.lessons.analysis import my_agreement as _agreement
from medialit.lessons.markup import kit_module


def lesson_reference(article: str | Path) -> Any:
    """The expert reading a student may see for a course article: the folder's
    ``lesson_reference.csv``, or an empty reading when there is none."""
    reference = kit_module("reference")
    path = Path(article) / reference.LESSON_REFERENCE
    if not path.is_file():
        art = kit_module("article").load_article(article)
        layers = tuple(kit_module("scheme").default_scheme().layer_names)
        return reference.Reference(art.key, path, {}, layers)
    return reference.load_partial_reference(article, path)


def tag(
    exercise: str,
    layers: Sequence[str] | str = ("role",),
    units: Sequence[str] | None = None,
    article: str = "article",
) -> Any:
    """The claim tagger on a course article, checking against its lessons' reference."""
    return kit_module("tagger").tag(
        exercise,
        layers=[layers] if isinstance(layers, str) else list(layers),
        units=units,
        article=article,
        reference=lesson_reference(article),
    )


def my_agreement(
    exercise: str, layers: Sequence[str] = ("role",), article: str = "article"
) -> None:
    """How far the saved tags agree with the expert on the sentences the lessons may show,
    with the expert's reasoning wherever they differ (``medialit.lessons.my_agreement``)."""
    _agreement(exercise, layers, reference=lesson_reference(article))
