"""axe-core (npm) over the kit's widget outputs in a JupyterLab page.

``.ci/run`` installs axe-core with npm (``npm install -g axe-core@4``); ``find_axe()`` finds
its ``axe.min.js`` under ``npm root -g`` (or ``MEDIALIT_AXE``). ``serious_violations(page)``
injects it and runs it over the output areas of the open notebook (the kit's widgets, text and
charts; JupyterLab's own chrome is not ours to fix) and returns the violations axe rates
serious or critical, one line each, naming the rule and the first offending element.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SEVERE = ("serious", "critical")
#: What is checked: every output area of the notebook on show.
SCOPE = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output"


def find_axe() -> Path:
    """axe.min.js, or skip (fail under CI, where .ci/run installs it)."""
    candidates = []
    if os.environ.get("MEDIALIT_AXE"):
        candidates.append(Path(os.environ["MEDIALIT_AXE"]))
    if shutil.which("npm"):
        done = subprocess.run(["npm", "root", "-g"], capture_output=True, text=True, check=False)
        if done.returncode == 0 and done.stdout.strip():
            candidates.append(Path(done.stdout.strip()) / "axe-core" / "axe.min.js")
    for path in candidates:
        if path.is_file():
            return path
    message = "axe-core is not installed: run 'npm install -g axe-core@4' (.ci/run does)."
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


_RUN = """async (scope) => {
  const nodes = Array.from(document.querySelectorAll(scope));
  if (!nodes.length) return [];
  const result = await axe.run(nodes, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    where: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' + n.html.slice(0, 160)),
  }));
}"""


def serious_violations(page, axe: Path, scope: str = SCOPE) -> list[str]:
    """One line per serious or critical axe violation in ``scope`` of the page."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe))
    found = page.evaluate(_RUN, scope)
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at {' | '.join(v['where'])}"
        for v in found
        if v["impact"] in SEVERE
    ]
