"""Reading a PDF into paragraphs and tables: lines joined into paragraphs, tables split by a page joined.

pdfplumber (the optional ``docgen[pdf]`` extra) runs in a process of its own
(:mod:`.pdf_worker`), limited in memory and time; what it gives back, the
text lines and the ruled cells of each page, is turned into a document here.
A line indented, centred, short or after a heading starts a paragraph;
a page's number in its footer is dropped; a table that ends a page and one
that starts the next are one table, the labels merged down across the break
made whole again.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ...errors import FileError
from ...statute import Label
from .archive import refusal
from .model import Block, Cell, Document, Paragraph, Table
from .reading import figure_like

MAX_BYTES = 64 << 20
SECONDS = 120  # the whole file; the worker also stops at ten seconds a page
_FOOTER = re.compile(r"^[\s\-—–－─·•]*(第\s*)?\d{1,4}(\s*页)?(\s*/\s*共?\s*\d+\s*页?)?[\s\-—–－─·•]*$")
_HEADING = re.compile(r"^([一二三四五六七八九十]{1,2}[、.．]|[(（][一二三四五六七八九十]{1,3}[)）])")
_CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]")
_ENDS = ("。", "；", "：", "！", "？", ";", ":", "!", "?")
_CLOSING = "”’）)」』》】"
# how a label of tables A, B and C starts: 1. / 1、 / （一） / 一、
_LABEL_START = re.compile(r"^\s*(?:\d+\s*[.、．]|[（(]\s*[一二三四五六七八九十]+\s*[）)]|[一二三四五六七八九十]+\s*、)")

_WORKER_SAYS = {
    "missing": Label(
        "读取 PDF 需要 pdfplumber：请运行 pip install 'docgen[pdf]'",
        "reading a PDF needs pdfplumber: pip install 'docgen[pdf]'",
    ),
    "pages": Label("PDF 页数过多（{count} 页）：不像是一份报告，未读取", "the PDF has {count} pages: not read"),
    "dense": Label(
        "PDF 第 {page} 页的字符或线条过多：不像是报告的一页，未读取", "page {page} of the PDF is too dense: not read"
    ),
    "timeout": Label("PDF 第 {page} 页读取超时：未读取", "page {page} of the PDF took too long: not read"),
    "memory": Label("读取 PDF 占用内存过多：未读取", "reading the PDF took too much memory: not read"),
    "broken": Label("不是可读的 PDF 文件（{said}）", "not a readable PDF ({said})"),
}


def read_pdf(path: Path, name: str) -> Document:
    """The paragraphs and tables of the PDF at ``path``."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FileError.from_os(name, exc) from None
    if size > MAX_BYTES:
        raise refusal(name, Label(f"PDF 超过 {MAX_BYTES >> 20} MB：未读取", "the PDF is too large: not read"))
    result = _run_worker(path, name)
    if "error" in result:
        said = _WORKER_SAYS.get(str(result["error"]), _WORKER_SAYS["broken"])
        facts = {"count": "", "page": "", "said": "", **{k: str(v) for k, v in result.items()}}
        raise refusal(name, Label(said.zh.format(**facts), said.en.format(**facts)))
    return document(name, result["pages"])


def _run_worker(path: Path, name: str) -> dict[str, Any]:
    command = [sys.executable, "-m", "docgen.inputs.documents.pdf_worker", str(path)]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    try:
        done = subprocess.run(command, capture_output=True, timeout=SECONDS, env=environment, check=False)
    except subprocess.TimeoutExpired:
        raise refusal(name, Label(f"PDF 读取超过 {SECONDS} 秒：未读取", "reading the PDF took too long")) from None
    try:
        answer = json.loads(done.stdout.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        answer = {"error": "memory" if done.returncode < 0 else "broken", "said": f"exit {done.returncode}"}
    return answer if isinstance(answer, dict) else {"error": "broken", "said": "no answer"}


# --- pages into a document -----------------------------------------------------------------------------


def document(name: str, pages: Sequence[dict[str, Any]]) -> Document:
    """A document from the worker's pages: each page's lines and tables, top to bottom."""
    left = _mode([round(line["x0"]) for page in pages for line in page["lines"]])
    right = _mode([round(line["x1"]) for page in pages for line in page["lines"] if line["x1"] > left + 200])
    pitch = _pitch(pages)
    blocks: list[Block] = []
    text: list[str] = []  # the paragraph being read
    last: dict[str, Any] | None = None  # its last line
    open_table: list[list[Any]] | None = None  # the cells of a table that may go on over the page

    def flush() -> None:
        nonlocal text, last
        if text:
            blocks.append(_paragraph("".join(text), last))
        text, last = [], None

    for page in pages:
        items = [("line", line["top"], line) for line in page["lines"]]
        items += [("table", table["bbox"][1], table) for table in page["tables"]]
        first_on_page = True
        for kind, _, item in sorted(items, key=lambda entry: entry[1]):
            if kind == "line":
                if item["top"] > page["height"] * 0.85 and _FOOTER.match(item["text"]):
                    continue  # the page's number
                if open_table is not None:
                    blocks.append(_grid(open_table))
                    open_table = None
                if last is not None and _starts_paragraph(item, last, left, right, pitch):
                    flush()
                text.append(_joint(text, item["text"]))
                last = item
            else:
                flush()
                cells = [list(cell) for cell in item["cells"]]
                if open_table is not None and first_on_page:
                    open_table = _continued(open_table, cells)
                else:
                    if open_table is not None:
                        blocks.append(_grid(open_table))
                    open_table = cells
            first_on_page = False
        if open_table is not None:  # a table ending its page may go on at the top of the next
            for cell in open_table:
                cell[1] -= page["height"]
                cell[3] -= page["height"]
    flush()
    if open_table is not None:
        blocks.append(_grid(open_table))
    return Document(name, tuple(blocks))


def _mode(values: list[int]) -> float:
    return float(Counter(values).most_common(1)[0][0]) if values else 0.0


def _pitch(pages: Sequence[dict[str, Any]]) -> dict[float, float]:
    """The usual distance from one line to the next, by font size: a larger gap is space between paragraphs."""
    distances: dict[float, list[int]] = {}
    for page in pages:
        lines = page["lines"]
        for upper, lower in itertools.pairwise(lines):
            if upper["size"] == lower["size"] and lower["top"] > upper["top"]:
                distances.setdefault(upper["size"], []).append(round(lower["top"] - upper["top"]))
    return {size: _mode(found) for size, found in distances.items()}


def _starts_paragraph(
    line: dict[str, Any], last: dict[str, Any], left: float, right: float, pitch: dict[float, float]
) -> bool:
    """Whether ``line`` opens a paragraph: indented, after a short line or a heading, in another size, after
    more space than lines have between them, or numbered （一） after a sentence's end."""
    size = float(line["size"] or 12)
    indented = float(line["x0"]) > left + size * 0.8
    # a line ending short ends its paragraph; one ending a little short without a full stop was only broken
    # early (a number or a closing mark does not start a line)
    ended = _ended(str(last["text"]))
    short = float(last["x1"]) < right - size * (1.5 if ended else 4)
    heading = bool(_HEADING.match(str(last["text"]).strip())) and float(last["x1"]) < right - size
    larger = abs(float(line["size"]) - float(last["size"])) > 1
    usual = pitch.get(line["size"], 0.0)
    spaced = usual > 0 and float(line["top"]) - float(last["top"]) > usual * 1.3
    # a numbered line after a sentence's end, or a short one with no stop of its own: a heading （一）主动公开
    text = str(line["text"]).strip()
    alone = float(line["x1"]) < right - size * 2 and not _ended(text)
    numbered = bool(_HEADING.match(text)) and (ended or alone)
    return indented or short or heading or larger or spaced or numbered


def _ended(text: str) -> bool:
    """Whether a line ends a sentence: 。；：！？, closing quotes and brackets after it aside."""
    return text.rstrip().rstrip(_CLOSING).endswith(_ENDS)


def _joint(text: list[str], line: str) -> str:
    """A line joined to the paragraph before it: straight on between Chinese, with a space between words."""
    line = line.strip()
    if text and text[-1] and not _CJK.match(text[-1][-1]) and line and not _CJK.match(line[0]):
        return " " + line
    return line


def _paragraph(text: str, last: dict[str, Any] | None) -> Paragraph:
    return Paragraph(text, "title" if last is not None and last["size"] > 18 else None)


def _continued(above: list[list[Any]], below: list[list[Any]]) -> list[list[Any]]:
    """A table's cells and those of its part on the next page (already placed under it).

    Two things a page break does to a table are undone: a label merged down
    across the break is left blank at the top of the second part, and a row
    split by the break goes on at the top of the second part with the rest
    of its labels' words and no figures.  Both are taken back into the cells
    above."""
    bottom = max(cell[3] for cell in above)
    top = min(cell[1] for cell in below)
    shift = bottom - top
    moved = [[c[0], c[1] + shift, c[2], c[3] + shift, c[4]] for c in below]
    first = [c for c in moved if abs(c[1] - bottom) < 1]
    split_row = any(c[4].strip() for c in first) and all(
        not figure_like(c[4]) and not _LABEL_START.match(c[4]) for c in first if c[4].strip()
    )
    for cell in first:
        if cell[4].strip() and not split_row:
            continue
        over = [c for c in above if abs(c[3] - bottom) < 1 and abs(c[0] - cell[0]) < 2 and abs(c[2] - cell[2]) < 2]
        if over and (over[0][4].strip() or split_row) and not figure_like(over[0][4]):
            over[0][4] += cell[4]
            over[0][3] = cell[3]
            moved.remove(cell)
        elif over and split_row and not cell[4].strip():
            over[0][3] = cell[3]  # a figure's cell of the split row: blank under the break
            moved.remove(cell)
    return above + moved


def _grid(cells: list[list[Any]]) -> Table:
    """Ruled cells as a grid: the columns and rows every edge of every cell marks."""
    xs = _edges([c[0] for c in cells] + [c[2] for c in cells])
    ys = _edges([c[1] for c in cells] + [c[3] for c in cells])
    out = []
    for x0, top, x1, bottom, text in cells:
        col, end_col = _index(xs, x0), _index(xs, x1)
        row, end_row = _index(ys, top), _index(ys, bottom)
        out.append(Cell(row, col, str(text), max(1, end_row - row), max(1, end_col - col)))
    out.sort(key=lambda cell: (cell.row, cell.col))
    return Table(tuple(out), max(1, len(ys) - 1), max(1, len(xs) - 1))


def _edges(values: list[float], tolerance: float = 2.0) -> list[float]:
    edges: list[float] = []
    for value in sorted(values):
        if not edges or value - edges[-1] > tolerance:
            edges.append(value)
    return edges


def _index(edges: list[float], value: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))
