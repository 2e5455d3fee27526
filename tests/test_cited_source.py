"""One set of rules for a cited source (medialit.cited_source), as the dossier and lesson 09's
lateral-reading bundle both read them; what differs between the two is a parameter."""

from __future__ import annotations

from datetime import date

import pytest

from medialit import cited_source as cs
from medialit.dossier import SOURCE_KINDS
from medialit.errors import MedialitError


@pytest.mark.parametrize(
    ("text", "when", "shown"),
    [
        ("2019-01-12", cs.When(2019, 1, 12), "12 Jan 2019"),
        ("2019-01", cs.When(2019, 1), "Jan 2019"),
        ("2019", cs.When(2019), "2019"),
    ],
)
def test_a_date_keeps_the_precision_of_its_source(text, when, shown):
    """Is a day, a month or a year read as given, and shown no more precisely?"""
    assert cs.parse_when(text) == when and str(when) == shown
    assert when.first_day == date(when.year, when.month or 1, when.day or 1)


@pytest.mark.parametrize("text", ["", "12/01/2019", "2019-02-30", "2019-13", "2019-00-12", "19"])
def test_what_is_not_a_calendar_date_is_refused(text):
    with pytest.raises(ValueError):
        cs.parse_when(text)


def test_a_caller_can_ask_for_a_day_only():
    """The dossier wants the day a report was published; a month alone is refused there."""
    assert cs.parse_when("2019-01-12", ("day",)).precision == "day"
    with pytest.raises(ValueError, match="month"):
        cs.parse_when("2019-01", ("day",))
    with pytest.raises(ValueError, match="day"):
        cs.parse_when("2019-01-12", ("month",))


@pytest.mark.parametrize(
    ("url", "opinion"),
    [
        ("https://www.theatlantic.com/ideas/archive/2018/07/", True),
        ("https://www.nytimes.com/2019/01/02/Opinion/x.html", True),
        ("https://example.com/columns/someone", True),
        ("https://www.cnn.com/2018/07/17/politics/x/index.html", False),
        ("https://opinion.example.com/news/x", False),  # only the path counts
        ("https://example.com/opinion-polls/x", False),  # a whole segment, not a prefix
    ],
)
def test_an_opinion_section_is_a_path_segment(url, opinion):
    assert cs.in_opinion_section(url) is opinion


def test_the_dossier_cites_a_subset_of_the_kinds_in_the_same_words():
    assert SOURCE_KINDS.items() <= cs.KINDS.items() and "rating" not in SOURCE_KINDS
    assert cs.is_web_address("https://x.org/a") and not cs.is_web_address("x.org/a")


def test_a_source_line_is_split_or_refused_in_one_sentence():
    layout = "outlet | title | date | kind | URL | note"
    line = "Politico | A title | 2009-10 | news_report | https://www.politico.com/x"
    assert cs.source_fields("f, line 2", line, layout, MedialitError) == (
        "Politico",
        "A title",
        "2009-10",
        "news_report",
        "https://www.politico.com/x",
        "",
    )
    with pytest.raises(MedialitError, match=r"^f, line 2: .*5 or 6 fields.*outlet \| title"):
        cs.source_fields("f, line 2", "Politico | 2009", layout, MedialitError)
    with pytest.raises(MedialitError, match="names no outlet"):
        no_outlet = " | t | 2009 | news_report | https://x.org"
        cs.source_fields("f, line 2", no_outlet, layout, MedialitError)
