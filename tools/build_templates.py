"""Write templates/report-*.docx from the statutory structure (`make templates`)."""

from __future__ import annotations

from pathlib import Path

from docgen.outputs.docx.layout import build
from docgen.outputs.docx.template import template_path
from docgen.statute import FORMATS

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    for fmt in FORMATS:
        target = ROOT / "templates" / template_path(fmt).name
        target.write_bytes(build(fmt))
        print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
