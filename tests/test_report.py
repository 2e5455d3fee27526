"""The class report: its figures equal a hand computation from the raw JSON files."""

from __future__ import annotations

import csv
import json
import math
from collections import Counter
from itertools import permutations
from pathlib import Path

import pandas as pd
import pytest

from medialit.cli import main
from medialit.synthetic import make_class, write_toy_reference

N, ERROR = 30, 0.2
LAYERS = ("role", "statement", "evidence", "devices", "frame")


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    base = tmp_path_factory.mktemp("report")
    ref = write_toy_reference(base / "reference.csv")
    from medialit.reference import load_reference

    cls = make_class(
        base / "class", N, ERROR, seed=11, corrupt=2, reference=load_reference("seed", ref)
    )
    return base, ref, cls


@pytest.fixture(scope="module")
def md_report(made):
    base, ref, cls = made
    out = base / "out-md"
    code = main(
        [
            "class-report",
            str(cls.folder),
            "--out",
            str(out),
            "--reference",
            str(ref),
            "--format",
            "md",
            "--no-charts",
        ]
    )
    assert code == 0
    return out


def raw_reference(path: Path) -> dict[tuple[str, str], set[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {
            (r["id"], r["layer"]): {x for x in r["accepted"].split(";") if x}
            for r in csv.DictReader(fh)
        }


def raw_files(folder: Path) -> list[dict]:
    out = []
    for path in sorted(folder.rglob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            continue
        if data.get("format") == "medialit-answers" and data.get("version") == 2:
            out.append(data["tags"])
    return out


def hand_reference_counts(tags_list, accepted, layer) -> tuple[int, int, int]:
    """right, choices, untagged — following the rules the report states in words."""
    right = choices = untagged = 0
    for tags in tags_list:
        done = any(by.get(layer) for by in tags.values())
        for (unit, lay), ok in accepted.items():
            if lay != layer or not ok:  # an empty accepted set: the layer does not apply
                continue
            chosen = tags.get(unit, {}).get(layer, [])
            if not chosen:
                if layer in ("devices", "frame") and done:
                    chosen = ["none"]
                else:
                    untagged += 1
                    continue
            choices += len(chosen)
            right += sum(label in ok for label in chosen)
    return right, choices, untagged


def hand_alpha_and_pairs(tags_list, layer: str) -> tuple[float, float]:
    """Nominal Krippendorff's α from the coincidence matrix, and mean pair agreement."""
    units = sorted({u for tags in tags_list for u in tags})
    coincidence: Counter = Counter()
    pair_shares = []
    for unit in units:
        values = [tags[unit][layer][0] for tags in tags_list if tags.get(unit, {}).get(layer)]
        m = len(values)
        if m < 2:
            continue
        for a, b in permutations(range(m), 2):
            coincidence[(values[a], values[b])] += 1 / (m - 1)
        counts = Counter(values)
        pair_shares.append(sum(c * (c - 1) for c in counts.values()) / (m * (m - 1)))
    n_c: Counter = Counter()
    for (c, _), value in coincidence.items():
        n_c[c] += value
    n = sum(n_c.values())
    observed = sum(v for (c, k), v in coincidence.items() if c != k)
    expected = sum(n_c[c] * n_c[k] for c in n_c for k in n_c if c != k)
    alpha = 1 - (n - 1) * observed / expected
    return alpha, sum(pair_shares) / len(pair_shares)


@pytest.mark.parametrize("layer", LAYERS)
def test_reference_figures_equal_a_hand_computation(made, md_report, layer):
    _, ref, cls = made
    summary = pd.read_csv(md_report / "summary.csv").set_index("layer")
    right, choices, untagged = hand_reference_counts(
        raw_files(cls.folder), raw_reference(ref), layer
    )
    row = summary.loc[layer]
    assert (row["ref_right"], row["ref_choices"], row["ref_untagged"]) == (right, choices, untagged)
    text = (md_report / "report.md").read_text(encoding="utf-8")
    assert f"{right} of {choices} ({right / choices * 100:.1f}%)" in text


@pytest.mark.parametrize("layer", ["role", "statement"])
def test_alpha_and_pair_agreement_equal_a_hand_computation(made, md_report, layer):
    _, _, cls = made
    alpha, pairs = hand_alpha_and_pairs(raw_files(cls.folder), layer)
    row = pd.read_csv(md_report / "summary.csv").set_index("layer").loc[layer]
    assert row["alpha"] == pytest.approx(alpha, abs=1e-9)
    assert row["percent"] == pytest.approx(pairs, abs=1e-9)
    text = (md_report / "report.md").read_text(encoding="utf-8")
    assert f"| {pairs * 100:.1f}% | {alpha:.3f} |" in text


def test_agreement_with_reference_is_in_the_expected_range(md_report):
    """Every toy role choice has a wrong alternative: wrong ~ Binomial(600, 0.2)."""
    row = pd.read_csv(md_report / "summary.csv").set_index("layer").loc["role"]
    assert row["ref_choices"] == N * 20
    sd = math.sqrt(ERROR * (1 - ERROR) / row["ref_choices"])
    assert abs(row["ref_share"] - (1 - ERROR)) <= 4 * sd


def test_report_lists_unreadable_files_and_states_its_methods(made, md_report):
    _, _, cls = made
    text = (md_report / "report.md").read_text(encoding="utf-8")
    for path in cls.corrupt:
        assert str(path) in text
    assert "not valid JSON" in text
    assert "Landis & Koch" in text and "Al-Khatib" in text
    assert "one yes/no decision" in text  # the devices method is stated
    assert "Charts were not drawn" in text
    students = pd.read_csv(md_report / "students.csv")
    assert students["file"].nunique() == N


@pytest.mark.slow
def test_html_report_with_charts_and_cli_messages(made, tmp_path, capsys):
    """The full report: charts as PNG and SVG beside an HTML page with alt text."""
    _, ref, cls = made
    out = tmp_path / "html"
    assert (
        main(
            [
                "class-report",
                str(cls.folder),
                "--out",
                str(out),
                "--reference",
                str(ref),
                "--top",
                "3",
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert f"Wrote the class report to {out / 'index.html'}" in printed
    assert "skipped" in printed
    page = (out / "index.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    for stem in ("label-counts", "disputed-role", "disputed-statement", "rhetoric-map"):
        assert (out / f"{stem}.png").read_bytes().startswith(b"\x89PNG")
        assert (out / f"{stem}.svg").is_file()
        assert f'<img src="{stem}.png" alt="' in page
    assert '<img src="rhetoric-map.png" alt="A grid of the article' in page


def test_bad_input_gets_one_line_errors(tmp_path, capsys):
    assert main(["class-report", str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("medialit: error: The class folder") and err.count("\n") == 1
    with pytest.raises(SystemExit) as exc:
        main(["synth-class", str(tmp_path / "x"), "--error-rate", "2"])
    assert exc.value.code == 2
    assert "between 0 and 1" in capsys.readouterr().err


def test_synth_class_and_agreement_commands(tmp_path, capsys):
    ref = write_toy_reference(tmp_path / "reference.csv")
    folder = tmp_path / "demo"
    assert (
        main(
            [
                "synth-class",
                str(folder),
                "--students",
                "3",
                "--error-rate",
                "0.1",
                "--seed",
                "4",
                "--reference",
                str(ref),
                "--corrupt",
                "1",
            ]
        )
        == 0
    )
    assert "Wrote 3 made-up students' answers" in capsys.readouterr().out
    files = sorted(folder.glob("student-*/tags.json"))
    assert len(files) == 3
    assert (
        main(["agreement", str(files[0]), str(files[1]), "--format", "json", "--layer", "role"])
        == 0
    )
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["layer"] == "role" and rows[0]["decisions"] == 20
    a, b = (json.loads(p.read_text())["tags"] for p in files[:2])
    same = sum(a[u]["role"] == b[u]["role"] for u in a)
    assert rows[0]["percent"] == round(same / 20, 3)
