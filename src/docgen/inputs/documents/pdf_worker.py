"""Reading a PDF's text lines and ruled tables with pdfplumber, in a process of its own.

Run as ``python -m docgen.inputs.documents.pdf_worker FILE`` by
:func:`docgen.inputs.documents.pdf.read_pdf`: a hostile PDF (a page of a
million characters, a stream that inflates to gigabytes) can make pdfminer
run for minutes or fill the memory, and neither can be stopped from inside
one process, so this one is given a memory limit, a CPU limit and a time
limit per page, and the caller kills it when its time is up.  It prints one
JSON object: the pages, or ``{"error": ..., "page": n}``.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from typing import Any

PAGE_SECONDS = float(os.environ.get("DOCGEN_PDF_PAGE_SECONDS", "10"))  # a report's page takes 0.01 to 0.05 s
MAX_PAGES = 300
MAX_CHARS = 40_000  # characters on a page; a report's page has under a thousand
MAX_EDGES = 20_000  # ruling lines and rectangle sides on a page; a report's has under a hundred
MEMORY = 2 << 30


class PageTimeout(BaseException):
    """A page took too long: a BaseException, so that pdfplumber's own ``except Exception`` lets it through."""


def _limit() -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
        cpu = int(PAGE_SECONDS * 12) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    except (ImportError, ValueError, OSError):  # not on this system: the caller's timeout still holds
        pass


def _alarm(signum: int, frame: Any) -> None:
    raise PageTimeout


def _tables(page: Any) -> tuple[list[dict[str, Any]], list[tuple[float, float, float, float]]]:
    tables = []
    boxes = []
    for table in page.find_tables():
        texts = table.extract()
        cells = []
        for row, row_texts in zip(table.rows, texts, strict=False):
            for box, text in zip(row.cells, row_texts, strict=False):
                if box is not None:
                    cells.append([*box, text or ""])
        tables.append({"bbox": list(table.bbox), "cells": cells})
        boxes.append(table.bbox)
    return tables, boxes


def _lines(page: Any, boxes: list[tuple[float, float, float, float]]) -> list[dict[str, Any]]:
    """The text lines outside the tables.  A character belongs to a table when its centre is inside it: a
    Chinese font's glyph box reaches above the line, so the heading right under a table would overlap the
    table's box, and pdfplumber's outside_bbox would drop it."""

    def outside(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    out = []
    for line in page.filter(outside).extract_text_lines(return_chars=True, x_tolerance_ratio=0.5):
        chars = line.get("chars") or []
        size = max((c.get("size", 0) for c in chars), default=0)
        out.append({"text": line["text"], "x0": line["x0"], "x1": line["x1"], "top": line["top"], "size": size})
    return out


def read(path: str) -> dict[str, Any]:
    import pdfplumber

    pages = []
    with pdfplumber.open(path) as pdf:
        if len(pdf.pages) > MAX_PAGES:
            return {"error": "pages", "count": len(pdf.pages)}
        for number, page in enumerate(pdf.pages, start=1):
            try:
                signal.setitimer(signal.ITIMER_REAL, PAGE_SECONDS)
                if len(page.chars) > MAX_CHARS or len(page.edges) > MAX_EDGES:
                    return {"error": "dense", "page": number}
                tables, boxes = _tables(page)
                lines = _lines(page, boxes)
                signal.setitimer(signal.ITIMER_REAL, 0)
            except PageTimeout:
                return {"error": "timeout", "page": number}
            pages.append({"width": page.width, "height": page.height, "lines": lines, "tables": tables})
            page.close()
    return {"pages": pages}


def main() -> None:
    _limit()
    signal.signal(signal.SIGALRM, _alarm)
    try:
        result = read(sys.argv[1])
    except ImportError:
        result = {"error": "missing"}
    except PageTimeout:  # after a page's last step, before its timer was stopped
        result = {"error": "timeout", "page": "?"}
    except MemoryError:
        result = {"error": "memory"}
    except Exception as exc:  # noqa: BLE001 -- whatever pdfminer raises on a broken file is one message
        result = {"error": "broken", "said": f"{type(exc).__name__}: {exc}"}
    json.dump(result, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
