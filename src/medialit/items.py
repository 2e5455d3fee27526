"""The graded assignments' items and their keys as the kit's public data gives them.

One ``Item`` per graded question of the four assignments in ``solutions/``. This module
depends on nothing of the kit but its errors (the reference and the dossier are imported
where a key is built), so every other module can use it: ``course_mode`` asks it which
checks an assignment closes, ``scoring`` scores an item, ``grading`` builds the notebook
widgets for it, and the grader (``medialit.course``) finds the item behind a test cell.
Keeping the list here, apart from scoring and widgets, is what keeps the import graph a tree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medialit.errors import MedialitError

if TYPE_CHECKING:
    from medialit.dossier import Claim

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
    #: a course's own item (``medialit course add-article``): its key is only in the hidden
    #: tests of the course's source/, so no self-check can score it in a student's kernel
    keyless: bool = False

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
    Item(
        "a4_lateral_confirm",
        "a4_capstone",
        "choice",
        2,
        "Read laterally: confirm a quotation",
        response="lateral_confirm",
        options=(
            ("B1: the president's tweet itself", "B1"),
            ("B2: USA Today, the same day", "B2"),
            ("B3: Reuters, the same day", "B3"),
            ("B4: the Washington Examiner's news desk, the same day", "B4"),
            ("B5: EJ Insight, four months later", "B5"),
        ),
        fixed_key=("B1",),
        explain="The tweet is the record of the words: nothing is closer to the source. B2 and "
        "B3 quote the words the same day, and B4 shows the tweet itself: good second choices, "
        "but copies of the record. B5 is a column from months later that does not quote the "
        "tweet: a column interprets; it cannot confirm what was said.",
        hint="Which result is the words themselves, not a report or an argument about them?",
    ),
    Item("a4_response", "a4_capstone", "manual", 4, "The same standard for both sides?"),
)
ITEMS: dict[str, Item] = {item.id: item for item in _ITEMS}


def item(item_id: str) -> Item:
    try:
        return ITEMS[item_id]
    except KeyError:
        pass
    found = course_item(item_id)
    if found is not None:
        return found
    raise MedialitError(f"There is no graded item {item_id!r}. Items: {', '.join(ITEMS)}.")


def assignment_items(assignment: str) -> list[Item]:
    kit = [it for it in ITEMS.values() if it.assignment == assignment]
    return kit or [it for it in COURSE_ITEMS.values() if it.assignment == assignment]


# -- a course's own items (``medialit course add-article``) ---------------------------
#: Beside a course assignment's notebook: its items, without keys (students receive it).
ITEMS_FILE = "medialit_items.json"
ITEMS_FORMAT = "medialit-items"
#: Items registered from assignment folders (``register_items``), by id; never the kit's.
COURSE_ITEMS: dict[str, Item] = {}
_FIELDS = ("id", "assignment", "kind", "points", "title", "layer", "units", "article")
_FIELDS += ("response", "options", "hint")


def items_json(items: list[Item]) -> str:
    """A course assignment's items as ITEMS_FILE holds them: no key, no expert reasoning."""
    import json

    rows = []
    for it in items:
        row = {name: getattr(it, name) for name in _FIELDS}
        row["units"], row["options"] = list(it.units), [list(o) for o in it.options]
        rows.append(row)
    return json.dumps({"format": ITEMS_FORMAT, "items": rows}, indent=1, ensure_ascii=False)


def read_items(path: Path) -> list[Item]:
    """The items in an ITEMS_FILE (keyless); MedialitError if it is not one."""
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != ITEMS_FORMAT:
            raise ValueError(f'no "format": "{ITEMS_FORMAT}"')
        found = []
        for row in data["items"]:
            fields = {name: row[name] for name in _FIELDS}
            fields["units"] = tuple(str(u) for u in row["units"])
            fields["options"] = tuple((str(a), str(b)) for a, b in row["options"])
            fields["points"] = float(fields["points"])
            if fields["kind"] not in (*AUTO_KINDS, "manual") or fields["id"] in ITEMS:
                raise ValueError(f"item {fields['id']!r} cannot be defined here")
            found.append(Item(**fields, keyless=True))
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise MedialitError(f"{path}: not a readable list of graded items ({exc}).") from exc
    return found


def register_items(folder: str | Path) -> list[Item]:
    """Learn the items of the course assignment in ``folder`` (its ITEMS_FILE)."""
    found = read_items(Path(folder) / ITEMS_FILE)
    COURSE_ITEMS.update({it.id: it for it in found})
    return found


def course_item(item_id: str, folder: str | Path | None = None) -> Item | None:
    """A course's own item: registered, or read from ITEMS_FILE in ``folder`` (default: the
    current folder, where a student's notebook runs). None if there is none."""
    if item_id not in COURSE_ITEMS:
        path = Path(folder or Path.cwd()) / ITEMS_FILE
        if path.is_file():
            return {it.id: it for it in read_items(path)}.get(item_id)
    return COURSE_ITEMS.get(item_id)


# -- keys (from the public reference) ------------------------------------------------
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
        key: dict[str, Any] = {}
        for unit in item_units(it, ref):
            entry = ref.entry(unit, it.layer)
            if not entry.anchor:
                continue
            if it.layer == "evidence":
                role = ref.entry(unit, "role")
                if not (entry.applicable and "evidence" in role.accepted):
                    continue  # the expert does not read it as evidence: no type to grade
                if set(role.accepted) != {"evidence"}:
                    # Read as evidence, the type is graded; read in another role the expert
                    # accepts (e.g. claim), "no evidence type" is right. The key says both.
                    # "roles" starts with the expert's own role reading.
                    roles = list(role.label) + sorted(set(role.accepted) - set(role.label))
                    key[unit] = {"labels": _labels(entry), "roles": roles}
                    continue
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
