"""Analysis commands: ``class-report``, ``synth-class`` and ``agreement``."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from medialit.errors import MedialitError


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number; use e.g. 0.2") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 1; use e.g. 0.2")
    return value


def _reference(args: argparse.Namespace, article: str = "seed"):
    if not getattr(args, "reference", None):
        return None
    from medialit.agreement import get_reference

    return get_reference(None, article, Path(args.reference))


def cmd_class_report(args: argparse.Namespace) -> int:
    from medialit.report import class_report

    report = class_report(
        args.folder,
        args.out,
        exercise=args.exercise,
        fmt=args.format,
        reference_path=args.reference,
        top=args.top,
        draw_charts=not args.no_charts,
    )
    answers = report.answers
    print(f"Wrote the class report to {report.path}")
    print(f"  {answers.reading}")
    for path, reason in answers.skipped:
        print(f"  skipped {path}: {reason}")
    for note in report.notes:
        print(f"  {note}")
    return 0


def cmd_synth_class(args: argparse.Namespace) -> int:
    from medialit.synthetic import make_class

    made = make_class(
        args.folder,
        args.students,
        args.error_rate,
        args.seed,
        exercise=args.exercise,
        untagged_rate=args.untagged_rate,
        corrupt=args.corrupt,
        reference=_reference(args),
    )
    print(
        f"Wrote {len(made.files)} made-up students' answers to {made.folder} "
        f"(error rate {made.error_rate}, seed {made.seed})"
        + (f" and {len(made.corrupt)} deliberately broken file(s)." if made.corrupt else ".")
    )
    print(f"Make a report with: medialit class-report {made.folder}")
    return 0


def cmd_agreement(args: argparse.Namespace) -> int:
    from medialit.agreement import compare_sheets
    from medialit.answers import read_answers
    from medialit.cli import emit

    a, b = read_answers(args.first), read_answers(args.second)
    if a.article != b.article:
        raise MedialitError(
            f"{args.first} tags the article {a.article!r} and {args.second} tags "
            f"{b.article!r}; compare answers about the same article."
        )
    layers = [args.layer] if args.layer else None
    from medialit.scheme import default_scheme

    rows = []
    for layer in layers or default_scheme().layer_names:
        result = compare_sheets(a, b, layer)
        rows.append(
            {
                "layer": layer,
                "decisions": result.decisions,
                "percent": round(result.percent, 3) if result.decisions else None,
                "kappa": None if result.kappa != result.kappa else round(result.kappa, 3),
                "reading": result.reading,
            }
        )
    emit(pd.DataFrame(rows), args.format)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the analysis subcommands to the ``medialit`` command."""
    p = subparsers.add_parser(
        "class-report",
        help="write a report of a class's agreement, with charts",
        description="Read every answers file (*.json) under FOLDER, skip and list unreadable "
        "ones, and write a report (agreement per layer, the most disputed sentences, "
        "charts as PNG and SVG, summary.csv) into --out.",
    )
    p.add_argument("folder", help="the folder holding the students' answers files")
    p.add_argument("--out", default="class-report", help="where to write (default: class-report)")
    p.add_argument("--exercise", help="only answers for this exercise")
    p.add_argument("--format", choices=("html", "md"), default="html", help="report format")
    p.add_argument("--reference", help="a reference CSV to compare with instead of the kit's")
    p.add_argument("--top", type=int, default=5, help="how many disputed sentences to list")
    p.add_argument("--no-charts", action="store_true", help="write the figures only, no charts")
    p.set_defaults(func=cmd_class_report)

    p = subparsers.add_parser(
        "synth-class",
        help="write a made-up class's answers, for demos and tests",
        description="Write N made-up students' answers files whose labels fall outside the "
        "expert's accepted set at the given error rate (reproducible with --seed).",
    )
    p.add_argument("folder", help="a new or empty folder")
    p.add_argument("--students", type=int, default=30, help="how many students (default 30)")
    p.add_argument("--error-rate", type=_rate, default=0.2, help="between 0 and 1 (default 0.2)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--exercise", default="tags", help="exercise name (default: tags)")
    p.add_argument(
        "--untagged-rate", type=_rate, default=0.0, help="share of sentences left untagged"
    )
    p.add_argument("--corrupt", type=int, default=0, help="also write this many broken files")
    p.add_argument("--reference", help="a reference CSV to use instead of the kit's")
    p.set_defaults(func=cmd_synth_class)

    p = subparsers.add_parser(
        "agreement",
        help="percent agreement and Cohen's kappa between two answers files",
        description="Compare two students' answers files layer by layer.",
    )
    p.add_argument("first", help="an answers file")
    p.add_argument("second", help="another answers file")
    p.add_argument("--layer", help="only this layer")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.set_defaults(func=cmd_agreement)
