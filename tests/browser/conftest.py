"""Real-browser fixtures: JupyterLab on 127.0.0.1 driven by Debian's Chromium via Playwright.

Reusable by any browser test (the tagger's, the lesson notebooks'). What you get:

- ``lab_server`` (session): a JupyterLab server on a free port with a random token, its own
  settings (``windowingMode: none`` so every cell is in the page; news and update checks off),
  its own workspaces and runtime folders, and a temporary ``root_dir`` to put notebooks in.
  ``lab_server.write_notebook(name, sources)`` writes a notebook with the ``python3``
  kernelspec; ``lab_server.shutdown_kernels()`` ends every kernel (a "kernel restart").
- ``browser`` (session): headless Chromium from ``/usr/bin/chromium`` with offline flags.
  Without Chromium the tests skip with a reason, except under CI (``CI`` set), where a missing
  browser is a failure.
- ``lab_page`` (per test): a fresh browser page; on failure a screenshot lands in
  ``test-artifacts/<test name>.png``.
- helpers, as ``lab_server`` methods: ``open_notebook(page, name)``,
  ``wait_for_kernel_idle(page)``, ``run_all_cells(page)``, ``assert_no_widget_errors(page)``
  and ``screenshot(page, name)``.

The server and the helpers live in ``labserver.py`` (plain functions, which the benchmarks
use too). Run browser tests one at a time (``pytest -m browser``); a kernel can take 60-90 s
to start on a busy two-core machine, so the waits are generous.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from labserver import (  # noqa: F401 (helpers re-exported for the test modules)
    ARTIFACTS,
    CHROMIUM,
    KERNEL_TIMEOUT_S,
    LabServer,
    assert_no_widget_errors,
    launch_chromium,
    open_notebook,
    run_all_cells,
    start_lab,
    stop_lab,
    wait_for_kernel_idle,
)


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """Debian's Chromium: skip without it, but fail under CI, where it must be installed."""
    if not CHROMIUM.is_file():
        message = (
            f"{CHROMIUM} is missing: install Debian's Chromium with 'apt-get install chromium' "
            "(.ci/run does) to run the real-browser tests."
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory, chromium_path) -> LabServer:
    """A JupyterLab server of its own (see the module docstring)."""
    try:
        server = start_lab(tmp_path_factory.mktemp("lab"))
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        yield server
    finally:
        stop_lab(server)


@pytest.fixture(scope="session")
def browser(chromium_path):
    """Headless Chromium driven by Playwright (never downloads a browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright, chromium_path)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_failed = report.failed
    return report


@pytest.fixture
def lab_page(browser, request):
    """A fresh page (own context); a screenshot goes to test-artifacts/ if the test fails."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        yield page
    finally:
        if getattr(request.node, "browser_failed", False):
            ARTIFACTS.mkdir(exist_ok=True)
            with contextlib.suppress(Exception):
                page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        context.close()
