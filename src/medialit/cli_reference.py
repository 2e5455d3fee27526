"""``medialit reference``: print the expert reference annotation, one row per unit and layer;
``medialit reference check``: list every problem of a reference (an instructor's own)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from medialit.cli import FORMATS, emit
from medialit.reference import REFERENCE_FILES, load_reference


def cmd_reference(args: argparse.Namespace) -> int:
    reference = load_reference(args.article, Path(args.file) if args.file else None)
    if args.layer:
        reference.entries(args.layer)  # a clear error for an unknown layer
    frame = reference.to_frame()
    if args.layer:
        frame = frame[frame["layer"] == args.layer]
    frame = frame.assign(anchor=frame["anchor"].map({True: "yes", False: "no"}))
    emit(frame.reset_index(drop=True), args.format)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Print every problem (exit 2), or a one-line summary of a valid reference (exit 0)."""
    from medialit.reference_check import check_reference

    result = check_reference(args.target, args.check_article)
    if result.ok:
        print(result.summary())
        return 0
    for line in result.lines():
        print(line)
    print(f"medialit: error: {result.summary()}", file=sys.stderr)
    return 2


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``reference`` subcommand."""
    p = subparsers.add_parser(
        "reference",
        help="print the expert reference annotation",
        description="Print the expert reference annotation of an article: one row per unit "
        "and layer with the expert's label, every accepted label, the cue words, whether "
        "it is an anchor (graded strictly) and the rationale.",
    )
    p.add_argument("--format", choices=FORMATS, default="table", help="output format")
    p.add_argument(
        "--article",
        default="seed",
        help=f"which article: {', '.join(REFERENCE_FILES)} or an article folder (default: seed)",
    )
    p.add_argument("--layer", default=None, help="show one layer only (e.g. role)")
    p.add_argument("--file", default=None, help="check and print this reference CSV instead")
    p.set_defaults(func=cmd_reference)
    actions = p.add_subparsers(dest="reference_action", metavar="{check}")
    c = actions.add_parser(
        "check",
        help="list every problem of a reference",
        description="Check a reference annotation and list every problem, each with its file, "
        "row and what to fix, then what is still not annotated, layer by layer. Exit 0 with a "
        "one-line summary when it is valid, 2 when it is not.",
    )
    c.add_argument(
        "target",
        help="an article folder (its reference.csv), a reference CSV, or "
        f"{' or '.join(REFERENCE_FILES)}",
    )
    c.add_argument(
        "--article",
        dest="check_article",
        metavar="ARTICLE",
        default=None,
        help="the article a CSV annotates: its folder, or "
        f"{' or '.join(REFERENCE_FILES)} (not needed for a CSV in an article folder)",
    )
    c.set_defaults(func=cmd_check)
