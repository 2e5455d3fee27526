"""Does ``medialit article new`` bring in an article exactly, and refuse bad input cleanly?

The pages in ``tests/fixtures/pages/`` are short op-eds written for these tests, each wrapped in
the markup and page debris of a kind of site, as a browser's "Save page as" writes it: a local
paper, a WordPress theme (pull quote, caption, list, correction, share and related widgets,
threaded comments), a big paper (kicker in the ``<h1>``, dateline, paywall prompt, "Read more"
line, pull quote, credit, tagline, letters note), Substack and Medium (deep nesting, subscribe
and share widgets; Medium's metadata is JSON-LD only), an AMP page, a table-layout page in
windows-1252 with ``<br><br>`` paragraphs, and a page whose ``<h1>`` is not its ``og:title``.
Beside each page, its ``.txt`` is the text a reader sees as the article: the import must give
exactly that text, so exactly its sentences and offsets. ``pages.json`` lists, for each page,
debris that must not reach the article and the metadata the import must find.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html

from medialit import article_folder, article_import, cli
from medialit.article import load_article, segment
from medialit.article_extract import decode_page, extract_page
from medialit.article_import import import_article
from medialit.errors import MedialitError

PAGES = Path(__file__).parent / "fixtures" / "pages"
LIBRARY = PAGES / "library_oped.html"
BIKES = PAGES / "bike_lanes.html"
EXPECTED = {k: v for k, v in json.loads((PAGES / "pages.json").read_text("utf-8")).items()
            if not k.startswith("_")}  # fmt: skip
PAGE_NAMES = sorted(EXPECTED)
#: Labels of page furniture (as sites write them) that no unit of any page may hold.
LABELS = re.compile(
    r"\b(?:Subscribe|Share|Related|Comments|Advertisement|ADVERTISEMENT|Read more|READ MORE|"
    r"Sign up|Newsletter|Follow|Listen)\b|[Cc]ookie"
)


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "medialit", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


# ----------------------------------------------------------------------------- saved pages


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_a_saved_page_imports_to_exactly_its_body(name, tmp_path):
    page = PAGES / f"{name}.html"
    expected = page.with_suffix(".txt").read_text(encoding="utf-8")
    out = tmp_path / "article"
    made = import_article(page, out)
    text = (out / "article.txt").read_text(encoding="utf-8")
    assert text == expected
    assert made.article.units == tuple(segment(expected))
    for unit in made.article.units:
        assert text[unit.start : unit.end] == unit.text
        assert not LABELS.search(unit.text), unit.text
    seen = lxml_html.document_fromstring(decode_page(page.read_bytes())).text_content()
    for scrap in EXPECTED[name]["debris"]:
        assert " ".join(scrap.split()) in " ".join(seen.split()), f"not on the page: {scrap}"
        assert scrap not in text, scrap
    assert sorted(p.name for p in out.iterdir()) == sorted(article_folder.FOLDER_FILES)


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_metadata_is_extracted_where_the_page_has_it(name, tmp_path):
    meta = import_article(PAGES / f"{name}.html", tmp_path / "a").metadata
    for field, value in EXPECTED[name]["metadata"].items():
        origin = "extracted" if value is not None else "not found"
        assert meta[field] == {"value": value, "from": origin}, field
    assert meta["language"] == "en" and meta["imported_from"]["kind"] == "html"
    assert meta["imported_from"]["file"] == f"{name}.html"


def test_tricky_sentences_stay_whole(tmp_path):
    article = import_article(LIBRARY, tmp_path / "a").article
    texts = [u.text for u in article.units]
    assert article.headline == "Keep the library open on Sundays"
    assert article.unit("P2.S1").text.startswith("Dr. Amara Osei, who runs")
    assert article.unit("P2.S1").text.endswith("cannot come on a weekday.”")
    assert any(t.startswith("The council’s own report") and "the U.S. keep" in t for t in texts)
    assert article.unit("P4.S1").text == "What does the town get for the money it saves?"
    assert "(10 a.m. to 2 p.m., say)" in article.unit("P5.S2").text
    assert article.unit("P6.S1").text.startswith("Mr. Patel")
    assert article.ids[-1] == "P7.S2" and len(article) == 17
    bikes = import_article(BIKES, tmp_path / "b").article
    assert "St. Anne’s School" in bikes.unit("P1.S2").text
    assert "on Jan. 12 found" in bikes.unit("P2.S2").text
    assert "(e.g. in the old market district)" in bikes.unit("P3.S3").text


def test_article_json_on_disk_is_what_read_metadata_gives(tmp_path):
    out = tmp_path / "a"
    import_article(LIBRARY, out, given={"outlet": "Riverton Ledger (print)"})
    meta = article_folder.read_metadata(out)
    assert meta == json.loads((out / "article.json").read_text(encoding="utf-8"))
    assert article_folder.metadata_value(meta, "outlet") == "Riverton Ledger (print)"
    assert meta["units"] == 17 and not article_folder.text_changed(out)
    with (out / "article.txt").open("a", encoding="utf-8") as handle:
        handle.write("\nA sentence added by hand.\n")
    assert article_folder.text_changed(out)


def test_given_fields_win_and_say_so(tmp_path):
    made = import_article(
        BIKES,
        tmp_path / "a",
        given={
            "title": "Build the Harbor Road lane",
            "section": "Opinion",
            "date": "2025-02-04",
            "author": None,
        },
    )
    fields = made.metadata
    assert fields["title"] == {"value": "Build the Harbor Road lane", "from": "given"}
    assert fields["section"] == {"value": "opinion", "from": "given"}
    assert fields["date"] == {"value": "2025-02-04", "from": "given"}
    assert fields["author"]["from"] == "extracted"
    assert made.article.unit("P0.S1").text == "Build the Harbor Road lane"
    body = BIKES.with_suffix(".txt").read_text(encoding="utf-8").split("\n\n", 1)[1]
    assert made.article.text == "Build the Harbor Road lane\n\n" + body


def test_debris_inside_the_body_is_dropped(tmp_path):
    """A 'Read more' line, a link-only teaser, an embedded post, a byline, the headline
    repeated, a subheading and an ad label inside the story's own container."""
    html = BIKES.read_text(encoding="utf-8")
    html = html.replace(
        '<div class="story-body">',
        '<div class="story-body">\n<p>Harbor Road needs a bike lane, not another study</p>'
        "\n<p>By Priya Nandakumar</p>",
    ).replace(
        "<p>There is also",
        '<p><strong>READ MORE:</strong> <a href="https://harborcitycourier.example/news/x/">'
        "Council delays vote on Harbor Road plan again</a></p>\n"
        '<p><a href="https://harborcitycourier.example/news/y/">Opinion: The ferry deserves a '
        "second look.</a></p>\n"
        '<blockquote class="twitter-tweet"><p lang="en">Harbor Road at 8 a.m. is a parking lot. '
        '<a href="https://t.co/x">pic.twitter.com/x</a></p>&mdash; Harbor Cyclists '
        '(@harborcyclists) <a href="https://twitter.com/x">January 5, 2025</a></blockquote>\n'
        "<h2>Who pays</h2>\n<p>ADVERTISEMENT</p>\n<p>There is also",
    )
    page = tmp_path / "busy.html"
    page.write_text(html, encoding="utf-8")
    import_article(page, tmp_path / "a")
    text = (tmp_path / "a" / "article.txt").read_text(encoding="utf-8")
    assert text == BIKES.with_suffix(".txt").read_text(encoding="utf-8")


def test_paragraphs_split_by_line_breaks_on_an_old_page():
    page = extract_page(
        "<html><head><title>An old page</title></head><body><div id='nav'><a href='/'>Home</a>"
        "</div><div class='content'><h1>An old page</h1><font>The first paragraph is written "
        "the old way, with two line breaks after it. It has two sentences.<br><br>\nThe second "
        "paragraph wraps<br>onto a new line. The council meets at 7 p.m. on Tuesdays in the old "
        "hall.<br>\n<br>The third paragraph ends here. Nobody minds the old markup much.</font>"
        "</div><div id='footer'>Copyright 2003</div></body></html>"
    )
    assert page is not None
    assert page.paragraphs == [
        "The first paragraph is written the old way, with two line breaks after it. "
        "It has two sentences.",
        "The second paragraph wraps onto a new line. The council meets at 7 p.m. on Tuesdays "
        "in the old hall.",
        "The third paragraph ends here. Nobody minds the old markup much.",
    ]


def test_the_headline_is_the_one_a_reader_sees():
    html = LIBRARY.read_text(encoding="utf-8").replace(
        '<meta property="og:title" content="Keep the library open on Sundays">',
        '<meta property="og:title" content="Opinion | Keep the library open on Sundays, '
        'writes Jordan Reyes">',
    )
    assert extract_page(html).title == "Keep the library open on Sundays"  # the <h1>
    no_h1 = html.replace('<h1 class="headline">Keep the library open on Sundays</h1>', "")
    assert extract_page(no_h1).title == "Keep the library open on Sundays, writes Jordan Reyes"
    logo_h1 = LIBRARY.read_text(encoding="utf-8").replace(
        '<a class="logo" href="https://www.rivertonledger.example/">The Riverton Ledger</a>',
        '<h1><a class="logo" href="/">The Riverton Ledger</a></h1>',
    )
    assert extract_page(logo_h1).title == "Keep the library open on Sundays"


# ----------------------------------------------------------------------------- plain text


@pytest.mark.parametrize("name", ["practice", "seed"])
def test_the_kits_articles_as_plain_text_give_the_same_units(name, tmp_path):
    shipped = load_article(name)
    out = tmp_path / name
    made = import_article(shipped.path, out)
    assert (out / "article.txt").read_bytes() == shipped.path.read_bytes()
    assert load_article(out).units == shipped.units
    assert made.article.units == shipped.units
    printed = run("article", "--source", name, "--format", "csv")
    assert printed.returncode == 0, printed.stderr
    assert (out / "units.csv").read_text(encoding="utf-8") == printed.stdout
    fields = made.metadata
    assert fields["title"] == {"value": shipped.headline, "from": "extracted"}
    assert {fields[n]["from"] for n in ("outlet", "author", "date", "url", "section")} == {
        "not found"
    }
    assert made.metadata["imported_from"]["kind"] == "text"


def test_a_text_that_opens_like_an_email_header_is_still_text(tmp_path):
    text = "From: the editors\n\n" + BIKES.with_suffix(".txt").read_text(encoding="utf-8")
    source = tmp_path / "note.txt"
    source.write_text(text, encoding="utf-8")
    assert import_article(source, tmp_path / "a").article.headline == "From: the editors"


def test_text_with_windows_line_ends_or_one_paragraph_a_line(tmp_path):
    expected = BIKES.with_suffix(".txt").read_text(encoding="utf-8")
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(b"\xef\xbb\xbf" + expected.replace("\n", "\r\n").encode("utf-8"))
    assert import_article(crlf, tmp_path / "a").article.text == expected
    lines = tmp_path / "lines.txt"
    lines.write_text(expected.replace("\n\n", "\n"), encoding="utf-8")
    assert import_article(lines, tmp_path / "b").article.units == tuple(segment(expected))


# ----------------------------------------------------------------------------- the folder


def test_load_article_of_the_folder_matches_units_csv(tmp_path):
    out = tmp_path / "a"
    import_article(LIBRARY, out)
    article = load_article(out)
    rows = list(csv.DictReader(io.StringIO((out / "units.csv").read_text(encoding="utf-8"))))
    assert [r["id"] for r in rows] == article.ids
    for row, unit in zip(rows, article.units, strict=True):
        assert (int(row["start"]), int(row["end"]), row["text"]) == (
            unit.start,
            unit.end,
            unit.text,
        )
        assert (int(row["paragraph"]), int(row["sentence"])) == (unit.paragraph, unit.sentence)


def test_a_folder_that_holds_files_is_refused_unless_forced(tmp_path):
    out = tmp_path / "a"
    out.mkdir()
    (out / "reference.csv").write_text("kept\n", encoding="utf-8")
    with pytest.raises(MedialitError, match="already holds files"):
        import_article(LIBRARY, out)
    assert listing(out) == ["reference.csv"]
    made = import_article(LIBRARY, out, force=True)
    assert made.kept == ["reference.csv"]
    assert (out / "reference.csv").read_text(encoding="utf-8") == "kept\n"
    import_article(BIKES, out, force=True)
    assert load_article(out).headline == "Harbor Road needs a bike lane, not another study"
    names = sorted([*article_folder.FOLDER_FILES, "reference.csv"])
    assert listing(tmp_path) == ["a", *(f"a/{n}" for n in names)]  # no temporary folder left


def test_an_empty_folder_is_used(tmp_path):
    out = tmp_path / "a"
    out.mkdir()
    import_article(LIBRARY, out)
    assert sorted(p.name for p in out.iterdir()) == sorted(article_folder.FOLDER_FILES)


# ----------------------------------------------------------------------------- bad input

FRONT_PAGE = """<!DOCTYPE html><html lang="en"><head><title>The Riverton Ledger</title></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/opinion">Opinion</a></nav>
<div class="cookie-banner"><p>We use cookies to improve your experience.</p></div>
<ul class="headlines">
<li><a href="/news/1">Council votes to close two branch libraries on weekends</a></li>
<li><a href="/news/2">Old Mill Bridge will close for repairs until September</a></li>
<li><a href="/news/3">Tigers win the county title in extra innings</a></li>
</ul><footer>All rights reserved.</footer></body></html>"""


def _bad_inputs(tmp: Path) -> dict[str, tuple[Path, dict, str]]:
    """name -> (source, given fields, words the error must contain)."""
    files = {
        "front_page.html": FRONT_PAGE.encode(),
        "empty.txt": b"",
        "blank.html": b"  \n\n \t\n",
        "picture.html": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
        "scan.txt": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        "latin1.txt": "Une tribune\n\nLe café est fermé.".encode("latin-1"),
        "headline_only.txt": b"Just a headline\n",
        "page.mhtml": b"MIME-Version: 1.0\r\nContent-Type: multipart/related\r\n\r\n",
        "saved.html.gz": gzip.compress(LIBRARY.read_bytes()),
        "big.txt": b"Headline\n\n" + b"A sentence of a very long article. " * 160_000,
    }
    for name, data in files.items():
        (tmp / name).write_bytes(data)
    (tmp / "folder").mkdir()
    return {
        "no article": (tmp / "front_page.html", {}, "No article text was found"),
        "empty": (tmp / "empty.txt", {}, "is empty"),
        "blank": (tmp / "blank.html", {}, "is empty"),
        "binary": (tmp / "picture.html", {}, "binary file"),
        "pdf": (tmp / "scan.txt", {}, "is a PDF"),
        "not utf-8": (tmp / "latin1.txt", {}, "not UTF-8"),
        "no body": (tmp / "headline_only.txt", {}, "no body paragraphs"),
        "web archive": (tmp / "page.mhtml", {}, "web archive"),
        "gzip": (tmp / "saved.html.gz", {}, "is a compressed gzip file"),
        "oversized": (tmp / "big.txt", {}, "MB"),
        "missing": (tmp / "nowhere.html", {}, "does not exist"),
        "a folder": (tmp / "folder", {}, "is a folder"),
        "french": (PAGES / "french_oped.html", {}, "another language (code 'fr')"),
        "bad date": (LIBRARY, {"date": "14/06/2024"}, "YYYY-MM-DD"),
        "bad url": (LIBRARY, {"url": "rivertonledger"}, "not a web address"),
        "empty author": (LIBRARY, {"author": "  "}, "--author is empty"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "no article",
        "empty",
        "blank",
        "binary",
        "pdf",
        "not utf-8",
        "no body",
        "web archive",
        "gzip",
        "oversized",
        "missing",
        "a folder",
        "french",
        "bad date",
        "bad url",
        "empty author",
    ],
)
def test_bad_input_gets_one_sentence_and_nothing_is_written(case, tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    source, given, words = _bad_inputs(inputs)[case]
    work = tmp_path / "work"
    work.mkdir()
    with pytest.raises(MedialitError) as caught:
        import_article(source, work / "out", given=given)
    message = str(caught.value)
    assert words in message
    assert message.endswith(".") and "\n" not in message
    assert listing(work) == []


def test_the_size_cap_is_checked_before_reading(tmp_path):
    assert article_import.MAX_BYTES == 5 * 1024 * 1024
    big = tmp_path / "big.html"
    with big.open("wb") as handle:
        handle.truncate(article_import.MAX_BYTES + 1)
    with pytest.raises(MedialitError, match=r"5\.0 MB, more than the 5 MB"):
        import_article(big, tmp_path / "out")
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_is_refused(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(LIBRARY.read_bytes())
    page.chmod(0)
    try:
        with pytest.raises(MedialitError, match="permission denied"):
            import_article(page, tmp_path / "out")
    finally:
        page.chmod(0o600)
    assert not (tmp_path / "out").exists()


def test_a_failed_write_leaves_nothing(tmp_path, monkeypatch):
    def broken(folder, *args):
        (folder / "article.txt").write_text("half", encoding="utf-8")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(article_import.folder_format, "write_folder", broken)
    with pytest.raises(MedialitError, match="No space left on device"):
        import_article(LIBRARY, tmp_path / "out")
    assert listing(tmp_path) == []


# ----------------------------------------------------------------------------- the command


def test_cli_new_then_from_prints_the_folders_units(tmp_path):
    made = run("article", "new", str(LIBRARY), "--out", "lib", "--outlet", "Ledger", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "Imported 17 units (7 paragraphs) into lib" in made.stdout
    assert "outlet   Ledger  (given)" in made.stdout
    assert "author   Jordan Reyes  (extracted)" in made.stdout
    printed = run("article", "--from", "lib", "--format", "csv", cwd=tmp_path)
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout == (tmp_path / "lib" / "units.csv").read_text(encoding="utf-8")
    assert printed.stderr == ""
    as_json = run("article", "--from", "lib", "--format", "json", cwd=tmp_path)
    records = json.loads(as_json.stdout)
    assert [r["id"] for r in records] == load_article(tmp_path / "lib").ids
    assert records[0] == {
        "id": "P0.S1",
        "paragraph": 0,
        "sentence": 1,
        "start": 0,
        "end": 32,
        "text": "Keep the library open on Sundays",
    }
    table = run("article", "--from", "lib", cwd=tmp_path)
    assert table.returncode == 0 and "P7.S2" in table.stdout


def test_cli_refuses_with_one_line_and_exit_2(tmp_path, capsys):
    code = cli.main(
        ["article", "new", str(PAGES / "french_oped.html"), "--out", str(tmp_path / "x")]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("medialit: error: ") and err.count("\n") == 1
    assert not (tmp_path / "x").exists()
    front = tmp_path / "front.html"
    front.write_text(FRONT_PAGE, encoding="utf-8")
    assert cli.main(["article", "new", str(front), "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("medialit: error: No article text") and err.count("\n") == 1
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine", encoding="utf-8")
    assert cli.main(["article", "new", str(LIBRARY), "--out", str(tmp_path / "full")]) == 2
    assert "--force" in capsys.readouterr().err
    assert cli.main(["article", "--from", str(tmp_path / "full")]) == 2
    assert "not an article folder" in capsys.readouterr().err


def test_cli_notes_a_units_csv_that_no_longer_matches(tmp_path, capsys):
    out = tmp_path / "a"
    import_article(LIBRARY, out)
    text = (out / "article.txt").read_text(encoding="utf-8")
    (out / "article.txt").write_text(text.replace("Keep the", "Please keep the"), encoding="utf-8")
    assert cli.main(["article", "--from", str(out), "--format", "csv"]) == 0
    captured = capsys.readouterr()
    assert "no longer matches" in captured.err
    assert captured.out.splitlines()[1].endswith("Please keep the library open on Sundays")


def test_the_seed_and_source_options_still_work(capsys):
    assert cli.main(["article", "--format", "csv"]) == 0
    seed = capsys.readouterr().out
    assert seed == article_folder.units_csv(load_article())
    assert cli.main(["article", "--source", "practice", "--format", "csv"]) == 0
    assert capsys.readouterr().out == article_folder.units_csv(load_article("practice"))
