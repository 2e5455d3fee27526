"""Is the tag scheme complete, and are broken scheme files reported by file, row and problem?"""

from __future__ import annotations

import shutil

import pytest

from medialit import paths
from medialit.errors import SchemeError, UnknownLabelError
from medialit.scheme import load_scheme

TAXONOMY = {
    "role": ["thesis", "claim", "evidence", "concession", "context"],
    "statement": ["fact", "value", "policy", "prediction"],
    "evidence": ["example", "quote", "authority", "statistic", "common_ground"],
    "devices": ["loaded_language", "figurative", "hedge", "intensifier", "vague_source"],
    "frame": ["problem", "cause", "judgment", "remedy"],
}


def test_scheme_has_the_five_layers_and_every_label_of_taxonomy_md():
    scheme = load_scheme()
    assert scheme.layer_names == list(TAXONOMY)
    for layer, labels in TAXONOMY.items():
        assert scheme.layer(layer).label_names == labels


def test_layer_rules_match_taxonomy_md():
    scheme = load_scheme()
    assert scheme.layer("role").choice == "one"
    assert scheme.layer("statement").choice == "one"
    assert scheme.layer("devices").multiple
    assert scheme.layer("frame").choice == "optional"
    evidence = scheme.layer("evidence")
    assert evidence.applies_when == ("role", "evidence")
    assert evidence.applies({"role": ["evidence"]})
    assert not evidence.applies({"role": ["claim"]})


def test_every_label_has_a_definition_grounding_and_cues():
    for _, row in load_scheme().to_frame().iterrows():
        assert row["definition"] and row["grounded_in"] and row["cues"], row["label"]


def test_unknown_label_lists_the_valid_ones():
    with pytest.raises(UnknownLabelError, match="Valid labels: thesis, claim, evidence"):
        load_scheme().check_labels("role", ["argument"])


@pytest.fixture
def scheme_copy(tmp_path):
    for name in ("scheme.csv", "layers.csv"):
        shutil.copy(paths.data_file(name), tmp_path / name)
    return tmp_path


def _rewrite(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_missing_column_names_the_file_and_the_column(scheme_copy):
    _rewrite(
        scheme_copy / "scheme.csv",
        "layer,label,definition,grounded_in,cues",
        "layer,label,definition,cues",
    )
    with pytest.raises(SchemeError, match=r"scheme\.csv, row 1 .*missing column\(s\) grounded_in"):
        load_scheme(scheme_copy / "scheme.csv")


def test_label_in_an_unknown_layer_names_the_row(scheme_copy):
    _rewrite(scheme_copy / "scheme.csv", "frame,remedy,", "framing,remedy,")
    with pytest.raises(SchemeError, match=r"scheme\.csv, row 24: layer 'framing' is not in"):
        load_scheme(scheme_copy / "scheme.csv")


def test_duplicate_label_is_reported(scheme_copy):
    _rewrite(scheme_copy / "scheme.csv", "role,claim,", "role,thesis,")
    with pytest.raises(SchemeError, match=r"row 3: label 'thesis' appears twice"):
        load_scheme(scheme_copy / "scheme.csv")


def test_empty_definition_is_reported(scheme_copy):
    path = scheme_copy / "scheme.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[4] = 'role,concession,,"Rebuttal",although'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SchemeError, match=r"row 5: label 'concession' has no definition"):
        load_scheme(path)


def test_bad_layer_choice_and_condition_are_reported(scheme_copy):
    _rewrite(scheme_copy / "layers.csv", ",any,", ",many,")
    with pytest.raises(SchemeError, match=r"layers\.csv, row 5: choice 'many'"):
        load_scheme(scheme_copy / "scheme.csv")


def test_condition_must_name_a_real_label(scheme_copy):
    _rewrite(scheme_copy / "layers.csv", "role=evidence", "role=proof")
    with pytest.raises(SchemeError, match=r"layers\.csv, row 4: applies_when 'role=proof'"):
        load_scheme(scheme_copy / "scheme.csv")


def test_unquoted_comma_is_reported(scheme_copy):
    path = scheme_copy / "scheme.csv"
    with path.open("a", encoding="utf-8") as fh:
        fh.write("frame,extra,one,two,three,four\n")
    with pytest.raises(SchemeError, match=r"row 25: more values than columns"):
        load_scheme(path)


def test_missing_scheme_file(tmp_path):
    with pytest.raises(SchemeError, match="file not found"):
        load_scheme(tmp_path / "scheme.csv")
