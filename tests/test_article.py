"""Does the article segment into the units taxonomy.md defines, with exact offsets?"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from medialit import paths
from medialit.article import is_debris, load_article, parse_unit_id, segment
from medialit.errors import ArticleError

SHARED_SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / paths.SEED_NAME

EXPECTED_IDS = [
    "P0.S1",
    "P1.S1",
    "P2.S1",
    "P3.S1",
    "P4.S1",
    "P4.S2",
    "P5.S1",
    "P5.S2",
    "P6.S1",
    "P6.S2",
    "P6.S3",
    "P7.S1",
    "P8.S1",
    "P9.S1",
    "P9.S2",
    "P10.S1",
    "P10.S2",
    "P11.S1",
    "P12.S1",
    "P12.S2",
]


def test_seed_copy_is_byte_identical_to_the_shared_seed():
    """Is seeds/ a byte-for-byte copy of the article the project was given?"""
    if not SHARED_SEED.is_file():
        pytest.skip(f"shared seed not beside the checkout ({SHARED_SEED})")
    ours = paths.seed_file().read_bytes()
    assert hashlib.sha256(ours).hexdigest() == hashlib.sha256(SHARED_SEED.read_bytes()).hexdigest()


def test_units_have_the_taxonomy_ids_in_reading_order():
    article = load_article()
    assert article.ids == EXPECTED_IDS
    assert article.units[0].is_headline
    assert article.headline == "The problem with Trump’s one-man foreign-policy show"


def test_every_unit_reproduces_the_seed_text_from_its_offsets():
    article = load_article()
    raw = paths.seed_file().read_text(encoding="utf-8")
    for unit in article.units:
        assert raw[unit.start : unit.end] == unit.text
        assert unit.text == unit.text.strip()
        assert unit.text


def test_units_cover_every_word_of_the_body_except_debris():
    """Nothing of the article is lost between units: only whitespace and debris remain."""
    article = load_article()
    rest = list(article.text)
    for unit in article.units:
        rest[unit.start : unit.end] = [" "] * (unit.end - unit.start)
    assert "".join(rest).split() == ["Related", "Content"]


def test_web_page_debris_is_not_a_unit():
    article = load_article()
    assert all("Related Content" not in u.text for u in article.units)
    assert is_debris("Related Content")
    assert is_debris("ADVERTISEMENT")
    assert not is_debris("Unfortunately, those are the very avenues of relationship-building.")


def test_abbreviations_do_not_split_sentences():
    article = load_article()
    us_units = [u for u in article.units if "U.S." in u.text]
    assert [u.id for u in us_units] == ["P3.S1", "P6.S1", "P10.S2", "P12.S1"]
    assert article.unit("P6.S1").text.endswith("should be the goal.")
    assert article.unit("P12.S1").text.endswith("the presidency of Donald Trump.")


def test_quotes_and_parentheses_survive():
    article = load_article()
    assert article.unit("P1.S1").text.endswith("more difficult points.”")
    assert article.unit("P4.S2").text.endswith("falling “in love.”")
    assert "(the special envoy he appointed)" in article.unit("P9.S1").text
    assert article.unit("P5.S2").text.startswith("Indeed, that the president")


def test_frame_view_has_one_row_per_unit():
    frame = load_article().to_frame()
    assert list(frame.columns) == ["id", "paragraph", "sentence", "start", "end", "text"]
    assert len(frame) == 20
    assert frame.loc["P6.S3", "sentence"] == 3


def test_segment_handles_a_small_article_with_debris_and_abbreviations():
    text = "A headline\n\nDr. Smith met the U.K. team. They agreed.\n\nShare this article\n"
    units = segment(text)
    assert [u.id for u in units] == ["P0.S1", "P1.S1", "P1.S2"]
    assert units[1].text == "Dr. Smith met the U.K. team."
    for u in units:
        assert text[u.start : u.end] == u.text


def test_missing_article_file_gives_a_clear_error(tmp_path):
    with pytest.raises(ArticleError, match="Article file not found"):
        load_article(tmp_path / "nope.txt")


def test_missing_seed_is_reported_with_its_path(tmp_path, monkeypatch):
    """If the seed file is gone, the error says which file and what to use instead."""
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "scheme.csv").write_text("x", encoding="utf-8")
    monkeypatch.setenv("MEDIALIT_HOME", str(tmp_path))
    paths.kit_root.cache_clear()
    try:
        with pytest.raises(ArticleError, match=r"seeds.*000_50abb9f4152b4059\.txt"):
            load_article()
    finally:
        monkeypatch.delenv("MEDIALIT_HOME")
        paths.kit_root.cache_clear()


def test_empty_and_headline_only_articles_are_refused():
    with pytest.raises(ArticleError, match="empty"):
        segment("   \n\n  ")
    with pytest.raises(ArticleError, match="no body"):
        segment("Just a headline\n")


def test_unknown_unit_id_lists_the_valid_range():
    with pytest.raises(ArticleError, match=r"P0\.S1 to P12\.S2"):
        load_article().unit("P13.S1")
    assert parse_unit_id("P10.S2") == (10, 2)
    with pytest.raises(ArticleError):
        parse_unit_id("paragraph 3")
