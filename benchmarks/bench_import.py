"""What checking a report costs to start: the modules and import time of ``import docgen`` and ``docgen validate``.

Each command runs in a fresh interpreter under ``python -X importtime``; the
Word stack (docxtpl, python-docx, lxml, jinja2) must not appear for checking,
and is timed on its own for comparison.  Best of several runs, side by side.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "jindian-2024.toml"
WORD_STACK = ("docx", "docxtpl", "lxml", "jinja2")
COMMANDS = {
    "import docgen": ["-c", "import docgen"],
    "docgen validate": ["-m", "docgen", "validate", str(EXAMPLE)],
    "import docgen; docgen.render": ["-c", "import docgen; docgen.render"],
}


def _importtime(args: list[str]) -> tuple[int, set[str]]:
    """Total cumulative import time (µs) of the top-level imports, and the top-level packages imported."""
    done = subprocess.run([sys.executable, "-X", "importtime", *args], capture_output=True, text=True, check=True)
    total, packages = 0, set()
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, tree = line.split("|")
        name = tree[1:]  # one space after the bar; more means an import made by another one
        packages.add(name.strip().split(".")[0])
        if not name.startswith(" "):  # a top-level import: its cumulative time covers its children
            total += int(cumulative)
    return total, packages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="best of this many runs, alternating")
    args = parser.parse_args()
    best = dict.fromkeys(COMMANDS, float("inf"))
    loaded: dict[str, set[str]] = {}
    for _ in range(args.runs):
        for label, command in COMMANDS.items():
            micros, packages = _importtime(command)
            best[label] = min(best[label], micros)
            loaded[label] = packages
    print(f"imports, best of {args.runs} runs in fresh interpreters (python -X importtime)")
    for label in COMMANDS:
        stack = sorted(set(WORD_STACK) & loaded[label]) or ["none"]
        print(f"{label:30}: {best[label] / 1e3:7.1f} ms  Word stack loaded: {', '.join(stack)}")
    word = best["import docgen; docgen.render"] - best["import docgen"]
    share = word / best["docgen validate"]
    print(f"{'the Word stack alone':30}: {word / 1e3:7.1f} ms, which validate does not pay ({share:.0%} of its start)")


if __name__ == "__main__":
    main()
