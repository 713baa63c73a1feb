"""What checking a report costs to start: the modules and import time of ``import docgen`` and ``docgen validate``.

Each command runs in a fresh interpreter under ``python -X importtime``; the
Word stack (docxtpl, python-docx, lxml, jinja2) must not appear for checking,
and is timed on its own for comparison.  Best of several runs, side by side.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from docgen.testing import WORD_STACK, import_profile

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "jindian-2024.toml"
COMMANDS = {
    "import docgen": ["-c", "import docgen"],
    "docgen validate": ["-m", "docgen", "validate", str(EXAMPLE)],
    "import docgen; docgen.render": ["-c", "import docgen; docgen.render"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="best of this many runs, alternating")
    args = parser.parse_args()
    best = dict.fromkeys(COMMANDS, float("inf"))
    loaded: dict[str, frozenset[str]] = {}
    for _ in range(args.runs):
        for label, command in COMMANDS.items():
            micros, packages = import_profile(*command)
            best[label] = min(best[label], micros)
            loaded[label] = packages
    print(f"imports, best of {args.runs} runs in fresh interpreters (python -X importtime)")
    for label in COMMANDS:
        stack = sorted(WORD_STACK & loaded[label]) or ["none"]
        print(f"{label:30}: {best[label] / 1e3:7.1f} ms  Word stack loaded: {', '.join(stack)}")
    word = best["import docgen; docgen.render"] - best["import docgen"]
    share = word / best["docgen validate"]
    print(f"{'the Word stack alone':30}: {word / 1e3:7.1f} ms, which validate does not pay ({share:.0%} of its start)")


if __name__ == "__main__":
    main()
