"""What a course's own article is graded on, and what its lessons may show.

``plan_article`` turns an article, its instructor's reference and its metadata into the graded
assignment's items with their keys, the taggers the assignment shows, the model answers of
the source notebook, and the (unit, layer) rows the students' side must never carry.

Which anchors are graded: in each layer, every other anchor unit in reading order (the first,
the third, ...); a layer with one anchor grades it. The other anchors stay for the lessons,
where the expert's reading and reasoning are shown on them, so a student practises on about
half the clear cases and is graded on the others. Roles first leave out the sentences another
question settles the role of (the thesis options, which are the thesis and claims, and the
sentences graded for their evidence type, which the expert reads as evidence only): the plan
is public, so grading their role would give it away. The thesis question offers the first
sentence (not the headline) the expert reads as the thesis, among up to three claims; the
genre question is asked only when the metadata names an opinion or news section. Keys come
from ``items.public_key`` on the instructor's reference, so they follow the kit's own rules
(for example, evidence types are keyed only where "evidence" is the one accepted role).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from medialit.article_folder import metadata_value, where_it_appeared
from medialit.items import COURSE_ITEMS, ITEMS, Item, public_key

#: metadata section -> the genre option it makes the right answer
SECTION_GENRES = {
    "opinion": "opinion",
    "op-ed": "opinion",
    "oped": "opinion",
    "editorial": "opinion",
    "column": "opinion",
    "columns": "opinion",
    "opinions": "opinion",
    "ideas": "opinion",
    "commentary": "opinion",
    "news": "news",
}
#: (layer, item suffix, title, points), in the order the assignment asks them
TAG_ITEMS = (
    ("role", "roles", "Sentence roles", 3),
    ("statement", "statements", "Statement types", 3),
    ("evidence", "evidence_types", "Evidence types", 2),
    ("devices", "devices", "Devices", 4),
    ("frame", "frames", "Frame functions", 2),
)
#: the assignment's taggers: each shows these layers (of those that have an item)
#: One tagger for every graded layer: two taggers on one answers file would retire each other
#: (the newer one takes over the file), so a student running the notebook from the top would
#: find the first one closed.
TAGGERS = (("role", "statement", "evidence", "devices", "frame"),)


@dataclass
class ArticlePlan:
    """Everything the notebooks need, decided once from the instructor's reference."""

    name: str
    items: list[Item]  # instructor-side (a choice keeps its fixed key)
    keys: dict[str, Any]  # item id -> the key the hidden test holds
    taggers: list[tuple[list[str], list[str]]]  # (layers, units) per tagger
    model: dict[str, Any]  # fill_answers(...) keyword arguments: full marks
    withheld: set[tuple[str, str]] = field(default_factory=set)  # rows students never get
    #: the questions the assignment does not ask, each with why (said to the instructor)
    not_asked: list[str] = field(default_factory=list)
    #: where and when the piece appeared, as students may read it (``article.json``)
    where: str = ""

    def item(self, suffix: str) -> Item | None:
        return next((it for it in self.items if it.id == f"{self.name}_{suffix}"), None)

    @property
    def checks(self) -> list[list[str]]:
        """The (unit, layer) checks course mode closes for this assignment."""
        return sorted(map(list, self.withheld))


def genre_of(metadata: dict) -> str | None:
    """The genre the metadata's section gives ("opinion", "news"), or None."""
    value = metadata_value(metadata, "section")
    return SECTION_GENRES.get(value.strip().lower()) if value else None


def _spread(units: list[str], count: int) -> list[str]:
    """``count`` of ``units`` spread evenly (the first and the last among them)."""
    if len(units) <= count:
        return units
    step = (len(units) - 1) / (count - 1)
    return [units[round(i * step)] for i in range(count)]


def _thesis_options(article: Any, ref: Any) -> tuple[list[str], list[str]]:
    """(options, right ones): the first body sentence read as the thesis, and claims."""
    body = [u for u in article.ids if u != "P0.S1"]
    roles = {u: ref.entry(u, "role") for u in body}
    firm = [u for u in body if roles[u].anchor and "thesis" in roles[u].accepted]
    labelled = [u for u in body if roles[u].label == ("thesis",)]  # the expert's own reading
    loose = [u for u in body if "thesis" in roles[u].accepted]
    thesis = (firm or labelled or loose)[:1]
    claims = [u for u in body if roles[u].anchor and roles[u].label == ("claim",)]
    if not thesis or not claims:
        return [], []
    options = [u for u in article.ids if u in set(thesis) | set(_spread(claims, 3))]
    return options, thesis


def _graded_units(ref: Any, layer: str, taken: frozenset[str] = frozenset()) -> list[str]:
    """Every other anchor of the layer in reading order, leaving out ``taken`` units."""
    anchors = [e.unit for e in ref.anchors(layer) if e.unit not in taken]
    if layer == "evidence":  # where the expert reads the sentence as evidence (maybe not only)
        anchors = [u for u in anchors if "evidence" in ref.entry(u, "role").accepted]
    return anchors[::2]


def plan_article(name: str, article: Any, ref: Any, metadata: dict) -> ArticlePlan:
    """The graded assignment for one article. Students get the article as a folder called
    ``name``, so ``name`` is also the article key their answers carry."""
    kit = ITEMS["a1_genre"], ITEMS["a1_thesis"]
    items: list[Item] = []
    genre = genre_of(metadata)
    if genre is not None:
        items.append(
            Item(
                f"{name}_genre",
                name,
                "choice",
                1,
                "Genre",
                response="genre",
                options=kit[0].options,
                fixed_key=(genre,),
                hint="Look again at where it was published and at what it asks you to believe.",
                keyless=True,
            )
        )
    options, _ = _thesis_options(article, ref)
    if options:
        items.append(
            Item(
                f"{name}_thesis",
                name,
                "thesis",
                2,
                "The thesis",
                response="thesis",
                units=tuple(options),
                article=name,
                hint=kit[1].hint,
                keyless=True,
            )
        )
    # another question settles a sentence's role: an evidence type is graded only where the
    # expert reads the sentence as evidence, and the thesis options are the thesis and claims
    settled = frozenset(options) | frozenset(_graded_units(ref, "evidence"))
    for layer, suffix, title, points in TAG_ITEMS:
        units = _graded_units(ref, layer, settled if layer == "role" else frozenset())
        if units:
            items.append(
                Item(
                    f"{name}_{suffix}",
                    name,
                    "tags",
                    points,
                    title,
                    layer=layer,
                    units=tuple(units),
                    article=name,
                    keyless=True,
                )
            )
    COURSE_ITEMS.update({it.id: it for it in items})  # public_key finds them by id
    keys = {it.id: public_key(it.id, ref) for it in items}
    items = [it for it in items if keys[it.id]]  # a layer whose picks all dropped out
    keys = {it.id: keys[it.id] for it in items}
    withheld: set[tuple[str, str]] = set()
    for it in items:
        withheld |= {pair for pair in it.checks() if pair[1] != "response"}
    # a role row also tells whether the evidence layer applies: hide both together
    withheld |= {(u, "evidence") for u, layer in list(withheld) if layer == "role"}
    taggers = []
    for layers in TAGGERS:
        present = [it for it in items if it.kind == "tags" and it.layer in layers]
        if not present:
            continue
        shown = {u for it in present for u in it.units}
        chosen = [lay for lay in layers if any(it.layer == lay for it in present)]
        if "evidence" in chosen and "role" not in chosen:
            chosen.insert(0, "role")
        taggers.append((chosen, [u for u in article.ids if u in shown]))
    asked = {it.id.removeprefix(f"{name}_") for it in items}
    why = {
        "genre": "the article's section is not opinion or news (give --section to "
        "'medialit article new')",
        "thesis": "no body sentence that your reference reads as the thesis, or no claim "
        "with one clear answer to set beside it",
    }
    not_asked = [f"{what}: {reason}" for what, reason in why.items() if what not in asked]
    not_asked += [
        f"{title}: no sentence with one clear {layer} answer (an anchor) in your reference"
        + (" that the expert also reads as evidence" if layer == "evidence" else "")
        for layer, suffix, title, _ in TAG_ITEMS
        if suffix not in asked
    ]
    model = _model(items, keys, ref, taggers)
    where = where_it_appeared(metadata)
    return ArticlePlan(name, items, keys, taggers, model, withheld, not_asked, where)


def _model(items: list[Item], keys: dict, ref: Any, taggers: list) -> dict[str, Any]:
    """fill_answers(...) arguments that earn full marks: the expert's reading throughout."""
    tags: dict[str, dict[str, list[str]]] = {}
    for layers, units in taggers:
        for unit in units:
            for layer in layers:
                entry = ref.entry(unit, layer)
                if not entry.applicable:
                    continue
                chosen = list(entry.label) or (["none"] if layer in ("devices", "frame") else [])
                if chosen:
                    tags.setdefault(unit, {})[layer] = chosen
    responses = {
        it.response or "": keys[it.id][0] for it in items if it.kind in ("choice", "thesis")
    }
    out: dict[str, Any] = {"tags": tags, "responses": responses}
    article = next((it.article for it in items if it.kind == "tags"), None)
    if article is not None:
        out["article"] = article
    return out
