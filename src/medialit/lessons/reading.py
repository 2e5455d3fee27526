"""Reading the article: the whole piece, some of its units, its source and its dating.

The article is only ever quoted through ``medialit.article``, so the words shown are exactly
the article's, each with its unit id.
"""

from __future__ import annotations

import ipywidgets as widgets
from IPython.display import HTML

from medialit.answers import answers_path, read_answers
from medialit.errors import MedialitError
from medialit.lessons.bank import question_item, split_key
from medialit.lessons.markup import STYLE, article_of, esc, kit_module, para, say, show, unit_html
from medialit.lessons.questions import after_writing

#: Shown above the practice op-ed wherever it is displayed whole (see data/practice_oped.md).
PRACTICE_LABEL = (
    "Practice op-ed, written for the medialit kit for practice. It is not a published "
    "article: it has no author and no date, and it does not state the kit's view."
)


def show_article(article: str = "seed") -> None:
    """The whole article, paragraph by paragraph, with each unit's id shown small."""
    art = article_of(article)
    parts = [STYLE, '<div class="ml-article">']
    if art.key == "practice":
        parts.append(f'<div class="ml-box ml-practice-label">{esc(PRACTICE_LABEL)}</div>')
    elif art.path.name == "article.txt" and (art.path.parent / "article.json").is_file():
        folder = kit_module("article_folder")  # an article a course brought in: where it ran
        try:
            where = folder.where_it_appeared(folder.read_metadata(art.path.parent))
        except MedialitError as exc:
            where = f"Where it appeared is not known ({exc})"
        parts.append(f'<p class="ml-note ml-source">{esc(where)}</p>')
    parts.append(f"<h3>{unit_html(art.units[0])}</h3>")
    for number in range(1, art.paragraph_count + 1):
        sentences = " ".join(unit_html(u) for u in art.paragraph(number))
        parts.append(f"<p>{sentences}</p>")
    parts.append("</div>")
    show(HTML("".join(parts)))


def show_units(*unit_ids: str, article: str = "seed") -> None:
    """Quote some units of the article, each with its id."""
    art = article_of(article)
    if not unit_ids:
        raise MedialitError("Name at least one unit to show, for example show_units('P3.S1').")
    quotes = "".join(f'<div class="ml-quote">{unit_html(art.unit(uid))}</div>' for uid in unit_ids)
    show(HTML(STYLE + quotes))


def show_paragraph(number: int, article: str = "seed") -> None:
    """Quote one paragraph (0 is the headline)."""
    art = article_of(article)
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
    info = question_item("00.source")
    rows = "".join(
        f"<tr><th style='text-align:left;padding-right:1em'>{esc(k)}</th>"
        f"<td style='text-align:left'>{esc(v)}</td></tr>"
        for k, v in info["facts"]
    )
    show(HTML(STYLE + f"<table class='ml-table'>{rows}</table>"))


def _dating_html() -> str:
    info = question_item("00.source")
    record = kit_module("dossier").event(info["dossier_event"])
    return (
        f"{STYLE}<p><b>Dating it.</b> {esc(info['dating'])}</p>"
        f'<div class="ml-box">{esc(record.what_the_record_shows)}<br>'
        f'<span class="ml-note">Source: {esc(record.citation)}</span></div>'
    )


def show_dating(*, after: str) -> widgets.VBox:
    """Lesson 00: how the kit dates the article from its dossier, revealed only once the
    student has written their own answer (the ``after`` question, e.g. ``"00.dating"``)."""
    question_item("00.source")  # a missing entry fails when the cell runs
    return after_writing(
        after,
        label="Show how the kit dates it",
        css="ml-dating",
        warn="Write your own answer above first — then compare.",
        render=_dating_html,
    )


def show_my_answer(key: str) -> None:
    """Show a written answer the student saved in an earlier lesson (e.g. ``"00.reaction"``),
    read-only, or say plainly that there is none yet."""
    exercise, name = split_key(key, None)
    path = answers_path(exercise)
    saved = read_answers(path).responses.get(name, "").strip() if path.exists() else ""
    lesson = exercise.removeprefix("lesson")
    if not saved:
        say(
            f"There is no saved answer to this question from lesson {lesson} yet "
            f"(answers/{exercise}.json). You can go back and write one, or think back now."
        )
        return
    show(
        HTML(
            STYLE + f'<div class="ml-box"><b>What you wrote in lesson {esc(lesson)}:</b>'
            f'<div class="ml-quote">{para(saved)}</div></div>'
        )
    )


def label_guide(layer: str) -> None:
    """The labels of one layer, with their meaning and typical cue words (from the scheme)."""
    from medialit.scheme import default_scheme

    lay = default_scheme().layer(layer)
    rows = "".join(
        f"<tr><td style='text-align:left'><b>{esc(lab.name)}</b></td>"
        f"<td style='text-align:left'>{esc(lab.definition)}</td>"
        f"<td style='text-align:left'><i>{esc('; '.join(lab.cues))}</i></td></tr>"
        for lab in lay.labels
    )
    head = (
        "<tr><th style='text-align:left'>label</th><th style='text-align:left'>meaning</th>"
        "<th style='text-align:left'>typical words (not from our article)</th></tr>"
    )
    title = f"<p><b>{esc(lay.title)}:</b> {esc(lay.question)}</p>"
    show(HTML(STYLE + title + f"<table class='ml-table'>{head}{rows}</table>"))
