"""The lateral-reading bundle (data/lateral/): it loads, every source is dated and typed, no
opinion is cited as a report, quotations stay short, and the loader refuses broken rows."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest

from medialit import dossier, lateral, lateral_view
from medialit.cited_source import OPINION_SEGMENTS
from medialit.paths import data_file

FILES = ("cards.csv", "facts.csv", "coverage.csv", "searches.csv")


@pytest.fixture(scope="module")
def bundle() -> lateral.Bundle:
    return lateral.load_bundle()


def _all_sources(bundle: lateral.Bundle) -> list[lateral.Source]:
    found = [s for f in bundle.facts for s in f.sources]
    return found + [v.leaning_source for v in bundle.coverage if v.leaning_source]


def _edited(tmp_path: Path, name: str, row_id: str, column: str, value: str) -> Path:
    """A copy of the kit's bundle in tmp_path with one cell changed."""
    folder = tmp_path / "lateral"
    shutil.copytree(data_file("lateral"), folder)
    path = folder / name
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    target = [r for r in rows if r["id"] == row_id]
    assert target, f"test setup: no row {row_id} in {name}"
    target[0][column] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return folder


def test_the_bundle_loads_with_both_parts_and_an_event(bundle):
    """Does the shipped bundle load whole, with cards for the outlet (A) and a claim (B), facts,
    and four or more sources on one dossier event?"""
    parts = {c.part for c in bundle.cards}
    assert parts == {"A", "B"}
    outlet = [c for c in bundle.cards if c.part == "A"]
    assert 5 <= len(outlet) <= 7
    assert any(c.good_first_click for c in outlet) and any(not c.good_first_click for c in outlet)
    assert len(bundle.coverage) >= 4
    assert len({v.kind for v in bundle.coverage}) >= 3, "coverage should mix kinds of source"
    assert {"confirmed", "unconfirmed"} == {f.status for f in bundle.facts}


def test_every_row_and_source_has_a_kind_and_a_date(bundle):
    """Is every card, coverage row and cited source typed and dated, no more precisely than
    a real calendar date allows?"""
    rows = [*bundle.cards, *bundle.coverage, *_all_sources(bundle)]
    for row in rows:
        assert row.kind in lateral.KINDS, row
        assert row.date.year >= 2000 and str(row.date), row
        assert row.url.startswith(("http://", "https://")), row
    for f in bundle.facts:
        assert f.as_of.year >= 2000, f.id
        assert f.sources or f.status == "unconfirmed", f.id


def test_no_opinion_is_cited_as_a_report(bundle):
    """Is an opinion piece, an advocacy post or a copy never the source of a fact, a rating only
    of a rating fact, and every address in an opinion section marked opinion?"""
    for f in bundle.facts:
        for s in f.sources:
            assert s.kind not in lateral.NOT_REPORTS, (f.id, s.outlet)
            assert (s.kind == "rating") <= (f.topic == "rating"), (f.id, s.outlet)
    for row in [*bundle.cards, *bundle.coverage, *_all_sources(bundle)]:
        segments = set(row.url.lower().split("/"))
        if segments & OPINION_SEGMENTS:
            assert row.kind == "opinion", row.url
    assert any(v.kind == "opinion" for v in bundle.coverage)
    for v in bundle.coverage:
        if v.leaning:
            assert v.leaning_source and v.leaning_source.kind == "rating", v.id
            assert v.leaning.startswith(v.leaning_source.outlet), v.id


def test_quotations_are_short_and_summaries_in_the_kits_words(bundle):
    """Is every quotation 30 words or fewer, and does no summary repeat 7 words in a row of it?"""

    def words(text: str) -> list[str]:
        return re.findall(r"[\w’']+", text.lower())

    def runs(text: str) -> set[tuple[str, ...]]:
        w = words(text)
        return {tuple(w[i : i + 7]) for i in range(len(w) - 6)}

    pairs = [(c.quote, c.summary) for c in bundle.cards]
    pairs += [(f.quote, f.fact) for f in bundle.facts]
    pairs += [(v.quote, v.emphasises + " " + v.leaves_out) for v in bundle.coverage]
    for quote, summary in pairs:
        assert len(words(quote)) <= lateral.MAX_QUOTE_WORDS, quote
        unquoted = re.sub(r"\"[^\"]*\"|“[^”]*”", " ", summary)
        assert not runs(quote) & runs(unquoted), summary


def test_every_card_a_page_or_question_names_exists(bundle):
    """Do the lesson's pages of cards, their best first clicks, the claim they test, the events
    covered, and any lesson-09 question that names a card all point at rows that exist?"""
    cards = {c.id: c for c in bundle.cards}
    claims = {c.id for c in dossier.load_claims()}
    events = {e.id for e in dossier.load_dossier()}
    assert {s.part for s in bundle.searches} == {"A", "B"}
    for s in bundle.searches:
        assert s.best and set(s.best) <= set(s.cards) <= set(cards), s.id
        assert all(cards[c].good_first_click for c in s.best), s.id
        assert all(cards[c].part == s.part for c in s.cards), s.id
        assert not s.claim or s.claim in claims, s.id
    for v in bundle.coverage:
        assert set(v.event) <= events, v.id
    for f in bundle.facts:
        assert set(f.cards) <= set(cards), f.id
    questions = json.loads(data_file("lessons/questions.json").read_text(encoding="utf-8"))
    for key, item in questions.items():
        if key.startswith("09.") and isinstance(item, dict):
            for value, *_ in item.get("options", []):
                if re.fullmatch(r"[AB]\d+", str(value)):
                    assert value in cards, (key, value)


BROKEN = [
    ("cards.csv", "A1", "kind", "", "kind"),
    ("cards.csv", "A3", "date", "", "date"),
    ("cards.csv", "A3", "date", "2013-02-30", "not a date"),
    ("cards.csv", "A2", "quote", " ".join(["word"] * 31), "quote at most 30"),
    (
        "cards.csv",
        "B1",
        "summary",
        "He wrote that no final deal will be made until my friend President Xi, and I, meet.",
        "copies more than",
    ),
    ("cards.csv", "A6", "good_first_click", "maybe", "yes or no"),
    ("coverage.csv", "V5", "kind", "news_report", "opinion section"),
    ("coverage.csv", "V3", "leaning_source", "", "leaning needs the published rating"),
    ("coverage.csv", "V1", "date", "", "date"),
    ("coverage.csv", "V4", "event", "no_such_event", "do not exist in dossier.csv"),
    ("facts.csv", "F6", "sources", "", "confirmed fact needs"),
    ("facts.csv", "F7", "topic", "ownership", "rating"),
    ("facts.csv", "F9", "fact", "Nobody knows who wrote it.", "unconfirmed"),
    ("facts.csv", "F2", "cards", "A1; Z9", "Z9"),
    ("searches.csv", "S_claim", "best", "B5", "good_first_click=yes"),
    ("searches.csv", "S_outlet", "cards", "A1; A2; A3; B1", "not a part A card"),
    ("searches.csv", "S_claim", "claim", "C99", "not in claims.csv"),
]


@pytest.mark.parametrize(("name", "row_id", "column", "value", "message"), BROKEN)
def test_the_loader_refuses_a_broken_row(tmp_path, name, row_id, column, value, message):
    """Does each broken row stop the loader with one sentence naming the file and the fix?"""
    folder = _edited(tmp_path, name, row_id, column, value)
    with pytest.raises(lateral.LateralError, match=re.escape(message)) as caught:
        lateral.read_bundle(folder)
    assert str(folder) in str(caught.value)


@pytest.mark.parametrize(
    ("kind", "message"),
    [("opinion", "not a report of a fact"), ("", "kind"), ("advocacy", "not a report of a fact")],
)
def test_a_fact_source_must_be_a_typed_report(tmp_path, kind, message):
    """Is a fact refused when its source is an opinion piece, an advocacy post, or untyped?"""
    fact = next(f for f in lateral.load_bundle().facts if f.id == "F1")
    first = fact.sources[0]
    broken = f"{first.outlet} | {first.title} | 2018-12-14 | {kind} | {first.url}"
    folder = _edited(tmp_path, "facts.csv", "F1", "sources", broken)
    with pytest.raises(lateral.LateralError, match=re.escape(message)):
        lateral.read_bundle(folder)


def test_a_fact_source_without_a_date_is_refused(tmp_path):
    """Is a cited source with no date refused rather than shown undated?"""
    broken = "Politico | A title |  | news_report | https://www.politico.com/x"
    folder = _edited(tmp_path, "facts.csv", "F1", "sources", broken)
    with pytest.raises(lateral.LateralError, match="date"):
        lateral.read_bundle(folder)


def test_search_results_do_not_give_the_answer_away(bundle):
    """Does a page of results show every card's site and date, but not its kind (a search page
    labels no result), nor which cards are good first clicks or why? Opening one shows its kind."""
    page = lateral_view.search_results_html("S_outlet")
    search = lateral.search("S_outlet")
    assert page.count("<li ") == len(search.cards)
    for card_id in search.cards:
        c = lateral.card(card_id)
        assert f'id="ml-card-{c.id}"' in page
        assert c.site in page and str(c.date) in page
        assert f"· {lateral.KINDS[c.kind]}" not in page
        assert f"· {lateral.KINDS[c.kind]}" in lateral_view.excerpt_html(c.id)
        assert c.why[:40] not in page
    assert "aria-label" in page and "ml-box" in page


def test_an_opened_card_shows_its_quote_and_cited_facts(bundle):
    """Does opening a card show the kit's summary, its one quotation with whose words they are,
    and the facts it gives with outlet, title, date, kind and address?"""
    opened = lateral_view.excerpt_html("A3")
    c = lateral.card("A3")
    assert "In the kit's words" in opened and c.quote in opened
    assert '<blockquote class="ml-quote">' in opened
    for f in (f for f in bundle.facts if "A3" in f.cards):
        for s in f.sources:
            assert s.url in opened and lateral.KINDS[s.kind] in opened
    verdict = lateral_view.first_click_html("A6")
    assert "Not the best first click" in verdict and "ml-box" in verdict
    assert "Unconfirmed" in lateral_view.facts_html(topic="unknown")


def test_the_coverage_table_names_whose_rating_a_leaning_is(bundle):
    """Does the comparison give one card per source with its kind and date, a leaning that
    names its rater (with the rating's source behind a fold), and an unrated source described
    by its kind only?"""
    cards = lateral_view.coverage_html("hamburg")
    sources = [v for v in bundle.coverage if "hamburg" in v.event]
    assert cards.count("<li class='ml-box'>") == len(sources)
    for v in sources:
        assert f"{lateral.KINDS[v.kind]} · {v.date}" in cards
        if v.leaning_source:  # the leaning names its rater, and the rater's page is cited
            assert v.leaning.startswith(f"{v.leaning_source.outlet}:"), v.leaning
            assert v.leaning_source.citation.split(",")[0] in cards
    assert cards.count("AllSides:") == sum(1 for v in sources if v.leaning_source)
    assert "<details" in cards and "not rated here: read it as opinion" in cards


def test_unknown_ids_get_a_sentence_listing_the_known_ones():
    with pytest.raises(lateral.LateralError, match=re.escape("There is no card 'Z9'. Cards: A1")):
        lateral.card("Z9")
    with pytest.raises(lateral.LateralError, match="covers the dossier row 'nowhere'"):
        lateral_view.coverage_html("nowhere")
