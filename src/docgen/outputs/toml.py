"""A report's data as a TOML file: every row present, in the statute's order, each commented with its label.

The starter, the county's roll-up and (later) reports read back from
documents and workbooks are all written here, so every report file docgen
writes looks the same and reads back to the same data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ..model import format_of, lookup
from ..statute import (
    APPLICANT_COLUMNS,
    SECTION_LABELS,
    TABLE_B_ROOT,
    TABLE_C_LEAVES,
    TOTAL,
    Format,
    Node,
    Path,
    full_label,
)

HEADER = (
    "# 政府信息公开工作年度报告。正文中的 {issuer}、{year}、{applications.received.total} 等占位符",
    "# 按表格数据自动填入，正文与表格不会不一致；要印出花括号本身，写 {{issuer}}。",
)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def _comment(line: str, label: str, width: int = 40) -> str:
    return f"{line:<{max(width, len(line) + 1)}}# {label}"


def _escape_control(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group(0)):04x}"


def string(text: str, *, block: bool = False) -> str:
    """A TOML string; a ``block`` (or any text with a line break) on lines of its own, as a report's text reads.

    A block ends with a line-ending backslash, so parsing it gives ``text``
    back without the line break before the closing quotes.
    """
    if not block and "\n" not in text:
        return _CONTROL.sub(_escape_control, json.dumps(text, ensure_ascii=False))
    body = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"""\n' + _CONTROL.sub(_escape_control, body) + '\\\n"""'


def value(item: Any) -> str:
    """A figure, a text or a date as TOML writes it."""
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int):
        return str(item)
    if isinstance(item, Decimal):
        return format(item, "f")
    if isinstance(item, str):
        return string(item)
    raise TypeError(f"no TOML for {item!r}")


def _inline(row: Any) -> str:
    """A row of a table: its total alone, or its cells as an inline table (``{}`` when it has none)."""
    if not isinstance(row, Mapping):
        return value(row)
    if not row:
        return "{}"
    return "{ " + ", ".join(f"{key} = {value(cell)}" for key, cell in row.items()) + " }"


def _table_a(fmt: Format, data: Mapping[str, Any]) -> list[str]:
    out = [_comment("[proactive]", SECTION_LABELS["proactive"].zh)]
    for block in fmt.table_a:
        columns = "，".join(f"{c.key} = {c.label.zh}" for c in block.columns)
        out.append(f"# {block.heading.zh}：{columns}")
        for row in block.rows:
            written = lookup(data, ("proactive", row.key))
            if written is None and block.scalar:  # a bare figure left out prints blank; the line shows where it goes
                out.append(_comment(f"# {row.key} =", f"{row.label.zh}（不填，印为空白）"))
                continue
            width = 40 if block.scalar else 64
            out.append(_comment(f"{row.key} = {_inline(written if written is not None else {})}", row.label.zh, width))
    return out


def _rows(path: Path, node: Node, data: Mapping[str, Any]) -> list[str]:
    """A group of table B as a TOML table: its own rows first, then its groups."""
    out = ["", _comment(f"[{'.'.join(path)}]", node.label.zh)] if path != TABLE_B_ROOT else []
    for child in node.children:
        if not child.children:
            written = lookup(data, path + (child.key,))
            out.append(_comment(f"{child.key} = {_inline(written if written is not None else {})}", child.label.zh))
    for child in node.children:
        if child.children:
            out += _rows(path + (child.key,), child, data)
    return out


def _table_b(fmt: Format, data: Mapping[str, Any]) -> list[str]:
    columns = "，".join(f"{c.key} = {c.label.zh}" for c in APPLICANT_COLUMNS)
    out = [
        _comment("[applications]", SECTION_LABELS["applications"].zh),
        f"# 每行可填：{columns}，{TOTAL.key} = {TOTAL.label.zh}（可省略，自动计算）",
        "# 不填的格子印为空白，按 0 计算；只写一个整数表示只填总计",
    ]
    return out + _rows(TABLE_B_ROOT, Node("", SECTION_LABELS["applications"], fmt.table_b_rows), data)


def _table_c(data: Mapping[str, Any]) -> list[str]:
    out = [_comment("[appeals]", SECTION_LABELS["appeals"].zh)]
    for path, chain in TABLE_C_LEAVES:
        written = lookup(data, path)
        out.append(
            _comment(f"{path[-1]} = {_inline(written if written is not None else {})}", full_label(chain).zh, 84)
        )
    return out


def _text(key: str, data: Mapping[str, Any]) -> list[str]:
    text = lookup(data, (key, "text"))
    body = string(text if isinstance(text, str) else "", block=True)
    return [_comment(f"[{key}]", SECTION_LABELS[key].zh), f"text = {body}"]


def report_toml(data: Mapping[str, Any], *, schema_ref: str | None = None) -> str:
    """The TOML file of report ``data`` (the tree the schema describes): parsing it gives ``data`` back.

    Rows the data leaves out are written empty (``{}``, or a commented line for
    a bare figure of table A), so the file shows every row of the official
    tables; sections of text the data leaves out (a report that takes them
    from shared defaults) are left out.
    """
    fmt = format_of(data)
    lines = [f"#:schema {schema_ref}"] if schema_ref else []
    lines += HEADER
    lines.append(_comment(f'format = "{fmt.name}"', "报告格式：2021（国办公开办函〔2021〕30号）或 2019"))
    for key, label in (("year", "报告年度"), ("issuer", "发布机关，印在文末"), ("title", "标题（可省略）")):
        if key in data:
            lines.append(_comment(f"{key} = {value(data[key])}", label))
    day = data.get("date")
    if isinstance(day, str) and _DATE.fullmatch(day):
        lines.append(_comment(f"date = {day}", "成文日期"))
    elif day is not None:
        lines.append(_comment(f"date = {value(day)}", "成文日期"))
    if "overview" in data:
        lines += [""] + _text("overview", data)
    sections = lookup(data, ("overview", "sections"))
    for section in sections if isinstance(sections, list) else []:
        heading, text = lookup(section, ("heading",)) or "", lookup(section, ("text",)) or ""
        lines += ["", "[[overview.sections]]", f"heading = {string(heading)}", f"text = {string(text, block=True)}"]
    lines += [""] + _table_a(fmt, data) + [""] + _table_b(fmt, data) + [""] + _table_c(data)
    for key in ("problems", "other_matters"):
        if key in data:
            lines += [""] + _text(key, data)
    return "\n".join(lines) + "\n"
