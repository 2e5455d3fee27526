"""Find the article in a saved web page: its body paragraphs and its metadata.

trafilatura does the finding. It scores the page's blocks, keeps the main text and drops
menus, cookie banners, share bars, "Related Content" lists, newsletter boxes, comments and
footers; it reads the title, author, date, site name, address and section from the page's
``<meta>`` tags (Open Graph, ``article:``), its JSON-LD and its markup. We run it for
precision, without comments, tables or images, and with a date search that trusts only the
page's markup (a wide search takes the footer's copyright year for the date).

What is ours is small: turning trafilatura's body tree into paragraphs (a subheading is not a
sentence of the argument; two line breaks in a row end a paragraph), and dropping the few kinds
of page debris that sit inside an article's body and look like text: a "Read more:" line or a
paragraph that is only a link to another story, a byline, a repeat of the headline, and the
short labels ``medialit.article.is_debris`` already knows. Embedded social posts are pruned
before extraction: they quote someone else's post with its handle and date, not the author.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from medialit.article import is_debris

#: Pruned before extraction: embedded posts from social sites, and frames.
PRUNE_XPATHS = [
    "//blockquote[contains(@class, 'twitter-tweet') or contains(@class, 'instagram-media')"
    " or contains(@class, 'tiktok-embed') or contains(@class, 'bluesky-embed')"
    " or contains(@class, 'threads-post')]",
    "//iframe",
]

#: A paragraph opening with one of these labels, ending without a sentence mark or mostly a
#: link, points to another story.
_LINK_LABEL = re.compile(
    r"^(?:read more|more|related|related content|see also|also read|read also|recommended|"
    r"watch|listen|read next|up next|more from [^:]{1,40}|don[’']t miss|opinion|analysis)"
    r"\s*[:|»›>-]",
    re.I,
)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_BYLINE = re.compile(r"^by\s+\S", re.I)
_LABEL = re.compile(
    r"^(?:opinion|editorial|analysis|commentary|op-?ed|column|perspective|letters?)\s*[|:–—-]\s",
    re.I,
)
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ")


@dataclass(frozen=True)
class Block:
    """One paragraph of the body, whitespace collapsed, with how much of it is link text."""

    text: str
    link_chars: int = 0

    @property
    def link_share(self) -> float:
        return self.link_chars / max(len(self.text), 1)


@dataclass
class Page:
    """What the page gave: its headline (None if none), paragraphs and metadata fields."""

    title: str | None
    paragraphs: list[str]
    metadata: dict[str, str | None] = field(default_factory=dict)


def extract_page(html: bytes | str) -> Page | None:
    """The article in a page, or None when trafilatura finds no main text."""
    import trafilatura

    today = date.today().isoformat()
    document = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=True,
        favor_precision=True,
        prune_xpath=PRUNE_XPATHS,
        date_extraction_params={
            "original_date": True,
            "extensive_search": False,
            "max_date": today,
        },
    )
    if document is None or document.body is None:
        return None
    outlet = _clean(document.sitename)
    title = _headline(html, _strip_site(_clean(document.title), outlet))
    blocks = [b for b in body_blocks(document.body) if not _is_page_debris(b, title)]
    metadata = {
        "outlet": outlet,
        "author": _clean(document.author),
        "date": _clean(document.date),
        "url": _clean(document.url),
        "section": _section(document.categories, document.pagetype, document.url),
    }
    return Page(title=title, paragraphs=[b.text for b in blocks], metadata=metadata)


#: trafilatura's block elements; anything else directly under the body is running text.
_BLOCK_TAGS = frozenset({"p", "head", "quote", "list", "table", "graphic", "code", "div"})
_SKIPPED = frozenset({"head", "table", "graphic", "code"})

Token = tuple[str, bool] | None  # (text, inside a link), or None for a line break


def body_blocks(body) -> list[Block]:
    """Paragraphs of trafilatura's body tree, in reading order, subheadings left out.

    Text that sits loose in the body (an old page's paragraphs separated by ``<br><br>``, the
    text after a subheading) is kept and split at double line breaks like a paragraph's."""
    blocks: list[Block] = []
    loose: list[Token] = [(body.text, False)] if body.text else []
    for element in body:
        if element.tag in _BLOCK_TAGS:
            blocks += _blocks_of(loose)
            loose = []
            blocks += _element_blocks(element)
        else:
            _tokens(element, False, loose)
        if element.tail:
            loose.append((element.tail, False))
    blocks += _blocks_of(loose)
    return _join_broken([b for b in blocks if b.text])


def _join_broken(blocks: list[Block]) -> list[Block]:
    """Join a block that stops mid-sentence to the next when that one starts in lower case
    (a ``<br>`` inside a sentence that the extractor turned into a paragraph break)."""
    joined: list[Block] = []
    for block in blocks:
        last = joined[-1] if joined else None
        if last and not _SENTENCE_END.search(last.text) and block.text[:1].islower():
            joined[-1] = Block(f"{last.text} {block.text}", last.link_chars + block.link_chars)
        else:
            joined.append(block)
    return joined


def _element_blocks(element) -> list[Block]:
    tag = element.tag
    if tag in _SKIPPED:
        return []
    if tag == "list":
        blocks = []
        for item in element.iter("item"):
            blocks += _blocks_of(_tokens(item, False, [], skip=("list",)))
        return blocks
    if tag == "quote" and element.find("p") is not None:
        return [b for part in element.iter("p") for b in _blocks_of(_tokens(part, False, []))]
    return _blocks_of(_tokens(element, False, []))


def _tokens(node, in_link: bool, tokens: list[Token], skip: tuple[str, ...] = ()) -> list[Token]:
    """The node's text (not its tail) as tokens, appended to ``tokens``."""
    if node.tag == "lb":
        tokens.append(None)
        return tokens
    link = in_link or node.tag == "ref"
    if node.text:
        tokens.append((node.text, link))
    for child in node:
        if child.tag not in skip:
            _tokens(child, link, tokens, skip)
        if child.tail:
            tokens.append((child.tail, link))
    return tokens


def _blocks_of(tokens: list[Token]) -> list[Block]:
    """Running text as blocks: two line breaks in a row end a paragraph, one is a space."""
    blocks: list[Block] = []
    parts: list[tuple[str, bool]] = []
    breaks = 0
    for token in [*tokens, None, None]:
        if token is None:
            breaks += 1
            if breaks >= 2 and parts:
                blocks.append(_block(parts))
                parts = []
            continue
        if token[0].strip():
            if breaks == 1:
                parts.append((" ", False))
            breaks = 0
        parts.append(token)
    return blocks


def _block(parts: list[tuple[str, bool]]) -> Block:
    text = " ".join("".join(t for t, _ in parts).split())
    link_chars = sum(len(" ".join(t.split())) for t, link in parts if link)
    return Block(text, min(link_chars, len(text)))


def _is_page_debris(block: Block, title: str | None) -> bool:
    text = block.text
    if is_debris(text):
        return True
    if title and _same(text, title):
        return True
    ends = bool(_SENTENCE_END.search(text))
    if _LINK_LABEL.match(text) and (not ends or block.link_share >= 0.5):
        return True
    if not ends and block.link_share >= 0.5:
        return True
    return bool(_BYLINE.match(text) and not ends and len(text.split()) <= 10)


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _clean(value) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _strip_site(title: str | None, outlet: str | None) -> str | None:
    """'Headline | Section | Outlet' -> 'Headline' when the page's title carries the site;
    'Opinion | Headline' -> 'Headline'."""
    if title and (label := _LABEL.match(title)) and title[label.end() :].strip():
        title = title[label.end() :].strip()
    if not title or not outlet:
        return title
    for sep in _TITLE_SEPARATORS:
        if sep in title and title.rsplit(sep, 1)[1].strip().casefold() == outlet.casefold():
            head = title.rsplit(sep, 1)[0]
            # a section name may sit between the headline and the site ("… | Opinion | Site")
            if sep in head and len(head.rsplit(sep, 1)[1].split()) <= 2:
                head = head.rsplit(sep, 1)[0]
            return head.strip() or title
    return title


def _headline(html: bytes | str, title: str | None) -> str | None:
    """The headline a reader sees: the page's ``<h1>`` when it is a form of the metadata title
    (an ``og:title`` often adds a label or the writer's name), else the metadata title."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        tree = lxml_html.document_fromstring(html)
    except (ValueError, TypeError, etree.ParserError):
        return title
    headings = [_clean(h.text_content()) for h in tree.iter("h1")]
    headings = [h for h in headings if h]
    if not title:
        return headings[0] if len(headings) == 1 else None
    words = set(re.findall(r"\w+", title.casefold()))
    for heading in headings:
        if _same(heading, title):
            return title
    for heading in headings:
        own = set(re.findall(r"\w+", heading.casefold()))
        if own and len(own & words) >= 0.8 * len(own) and len(own) >= 0.5 * len(words):
            return heading
    return title


def _section(categories, pagetype: str | None, url: str | None) -> str | None:
    """The page's section: its ``article:section``/category, else what its type or address says."""
    for category in categories or []:
        if name := _clean(category):
            return name.lower()
    if pagetype and "opinion" in pagetype.lower():
        return "opinion"
    if url and re.search(r"/(?:opinions?|op-?eds?|commentary|columns?)/", url, re.I):
        return "opinion"
    return None
