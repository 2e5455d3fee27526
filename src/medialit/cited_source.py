"""The rules for a published source cited in the kit's data files, kept in one place.

The dossier (``medialit.dossier``) and the lateral-reading bundle (``medialit.lateral``) cite
their sources the same way: one source a line, ``outlet | title | date | kind | URL | note``
(the note optional), a kind from ``KINDS``, the address of the copy read, and a date no more
precise than the source gives. Both read those lines, dates, kinds and addresses here, so a
source is judged by one set of rules. What differs is said by each caller as a parameter:
which kinds it accepts (the dossier cites reports only; lesson 09 also shows ratings,
advocacy and copies), and how precise a date must be (the dossier wants the day a report was
published; lesson 09 keeps a year or a month where that is all a source gives). Each caller
words its own errors, with its file, line and error class.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlparse

from medialit.errors import MedialitError

#: What kind of publication a source is, in the words shown to students.
KINDS = {
    "news_report": "news report", "official_statement": "official statement",
    "primary_record": "primary record", "reference_work": "reference work", "rating": "rating",
    "opinion": "opinion", "advocacy": "advocacy", "republished": "republished copy",
}  # fmt: skip
#: Path segments of an address in an opinion section (The Atlantic's "Ideas", op-eds, columns).
OPINION_SEGMENTS = {"opinion", "opinions", "ideas", "op-ed", "oped", "commentary", "columns"}
#: How precise a date can be: a year, a month or a day.
PRECISIONS = ("year", "month", "day")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, order=True)
class When:
    """A date no more precise than its source: a year, a month or a day."""

    year: int
    month: int = 0
    day: int = 0

    @property
    def precision(self) -> str:
        """ "day", "month" or "year"."""
        return "day" if self.day else "month" if self.month else "year"

    @property
    def first_day(self) -> date:
        """The calendar date it starts on (the 1st where no day or month is given)."""
        return date(self.year, self.month or 1, self.day or 1)

    def __str__(self) -> str:
        if not self.month:
            return str(self.year)
        month = date(self.year, self.month, 1).strftime("%b")
        return f"{self.day} {month} {self.year}" if self.day else f"{month} {self.year}"


def parse_when(text: str, precisions: Collection[str] = PRECISIONS) -> When:
    """``2019-01-12``, ``2019-01`` or ``2019`` as a real calendar date, at one of these
    ``precisions``; raise ValueError otherwise (the caller says what to write)."""
    match = _DATE.match(text)
    if not match:
        raise ValueError(f"not a date: {text!r}")
    year, month, day = (int(g) if g else 0 for g in match.groups())
    date(year, month if match[2] else 1, day if match[3] else 1)  # a real one, or ValueError
    when = When(year, month, day)
    if when.precision not in precisions:
        raise ValueError(f"{text!r} is precise to the {when.precision}")
    return when


def in_opinion_section(url: str) -> bool:
    """Is the address in an opinion section (a path segment such as ``/ideas/``)?"""
    return bool({s.lower() for s in urlparse(url).path.split("/")} & OPINION_SEGMENTS)


def is_web_address(url: str) -> bool:
    """Is it the http(s) address of the copy read?"""
    return url.startswith(("http://", "https://"))


def source_fields(
    where: str, line: str, layout: str, error: type[MedialitError]
) -> tuple[str, str, str, str, str, str]:
    """One source line split into (outlet, title, date, kind, URL, note), stripped, with an
    outlet; ``layout`` is how the caller's file writes a line, for the error message."""
    fields = [f.strip() for f in line.split(" | ")]
    if len(fields) not in (5, 6):
        raise error(
            f"{where}: the source {line!r} should have 5 or 6 fields separated by ' | ': "
            f"{layout} (the note is optional)."
        )
    outlet, title, when, kind, url, *note = fields
    if not outlet:
        raise error(f"{where}: the source {line!r} names no outlet.")
    return outlet, title, when, kind, url, "".join(note)
