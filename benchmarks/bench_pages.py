"""The portal page and the 图解 of one report against its Word file, side by side in one run.

The Word render (a prepared template reused) is the unit: the page should cost
no more than it, so that ``batch --html`` adds little; the 图解 is drawn by
matplotlib and costs far more, which is why ``--charts`` is asked for, not
always done.  The charts' fonts are found and loaded once, before timing.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

import docgen
from docgen.outputs.charts import render_charts
from docgen.outputs.docx.template import default_template
from docgen.outputs.html import page

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "qingshan-natural-resources-2024.toml"


def _best(rounds: int, runs: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(runs):
            work()
        best = min(best, (time.perf_counter() - start) / runs)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=30, help="pages and Word files per round")
    parser.add_argument("--charts", type=int, default=3, help="图解 per round")
    parser.add_argument("--rounds", type=int, default=3, help="best of this many rounds")
    args = parser.parse_args()

    report = docgen.check(EXAMPLE).require()
    prepared = default_template(report.format.name)
    render_charts(report)  # fonts found and registered once, as in a batch's worker
    word = _best(args.rounds, args.n, lambda: prepared.render(report))
    html = _best(args.rounds, args.n, lambda: page(report))
    charts = _best(args.rounds, args.charts, lambda: render_charts(report))
    print(f"report: {EXAMPLE.name}, best of {args.rounds} rounds")
    print(f"Word file (prepared template)   : {word * 1e3:8.2f} ms")
    print(f"portal page                     : {html * 1e3:8.2f} ms   ({html / word:5.2f}x the Word file)")
    print(f"图解 (long image and 3 charts)  : {charts * 1e3:8.2f} ms   ({charts / word:5.0f}x the Word file)")


if __name__ == "__main__":
    main()
