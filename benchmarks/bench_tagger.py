"""How fast is the tagger? Run: ``python benchmarks/bench_tagger.py [--repeat N] [--browser]``.

Prints medians of

1. save: a label change arriving as the front end sends it (``Tagger.handle`` with a
   ``choose`` action) until the answer is on disk (it returns only after the atomic, fsynced
   write) and the page's answers are sent back, against ``AnswerFile.set_tags`` alone (same
   write, no widget) as the baseline. Target: at most 10 ms;
2. build: constructing the tagger for the whole article (role only, and all five layers),
   against a plain ``ipywidgets.VBox`` of one ``HTML`` widget per unit as the baseline.
   Target: at most 1.5x the baseline;
3. with ``--browser``: in JupyterLab in Debian's Chromium (Playwright), a key press (``j``)
   until the next sentence is highlighted, median of 20, against a ``requestAnimationFrame``
   round trip on the same page (the browser's own floor for a change to show).

Outside a kernel, widgets talk to a stand-in comm, so figures 1 and 2 leave out the network
and the browser's rendering; they measure the Python work a kernel does.
"""

from __future__ import annotations

import argparse
import html
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import ipywidgets as widgets

from medialit.answers import open_answers
from medialit.article import load_article
from medialit.tagger import Tagger


def median_ms(action: Callable[[int], None], repeat: int) -> float:
    times = []
    for i in range(repeat):
        start = time.perf_counter()
        action(i)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bench_save(folder: Path, repeat: int) -> tuple[float, float]:
    tagger = Tagger("bench_save", folder=folder)
    labels = ["thesis", "claim"]

    def click(i: int) -> None:
        action = {"type": "choose", "unit": "P0.S1", "layer": "role", "on": True}
        tagger.handle({**action, "label": labels[i % 2]})

    widget_ms = median_ms(click, repeat)
    saved = json.loads(tagger.path.read_text(encoding="utf-8"))
    expected = labels[(repeat - 1) % 2]
    if saved["tags"]["P0.S1"]["role"] != [expected]:
        sys.exit(f"bench: the last click ({expected}) is not on disk: {saved['tags']}")

    plain = open_answers("bench_plain", folder=folder)
    plain_ms = median_ms(lambda i: plain.set_tags("P0.S1", "role", labels[i % 2]), repeat)
    return widget_ms, plain_ms


def bench_build(folder: Path, repeat: int) -> tuple[float, float, float, int]:
    article = load_article("seed")
    role_ms = median_ms(lambda i: Tagger(f"bench_build_{i}", folder=folder), repeat)
    all_ms = median_ms(
        lambda i: Tagger(
            f"bench_all_{i}",
            layers=("role", "statement", "evidence", "devices", "frame"),
            folder=folder,
        ),
        repeat,
    )

    def plain(_i: int) -> None:
        widgets.VBox([widgets.HTML(html.escape(u.text)) for u in article.units])

    return role_ms, all_ms, median_ms(plain, repeat), len(article.units)


#: In the page: press-to-highlight for one key, timed from the keydown's dispatch to the
#: moment the next sentence carries aria-selected (a MutationObserver sees it).
_KEY_TO_HIGHLIGHT = """async () => {
  const article = document.querySelector('.medialit-article');
  const before = article.getAttribute('aria-activedescendant');
  const start = performance.now();
  const seen = new Promise(resolve => {
    const observer = new MutationObserver(() => {
      if (article.getAttribute('aria-activedescendant') !== before) {
        observer.disconnect();
        resolve(performance.now() - start);
      }
    });
    observer.observe(article, {attributes: true, subtree: true});
  });
  article.dispatchEvent(new KeyboardEvent('keydown', {key: 'j', bubbles: true}));
  const ms = await seen;
  await new Promise(r => requestAnimationFrame(() => r()));  // painted
  return [ms, performance.now() - start];
}"""
_FRAME = """async () => {
  const start = performance.now();
  await new Promise(r => requestAnimationFrame(() => r()));
  return performance.now() - start;
}"""


def bench_browser(samples: int = 20) -> tuple[float, float, float]:
    """Key press -> highlight in JupyterLab in Chromium (ms): to the DOM change, to the next
    painted frame, and a bare requestAnimationFrame round trip (the floor)."""
    kit = Path(__file__).resolve().parents[1]
    sys.path[:0] = [str(kit / "tests"), str(kit / "tests" / "browser")]
    from labserver import launch_chromium, start_lab, stop_lab
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        server = start_lab(Path(tmp))
        try:
            import nbformat

            cells = ["from medialit.tagger import tag", 'tag("bench_keys", folder="answers")']
            notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
            notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
            nbformat.write(notebook, str(server.root_dir / "keys.ipynb"))
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright)
                page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
                server.open_notebook(page, "keys.ipynb")
                server.run_all_cells(page)
                page.locator(".medialit-article").wait_for(state="visible", timeout=60_000)
                page.locator(".medialit-article").focus()
                dom, painted, frames = [], [], []
                for i in range(samples):
                    if i % 19 == 18:
                        page.keyboard.press("Home")
                    a, b = page.evaluate(_KEY_TO_HIGHLIGHT)
                    dom.append(a)
                    painted.append(b)
                    frames.append(page.evaluate(_FRAME))
                browser.close()
        finally:
            stop_lab(server)
    return statistics.median(dom), statistics.median(painted), statistics.median(frames)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="runs per figure (default 30)")
    parser.add_argument(
        "--browser", action="store_true", help="also time a key press in Chromium (~1 min)"
    )
    args = parser.parse_args(argv)
    repeat = max(3, args.repeat)
    Tagger("warm_up", folder=tempfile.mkdtemp())  # imports, article and scheme caches
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        widget_ms, plain_ms = bench_save(folder, repeat)
        role_ms, all_ms, vbox_ms, units = bench_build(folder, repeat)
    print(f"medians over {repeat} runs (ms)")
    print(f"save  label change -> on disk (widget)     {widget_ms:8.2f}")
    ratio = widget_ms / plain_ms
    print(f"      baseline AnswerFile.set_tags         {plain_ms:8.2f}   ratio {ratio:5.1f}x")
    print(f"build tagger, {units} units, role            {role_ms:8.2f}")
    print(f"build tagger, {units} units, all 5 layers    {all_ms:8.2f}")
    print(
        f"      baseline VBox of {units} HTML widgets     {vbox_ms:8.2f}   "
        f"ratio {role_ms / vbox_ms:5.1f}x (role), {all_ms / vbox_ms:5.1f}x (all)"
    )
    print(
        f"targets: save <= 10 ms: {'met' if widget_ms <= 10 else 'NOT met'}; "
        f"build <= 1.5x: {'met' if role_ms / vbox_ms <= 1.5 else 'NOT met'} (role), "
        f"{'met' if all_ms / vbox_ms <= 1.5 else 'NOT met'} (all)"
    )
    if args.browser:
        dom, painted, frame = bench_browser()
        print("browser (JupyterLab in Chromium, 1280x900), medians of 20 (ms)")
        print(f"key j -> next sentence highlighted (DOM)   {dom:8.2f}")
        print(f"key j -> highlighted and painted           {painted:8.2f}")
        ratio = painted / frame
        print(f"      baseline requestAnimationFrame       {frame:8.2f}   ratio {ratio:5.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
