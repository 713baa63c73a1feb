"""The server's pages: a body's form (the official tables with a field in each cell) and the admin's list.

Pages are built as trees and serialized, so every text from a report or the
roster is escaped.  They carry no inline script or style (the server's
Content-Security-Policy forbids both): the style is ``/static/report.css``,
the one script ``/static/form.js``, and the form works without it (save
shows the problems; the script only shows them, and the totals, as one
types).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any

from ..issues import Issue
from ..model import format_of, tabulate
from ..narrative import numeral
from ..outputs.html import add, element, stylesheet, table_box
from ..statute import GRIDS, SECTION_LABELS, TITLE_DEFAULT, GridCell
from .forms import CELL, MAX_SECTIONS_SHOWN, field_name
from .store import STATES, Body, State, Version, state_of

FORM_STYLES = """
.form-page{max-width:76em}
.bar{display:flex;flex-wrap:wrap;gap:0.5em 1.5em;align-items:center;margin:0 0 1em}
.field{display:block;margin:0 0 1em}
.field label,.field .name{display:block;font-weight:bold;margin:0 0 0.25em}
.field input,.field textarea{width:100%;box-sizing:border-box;font:inherit;padding:0.4em;border:1px solid #595959}
.field textarea{min-height:8em}
.hint{color:#4d4d4d;font-size:0.9375em;margin:0.25em 0 0.75em}
.cell{width:100%;min-width:3.5em;box-sizing:border-box;font:inherit;text-align:center;padding:0.2em;
  border:1px solid #8c8c8c}
.cell[aria-invalid=true]{border:2px solid #9b1c1c;background:#fdecec}
.cell-issue{display:block;color:#9b1c1c;font-size:0.8125em;text-align:left;min-width:14em;margin-top:0.2em}
.cell-issue:empty{display:none}
.issues{border:2px solid #9b1c1c;padding:0.5em 1em;margin:0 0 1.5em}
.issues.clean{border-color:#0f766e}
.issues li{margin:0.25em 0}
.warning{color:#7a4a00}
.notice{border:2px solid #b45309;padding:0.5em 1em;margin:0 0 1.5em}
.actions{position:sticky;bottom:0;background:#fff;padding:0.75em 0;border-top:1px solid #595959}
button,.button{font:inherit;padding:0.4em 1.2em;border:1px solid #1d4ed8;background:#1d4ed8;color:#fff;
  border-radius:3px;cursor:pointer;text-decoration:none;display:inline-block}
.link{color:#1d4ed8}
.list{border-collapse:collapse;width:100%}
.list th,.list td{border:1px solid #595959;padding:0.3em 0.5em;text-align:left;vertical-align:top}
.state-errors{color:#9b1c1c}.state-valid,.state-downloaded{color:#0f766e}
fieldset{border:1px solid #8c8c8c;margin:0 0 1em;padding:0.5em 1em}
"""


def css() -> str:
    """The stylesheet of every page: the portal page's, and the form's own."""
    return stylesheet() + FORM_STYLES


def _document(title: str, *, script: bool = False) -> tuple[ET.Element, ET.Element]:
    html = ET.Element("html", lang="zh-CN")
    head = add(html, "head")
    add(head, "meta", charset="utf-8")
    add(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    add(head, "meta", name="referrer", content="no-referrer")
    add(head, "title", None, title)
    add(head, "link", rel="stylesheet", href="/static/report.css")
    add(head, "link", rel="icon", href="data:,")  # no icon: the browser does not ask for /favicon.ico
    if script:
        add(head, "script", None, "", src="/static/form.js", defer="defer")
    body = add(html, "body")
    main = add(body, "main", "report form-page")
    return html, main


def serialize(html: ET.Element) -> str:
    return "<!DOCTYPE html>\n" + ET.tostring(html, encoding="unicode", method="html") + "\n"


def message_page(title: str, text: str) -> str:
    html, main = _document(title)
    add(main, "h1", "title", title)
    add(main, "p", None, text)
    return serialize(html)


# --- a body's form ------------------------------------------------------------------------------


def _said(issue: Issue) -> str:
    """An issue as the command line prints it, without the file's name and line."""
    return f"[{issue.rule}] {issue.message('zh')}"


def _cell_field(values: Mapping[str, str], placed: Mapping[str, list[Issue]], computed: Mapping[str, str]) -> Any:
    def fill(cell: ET.Element, where: GridCell, headers: str) -> None:
        name = field_name(where.path)
        issues = placed.get(name, [])
        cell.set("headers", headers)
        attributes = {
            "type": "text",
            "inputmode": "decimal" if where.path[-1] == "fees" or "amount" in where.path[-1] else "numeric",
            "name": name,
            "id": f"f-{name}",
            "value": values.get(name, ""),
            "autocomplete": "off",
            "aria-labelledby": headers,
            "aria-describedby": f"m-{name}",
        }
        if computed.get(name):
            attributes["placeholder"] = computed[name]
        if any(i.is_error for i in issues):
            attributes["aria-invalid"] = "true"
        cell.append(element("input", "cell", **{k.replace("-", "_"): v for k, v in attributes.items()}))
        add(cell, "span", "cell-issue", "\n".join(_said(i) for i in issues), id=f"m-{name}")

    return fill


def _text_field(parent: ET.Element, name: str, label: str, value: str, issues: Sequence[Issue], *, area: bool) -> None:
    box = add(parent, "div", "field")
    add(box, "label", None, label, for_=f"f-{name}")
    attrs = {"name": name, "id": f"f-{name}", "aria_describedby": f"m-{name}"}
    if area:
        add(box, "textarea", None, value or "", rows="6", **attrs)
    else:
        add(box, "input", None, type="text", value=value, **attrs)
    add(box, "span", "cell-issue", "\n".join(_said(i) for i in issues), id=f"m-{name}")


PLACEHOLDERS = (
    "文中可用占位符，生成时换成表中的数：{issuer}（发布机关）、{year}（年度）、"
    "{applications.received.total}（本年新收申请总数）、{proactive.licensing}（行政许可决定数）等；"
    "数字直接写出的，校验时也会与表格核对。"
)


def _issues_list(parent: ET.Element, issues: Sequence[Issue], names: set[str]) -> None:
    box = add(parent, "section", "issues clean" if not issues else "issues", id="issues", aria_live="polite")
    errors = [i for i in issues if i.is_error]
    heading = f"有 {len(errors)} 处错误、{len(issues) - len(errors)} 处提醒" if issues else "校验通过：没有发现问题"
    add(box, "h2", "heading", heading, id="issues-heading")
    listing = add(box, "ul")
    for issue in issues:
        item = add(listing, "li", None if issue.is_error else "warning")
        target = next((n for n in (CELL + issue.path, issue.path) if n in names), None)
        if target is not None:
            add(item, "a", "link", _said(issue), href=f"#f-{target}")
        else:
            item.text = _said(issue)


def body_page(
    *,
    token: str,
    csrf: str,
    body: Body,
    version: Version,
    data: Mapping[str, Any],
    values: Mapping[str, str],
    issues: Sequence[Issue],
    placed: Mapping[str, list[Issue]],
    history: Sequence[Version],
    notice: str | None = None,
    can_pdf: bool = False,
) -> str:
    """The form of one body's report: ``values`` in the fields (what was typed, saved or not), each issue at its
    field and all of them listed, the downloads when the saved report is valid, and the versions."""
    fmt = format_of(data)
    year = data.get("year", "")
    title = str(data.get("title") or TITLE_DEFAULT.format(issuer=body.name, year=year))
    html, main = _document(f"{body.name}{year}年报告：填报", script=True)
    add(main, "h1", "title", title)
    state: State = state_of(body, version)
    bar = add(main, "p", "bar")
    add(bar, "span", f"state-{state}", f"状态：{STATES[state].zh}")
    add(bar, "span", None, f"第 {version.number} 版，{version.saved_at[:16].replace('T', ' ')}（UTC）保存")
    if notice:
        add(main, "div", "notice", notice, role="alert")
    names = set(values)
    _issues_list(main, issues, names)
    computed = {
        field_name(path): cell.text
        for path, cell in tabulate(data).cells.items()
        if cell.state == "computed" and not values.get(field_name(path))
    }
    form = add(main, "form", None, method="post", action=f"/r/{token}/save", id="report-form")
    form.set("data-check", f"/r/{token}/check")
    add(form, "input", None, type="hidden", name="csrf", value=csrf)
    add(form, "input", None, type="hidden", name="base", value=str(version.number))
    basics = add(form, "section", aria_labelledby="basics")
    add(basics, "h2", "heading", "基本信息", id="basics")
    add(basics, "p", None, f"发布机关：{body.name}　报告年度：{year}年　格式：{fmt.name} 年版")
    for name, caption in (("date", "成文日期（如 2025-01-20）"), ("title", f"标题（不填则为“{title}”）")):
        _text_field(basics, name, caption, values.get(name, ""), placed.get(name, []), area=False)
    grids = dict(zip(("proactive", "applications", "appeals"), GRIDS[fmt.name], strict=True))
    for key, label in SECTION_LABELS.items():
        section = add(form, "section", aria_labelledby=f"section-{key}")
        add(section, "h2", "heading", label.zh, id=f"section-{key}")
        if key in grids:
            add(section, "p", "hint", "每格填数字；合计、总计可不填，由各项相加（空格中的灰色数即是）。")
            section.append(table_box(grids[key], _cell_field(values, placed, computed)))
            continue
        name = f"{key}.text"
        _text_field(section, name, "正文（空一行分段）", values.get(name, ""), placed.get(name, []), area=True)
        if key != "overview":
            continue
        add(section, "p", "hint", PLACEHOLDERS)
        count = sum(1 for n in values if n.startswith("sections.") and n.endswith(".heading"))
        for index in range(count + MAX_SECTIONS_SHOWN):
            box = add(section, "fieldset")
            add(box, "legend", None, f"（{numeral(index + 1)}）小标题与正文（不用的留空）")
            for part, caption in (("heading", "小标题"), ("text", "正文")):
                name = f"sections.{index}.{part}"
                _text_field(box, name, caption, values.get(name, ""), placed.get(name, []), area=part == "text")
    actions = add(form, "div", "actions")
    add(actions, "button", None, "保存", type="submit")
    add(actions, "span", "hint", "　保存的每一版都会保留；有错误也可以保存为草稿。", id="save-state")
    downloads = add(main, "section", aria_labelledby="downloads")
    add(downloads, "h2", "heading", "下载", id="downloads")
    if version.number > 1 and not version.errors:
        links = add(downloads, "p", "bar")
        add(links, "a", "button", "下载 Word 文件（.docx）", href=f"/r/{token}/report.docx")
        if can_pdf:
            add(links, "a", "button", "下载 PDF", href=f"/r/{token}/report.pdf")
    else:
        add(downloads, "p", None, "保存后且没有错误时，可以下载 Word 文件和 PDF。")
    _history(main, token, csrf, history, version.number)
    return serialize(html)


def _history(parent: ET.Element, token: str, csrf: str, history: Sequence[Version], current: int) -> None:
    section = add(parent, "section", aria_labelledby="history")
    add(section, "h2", "heading", "历史版本", id="history")
    if len(history) < current:  # the latest only: every one a link away
        shown = add(section, "p")
        add(shown, "a", "link", f"显示全部 {current} 个版本", href=f"/r/{token}?history=all#history")
    table = add(section, "table", "list")
    head = add(add(table, "thead"), "tr")
    for text in ("版本", "保存时间（UTC）", "保存者", "错误", ""):
        add(head, "th", None, text, scope="col")
    rows = add(table, "tbody")
    for version in history:
        row = add(rows, "tr")
        add(row, "td", None, f"第 {version.number} 版")
        add(row, "td", None, version.saved_at[:19].replace("T", " "))
        add(row, "td", None, _who(version.saved_by))
        add(row, "td", None, str(version.errors))
        cell = add(row, "td")
        if version.number != current:
            form = add(cell, "form", None, method="post", action=f"/r/{token}/restore")
            add(form, "input", None, type="hidden", name="csrf", value=csrf)
            add(form, "input", None, type="hidden", name="base", value=str(current))
            add(form, "input", None, type="hidden", name="number", value=str(version.number))
            add(form, "button", None, f"恢复为第 {version.number} 版", type="submit")


def _who(saved_by: str) -> str:
    return {"init": "初始（上年结转）"}.get(saved_by, saved_by)


# --- the admin's page ---------------------------------------------------------------------------------


def admin_page(
    *, token: str, rows: Sequence[tuple[Body, Version, State, Sequence[Issue]]], query: str, year: str
) -> str:
    html, main = _document(f"{year}年政府信息公开工作年度报告：填报情况")
    add(main, "h1", "title", f"{year}年年度报告填报情况")
    counts = "，".join(f"{label.zh} {sum(1 for r in rows if r[2] == state)}" for state, label in STATES.items())
    add(main, "p", None, f"共 {len(rows)} 个单位：{counts}")
    search = add(main, "form", "bar", method="get", action=f"/a/{token}", role="search")
    add(search, "label", None, "按名称筛选", for_="q")
    add(search, "input", None, type="search", name="q", id="q", value=query)
    add(search, "button", None, "筛选", type="submit")
    links = add(main, "p", "bar")
    for href, text in (
        (f"/a/{token}/reports.zip", "下载全部已通过校验的 Word 文件（.zip）"),
        (f"/a/{token}/roster.xlsx", "下载汇总名册（.xlsx）"),
        (f"/a/{token}/review.html", "运行审查，下载审查页面"),
    ):
        add(links, "a", "link", text, href=href)
    rollup = add(main, "form", "bar", method="get", action=f"/a/{token}/rollup.toml")
    add(rollup, "label", None, "汇总报告的发布机关", for_="issuer")
    add(rollup, "input", None, type="text", name="issuer", id="issuer", required="required")
    add(rollup, "button", None, "下载汇总报告（.toml）", type="submit")
    table = add(main, "table", "list")
    add(table, "caption", "caption", "各单位填报情况")
    head = add(add(table, "thead"), "tr")
    for text in ("单位", "状态", "错误", "提醒", "最后保存（UTC）", "问题"):
        add(head, "th", None, text, scope="col")
    body = add(table, "tbody")
    shown = [r for r in rows if query.strip() in r[0].name]
    for entity, version, state, issues in shown:
        row = add(body, "tr")
        add(row, "th", None, entity.name, scope="row")
        add(row, "td", f"state-{state}", STATES[state].zh)
        add(row, "td", None, str(version.errors))
        add(row, "td", None, str(version.warnings))
        add(row, "td", None, version.saved_at[:19].replace("T", " ") if version.number > 1 else "")
        listing = add(add(row, "td"), "ul")
        for issue in list(issues)[:5]:
            add(listing, "li", None if issue.is_error else "warning", _said(issue))
        if len(issues) > 5:
            add(listing, "li", None, f"……共 {len(issues)} 条")
    return serialize(html)
