"""Checks before a report is published: what the 条例 and the evaluators of reports look at beyond the figures.

Each gives a warning: a year in the text that is not the report's, an
overview too long, a date past the statutory deadline, an empty 五, a 六
silent on processing fees, and the hints ``docgen init`` writes left in place.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

from ..issues import Issue
from ..model import NOTHING_TO_REPORT, narrative_texts, parse_date, section_prose
from ..narrative import HINT_ISSUER, HINTS
from ..statute import DEADLINE_DEPARTMENT, DEADLINE_GOVERNMENT, FEES_MENTION, FEES_WORD, Label
from .context import Checking
from .plausibility import TOWNSHIP

OVERVIEW_LIMIT = 1000  # characters of 一、总体情况; some provinces cap it near this

_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?=\s*年)")
_TITLED = re.compile(r"《[^《》]*》")  # a document's name (《2023年政务公开工作要点》) quotes its own year
# a county-level or higher government's own report: its deadline is 31 March
_GOVERNMENT = re.compile(r"(?:省|自治区|市|州|盟|县|区|旗)人民政府$")


def before_publication(check: Checking, *, overview_limit: int | None = OVERVIEW_LIMIT) -> Iterator[Issue]:
    """Every pre-publication warning of one report."""
    prose = section_prose(check.source.data, check.values)
    yield from _years(check)
    if overview_limit is not None:
        yield from _overview_length(check, prose.get("overview", ""), overview_limit)
    yield from _deadline(check)
    yield from _empty_problems(check, prose.get("problems", ""))
    yield from _fees(check, prose.get("other_matters", ""))
    yield from _hints(check)


def _years(check: Checking) -> Iterator[Issue]:
    year = check.source.data.get("year")
    if not isinstance(year, int):
        return
    for path, text in narrative_texts(check.source.data):
        if path == ("issuer",):
            continue
        outside_titles = _TITLED.sub(lambda m: " " * len(m.group(0)), text)
        said: set[str] = set()
        for found in _YEAR.findall(outside_titles):
            if int(found) in (year, year + 1) or found in said:
                continue
            said.add(found)
            detail = Label(
                f"提到 {found} 年，不是报告年度 {year} 年或次年：是否沿用了往年的文字？",
                f"names the year {found}, not the report's ({year}) or the next: text from an earlier year?",
            )
            where = check.source.quoting(path, f"{found}年")
            yield check.issue(path, "year-text", detail, expected=f"{year}/{year + 1}", found=found, at=where)


def _overview_length(check: Checking, text: str, limit: int) -> Iterator[Issue]:
    length = len(re.sub(r"\s", "", text))
    if length > limit:
        detail = Label(
            f"含各分项共 {length} 字，超过 {limit} 字的上限",
            f"{length} characters with its sub-sections, over the limit of {limit}",
        )
        yield check.issue(
            ("overview", "text"),
            "overview-length",
            detail,
            expected=f"≤ {limit}",
            found=str(length),
        )


def deadline_of(issuer: str, year: int) -> tuple[datetime.date, Label]:
    """When ``issuer``'s report of ``year`` must be public (条例第五十条), and who that date is for."""
    if _GOVERNMENT.search(issuer) and not TOWNSHIP.search(issuer):
        month, day = DEADLINE_GOVERNMENT
        who = Label("县级以上人民政府的年度报告", "a county-level or higher government's own report")
    else:
        month, day = DEADLINE_DEPARTMENT
        who = Label("政府部门和乡镇、街道的年度报告", "a department's, township's or subdistrict's report")
    return datetime.date(year + 1, month, day), who


def _deadline(check: Checking) -> Iterator[Issue]:
    data = check.source.data
    issuer, year, day = data.get("issuer"), data.get("year"), parse_date(data.get("date"))
    if not isinstance(issuer, str) or not isinstance(year, int) or day is None or not 1900 < year < 9999:
        return
    last, who = deadline_of(issuer, year)
    if day > last:
        limit = f"{last.year}年{last.month}月{last.day}日"
        detail = Label(
            f"{day.year}年{day.month}月{day.day}日 晚于 {limit}：{who.zh}应在每年"
            f"{last.month}月{last.day}日前公布（《政府信息公开条例》第五十条）",
            f"dated {day.isoformat()}, after {last.isoformat()}: {who.en} is due by {last:%d %B} (Article 50)",
        )
        yield check.issue(("date",), "deadline", detail, expected=f"≤ {last.isoformat()}", found=day.isoformat())


def _empty_problems(check: Checking, text: str) -> Iterator[Issue]:
    if "problems" not in check.source.data:
        return  # the schema says it is missing
    if text.strip().rstrip("。") in ("", NOTHING_TO_REPORT):
        detail = Label(
            "为空或只写“无”：应写明存在的问题和改进措施",
            "empty or only 无: it should state the problems and what is done about them",
        )
        yield check.issue(("problems", "text"), "problems-empty", detail, found=text.strip())


def _fees(check: Checking, text: str) -> Iterator[Issue]:
    if check.tables.format.name == "2021" and FEES_MENTION not in text:
        detail = Label(
            f"没有说明{FEES_WORD}的收取情况（未收取的也应写明“本年度未收取{FEES_WORD}”）",
            f"does not say whether processing fees ({FEES_WORD}) were charged (say so even if none were)",
        )
        yield check.issue(("other_matters", "text"), "fees-silent", detail, found=text.strip()[:40])


def _hints(check: Checking) -> Iterator[Issue]:
    for path, text in narrative_texts(check.source.data):
        for hint in HINTS:
            if hint not in text:
                continue
            detail = Label(
                f"仍是 docgen 写入的提示“{hint}”：请替换为" + ("发布机关全称" if hint == HINT_ISSUER else "正文"),
                f"still holds the hint “{hint}” docgen writes: replace it with your own text",
            )
            yield check.issue(path, "hints", detail, found=hint, at=check.source.quoting(path, hint))
