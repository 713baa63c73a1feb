"""Full docgen validation against a bare jsonschema check of the same documents, measured side by side.

Both start from the parsed document; docgen adds the arithmetic, the placeholders, the
figures quoted in the text and the plausibility checks, and builds the report of each valid
one (``docgen.check``).  Prints time per report and the ratio.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from typing import Any

import jsonschema

import docgen
from benchmarks.generate import report
from docgen.inputs import Source, TextLocator
from docgen.schema import for_format


def _best_of(rounds: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=10_000, help="reports to validate")
    parser.add_argument("--rounds", type=int, default=3, help="take the best of this many rounds, alternating")
    args = parser.parse_args()

    rng = random.Random(2024)
    docs: list[dict[str, Any]] = [report(rng, rng.choice(["2021", "2019"]), broken=i % 10 == 0) for i in range(args.n)]
    sources = [Source(f"r{i}.toml", doc, TextLocator(f"r{i}.toml", "", "toml")) for i, doc in enumerate(docs)]
    bare = {fmt: jsonschema.Draft7Validator(for_format(fmt)) for fmt in docgen.FORMATS}

    def run_bare() -> None:
        for doc in docs:
            list(bare[doc["format"]].iter_errors(doc))

    def run_docgen() -> None:
        for source in sources:
            docgen.check(source)

    errors = sum(not docgen.check(s).ok for s in sources)
    bare_best, docgen_best = float("inf"), float("inf")
    for _ in range(args.rounds):  # alternate so that both see the same machine load
        bare_best = min(bare_best, _best_of(1, run_bare))
        docgen_best = min(docgen_best, _best_of(1, run_docgen))
    per = 1e6 / args.n
    print(f"reports: {args.n} ({errors} with errors), best of {args.rounds} rounds")
    print(f"bare jsonschema   : {bare_best * per:8.1f} µs/report")
    print(f"docgen check      : {docgen_best * per:8.1f} µs/report")
    print(f"ratio docgen/bare : {docgen_best / bare_best:8.2f}x  (target: at most 3x)")


if __name__ == "__main__":
    main()
