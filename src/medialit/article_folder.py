"""The article folder: what ``medialit article new SOURCE --out DIR`` writes, and how to read it.

An instructor's own article lives in a folder of plain files that a person can open and that
other commands read by name:

``DIR/article.txt``
    The article as UTF-8 text with ``\n`` line ends: the headline on the first line, a blank
    line, then the body paragraphs separated by blank lines. From a web page, each paragraph
    is one line and the file ends with a newline; a text file is kept as it was given (so its
    offsets stay those of the original). ``medialit.article.load_article(DIR)`` reads it: its
    units (headline ``P0.S1``, body ``P<n>.S<m>``) and their character offsets index this file.
``DIR/article.json``
    Metadata, one JSON object. Each field is ``{"value": …, "from": …}`` at the top level::

        {"title":   {"value": "Keep the library open on Sundays", "from": "extracted"},
         "outlet":  {"value": "The Riverton Ledger", "from": "given"},
         "author":  {"value": null, "from": "not found"},
         "date":    {"value": "2024-06-14", "from": "extracted"},
         "url":     {"value": "https://…", "from": "extracted"},
         "section": {"value": "opinion", "from": "given"},
         "version": 1,
         "language": "en",
         "imported_from": {"file": "page.html", "kind": "html", "bytes": 9870, "sha256": "…"},
         "made_by": "medialit 0.1.0, trafilatura 2.3.1",
         "text_sha256": "…",
         "units": 17}

    ``from`` says where each value came from: ``given`` on the command line, ``extracted`` from
    the page (or, for plain text, the title from its first line), or ``not found`` (value null).
    ``title`` is the headline, unit ``P0.S1``. ``date`` is ISO (YYYY-MM-DD); ``section`` is
    lower case, as the page or the option names it (``opinion``, ``news``, ``columns``, …).
    ``kind`` is ``html`` or ``text``. ``text_sha256`` is the SHA-256 of ``article.txt``'s
    bytes, so a later step can tell the text was edited after the import (a reference made
    before would no longer fit).
``DIR/units.csv``
    The units exactly as ``medialit article --from DIR --format csv`` prints them: columns
    ``id,paragraph,sentence,start,end,text``, one row a unit, ``\\n`` line ends.

Other files in the folder (an instructor's ``reference.csv``) belong to other commands.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from medialit.article import FOLDER_TEXT, Article
from medialit.errors import ArticleError

TEXT_NAME = FOLDER_TEXT
META_NAME = "article.json"
UNITS_NAME = "units.csv"
#: The files an import writes, in the order it writes them.
FOLDER_FILES = (TEXT_NAME, META_NAME, UNITS_NAME)
FORMAT_VERSION = 1

#: The metadata fields, in the order they are shown.
FIELDS = ("title", "outlet", "author", "date", "url", "section")
GIVEN = "given"
EXTRACTED = "extracted"
NOT_FOUND = "not found"
ORIGINS = (GIVEN, EXTRACTED, NOT_FOUND)

UNIT_COLUMNS = ["id", "paragraph", "sentence", "start", "end", "text"]


def units_frame(article: Article) -> pd.DataFrame:
    """The units as the ``article`` command prints them: one row a unit, in reading order."""
    frame = pd.DataFrame([asdict(u) for u in article.units])
    return frame[UNIT_COLUMNS]


def units_csv(article: Article) -> str:
    """The text of ``units.csv``: byte for byte what ``medialit article --format csv`` prints."""
    return units_frame(article).to_csv(index=False, lineterminator="\n")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def field(value: str | None, origin: str) -> dict[str, str | None]:
    """One metadata field as stored: ``{"value": …, "from": …}``."""
    if origin not in ORIGINS:
        raise ValueError(f"unknown origin {origin!r}")
    return {"value": value if origin != NOT_FOUND else None, "from": origin}


def write_folder(folder: Path, text: str, article: Article, metadata: dict) -> None:
    """Write the three files into ``folder`` (which must exist). The caller makes it atomic."""
    data = text.encode("utf-8")
    (folder / TEXT_NAME).write_bytes(data)
    meta = {**metadata, "text_sha256": sha256(data), "units": len(article)}
    (folder / META_NAME).write_text(
        json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (folder / UNITS_NAME).write_bytes(units_csv(article).encode("utf-8"))


def is_article_folder(folder: Path) -> bool:
    return folder.is_dir() and (folder / TEXT_NAME).is_file()


def read_metadata(folder: str | Path) -> dict:
    """``DIR/article.json`` as a dict, checked: every field present with a known origin."""
    path = Path(folder) / META_NAME
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ArticleError(
            f"{path} is missing; make the folder with 'medialit article new SOURCE --out DIR'."
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ArticleError(
            f"{path} cannot be read as JSON ({exc}); import the article again with "
            "'medialit article new SOURCE --out DIR --force'."
        ) from None
    for name in FIELDS:
        entry = meta.get(name) if isinstance(meta, dict) else None
        if not isinstance(entry, dict) or entry.get("from") not in ORIGINS:
            raise ArticleError(
                f"{path} has no valid {name!r} field; each field needs a value and a 'from' "
                f"of {', '.join(ORIGINS)}."
            )
    return meta


def metadata_value(meta: dict, name: str) -> str | None:
    """A field's value, or None when it is missing or blank. Read leniently: a folder made by
    hand may give a bare value instead of ``{"value": ..., "from": ...}``, or no field."""
    entry = meta.get(name) if isinstance(meta, dict) else None
    value = entry.get("value") if isinstance(entry, dict) else entry
    return value if isinstance(value, str) and value.strip() else None


def where_it_appeared(meta: dict) -> str:
    """One plain sentence on where and when the piece appeared and who wrote it, saying
    "not known" for what the page did not show (what a reader sees before reading)."""

    outlet, section = metadata_value(meta, "outlet"), metadata_value(meta, "section")
    author, day = metadata_value(meta, "author"), metadata_value(meta, "date")
    place = f"It appeared in {outlet}" if outlet else "Where it appeared is not known"
    if section:
        place += f", in the {section} section"
    writer = f"by {author}" if author else "writer not known"
    day = f"on {day}" if day else "date not known"
    return f"{place} ({writer}; {day})."


def text_changed(folder: str | Path) -> bool:
    """True when ``article.txt`` is no longer the text the import wrote (someone edited it)."""
    folder = Path(folder)
    meta = read_metadata(folder)
    return meta.get("text_sha256") != sha256((folder / TEXT_NAME).read_bytes())
