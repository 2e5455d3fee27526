"""In JupyterLab in a real browser: does the author mode write what the instructor sets?

A notebook calls ``author(DIR)`` on an article folder (the practice op-ed). The test sets, for
the headline, a role (then accepts a second role and makes it an anchor again), a device with
its cue words, and rationales, all with clicks and typing, and reads ``DIR/reference.csv`` on
disk after each step. Then it reopens the notebook with a new kernel and finds the work shown.
"""

from __future__ import annotations

import csv
import io
import os
import shutil

import pytest
from axe import find_axe, serious_violations
from widget_page import reopened, show_widget, wait_on_disk

from medialit import paths
from medialit.article import load_article

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOK = "author_check.ipynb"


def _row(path, unit: str, layer: str) -> dict[str, str] | None:
    """One row of the reference as saved (None while the file is missing or mid-write)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    for row in csv.DictReader(io.StringIO(text)):
        if row["id"] == unit and row["layer"] == layer:
            return row
    return None


def _wait_row(path, unit: str, layer: str, **want: str) -> dict[str, str]:
    return wait_on_disk(
        lambda: _row(path, unit, layer),
        lambda row: row is not None and all(row[key] == value for key, value in want.items()),
        want,
    )


def test_author_sets_label_anchor_cue_and_rationale(lab_server, browser, lab_page):
    folder = lab_server.root_dir / "myarticle"
    folder.mkdir(exist_ok=True)
    shutil.copy(paths.data_file("practice_oped.txt"), folder / "article.txt")
    reference = folder / "reference.csv"
    lab_server.write_notebook(
        NOTEBOOK,
        ["from medialit.author import author", 'author("myarticle")'],
        markdown_first="Write the reference for my article.",
    )
    page = lab_page
    show_widget(page, lab_server, NOTEBOOK)
    widget = page.locator(".medialit-tagger")
    assert widget.get_attribute("aria-label") == "Reference author for myarticle"
    units = load_article(folder).ids
    assert f"0 of {len(units)} done" in page.locator(".medialit-progress").inner_text()
    # opening writes every row, not annotated yet, so the file can be edited by hand too
    assert _wait_row(reference, units[-1], "frame", label="", anchor="") is not None

    # the label, as a student would choose it: an anchor until something else is accepted
    page.locator(".medialit-label-role-thesis").click()
    _wait_row(reference, "P0.S1", "role", label="thesis", accepted="thesis", anchor="yes")
    page.locator(".medialit-accept-role-claim").click()
    _wait_row(reference, "P0.S1", "role", label="thesis", accepted="thesis;claim", anchor="no")
    anchor = page.locator(".medialit-author-anchor-role")
    page.wait_for_function("() => !document.querySelector('.medialit-author-anchor-role').checked")
    anchor.check()
    _wait_row(reference, "P0.S1", "role", accepted="thesis", anchor="yes")
    why = page.locator(".medialit-author-rationale-role")
    why.fill("The headline states the position the whole piece argues for.")
    why.press("Tab")  # leaving the box saves it
    _wait_row(
        reference,
        "P0.S1",
        "role",
        rationale="The headline states the position the whole piece argues for.",
    )
    # the evidence row follows the role: it does not apply to a thesis
    evidence = _wait_row(reference, "P0.S1", "evidence", label="", anchor="no")
    assert evidence["rationale"].startswith("Not evidence")

    # a device and its cue words (they must occur in the headline)
    page.locator(".medialit-label-devices-figurative").click()
    _wait_row(reference, "P0.S1", "devices", label="figurative", anchor="yes")
    cue = page.locator(".medialit-cues-figurative")
    cue.wait_for(state="visible")
    cue.fill("in the same room")
    cue.press("Enter")
    devices = _wait_row(reference, "P0.S1", "devices", cues="figurative: in the same room")
    assert devices["accepted"] == "figurative" and devices["anchor"] == "yes"
    page.wait_for_function(  # the row's problems, drawn from the kernel's check
        "() => { const t = document.querySelector('.medialit-author-problems-devices').innerText;"
        " return t.includes('rationale is empty') && !t.includes('cue'); }"
    )
    if os.environ.get("MEDIALIT_SCREENSHOTS"):
        lab_server.screenshot(page, "author_after_edits")
    lab_server.assert_no_widget_errors(page)
    assert serious_violations(page, find_axe()) == []

    # reopen with a new kernel: the work is read back from the file
    with reopened(page, browser, lab_server, NOTEBOOK, "author_reopened") as page:
        page.locator(".medialit-unit-P0-S1").click()
        page.wait_for_function(
            "() => document.querySelector('.medialit-label-role-thesis')"
            ".classList.contains('mod-active')"
        )
        assert page.locator(".medialit-author-anchor-role").is_checked()
        assert (
            page.locator(".medialit-author-rationale-role")
            .input_value()
            .startswith("The headline states")
        )
        assert page.locator(".medialit-cues-figurative").input_value() == "in the same room"
        lab_server.assert_no_widget_errors(page)
