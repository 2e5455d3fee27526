"""The graded assignments' items, and the one code path that scores them.

Each autograded test cell in ``solutions/<assignment>/<assignment>.ipynb`` reads::

    check_item("a1_roles")                                  # public: the self-check
    ### BEGIN HIDDEN TESTS
    score_item("a1_roles", key={"P2.S1": ["claim"], ...})   # hidden: the answer key
    ### END HIDDEN TESTS

Both read the student's saved answers (``answers/<assignment>.json`` beside the notebook,
written by the tagger and the choice widgets, so a fresh kernel sees them) and both print
their message to stdout and end with a number, so nbgrader gives partial credit.

- ``score_item(item, key)`` scores against the literal key and prints a message that never
  names an accepted label (it ends up in returned feedback).
- ``check_item(item)`` prints the same completeness lines; then, unless course mode closes the
  item (``medialit.course_mode``), it derives the key from the public reference, runs the
  same scoring (same score, same lines) and adds the expert's reasoning for self-study.

Student mistakes never raise here: a missing or corrupt answers file scores 0 with a message.
"""

from __future__ import annotations

import ast
import contextlib
import html
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medialit import paths
from medialit.answers import VERDICTS, AnswerSheet, answers_path, live_answers, read_answers
from medialit.errors import AnswersError, MedialitError

if TYPE_CHECKING:
    from medialit.dossier import Claim

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

ASSIGNMENTS = ("a1_claims", "a2_evidence", "a3_language", "a4_capstone")
AUTO_KINDS = ("tags", "choice", "thesis", "verdicts", "agreement")


@dataclass(frozen=True)
class Item:
    """One graded question. ``kind`` is one of AUTO_KINDS or "manual"."""

    id: str
    assignment: str
    kind: str
    points: float
    title: str
    layer: str | None = None
    units: tuple[str, ...] = ()  # tags: units shown; thesis: options; verdicts: claim ids
    article: str = "seed"
    response: str | None = None  # choice/thesis/agreement: the responses key
    options: tuple[tuple[str, str], ...] = ()  # (shown text, saved value)
    fixed_key: tuple[str, ...] = ()  # choice: the accepted values (not in the reference)
    explain: str = ""  # choice: the expert's reasoning, shown in self-study only
    hint: str = ""  # choice: what to reread when the answer is not accepted

    def checks(self) -> set[tuple[str, str]]:
        """The lesson checks that would reveal this item's answer (for course mode)."""
        if self.kind == "tags":
            return {(unit, self.layer or "") for unit in self.units}
        if self.kind == "thesis":
            return {(unit, "role") for unit in self.units} | {(self.response or "", "response")}
        if self.kind == "verdicts":
            return {(claim, "verdict") for claim in self.units}
        if self.kind in ("choice", "agreement"):
            return {(self.response or "", "response")}
        return set()


A1_UNITS = (
    "P0.S1",
    "P1.S1",
    "P2.S1",
    "P5.S1",
    "P5.S2",
    "P7.S1",
    "P8.S1",
    "P9.S1",
    "P10.S1",
    "P10.S2",
    "P11.S1",
    "P12.S2",
)
A2_UNITS = ("P3.S1", "P4.S2", "P6.S3", "P8.S1", "P9.S1", "P9.S2", "P10.S1")
A3_UNITS = (
    "P0.S1",
    "P3.S1",
    "P5.S1",
    "P5.S2",
    "P6.S1",
    "P6.S3",
    "P7.S1",
    "P9.S2",
    "P10.S1",
    "P12.S1",
)
A2_CLAIMS = ("C2", "C5", "C9", "C11", "C15")

#: Two readers' role tags for the agreement question in a4 (a table given to the student).
AGREEMENT_TABLE = (
    ("P1.S1", "evidence", "context"),
    ("P2.S1", "claim", "claim"),
    ("P3.S1", "evidence", "claim"),
    ("P4.S2", "evidence", "evidence"),
    ("P5.S2", "claim", "claim"),
    ("P6.S2", "claim", "claim"),
    ("P8.S1", "evidence", "evidence"),
    ("P10.S1", "claim", "evidence"),
    ("P11.S1", "concession", "concession"),
    ("P12.S2", "thesis", "thesis"),
)
AGREEMENT_OPTIONS = ("50%", "60%", "70%", "80%", "90%")

_ITEMS = (
    Item(
        "a1_genre",
        "a1_claims",
        "choice",
        1,
        "Genre",
        response="genre",
        options=(
            ("a news report", "news"),
            ("an opinion column", "opinion"),
            ("an advertisement", "ad"),
            ("a press release", "press_release"),
        ),
        fixed_key=("opinion",),
        explain="It appeared in the Washington Examiner's opinion section, and it argues for "
        "a view (what foreign policy should rest on) instead of only reporting events.",
        hint="Look again at where it was published and at what it asks you to believe.",
    ),
    Item(
        "a1_thesis",
        "a1_claims",
        "thesis",
        2,
        "The thesis",
        response="thesis",
        units=("P1.S1", "P2.S1", "P8.S1", "P12.S2"),
        hint="The thesis is the one thing the whole piece wants you to believe or do; "
        "reread the opening and the ending.",
    ),
    Item("a1_roles", "a1_claims", "tags", 3, "Sentence roles", layer="role", units=A1_UNITS),
    Item(
        "a1_statements",
        "a1_claims",
        "tags",
        3,
        "Statement types",
        layer="statement",
        units=A1_UNITS,
    ),
    Item("a1_evidence_why", "a1_claims", "manual", 3, "Why is it evidence?"),
    Item(
        "a2_evidence_types",
        "a2_evidence",
        "tags",
        2,
        "Evidence types",
        layer="evidence",
        units=A2_UNITS,
    ),
    Item(
        "a2_verdicts", "a2_evidence", "verdicts", 3, "Verdicts on checkable claims", units=A2_CLAIMS
    ),
    Item("a2_sufficiency", "a2_evidence", "manual", 3, "Do the examples support the claim?"),
    Item("a2_missing", "a2_evidence", "manual", 2, "What evidence is missing?"),
    Item("a3_devices", "a3_language", "tags", 4, "Devices", layer="devices", units=A3_UNITS),
    Item("a3_frames", "a3_language", "tags", 2, "Frame functions", layer="frame", units=A3_UNITS),
    Item("a3_rewrite", "a3_language", "manual", 3, "A neutral rewrite"),
    Item("a3_reframe", "a3_language", "manual", 3, "Another frame"),
    Item(
        "a4_agreement",
        "a4_capstone",
        "agreement",
        2,
        "Agreement between two readers",
        response="agreement",
        options=tuple((o, o) for o in AGREEMENT_OPTIONS),
        hint="Count the rows where both readers chose the same label, then divide by the "
        "number of rows.",
    ),
    Item(
        "a4_practice_roles",
        "a4_capstone",
        "tags",
        3,
        "Roles in the practice op-ed",
        layer="role",
        article="practice",
    ),
    Item("a4_response", "a4_capstone", "manual", 4, "The same standard for both sides?"),
)
ITEMS: dict[str, Item] = {item.id: item for item in _ITEMS}


def item(item_id: str) -> Item:
    try:
        return ITEMS[item_id]
    except KeyError:
        raise MedialitError(
            f"There is no graded item {item_id!r}. Items: {', '.join(ITEMS)}."
        ) from None


def assignment_items(assignment: str) -> list[Item]:
    return [it for it in ITEMS.values() if it.assignment == assignment]


# -- keys -------------------------------------------------------------------------------
def _reference(article: str, reference: Any = None) -> Any:
    if reference is not None:
        return reference
    from medialit.reference import load_reference

    return load_reference(article)


def item_units(it: Item, reference: Any = None) -> tuple[str, ...]:
    """The units a tags item shows (all the article's units when the item lists none)."""
    if it.units or it.kind != "tags":
        return it.units
    from medialit.article import load_article

    return tuple(load_article(it.article).ids)


def _labels(entry: Any) -> list[str]:
    return sorted(set(entry.accepted) - {"none"})


def load_claims() -> dict[str, Claim]:
    """The checkable claims in ``data/claims.csv`` (checked by the dossier module), by id."""
    from medialit.dossier import load_claims as dossier_claims  # matplotlib: load when used

    return {c.id: c for c in dossier_claims()}


def agreement_answer() -> str:
    same = sum(1 for _, a, b in AGREEMENT_TABLE if a == b)
    return f"{round(100 * same / len(AGREEMENT_TABLE))}%"


def public_key(item_id: str, reference: Any = None) -> Any:
    """The key as the kit's public data gives it (the hidden tests hold the same literal)."""
    it = item(item_id)
    if it.kind == "tags":
        ref = _reference(it.article, reference)
        key: dict[str, list[str]] = {}
        for unit in item_units(it, ref):
            entry = ref.entry(unit, it.layer)
            if not entry.anchor:
                continue
            if it.layer == "evidence":
                role = ref.entry(unit, "role")
                if not (entry.applicable and role.anchor and "evidence" in role.accepted):
                    continue  # strict only where "evidence" is the one accepted role
            key[unit] = _labels(entry)
        return key
    if it.kind == "thesis":
        ref = _reference(it.article, reference)
        return [u for u in it.units if "thesis" in ref.entry(u, "role").accepted]
    if it.kind == "choice":
        return list(it.fixed_key)
    if it.kind == "agreement":
        return [agreement_answer()]
    if it.kind == "verdicts":
        claims = load_claims()
        key = {}
        for claim in it.units:
            if not claims[claim].settled:
                raise MedialitError(
                    f"Claim {claim} is not settled by the dossier; grade only settled claims."
                )
            key[claim] = [claims[claim].kit_verdict]
        return key
    raise MedialitError(f"{item_id} is graded by hand; it has no key.")


def _reasoning(it: Item, sheet: AnswerSheet, misses: list[str], reference: Any) -> list[str]:
    """The expert's reasoning for what the student got wrong (self-study only)."""
    lines = []
    if it.kind == "tags":
        ref = _reference(it.article, reference)
        for unit in misses:
            if sheet.get_tags(unit, it.layer) or _marked_none(sheet, unit, it.layer):
                lines.append(f"{unit}: {ref.entry(unit, it.layer).rationale}")
    elif it.kind == "thesis" and misses:
        ref = _reference(it.article, reference)
        chosen = sheet.responses.get(it.response or "")
        if chosen in it.units:
            lines.append(f"{chosen}: {ref.entry(chosen, 'role').rationale}")
    elif it.kind == "choice" and misses and sheet.responses.get(it.response or ""):
        lines.append(it.explain)  # only for a choice made: an unanswered one reveals nothing
    elif it.kind == "verdicts":
        claims = load_claims()
        for claim in misses:
            if claim in sheet.verdicts:
                lines.append(f"{claim}: {claims[claim].explanation}")
    return [line for line in lines if line]


# -- scoring ----------------------------------------------------------------------------
@dataclass
class Result:
    points: float
    lines: list[str]
    misses: list[str]
    sheet: AnswerSheet | None


def _load(it: Item, folder: str | Path) -> tuple[AnswerSheet | None, str | None]:
    path = answers_path(it.assignment, folder)
    if not path.exists():
        return None, (
            f"No saved answers yet ({path} is not there). Answer with the tagger and the "
            "choices above: every click is saved to that file."
        )
    try:
        sheet = read_answers(path)
    except AnswersError as exc:
        return None, (
            f"Your answers file could not be read ({exc}). Run the first code cell again: "
            "it keeps the broken file aside and starts a fresh one."
        )
    if sheet.exercise != it.assignment:
        return None, f"{path} holds answers for {sheet.exercise}, not {it.assignment}."
    return sheet, None


def _marked_none(sheet: AnswerSheet, unit: str, layer: str) -> bool:
    from medialit.check import none_units

    return unit in none_units(sheet, layer)


def _answer(sheet: AnswerSheet, unit: str, layer: str) -> tuple[bool, tuple[str, ...]]:
    from medialit.check import student_answer

    return student_answer(sheet, unit, layer)


class KeyReference:
    """A tags item's key literal read as a reference: on each keyed unit the one accepted
    answer is the key's labels (an empty list: "no label"). The key lists the reference's
    accepted labels on anchor units, where the reference accepts exactly that, so a graded
    unit's entry here equals the reference's (rationale and cues aside)."""

    def __init__(self, layer: str, key: dict[str, Sequence[str]], article: str = "seed"):
        self.layer, self.key, self.article = layer, key, article

    def entry(self, unit: str, layer: str) -> Any:
        from medialit.reference import RefEntry

        if layer != self.layer or unit not in self.key:
            raise KeyError(f"{unit} {layer}")
        labels = tuple(self.key[unit])
        return RefEntry(unit, layer, labels, labels or ("none",), {}, True, "", True)

    def entries(self, layer: str | None = None) -> list[Any]:
        return [self.entry(u, self.layer) for u in self.key if layer in (None, self.layer)]


def unit_credits(it: Item, sheet: AnswerSheet, key: dict[str, Sequence[str]]) -> dict[str, float]:
    """Credit per keyed unit (0 if not answered), judged by ``medialit.check`` (the same
    per-unit judgement as the Check button) against the key literal."""
    from medialit.check import unit_credits as judged

    layer = it.layer or ""
    credits = judged(sheet, KeyReference(layer, key, it.article), list(key), layer)
    return dict(zip(key, credits, strict=True))


def _fmt(x: float) -> str:
    return f"{x:g}"


def _points_text(points: float) -> str:
    return f"{_fmt(points)} point" + ("" if points == 1 else "s")


def _clamp(it: Item, fraction: float) -> float:
    return round(min(max(fraction, 0.0), 1.0) * it.points, 2)


def _score(it: Item, sheet: AnswerSheet | None, problem: str | None, key: Any) -> Result:
    """Score one item against a key; the lines never name an accepted label."""
    head = f"{it.title} ({_points_text(it.points)})"
    if sheet is None:
        return Result(0.0, [f"{head}: {problem}", f"Score: 0 of {_fmt(it.points)}."], [], None)
    lines: list[str] = []
    misses: list[str] = []
    if it.kind == "tags":
        if not isinstance(key, dict) or not key:
            raise MedialitError(f"The key for {it.id} must be a non-empty {{unit: [labels]}}.")
        shown = item_units(it)
        tagged = sum(1 for u in shown if _answer(sheet, u, it.layer)[0])
        credits = unit_credits(it, sheet, key)
        total = sum(credits.values())
        misses += [unit for unit, credit in credits.items() if credit < 1]
        fraction = total / len(key)
        lines.append(f"{head}: you answered {tagged} of the {len(shown)} sentences in this task.")
        rule = (
            "credit per sentence is the overlap of your devices with the expert's"
            if it.layer == "devices"
            else "each matches the expert's reading or it does not"
        )
        lines.append(
            f"{len(key)} of them have one clear answer and are graded ({rule}); "
            f"yours earn {_fmt(round(total, 2))} of {len(key)}."
        )
        if misses:
            lines.append(
                "Look again at: "
                + ", ".join(
                    f"{u} (not answered)" if not _answer(sheet, u, it.layer)[0] else u
                    for u in misses
                )
                + "."
            )
    elif it.kind in ("choice", "thesis", "agreement"):
        chosen = sheet.responses.get(it.response or "")
        if not chosen:
            fraction = 0.0
            lines.append(f"{head}: not answered yet. Choose an option above; it is saved at once.")
            misses.append(it.response or "")
        elif chosen in key:
            fraction = 1.0
            lines.append(f"{head}: your answer matches the expert's.")
        else:
            fraction = 0.0
            lines.append(f"{head}: your answer is not the one the expert chose. {it.hint}".strip())
            misses.append(it.response or "")
    elif it.kind == "verdicts":
        right = 0
        for claim, verdicts in key.items():
            given = sheet.verdicts.get(claim, {}).get("verdict")
            if given in verdicts:
                right += 1
            else:
                misses.append(claim)
        fraction = right / len(key)
        answered = sum(1 for c in key if c in sheet.verdicts)
        lines.append(
            f"{head}: you gave {answered} of {len(key)} verdicts; "
            f"{right} match what the dossier settles."
        )
        if misses:
            lines.append(
                "Look again at: "
                + ", ".join(f"{c} (no verdict)" if c not in sheet.verdicts else c for c in misses)
                + "."
            )
    else:
        raise MedialitError(f"{it.id} is graded by hand.")
    points = _clamp(it, fraction)
    lines.append(f"Score: {_fmt(points)} of {_fmt(it.points)}.")
    return Result(points, lines, misses, sheet)


def score_item(item_id: str, key: Any, folder: str | Path = "answers") -> float:
    """Hidden part of a test cell: print a key-free message, return the score."""
    it = item(item_id)
    sheet, problem = _load(it, folder)
    result = _score(it, sheet, problem, key)
    print("\n".join(result.lines))
    return result.points


def check_item(item_id: str, folder: str | Path = "answers", reference: Any = None) -> float:
    """Self-check: the autograder's score and message for this item, plus the expert's reasons.

    In course mode (the item's assignment is locked) nothing is scored: it says what is saved
    and that the check opens after feedback, and returns 0.
    """
    from medialit import course_mode

    it = item(item_id)
    sheet, problem = _load(it, folder)
    config = course_mode.current()
    if it.assignment in config.locked:
        lines = [
            f"{it.title} ({_points_text(it.points)}): "
            + (problem or "your answers are saved and will be graded after you submit.")
        ]
        if config.problem:
            lines.append(f"(The course settings could not be read: {config.problem})")
        lines.append(course_mode.LOCKED_MESSAGE.format(assignment=it.assignment))
        lines.append("Score: not given here (0 below means 'not scored yet').")
        print("\n".join(lines))
        return 0.0
    try:
        key = public_key(item_id, reference)
    except (MedialitError, OSError, KeyError) as exc:
        print(f"{it.title}: the expert's answers cannot be loaded here ({exc}).")
        return 0.0
    result = _score(it, sheet, problem, key)
    lines = list(result.lines)
    if sheet is not None and result.misses:
        reasons = _reasoning(it, sheet, result.misses, reference)
        if reasons:
            lines.append("The expert's reasoning:")
            lines += [f"  {r}" for r in reasons]
    print("\n".join(lines))
    return result.points


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
    """Radio buttons for a choice item; the choice is saved as a response at once."""
    import ipywidgets as w

    it = item(item_id)
    answers = live_answers(it.assignment, folder=folder)  # shared with the tagger
    options = _options(it)
    saved = answers.sheet.responses.get(it.response or "")
    values = [v for _, v in options]
    buttons = w.RadioButtons(
        options=options, value=saved if saved in values else None, layout=w.Layout(width="auto")
    )
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
    box = w.VBox([buttons, status])
    box.add_class("medialit-choice")
    buttons.add_class(f"medialit-choice-{it.id}")
    return box


def choose_verdict(item_id: str, folder: str | Path = "answers") -> Any:
    """One verdict (with a reason) per claim of a verdicts item, saved as you choose."""
    import ipywidgets as w

    it = item(item_id)
    claims = load_claims()
    names = {
        "supported": "supported",
        "partly_supported": "partly supported",
        "not_supported": "not supported",
        "cant_tell": "can't tell from here",
    }
    rows = []
    saved = live_answers(it.assignment, folder=folder).sheet.verdicts  # shared with the tagger
    for claim in it.units:
        row = claims[claim]
        prior = saved.get(claim, {})
        buttons = w.RadioButtons(
            options=[(names[v], v) for v in VERDICTS],
            value=prior.get("verdict"),
            layout=w.Layout(width="auto"),
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
        rows.append(
            w.VBox([w.HTML(f"<b>{claim}</b> ({row.unit}): {text}"), buttons, reason, status])
        )
    box = w.VBox(rows)
    box.add_class("medialit-verdicts")
    return box


def show_dossier() -> Any:
    """The kit's dossier (``data/dossier.csv``): dated events with the reports that state them."""
    import pandas as pd

    frame = pd.read_csv(paths.data_file("dossier.csv"), dtype=str).fillna("")
    columns = [
        c for c in ("id", "date", "event", "what_the_record_shows", "sources") if c in frame.columns
    ]
    return frame[columns].style.hide(axis="index")


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
                    chosen = key[unit] or ["none"]
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


# -- answer keys and leaks ----------------------------------------------------------------
_HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)
_SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)


def solutions_dir() -> Path:
    return paths.kit_root() / "solutions"


def _key_strings(key: Any) -> list[str]:
    """Serialized forms of a key that would mean a leak (not single common words)."""
    out = [json.dumps(key, ensure_ascii=False), repr(key)]
    if isinstance(key, dict):
        for unit, labels in key.items():
            out.append(json.dumps({unit: labels}, ensure_ascii=False)[1:-1])
            out.append(repr({unit: labels})[1:-1])
    return out


def hidden_keys(folder: str | Path | None = None) -> dict[str, Any]:
    """item id -> the key literal in the hidden tests of the source notebooks."""
    import nbformat

    keys: dict[str, Any] = {}
    for nb_path in sorted(Path(folder or solutions_dir()).glob("*/*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        for cell in nb.cells:
            for region in _HIDDEN.findall(cell.source):
                tree = ast.parse(region)
                for node in ast.walk(tree):
                    if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "score_item":
                        item_id = ast.literal_eval(node.args[0])
                        kw = {k.arg: k.value for k in node.keywords}
                        keys[item_id] = ast.literal_eval(kw["key"])
    return keys


def answer_key_strings(folder: str | Path | None = None) -> list[str]:
    """Every string that would give an answer away if a student received it.

    From the source notebooks: each line of every hidden-test region, each line of every
    solution region (model answers, the model-answer filler), and serialized forms of each
    key (the whole key and each ``"unit": [labels]`` pair). Short lines (under 12 characters)
    are skipped: they are punctuation or common words, not answers.
    """
    import nbformat

    strings: set[str] = set()
    for nb_path in sorted(Path(folder or solutions_dir()).glob("*/*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        for cell in nb.cells:
            for region in _HIDDEN.findall(cell.source) + _SOLUTION.findall(cell.source):
                strings |= {line.strip() for line in region.splitlines() if len(line.strip()) >= 12}
    for key in hidden_keys(folder).values():
        strings |= set(_key_strings(key))
    return sorted(strings)


def _visible_text(path: Path) -> str:
    """The text a person would read in a file (notebook sources and outputs; HTML text)."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".ipynb":
        with contextlib.suppress(ValueError, KeyError, TypeError):
            nb = json.loads(raw)
            parts = []
            for cell in nb.get("cells", []):
                src = cell.get("source", "")
                parts.append("".join(src) if isinstance(src, list) else src)
                for out in cell.get("outputs", []):
                    text = out.get("text") or out.get("data", {}).get("text/plain", "")
                    parts.append("".join(text) if isinstance(text, list) else str(text))
            return raw + "\n" + "\n".join(parts)
    if path.suffix in (".html", ".htm"):
        return raw + "\n" + html.unescape(re.sub(r"<[^>]+>", "", raw))
    return raw


def find_leaks(
    folders: Iterable[str | Path],
    strings: Iterable[str] | None = None,
) -> list[tuple[Path, str]]:
    """(file, key string) for every answer-key string found in text files under the folders."""
    needles = list(strings if strings is not None else answer_key_strings())
    found = []
    for folder in folders:
        folder = Path(folder)
        files = (
            [folder] if folder.is_file() else sorted(p for p in folder.rglob("*") if p.is_file())
        )
        for path in files:
            if path.suffix in (".png", ".jpg", ".gif", ".pdf", ".db", ".sqlite", ".zip"):
                continue
            text = _visible_text(path)
            found += [(path, s) for s in needles if s in text]
    return found


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


# -- nbgrader settings --------------------------------------------------------------------
CODE_STUB = "# Run this cell: it shows where your answers are saved."
WARNING_PATTERN = r"\b[A-Za-z]*Warning\b"


def configure_nbgrader(c: Any, cell_timeout: int = 60) -> Any:
    """Apply the kit's grading protections to an nbgrader config object ``c``.

    Used by the repository's ``nbgrader_config.py`` and by course folders the kit creates,
    so both build the same release and grade the same way (grading.md items 1-5).
    """
    c.ClearSolutions.code_stub = {"python": CODE_STUB}
    c.IgnorePattern.enabled = True  # a warning on stderr must not zero a correct answer
    c.IgnorePattern.pattern = WARNING_PATTERN
    c.OverwriteCells.add_missing_cells = True  # deleted test cells come back
    c.ExecutePreprocessor.timeout = cell_timeout
    c.Execute.timeout = cell_timeout
    c.LimitOutput.max_lines = 200
    c.LimitOutput.max_traceback = 40
    # the student's saved answers must never be replaced by a copy from the source folder
    c.Autograde.exclude_overwriting = {a: [f"answers/{a}.json"] for a in ASSIGNMENTS}
    # returned feedback shows test cells as they ran: strip the hidden tests from them
    c.GenerateFeedback.preprocessors = [
        "nbgrader.preprocessors.GetGrades",
        "nbgrader.preprocessors.ClearHiddenTests",
        "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    ]
    return c
