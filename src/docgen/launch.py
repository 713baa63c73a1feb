"""The ``docgen`` command's entry: the command line imported under a Ctrl-C guard.

``import docgen`` loads nothing, so the only Python that runs before this
guard is the interpreter's own start: Ctrl-C while docgen loads its modules
ends it with exit 130 and a word, not Python's traceback.
"""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from .cli import app
    except KeyboardInterrupt:
        sys.stderr.write("\n已中断（interrupted）\n")
        raise SystemExit(130) from None
    app(prog_name="docgen")
