"""The dossier, the article's checkable claims, the timeline and the verdict self-check."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import matplotlib.dates as mdates
import pytest

from medialit import dossier
from medialit.answers import VERDICTS
from medialit.article import load_article
from medialit.paths import data_file


@pytest.fixture()
def events():
    return dossier.load_dossier()


def _broken_copy(tmp_path: Path, name: str, old: str, new: str) -> Path:
    text = data_file(name).read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {name}"
    target = tmp_path / name
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def test_dossier_rows_are_dated_and_cited(events):
    """Does every event carry a date, a precision and the reports that state it?"""
    ids = [e.id for e in events]
    assert ids == sorted(ids, key=lambda i: next(e.date for e in events if e.id == i))
    assert set(ids) == {
        "hamburg",
        "helsinki",
        "special_envoy",
        "fell_in_love",
        "second_summit",
        "xi_tweet",
    }
    for e in events:
        assert e.status == "reported"
        assert e.sources, e.id
        assert all("20" in s for s in e.sources), e.sources  # every citation has a date
    by_id = {e.id: e for e in events}
    assert by_id["xi_tweet"].date == date(2019, 1, 31)
    assert by_id["hamburg"].date_precision == "month"
    assert by_id["hamburg"].when == "Jul 2017"
    assert by_id["helsinki"].when == "16 Jul 2018"
    assert "Business Insider, Jul 2018" in by_id["helsinki"].sources


def test_second_hand_report_is_labelled(events):
    """Is the Hamburg episode marked as reaching us through another outlet's story?"""
    by_id = {e.id: e for e in events}
    assert "The Atlantic" in by_id["hamburg"].secondary
    assert "The Washington Post" in by_id["hamburg"].citation
    assert [e.id for e in events if e.secondary] == ["hamburg"]


def test_every_claim_is_verbatim_in_its_unit():
    """Is each claim's text a word-for-word piece of the unit it names?"""
    article = load_article("seed")
    claims = dossier.load_claims()
    assert len(claims) >= 11
    for c in claims:
        assert c.claim in article.unit(c.unit).text, c.id
        assert c.kit_verdict in VERDICTS


def test_unsettled_claims_are_cant_tell():
    """Are claims the record cannot settle left for the student, never confirmed or refuted?"""
    claims = dossier.load_claims()
    unsettled = [c for c in claims if not c.settled]
    assert unsettled
    assert all(c.kit_verdict == "cant_tell" for c in unsettled)
    assert all(c.dossier and c.kit_verdict != "cant_tell" for c in claims if c.settled)
    texts = {c.claim: c for c in claims}
    assert not texts["Kim’s regime refused to meet with Stephen Biegun"].settled
    assert not texts["repeatedly canceled official meetings"].settled


def test_interpreters_claim_follows_the_worked_example():
    """Is 'cutting out interpreters' partly supported, depending on the meeting?"""
    c = next(c for c in dossier.load_claims() if "cutting out interpreters" in c.claim)
    assert c.kit_verdict == "partly_supported"
    assert set(c.dossier) == {"helsinki", "hamburg"}
    assert "Helsinki" in c.explanation and "Hamburg" in c.explanation


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        (
            "claims.csv",
            "even cutting out interpreters",
            "even firing interpreters",
            "word for word",
        ),
        ("claims.csv", "C9,P8.S1", "C9,P99.S1", "no unit"),
        ("claims.csv", "helsinki; hamburg,partly", "helsinki; moscow,partly", "moscow"),
        ("claims.csv", "partly_supported,yes", "mostly_true,yes", "not a verdict"),
        ("claims.csv", "cant_tell,no", "supported,no", "cant_tell"),
        ("claims.csv", "C2,", "C1,", "used twice"),
        ("dossier.csv", "2018-07-16,day", "16/07/2018,day", "2018-07-16"),
        ("dossier.csv", "2017-07,month", "2017-07,week", "date_precision"),
        ("dossier.csv", ",reported\n", ",rumoured\n", "status"),
        ("dossier.csv", "id,date,", "ident,date,", "first line"),
    ],
)
def test_broken_files_name_file_line_and_problem(tmp_path, name, old, new, message):
    """Does a broken copy give an error naming the file, the line and what is wrong?"""
    broken = _broken_copy(tmp_path, name, old, new)
    with pytest.raises(dossier.DossierError) as info:
        if name == "dossier.csv":
            dossier.read_dossier(broken)
        else:
            dossier.read_claims(broken, dossier.load_dossier())
    text = str(info.value)
    assert str(broken) in text
    assert message in text
    if "first line" not in message:
        assert ", line " in text


def test_reported_row_without_source_is_refused(tmp_path):
    """Can a fact be marked reported without the report that states it?"""
    broken = _broken_copy(
        tmp_path, "dossier.csv", '"USA Today, 31 Jan 2019; The Commercial Appeal, 31 Jan 2019"', ""
    )
    with pytest.raises(dossier.DossierError, match="needs the outlet and date"):
        dossier.read_dossier(broken)


def test_timeline_renders_headless_with_words():
    """Does the timeline draw on Agg with a title, axis labels and the article's date?"""
    fig = dossier.timeline()
    ax = fig.axes[0]
    assert ax.get_title()
    assert ax.get_xlabel() and ax.get_ylabel()
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "the article's tweets" in texts
    for e in dossier.load_dossier():
        assert e.when in texts
    marks = [line for line in ax.lines if line.get_linestyle() == "--"]
    where = [mdates.num2date(ax.convert_xunits(line.get_xdata()[0])).date() for line in marks]
    assert where == [date(2019, 1, 31)]
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")  # really renders, with the Agg renderer
    assert buffer.getvalue().startswith(b"\x89PNG")
    assert dossier.timeline_alt_text() == fig.alt_text


def test_timeline_draws_on_a_given_axes():
    """Can a lesson place the timeline on an axes it already has?"""
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.subplots()
    assert dossier.timeline(ax=ax) is fig
    assert ax.get_title()


def test_alt_text_names_every_event_and_the_article_date():
    """Does the alt text say in words what the chart shows?"""
    alt = dossier.timeline_alt_text()
    for e in dossier.load_dossier():
        assert e.event in alt
    assert "31 Jan 2019" in alt


def test_claims_beside_record_hides_the_kit_reading():
    """Does the table show the record and its sources, but not the kit's verdicts?"""
    frame = dossier.claims_beside_record()
    assert list(frame.columns) == ["id", "unit", "claim", "dossier", "record", "citations"]
    assert len(frame) == len(dossier.load_claims())
    row = frame.set_index("id").loc["C2"]
    assert "USA Today, 31 Jan 2019" in row["citations"]
    assert "31 Jan 2019" in row["record"]
    empty = frame[frame["dossier"] == ""]
    assert (empty["record"].str.contains("to investigate")).all()


def test_check_verdict_explains_after_a_choice():
    """Does the self-check say whether the verdict matches, why, and how to check further?"""
    c = next(c for c in dossier.load_claims() if "cutting out interpreters" in c.claim)
    same = dossier.check_verdict(c.id, "partly_supported")
    other = dossier.check_verdict(c.id, "supported")
    assert "so does the kit" in same
    assert "the kit's reading is 'partly supported'" in other
    for message in (same, other):
        assert c.explanation in message
        assert "CNN, 16 Jul 2018" in message
        assert "How to check further" in message


def test_check_verdict_on_unsettled_claim_says_investigate():
    """For a claim the record cannot settle, does the check say so and how to investigate?"""
    c = next(c for c in dossier.load_claims() if not c.settled)
    right = dossier.check_verdict(c.id, "cant_tell")
    wrong = dossier.check_verdict(c.id, "not_supported")
    assert "cannot settle" in right and "cannot settle" in wrong
    assert "honest answer" in right and "honest answer" not in wrong
    assert c.how_to_check_further in right


def test_check_verdict_refuses_bad_input():
    """Are an unknown verdict and an unknown claim refused with the valid choices?"""
    with pytest.raises(dossier.DossierError, match="cant_tell"):
        dossier.check_verdict("C1", "true")
    with pytest.raises(dossier.DossierError, match="C1"):
        dossier.check_verdict("C99", "supported")
