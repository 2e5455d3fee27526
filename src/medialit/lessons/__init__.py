"""What the lesson notebooks call: one function per code cell, each displaying something.

Every helper here is a one-liner for the student: show the article or some of its units,
ask a question (saved as you type, with a model answer to reveal afterwards), offer a
single choice with an explanation, give the claims of lesson 04 a verdict, reveal the
kit's rewrite, show charts and agreement. The teaching texts, prompts and model answers
are data in ``data/lessons/questions.json``; the article is only ever quoted through
``medialit.article``, so the words shown are exactly the article's.

Answers go to ``answers/lessonNN.json`` beside the notebook (``medialit.answers``). The
tagger and these widgets save through the kernel's one ``AnswerFile`` for that path
(``medialit.lessons.saving``), so neither overwrites what the other saved.

The helpers live in one module per job: ``markup`` (HTML pieces and display), ``bank`` (the
question bank and course mode), ``saving``, ``reading`` (the article), ``questions``,
``analysis`` (tagger, charts, agreement), ``record`` (lesson 04), ``rewrites`` (05 and 06),
``lateral_reading`` (09).
This package only gathers the names a notebook may call.
"""

from medialit.lessons.analysis import (
    agreement_anchors,
    class_agreement,
    my_agreement,
    my_chart,
    tag,
)
from medialit.lessons.bank import CHOICE_CHECKS as CHOICE_CHECKS  # re-exported
from medialit.lessons.lateral_reading import (
    coverage,
    open_result,
    open_results,
    outlet_facts,
    search_results,
)
from medialit.lessons.questions import choice, question, reveal, summary
from medialit.lessons.reading import (
    PRACTICE_LABEL as PRACTICE_LABEL,  # re-exported
)
from medialit.lessons.reading import (
    label_guide,
    show_article,
    show_dating,
    show_my_answer,
    show_paragraph,
    show_source,
    show_units,
)
from medialit.lessons.record import claims_table, show_record, show_timeline, verdicts
from medialit.lessons.record import mark_later_dates as mark_later_dates  # re-exported
from medialit.lessons.rewrites import show_rewrite

__all__ = [
    "agreement_anchors",
    "choice",
    "claims_table",
    "class_agreement",
    "coverage",
    "label_guide",
    "my_agreement",
    "my_chart",
    "open_result",
    "open_results",
    "outlet_facts",
    "question",
    "reveal",
    "search_results",
    "show_article",
    "show_dating",
    "show_my_answer",
    "show_paragraph",
    "show_record",
    "show_rewrite",
    "show_source",
    "show_timeline",
    "show_units",
    "summary",
    "tag",
    "verdicts",
]
