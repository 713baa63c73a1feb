"""Phrases of the narrative that state a figure of the tables (rule C8), and Chinese numerals.

Each phrase names the cells whose sum it states by their data paths; a test
resolves every one of them against the statutory structure in both formats,
so a misspelt path fails the suite instead of silently checking nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..narrative import numeral_value
from ..statute import FORMAT_SPECS, Label, Path, cell_path

_NUM = r"([0-9]+|[零〇一二两三四五六七八九十百]+)"
_GAP = r"[^，。；、,;0-9零〇一二两三四五六七八九十百]{0,12}?"


@dataclass(frozen=True)
class Quote:
    """A phrase that states a figure of the tables, and the cells whose sum it states."""

    pattern: re.Pattern[str]
    cells: tuple[str, ...]  # dotted data paths; a one-column row of table A may name its column
    what: Label
    fixed: int | None = None  # a phrase such as 未收到 that states a figure without a number

    def paths(self, fmt_name: str) -> tuple[Path, ...] | None:
        """The cells in ``fmt_name``'s own paths, or None if that format lacks one of them."""
        out: list[Path] = []
        for dotted in self.cells:
            parts = tuple(dotted.split("."))
            path = cell_path(FORMAT_SPECS[fmt_name], parts[:-1], parts[-1])
            if path is None:
                return None
            out.append(path)
        return tuple(out)


def _q(pattern: str, *cells: str, what: Label, fixed: int | None = None) -> Quote:
    return Quote(re.compile(pattern), cells, what, fixed)


QUOTES: tuple[Quote, ...] = (
    _q(
        rf"(?:收到|受理|新收|接收){_GAP}申请(?:共|总计|合计)?{_NUM}\s*[件份条个]",
        "applications.received.total",
        what=Label("本年新收申请", "applications received"),
    ),
    _q(
        r"(?:未|没有)(?:收到|受理|接到)[^，。；]{0,12}?申请",
        "applications.received.total",
        what=Label("本年新收申请", "applications received"),
        fixed=0,
    ),
    _q(rf"上年结转{_GAP}{_NUM}\s*[件份条个]", "applications.carried_in.total", what=Label("上年结转", "carried in")),
    _q(
        rf"结转(?:至|到)?下(?:一)?年度?{_GAP}{_NUM}\s*[件份条个]",
        "applications.carried_forward.total",
        what=Label("结转下年度", "carried forward"),
    ),
    _q(
        rf"(?:办结|答复){_GAP}{_NUM}\s*[件份条个]",
        "applications.results.total.total",
        what=Label("办理结果总计", "handled"),
    ),
    _q(rf"予以公开{_NUM}\s*[件份条个]", "applications.results.granted.total", what=Label("予以公开", "disclosed")),
    _q(rf"行政复议(?:案件)?{_NUM}\s*[件起宗个]", "appeals.review.total", what=Label("行政复议", "reviews")),
    _q(
        rf"行政诉讼(?:案件)?{_NUM}\s*[件起宗个]",
        "appeals.litigation_direct.total",
        "appeals.litigation_after_review.total",
        what=Label("行政诉讼", "lawsuits"),
    ),
    _q(
        rf"行政处罚(?:决定)?{_NUM}\s*[件起宗个]",
        "proactive.punishment.decisions",
        what=Label("行政处罚", "penalties"),
    ),
    _q(
        rf"行政许可(?:决定)?{_NUM}\s*[件起宗个]",
        "proactive.licensing.decisions",
        what=Label("行政许可", "licences"),
    ),
)


@dataclass(frozen=True)
class Figure:
    """A figure quoted in the text."""

    quote: Quote
    snippet: str
    value: int


def quoted_figures(text: str) -> Iterator[Figure]:
    for quote in QUOTES:
        for match in quote.pattern.finditer(text):
            value = quote.fixed if quote.fixed is not None else numeral_value(match.group(1))
            if value is not None:
                yield Figure(quote, match.group(0), value)
