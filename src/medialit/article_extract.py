"""Find the article in a saved web page: its body paragraphs and its metadata.

trafilatura does the finding. It scores the page's blocks, keeps the main text and drops
menus, cookie banners, share bars, "Related Content" lists, newsletter boxes, comments and
footers; it reads the title, author, date, site name, address and section from the page's
``<meta>`` tags (Open Graph, ``article:``), its JSON-LD and its markup. We run it for
precision, without comments, tables or images (so captions and photo credits go with their
pictures), keeping links and italics (the cleanup rules use both), and with a date search that
trusts only the page's markup (a wide search takes the footer's copyright year for the date).

What is ours, before extraction:

* **Decoding**, as a browser does: a byte-order mark wins, then the charset the page declares
  (``<meta charset>`` or ``http-equiv``; "iso-8859-1" and "us-ascii" mean windows-1252, as in
  the HTML standard), then UTF-8, then windows-1252. A page saved by an old browser in
  windows-1252 keeps its curly quotes and dashes.
* **Layout tables.** An old page lays itself out with a ``<table>``; a cell holding a
  paragraph's worth of prose (``LAYOUT_CELL_WORDS``) is page layout, not data, so the table's
  rows and cells become plain ``<div>`` blocks that the extractor scores like any other.
* **Embedded posts** from social sites, and frames, are pruned: they quote someone else.
  Scripts, styles, inline SVG and form controls are removed first (``_strip_inert``).

After extraction: trafilatura's body tree becomes paragraphs (a subheading is not a sentence of
the argument; two line breaks in a row end a paragraph; invisible characters such as soft
hyphens go; a no-break space is a space), and ``medialit.article_cleanup`` drops the debris that
sits inside the body. The headline is the ``<h1>`` a reader sees, without a kicker label such as
"Opinion"; see ``_headline``. Metadata trafilatura does not find is taken, where the page has
it, from the JSON-LD or the browser's "saved from" mark (address), the byline and time stamp
lines the body showed (author, date) and the ``<title>`` (site name).
"""

from __future__ import annotations

import codecs
import copy
import json
import re
from dataclasses import dataclass, field
from datetime import date
from html import escape

from lxml import etree
from lxml import html as lxml_html

from medialit.article_cleanup import SENTENCE_END, Block, clean_blocks, same_text

#: Pruned before extraction: embedded posts from social sites, and frames.
PRUNE_XPATHS = [
    "//blockquote[contains(@class, 'twitter-tweet') or contains(@class, 'instagram-media')"
    " or contains(@class, 'tiktok-embed') or contains(@class, 'bluesky-embed')"
    " or contains(@class, 'threads-post')]",
    "//iframe",
]
#: Elements that never hold article text.
_INERT = ("script", "style", "noscript", "template", "svg", "canvas", "select", "textarea",
          "button", "input", "iframe", "object", "embed")  # fmt: skip
#: A page with more elements than this (after ``_strip_inert``) is extracted without
#: trafilatura's fallback comparison, so that a 3 MB page still takes a few seconds.
FAST_ELEMENTS = 30_000
#: A table cell with this many words of its own text is page layout, not a data table.
LAYOUT_CELL_WORDS = 60
_LABEL_WORDS = (
    r"opinion|editorial|analysis|commentary|op-?ed|column|columns|perspective|letters?|"
    r"guest essay|guest column|guest opinion|viewpoint|point of view|our view|your view"
)
_LABEL = re.compile(rf"^(?:{_LABEL_WORDS})\s*[|:–—-]\s", re.I)
_LABEL_ONLY = re.compile(rf"^(?:{_LABEL_WORDS})\W*$", re.I)
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " » ")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""", re.I)
#: Labels in the HTML standard that mean windows-1252 (browsers read them so).
_WINDOWS_1252 = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii",
                 "iso-ir-100", "cp819", "ibm819", "x-cp1252"}  # fmt: skip
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


@dataclass
class Page:
    """What the page gave: its headline (None if none), paragraphs and metadata fields."""

    title: str | None
    paragraphs: list[str]
    metadata: dict[str, str | None] = field(default_factory=dict)


def decode_page(data: bytes | str) -> str:
    """The page's text, decoded as a browser would (see the module docstring)."""
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):  # fmt: skip
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")
    head = data[:4096]
    declared = _CHARSET.search(head) or _XML_ENCODING.search(head)
    candidates = []
    if declared:
        name = declared.group(1).decode("ascii", "ignore").lower()
        name = "cp1252" if name in _WINDOWS_1252 else name
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            codec = None
        if codec and not codec.startswith("utf-16"):  # a page read as bytes is not UTF-16
            candidates.append(codec)
    candidates += ["utf-8", "cp1252"]
    for codec in candidates:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return data.decode(candidates[0], errors="replace")


def _parse(text: str):
    """The page as an lxml tree; None if lxml cannot make one."""
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses a str with an XML declaration
    try:
        return lxml_html.document_fromstring(text)
    except (ValueError, TypeError, etree.ParserError):
        return None


def _strip_inert(tree) -> None:
    """Remove what can never be article text (scripts other than JSON-LD, styles, inline SVG
    pictures, form controls). A saved page is mostly these by weight; removing
    them first keeps a 3 MB page to a few seconds."""
    inert = [e for e in tree.iter(*_INERT) if not _is_jsonld(e)]
    for element in inert:
        if element.getparent() is not None:
            element.drop_tree()  # keeps the text after it


def _is_jsonld(element) -> bool:
    return element.tag == "script" and "ld+json" in (element.get("type") or "").lower()


def _unwrap_layout_tables(tree) -> None:
    """Turn layout tables into divs (see the module docstring)."""
    for table in list(tree.iter("table")):
        own = [e for e in table.iter("tr", "td", "th", "thead", "tbody", "tfoot")
               if next(e.iterancestors("table"), None) is table]  # fmt: skip
        cells = [e for e in own if e.tag in ("td", "th")]
        if any(_own_words(cell) >= LAYOUT_CELL_WORDS for cell in cells):
            for element in [table, *own]:
                element.tag = "div"


def _own_words(cell) -> int:
    """Words of a cell's text, not counting scripts, styles or tables nested in it."""
    words = len((cell.text or "").split())
    stack = list(cell)
    while stack:
        node = stack.pop()
        words += len((node.tail or "").split())
        if isinstance(node.tag, str) and node.tag not in ("table", "script", "style"):
            words += len((node.text or "").split())
            stack.extend(node)
    return words


def extract_page(html: bytes | str) -> Page | None:
    """The article in a page, or None when trafilatura finds no main text."""
    import trafilatura

    tree = _parse(decode_page(html))
    if tree is None:
        return None
    facts = _page_facts(tree)
    _strip_inert(tree)
    _unwrap_layout_tables(tree)
    today = date.today().isoformat()
    document = trafilatura.bare_extraction(
        tree,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=True,
        include_formatting=True,
        favor_precision=True,
        # on a page with very many elements, skip the second opinion (readability, jusText),
        # whose cost grows with the page: the main pass finds an article body on its own
        fast=sum(1 for _ in tree.iter()) > FAST_ELEMENTS,
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
    title = _headline(facts["h1"], _strip_site(_clean(document.title), outlet), outlet)
    outlet = outlet or _outlet_from_title(facts["title"], title)
    author = _clean(document.author)
    blocks, found = clean_blocks(body_blocks(document.body), title, author)
    url = _clean(document.url) or facts["url"]
    metadata = {
        "outlet": outlet,
        "author": author or found["author"],
        "date": _clean(document.date) or _stamp_date(found["stamp"], today),
        "url": url,
        "section": _section(document.categories, document.pagetype, url),
    }
    return Page(title=title, paragraphs=[b.text for b in blocks], metadata=metadata)


#: trafilatura's block elements; anything else directly under the body is running text.
_BLOCK_TAGS = frozenset({"p", "head", "quote", "list", "table", "graphic", "code", "div"})
_SKIPPED = frozenset({"head", "table", "graphic", "code"})

#: A run of text and whether it sits inside a link and inside italics; None is a line break.
Token = tuple[str, bool, bool] | None


def body_blocks(body) -> list[Block]:
    """Paragraphs of trafilatura's body tree, in reading order, subheadings left out.

    Text that sits loose in the body (an old page's paragraphs separated by ``<br><br>``, the
    text after a subheading) is kept and split at double line breaks like a paragraph's."""
    blocks: list[Block] = []
    loose: list[Token] = [(body.text, False, False)] if body.text else []
    for element in body:
        if element.tag in _BLOCK_TAGS:
            blocks += _blocks_of(loose)
            loose = []
            blocks += _element_blocks(element)
        else:
            _tokens(element, False, False, loose)
        if element.tail:
            loose.append((element.tail, False, False))
    blocks += _blocks_of(loose)
    return _join_broken([b for b in blocks if b.text])


def _join_broken(blocks: list[Block]) -> list[Block]:
    """Join a block that stops mid-sentence to the next when that one starts in lower case
    (a ``<br>`` inside a sentence that the extractor turned into a paragraph break)."""
    joined: list[Block] = []
    for block in blocks:
        last = joined[-1] if joined else None
        if last and not SENTENCE_END.search(last.text) and block.text[:1].islower():
            joined[-1] = Block(
                f"{last.text} {block.text}",
                last.link_chars + block.link_chars,
                last.italic_chars + block.italic_chars,
                last.quote and block.quote,
            )
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
            blocks += _blocks_of(_tokens(item, False, False, [], skip=("list",)))
        return blocks
    quote = tag == "quote"
    if quote and element.find("p") is not None:
        parts = [_tokens(part, False, False, []) for part in element.iter("p")]
        return [b for tokens in parts for b in _blocks_of(tokens, quote=True)]
    return _blocks_of(_tokens(element, False, False, []), quote=quote)


def _tokens(
    node, in_link: bool, italic: bool, tokens: list[Token], skip: tuple[str, ...] = ()
) -> list[Token]:
    """The node's text (not its tail) as tokens, appended to ``tokens``."""
    if node.tag == "lb":
        tokens.append(None)
        return tokens
    link = in_link or node.tag == "ref"
    italic = italic or (node.tag == "hi" and "i" in (node.get("rend") or "").lstrip("#"))
    if node.text:
        tokens.append((node.text, link, italic))
    for child in node:
        if child.tag not in skip:
            _tokens(child, link, italic, tokens, skip)
        if child.tail:
            tokens.append((child.tail, link, italic))
    return tokens


def _blocks_of(tokens: list[Token], quote: bool = False) -> list[Block]:
    """Running text as blocks: two line breaks in a row end a paragraph, one is a space."""
    blocks: list[Block] = []
    parts: list[tuple[str, bool, bool]] = []
    breaks = 0
    for token in [*tokens, None, None]:
        if token is None:
            breaks += 1
            if breaks >= 2 and parts:
                blocks.append(_block(parts, quote))
                parts = []
            continue
        if token[0].strip():
            if breaks == 1:
                parts.append((" ", False, False))
            breaks = 0
        parts.append(token)
    return blocks


def _flat(text: str) -> str:
    """Whitespace (a no-break space too) collapsed to single spaces, invisible marks removed."""
    return " ".join(text.translate(_INVISIBLE).split())


def _block(parts: list[tuple[str, bool, bool]], quote: bool) -> Block:
    text = _flat("".join(t for t, _, _ in parts))
    link_chars = sum(len(_flat(t)) for t, link, _ in parts if link)
    italic_chars = sum(len(_flat(t)) for t, _, italic in parts if italic)
    return Block(text, min(link_chars, len(text)), min(italic_chars, len(text)), quote)


def _clean(value) -> str | None:
    if not isinstance(value, str):
        return None
    value = _flat(value)
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


# ----------------------------------------------------------------------------- from the markup


def _page_facts(tree) -> dict:
    """What we read from the page ourselves, before trafilatura changes the tree: the text of
    its ``<h1>`` headings, its ``<title>`` and the address its JSON-LD gives."""
    title = tree.find(".//title")
    return {
        "h1": [h for h in (_heading_text(h) for h in tree.iter("h1")) if h],
        "title": _clean(title.text_content()) if title is not None else None,
        "url": _jsonld_url(tree) or _saved_from(tree),
    }


def _heading_text(h1) -> str | None:
    """A heading's words without a kicker: a leading element that holds only a label
    ("<span class=kicker>Opinion</span> Headline"), or a label and a separator
    ("Opinion: Headline"). A heading that is all link (a site's logo) is not a headline."""
    h1 = copy.deepcopy(h1)
    for br in h1.iter("br"):
        br.tail = " " + (br.tail or "")
    text = _clean(h1.text_content())
    if not text:
        return None
    links = " ".join(_flat(a.text_content()) for a in h1.iter("a"))
    if links and same_text(links, text):
        return None
    children = [c for c in h1 if isinstance(c.tag, str)]
    if not (h1.text or "").strip() and children:
        first = _clean(children[0].text_content())
        if first and _LABEL_ONLY.match(first) and not same_text(first, text):
            text = _clean(text[text.index(first) + len(first) :].lstrip(" :|–—-"))
    if text and (label := _LABEL.match(text)) and text[label.end() :].strip():
        text = text[label.end() :].strip()
    return text


def _headline(headings: list[str], title: str | None, outlet: str | None) -> str | None:
    """The headline a reader sees: the page's ``<h1>`` when it is a form of the metadata title
    (an ``og:title`` often adds a label or the writer's name) or the only ``<h1>`` that is not
    the site's name or a section label (a site may write a different headline for search
    engines and social media); else the metadata title."""
    headings = [h for h in headings if not _LABEL_ONLY.match(h)]
    if outlet:
        headings = [h for h in headings if not same_text(h, outlet)]
    if not title:
        return headings[0] if len(headings) == 1 else None
    words = set(re.findall(r"\w+", title.casefold()))
    for heading in headings:
        if same_text(heading, title):
            return title
    for heading in headings:
        own = set(re.findall(r"\w+", heading.casefold()))
        if own and len(own & words) >= 0.8 * len(own) and len(own) >= 0.5 * len(words):
            return heading
    if len(headings) == 1 and len(headings[0].split()) >= 3:
        return headings[0]
    return title


def _outlet_from_title(page_title: str | None, headline: str | None) -> str | None:
    """The site's name from a ``<title>`` like 'Site :: Opinion :: Headline' or 'Headline | Site':
    what is left when the headline and section labels are taken away, if one part is left."""
    if not page_title or not headline:
        return None
    for sep in _TITLE_SEPARATORS:
        parts = [part.strip() for part in page_title.split(sep)]
        if len(parts) < 2 or not any(same_text(part, headline) for part in parts):
            continue
        rest = [p for p in parts if p and not same_text(p, headline) and not _LABEL_ONLY.match(p)]
        if len(rest) == 1 and len(rest[0].split()) <= 6:
            return rest[0]
    return None


def _stamp_date(stamp: str | None, today: str) -> str | None:
    """The date in a time stamp line the body showed ('Published: Tuesday, April 11, 2006')."""
    if not stamp:
        return None
    from htmldate import find_date

    html = f"<html><body><p>{escape(stamp)}</p></body></html>"
    return find_date(html, original_date=True, extensive_search=True, max_date=today)


def _jsonld_url(tree) -> str | None:
    """The article's address from its JSON-LD (``url`` or ``mainEntityOfPage``), if any."""
    for script in tree.iter("script"):
        if not _is_jsonld(script):
            continue
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        items = data if isinstance(data, list) else [data]
        items += [i for d in list(items) if isinstance(d, dict) for i in d.get("@graph", [])]
        for item in items:
            if not isinstance(item, dict) or "headline" not in item:
                continue
            for key in ("url", "mainEntityOfPage"):
                value = item.get(key)
                value = value.get("@id") if isinstance(value, dict) else value
                if isinstance(value, str) and re.match(r"https?://", value):
                    return value
    return None


_SAVED_FROM = re.compile(r"\s*saved from url=\(\d+\)(https?://\S+)")


def _saved_from(tree) -> str | None:
    """The address in the ``<!-- saved from url=(0066)https://… -->`` mark a browser writes
    into a page it saves (before ``<html>`` or inside it)."""
    root = tree.getroottree().getroot()
    comments = [*root.itersiblings(etree.Comment, preceding=True), *root.iter(etree.Comment)]
    for comment in comments:
        if match := _SAVED_FROM.match(comment.text or ""):
            return match.group(1)
    return None


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
