"""The article and its sentence units.

A unit is the headline (``P0.S1``) or one sentence of a body paragraph (``P<n>.S<m>``),
counted from 1, exactly as ``taxonomy.md`` defines them. Every unit keeps its character
offsets into the source text, so ``article.text[unit.start:unit.end] == unit.text``.

Sentence boundaries come from pysbd, a rule-based segmenter that knows abbreviations
such as "U.S."; this module only maps its sentences back to exact offsets and drops
web-page debris.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from medialit import paths
from medialit.errors import ArticleError

#: Lines a web page adds around an article. Matched case-insensitively against a whole paragraph.
DEBRIS_LINES = frozenset(
    {
        "related content",
        "advertisement",
        "read more",
        "share this article",
        "sign up for our newsletter",
        "recommended",
        "most popular",
    }
)
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s*$")
_UNIT_ID = re.compile(r"^P(\d+)\.S(\d+)$")

#: Articles the kit ships, by short name.
ARTICLES = {
    "seed": ("seeds", paths.SEED_NAME),
    "practice": ("data", "practice_oped.txt"),
}


@dataclass(frozen=True)
class Unit:
    """One taggable unit: the headline or one sentence of the body."""

    id: str
    paragraph: int
    sentence: int
    start: int
    end: int
    text: str

    @property
    def is_headline(self) -> bool:
        return self.paragraph == 0


@dataclass(frozen=True)
class Article:
    """An article's text and its units, in reading order."""

    key: str
    path: Path
    text: str
    units: tuple[Unit, ...]

    @property
    def headline(self) -> str:
        return self.units[0].text

    @property
    def ids(self) -> list[str]:
        return [u.id for u in self.units]

    def unit(self, unit_id: str) -> Unit:
        """The unit with this id; a clear error lists the valid range if there is none."""
        for u in self.units:
            if u.id == unit_id:
                return u
        raise ArticleError(
            f"There is no unit {unit_id!r} in the article {self.key!r}. "
            f"Units run from {self.units[0].id} to {self.units[-1].id}; "
            "ids look like P3.S2 (paragraph 3, sentence 2)."
        )

    def paragraph(self, number: int) -> list[Unit]:
        return [u for u in self.units if u.paragraph == number]

    @property
    def paragraph_count(self) -> int:
        """Number of body paragraphs (the headline is paragraph 0 and not counted)."""
        return max(u.paragraph for u in self.units)

    def to_frame(self) -> pd.DataFrame:
        """One row per unit: id, paragraph, sentence, start, end, text."""
        frame = pd.DataFrame([asdict(u) for u in self.units])
        return frame.set_index("id", drop=False)

    def __len__(self) -> int:
        return len(self.units)


def is_debris(paragraph: str) -> bool:
    """True for web-page lines that are not part of the article (e.g. "Related Content")."""
    line = " ".join(paragraph.split()).strip().lower()
    if line in DEBRIS_LINES:
        return True
    # A short body line with no sentence ending is a page label, not a sentence.
    return not _SENTENCE_END.search(paragraph) and len(line.split()) <= 4


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank block separated by blank lines, whitespace trimmed."""
    spans = []
    for match in re.finditer(r"\S(?:.*?\S)?(?=\s*(?:\n\s*\n|\Z))", text, flags=re.S):
        spans.append((match.start(), match.end()))
    return spans


@cache
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence spans of one paragraph, as offsets into the full text (whitespace trimmed)."""
    spans = []
    cursor = 0
    for sentence in _segmenter().segment(text):
        piece = sentence.strip()
        if not piece:
            continue
        at = text.find(piece, cursor)
        if at < 0:  # pysbd never rewrites text with clean=False; guard anyway
            raise ArticleError(
                f"Could not find the sentence {piece[:40]!r} in its paragraph; "
                "the segmenter changed the text. Please report this with the article file."
            )
        spans.append((offset + at, offset + at + len(piece)))
        cursor = at + len(piece)
    return spans


def segment(text: str) -> list[Unit]:
    """Turn an article's text into units: headline first, then body sentences."""
    blocks = _paragraph_spans(text)
    if not blocks:
        raise ArticleError("The article is empty: it needs a headline line and body paragraphs.")
    h_start, h_end = blocks[0]
    units = [Unit("P0.S1", 0, 1, h_start, h_end, text[h_start:h_end])]
    number = 0
    for start, end in blocks[1:]:
        if is_debris(text[start:end]):
            continue
        number += 1
        for s, (a, b) in enumerate(split_sentences(text[start:end], start), start=1):
            units.append(Unit(f"P{number}.S{s}", number, s, a, b, text[a:b]))
    if number == 0:
        raise ArticleError("The article has a headline but no body paragraphs.")
    return units


#: An article folder (``medialit article new … --out DIR``) keeps its text in this file.
FOLDER_TEXT = "article.txt"


def article_path(source: str | Path | None = None) -> tuple[str, Path]:
    """Resolve a short name ("seed", "practice"), a text file or an article folder to
    (key, path). A folder's key is its name and its text is ``DIR/article.txt``."""
    if source is None:
        source = "seed"
    if isinstance(source, str) and source in ARTICLES:
        folder, name = ARTICLES[source]
        return source, paths.kit_root() / folder / name
    path = Path(source)
    if path.is_dir():
        return path.resolve().name, path / FOLDER_TEXT
    return path.stem, path


def load_article(source: str | Path | None = None) -> Article:
    """Load and segment an article: the seed by default, ``"practice"``, a text file, or an
    article folder made by ``medialit article new``."""
    key, path = article_path(source)
    if not path.is_file():
        raise ArticleError(
            f"Article file not found: {path}. "
            f"Use one of {', '.join(sorted(ARTICLES))} or the path of a UTF-8 text file "
            "with the headline on the first line and a blank line between paragraphs."
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleError(f"Article file {path} is not UTF-8 text ({exc.reason}).") from exc
    return _cached_article(key, path, text)


@cache
def _cached_article(key: str, path: Path, text: str) -> Article:
    return Article(key=key, path=path, text=text, units=tuple(segment(text)))


def parse_unit_id(unit_id: str) -> tuple[int, int]:
    """``"P3.S2"`` -> ``(3, 2)``; a clear error otherwise."""
    match = _UNIT_ID.match(unit_id)
    if not match:
        raise ArticleError(f"{unit_id!r} is not a unit id; ids look like P3.S2.")
    return int(match.group(1)), int(match.group(2))
