"""What the JSON Schema refuses, said with the official labels: unknown keys, missing ones, types (C7)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from typing import Any

import jsonschema

from ..inputs import DataPath
from ..issues import Issue
from ..model import lookup, parse_date
from ..narrative import closest
from ..schema import for_format
from ..statute import CELLS, FORMATS, Label
from .context import Checking

MONEY = {fmt: [p for p, info in cells.items() if info.kind == "money"] for fmt, cells in CELLS.items()}
# the validators that refuse a value itself, not the shape around it: the arithmetic skips such values
VALUE_CHECKS = {"type", "minimum", "pattern", "enum", "minLength", "maximum"}
_NUMERIC = {"integer", "number"}


@cache
def _validator(fmt: str) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(for_format(fmt))


def unknown_format(check: Checking) -> Issue | None:
    """A format docgen does not know: nothing else can be checked against it."""
    fmt = check.source.data.get("format", "2021")
    if fmt in FORMATS:
        return None
    return _schema_issue(check, ("format",), "enum", "、".join(f"“{f}”" for f in FORMATS), shown(fmt))


def violations(check: Checking) -> tuple[list[Issue], set[DataPath]]:
    """Every schema violation, and the paths of the values it refused."""
    found: list[Issue] = []
    refused: set[DataPath] = set()
    for error in _validator(check.tables.format.name).iter_errors(check.source.data):
        found += _from_schema_error(check, error)
        if error.validator in VALUE_CHECKS:
            refused.add(tuple(error.absolute_path))
    flagged = {issue.path for issue in found}  # -inf is below the minimum already: one message a value
    found += [issue for issue in _non_finite(check) if issue.path not in flagged]
    if (bad_date := _calendar_date(check)) is not None:
        found.append(bad_date)
    if not any(issue.path == "issuer" for issue in found) and (unseen := _unseen_issuer(check)) is not None:
        found.append(unseen)
    return found, refused


# what cannot be seen, or breaks a line or a file name where it is printed: control and format characters
# (direction overrides, zero-width and soft hyphens), line and paragraph separators, lone surrogates; by the
# Unicode category of the Python in use, so no character added to a category is missed
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def invisible(char: str) -> bool:
    return unicodedata.category(char) in INVISIBLE_CATEGORIES


def shown(value: Any) -> str:
    """A value as a message quotes it."""
    if isinstance(value, str):  # what cannot be seen is shown as its code (U+202E)
        return "“" + "".join(f"<U+{ord(c):04X}>" if invisible(c) else c for c in value) + "”"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{…}"
    if isinstance(value, list):
        return "[…]"
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _from_schema_error(check: Checking, error: jsonschema.ValidationError) -> list[Issue]:
    path = tuple(error.absolute_path)
    schema_of = error.schema if isinstance(error.schema, dict) else {}
    types = schema_of.get("type", [])
    types = {types} if isinstance(types, str) else set(types)
    value = error.instance
    if error.validator == "additionalProperties":
        allowed = sorted(schema_of.get("properties", {}))
        extras = [k for k in value if k not in allowed] if isinstance(value, dict) else []
        return [_unknown_key(check, path, extra, allowed) for extra in extras]
    if error.validator == "required":
        # jsonschema reports each missing key as its own error; name the one this error is about
        required = error.validator_value if isinstance(error.validator_value, list) else []
        missing = next((str(k) for k in required if f"'{k}'" in str(error.message)), "")
        return [_schema_issue(check, path + (missing,), "required", missing, "")]
    if error.validator in ("type", "minimum", "maximum", "pattern") and types & _NUMERIC:
        return [type_issue(check, path, types, value)]
    if error.validator == "pattern" and path in (("issuer",), ("date",)):
        return [_schema_issue(check, path, str(path[0]), "YYYY-MM-DD", shown(value))]
    if error.validator == "maxItems" and isinstance(value, list):
        limit = str(error.validator_value)
        detail = Label(f"最多 {limit} 项，实为 {len(value)} 项", f"at most {limit} items, found {len(value)}")
        return [check.issue(path, "schema", detail, expected=limit, found=str(len(value)))]
    expected = {"type": "、".join(sorted(types)), "enum": str(schema_of.get("enum", ""))}.get(str(error.validator), "")
    return [_schema_issue(check, path, str(error.validator), expected, shown(value), error.message)]


_TYPE_TEXT = {
    "count": Label("非负整数", "a non-negative integer"),
    "signed": Label("整数", "an integer"),
    "money": Label("非负数（万元，可带小数）", "a non-negative amount (10,000 yuan, decimals allowed)"),
    "row": Label("非负整数，或各列数值组成的表", "a non-negative integer or a table of columns"),
    "year": Label("2008 至 2100 之间的整数年份", "a year between 2008 and 2100"),
}


def type_issue(check: Checking, path: DataPath, types: set[str], value: Any) -> Issue:
    """A figure of the wrong type or sign (C7), or a year out of range."""
    info = CELLS[check.tables.format.name].get(tuple(str(p) for p in path))
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
    found = shown(value)
    detail = Label(f"应为{want.zh}，实为 {found}", f"expected {want.en}, found {found}")
    if isinstance(value, str) and value.startswith("="):  # a workbook's cell holding a formula of its own
        detail = Label(
            f"应为{want.zh}，实为公式 {found}：请填写数字本身", f"expected {want.en}, found the formula {found}"
        )
    elif isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        detail = Label(
            f"应为{want.zh}，实为文字 {found}：去掉引号；在表格里则把单元格改为数字格式",
            f"expected {want.en}, found the text {found}: drop the quotes, or make the cell a number",
        )
    return check.issue(path, "C7" if kind != "year" else "schema", detail, expected=want.zh, found=found)


_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")

_SCHEMA_TEXT: dict[str, tuple[str, str]] = {
    "required": ("缺少必填项 “{expected}”", "missing required key “{expected}”"),
    "issuer": (
        "应写出机关名称（含汉字、字母或数字），不能含斜杠、控制字符或不可见的格式字符，实为 {found}",
        "must name the body (with letters or digits), without a slash, control or invisible format character, "
        "found {found}",
    ),
    "date": (
        "日期应写作 YYYY-MM-DD，如 2025-01-08，实为 {found}",
        "write the date as YYYY-MM-DD, e.g. 2025-01-08, found {found}",
    ),
    "enum": ("应为 {expected} 之一，实为 {found}", "expected one of {expected}, found {found}"),
    "type": ("类型应为 {expected}，实为 {found}", "expected type {expected}, found {found}"),
    "minLength": ("不能为空", "must not be empty"),
}


def _schema_issue(check: Checking, path: DataPath, kind: str, expected: str, found: str, fallback: str = "") -> Issue:
    zh, en = _SCHEMA_TEXT.get(kind, ("{fallback}", "{fallback}"))
    detail = Label(
        zh.format(expected=expected, found=found, fallback=fallback),
        en.format(expected=expected, found=found, fallback=fallback),
    )
    return check.issue(path, "schema", detail, expected=expected, found=found)


def _unknown_key(check: Checking, path: DataPath, key: str, allowed: list[str]) -> Issue:
    guess = closest(key, allowed)
    detail = Label(f"未知的键 “{key}”，是否应为 “{guess}”？", f"unknown key “{key}”; did you mean “{guess}”?")
    # labelled by the table or row the key was written in, placed where the key stands
    return check.issue(path + (key,), "schema", detail, expected=guess, found=key, labels=check.labels(path))


def _non_finite(check: Checking) -> Iterator[Issue]:
    """inf and nan pass a JSON Schema's minimum; they are no amount of money."""
    for path in MONEY[check.tables.format.name]:
        value = lookup(check.source.data, path)
        if isinstance(value, float):
            yield type_issue(check, path, {"number"}, value)


def _unseen_issuer(check: Checking) -> Issue | None:
    """An issuer holding a character the schema's pattern does not list but its class does (U+0085, U+00AD):
    the same message as the pattern's."""
    value = check.source.data.get("issuer")
    if isinstance(value, str) and any(invisible(c) for c in value):
        return _schema_issue(check, ("issuer",), "issuer", "", shown(value))
    return None


def _calendar_date(check: Checking) -> Issue | None:
    """A well-shaped date that is no day of the calendar (2025-02-30)."""
    value = check.source.data.get("date")
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value) and parse_date(value) is None:
        return _schema_issue(check, ("date",), "date", "YYYY-MM-DD", shown(value))
    return None
