"""A JupyterLab server on 127.0.0.1 and helpers to drive it from Chromium (Playwright).

Plain functions, so the browser tests' fixtures (``conftest.py``) and the benchmarks
(``benchmarks/bench_tagger.py``) start the same server the same way: ``start_lab(base)``
makes one in a folder of its own with a random token and the kit's lab settings, and
``stop_lab(server)`` ends it.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from lab_settings import LAB_SETTINGS
from pg import free_port

CHROMIUM = Path(os.environ.get("MEDIALIT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
KERNEL_TIMEOUT_S = 120
SERVER_TIMEOUT_S = 90
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@dataclass
class LabServer:
    """A running JupyterLab server and where its files live."""

    url: str
    token: str
    root_dir: Path
    process: subprocess.Popen
    log_path: Path

    def lab_url(self, path: str = "") -> str:
        """URL of a notebook (relative to root_dir) with ``?reset`` and the token."""
        return f"{self.url}/lab/tree/{path}?reset&token={self.token}"

    def api(self, method: str, path: str) -> object:
        request = urllib.request.Request(
            f"{self.url}/api/{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def write_notebook(self, name: str, sources: list[str], markdown_first: str = "") -> Path:
        """A notebook of code cells (plus an optional first markdown cell), python3 kernel."""
        import nbformat

        cells = [nbformat.v4.new_markdown_cell(markdown_first)] if markdown_first else []
        cells += [nbformat.v4.new_code_cell(source) for source in sources]
        notebook = nbformat.v4.new_notebook(cells=cells)
        notebook.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
        }
        path = self.root_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, str(path))
        return path

    def shutdown_kernels(self) -> None:
        """End every session and kernel, as a kernel restart or a new day would."""
        for session in self.api("GET", "sessions") or []:
            with contextlib.suppress(urllib.error.HTTPError):
                self.api("DELETE", f"sessions/{session['id']}")
        for kernel in self.api("GET", "kernels") or []:
            with contextlib.suppress(urllib.error.HTTPError):
                self.api("DELETE", f"kernels/{kernel['id']}")

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-4000:]

    # Browser helpers as methods, so test modules need no imports from this file.
    def open_notebook(self, page, name: str) -> None:
        open_notebook(page, self, name)

    def wait_for_kernel_idle(self, page, timeout_s: float | None = None) -> None:
        wait_for_kernel_idle(page, timeout_s or KERNEL_TIMEOUT_S)

    def run_all_cells(self, page, timeout_s: float | None = None) -> None:
        run_all_cells(page, timeout_s or KERNEL_TIMEOUT_S)

    @staticmethod
    def assert_no_widget_errors(page) -> None:
        assert_no_widget_errors(page)

    @staticmethod
    def screenshot(page, name: str) -> Path:
        """Save a full-page screenshot to test-artifacts/<name>.png."""
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


def start_lab(base: Path) -> LabServer:
    """Start JupyterLab with its root, settings, workspaces and runtime under ``base``."""
    root, settings, workspaces, runtime = (base / n for n in ("root", "settings", "ws", "rt"))
    for folder in (root, settings, workspaces, runtime):
        folder.mkdir()
    for name, value in LAB_SETTINGS.items():
        target = settings / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(value), encoding="utf-8")
    port, token = free_port(), secrets.token_hex(24)
    env = dict(os.environ)
    env.update(
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(workspaces),
        JUPYTER_RUNTIME_DIR=str(runtime),
        MEDIALIT_STUDENT=os.environ.get("MEDIALIT_STUDENT", "tester"),
    )
    env.pop("MEDIALIT_COURSE_CONFIG", None)
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.workspaces_dir={workspaces}",
        "--ServerApp.port_retries=0",
        "--allow-root",
        "--LabApp.expose_app_in_browser=True",
    ]
    log_path = base / "server.log"
    with log_path.open("w", encoding="utf-8") as log:  # the server keeps its own handle
        process = subprocess.Popen(command, env=env, cwd=root, stdout=log, stderr=subprocess.STDOUT)
    server = LabServer(f"http://127.0.0.1:{port}", token, root, process, log_path)
    deadline = time.monotonic() + SERVER_TIMEOUT_S
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with {process.returncode}:\n{server.log()}")
            try:
                server.api("GET", "status")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"JupyterLab did not answer in {SERVER_TIMEOUT_S} s:\n{server.log()}"
                    ) from exc
                time.sleep(0.5)
    except BaseException:
        stop_lab(server)
        raise
    return server


def stop_lab(server: LabServer) -> None:
    """End every kernel and the server."""
    with contextlib.suppress(Exception):
        server.shutdown_kernels()
    process = server.process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def launch_chromium(playwright, chromium: Path = CHROMIUM):
    """Headless Debian Chromium (Playwright never downloads a browser here)."""
    return playwright.chromium.launch(
        executable_path=str(chromium), headless=True, args=CHROMIUM_FLAGS
    )


# -- helpers ---------------------------------------------------------------------------

_KERNEL_READY_JS = """() => {
  const app = window.jupyterapp;
  const panel = app && app.shell.currentWidget;
  const ctx = panel && panel.sessionContext;
  const kernel = ctx && ctx.session && ctx.session.kernel;
  return !!kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle';
}"""

_ALL_RUN_JS = """() => {
  const app = window.jupyterapp;
  const panel = app && app.shell.currentWidget;
  if (!panel || !panel.content || !panel.content.widgets) return false;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  if (!kernel || kernel.status !== 'idle' || kernel.connectionStatus !== 'connected') return false;
  return panel.content.widgets
    .filter(cell => cell.model.type === 'code')
    .every(cell => cell.model.executionCount !== null);
}"""


def open_notebook(page, server: LabServer, name: str) -> None:
    """Open a notebook (relative to the server's root_dir) and wait for its kernel."""
    page.goto(server.lab_url(name))
    page.wait_for_function("() => !!window.jupyterapp", timeout=KERNEL_TIMEOUT_S * 1000)
    page.locator(".jp-Notebook").first.wait_for(state="visible", timeout=KERNEL_TIMEOUT_S * 1000)
    wait_for_kernel_idle(page)


def wait_for_kernel_idle(page, timeout_s: float = KERNEL_TIMEOUT_S) -> None:
    """Wait until the current notebook's kernel exists, is connected and idle."""
    page.wait_for_function(_KERNEL_READY_JS, timeout=timeout_s * 1000, polling=250)


def run_all_cells(page, timeout_s: float = KERNEL_TIMEOUT_S) -> None:
    """Run every cell, then wait for an idle kernel and an execution count on each code cell."""
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(_ALL_RUN_JS, timeout=timeout_s * 1000, polling=250)


def assert_no_widget_errors(page) -> None:
    """The front end failed to render a widget if this text is in the page."""
    errors = page.get_by_text("Error displaying widget")
    assert errors.count() == 0, "The page shows 'Error displaying widget'."
    tracebacks = page.locator(
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
    )
    assert tracebacks.count() == 0, f"A cell wrote to stderr: {tracebacks.first.inner_text()}"
