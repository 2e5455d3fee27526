"""Steps the tagger's and the author mode's browser tests share: show the widget of a notebook,
wait for a file on disk to say what a click saved, and reopen the notebook with a new kernel.

Both widgets draw the same front end (``static/tagger.js``), so the steps are the same; what
each test reads from disk (an answers file, a reference file) is passed in.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")


def show_widget(page, server, notebook: str) -> None:
    """Open ``notebook``, run every cell and wait for the widget, drawn without errors."""
    server.open_notebook(page, notebook)
    server.run_all_cells(page)
    page.locator(".medialit-tagger").wait_for(state="visible", timeout=60_000)
    server.assert_no_widget_errors(page)


def wait_on_disk(
    read: Callable[[], T], done: Callable[[T], bool], wanted: Any, seconds: float = 10
) -> T:
    """What ``read`` finds once ``done`` says it is what a click saved; fail after ``seconds``
    naming what was on disk and what was ``wanted``."""
    deadline = time.monotonic() + seconds
    while True:
        found = read()
        if done(found):
            return found
        assert time.monotonic() < deadline, f"on disk {found}, wanted {wanted}"
        time.sleep(0.05)


@contextlib.contextmanager
def reopened(page, browser, server, notebook: str, screenshot: str) -> Iterator[Any]:
    """Close ``page``, end every kernel (as after closing the notebook or a restart), and
    yield a new page showing ``notebook`` again; a failure saves ``screenshot`` first."""
    page.close()
    server.shutdown_kernels()
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    try:
        show_widget(page, server, notebook)
        yield page
    except Exception:
        server.screenshot(page, screenshot)
        raise
    finally:
        page.context.close()
