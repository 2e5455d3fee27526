"""Bring an instructor's own article into the kit: ``medialit article new SOURCE --out DIR``.

SOURCE is a saved web page (``.html``/``.htm``, as a browser's "Save page as" writes it) or a
UTF-8 text file in the kit's own format (headline on the first line, a blank line between
paragraphs, like ``data/practice_oped.txt``). A page goes through ``article_extract`` (which
uses trafilatura); a text file is kept as it is, so its units and offsets are exactly those
``load_article`` gives for the file itself. Either way the units come from
``medialit.article.segment``, the same code that cuts the seed.

Every check runs before anything is written: a file that cannot be read, is too big, is binary,
compressed (a ``.html.gz``) or empty, a page with no article, an article that is not in
English (the scheme, the lessons and the cue words are English; language identification is
py3langid's, whose model ships in the package), a given date or address that is not one, or
a DIR that already holds files (unless ``force``). Then the folder is written in a temporary
folder beside DIR and renamed into place, so a failure leaves nothing half-written. The
folder's format is described in ``medialit.article_folder``.
"""

from __future__ import annotations

import codecs
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import metadata as package_metadata
from pathlib import Path
from urllib.parse import urlparse

from medialit import article_folder as folder_format
from medialit.article import Article, _paragraph_spans, load_article, segment
from medialit.article_folder import EXTRACTED, FIELDS, GIVEN, NOT_FOUND
from medialit.errors import ArticleError, MedialitError

#: The largest SOURCE read. A saved article page is well under this; a bigger file is a page
#: saved with its pictures inlined, an archive, or not an article.
MAX_BYTES = 5 * 1024 * 1024
_MB = MAX_BYTES // 1024 // 1024
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
ARCHIVE_SUFFIXES = (".mhtml", ".mht", ".webarchive", ".maff")
#: The scheme's language; an article in another one is refused.
LANGUAGE = "en"
#: A page whose body has fewer words than this has no article, only page furniture.
MIN_PAGE_WORDS = 40
_HTML_START = re.compile(
    r"^\ufeff?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    re.I | re.S,
)
#: How compressed files and archives begin, and what to call them.
_PACKED = {b"\x1f\x8b": "gzip", b"PK\x03\x04": "ZIP", b"BZh": "bzip2", b"\xfd7zXZ\x00": "xz",
           b"7z\xbc\xaf\x27\x1c": "7-Zip", b"(\xb5/\xfd": "zstd"}  # fmt: skip

_TEXT_FORMAT = (
    "a UTF-8 text file with the headline on the first line and a blank line between paragraphs"
)


@dataclass
class Imported:
    """What an import made: the folder, its article, metadata and any files kept beside it."""

    folder: Path
    article: Article
    metadata: dict
    kept: list[str] = field(default_factory=list)


def import_article(
    source: str | Path,
    out: str | Path,
    given: dict[str, str | None] | None = None,
    force: bool = False,
) -> Imported:
    """Import SOURCE into the article folder OUT; see the module docstring."""
    source, out = Path(source), Path(out)
    given = _check_given(given or {})
    _check_out(out, force)
    data = _read_source(source)
    kind = _kind(source, data)
    if kind == "html":
        text, found = _from_page(source, data, given.get("title"))
    else:
        text, found = _from_text(source, data, given.get("title"))
    article = _segment(source, text)
    language = _check_language(source, article)
    fields = {}
    for name in FIELDS:
        if given.get(name):
            fields[name] = folder_format.field(given[name], GIVEN)
        elif found.get(name):
            fields[name] = folder_format.field(found[name], EXTRACTED)
        else:
            fields[name] = folder_format.field(None, NOT_FOUND)
    metadata = {
        **fields,
        "version": folder_format.FORMAT_VERSION,
        "language": language,
        "imported_from": {
            "file": source.name,
            "kind": kind,
            "bytes": len(data),
            "sha256": folder_format.sha256(data),
        },
        "made_by": _made_by(kind),
    }
    kept = _write(out, text, article, metadata, force)
    return Imported(out, load_article(out), metadata, kept)


# ----------------------------------------------------------------------------- the options


def _check_given(given: dict[str, str | None]) -> dict[str, str]:
    """The fields given on the command line, cleaned; a clear error for a bad date or URL."""
    out: dict[str, str] = {}
    for name, value in given.items():
        if value is None:
            continue
        if name not in FIELDS:
            raise MedialitError(f"Unknown field {name!r}; the fields are {', '.join(FIELDS)}.")
        value = " ".join(str(value).split())
        if not value:
            raise MedialitError(f"--{name} is empty; give a value or leave the option out.")
        if name == "date":
            try:
                value = date.fromisoformat(value).isoformat()
            except ValueError:
                raise MedialitError(
                    f"--date {value!r} is not a date; write it as YYYY-MM-DD, e.g. 2024-06-14."
                ) from None
        elif name == "url":
            parts = urlparse(value)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise MedialitError(
                    f"--url {value!r} is not a web address; give it in full, starting with "
                    "https://."
                )
        elif name == "section":
            value = value.lower()
        out[name] = value
    return out


def _check_out(out: Path, force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise MedialitError(f"{out} is a file, not a folder; give --out a new folder name.")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise MedialitError(
            f"The folder {out} already holds files; choose a new folder, or add --force to "
            "replace its article (other files in it are kept)."
        )


# ----------------------------------------------------------------------------- the source


def _read_source(source: Path) -> bytes:
    if not source.exists():
        raise MedialitError(
            f"{source} does not exist; give the path of a saved page or a text file."
        )
    if source.is_dir():
        raise MedialitError(
            f"{source} is a folder; give the page's .html file (not its _files folder) or a "
            "text file."
        )
    try:
        size = source.stat().st_size
        if size > MAX_BYTES:
            raise MedialitError(
                f"{source} is {size / 1024 / 1024:.1f} MB, more than the {_MB} MB an article "
                "page needs; save the page as 'Web page, HTML only', or copy the article's text "
                "into a .txt file."
            )
        with source.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except PermissionError:
        raise MedialitError(
            f"{source} cannot be read (permission denied); copy it somewhere you can read, or "
            "change its permissions."
        ) from None
    except OSError as exc:
        raise MedialitError(f"{source} cannot be read ({exc.strerror or exc}).") from None
    if len(data) > MAX_BYTES:
        raise MedialitError(f"{source} is larger than {_MB} MB; it is not an article page.")
    return data


def _kind(source: Path, data: bytes) -> str:
    """'html' or 'text'; a clear error for an empty, binary or archived file."""
    suffix = source.suffix.lower()
    if not data.strip():
        raise MedialitError(f"{source} is empty; give a saved page or {_TEXT_FORMAT}.")
    head = data[:2048].lower()
    if suffix in ARCHIVE_SUFFIXES or (b"mime-version:" in head and b"multipart/related" in head):
        raise MedialitError(
            f"{source} is a web archive, not a web page; save the article again with 'Save page "
            "as' and 'Web page, HTML only' or 'Web page, complete'."
        )
    for magic, name in _PACKED.items():
        if data.startswith(magic):
            raise MedialitError(
                f"{source} is a compressed {name} file, not a web page; unpack it first and "
                "give the .html file inside."
            )
    if data.startswith(b"%PDF-"):
        raise MedialitError(
            f"{source} is a PDF; copy the article's text into a .txt file ({_TEXT_FORMAT})."
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # a page saved as UTF-16 (it says so with its byte-order mark): judge its text
        head = data[:8192].decode("utf-16", errors="replace")
        if suffix in HTML_SUFFIXES or _HTML_START.match(head):
            return "html"
        raise MedialitError(f"{source} is UTF-16 text; save it again as UTF-8.")
    if b"\x00" in data[:65536] or not _looks_textual(data):
        raise MedialitError(
            f"{source} is a binary file, not a web page or text; give a saved .html page or "
            f"{_TEXT_FORMAT}."
        )
    if suffix in HTML_SUFFIXES or _HTML_START.match(data[:4096].decode("utf-8", "replace")):
        return "html"
    return "text"


def _looks_textual(data: bytes) -> bool:
    """False when control characters (other than tab, newlines, form feed) are common."""
    sample = data[:65536]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls <= len(sample) // 100


def _decode_text(source: Path, data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MedialitError(
            f"{source} is not UTF-8 text; save it again as UTF-8 (most editors offer this under "
            "'Save as' or 'Encoding')."
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _from_text(source: Path, data: bytes, title: str | None) -> tuple[str, dict]:
    """A text file: kept as it is (so offsets match the file), the headline set if given."""
    text = _decode_text(source, data)
    if not text.strip():
        raise MedialitError(f"{source} holds only spaces; give {_TEXT_FORMAT}.")
    lines = [line for line in text.split("\n") if line.strip()]
    if len(_paragraph_spans(text)) == 1 and len(lines) > 1:
        # one paragraph a line, with no blank lines: make the blank lines the format needs
        text = "\n\n".join(line.strip() for line in lines) + "\n"
    start, end = _paragraph_spans(text)[0]
    if "\n" in text[start:end]:
        raise MedialitError(
            f"The first paragraph of {source} runs over several lines; put the headline alone on "
            "the first line, then a blank line."
        )
    if title:
        text = text[:start] + title + text[end:]
    return text, {"title": text[start:end] if not title else None}


def _from_page(source: Path, data: bytes, title: str | None) -> tuple[str, dict]:
    from medialit.article_extract import extract_page

    page = extract_page(data)
    words = sum(len(p.split()) for p in page.paragraphs) if page else 0
    if page is None or words < MIN_PAGE_WORDS:
        raise MedialitError(
            f"No article text was found in {source}; open the article itself (not a front page) "
            "and save it again, or copy its text into a .txt file."
        )
    headline = title or page.title
    if not headline:
        raise MedialitError(
            f"The page {source} has no headline that could be found; give one with --title."
        )
    text = "\n\n".join([headline, *page.paragraphs]) + "\n"
    return text, {"title": page.title, **page.metadata}


def _segment(source: Path, text: str) -> Article:
    try:
        units = segment(text)
    except ArticleError:
        raise MedialitError(
            f"{source} has a headline but no body paragraphs; put a blank line after the "
            "headline and between paragraphs."
        ) from None
    return Article(key="import", path=source, text=text, units=tuple(units))


@cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str, float]:
    """(ISO 639-1 code, probability) of the text's language."""
    code, probability = _identifier().classify(text)
    return str(code), float(probability)


def _check_language(source: Path, article: Article) -> str:
    code, probability = detect_language(" ".join(u.text for u in article.units))
    if code != LANGUAGE and probability >= 0.5:
        raise MedialitError(
            f"{source} looks like it is written in another language (code {code!r}), but the "
            "scheme and lessons are for English articles; bring an article in English."
        )
    return LANGUAGE


@cache
def _made_by(kind: str) -> str:
    made = f"medialit {package_metadata.version('medialit')}"
    if kind == "html":
        made += f", trafilatura {package_metadata.version('trafilatura')}"
    return made


# ----------------------------------------------------------------------------- the writing


def _write(out: Path, text: str, article: Article, metadata: dict, force: bool) -> list[str]:
    """Write the folder in a temporary folder beside OUT, check it, then move it into place.

    Returns the names of other files that were already in OUT and are kept."""
    parent = out.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        temp = Path(tempfile.mkdtemp(prefix=f".{out.name}.import-", dir=parent))
    except OSError as exc:
        raise MedialitError(
            f"Cannot write in {parent} ({exc.strerror or exc}); choose a folder you can write to."
        ) from None
    try:
        folder_format.write_folder(temp, text, article, metadata)
        written = load_article(temp)
        if written.units != article.units:
            raise MedialitError(
                "The written article.txt gives other units than the import made; please report "
                "this with the source file."
            )
        kept = _move_into_place(temp, out, force)
    except OSError as exc:
        raise MedialitError(
            f"Cannot write the article folder {out} ({exc.strerror or exc}); check that the "
            "disk has space and the folder is writable."
        ) from None
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    return kept


def _move_into_place(temp: Path, out: Path, force: bool) -> list[str]:
    if not out.exists():
        os.rename(temp, out)
        return []
    others = sorted(p.name for p in out.iterdir() if p.name not in folder_format.FOLDER_FILES)
    if not others and not any(out.iterdir()):
        out.rmdir()
        os.rename(temp, out)
        return []
    if not force:  # the folder filled up while we worked
        raise MedialitError(f"The folder {out} already holds files; add --force to replace them.")
    for name in folder_format.FOLDER_FILES:
        os.replace(temp / name, out / name)
    return others
