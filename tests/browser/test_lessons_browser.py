"""Each lesson in a real browser: JupyterLab runs all cells, every widget renders, no errors.

One JupyterLab server (127.0.0.1, random token, its own settings and workspaces) serves a
temporary copy of notebooks/, and Debian's Chromium opens each lesson in turn. Fixtures are
local to this module (named ``lessons_*``) so they do not clash with shared ones.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from medialit import paths

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LESSONS = sorted(p.name for p in paths.notebooks_dir().glob("0[0-8]_*.ipynb"))
#: What each kind of code cell must show once rendered (CSS class added by the kit).
EXPECTED = {
    "question(": ".ml-question",
    "choice(": ".ml-choice-box",
    "tag(": ".medialit-tagger",
    "verdicts(": ".ml-verdicts",
    "show_rewrite(": ".ml-rewrite",
}
KERNEL_READY = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (!w || !w.sessionContext || !w.sessionContext.session) return false;
  const k = w.sessionContext.session.kernel;
  return !!k && k.connectionStatus === 'connected' && k.status === 'idle';
}"""
ALL_RAN = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const k = w.sessionContext.session.kernel;
  const cells = w.content.widgets.filter(c => c.model.type === 'code');
  return k.status === 'idle' && cells.every(c => c.model.executionCount);
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lessons_lab(tmp_path_factory) -> Iterator[tuple[str, str, Path]]:
    """A JupyterLab server on a copy of the lessons: (base url, token, folder)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    base = tmp_path_factory.mktemp("lab")
    root = base / "notebooks"
    shutil.copytree(paths.notebooks_dir(), root)
    settings = base / "settings"
    (settings / "@jupyterlab" / "notebook-extension").mkdir(parents=True)
    (settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings").write_text(
        json.dumps({"windowingMode": "none"})
    )
    (settings / "@jupyterlab" / "apputils-extension").mkdir(parents=True)
    (
        settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    ).write_text(json.dumps({"checkForUpdates": False, "fetchNews": "false"}))
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(settings), MEDIALIT_STUDENT="browser")
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.workspaces_dir={base / 'workspaces'}",
        "--expose-app-in-browser",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = (base / "server.log").open("w")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"JupyterLab exited: {(base / 'server.log').read_text()}")
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start within 60 s")
        yield url, token, root
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="module")
def lessons_browser() -> Iterator:
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def _expected(notebook: Path) -> dict[str, int]:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    counts: dict[str, int] = {}
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        for call, css in EXPECTED.items():
            if re.match(re.escape(call), source):
                counts[css] = counts.get(css, 0) + 1
    return counts


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_runs_in_jupyterlab(name, lessons_lab, lessons_browser, tmp_path):
    """Does the lesson run all its cells in JupyterLab, with every widget rendered?"""
    url, token, root = lessons_lab
    page = lessons_browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"{url}/lab/tree/{name}?reset&token={token}")
        page.wait_for_function("() => !!window.jupyterapp", timeout=90_000)
        page.wait_for_function(KERNEL_READY, timeout=90_000)
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_function(ALL_RAN, timeout=120_000, polling=500)
        page.wait_for_timeout(1500)  # let widget views attach
        body = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
        assert page.get_by_text("Error displaying widget").count() == 0
        assert body.locator(".jp-OutputArea-output[data-mime-type*='stderr']").count() == 0
        assert body.locator(".jp-RenderedText[data-mime-type*='error']").count() == 0
        for css, count in _expected(root / name).items():
            found = body.locator(css).count()
            assert found == count, f"{name}: {found} rendered {css}, expected {count}"
        if os.environ.get("MEDIALIT_SCREENSHOTS"):  # to look at a lesson as a student would
            folder = Path(os.environ["MEDIALIT_SCREENSHOTS"])
            folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    except BaseException:
        page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
        raise
    finally:
        page.close()
