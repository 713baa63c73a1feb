"""Checking a report in one pass: the schema, the arithmetic, the text, last year."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import cache
from typing import Any

import jsonschema

from .issues import Issue, dotted, mismatch
from .load import DataPath, Source
from .narrative import XML_FORBIDDEN, closest, paragraphs, quoted_figures, resolve
from .schema import schema
from .structure import (
    CELLS,
    FORMATS,
    META,
    RULES,
    TABLE_A_ROOT,
    TABLE_B_ROOT,
    TOTAL,
    Equation,
    Label,
    Path,
    row_label,
)
from .tables import Tables, lookup, parse_date, placeholder_values, tabulate

TOWNSHIP = re.compile(r"(?:镇|乡|街道|街道办事处)(?:人民政府)?$")
JUMP_FACTOR = 5
JUMP_FLOOR = 10  # below this, a change such as 1 -> 6 is noise, not news
MONEY = {fmt: [p for p, info in cells.items() if info.kind == "money"] for fmt, cells in CELLS.items()}
TEXT_FIELDS: tuple[DataPath, ...] = (
    ("issuer",),
    ("title",),
    ("overview", "text"),
    ("problems", "text"),
    ("other_matters", "text"),
)


@cache
def _validator(fmt: str) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(schema(fmt))


def validate(source: Source, *, previous: Source | None = None) -> list[Issue]:
    """Every problem in ``source``, errors and warnings, ordered by line."""
    found = list(source.issues)
    fmt = source.data.get("format", "2021")
    if fmt not in FORMATS:
        found.append(
            _schema_issue(source, tabulate({}), ("format",), "enum", "、".join(f"“{f}”" for f in FORMATS), _shown(fmt))
        )
        return _ordered(found)
    tables = tabulate(source.data)
    bad: set[DataPath] = set()
    for error in _validator(fmt).iter_errors(source.data):
        found += _from_schema_error(source, tables, error)
        if error.validator in _VALUE_CHECKS:
            bad.add(tuple(error.absolute_path))
    found += _non_finite(source, tables)
    if (bad_date := _calendar_date(source, tables)) is not None:
        found.append(bad_date)
    found += _arithmetic(source, tables, bad)
    found += _narrative(source, tables)
    found += _township(source, tables)
    if previous is not None:
        found += _against_previous(source, tables, tabulate(previous.data))
    return _ordered(found)


def errors(issues: Iterable[Issue]) -> list[Issue]:
    return [i for i in issues if i.is_error]


def _ordered(issues: list[Issue]) -> list[Issue]:
    return sorted(issues, key=lambda i: (i.file, i.line))


def _labels(tables: Tables, path: DataPath) -> tuple[Label | None, Label | None]:
    """Official row and column labels of a data path: a cell, a row, or a report field."""
    key = tuple(str(p) for p in path)
    info = CELLS[tables.format.name].get(key)
    if info is not None:
        return info.row, info.column
    label = row_label(tables.format, key)
    if label is not None:
        return label, None
    if key and key[-1] in META and len(key) <= 2:
        return META[key[-1]], None
    return None, None


def _issue(
    source: Source, tables: Tables, path: DataPath, rule: str, expected: str, found: str, detail: Label
) -> Issue:
    row, column = _labels(tables, path)
    return Issue(source.name, source.line_of(path), dotted(path), rule, row, column, expected, found, detail)


# --- schema -----------------------------------------------------------------------------

_VALUE_CHECKS = {"type", "minimum", "pattern", "enum", "minLength", "maximum"}
_NUMERIC = {"integer", "number"}


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return f"“{value}”"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{…}"
    if isinstance(value, list):
        return "[…]"
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _from_schema_error(source: Source, tables: Tables, error: jsonschema.ValidationError) -> list[Issue]:
    path = tuple(error.absolute_path)
    schema_of = error.schema if isinstance(error.schema, dict) else {}
    types = schema_of.get("type", [])
    types = {types} if isinstance(types, str) else set(types)
    value = error.instance
    if error.validator == "additionalProperties":
        allowed = sorted(schema_of.get("properties", {}))
        extras = [k for k in value if k not in allowed] if isinstance(value, dict) else []
        return [_unknown_key(source, tables, path, extra, allowed) for extra in extras]
    if error.validator == "required":
        # jsonschema reports each missing key as its own error; name the one this error is about
        required = error.validator_value if isinstance(error.validator_value, list) else []
        missing = next((str(k) for k in required if f"'{k}'" in str(error.message)), "")
        return [_schema_issue(source, tables, path + (missing,), "required", missing, "")]
    if error.validator in ("type", "minimum", "pattern") and types & _NUMERIC:
        return [_type_issue(source, tables, path, types, value)]
    if error.validator == "pattern" and path in (("issuer",), ("date",)):
        return [_schema_issue(source, tables, path, str(path[0]), "YYYY-MM-DD", _shown(value))]
    expected = {"type": "、".join(sorted(types)), "enum": str(schema_of.get("enum", ""))}.get(str(error.validator), "")
    return [_schema_issue(source, tables, path, str(error.validator), expected, _shown(value), error.message)]


_TYPE_TEXT = {
    "count": Label("非负整数", "a non-negative integer"),
    "signed": Label("整数", "an integer"),
    "money": Label("非负数（万元，可带小数）", "a non-negative amount (10,000 yuan, decimals allowed)"),
    "row": Label("非负整数，或各列数值组成的表", "a non-negative integer or a table of columns"),
    "year": Label("2008 至 2100 之间的整数年份", "a year between 2008 and 2100"),
}


def _type_issue(source: Source, tables: Tables, path: DataPath, types: set[str], value: Any) -> Issue:
    info = CELLS[tables.format.name].get(tuple(str(p) for p in path))
    kind: str
    if info is not None:
        kind = info.kind
    elif "object" in types:
        kind = "row"
    elif path == ("year",):
        kind = "year"
    else:
        kind = "count"
    want = _TYPE_TEXT[kind]
    shown = _shown(value)
    detail = Label(f"应为{want.zh}，实为 {shown}", f"expected {want.en}, found {shown}")
    rule = "C7" if kind != "year" else "schema"
    return _issue(source, tables, path, rule, want.zh, shown, detail)


_SCHEMA_TEXT: dict[str, tuple[str, str]] = {
    "required": ("缺少必填项 “{expected}”", "missing required key “{expected}”"),
    "issuer": (
        "发布机关不能为空，也不能含斜杠或控制字符，实为 {found}",
        "must not be empty or contain a slash or control character, found {found}",
    ),
    "date": (
        "日期应写作 YYYY-MM-DD，如 2025-01-08，实为 {found}",
        "write the date as YYYY-MM-DD, e.g. 2025-01-08, found {found}",
    ),
    "enum": ("应为 {expected} 之一，实为 {found}", "expected one of {expected}, found {found}"),
    "type": ("类型应为 {expected}，实为 {found}", "expected type {expected}, found {found}"),
    "minLength": ("不能为空", "must not be empty"),
}


def _schema_issue(
    source: Source, tables: Tables, path: DataPath, kind: str, expected: str, found: str, fallback: str = ""
) -> Issue:
    zh, en = _SCHEMA_TEXT.get(kind, ("{fallback}", "{fallback}"))
    detail = Label(
        zh.format(expected=expected, found=found, fallback=fallback),
        en.format(expected=expected, found=found, fallback=fallback),
    )
    return _issue(source, tables, path, "schema", expected, found, detail)


def _unknown_key(source: Source, tables: Tables, path: DataPath, key: str, allowed: list[str]) -> Issue:
    guess = closest(key, allowed)
    detail = Label(f"未知的键 “{key}”，是否应为 “{guess}”？", f"unknown key “{key}”; did you mean “{guess}”?")
    row, column = _labels(tables, path)
    return Issue(
        source.name, source.line_of(path + (key,)), dotted(path + (key,)), "schema", row, column, guess, key, detail
    )


def _non_finite(source: Source, tables: Tables) -> Iterator[Issue]:
    """inf and nan pass a JSON Schema's minimum; they are no amount of money."""
    for path in MONEY[tables.format.name]:
        value = lookup(source.data, path)
        if isinstance(value, float):
            yield _type_issue(source, tables, path, {"number"}, value)


# --- arithmetic -------------------------------------------------------------------------


def _arithmetic(source: Source, tables: Tables, bad: set[DataPath]) -> Iterator[Issue]:
    # a cell the schema refused (or one inside a refused row) reads as blank; summing it would only mislead
    refused = {p for p in tables.cells if any(p[:end] in bad for end in range(1, len(p) + 1))} if bad else set()
    for eq in tables.format.equations:
        if refused and not refused.isdisjoint(eq.total + eq.addends):
            continue
        if eq.needs_addends and all(tables.cells[a].state != "given" for a in eq.addends):
            continue
        stated = sum((tables.value(p) for p in eq.total), start=0)
        expected = sum((tables.value(p) for p in eq.addends), start=0)
        if stated != expected:
            yield _equation_issue(source, tables, eq, expected, stated)


def _equation_issue(
    source: Source, tables: Tables, eq: Equation, expected: int | Decimal, stated: int | Decimal
) -> Issue:
    rule = RULES[eq.rule]
    at = next((p for p in eq.total if tables.cells[p].state == "given"), eq.total[0])
    row, column = _labels(tables, at)
    if len(eq.total) > 1:  # C1: name both rows of the stated side
        rows = [_labels(tables, p)[0] for p in eq.total]
        row = Label(" + ".join(r.zh for r in rows if r), " + ".join(r.en for r in rows if r))
    detail = mismatch(str(expected), str(stated), rule.basis)
    return Issue(source.name, source.line_of(at), dotted(at), eq.rule, row, column, str(expected), str(stated), detail)


# --- text -------------------------------------------------------------------------------


def narrative_texts(data: Any) -> Iterator[tuple[DataPath, str]]:
    """Every piece of prose in the report, with its data path."""
    for path in TEXT_FIELDS:
        text = lookup(data, path)
        if isinstance(text, str):
            yield path, text
    sections = lookup(data, ("overview", "sections"))
    for index, section in enumerate(sections if isinstance(sections, list) else []):
        for key in ("heading", "text"):
            text = lookup(section, (key,))
            if isinstance(text, str):
                yield ("overview", "sections", index, key), text


def _narrative(source: Source, tables: Tables) -> Iterator[Issue]:
    values = placeholder_values(source.data, tables)
    for path, text in narrative_texts(source.data):
        # the issuer is where {issuer} comes from, so it holds no placeholders itself
        resolved, unknown = (text, []) if path == ("issuer",) else resolve(text, values)
        start = source.line_of(path)
        forbidden = sorted(set(XML_FORBIDDEN.findall(text)))
        if forbidden:
            shown = " ".join(f"U+{ord(c):04X}" for c in forbidden)
            detail = Label(
                f"含有文档不能容纳的控制字符 {shown}（常见于从 Word 粘贴的文字），生成时已删除",
                f"holds characters a document cannot ({shown}, often pasted from Word); they are left out",
            )
            yield Issue(source.name, start, dotted(path), "control-char", None, None, "", shown, detail)
        for miss in unknown:
            line = source.line_containing(miss.placeholder, start)
            detail = Label(
                f"未知的占位符 {miss.placeholder}，是否应为 {{{miss.suggestion}}}？",
                f"unknown placeholder {miss.placeholder}; did you mean {{{miss.suggestion}}}?",
            )
            yield Issue(source.name, line, dotted(path), "placeholder", None, None, miss.suggestion, miss.path, detail)
        for paragraph in paragraphs(resolved):
            yield from _quoted(source, tables, path, start, paragraph)


def _quoted(source: Source, tables: Tables, path: DataPath, start: int, paragraph: str) -> Iterator[Issue]:
    for figure in quoted_figures(paragraph):
        cells = figure.quote.paths
        if not all(p in tables.cells for p in cells):
            continue  # the phrase names a cell this format does not have
        actual = sum((tables.value(p) for p in cells), start=0)
        if actual != figure.value:
            row, column = _labels(tables, cells[0])
            snippet = figure.snippet
            line = source.line_containing(snippet, start)
            detail = Label(
                f"正文“{snippet}”与表格不符：表格为 {actual}，正文为 {figure.value}",
                f"the text “{snippet}” contradicts the tables: they say {actual}, the text {figure.value}",
            )
            yield Issue(source.name, line, dotted(path), "C8", row, column, str(actual), str(figure.value), detail)


# --- plausibility -----------------------------------------------------------------------


def _township(source: Source, tables: Tables) -> Iterator[Issue]:
    issuer = source.data.get("issuer")
    if not isinstance(issuer, str) or not TOWNSHIP.search(issuer):
        return
    rules = TABLE_A_ROOT + ("rules",)
    for path, cell in tables.cells.items():
        if path[:2] == rules and cell.value:
            detail = Label(
                f"“{issuer}”是乡镇或街道，不能制定规章；应为 0，实为 {cell.text}",
                f"“{issuer}” is a township, which makes no rules; expected 0, found {cell.text}",
            )
            yield _issue(source, tables, path, "township", "0", cell.text, detail)


def _against_previous(source: Source, tables: Tables, last: Tables) -> Iterator[Issue]:
    carried_in, carried_forward = TABLE_B_ROOT + ("carried_in",), TABLE_B_ROOT + ("carried_forward",)
    for path, cell in tables.cells.items():
        if path[:2] == carried_in:
            then = last.cells.get(carried_forward + path[2:])
            if then is not None and then.value != cell.value:
                detail = mismatch(str(then.value), str(cell.value), RULES["C6"].basis)
                yield _issue(source, tables, path, "C6", str(then.value), str(cell.value), detail)
    for path in _jump_cells(tables):
        last_cell = last.cells.get(path)
        if last_cell is None:
            continue
        now, before = tables.value(path), last_cell.value
        if max(now, before) >= JUMP_FLOOR and (now > JUMP_FACTOR * before or JUMP_FACTOR * now < before):
            detail = Label(
                f"较上年 {before} 变化超过五倍，实为 {now}，请核对",
                f"changed more than five-fold from last year's {before} to {now}; please check",
            )
            yield _issue(source, tables, path, "jump", str(before), str(now), detail)


def _jump_cells(tables: Tables) -> Iterator[Path]:
    """Table A's figures and the totals of tables B and C: the figures a reader compares across years."""
    for path, info in CELLS[tables.format.name].items():
        if (path[0] == TABLE_A_ROOT[0] and info.kind != "signed") or path[-1] == TOTAL.key:
            yield path


def _calendar_date(source: Source, tables: Tables) -> Issue | None:
    """A well-shaped date that is no day of the calendar (2025-02-30)."""
    value = source.data.get("date")
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value) and parse_date(value) is None:
        return _schema_issue(source, tables, ("date",), "date", "YYYY-MM-DD", _shown(value))
    return None
