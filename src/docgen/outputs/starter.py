"""A starter report: every row present, each commented with its official label."""

from __future__ import annotations

import datetime
from typing import Any

from ..model import format_named
from ..narrative import HINT_FEES, HINT_IMPROVEMENTS, HINT_ISSUER, HINT_PROBLEMS, HINT_TEXT
from ..statute import OUTCOME_COLUMNS, TABLE_C_LEAVES
from .toml import report_toml

_OVERVIEW = (
    "{year}年，{issuer}认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政府信息公开工作。"
    "本年共收到政府信息公开申请{applications.received.total}件，"
    "办结{applications.results.total.total}件，结转下年度继续办理{applications.carried_forward.total}件。"
)
# the year a new report is most likely for: last year's until September; from October a body starts
# the report of the year about to end
NEW_YEAR_MONTH = 10
_HEADINGS = ("主动公开", "依申请公开", "政府信息管理", "政府信息公开平台建设", "监督保障")


def likely_year(today: datetime.date) -> int:
    """The year of the report a body is preparing on ``today``."""
    return today.year if today.month >= NEW_YEAR_MONTH else today.year - 1


def starter(
    fmt_name: str = "2021", *, schema_ref: str, year: int | None = None, day: datetime.date | None = None
) -> str:
    """The text of a new report in ``fmt_name`` that validates as it is; an unknown format raises FormatError."""
    fmt = format_named(fmt_name)
    today = day or datetime.date.today()
    data: dict[str, Any] = {
        "format": fmt.name,
        "year": year if year is not None else likely_year(today),
        "issuer": HINT_ISSUER,
        "date": today.isoformat(),
        "overview": {
            "text": _OVERVIEW,
            "sections": [{"heading": heading, "text": HINT_TEXT} for heading in _HEADINGS],
        },
        "proactive": {
            row.key: 0 if block.scalar else dict.fromkeys((c.key for c in block.columns), 0)
            for block in fmt.table_a
            for row in block.rows
        },
        "appeals": {path[-1]: dict.fromkeys((c.key for c in OUTCOME_COLUMNS), 0) for path, _ in TABLE_C_LEAVES},
        "problems": {"text": f"{HINT_PROBLEMS}\n\n{HINT_IMPROVEMENTS}"},
        "other_matters": {"text": HINT_FEES if fmt.name == "2021" else "无"},
    }
    return report_toml(data, schema_ref=schema_ref)
