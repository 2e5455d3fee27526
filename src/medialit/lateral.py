"""The lateral-reading bundle of lesson 09, shipped offline in ``data/lateral/``: search-result
cards, facts about the outlet, and how sources of different kinds covered one event.

``cards.csv`` holds "search results" written for the kit (title, site, date, kind, a summary in
the kit's words, at most one short quotation, the address, and whether it is a good first click,
with why); ``facts.csv`` what opening a card tells the student, each fact with the published
sources that state it (``outlet | title | date | kind | URL | note``, as in ``dossier.csv``) or
marked unconfirmed; ``coverage.csv`` one dossier event as several sources reported it, with a
leaning only where a published rating gives it; ``searches.csv`` the pages of cards a lesson
shows. See ``data/README.md``. Source lines, kinds, dates and addresses are read by the rules
the dossier uses too (``medialit.cited_source``), here with every kind and partial dates.

The loader refuses what would mislead a student: no kind or no date, an opinion piece cited as a
report (by its kind or an address in an opinion section), a rating used as a plain fact, a
quotation over 30 words, a summary that copies its quotation. Dates stay as precise as the
source (a day, a month or a year). ``medialit.lateral_view`` renders the bundle as HTML.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from medialit import paths
from medialit.cited_source import (
    KINDS,
    When,
    in_opinion_section,
    is_web_address,
    parse_when,
    source_fields,
)
from medialit.datafile import by_id, read_csv_rows, require_filled, split_list
from medialit.errors import MedialitError

#: Kinds that can never be the report of a fact: they argue, or only repeat someone else.
NOT_REPORTS = ("opinion", "advocacy", "republished")
MAX_QUOTE_WORDS = 30
#: A summary may share at most this many words in a row with its quotation, outside quote marks.
MAX_SHARED_RUN = 6
STATUSES = ("confirmed", "unconfirmed")
CARD_COLUMNS = (
    "id", "part", "query", "title", "site", "date", "date_note", "kind", "summary", "quote", "url",
    "good_first_click", "why",
)  # fmt: skip
FACT_COLUMNS = ("id", "cards", "topic", "as_of", "fact", "status", "quote", "quote_from", "sources")
COVERAGE_COLUMNS = (
    "id", "event", "outlet", "kind", "date", "headline", "url", "role", "emphasises", "leaves_out",
    "quote", "quote_by", "leaning", "leaning_source", "note",
)  # fmt: skip
SEARCH_COLUMNS = ("id", "part", "query", "cards", "best", "claim", "note")
_WORD = re.compile(r"[\w’']+")
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”")


class LateralError(MedialitError):
    """A file of the lateral-reading bundle is not valid."""


@dataclass(frozen=True)
class Source:
    """One published source cited for a fact: who, what, when, what kind, where it was read."""

    outlet: str
    title: str
    date: When
    kind: str
    url: str
    note: str = ""

    @property
    def citation(self) -> str:
        """ "Politico, “Phil Anschutz's conservative agenda”, Oct 2009 (news report)"."""
        title = f", “{self.title}”" if self.title else ""
        return f"{self.outlet}{title}, {self.date} ({KINDS[self.kind]})"


@dataclass(frozen=True)
class Card:
    id: str
    part: str
    query: str
    title: str
    site: str
    date: When
    date_note: str
    kind: str
    summary: str
    quote: str
    url: str
    good_first_click: bool
    why: str


@dataclass(frozen=True)
class Fact:
    id: str
    cards: tuple[str, ...]
    topic: str
    as_of: When
    fact: str
    status: str
    quote: str
    quote_from: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Coverage:
    id: str
    event: tuple[str, ...]
    outlet: str
    kind: str
    date: When
    headline: str
    url: str
    role: str
    emphasises: str
    leaves_out: str
    quote: str
    quote_by: str
    leaning: str
    leaning_source: Source | None
    note: str


@dataclass(frozen=True)
class Search:
    id: str
    part: str
    query: str
    cards: tuple[str, ...]
    best: tuple[str, ...]
    claim: str
    note: str


@dataclass(frozen=True)
class Bundle:
    cards: tuple[Card, ...]
    facts: tuple[Fact, ...]
    coverage: tuple[Coverage, ...]
    searches: tuple[Search, ...]


# -- checks -------------------------------------------------------------------------------
def _fail(where: str, message: str) -> LateralError:
    return LateralError(f"{where}: {message}")


def _when(where: str, text: str) -> When:
    try:
        return parse_when(text)  # a day, a month or a year: as precise as the source
    except ValueError as exc:
        raise _fail(
            where, f"the date {text!r} is missing or not a date; write 2019-01-12, 2019-01 or 2019."
        ) from exc


def _kind(where: str, kind: str, url: str = "") -> str:
    if kind not in KINDS:
        raise _fail(
            where, f"the kind {kind!r} is missing or unknown; use one of {', '.join(KINDS)}"
        )
    if kind != "opinion" and in_opinion_section(url):
        raise _fail(
            where,
            f"{url} is in an opinion section, but its kind is {kind!r}; an opinion piece is not a "
            "report. Mark it 'opinion', or cite the report it relies on.",
        )
    return kind


def _url(where: str, url: str) -> str:
    if not is_web_address(url):
        raise _fail(where, "the address (URL) of the published source is missing; add it.")
    return url


def _words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def _quote(where: str, quote: str) -> str:
    if len(_words(quote)) > MAX_QUOTE_WORDS:
        raise _fail(
            where,
            f"the quotation has {len(_words(quote))} words; quote at most {MAX_QUOTE_WORDS} "
            "and say the rest in the kit's own words.",
        )
    return quote


def _own_words(where: str, summary: str, quote: str) -> None:
    """Refuse a summary that repeats a long run of its quotation outside quotation marks."""
    mine, theirs = _words(_QUOTED.sub(" ", summary)), _words(quote)
    runs = {tuple(theirs[i : i + MAX_SHARED_RUN + 1]) for i in range(len(theirs) - MAX_SHARED_RUN)}
    for i in range(len(mine) - MAX_SHARED_RUN):
        if tuple(mine[i : i + MAX_SHARED_RUN + 1]) in runs:
            raise _fail(
                where,
                f"the summary copies more than {MAX_SHARED_RUN} words in a row from the quotation; "
                "write it in the kit's own words, or put the words in quotation marks.",
            )
    for inner in _QUOTED.findall(summary):
        _quote(where, inner)


def _require(where: str, row: dict[str, str], names: Sequence[str]) -> None:
    require_filled(where, row, names, error=LateralError)


def _source(where: str, line: str) -> Source:
    layout = "outlet | title | date | kind | URL | note"
    outlet, title, when, kind, url, note = source_fields(where, line, layout, LateralError)
    here = f"{where} (source {outlet!r})"
    return Source(outlet, title, _when(here, when), _kind(here, kind, url), _url(here, url), note)


def _rows(folder: Path, name: str, columns: Sequence[str]) -> list[tuple[str, dict[str, str]]]:
    path = folder / name
    rows = read_csv_rows(path, columns, error=LateralError, exact=True, require_rows=True)
    seen: set[str] = set()
    out = []
    for line, row in rows:
        where = f"{path}, line {line}"
        if not row["id"] or row["id"] in seen:
            raise _fail(where, f"the id {row['id']!r} is empty or used twice; give each its own.")
        seen.add(row["id"])
        out.append((where, row))
    return out


# -- reading the four files ---------------------------------------------------------------
def _card(where: str, row: dict[str, str]) -> Card:
    _require(where, row, ("part", "query", "site", "summary", "why"))
    if row["good_first_click"] not in ("yes", "no"):
        raise _fail(where, "good_first_click must be yes or no.")
    _own_words(where, row["summary"], _quote(where, row["quote"]))
    return Card(**{
        **row,
        "date": _when(where, row["date"]),
        "kind": _kind(where, row["kind"], row["url"]),
        "url": _url(where, row["url"]),
        "good_first_click": row["good_first_click"] == "yes",
    })  # fmt: skip


def _fact(where: str, row: dict[str, str], cards: set[str]) -> Fact:
    _require(where, row, ("topic", "fact", "status"))
    if row["status"] not in STATUSES:
        raise _fail(where, f"status {row['status']!r} is not one of {', '.join(STATUSES)}.")
    sources = tuple(_source(where, line) for line in row["sources"].splitlines() if line.strip())
    if row["status"] == "confirmed" and not sources:
        raise _fail(
            where,
            "a confirmed fact needs the published source that states it (outlet, title, date, "
            "kind, URL); without one, mark it 'unconfirmed'.",
        )
    if row["status"] == "unconfirmed" and not re.search(r"unconfirmed|not known", row["fact"]):
        raise _fail(where, "an unconfirmed fact must say so in its text ('unconfirmed').")
    for s in sources:
        if s.kind in NOT_REPORTS:
            raise _fail(
                where,
                f"{s.outlet!r} is {KINDS[s.kind]}, not a report of a fact; cite the report or "
                "record it relies on instead.",
            )
        if s.kind == "rating" and row["topic"] != "rating":
            raise _fail(
                where,
                f"{s.outlet!r} is a rating: cite it only for a fact about the rating (topic "
                "'rating'), worded as that organisation's rating.",
            )
    if row["topic"] == "rating" and not any(s.kind == "rating" for s in sources):
        raise _fail(where, "a fact about a rating must cite the rating itself (kind 'rating').")
    _own_words(where, row["fact"], _quote(where, row["quote"]))
    if bool(row["quote"]) != bool(row["quote_from"]) or (
        row["quote_from"] and row["quote_from"] not in {s.outlet for s in sources}
    ):
        raise _fail(where, "a quotation needs quote_from naming one of the fact's sources.")
    shown = split_list(row["cards"])
    unknown = [c for c in shown if c not in cards]
    if unknown:
        raise _fail(where, f"card(s) {', '.join(unknown)} do not exist in cards.csv.")
    return Fact(**{
        **row, "cards": shown, "as_of": _when(where, row["as_of"]), "sources": sources
    })  # fmt: skip


def _coverage(where: str, row: dict[str, str]) -> Coverage:
    _require(where, row, ("event", "outlet", "role", "emphasises", "leaves_out"))
    for name in ("emphasises", "leaves_out"):
        _own_words(where, row[name], _quote(where, row["quote"]))
    rating = _source(where, row["leaning_source"]) if row["leaning_source"] else None
    if bool(row["leaning"]) != bool(rating):
        raise _fail(
            where,
            "a leaning needs the published rating that gives it (leaning_source), and a rating "
            "the leaning it gives; otherwise leave both empty and describe the source by kind.",
        )
    if rating and (rating.kind != "rating" or not row["leaning"].startswith(rating.outlet)):
        raise _fail(
            where,
            "a leaning must come from a rating (kind 'rating') and start with the name of the "
            "organisation that gives it, e.g. 'AllSides: Lean Left'.",
        )
    if row["quote"] and not row["quote_by"]:
        raise _fail(where, "a quotation needs quote_by: whose words they are.")
    return Coverage(**{
        **row,
        "event": split_list(row["event"]),
        "kind": _kind(where, row["kind"], row["url"]),
        "date": _when(where, row["date"]),
        "url": _url(where, row["url"]),
        "leaning_source": rating,
    })  # fmt: skip


def _search(where: str, row: dict[str, str], cards: dict[str, Card]) -> Search:
    _require(where, row, ("part", "query", "cards", "best"))
    shown, best = split_list(row["cards"]), split_list(row["best"])
    for card_id in shown:
        if card_id not in cards or cards[card_id].part != row["part"]:
            raise _fail(where, f"card {card_id!r} is not a part {row['part']} card in cards.csv.")
    for card_id in best:
        if card_id not in shown or not cards[card_id].good_first_click:
            raise _fail(
                where,
                f"best card {card_id!r} must be among the cards shown and marked "
                "good_first_click=yes.",
            )
    return Search(**{**row, "cards": shown, "best": best})


def read_bundle(folder: str | Path, *, record: bool = True) -> Bundle:
    """Read and check the four files in ``folder``. With ``record``, coverage events and claims
    must exist in the kit's dossier and claims list (``medialit.dossier``)."""
    folder = Path(folder)
    cards = tuple(_card(w, r) for w, r in _rows(folder, "cards.csv", CARD_COLUMNS))
    by_card = {c.id: c for c in cards}
    facts = tuple(_fact(w, r, set(by_card)) for w, r in _rows(folder, "facts.csv", FACT_COLUMNS))
    coverage = tuple(_coverage(w, r) for w, r in _rows(folder, "coverage.csv", COVERAGE_COLUMNS))
    searches = tuple(
        _search(w, r, by_card) for w, r in _rows(folder, "searches.csv", SEARCH_COLUMNS)
    )
    if record:
        from medialit import dossier

        events = {e.id for e in dossier.load_dossier()}
        claims = {c.id for c in dossier.load_claims()}
        for row in coverage:
            missing = [e for e in row.event if e not in events]
            if missing:
                raise LateralError(
                    f"{folder / 'coverage.csv'}: {row.id} names dossier row(s) "
                    f"{', '.join(missing)}, which do not exist in dossier.csv."
                )
        for s in searches:
            if s.claim and s.claim not in claims:
                raise LateralError(
                    f"{folder / 'searches.csv'}: {s.id} names claim {s.claim!r}, which is not in "
                    "claims.csv."
                )
    return Bundle(cards, facts, coverage, searches)


def _stamp(folder: Path) -> tuple[tuple[int, int], ...]:
    files = [folder / n for n in ("cards.csv", "facts.csv", "coverage.csv", "searches.csv")]
    return tuple((f.stat().st_mtime_ns, f.stat().st_size) if f.is_file() else (0, 0) for f in files)


@cache
def _cached(folder: Path, stamp: tuple[tuple[int, int], ...]) -> Bundle:
    return read_bundle(folder)


def load_bundle(folder: str | Path | None = None) -> Bundle:
    """The kit's bundle (``data/lateral/``) or another folder, checked; re-read when edited."""
    folder = Path(folder) if folder is not None else paths.data_file("lateral")
    return _cached(folder, _stamp(folder))


def card(card_id: str) -> Card:
    return by_id(load_bundle().cards, card_id, error=LateralError, noun="card", nouns="Cards")


def search(search_id: str) -> Search:
    return by_id(
        load_bundle().searches, search_id, error=LateralError, noun="search", nouns="Searches"
    )
