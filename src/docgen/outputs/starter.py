"""A starter report: every row present, each commented with its official label."""

from __future__ import annotations

import datetime

from ..model import chinese_date
from ..statute import (
    APPLICANT_COLUMNS,
    FORMAT_SPECS,
    OUTCOME_COLUMNS,
    SECTION_LABELS,
    TABLE_C_LEAVES,
    TOTAL,
    Format,
    Node,
    full_label,
)

_OVERVIEW = (
    "{year}年，{issuer}认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政府信息公开工作。"
    "本年共收到政府信息公开申请{applications.received.total}件，"
    "办结{applications.results.total.total}件，结转下年度继续办理{applications.carried_forward.total}件。"
)
_HEADINGS = ("主动公开", "依申请公开", "政府信息管理", "政府信息公开平台建设", "监督保障")


def _comment(line: str, label: str, width: int = 40) -> str:
    return f"{line:<{width}}# {label}"


def _table_a(fmt: Format) -> list[str]:
    out = [_comment("[proactive]", SECTION_LABELS["proactive"].zh)]
    for block in fmt.table_a:
        columns = "，".join(f"{c.key} = {c.label.zh}" for c in block.columns)
        out.append(f"# {block.heading.zh}：{columns}")
        for row in block.rows:
            if block.scalar:
                out.append(_comment(f"{row.key} = 0", row.label.zh))
            else:
                cells = ", ".join(f"{c.key} = 0" for c in block.columns)
                out.append(_comment(f"{row.key} = {{ {cells} }}", row.label.zh, 64))
    return out


def _table_b(fmt: Format) -> list[str]:
    columns = "，".join(f"{c.key} = {c.label.zh}" for c in APPLICANT_COLUMNS)
    out = [
        _comment("[applications]", SECTION_LABELS["applications"].zh),
        f"# 每行可填：{columns}，{TOTAL.key} = {TOTAL.label.zh}（可省略，自动计算）",
        "# 不填的格子印为空白，按 0 计算；只写一个整数表示只填总计",
    ]
    deferred: list[Node] = []
    for node in fmt.table_b_rows:
        if node.children:
            deferred.append(node)
        else:
            out.append(_comment(f"{node.key} = {{}}", node.label.zh))
    for group in deferred:
        out += _group(("applications", group.key), group)
    return out


def _group(path: tuple[str, ...], group: Node) -> list[str]:
    out = ["", _comment(f"[{'.'.join(path)}]", group.label.zh)]
    nested: list[Node] = []
    for child in group.children:
        if child.children:
            nested.append(child)
        else:
            out.append(_comment(f"{child.key} = {{}}", child.label.zh))
    for child in nested:
        out += _group(path + (child.key,), child)
    return out


def _table_c() -> list[str]:
    cells = ", ".join(f"{c.key} = 0" for c in OUTCOME_COLUMNS)
    out = [_comment("[appeals]", SECTION_LABELS["appeals"].zh)]
    for _, chain in TABLE_C_LEAVES:
        out.append(_comment(f"{chain[-1].key} = {{ {cells} }}", full_label(chain).zh, 84))
    return out


def starter(
    fmt_name: str = "2021", *, schema_ref: str, year: int | None = None, day: datetime.date | None = None
) -> str:
    """The text of a new report in ``fmt_name`` that validates as it is."""
    fmt = FORMAT_SPECS[fmt_name]
    today = day or datetime.date.today()
    year = year if year is not None else today.year - 1
    lines = [
        f"#:schema {schema_ref}",
        "# 政府信息公开工作年度报告。正文中的 {issuer}、{year}、{applications.received.total} 等占位符",
        "# 按表格数据自动填入，正文与表格不会不一致；要印出花括号本身，写 {{issuer}}。",
        _comment(f'format = "{fmt.name}"', "报告格式：2021（国办公开办函〔2021〕30号）或 2019"),
        _comment(f"year = {year}", "报告年度"),
        _comment('issuer = "（发布机关全称）"', "发布机关，印在文末"),
        _comment(f"date = {today.isoformat()}", "成文日期，印为" + chinese_date(today)),
        "",
        _comment("[overview]", SECTION_LABELS["overview"].zh),
        f'text = """\n{_OVERVIEW}\n"""',
    ]
    for heading in _HEADINGS:
        lines += ["", "[[overview.sections]]", f'heading = "{heading}"', 'text = """\n（正文，空行分段）\n"""']
    lines += [""] + _table_a(fmt) + [""] + _table_b(fmt) + [""] + _table_c()
    lines += [
        "",
        _comment("[problems]", SECTION_LABELS["problems"].zh),
        'text = """\n（存在的主要问题）\n\n（改进情况）\n"""',
        "",
        _comment("[other_matters]", SECTION_LABELS["other_matters"].zh),
        'text = "无"',
        "",
    ]
    return "\n".join(lines)
