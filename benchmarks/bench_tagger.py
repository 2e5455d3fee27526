"""How fast is the tagger, kernel side? Run: ``python benchmarks/bench_tagger.py [--repeat N]``.

Prints medians of

1. save: a label change arriving as a front-end edit (``ToggleButton.set_state``) until the
   answer is on disk (the handler returns only after the atomic, fsynced write), against
   ``AnswerFile.set_tags`` alone (same write, no widget) as the baseline;
2. build: constructing the tagger for the whole article (role only, and all five layers),
   against a plain ``ipywidgets.VBox`` of one ``HTML`` widget per unit as the baseline.

Outside a kernel, widgets talk to a stand-in comm, so the figures leave out the network and
the browser's rendering; they measure the Python work a kernel does.
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
        tagger.label_buttons["role"][labels[i % 2]].set_state({"value": True})

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="runs per figure (default 30)")
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
