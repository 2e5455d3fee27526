"""The notebooks of a course's own article: the graded assignment and six short lessons.

The assignment is written with the same cells as the kit's four (``assignment_build``): a
header with the points of each item, the first answer cell that saves the model answers in
the instructor's copy only, one question per item kind and a test cell after each, whose
hidden part holds the key. The lessons are the kit's lessons that are not about the seed's
events (anatomy, statement types, evidence, words, framing, agreement), cut to what works on
any article: the label guide, the article, the tagger with the expert's reading of the
ungraded sentences, a chart, and a closing question to think about. Every code cell is one
call into the kit.
"""

from __future__ import annotations

import json

import nbformat

from medialit import assignment_build as ab
from medialit.course.article_plan import ArticlePlan

#: The module the course article's tagger and agreement cells call into.
ARTICLE_KIT = "medialit.lessons.own_article"
LESSONS_KIT = "medialit.lessons"


def _q(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def assignment_notebook(plan: ArticlePlan, title: str) -> nbformat.NotebookNode:
    """The graded assignment's source notebook (hidden tests with the keys)."""
    name = plan.name
    cells = [
        ab.header(
            name,
            f"Assignment: {title}",
            "on this article (its six lessons)",
            45,
            "You decide what kind of text the article is, find its thesis, and tag its "
            "sentences with the kit's scheme, as in the lessons on this article.",
            plan.items,
        ),
        ab.code("imports", "from medialit.grading import *"),
        ab.start_cell(name, plan.model),
    ]
    number = 0
    for suffix, task in (
        ("genre", f"What am I reading?\n\n{plan.where} Choose the genre of the article."),
        (
            "thesis",
            "The thesis\n\nWhich sentence states the writer's overall position: the one "
            "thing the piece wants you to believe or do?",
        ),
    ):
        it = plan.item(suffix)
        if it is None:
            continue
        number += 1
        cells += [
            ab.md(f"{suffix}_task", f"## {number}. {task}"),
            ab.code(f"{suffix}_choice", f"choose({_q(it.id)})"),
            ab.test_cell(it.id, it.points, plan.keys[it.id]),
        ]
    for i, (layers, units) in enumerate(plan.taggers, 1):
        tagged = [it for it in plan.items if it.kind == "tags" and it.layer in layers]
        number += 1
        names = ", ".join(f"**{lay}**" for lay in layers[:-1]) + f" and **{layers[-1]}**"
        names = names.removeprefix(" and ")
        overlap = (
            " Devices earn credit for overlap with the expert's; mark 'none' when a sentence "
            "has none."
            if "devices" in layers
            else ""
        )
        cells += [
            ab.md(
                f"tagger{i}_task",
                f"## {number}. {', '.join(it.title for it in tagged)}\n\nTag each sentence "
                f"in the tagger: its {names}. In each layer, the sentences with one clear "
                f"answer are graded.{overlap}",
            ),
            ab.code(
                f"tagger{i}",
                f"tag({_q(name)}, layers={_q(layers)}, units={_q(units)}, article={_q(name)})",
                ARTICLE_KIT,
            ),
        ]
        cells += [ab.test_cell(it.id, it.points, plan.keys[it.id]) for it in tagged]
    cells.append(ab.md("end", "You are done. Save the notebook and hand in the folder."))
    return ab.new_notebook(name, cells)


#: (file stem, title, what the student does, layers tagged, chart, question to think about)
LESSONS = (
    (
        "01_anatomy",
        "Anatomy of an argument",
        "Every sentence does a job in an argument: it states the thesis, makes a claim, gives "
        "evidence, gives context, or concedes a point. Find the job of each sentence.",
        ["role"],
        "map",
        "Where does the writer put the thesis: first, last, or both? Why there?",
    ),
    (
        "02_statements",
        "Fact, value, policy",
        "A statement can be checked (fact), judge something (value), say what should be done "
        "(policy) or say what will happen (prediction). Tag the kind of each statement.",
        ["statement"],
        "counts",
        "Which facts would you check first, and where would you look?",
    ),
    (
        "03_evidence",
        "What's the evidence?",
        "Where a sentence gives evidence, say what kind: an example, a number, a quotation, "
        "an expert, or something the writer says everyone knows.",
        ["role", "evidence"],
        "counts",
        "Which kind of evidence does the writer lean on most? What kind is missing?",
    ),
    (
        "04_words",
        "Words that do work",
        "Some words carry a judgment (loaded language), soften a claim (hedges) or make it "
        "stronger (intensifiers). Mark them, or mark 'none'. A loaded word is not always false.",
        ["devices"],
        "counts",
        "Pick one loaded word. What plainer word could the writer have used?",
    ),
    (
        "05_framing",
        "Framing",
        "A frame decides what the problem is, what causes it, how to judge it and what to do. "
        "Tag what each sentence does for the frame, if anything.",
        ["frame"],
        "map",
        "Describe another frame a writer could use for the same events.",
    ),
)


def _lesson(name: str, stem: str, cells: list[tuple[str, str, str]]) -> nbformat.NotebookNode:
    built = []
    for kind, source, module in cells:
        if kind == "md":
            built.append(nbformat.v4.new_markdown_cell(source.strip()))
        else:
            built.append(nbformat.v4.new_code_cell(ab.self_contained(source, module)))
    return ab.new_notebook(f"{name}-{stem}", built)


def lesson_notebooks(name: str, title: str) -> dict[str, nbformat.NotebookNode]:
    """``"<name>_01_anatomy.ipynb"`` -> notebook, for the five tagging lessons and agreement."""
    exercise = f"{name}_lessons"
    out = {}
    for stem, heading, what, layers, chart, think in LESSONS:
        guides = [("code", f"label_guide({_q(layer)})", LESSONS_KIT) for layer in layers]
        out[f"{name}_{stem}.ipynb"] = _lesson(
            name,
            stem,
            [
                ("md", f"# {heading}: {title}\n\n{what}", ""),
                *guides,
                ("code", f"show_article(article={_q(name)})", LESSONS_KIT),
                (
                    "md",
                    "Tag in the tagger below. Your tags are saved as you click. Press "
                    "**Check** to compare with the expert. Some sentences are graded in the "
                    "assignment on this article: their check stays closed.",
                    "",
                ),
                (
                    "code",
                    f"tag({_q(exercise)}, {_q(layers)}, article={_q(name)})",
                    ARTICLE_KIT,
                ),
                (
                    "code",
                    f"my_chart({_q(chart)}, {_q(exercise)}, {_q(layers[-1])}, article={_q(name)})",
                    LESSONS_KIT,
                ),
                ("md", f"**Think about it.** {think}", ""),
            ],
        )
    layers = sorted({lay for *_, lays, _c, _t in LESSONS for lay in lays})
    order = ["role", "statement", "evidence", "devices", "frame"]
    out[f"{name}_06_agreement.ipynb"] = _lesson(
        name,
        "06_agreement",
        [
            (
                "md",
                f"# Do we agree? {title}\n\nHow often do your tags match the expert's? Two "
                "careful readers often differ; what matters is why. Sentences graded in the "
                "assignment are left out here.",
                "",
            ),
            (
                "code",
                f"my_agreement({_q(exercise)}, {_q(sorted(layers, key=order.index))}, "
                f"article={_q(name)})",
                ARTICLE_KIT,
            ),
            ("md", "**Think about it.** Where you differ, whose reading would you defend?", ""),
        ],
    )
    return out
