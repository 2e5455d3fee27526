"""``medialit reference``: print the expert reference annotation, one row per unit and layer."""

from __future__ import annotations

import argparse
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
        help=f"which article: {' or '.join(REFERENCE_FILES)} (default: seed)",
    )
    p.add_argument("--layer", default=None, help="show one layer only (e.g. role)")
    p.add_argument("--file", default=None, help="check and print this reference CSV instead")
    p.set_defaults(func=cmd_reference)
