"""The dossier: the dated record of events the article refers to, and its checkable claims.

Two plain files in ``data/`` (see ``data/README.md``):

- ``dossier.csv``: one row per event, with what the record shows and the published reports
  that state it (``id,date,date_precision,relationship,event,place,what_the_record_shows,
  sources,status``). Dates are ``YYYY-MM-DD`` (precision ``day``) or ``YYYY-MM``
  (precision ``month``), because some reports give only a month. ``sources`` holds one
  report a line, its fields separated by `` | ``: ``outlet | headline | YYYY-MM-DD | kind |
  URL of the copy read | note``. The kind is one of ``SOURCE_KINDS``; a note starting
  ``relays:`` marks a report that passes on another outlet's story (second-hand).
- ``claims.csv``: each checkable claim of the article, quoted verbatim from its unit, with
  the dossier rows that bear on it and the kit's reading (``id,unit,claim,dossier,
  kit_verdict,settled,explanation,how_to_check_further``).

Lesson 04 shows the record (``medialit.charts.timeline()``, ``claims_beside_record()``) before
the student gives verdicts, and reveals the kit's reading only afterwards (``check_verdict()``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import pandas as pd

from medialit import paths
from medialit.answers import VERDICTS
from medialit.article import Article, load_article
from medialit.cited_source import (
    KINDS,
    in_opinion_section,
    is_web_address,
    parse_when,
    source_fields,
)
from medialit.datafile import by_id, read_csv_rows, require_filled, split_list
from medialit.errors import MedialitError

DOSSIER_COLUMNS = (
    "id",
    "date",
    "date_precision",
    "relationship",
    "event",
    "place",
    "what_the_record_shows",
    "sources",
    "status",
)
CLAIM_COLUMNS = (
    "id",
    "unit",
    "claim",
    "dossier",
    "kit_verdict",
    "settled",
    "explanation",
    "how_to_check_further",
)
#: ``reported``: a cited source states it. ``to_investigate``: the kit could not confirm it.
STATUSES = ("reported", "to_investigate")
#: What kind of publication a source is (the kit's ``KINDS`` a dossier row may name). An
#: opinion piece can be read, but never cited as the report of a fact: the loader refuses it
#: (and addresses in opinion sections) in ``sources``.
SOURCE_KINDS = {
    kind: KINDS[kind] for kind in ("news_report", "official_statement", "primary_record", "opinion")
}
#: A note on a source that starts with this marks it second-hand: it relays another's story.
RELAYS = "relays:"
#: The article's relationships, and "Several" for a record about more than one of them.
RELATIONSHIPS = ("Russia", "North Korea", "China", "Several")
#: How precise an event's date is (the reports' own dates are always days).
PRECISIONS = ("day", "month")
#: The article's first sentence quotes tweets of this day (dossier row ``xi_tweet``).
ARTICLE_DATE = date(2019, 1, 31)
VERDICT_WORDS = {
    "supported": "supported",
    "partly_supported": "partly supported",
    "not_supported": "not supported",
    "cant_tell": "can't tell from here",
}
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


class DossierError(MedialitError):
    """``dossier.csv``, ``claims.csv`` or a question about them is not valid."""


@dataclass(frozen=True)
class Source:
    """One published report cited for an event: who, what, when, what kind, where read."""

    outlet: str
    title: str
    date: date
    kind: str
    url: str
    note: str = ""

    @property
    def secondhand(self) -> bool:
        """Does this report only pass on another outlet's story?"""
        return self.note.startswith(RELAYS)

    @property
    def citation(self) -> str:
        """ "The Hill, 29 Jan 2019 (news report, relays: Financial Times, 29 Jan 2019 …)"."""
        when = f"{self.date.day} {self.date.strftime('%b %Y')}"
        extra = f", {self.note}" if self.secondhand else ""
        return f"{self.outlet}, {when} ({SOURCE_KINDS[self.kind]}{extra})"


@dataclass(frozen=True)
class Event:
    """One dated event of the record, with the reports that state it."""

    id: str
    date: date
    date_precision: str
    relationship: str
    event: str
    place: str
    what_the_record_shows: str
    sources: tuple[Source, ...]
    status: str

    @property
    def when(self) -> str:
        """The date in words, no more precise than the sources: "16 Jul 2018" or "Jul 2017"."""
        if self.date_precision == "month":
            return self.date.strftime("%b %Y")
        return f"{self.date.day} {self.date.strftime('%b %Y')}"

    @property
    def citation(self) -> str:
        """The reports, as one line: outlet, date and kind of each, second-hand ones marked."""
        return "; ".join(s.citation for s in self.sources)

    @property
    def firsthand(self) -> bool:
        """Is the event reported directly by at least one source (not only relayed)?"""
        return any(not s.secondhand for s in self.sources)

    @property
    def secondary(self) -> str:
        """The note on second-hand reporting, or "" when some source reports it directly."""
        if self.firsthand:
            return ""
        return "; ".join(s.note.removeprefix(RELAYS).strip() for s in self.sources)


@dataclass(frozen=True)
class Claim:
    """One checkable claim of the article, and the kit's reading of it."""

    id: str
    unit: str
    claim: str
    dossier: tuple[str, ...]
    kit_verdict: str
    settled: bool
    explanation: str
    how_to_check_further: str


# -- reading and checking the files --------------------------------------------------------
def _read(path: Path, columns: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) pairs of a CSV file with exactly these columns and some rows."""
    return read_csv_rows(path, columns, error=DossierError, exact=True, require_rows=True)


def _check_id(where: str, value: str, seen: set[str]) -> None:
    if not _ID.match(value):
        raise DossierError(
            f"{where}: {value!r} is not a usable id; use letters, digits and '_', "
            "starting with a letter."
        )
    if value in seen:
        raise DossierError(f"{where}: the id {value!r} is used twice; give each row its own id.")
    seen.add(value)


def _require(where: str, row: dict[str, str], names: Sequence[str]) -> None:
    require_filled(where, row, names, error=DossierError)


def _source(where: str, line: str, event_date: date, precision: str) -> Source:
    """One line of a sources cell, checked: outlet, date, kind, URL; no opinion piece."""
    layout = "outlet | headline | YYYY-MM-DD | kind | URL | note"
    outlet, title, when, kind, url, note = source_fields(where, line, layout, DossierError)
    try:
        published = parse_when(when, ("day",)).first_day
    except ValueError as exc:
        raise DossierError(
            f"{where}: the source {outlet!r} has the date {when!r}; write the date it was "
            "published like 2019-01-12."
        ) from exc
    if kind not in SOURCE_KINDS:
        raise DossierError(
            f"{where}: the source {outlet!r} has the kind {kind!r}; use one of "
            f"{', '.join(SOURCE_KINDS)}."
        )
    if kind == "opinion" or in_opinion_section(url):
        raise DossierError(
            f"{where}: the source {outlet!r} is an opinion piece; an opinion piece is not a "
            "report of a fact. Cite the news report or record it relies on instead."
        )
    if not is_web_address(url):
        raise DossierError(f"{where}: the source {outlet!r} needs the URL of the copy read.")
    reported = (published.year, published.month) if precision == "month" else published
    happened = (event_date.year, event_date.month) if precision == "month" else event_date
    if reported < happened:  # type: ignore[operator]
        raise DossierError(
            f"{where}: the source {outlet!r} is dated {when}, before the event it is cited "
            "for; a report cannot state what had not happened yet. Cite a later report."
        )
    return Source(outlet, title, published, kind, url, note)


def _event(where: str, row: dict[str, str]) -> Event:
    _require(
        where,
        row,
        ("date", "date_precision", "relationship", "event", "what_the_record_shows", "status"),
    )
    precision = row["date_precision"]
    if precision not in PRECISIONS:
        raise DossierError(
            f"{where}: date_precision {precision!r} is not one of {', '.join(PRECISIONS)}."
        )
    try:
        parsed = parse_when(row["date"], (precision,)).first_day
    except ValueError as exc:
        example = "2018-07-16" if precision == "day" else "2017-07"
        raise DossierError(
            f"{where}: the date {row['date']!r} does not match its precision {precision!r}; "
            f"write it like {example}."
        ) from exc
    if row["status"] not in STATUSES:
        raise DossierError(
            f"{where}: status {row['status']!r} is not one of {', '.join(STATUSES)}."
        )
    if row["relationship"] not in RELATIONSHIPS:
        raise DossierError(
            f"{where}: relationship {row['relationship']!r} is not one of "
            f"{', '.join(RELATIONSHIPS)}."
        )
    sources = tuple(
        _source(where, line, parsed, precision)
        for line in row["sources"].splitlines()
        if line.strip()
    )
    if row["status"] == "reported" and not sources:
        raise DossierError(
            f"{where}: a 'reported' fact needs the outlet, date and kind of the report in "
            "sources; without one, mark the row 'to_investigate'."
        )
    return Event(
        id=row["id"],
        date=parsed,
        date_precision=precision,
        relationship=row["relationship"],
        event=row["event"],
        place=row["place"],
        what_the_record_shows=row["what_the_record_shows"],
        sources=sources,
        status=row["status"],
    )


def read_dossier(path: str | Path) -> tuple[Event, ...]:
    """Read and check a dossier file; errors name the file, the line and the problem."""
    path = Path(path)
    events, seen = [], set()
    for line, row in _read(path, DOSSIER_COLUMNS):
        where = f"{path}, line {line}"
        _check_id(where, row["id"], seen)
        events.append(_event(where, row))
    return tuple(sorted(events, key=lambda e: (e.date, e.date_precision == "month")))


def read_claims(
    path: str | Path, events: Sequence[Event], article: Article | None = None
) -> tuple[Claim, ...]:
    """Read and check a claims file against the dossier's events and the article's units."""
    path = Path(path)
    article = article or load_article("seed")
    known = {e.id for e in events}
    claims, seen = [], set()
    for line, row in _read(path, CLAIM_COLUMNS):
        where = f"{path}, line {line}"
        _check_id(where, row["id"], seen)
        _require(where, row, ("unit", "claim", "kit_verdict", "settled", "explanation"))
        _require(where, row, ("how_to_check_further",))
        try:
            text = article.unit(row["unit"]).text
        except MedialitError as exc:
            raise DossierError(f"{where}: {exc}") from exc
        if row["claim"] not in text:
            raise DossierError(
                f"{where}: the claim {row['claim']!r} is not word for word in {row['unit']}; "
                "copy it exactly from the article, with its quotation marks and apostrophes."
            )
        rows = split_list(row["dossier"])
        unknown = [r for r in rows if r not in known]
        if unknown:
            raise DossierError(
                f"{where}: dossier row(s) {', '.join(unknown)} do not exist. "
                f"Known rows: {', '.join(sorted(known))}."
            )
        if row["kit_verdict"] not in VERDICTS:
            raise DossierError(
                f"{where}: {row['kit_verdict']!r} is not a verdict. "
                f"Valid verdicts: {', '.join(VERDICTS)}."
            )
        if row["settled"] not in ("yes", "no"):
            raise DossierError(f"{where}: settled must be yes or no, not {row['settled']!r}.")
        settled = row["settled"] == "yes"
        if not settled and row["kit_verdict"] != "cant_tell":
            raise DossierError(
                f"{where}: a claim the record does not settle must have the verdict "
                "cant_tell (for the student to investigate)."
            )
        if settled and (not rows or row["kit_verdict"] == "cant_tell"):
            raise DossierError(
                f"{where}: a settled claim needs the dossier rows that settle it and a verdict "
                "other than cant_tell; otherwise write settled=no."
            )
        uncited = [r for r in rows if r not in row["explanation"]]
        if uncited:
            raise DossierError(
                f"{where}: the explanation should cite the dossier row(s) it relies on "
                f"by id; add {', '.join(uncited)} in brackets."
            )
        claims.append(
            Claim(
                id=row["id"],
                unit=row["unit"],
                claim=row["claim"],
                dossier=rows,
                kit_verdict=row["kit_verdict"],
                settled=settled,
                explanation=row["explanation"],
                how_to_check_further=row["how_to_check_further"],
            )
        )
    return tuple(claims)


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (0, 0)
    return (stat.st_mtime_ns, stat.st_size)


@cache
def _cached_dossier(path: Path, stamp: tuple[int, int]) -> tuple[Event, ...]:
    return read_dossier(path)


@cache
def _cached_claims(path: Path, stamp: tuple[int, int], dossier: Path) -> tuple[Claim, ...]:
    return read_claims(path, load_dossier(dossier))


def load_dossier(path: str | Path | None = None) -> tuple[Event, ...]:
    """The kit's dossier (``data/dossier.csv``) or another file, checked, oldest event first."""
    path = Path(path) if path is not None else paths.data_file("dossier.csv")
    return _cached_dossier(path, _stamp(path))


def load_claims(
    path: str | Path | None = None, dossier: str | Path | None = None
) -> tuple[Claim, ...]:
    """The article's checkable claims (``data/claims.csv``), checked against the dossier."""
    path = Path(path) if path is not None else paths.data_file("claims.csv")
    dossier = Path(dossier) if dossier is not None else paths.data_file("dossier.csv")
    return _cached_claims(path, _stamp(path), dossier)


def event(event_id: str) -> Event:
    """One dossier event by id; a clear error lists the ids if there is none."""
    return by_id(load_dossier(), event_id, error=DossierError, noun="dossier row", nouns="Rows")


def claim(claim_id: str) -> Claim:
    """One claim by id (``"C3"``); a clear error lists the ids if there is none."""
    return by_id(load_claims(), claim_id, error=DossierError, noun="claim", nouns="Claims")


# -- tables ----------------------------------------------------------------------------------
def dossier_frame() -> pd.DataFrame:
    """The dossier as a table: when, event, place, what the record shows, sources."""
    return pd.DataFrame(
        [
            {
                "id": e.id,
                "when": e.when,
                "event": e.event,
                "place": e.place,
                "what_the_record_shows": e.what_the_record_shows,
                "sources": e.citation,
                "status": e.status,
            }
            for e in load_dossier()
        ]
    )


def claims_beside_record() -> pd.DataFrame:
    """Each claim beside the record that bears on it, with citations.

    The kit's verdict and explanation are left out on purpose: lesson 04 shows this table
    before the student decides, and ``check_verdict`` reveals the kit's reading afterwards.
    """
    rows = []
    for c in load_claims():
        events = [event(r) for r in c.dossier]
        rows.append(
            {
                "id": c.id,
                "unit": c.unit,
                "claim": c.claim,
                "dossier": "; ".join(c.dossier),
                "record": "\n".join(f"{e.when}: {e.what_the_record_shows}" for e in events)
                or "Nothing in the kit's record bears on this directly: a claim to investigate.",
                "citations": "\n".join(f"{e.id}: {e.citation}" for e in events),
            }
        )
    return pd.DataFrame(rows)


# -- the self-check --------------------------------------------------------------------------
def check_verdict(claim_id: str, verdict: str) -> str:
    """A teaching message on the student's verdict, revealing the kit's reading of the claim.

    For a claim the record settles, it says whether the verdict matches and why; for one it
    does not, it says that the record here cannot settle it and how to investigate.
    """
    if verdict not in VERDICTS:
        raise DossierError(
            f"{verdict!r} is not a verdict. Choose one of: {', '.join(VERDICTS)} "
            "(supported, partly supported, not supported, can't tell from here)."
        )
    c = claim(claim_id)
    yours, kits = VERDICT_WORDS[verdict], VERDICT_WORDS[c.kit_verdict]
    sources = "; ".join(event(r).citation.rstrip(".") for r in c.dossier)
    further = f"How to check further: {c.how_to_check_further}"
    if not c.settled:
        if verdict == "cant_tell":
            opening = (
                f"You said {yours!r}, and that is the honest answer here: the record in this "
                "kit cannot settle this claim."
            )
        else:
            opening = (
                f"You said {yours!r}, but the record in this kit cannot settle this claim, so "
                "the kit's reading is 'can't tell from here'. What would you need to see to "
                "be sure?"
            )
        return f"{opening} {c.explanation} This one is for you to investigate. {further}"
    if verdict == c.kit_verdict:
        opening = f"You said {yours!r}, and so does the kit."
    else:
        opening = f"You said {yours!r}; the kit's reading is {kits!r}."
    cited = f" Sources: {sources}." if sources else ""
    return f"{opening} {c.explanation}{cited} {further}"
