"""``medialit article``: print an article's units (the seed, the practice piece, a text file or
an article folder); ``medialit article new SOURCE --out DIR``: bring in an article of your own
from a saved web page or a text file (see ``medialit.article_import``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from medialit.cli import FORMATS, emit
from medialit.errors import MedialitError

SECTIONS_HELP = "the page's section, e.g. opinion, news, analysis, editorial, letters"


def cmd_article(args: argparse.Namespace) -> int:
    from medialit import article_folder
    from medialit.article import load_article

    source = args.source
    if args.from_dir is not None:
        folder = Path(args.from_dir)
        if not article_folder.is_article_folder(folder):
            raise MedialitError(
                f"{folder} is not an article folder (it has no {article_folder.TEXT_NAME}); "
                "make one with 'medialit article new SOURCE --out DIR'."
            )
        source = folder
    article = load_article(source)
    if args.from_dir is not None:
        _warn_if_stale(Path(args.from_dir), article)
    emit(article_folder.units_frame(article), args.format)
    return 0


def _warn_if_stale(folder: Path, article) -> None:
    from medialit import article_folder

    units = folder / article_folder.UNITS_NAME
    if units.is_file() and units.read_text(encoding="utf-8") != article_folder.units_csv(article):
        print(
            f"medialit: note: {units} no longer matches {article_folder.TEXT_NAME} (was the text "
            "edited?); the units below are cut from the text as it is now.",
            file=sys.stderr,
        )


def cmd_new(args: argparse.Namespace) -> int:
    from medialit.article_folder import FIELDS
    from medialit.article_import import import_article

    given = {name: getattr(args, name) for name in FIELDS}
    made = import_article(args.new_source, args.out, given=given, force=args.force)
    article = made.article
    print(
        f"Imported {len(article)} units ({article.paragraph_count} paragraphs) into {made.folder}"
    )
    width = max(len(name) for name in FIELDS)
    for name in FIELDS:
        entry = made.metadata[name]
        value = entry["value"] if entry["value"] is not None else "-"
        print(f"  {name:<{width}}  {value}  ({entry['from']})")
    if made.kept:
        print(
            f"Kept the other files in {made.folder}: {', '.join(made.kept)}. The text may have "
            "changed: check a reference with 'medialit reference check "
            f"{made.folder}'.",
            file=sys.stderr,
        )
    missing = [n for n in FIELDS if made.metadata[n]["from"] == "not found"]
    if missing:
        options = " ".join(f"--{n} ..." for n in missing)
        print(f"Not found: {', '.join(missing)}. Add them with {options} and --force.")
    print(f"See the units with: medialit article --from {made.folder}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``article`` subcommand and its ``new`` subcommand."""
    p = subparsers.add_parser(
        "article",
        help="print an article's units, or bring in your own article ('article new')",
        usage="medialit article [--format {table,csv,json}] [--source SOURCE | --from DIR]\n"
        "       medialit article new SOURCE --out DIR [--title ...] [--outlet ...] "
        "[--author ...] [--date ...] [--url ...] [--section ...] [--force]",
        description="Print an article's units: id, paragraph, sentence, start, end, text "
        "(offsets index the article's text). 'medialit article new SOURCE --out DIR' brings in "
        "an article of your own from a saved web page or a text file.",
    )
    p.add_argument("--format", choices=FORMATS, default="table", help="output format")
    which = p.add_mutually_exclusive_group()
    which.add_argument(
        "--source",
        default=None,
        help="'seed' (default), 'practice', or the path of an article text file",
    )
    which.add_argument(
        "--from",
        dest="from_dir",
        default=None,
        metavar="DIR",
        help="an article folder made by 'medialit article new'",
    )
    p.set_defaults(func=cmd_article)

    sub = p.add_subparsers(dest="article_command", title="commands", metavar="new", required=False)
    n = sub.add_parser(
        "new",
        help="bring in an article from a saved web page or a text file",
        description="Bring in an article of your own. SOURCE is a saved web page (.html, as "
        "'Save page as' writes it) or a UTF-8 text file (headline on the first line, a blank "
        "line between paragraphs). DIR gets article.txt (the text), article.json (title, "
        "outlet, author, date, url and section, each marked given, extracted or not found) and "
        "units.csv (the units). Options you give win over what the page says.",
    )
    n.add_argument("new_source", metavar="SOURCE", help="a saved .html page or a .txt file")
    n.add_argument("--out", required=True, metavar="DIR", help="the article folder to make")
    n.add_argument("--title", help="the headline (replaces the page's or the first line)")
    n.add_argument("--outlet", help="the newspaper or site, e.g. 'The Riverton Ledger'")
    n.add_argument("--author", help="the writer's name")
    n.add_argument("--date", help="the publication date, YYYY-MM-DD")
    n.add_argument("--url", help="the article's web address")
    n.add_argument("--section", help=SECTIONS_HELP)
    n.add_argument(
        "--force",
        action="store_true",
        help="replace the article in a DIR that already holds files (other files are kept)",
    )
    n.set_defaults(func=cmd_new)
