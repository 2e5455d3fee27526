"""How fast is a class summary? Run: ``python benchmarks/bench_class.py [--students N]``.

Writes a synthetic class (default 1,000 students, error rate 0.2, seed 0) to a temporary
folder once, then prints medians over ``--repeat`` runs of

- baseline: reading the same JSON files with the standard library alone (``json.load`` and
  counting the labels per layer in a dict) — the least any loader has to do;
- load: ``load_class`` (every file read and validated through ``medialit.answers``, one
  long DataFrame);
- summarise: ``summary`` (percent agreement, Krippendorff's α and agreement with the
  reference for all five layers) plus the most disputed units in two layers;
- charts: drawing the class charts (label counts, disputed units for role) to PNG in memory;

and the ratio of load + summarise, and of everything, to the baseline.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from medialit import charts
from medialit.agreement import get_reference
from medialit.classroom import load_class
from medialit.errors import MedialitError
from medialit.synthetic import make_class, write_toy_reference


def median_ms(action: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def baseline(folder: Path) -> Counter:
    """Standard library only: parse every file and count labels per (layer, label)."""
    counts: Counter = Counter()
    for path in sorted(folder.rglob("*.json")):
        try:
            with path.open(encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, ValueError):
            continue
        for by_layer in data.get("tags", {}).values():
            for layer, labels in by_layer.items():
                for label in labels:
                    counts[(layer, label)] += 1
    return counts


def draw(answers, reference) -> int:
    size = 0
    for fig in (
        charts.label_counts(answers),
        charts.disputed_units(answers, "role", reference=reference),
    ):
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=100)
        size += len(buffer.getvalue())
    return size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--error-rate", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-class-") as tmp:
        tmp_path = Path(tmp)
        try:
            reference = get_reference()
            which = "the kit's reference"
        except MedialitError:
            from medialit.reference import load_reference

            reference = load_reference("seed", write_toy_reference(tmp_path / "ref.csv"))
            which = "a toy reference (data/reference.csv is missing)"
        start = time.perf_counter()
        made = make_class(
            tmp_path / "class", args.students, args.error_rate, args.seed, reference=reference
        )
        setup = time.perf_counter() - start
        folder = made.folder
        print(
            f"{args.students} synthetic students against {which}, written in {setup:.1f} s; "
            f"medians of {args.repeat} runs:"
        )

        base_ms, counts = median_ms(lambda: baseline(folder), args.repeat)
        load_ms, answers = median_ms(lambda: load_class(folder), args.repeat)
        if sum(counts.values()) != len(answers.frame) or len(answers) != args.students:
            sys.exit("bench: load_class and the baseline disagree on what the files hold.")

        def summarise():
            summary = answers.summary(reference)
            answers.disputed("role", reference=reference)
            answers.disputed("statement", reference=reference)
            return summary

        summary_ms, summary = median_ms(summarise, args.repeat)
        chart_ms, _ = median_ms(lambda: draw(answers, reference), args.repeat)

    rows = [
        ("baseline: json + dict counting (stdlib)", base_ms),
        ("load_class", load_ms),
        ("summary: agreement, 5 layers + disputed", summary_ms),
        ("charts: label counts + disputed (PNG)", chart_ms),
    ]
    for name, ms in rows:
        print(f"  {name:<44} {ms:9.1f} ms")
    print(f"  ratio load + summary / baseline: {(load_ms + summary_ms) / base_ms:6.1f} x")
    print(
        f"  ratio everything / baseline:     {(load_ms + summary_ms + chart_ms) / base_ms:6.1f} x"
    )
    role = summary.set_index("layer").loc["role"]
    print(
        f"  (role: alpha {role['alpha']:.3f}, share accepted {role['ref_share']:.3f} "
        f"at error rate {args.error_rate})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
