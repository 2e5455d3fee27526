"""The practice op-ed (lesson 08), its expert reference, and the kit's rewrites (05, 06)."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from medialit import rewrites
from medialit.article import is_debris, load_article
from medialit.dossier import load_dossier
from medialit.paths import data_file
from medialit.scheme import default_scheme

LAYERS = ("role", "statement", "evidence", "devices", "frame")


@pytest.fixture(scope="module")
def practice():
    return load_article("practice")


def _reference_rows() -> list[dict[str, str]]:
    with data_file("reference_practice.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _split(value: str) -> set[str]:
    return {p.strip() for p in value.split(";") if p.strip()}


# -- the op-ed itself ------------------------------------------------------------------------
def test_practice_oped_has_the_seeds_shape(practice):
    """Does the practice op-ed segment like the seed: a headline, 12 paragraphs, ~20 units?"""
    seed = load_article("seed")
    assert practice.paragraph_count == seed.paragraph_count == 12
    assert 18 <= len(practice) <= 22
    assert abs(len(practice.text) - len(seed.text)) < 400
    assert practice.units[0].id == "P0.S1"
    assert practice.headline == "The case for putting leaders in the same room"


def test_practice_units_are_whole_sentences_with_no_debris(practice):
    """Is every body unit one whole sentence, with no page debris or label line?"""
    for unit in practice.units[1:]:
        assert re.search(r"[.!?][”’\"]?$", unit.text), unit.id
        assert unit.text[0].isupper(), unit.id
        assert "\n" not in unit.text
        assert not is_debris(unit.text)
    assert not re.search(r"written for|practice text|not a published", practice.text, re.I)
    # the units cover the whole text: nothing outside them but whitespace
    covered = "".join(u.text for u in practice.units)
    assert re.sub(r"\s", "", covered) == re.sub(r"\s", "", practice.text)


def test_practice_quotes_come_from_the_dossier(practice):
    """Is every quotation in the practice op-ed found, word for word, in a dossier row?"""
    record = " ".join(e.what_the_record_shows for e in load_dossier()).lower()
    quotes = re.findall(r"“([^”]+)”", practice.text)
    assert len(quotes) >= 3
    for quote in quotes:
        assert quote.rstrip(".,").lower() in record, quote


def test_provenance_card_says_written_for_practice():
    """Does the provenance card label the op-ed as written for the kit, not published?"""
    card = data_file("practice_oped.md").read_text(encoding="utf-8")
    assert "Written for the medialit kit as a practice text. Not a published article." in card
    assert "does not represent the kit's view" in " ".join(card.split())


# -- its reference -----------------------------------------------------------------------------
def test_practice_reference_covers_every_unit_and_layer(practice):
    """Does the reference have exactly one row per unit and layer, with valid labels?"""
    rows = _reference_rows()
    scheme = default_scheme()
    assert Counter((r["id"], r["layer"]) for r in rows) == Counter(
        {(u, layer): 1 for u in practice.ids for layer in LAYERS}
    )
    for r in rows:
        layer = scheme.layer(r["layer"])
        valid = set(layer.label_names) | ({"none"} if layer.choice != "one" else set())
        assert _split(r["label"]) <= _split(r["accepted"]), r
        assert _split(r["accepted"]) <= valid, r
        assert r["rationale"].strip(), r
        if layer.choice == "one" and r["accepted"]:
            assert len(_split(r["label"])) == 1, r


def test_practice_reference_cues_and_anchors_are_consistent(practice):
    """Do cue words occur in their unit, and is 'anchor' yes exactly when one answer counts?"""
    for r in _reference_rows():
        chosen = _split(r["label"]) or ({"none"} if r["layer"] in ("devices", "frame") else set())
        expected = bool(r["accepted"]) and _split(r["accepted"]) == chosen
        assert (r["anchor"] == "yes") == expected, (r["id"], r["layer"])
        if r["cues"]:
            assert r["layer"] == "devices"
            text = practice.unit(r["id"]).text
            for group in r["cues"].split("|"):
                label, words = group.split(":", 1)
                assert label.strip() in _split(r["accepted"])
                for word in _split(words):
                    assert word in text, (r["id"], word)


def test_practice_reference_has_a_comparable_mix_of_moves():
    """Does the practice op-ed give students the same kinds of moves as the article?"""
    rows = _reference_rows()
    chosen = Counter()
    for r in rows:
        for label in _split(r["label"]):
            chosen[(r["layer"], label)] += 1
    for role in ("thesis", "claim", "evidence", "concession"):
        assert chosen[("role", role)], role
    assert len({label for layer, label in chosen if layer == "evidence"}) >= 3
    for device in ("loaded_language", "figurative", "hedge", "intensifier", "vague_source"):
        assert chosen[("devices", device)], device
    assert chosen[("frame", "remedy")]


def test_practice_reference_loads_through_the_shared_loader():
    """Does the shared reference loader accept the practice reference?"""
    reference = pytest.importorskip("medialit.reference")
    ref = reference.load_reference("practice")
    assert len(ref.entries()) == 5 * len(load_article("practice"))
    assert ref.entry("P7.S1", "role").anchor
    assert ref.entry("P7.S1", "role").label == ("concession",)


# -- the kit's rewrites ------------------------------------------------------------------------
def test_rewrites_load_and_quote_the_article():
    """Are the neutral rewrite (05) and the reframing (06) there, quoting units by id?"""
    loaded = rewrites.load_rewrites()
    assert [r.lesson for r in loaded] == ["05", "06"]
    neutral = rewrites.get_rewrite("R1")
    assert neutral.units == ("P3.S1",)
    assert neutral.original == load_article("seed").unit("P3.S1").text
    assert neutral.original not in data_file("rewrites.csv").read_text(encoding="utf-8")
    assert len(rewrites.changes_frame("R1")) == len(neutral.changes) >= 4


def test_neutral_rewrite_drops_the_reference_cues_and_keeps_the_facts():
    """Does the neutral rewrite lose every coloured cue of P3.S1 but keep what is checkable?"""
    reference = pytest.importorskip("medialit.reference")
    entry = reference.load_reference("seed").entry("P3.S1", "devices")
    text = rewrites.get_rewrite("R1").rewrite
    cues = [word for words in entry.cues.values() for word in words]
    assert cues
    for word in cues:
        assert not re.search(rf"\b{re.escape(word)}\b", text), word
    for fact in ("Russia", "one-on-one", "Vladimir Putin", "U.S. intelligence"):
        assert fact in text


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("championing -> ", "crusading -> ", "not in P3.S1"),
        ("-> spoken positively about:", "-> talked up:", "not in the rewrite"),
        ("Russia’s strongman leader -> Russia’s president:", "strongman", "should read"),
        ("R2,06,P10.S1; P10.S2", "R2,06,P10.S9", "no unit"),
        ("R2,06", "R1,06", "used twice"),
    ],
)
def test_broken_rewrites_are_refused(tmp_path: Path, old: str, new: str, message: str):
    """Does a broken rewrites file give an error naming the file, line and problem?"""
    text = data_file("rewrites.csv").read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / "rewrites.csv"
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(rewrites.RewriteError) as info:
        rewrites.read_rewrites(broken)
    assert str(broken) in str(info.value) and ", line " in str(info.value)
    assert message in str(info.value)


def test_unknown_rewrite_id_lists_the_ids():
    """Is an unknown rewrite id refused with the valid ids?"""
    with pytest.raises(rewrites.RewriteError, match="R1, R2"):
        rewrites.get_rewrite("R9")
