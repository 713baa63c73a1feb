"""A report as the web form holds it: a field for each cell of the tables and each text, and back.

A field is named by the data path of what it holds (``cell:applications.received.natural_person``,
``overview.text``, ``sections.2.heading``), so an issue, which names its data
path, is shown at its field.  What a clerk types is kept as typed: a count
that is not a whole number stays text, and the checks say so at its cell,
with the message the command line gives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from ..checks import check
from ..inputs import parse
from ..issues import Issue, dotted
from ..model import format_of, lookup, numbered_rows
from ..narrative import numeral
from ..result import Result
from ..statute import CELLS, SECTION_LABELS, TOTAL
from .store import dumps

CELL = "cell:"
TABLES = ("proactive", "applications", "appeals")
TEXTS = ("date", "title", "overview.text", "problems.text", "other_matters.text")
MAX_SECTIONS_SHOWN = 3  # empty sub-sections a form offers beyond those written (without script)
_COUNT = re.compile(r"^[0-9]{1,15}$")
_SIGNED = re.compile(r"^[-−]?[0-9]{1,15}$")  # 2019's 本年增/减 goes down as well as up
_MONEY = re.compile(r"^[0-9]{1,15}(?:\.[0-9]{1,10})?$")


def field_name(path: tuple[str | int, ...]) -> str:
    return CELL + dotted(path)


def cell_value(data: Mapping[str, Any], path: tuple[str, ...]) -> str:
    """What a cell's field shows: the figure as written (a row written as one number, its 总计), or nothing."""
    value = lookup(data, path)
    row = lookup(data, path[:-1])
    if value is None and path[-1] == TOTAL.key and isinstance(row, int) and not isinstance(row, bool):
        value = row
    if value is None or isinstance(value, dict | list | bool):
        return ""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _typed(text: str, kind: str) -> Any:
    """A figure as typed: a whole number (or, for money, a decimal) as a number; anything else as text."""
    plain = text.strip()
    if kind == "money" and _MONEY.match(plain):
        return Decimal(plain)
    if (kind == "count" and _COUNT.match(plain)) or (kind == "signed" and _SIGNED.match(plain)):
        return int(plain.replace("−", "-"))
    return plain


def _put(tree: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node = tree
    for key in path[:-1]:
        child = node.get(key)
        if not isinstance(child, dict):
            child = node[key] = {}
        node = child
    node[path[-1]] = value


def from_form(form: Mapping[str, str], fixed: Mapping[str, Any]) -> dict[str, Any]:
    """The report a submitted form holds, over ``fixed`` (format, year, issuer: what the store decides)."""
    data: dict[str, Any] = {key: fixed[key] for key in ("format", "year", "issuer") if key in fixed}
    fmt = format_of(data)
    for table in TABLES:  # a table left blank in the form is a table of blank cells, not a missing section
        data[table] = {}
    for path, info in CELLS[fmt.name].items():
        text = form.get(field_name(path), "")
        if text.strip():
            _put(data, path, _typed(text, info.kind))
    for name in TEXTS:
        text = form.get(name, "").replace("\r\n", "\n")
        if text.strip():
            _put(data, tuple(name.split(".")), text.strip() if name in ("date", "title") else text)
    for row in numbered_rows(fmt):  # a row given by its 总计 alone is written so, as a file writes it
        cells = lookup(data, row)
        if isinstance(cells, dict) and set(cells) == {TOTAL.key} and isinstance(cells[TOTAL.key], int):
            _put(data, row, cells[TOTAL.key])
    sections = []
    for index in range(1000):
        heading, body = form.get(f"sections.{index}.heading"), form.get(f"sections.{index}.text")
        if heading is None and body is None:
            break
        if (heading or "").strip() or (body or "").strip():
            sections.append({"heading": (heading or "").strip(), "text": (body or "").replace("\r\n", "\n")})
    if sections:
        data.setdefault("overview", {})["sections"] = sections
    return data


def fields(data: Mapping[str, Any]) -> dict[str, str]:
    """Every field of the form for ``data``: what :func:`from_form` reads back to the same report."""
    fmt = format_of(data)
    out = {field_name(path): cell_value(data, path) for path in CELLS[fmt.name]}
    for name in TEXTS:
        value = lookup(data, tuple(name.split(".")))
        out[name] = value if isinstance(value, str) else ("" if value is None else str(value))
    sections = lookup(data, ("overview", "sections"))
    for index, section in enumerate(sections if isinstance(sections, list) else []):
        if isinstance(section, dict):
            out[f"sections.{index}.heading"] = str(section.get("heading", ""))
            out[f"sections.{index}.text"] = str(section.get("text", ""))
    return out


def checked(data: Mapping[str, Any], name: str = "report.json") -> Result:
    """Every issue of ``data``, as ``docgen validate`` finds them in the same report written as a file."""
    return check(parse(dumps(dict(data)), name))


def field_label(name: str, fmt_name: str) -> str:
    """What a person calls a field: 三、本年度办理结果（一）予以公开 / 自然人, 五、… 正文, （二）小标题."""
    if name.startswith(CELL):
        path = tuple(name.removeprefix(CELL).split("."))
        info = CELLS[fmt_name].get(path)
        return f"{info.row.zh} / {info.column.zh}" if info is not None else name
    parts = name.split(".")
    if parts[0] == "sections" and len(parts) == 3:
        return f"（{numeral(int(parts[1]) + 1)}）{'小标题' if parts[2] == 'heading' else '正文'}"
    if parts[0] in SECTION_LABELS:
        return f"{SECTION_LABELS[parts[0]].zh} 正文"
    return {"date": "成文日期", "title": "标题"}.get(name, name)


def field_of(issue: Issue, names: Iterable[str]) -> str | None:
    """The field an issue is about: its cell, or its text; None for one about the whole report."""
    known = set(names)
    for candidate in (CELL + issue.path, issue.path):
        if candidate in known:
            return candidate
    parts = issue.path.split(".")
    if parts[:2] == ["overview", "sections"] and len(parts) >= 4:
        return f"sections.{parts[2]}.{parts[3]}"
    return None
