"""The JSON Schema of a report, generated from the statutory structure."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from .model import format_named
from .statute import (
    INFO_CONTENT,
    META,
    OUTCOME_COLUMNS,
    SECTION_LABELS,
    TABLE_B_COLUMNS,
    TABLE_B_NOTE,
    TABLE_C_COLUMNS,
    TABLE_C_LEAVES,
    TITLE_DEFAULT,
    Column,
    Format,
    Kind,
    Label,
    Node,
    full_label,
)

Schema = dict[str, Any]

DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DECIMAL_PATTERN = r"^[0-9]+(\.[0-9]+)?$"
# at least one letter, digit or Chinese character (not only spaces, dots or invisible marks such as U+200B);
# no slash, control character or lone surrogate
# an issuer holds a letter, digit or 汉字, and no slash, control character, surrogate, or invisible format
# character (zero-width spaces and joiners, direction marks and overrides, which would also reach file names);
# the checks refuse every character of those classes, this pattern the common ones for editors
ISSUER_PATTERN = (
    r"^(?=.*[0-9A-Za-z\u3400-\u9fff\uf900-\ufaff])"
    r"[^/\\\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ud800-\udfff]+$"
)
MAX_SECTIONS = 999  # （一） to （九百九十九）


def schema_id(fmt: str) -> str:
    return f"urn:docgen:schema:report-{fmt}"


def schema_filename(fmt: str) -> str:
    return f"report-{fmt}.schema.json"


def _value(kind: Kind, title: str, description: str) -> Schema:
    out: Schema = {"title": title, "description": description}
    if kind == "count":
        out.update(type="integer", minimum=0)
    elif kind == "signed":
        out.update(type="integer")
    else:
        out.update(type=["number", "string"], minimum=0, pattern=DECIMAL_PATTERN)
    return out


def _object(title: str, description: str, properties: dict[str, Schema], required: list[str] | None = None) -> Schema:
    out: Schema = {
        "title": title,
        "description": description,
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        out["required"] = required
    return out


def _text(title: str, description: str) -> Schema:
    return {"title": title, "description": description, "type": "string"}


def _numbered_row(label: str, columns: tuple[Column, ...], note: str) -> Schema:
    """A row of table B or a group of table C: an object of columns, or its total alone."""
    return {
        "title": label,
        "description": f"{label}：{note}",
        "type": ["object", "integer"],
        "minimum": 0,
        "properties": {c.key: _value(c.kind, c.label.zh, f"{label} / {c.label.zh}") for c in columns},
        "additionalProperties": False,
    }


def _table_b_node(node: Node, chain: str) -> Schema:
    label = chain + node.label.zh
    if not node.children:
        return _numbered_row(label, TABLE_B_COLUMNS, "各类申请人数量；只写一个整数表示只填总计")
    return _object(
        node.label.zh,
        label,
        {child.key: _table_b_node(child, label) for child in node.children},
    )


def _proactive(fmt: Format) -> Schema:
    props: dict[str, Schema] = {}
    for block in fmt.table_a:
        for row in block.rows:
            where = f"{block.heading.zh} {row.label.zh}"
            if block.scalar:
                col = block.columns[0]
                props[row.key] = _value(col.kind, row.label.zh, f"{where}：{col.label.zh}")
            else:
                props[row.key] = _object(
                    row.label.zh,
                    f"{where}（{INFO_CONTENT.zh}）",
                    {c.key: _value(c.kind, c.label.zh, f"{where} / {c.label.zh}") for c in block.columns},
                )
    return _object(SECTION_LABELS["proactive"].zh, SECTION_LABELS["proactive"].zh, props)


def _appeals() -> Schema:
    props: dict[str, Schema] = {}
    for _, chain in TABLE_C_LEAVES:
        label = full_label(chain).zh
        props[chain[-1].key] = _numbered_row(label, TABLE_C_COLUMNS, "各类结果数量；只写一个整数表示只填总计")
    described = "、".join(c.label.zh for c in OUTCOME_COLUMNS)
    return _object(SECTION_LABELS["appeals"].zh, f"{SECTION_LABELS['appeals'].zh}（{described}、总计）", props)


def _narrative(key: str, text_description: str) -> Schema:
    section = SECTION_LABELS[key].zh
    return _object(section, section, {"text": _text(META["text"].zh, text_description)}, ["text"])


def _meta(key: str, description: str, extra: Schema) -> Schema:
    label: Label = META[key]
    return {"title": label.zh, "description": description, **extra}


def build_schema(fmt_name: str) -> Schema:
    """The draft-07 schema of a report in format ``fmt_name``; an unknown one raises FormatError."""
    fmt = format_named(fmt_name)
    overview = _narrative("overview", "导语，空行分段；可用 {issuer}、{year}、{applications.received.total} 等占位符")
    overview["properties"]["sections"] = {
        "title": META["sections"].zh,
        "description": "编号（一）（二）…的分项，由模板加编号",
        "type": "array",
        "items": _object(
            META["sections"].zh,
            "分项小标题与正文",
            {
                "heading": _text(META["heading"].zh, "小标题，不含（一）等编号"),
                "text": _text(META["text"].zh, "正文，空行分段"),
            },
            ["heading", "text"],
        ),
        "maxItems": MAX_SECTIONS,
    }
    applications = _object(
        SECTION_LABELS["applications"].zh,
        f"{SECTION_LABELS['applications'].zh}{TABLE_B_NOTE.zh}",
        {node.key: _table_b_node(node, "") for node in fmt.table_b_rows},
    )
    format_schema: Schema = {"type": "string", "enum": [fmt.name]}
    if fmt.name == "2021":
        format_schema["default"] = "2021"
    required = ["year", "issuer", "date", "overview", "proactive", "applications", "appeals", "problems"]
    if fmt.name != "2021":
        required.insert(0, "format")
    other_matters = _narrative("other_matters", "包括信息处理费收取情况；没有时写“无”（默认）")
    other_matters.pop("required")
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": schema_id(fmt.name),
        "title": f"政府信息公开工作年度报告（{fmt.name}年格式，{fmt.notice}）",
        "description": "docgen 的报告输入：一份报告一个 TOML 或 JSON 文件",
        "type": "object",
        "properties": {
            "$schema": {"title": "JSON Schema", "description": "编辑器使用的架构地址", "type": "string"},
            "format": _meta("format", "报告格式：“2021”（默认）或“2019”", format_schema),
            "year": _meta(
                "year",
                "报告年度，统计期间为该年1月1日至12月31日",
                {"type": "integer", "minimum": 2008, "maximum": 2100},
            ),
            "issuer": _meta(
                "issuer",
                "发布机关全称，如“金殿镇人民政府”；不能含斜杠",
                {"type": "string", "minLength": 1, "pattern": ISSUER_PATTERN},
            ),
            "title": _meta("title", f"报告标题；默认“{TITLE_DEFAULT}”", {"type": "string", "minLength": 1}),
            "date": _meta(
                "date", "成文日期，如 2025-01-08，印为2025年1月8日", {"type": "string", "pattern": DATE_PATTERN}
            ),
            "overview": overview,
            "proactive": _proactive(fmt),
            "applications": applications,
            "appeals": _appeals(),
            "problems": _narrative("problems", "存在的主要问题及改进措施，空行分段"),
            "other_matters": other_matters,
        },
        "required": required,
        "additionalProperties": False,
    }


@cache
def for_format(fmt_name: str) -> Schema:
    """The schema for ``fmt_name``, built once per process."""
    return build_schema(fmt_name)


def dumps(fmt_name: str) -> str:
    """The schema as the committed file holds it."""
    return json.dumps(build_schema(fmt_name), ensure_ascii=False, indent=2) + "\n"
