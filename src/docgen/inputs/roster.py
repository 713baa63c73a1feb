"""A list of the bodies that owe a report: a text file, a CSV file or a workbook, with names and optional ids.

A text file has one name a line (blank lines and lines starting with # are
skipped).  A CSV file (commas, semicolons or tabs) or a workbook has a header
row naming a name column (名称, 单位名称, 部门名称, 单位全称, 报送单位, name...)
and optionally an id column (编号, 代码, 统一社会信用代码, id...; a 序号 only
counts rows); without a header, the column holding Chinese names is taken and
no id.  Rows sharing an id are one body under its names (a body renamed, or
signing with and without its city's name).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import FileError, InputError
from ..files import require_regular
from ..issues import Issue, Location
from ..statute import Label
from .text import decode

# a header naming the name column: 名称, 单位名称, 部门名称, 单位全称, 报送单位, 发布机关... ; and the id column:
# 编号, 代码, 机构代码, 统一社会信用代码... (a 序号 only counts the rows, and is no id)
NAME_HEADER = re.compile(r"^(?:.{0,6}(?:名称|全称|单位|机关|部门|主体|乡镇|街道)|name|body|issuer|organi[sz]ation)$")
_REMARK = re.compile(r"[（(][^（）()]*[）)]$")  # 单位名称（盖章）, 乡镇（街道）: the words in brackets aside
ID_HEADER = re.compile(r"^(?:.{0,8}(?:编号|代码|编码)|id|code)$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
MAX_BYTES = 16 << 20  # a roster of every body of a province is well under a megabyte


@dataclass(frozen=True)
class Body:
    """A body that owes a report: its names (the first is the roster's own) and its id, if the roster gives one."""

    names: tuple[str, ...]
    id: str | None = None

    @property
    def name(self) -> str:
        return self.names[0]


def read_roster(path: str | Path, *, display: str | None = None) -> tuple[Body, ...]:
    """The bodies of a roster file, in its order; an unreadable one raises FileError or InputError."""
    path = Path(path)
    name = display if display is not None else str(path)
    require_regular(path, name)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _refusal(name, Label(f"名册文件过大（{size} 字节）", f"the roster is too large ({size} bytes)"))
        raw = path.read_bytes()
    except OSError as exc:
        raise FileError.from_os(name, exc) from None
    suffix = path.suffix.lower()
    if raw.startswith(b"PK\x03\x04") or suffix == ".xlsx":
        rows = _workbook_rows(path, name)
    else:
        text, _ = decode(raw, name)
        if suffix == ".csv":
            rows = list(csv.reader(io.StringIO(text), delimiter=_delimiter(text)))
        else:
            rows = [[line] for line in text.splitlines() if not line.lstrip().startswith("#")]
    bodies = _bodies(rows)
    if not bodies:
        raise _refusal(name, Label("名册中没有机关名称", "the roster names no body"))
    return bodies


def _delimiter(text: str) -> str:
    """What separates a CSV file's columns: a comma, or the semicolon or tab some programs write."""
    head = text[:4096]
    return max((",", ";", "\t", "，"), key=head.count)


def _refusal(name: str, detail: Label) -> InputError:
    return InputError(issues=[Issue(location=Location(name), path="", rule="syntax", detail=detail)])


def _workbook_rows(path: Path, name: str) -> list[list[str]]:
    """The first sheet with a name column, as rows of text."""
    import openpyxl

    from .documents.archive import open_archive

    open_archive(path, name, needs="xl/workbook.xml", what=".xlsx").close()
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            sheets = [[[_text(cell) for cell in row] for row in sheet.iter_rows()] for sheet in book]
        finally:
            book.close()
    except Exception as exc:  # noqa: BLE001 -- openpyxl and the XML parser raise many kinds for a damaged file
        raise _refusal(name, Label(f"不是可读的工作簿（{exc}）", f"not a readable workbook ({exc})")) from None
    for rows in sheets:
        if _header(rows) is not None:
            return rows
    return sheets[0] if sheets else []


def _text(cell: Any) -> str:
    """A cell as text; a number shown with leading zeros (format 0000) keeps them, as an id needs."""
    value = getattr(cell, "value", None)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        shown = str(getattr(cell, "number_format", "") or "")
        return str(value).zfill(len(shown)) if shown and set(shown) == {"0"} else str(value)
    return "" if value is None else str(value).strip()


def _header(rows: Sequence[Sequence[str]]) -> tuple[int, int, int | None] | None:
    """The header row among the first five, with its name column and id column."""
    for index, row in enumerate(rows[:5]):
        cells = [_plain(cell) for cell in row]
        ids = [i for i, cell in enumerate(cells) if ID_HEADER.match(cell)]
        names = [i for i, cell in enumerate(cells) if NAME_HEADER.match(cell) and i not in ids]
        if names:
            return index, names[0], ids[0] if ids else None
    return None


def _name_column(rows: Sequence[Sequence[str]]) -> int:
    """Without a header: the column that most often holds Chinese (the names, not a row's number)."""
    width = max((len(row) for row in rows), default=1)
    return max(range(width), key=lambda col: sum(len(row) > col and bool(_CJK.search(row[col])) for row in rows))


def _plain(cell: str) -> str:
    return _REMARK.sub("", re.sub(r"\s", "", cell)).lower()


def _bodies(rows: Sequence[Sequence[str]]) -> tuple[Body, ...]:
    header = _header(rows)
    if header is None:
        start, name_col, id_col = 0, _name_column(rows), None
    else:
        start, name_col, id_col = header[0] + 1, header[1], header[2]
    named: list[tuple[str, str | None]] = []
    for row in rows[start:]:
        name = re.sub(r"\s", "", row[name_col]) if len(row) > name_col else ""
        ident = row[id_col].strip() if id_col is not None and len(row) > id_col else ""
        if name:
            named.append((name, ident or None))
    return _merged(named)


def _merged(named: Iterable[tuple[str, str | None]]) -> tuple[Body, ...]:
    """Rows in order, those sharing an id as one body; a name listed twice, once."""
    order: list[str | tuple[str]] = []
    names: dict[str | tuple[str], list[str]] = {}
    ids: dict[str | tuple[str], str | None] = {}
    for name, ident in named:
        key: str | tuple[str] = ident if ident is not None else (name,)
        if key not in names:
            order.append(key)
            names[key], ids[key] = [], ident
        if name not in names[key]:
            names[key].append(name)
    return tuple(Body(tuple(names[key]), ids[key]) for key in order)
