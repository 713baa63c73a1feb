"""Write schemas/report-*.schema.json from the statutory structure (`make schemas`)."""

from __future__ import annotations

from pathlib import Path

from docgen.schema import dumps, schema_filename
from docgen.statute import FORMATS

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"


def main() -> None:
    for fmt in FORMATS:
        target = SCHEMAS / schema_filename(fmt)
        target.write_text(dumps(fmt), encoding="utf-8")
        print(f"wrote {target.relative_to(SCHEMAS.parent)}")


if __name__ == "__main__":
    main()
