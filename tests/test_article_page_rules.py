"""How ``medialit article new`` reads pages it has never seen: the rules it applies inside an
article's body (pull quotes, notes at the ends, italics, kicker labels in the headline), the
encodings a saved page may come in, and a page of several megabytes.

The rules are documented in ``medialit.article_cleanup`` and ``medialit.article_extract``; the
pages and their expected texts are in ``tests/fixtures/pages/`` (see ``test_article_import``).
"""

from __future__ import annotations

import codecs
import json
import re
import time
from pathlib import Path

import pytest

from medialit import article_import
from medialit.article_extract import extract_page
from medialit.article_import import import_article

PAGES = Path(__file__).parent / "fixtures" / "pages"
LIBRARY = PAGES / "library_oped.html"

SUBSTACK = PAGES / "substack_fourday.html"


def body(name: str) -> list[str]:
    return (PAGES / f"{name}.txt").read_text(encoding="utf-8").strip().split("\n\n")[1:]


def test_a_pull_quote_is_dropped_but_a_quotation_is_kept():
    html = SUBSTACK.read_text(encoding="utf-8")
    quotation = "“A shorter week makes managers say which work matters,” one economist told me."
    html = html.replace(
        "<p>I know what you are thinking",
        "<blockquote><p>“Two people who had been planning to leave decided to stay.”</p>"
        f"</blockquote>\n<blockquote><p>{quotation}</p></blockquote>\n"
        '<div class="pull"><p>We simply stopped working on Fridays and watched what happened.</p>'
        "</div>\n<p>I know what you are thinking",
    )
    expected = body("substack_fourday")
    assert extract_page(html).paragraphs == [*expected[:2], quotation, *expected[2:]]


def test_notes_are_dropped_at_the_ends_of_the_body_only():
    html = SUBSTACK.read_text(encoding="utf-8")
    note = "Correction: An earlier version of this post said the studio had ten people."
    html = (
        html.replace(
            "<p>Last spring",
            "<p>Update: Two more studios have joined the trial since.</p><p>Last spring",
        )
        .replace(
            "<p>The trials so far",
            f"<p>{note}</p><p><em>I was wrong about that.</em></p><p>The trials so far",
        )
        .replace(
            "experiment once, too.</p>",
            f"experiment once, too.</p><p>{note}</p>"
            "<p>Lena Park runs a design studio in Portland.</p>"
            "<p><em>Write to us about this post at letters@smallshop.example.</em></p>",
        )
    )
    expected = body("substack_fourday")
    paragraphs = extract_page(html).paragraphs
    assert paragraphs == [*expected[:3], note, "I was wrong about that.", *expected[3:]]


def test_a_body_set_wholly_in_italics_is_kept():
    html = re.sub(
        r"<p>(.*?)</p>",
        r"<p><em>\1</em></p>",
        SUBSTACK.read_text(encoding="utf-8"),
    )
    assert extract_page(html).paragraphs == body("substack_fourday")


@pytest.mark.parametrize(
    ("h1", "headline"),
    [
        ("<span class='kicker'>Opinion</span> Keep the library open", "Keep the library open"),
        ("OPINION: Keep the library open", "Keep the library open"),
        ("Opinion polls miss the library vote", "Opinion polls miss the library vote"),
    ],
)
def test_a_kicker_label_is_not_part_of_the_headline(h1, headline):
    html = LIBRARY.read_text(encoding="utf-8").replace(
        '<h1 class="headline">Keep the library open on Sundays</h1>', f"<h1>{h1}</h1>"
    )
    assert extract_page(html).title == headline


def _encoded(html: str) -> dict[str, tuple[str, bytes]]:
    """Ways a browser or editor saves the same page: file name -> bytes."""

    def cp1252(declaration: str) -> bytes:
        page = html.replace('<meta charset="utf-8">', declaration)
        return page.encode("cp1252", errors="xmlcharrefreplace")

    return {
        "windows-1252": ("page.html", cp1252('<meta charset="windows-1252">')),
        "iso-8859-1": ("page.html", cp1252('<meta http-equiv="Content-Type" '
                                           'content="text/html; charset=ISO-8859-1">')),
        "undeclared": ("page.html", cp1252("")),
        "bom": ("page.html", codecs.BOM_UTF8 + html.encode("utf-8")),
        "bom, no suffix": ("page", codecs.BOM_UTF8 + html.encode("utf-8")),
        "utf-16": ("page.htm", html.encode("utf-16")),
    }  # fmt: skip


@pytest.mark.parametrize("case", _encoded("").keys())
def test_a_page_in_another_encoding_gives_the_same_text(case, tmp_path):
    name, data = _encoded(SUBSTACK.read_text(encoding="utf-8"))[case]
    (tmp_path / name).write_bytes(data)
    made = import_article(tmp_path / name, tmp_path / "out")
    assert made.article.text == SUBSTACK.with_suffix(".txt").read_text(encoding="utf-8")


def test_an_article_deep_in_a_3_mb_page_is_found_in_seconds(tmp_path):
    html = (PAGES / "newspaper_climate.html").read_text(encoding="utf-8")
    cards = "".join(
        f'<div class="card"><a href="/p/{i}">Story {i}</a><span>{i % 9} min read</span>'
        f"<p>A teaser for story {i} that readers skip.</p></div>\n"
        for i in range(4000)
    )
    state = json.dumps([{"id": i, "body": "lorem ipsum " * 20} for i in range(6000)])
    icons = ('<svg viewBox="0 0 9 9"><path d="' + "M1 2L3 4 " * 200 + '"/></svg>') * 300
    html = html.replace("</head>", "<style>" + ".x{margin:0}\n" * 20000 + "</style></head>")
    start = html.index(">", html.index("<body")) + 1
    html = f"{html[:start]}{icons}<div class='rail'>{cards}</div>{html[start:]}".replace(
        "</body>", f"<div class='more'>{cards}</div><script>var s={state}</script></body>"
    )
    page = tmp_path / "big.html"
    page.write_text(html, encoding="utf-8")
    assert 3 * 2**20 < page.stat().st_size < article_import.MAX_BYTES
    began = time.perf_counter()
    made = import_article(page, tmp_path / "out")
    assert time.perf_counter() - began < 15
    assert made.article.text == (PAGES / "newspaper_climate.txt").read_text(encoding="utf-8")
