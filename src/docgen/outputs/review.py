"""A review (:func:`docgen.review`) as text, as JSON, as a web page a person filters, and as a workbook.

The web page is one file that works offline: its style and its script are
inside it, and every text from a report is escaped.  Filters (body name,
rule, only those with problems) are kept in the address's fragment
(``#name=金殿&rule=C1``), so a filtered view can be sent as a link.
"""

from __future__ import annotations

import html
import io
import json
from decimal import Decimal
from typing import Any

from ..issues import Issue
from ..reviews import Entry, Review, Status
from ..statute import RULES, SECTION_LABELS, Label, Lang

STATUS: dict[Status, Label] = {
    "errors": Label("有错误", "errors"),
    "warnings": Label("有警告", "warnings"),
    "ok": Label("无问题", "no problem"),
    "unreadable": Label("无法读取", "unreadable"),
}
MISSING = Label("未提交", "not submitted")
UNLISTED = Label("不在名册中", "not on the roster")


def section_of(issue: Issue) -> Label | None:
    """The section (and so the table) an issue is about: 三、收到和处理政府信息公开申请情况 for table B."""
    return SECTION_LABELS.get(issue.path.split(".", 1)[0])


def summary(review: Review, lang: Lang = "zh") -> str:
    """One line: how many reports, how many of each status, how many bodies missing."""
    if lang == "zh":
        counts = "，".join(f"{STATUS[s].zh} {review.count(s)}" for s in STATUS)
        line = f"审查了 {len(review.entries)} 份报告：{counts}"
        if review.roster is not None:
            line += f"；名册 {len(review.roster)} 个机关，未提交 {len(review.missing)} 个"
        return line
    counts = ", ".join(f"{review.count(s)} {STATUS[s].en}" for s in STATUS)
    line = f"{len(review.entries)} reports reviewed: {counts}"
    if review.roster is not None:
        line += f"; {len(review.roster)} bodies on the roster, {len(review.missing)} not submitted"
    return line


def _number(value: Any) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _comparison(entry: Entry, lang: Lang) -> str:
    sep = "；" if lang == "zh" else "; "
    return sep.join(f"{c.what.text(lang)} {_number(c.last)} → {_number(c.now)}" for c in entry.changes)


# --- text -----------------------------------------------------------------------------------------


def review_text(review: Review, lang: Lang = "zh") -> str:
    """The review as a terminal shows it: the summary, then each report with something to say."""
    lines = [summary(review, lang)]
    for entry in review.entries:
        if entry.status == "ok" and not entry.notes and not entry.changes:
            continue
        said = f"{entry.body}（{entry.source}）：{STATUS[entry.status].zh}"
        if lang == "en":
            said = f"{entry.body} ({entry.source}): {STATUS[entry.status].en}"
        lines.append(said)
        lines += [f"  {note.text(lang)}" for note in entry.notes]
        lines += [f"  {issue.format(lang)}" for issue in entry.issues]
        if entry.previous is not None:
            head = (
                f"  与上年（{entry.previous}）比较：" if lang == "zh" else f"  against last year ({entry.previous}): "
            )
            lines.append(head + _comparison(entry, lang))
    if review.missing:
        lines.append(f"{MISSING.text(lang)}：" if lang == "zh" else f"{MISSING.en}:")
        lines += [f"  {body.name}" + (f"（{body.id}）" if body.id else "") for body in review.missing]
    for absent in review.absent:
        lines.append(f"{absent}：" + ("文件或目录不存在" if lang == "zh" else "no such file or directory"))
    return "\n".join(lines) + "\n"


# --- JSON -----------------------------------------------------------------------------------------


def review_data(review: Review, lang: Lang = "zh") -> dict[str, Any]:
    """The review as plain data: what ``--output-format json`` prints."""
    return {
        "ok": review.ok,
        "summary": summary(review, lang),
        "counts": {status: review.count(status) for status in STATUS} | {"missing": len(review.missing)},
        "rules": list(review.rules),
        "bodies": [_entry_data(entry, lang) for entry in review.entries],
        "missing": [{"name": body.name, "names": list(body.names), "id": body.id} for body in review.missing],
        "absent": list(review.absent),
    }


def _entry_data(entry: Entry, lang: Lang) -> dict[str, Any]:
    return {
        "body": entry.body,
        "listed_as": entry.listed_as,
        "id": entry.id,
        "source": entry.source,
        "year": entry.year,
        "status": entry.status,
        "notes": [note.text(lang) for note in entry.notes],
        "issues": [
            {**issue.as_dict(lang), "section": s.text(lang) if (s := section_of(issue)) else None}
            for issue in entry.issues
        ],
        "previous": entry.previous,
        "changes": [
            {"what": change.what.text(lang), "last": _number(change.last), "now": _number(change.now)}
            for change in entry.changes
        ],
    }


def review_json(review: Review, lang: Lang = "zh") -> str:
    return json.dumps(review_data(review, lang), ensure_ascii=False, indent=2) + "\n"


# --- the web page ---------------------------------------------------------------------------------

_STYLE = """
:root { color-scheme: light; --line: #c8ccd2; --muted: #4a5160; }
body { font: 16px/1.6 "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; color: #1b1f27;
       margin: 0 auto; max-width: 80rem; padding: 1rem; }
h1 { font-size: 1.6rem; margin: .5rem 0; }
h2 { font-size: 1.25rem; margin: 1.5rem 0 .5rem; }
form { display: flex; flex-wrap: wrap; gap: .75rem 1.5rem; align-items: end; margin: 1rem 0; }
label { display: flex; flex-direction: column; gap: .25rem; }
label.inline { flex-direction: row; align-items: center; }
input, select { font: inherit; padding: .3rem .5rem; border: 1px solid #6b7280; border-radius: 4px; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--line); padding: .4rem .6rem; text-align: left; vertical-align: top; }
thead th { background: #eef1f5; position: sticky; top: 0; }
tbody th { min-width: 8em; }
td.file { min-width: 10em; max-width: 16rem; overflow-wrap: anywhere; font-size: .9em; }
td.last { min-width: 12em; }
ul { margin: 0; padding-left: 1.2rem; }
code { font-size: .9em; }
.status { font-weight: bold; white-space: nowrap; }
.errors .status, .unreadable .status, .missing { color: #a3120b; }
.warnings .status { color: #7a4b00; }
.ok .status { color: #1d6b2f; }
.note, .summary, #shown { color: var(--muted); }
.where { color: var(--muted); font-size: .9em; }
@media print { form, #shown { display: none; } thead th { position: static; } }
"""

_SCRIPT = """
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var name = document.getElementById("name");
  var rule = document.getElementById("rule");
  var only = document.getElementById("problems");
  var shown = document.getElementById("shown");
  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-body]"));
  var missing = Array.prototype.slice.call(document.querySelectorAll("[data-missing]"));
  var start = new URLSearchParams(window.location.hash.slice(1));
  name.value = start.get("name") || "";
  if (start.get("rule")) { rule.value = start.get("rule"); }
  only.checked = start.get("problems") === "1";
  function apply() {
    var q = name.value.trim(), r = rule.value, count = 0;
    rows.forEach(function (row) {
      var rules = row.getAttribute("data-rules").split(" ");
      var visible = (!q || row.getAttribute("data-names").indexOf(q) >= 0) &&
        (!r || rules.indexOf(r) >= 0) && (!only.checked || row.getAttribute("data-status") !== "ok");
      row.hidden = !visible;
      if (visible) { count += 1; }
      row.querySelectorAll("li[data-rule]").forEach(function (item) {
        item.hidden = Boolean(r) && item.getAttribute("data-rule") !== r;
      });
    });
    missing.forEach(function (item) {
      item.hidden = Boolean(r) || (Boolean(q) && item.getAttribute("data-missing").indexOf(q) < 0);
    });
    shown.textContent = shown.getAttribute("data-template").replace("{n}", String(count));
    var state = new URLSearchParams();
    if (q) { state.set("name", q); }
    if (r) { state.set("rule", r); }
    if (only.checked) { state.set("problems", "1"); }
    try { window.history.replaceState(null, "", "#" + state.toString()); } catch (ignored) { /* file: URLs */ }
  }
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  name.addEventListener("input", apply);
  rule.addEventListener("change", apply);
  only.addEventListener("change", apply);
  apply();
}());
"""

_WORDS = {
    "title": Label("政府信息公开工作年度报告审查", "Review of annual reports on government information disclosure"),
    "name": Label("机关名称", "Body name"),
    "rule": Label("规则", "Rule"),
    "all": Label("全部", "All"),
    "problems": Label("只看有问题的", "Only those with problems"),
    "shown": Label("显示 {n} 份报告", "{n} reports shown"),
    "reports": Label("各机关的报告", "Reports"),
    "body": Label("机关", "Body"),
    "file": Label("文件", "File"),
    "status": Label("状态", "Status"),
    "issues": Label("问题", "Problems"),
    "last": Label("与上年比较", "Against last year"),
    "none": Label("无", "none"),
}


def review_html(review: Review, lang: Lang = "zh") -> str:
    """The review as one web page with its style and script inside; every report's text escaped."""

    def w(key: str) -> str:
        return html.escape(_WORDS[key].text(lang))

    options = "".join(
        f'<option value="{html.escape(rule)}">{html.escape(rule)} {html.escape(RULES[rule].title.text(lang))}</option>'
        for rule in review.rules
    )
    rows = "\n".join(_row(entry, lang) for entry in review.entries)
    missing = ""
    if review.missing:
        items = "".join(
            f'<li data-missing="{html.escape(" ".join(body.names))}">{html.escape(body.name)}'
            + (f"（{html.escape(body.id)}）" if body.id else "")
            + "</li>"
            for body in review.missing
        )
        missing = (
            f'<section aria-labelledby="missing"><h2 id="missing" class="missing">{html.escape(MISSING.text(lang))}'
            f"（{len(review.missing)}）</h2><ul>{items}</ul></section>"
        )
    absent = "".join(f'<p class="note">{html.escape(path)}</p>' for path in review.absent)
    return f"""<!DOCTYPE html>
<html lang="{"zh-CN" if lang == "zh" else "en"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{w("title")}</title>
<style>{_STYLE}</style>
</head>
<body>
<main>
<h1>{w("title")}</h1>
<p class="summary">{html.escape(summary(review, lang))}</p>
<form id="filters" role="search">
<label>{w("name")}<input id="name" type="search" autocomplete="off"></label>
<label>{w("rule")}<select id="rule"><option value="">{w("all")}</option>{options}</select></label>
<label class="inline"><input id="problems" type="checkbox">{w("problems")}</label>
</form>
<p id="shown" aria-live="polite" data-template="{w("shown")}"></p>
{missing}{absent}
<h2>{w("reports")}</h2>
<table>
<thead><tr><th scope="col">{w("body")}</th><th scope="col">{w("file")}</th><th scope="col">{w("status")}</th>
<th scope="col">{w("issues")}</th><th scope="col">{w("last")}</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</main>
<script>{_SCRIPT}</script>
</body>
</html>
"""


def _row(entry: Entry, lang: Lang) -> str:
    rules = " ".join(sorted({issue.rule for issue in entry.issues}))
    names = " ".join(dict.fromkeys(name for name in (entry.body, entry.listed_as) if name))
    items = [f'<li class="note">{html.escape(note.text(lang))}</li>' for note in entry.notes]
    for issue in entry.issues:
        section = section_of(issue)
        where = html.escape(str(issue.location)) + (f" · {html.escape(section.text(lang))}" if section else "")
        items.append(
            f'<li data-rule="{html.escape(issue.rule)}"><code>[{html.escape(issue.rule)}]</code> '
            f'{html.escape(issue.message(lang))} <span class="where">{where}</span></li>'
        )
    problems = f"<ul>{''.join(items)}</ul>" if items else html.escape(_WORDS["none"].text(lang))
    listed = (
        "" if entry.listed_as in (None, entry.body) else f'<br><span class="note">{html.escape(entry.listed_as)}</span>'
    )
    last = ""
    if entry.previous is not None:
        last = (
            f'<span class="where">{html.escape(entry.previous)}</span><ul>'
            + "".join(
                f"<li>{html.escape(c.what.text(lang))} {_number(c.last)} → {_number(c.now)}</li>" for c in entry.changes
            )
            + "</ul>"
        )
    return (
        f'<tr class="{entry.status}" data-body="{html.escape(entry.body)}" data-names="{html.escape(names)}" '
        f'data-rules="{html.escape(rules)}" '
        f'data-status="{entry.status}"><th scope="row">{html.escape(entry.body)}{listed}</th>'
        f'<td class="file">{html.escape(entry.source)}</td>'
        f'<td class="status">{html.escape(STATUS[entry.status].text(lang))}</td>'
        f'<td>{problems}</td><td class="last">{last}</td></tr>'
    )


# --- the workbook ---------------------------------------------------------------------------------


def review_workbook(review: Review, lang: Lang = "zh") -> bytes:
    """The review as a workbook: a sheet of bodies, one of problems (a row each), one of bodies missing."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from .workbook import words

    def t(zh: str, en: str) -> str:
        return en if lang == "en" else zh

    book = Workbook()
    bodies = book.active
    assert bodies is not None
    bodies.title = t("机关", "Bodies")
    headlines = [change.what.text(lang) for change in next((e.changes for e in review.entries if e.changes), ())]
    bodies.append(
        [t("机关", "Body"), t("名册名称", "On the roster as"), t("编号", "Id"), t("文件", "File"), t("年度", "Year")]
        + [t("状态", "Status"), t("错误", "Errors"), t("警告", "Warnings"), t("上年报告", "Last year's")]
        + [f"{what} {t('上年', 'last')}/{t('本年', 'this')}" for what in headlines]
        + [t("说明", "Notes")]
    )
    for entry in review.entries:
        changes = [f"{_number(c.last)}/{_number(c.now)}" for c in entry.changes] or [""] * len(headlines)
        bodies.append(
            [entry.body, entry.listed_as or "", entry.id or "", entry.source, entry.year]
            + [STATUS[entry.status].text(lang), len(entry.errors), len(entry.warnings), entry.previous or ""]
            + changes
            + ["；".join(note.text(lang) for note in entry.notes)]
        )
    for body in review.missing:
        bodies.append([body.name, body.name, body.id or "", "", None, MISSING.text(lang), None, None, ""])
    problems = book.create_sheet(t("问题", "Problems"))
    problems.append(
        [t("机关", "Body"), t("位置", "Where"), t("规则", "Rule"), t("严重程度", "Severity"), t("部分", "Section")]
        + [t("行", "Row"), t("列", "Column"), t("应为", "Expected"), t("实为", "Found"), t("说明", "Message")]
    )
    for entry in review.entries:
        for issue in entry.issues:
            section = section_of(issue)
            problems.append(
                [entry.body, str(issue.location), issue.rule, issue.severity, section.text(lang) if section else ""]
                + [issue.row.text(lang) if issue.row else "", issue.column.text(lang) if issue.column else ""]
                + [issue.expected, issue.found, issue.message(lang)]
            )
    for sheet in (bodies, problems):
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                words(cell, cell.value)  # a report's text is words, never a formula
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
        for index, column in enumerate(sheet.columns, start=1):
            width = max(len(str(cell.value or "")) for cell in column)
            sheet.column_dimensions[get_column_letter(index)].width = min(60, max(8, width * 1.6))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
