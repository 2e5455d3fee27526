"""Drop the page debris that sits inside an article's body and looks like text.

trafilatura finds the article's container and leaves out the page around it (menus, share
bars, related stories, comments, footers). What is left inside the container is not all the
author's argument. These rules decide, paragraph by paragraph, what else to leave out. Each is
a rule about how news and blog pages are built, not about any one site's class names:

* **Labels and links.** A short line with no sentence end ("Share", "Advertisement", "Listen"),
  a "Read more:" / "Related:" line or a paragraph that is mostly a link to another story, a
  byline ("By Jane Doe"), a time stamp ("Published: April 11, 2006"), the headline repeated.
  (``medialit.article.is_debris`` knows the short labels.) A byline or stamp dropped here
  still tells the import the author or date when the page's metadata does not.
* **Pull quotes.** A pull quote repeats a sentence of the article in large type, so it is
  dropped when its words appear in another paragraph of the body. A block quote that repeats
  nothing is someone the author quotes, and stays.
* **Notes at either end.** A run of paragraphs at the very start or end of the body is dropped
  when each is a note about the article rather than part of it: a correction or clarification
  ("Correction: …", "An earlier version of this column misstated …"), an editor's note, an
  update, a disclosure, a note that the piece appeared elsewhere; the writer's tagline ("Jane
  Doe is a retired teacher …", "The writer is …"); or a paragraph set wholly in italics when
  the body is not (the way papers set taglines and "letters to the editor" invitations). These
  are the publisher's words about the text or the writer, written apart from the argument; a
  student tagging the writer's claims should not meet them as sentences of the op-ed. The same
  paragraphs in the middle of the body are kept: there they are the author's.

Captions and photo credits never reach this module: the extraction runs without images, and
trafilatura drops ``<figure>``/``<figcaption>`` with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from medialit.article import is_debris

#: A paragraph opening with one of these labels, ending without a sentence mark or mostly a
#: link, points to another story.
_LINK_LABEL = re.compile(
    r"^(?:read more|more|related|related content|see also|also read|read also|recommended|"
    r"watch|listen|read next|up next|more from [^:]{1,40}|don[’']t miss|opinion|analysis)"
    r"\s*[:|»›>-]",
    re.I,
)
SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_BYLINE = re.compile(r"^by\s+(\S.*)$", re.I)
_STAMP = re.compile(
    r"^(?:(?:first |originally )?published|posted|updated|last updated|last modified)\b", re.I
)
_NAME = re.compile(r"^((?:[A-Z][\w’'.-]*\s*){1,4}?)(?=\s*(?:[,|·•/–—-]|$|\s[a-z]))")
#: Notes about the article, recognised by how they open.
_NOTE = re.compile(
    r"^(?:an?\s+)?(?:correction|clarification|editor[’']?s[’']?\s+note|note from the editors?|"
    r"update|updated|disclosure|note)\b[^:]{0,80}:",
    re.I,
)
_EARLIER_VERSION = re.compile(
    r"\b(?:an earlier|a previous|the original) version of this "
    r"(?:article|story|column|essay|piece|op-?ed|post|editorial|commentary)\b",
    re.I,
)
_APPEARED = re.compile(
    r"^(?:this|a version of this) (?:article|story|column|essay|piece|op-?ed|post|commentary) "
    r"(?:was|is|first|originally|appeared|appears)\b",
    re.I,
)
_WRITER_IS = re.compile(
    r"^[—–-]?\s*the (?:writer|author)s? (?:is|are|was|were|teaches|writes)\b", re.I
)
#: The longest tagline or note we drop from the edges, in words.
_NOTE_WORDS = 80


@dataclass(frozen=True)
class Block:
    """One paragraph of the body, whitespace collapsed, with how much of it is link text or
    italic text, and whether it came from a block quote."""

    text: str
    link_chars: int = 0
    italic_chars: int = 0
    quote: bool = False

    @property
    def link_share(self) -> float:
        return self.link_chars / max(len(self.text), 1)

    @property
    def italic(self) -> bool:
        return self.italic_chars >= 0.9 * len(self.text)


def clean_blocks(
    blocks: list[Block], title: str | None, author: str | None
) -> tuple[list[Block], dict[str, str | None]]:
    """The blocks that are the article's own paragraphs, and what the dropped lines told:
    ``{"author": the name a byline gave, "stamp": the text of a 'Published: …' line}``."""
    kept: list[Block] = []
    found: dict[str, str | None] = {"author": None, "stamp": None}
    for block in blocks:
        if is_page_debris(block, title):
            found["author"] = found["author"] or _byline_name(block.text)
            if _STAMP.match(block.text) and not found["stamp"]:
                found["stamp"] = block.text
            continue
        kept.append(block)
    kept = _drop_pull_quotes(kept)
    kept = _drop_edge_notes(kept, author or found["author"])
    return kept, found


def is_page_debris(block: Block, title: str | None) -> bool:
    text = block.text
    if is_debris(text):
        return True
    if title and same_text(text, title):
        return True
    ends = bool(SENTENCE_END.search(text))
    if _LINK_LABEL.match(text) and (not ends or block.link_share >= 0.5):
        return True
    if not ends and block.link_share >= 0.5:
        return True
    if _STAMP.match(text) and not ends and len(text.split()) <= 12:
        return True
    return bool(_BYLINE.match(text) and not ends and len(text.split()) <= 10)


def _byline_name(text: str) -> str | None:
    """'By Jane Doe' or 'By Jane Doe, Staff writer' -> 'Jane Doe'."""
    match = _BYLINE.match(text)
    if not match or SENTENCE_END.search(text) or len(text.split()) > 10:
        return None
    name = _NAME.match(match.group(1))
    return " ".join(name.group(1).split()) if name else None


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _drop_pull_quotes(blocks: list[Block]) -> list[Block]:
    """Drop a block whose words all appear, in order, inside another block: a pull quote.

    Outside a block quote, only a repeat of six words or more counts, so that a short refrain
    the author writes twice ("Vote yes.") is kept."""
    words = [_words(b.text) for b in blocks]
    kept = []
    for i, block in enumerate(blocks):
        own = words[i]
        long_enough = block.quote or len(own.split()) >= 6
        repeated = long_enough and any(
            j != i and len(other) > len(own) and f" {own} " in f" {other} "
            for j, other in enumerate(words)
        )
        if not repeated:
            kept.append(block)
    return kept


def _drop_edge_notes(blocks: list[Block], author: str | None) -> list[Block]:
    """Drop the runs of notes at the start and the end of the body (see the module docstring)."""
    italic_body = sum(b.italic for b in blocks) > len(blocks) // 2
    start, end = 0, len(blocks)
    while end > start + 1 and _is_note(blocks[end - 1], author, italic_body):
        end -= 1
    while start < end - 1 and _is_note(blocks[start], author, italic_body):
        start += 1
    return blocks[start:end]


def _is_note(block: Block, author: str | None, italic_body: bool) -> bool:
    text = block.text
    if len(text.split()) > _NOTE_WORDS:
        return False
    if _NOTE.match(text) or _EARLIER_VERSION.search(text) or _APPEARED.match(text):
        return True
    if _WRITER_IS.match(text) or (author and _opens_with_name(text, author)):
        return True
    return block.italic and not italic_body


def _opens_with_name(text: str, name: str) -> bool:
    """True for a tagline: the writer's full name, then a verb or a comma ('Jane Doe is …')."""
    text = text.lstrip("—–- ").casefold()
    name = " ".join(name.split()).casefold()
    return text.startswith(name) and bool(re.match(r"(?:,|\s+[a-z])", text[len(name) :]))


def same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()
