"""Rendering one report through docgen's prepared template against a plain docxtpl render, side by side.

The plain render is what a docxtpl user writes: a new DocxTemplate, render, save,
for each report.  docgen prepares the same template once and reuses it.  Both get the
same data and the same Jinja environment; the outputs are checked to read the same.
"""

from __future__ import annotations

import argparse
import io
import time
from collections.abc import Callable
from pathlib import Path

from docxtpl import DocxTemplate

import docgen
from docgen.outputs.docx.template import context, default_template, environment, template_path
from docgen.testing import document_texts

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "qingshan-natural-resources-2024.toml"


def _timed(runs: int, render: Callable[[], bytes]) -> float:
    start = time.perf_counter()
    for _ in range(runs):
        render()
    return (time.perf_counter() - start) / runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=30, help="renders per round")
    parser.add_argument("--rounds", type=int, default=3, help="best of this many rounds, alternating")
    args = parser.parse_args()

    report = docgen.check(EXAMPLE).require()
    values = context(report)
    path = template_path(report.format.name)
    prepared = default_template(report.format.name)

    def plain() -> bytes:
        tpl = DocxTemplate(str(path))
        tpl.render(values, jinja_env=environment(), autoescape=True)
        out = io.BytesIO()
        tpl.save(out)
        return out.getvalue()

    def ours() -> bytes:
        return prepared.render(report)

    same = document_texts(plain()) == document_texts(ours())
    best_plain, best_ours = float("inf"), float("inf")
    for _ in range(args.rounds):
        best_plain = min(best_plain, _timed(args.n, plain))
        best_ours = min(best_ours, _timed(args.n, ours))
    print(f"report: {EXAMPLE.name}, {args.n} renders a round, best of {args.rounds} rounds")
    print(f"plain docxtpl (new, render, save) : {best_plain * 1e3:7.2f} ms/render")
    print(f"docgen, prepared template reused  : {best_ours * 1e3:7.2f} ms/render")
    print(f"speed-up                          : {best_plain / best_ours:7.1f}x  (target: at least 15x)")
    print(f"same text and cells               : {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
