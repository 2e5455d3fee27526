"""Agreement statistics: published worked examples, plain readings, layer handling."""

from __future__ import annotations

import math
import warnings

import pytest

from medialit import agreement as ag
from medialit.answers import AnswerSheet
from medialit.errors import MedialitError
from medialit.reference import load_reference
from medialit.synthetic import write_toy_reference

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four
# observers, twelve units, values 1-5, with missing values. Nominal alpha = 0.743.
KRIPPENDORFF_C = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]
# Same paper, section A: two observers, ten units, binary data. Alpha = 0.095.
KRIPPENDORFF_A = [
    [0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
    [1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
]


def cohen_textbook() -> tuple[list[str], list[str]]:
    """The common textbook table: 50 items, yes/yes 20, yes/no 5, no/yes 10, no/no 15."""
    pairs = [("yes", "yes")] * 20 + [("yes", "no")] * 5 + [("no", "yes")] * 10
    pairs += [("no", "no")] * 15
    return [a for a, _ in pairs], [b for _, b in pairs]


def test_krippendorff_alpha_matches_the_published_example_with_missing_values():
    """Does α reproduce Krippendorff's own nominal example (0.743)?"""
    assert round(ag.krippendorff_alpha(KRIPPENDORFF_C), 3) == 0.743


def test_krippendorff_alpha_matches_the_published_binary_example():
    """Does α reproduce Krippendorff's two-observer binary example (0.095)?"""
    assert round(ag.krippendorff_alpha(KRIPPENDORFF_A), 3) == 0.095


def test_krippendorff_alpha_accepts_text_labels():
    """Are labels mapped to codes without changing α?"""
    names = {1: "thesis", 2: "claim", 3: "evidence", 4: "context", 5: "concession"}
    as_text = [[names.get(v) for v in row] for row in KRIPPENDORFF_C]
    assert ag.krippendorff_alpha(as_text) == pytest.approx(ag.krippendorff_alpha(KRIPPENDORFF_C))


def test_cohens_kappa_matches_the_textbook_example():
    """po = 0.70, pe = 0.50, so κ = 0.40."""
    a, b = cohen_textbook()
    assert ag.percent_agreement(a, b) == pytest.approx(0.70)
    assert ag.cohens_kappa(a, b) == pytest.approx(0.40)


def test_kappa_and_alpha_undefined_cases_are_nan_without_warnings():
    """Everyone used one label: chance agreement is 1, so κ and α are undefined."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert math.isnan(ag.cohens_kappa(["fact"] * 4, ["fact"] * 4))
        assert math.isnan(ag.krippendorff_alpha([["fact"] * 3, ["fact"] * 3]))
        assert math.isnan(ag.percent_agreement([None, None], ["a", "b"]))
    assert "cannot be computed" in ag.interpret(float("nan"))


def test_pairs_skip_missing_decisions_and_lengths_must_match():
    assert ag.percent_agreement(["a", None, "b"], ["a", "b", "c"]) == 0.5
    with pytest.raises(MedialitError, match="different lengths"):
        ag.percent_agreement(["a"], ["a", "b"])


def test_mean_pair_agreement_equals_percent_agreement_for_two():
    a, b = cohen_textbook()
    assert ag.mean_pair_agreement([a, b]) == pytest.approx(0.70)
    # three annotators on one item: labels x, x, y -> 1 agreeing pair of 3
    assert ag.mean_pair_agreement([["x"], ["x"], ["y"]]) == pytest.approx(1 / 3)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (-0.1, "less agreement than chance"),
        (0.1, "slight agreement"),
        (0.3, "fair agreement"),
        (0.5, "moderate agreement"),
        (0.7, "substantial agreement"),
        (0.9, "almost perfect agreement"),
    ],
)
def test_interpret_uses_landis_and_koch_bands(value, words):
    assert ag.interpret(value) == words


def test_anchors_are_the_published_ones_with_citations():
    found = {a.value: a for a in ag.anchors()}
    assert "Al-Khatib" in found["0.56"].source
    assert "Habernal" in found["about 0.22"].source
    assert "0.17 to 0.29" in found
    assert list(ag.anchors_frame().columns) == ["measure", "value", "what", "source"]
    assert "0.56" in ag.anchor_sentence(0.4)


def test_devices_become_one_yes_no_decision_per_unit_and_label():
    tags = {"P1.S1": {"devices": ["hedge"]}, "P2.S1": {"role": ["claim"]}}
    got = ag.decisions(tags, "devices", ["P1.S1", "P2.S1"], ["hedge", "intensifier"])
    assert got == [True, False, False, False]
    # someone who tagged no device anywhere has not done the layer
    assert ag.decisions({"P1.S1": {"role": ["claim"]}}, "devices", ["P1.S1"], ["hedge"]) == [None]


def test_frame_none_counts_only_for_annotators_who_tagged_frames():
    done = {"P1.S1": {"frame": ["cause"]}}
    assert ag.decisions(done, "frame", ["P1.S1", "P2.S1"]) == ["cause", "none"]
    assert ag.decisions({}, "frame", ["P1.S1"]) == [None]


def test_compare_sheets_hand_computed():
    """Role: agree on 2 of 3 shared units; evidence: only units both tagged count."""
    a = AnswerSheet(exercise="ex", student="a")
    b = AnswerSheet(exercise="ex", student="b")
    for unit, x, y in [
        ("P1.S1", "evidence", "evidence"),
        ("P2.S1", "claim", "claim"),
        ("P3.S1", "claim", "evidence"),
        ("P4.S1", "thesis", None),
    ]:
        a.set_tags(unit, "role", x)
        if y:
            b.set_tags(unit, "role", y)
    a.set_tags("P1.S1", "evidence", "quote")
    b.set_tags("P1.S1", "evidence", "quote")
    b.set_tags("P3.S1", "evidence", "example")
    role = ag.compare_sheets(a, b, "role")
    assert role.decisions == 3
    assert role.percent == pytest.approx(2 / 3)
    # kappa by hand: a = (evidence, claim, claim), b = (evidence, claim, evidence)
    # po = 2/3; pe = P(evid)a*P(evid)b + P(claim)a*P(claim)b = 1/3*2/3 + 2/3*1/3 = 4/9
    assert role.kappa == pytest.approx((2 / 3 - 4 / 9) / (1 - 4 / 9))
    assert "2 of 3" in role.reading
    evidence = ag.compare_sheets(a, b, "evidence")
    assert evidence.decisions == 1
    assert "evidence" in evidence.method.lower()


@pytest.fixture(scope="module")
def toy_reference(tmp_path_factory):
    path = write_toy_reference(tmp_path_factory.mktemp("ref") / "reference.csv")
    return load_reference("seed", path)


def test_agreement_with_reference_counts_accepted_labels_and_reports_untagged(toy_reference):
    ref = toy_reference
    sheet = AnswerSheet(exercise="ex", student="s")
    entries = ref.entries("role")
    right_unit, wrong_unit = entries[0], entries[2]
    sheet.set_tags(right_unit.unit, "role", right_unit.accepted[-1])  # an accepted alternative
    wrong = next(x for x in ("context", "concession", "thesis") if x not in wrong_unit.accepted)
    sheet.set_tags(wrong_unit.unit, "role", wrong)
    result = ag.agreement_with_reference(sheet, ref, "role")
    assert (result.choices, result.right, result.untagged) == (2, 1, len(entries) - 2)
    assert result.share == 0.5
    assert result.mistakes == ((wrong_unit.unit, wrong),)
    assert "not counted" in result.reading


def test_agreement_with_reference_devices_counts_each_label_and_none(toy_reference):
    ref = toy_reference
    entries = ref.entries("devices")
    sheet = AnswerSheet(exercise="ex", student="s")
    first = entries[0]  # toy: loaded_language, anchor
    sheet.set_tags(first.unit, "devices", ["loaded_language", "hedge"])
    result = ag.agreement_with_reference(sheet, ref, "devices")
    # 2 labels on the first unit (1 right) + every other unit counts as "none"
    none_ok = sum(ag.NONE in e.accepted for e in entries[1:])
    assert result.choices == 2 + len(entries) - 1
    assert result.right == 1 + none_ok
    assert result.untagged == 0


def test_evidence_given_where_the_expert_sees_none_is_reported(toy_reference):
    ref = toy_reference
    not_applicable = next(e for e in ref.entries("evidence") if not e.applicable)
    sheet = AnswerSheet(exercise="ex", student="s")
    sheet.set_tags(not_applicable.unit, "evidence", "quote")
    result = ag.agreement_with_reference(sheet, ref, "evidence")
    assert result.extra == 1
    assert "sees no evidence" in result.reading
