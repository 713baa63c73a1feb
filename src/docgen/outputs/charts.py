"""The 图解 (“一图读懂”): a report's figures as charts, one long portrait image and each chart alone.

matplotlib (the optional ``docgen[charts]`` extra) draws them, without a
display, as PNG (1080 px wide, for a portal or WeChat) and as SVG whose
words and numbers stay text.  Chinese is set in the font the PDF uses for
黑体: the official font when installed, or the same Simplified-Chinese
stand-in docgen's fontconfig file chooses (never a Japanese face of a
font collection).  Every number drawn is a figure of the report's tables,
as the tables print it; the charts are drawn from the statutory structure
(:mod:`docgen.statute`), so a 2019 report gets its own rows.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import RenderError
from ..files import write_atomic
from ..model import Number, Report
from ..statute import (
    APPLICANT_COLUMNS,
    HEADLINES,
    OUTCOME_COLUMNS,
    TABLE_B_ROOT,
    TABLE_C_LEAVES,
    TOTAL,
    Label,
    Node,
)
from .fonts import HEADING_FONT, fonts_conf
from .html import Picture

WIDTH_PX = 1080  # the images written: a portal's or WeChat's width
PAGE_WIDTH_PX = 640  # the charts in the web page, whose box scrolls on a phone: shown at least this wide
DPI = 100
INK, MUTED, PAPER = "#1a1a1a", "#4d4d4d", "#ffffff"
ACCENT = "#9b1c1c"  # the red of a government document's title
SERIES = ("#1d4ed8", "#b45309", "#0f766e", "#6d28d9")  # this year, last year, and the groups of table C
# faces a system without fontconfig (Windows, macOS) may have for 黑体, in order
_FALLBACK = "'Microsoft YaHei', 'PingFang SC', 'Noto Sans CJK SC', 'Source Han Sans SC', SimHei, sans-serif"
_KNOWN_FACES = ("SimHei", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC", "FandolHei")

CHART_NAMES = ("chart", "applicants", "outcomes", "appeals", "trend")  # every image's name, the long one first
_MISSING = Label(
    "生成图解需要 matplotlib：请运行 pip install 'docgen[charts]'",
    "the charts need matplotlib: pip install 'docgen[charts]'",
)
_NO_FONT = Label(
    "找不到简体中文字体，图解无法显示汉字：请安装 fonts-noto-cjk 或 texlive-lang-chinese（Debian），或黑体",
    "no Simplified-Chinese font for the charts: install fonts-noto-cjk or texlive-lang-chinese (Debian), or SimHei",
)


@dataclass(frozen=True)
class Chart:
    """One chart: its name in file names, its title, what it shows in words, and the image as PNG and SVG."""

    name: str
    title: str
    alt: str
    png: bytes
    svg: bytes

    def picture(self) -> Picture:
        """The chart as the web page shows it (SVG: sharp at any zoom, its text still text)."""
        return Picture(self.svg, "image/svg+xml", self.alt, self.title)


@dataclass(frozen=True)
class Charts:
    """The 图解: the long image (``poster``) and each chart alone, in the order the long image shows them."""

    poster: Chart
    parts: tuple[Chart, ...]

    def pictures(self) -> list[Picture]:
        return [part.picture() for part in self.parts]

    def write(self, folder: str | Path, stem: str, *, scratch: Path | None = None) -> list[Path]:
        """Write every image into ``folder`` as ``STEM.chart.png`` (the long one) and ``STEM.NAME.png``, with
        their SVGs; each file atomically (its part in ``scratch`` when given).  The paths written, in order.
        A trend chart of an earlier run, against a last year not given now, is removed."""
        drawn = {chart.name for chart in self.parts}
        for name in CHART_NAMES:
            for suffix in (".png", ".svg"):
                if name not in drawn and name != "chart":
                    (Path(folder) / f"{stem}.{name}{suffix}").unlink(missing_ok=True)
        written = []
        for chart in (self.poster, *self.parts):
            for suffix, data in ((".png", chart.png), (".svg", chart.svg)):
                path = Path(folder) / f"{stem}.{chart.name}{suffix}"
                write_atomic(path, data, scratch=scratch)
                written.append(path)
        return written


# --- what the charts show -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Bar:
    label: str
    value: Number
    text: str  # the figure as the table prints it (0 for a blank cell)


def _figure(report: Report, path: tuple[str, ...]) -> tuple[Number, str]:
    """A cell's value and its text as the table prints it (0 for a blank cell)."""
    cell = report.tables.cells[path]
    return cell.value, cell.text or "0"


def _summed(report: Report, paths: Sequence[tuple[str, ...]]) -> tuple[Number, str]:
    total: Number = 0
    for path in paths:
        total = total + report.tables.value(path)
    return total, _number_text(total)


def _number_text(value: Number) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


_EXPLANATION = re.compile(r"（[^（）]*）$")


def _short(label: Label) -> str:
    """A row label without its explanation: （二）部分公开（区分处理的，…） → （二）部分公开."""
    return _EXPLANATION.sub("", label.zh) or label.zh


def applicants(report: Report) -> list[_Bar]:
    """New applications this year by applicant: 自然人, 商业企业 … 其他."""
    root = TABLE_B_ROOT + ("received",)
    return [_Bar(c.label.zh, *_figure(report, root + (c.key,))) for c in APPLICANT_COLUMNS]


def _results_node(report: Report) -> Node:
    return next(node for node in report.format.table_b_rows if node.key == "results")


def outcomes(report: Report) -> list[_Bar]:
    """How this year's applications ended: （一）予以公开 to （六）其他处理, each the 总计 of its rows."""
    bars = []
    for node in _results_node(report).children:
        if node.key == TOTAL.key:
            continue
        paths = [path + (TOTAL.key,) for path, _ in node.leaves(TABLE_B_ROOT + ("results",))]
        bars.append(_Bar(_short(node.label), *_summed(report, paths)))
    return bars


def appeals(report: Report) -> list[tuple[str, list[_Bar]]]:
    """行政复议, 未经复议直接起诉 and 复议后起诉, each with its outcomes (结果维持 … 尚未审结)."""
    return [
        (chain[-1].label.zh, [_Bar(c.label.zh, *_figure(report, path + (c.key,))) for c in OUTCOME_COLUMNS])
        for path, chain in TABLE_C_LEAVES
    ]


def headlines(report: Report) -> list[_Bar]:
    """The figures a reader compares across years (本年新收申请, 上年结转 … 行政诉讼)."""
    return [_Bar(label.zh, *_summed(report, paths)) for label, paths in HEADLINES]


def proactive(report: Report) -> list[_Bar]:
    """Every figure of table A, named by its row and, where a row has several, its column."""
    bars = []
    for block in report.format.table_a:
        for row in block.rows:
            for column in block.columns:
                name = row.label.zh if block.scalar else f"{row.label.zh}·{column.label.zh.removeprefix('本年')}"
                if column.kind == "money":
                    name += "（万元）"
                bars.append(_Bar(name, *_figure(report, block.path(row, column))))
    return bars


def _words(title: str, bars: Sequence[_Bar], unit: str = "件") -> str:
    return f"{title}：" + "，".join(f"{b.label} {b.text} {unit}" for b in bars) + "。"


# --- drawing --------------------------------------------------------------------------------------


def require_matplotlib() -> None:
    """Raise a :class:`RenderError` saying how to install the charts' extra when matplotlib is missing."""
    try:
        import matplotlib  # noqa: F401 -- only whether it is there
    except ImportError:
        raise RenderError(detail=_MISSING) from None


def _pyplot() -> Any:
    require_matplotlib()
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


@cache
def font_family() -> str:
    """The name matplotlib knows the chart's Chinese font by, registered from the file fontconfig chooses for
    黑体 with docgen's stand-ins (the official font first), or a known face where there is no fontconfig."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    fc_match = shutil.which("fc-match")
    if fc_match is not None:
        chosen = subprocess.run(
            [fc_match, "-f", "%{file}\n%{index}", f"{HEADING_FONT}:lang=zh-cn"],
            env=dict(os.environ, FONTCONFIG_FILE=str(fonts_conf())),
            capture_output=True,
            text=True,
            check=False,
        ).stdout.split("\n")
        if len(chosen) == 2 and Path(chosen[0]).is_file():
            manager.addfont(chosen[0])
            index = int(chosen[1] or 0)
            for entry in manager.ttflist:
                if entry.fname == chosen[0] and getattr(entry, "index", 0) == index and _simplified(entry.name):
                    return str(entry.name)
    names = {entry.name for entry in manager.ttflist}
    for face in _KNOWN_FACES:
        if face in names:
            return face
    raise RenderError(detail=_NO_FONT)


def _simplified(family: str) -> bool:
    """Not a Japanese, Korean or traditional face of a collection (their glyphs differ from the mainland's)."""
    return not re.search(r"\b(JP|KR|TC|HK)\b|Japanese|Korean", family)


_STYLE = {
    "svg.fonttype": "none",  # words and numbers stay text in the SVG
    "svg.hashsalt": "docgen",  # the same report gives the same SVG
    "axes.edgecolor": MUTED,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "text.color": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _context(plt: Any) -> Any:
    return plt.rc_context({**_STYLE, "font.family": [font_family()], "font.size": 15})


def _hbars(ax: Any, bars: Sequence[_Bar], color: str, title: str) -> None:
    """Horizontal bars, top to bottom in the tables' order, each with its figure at its end."""
    labels = [b.label for b in bars]
    values = [float(b.value) for b in bars]
    positions = list(range(len(bars)))[::-1]
    ax.barh(positions, values, color=color, height=0.6)
    ax.set_yticks(positions, labels)
    top = max(values + [1.0])
    ax.set_xlim(0, top * 1.18)
    for y, bar, value in zip(positions, bars, values, strict=True):
        ax.text(value + top * 0.015, y, bar.text, va="center", ha="left", fontsize=15, color=INK)
    ax.set_xticks([])
    ax.spines["bottom"].set_visible(False)
    ax.set_title(title, loc="left", fontsize=19, color=INK, pad=12)


def _grouped(ax: Any, groups: Sequence[tuple[str, Sequence[_Bar]]], title: str) -> None:
    """Bars side by side: one series a group (行政复议 …), over the same categories (结果维持 …)."""
    categories = [b.label for b in groups[0][1]]
    width = 0.8 / len(groups)
    top = max([float(b.value) for _, bars in groups for b in bars] + [1.0])
    for index, (name, bars) in enumerate(groups):
        xs = [i + (index - (len(groups) - 1) / 2) * width for i in range(len(categories))]
        ax.bar(xs, [float(b.value) for b in bars], width=width * 0.92, color=SERIES[index % len(SERIES)], label=name)
        for x, bar in zip(xs, bars, strict=True):
            ax.text(x, float(bar.value) + top * 0.02, bar.text, ha="center", va="bottom", fontsize=14, color=INK)
    ax.set_xticks(range(len(categories)), categories)
    ax.set_ylim(0, top * 1.2)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.legend(frameon=False, loc="upper right", fontsize=14)
    ax.set_title(title, loc="left", fontsize=19, color=INK, pad=12)


def _across(figure: Any, down: Any) -> Any:
    """Across the whole image and down as ``down`` says: centred on the page, not on a chart's column."""
    from matplotlib.transforms import blended_transform_factory

    return blended_transform_factory(figure.transFigure, down)


def _tiles(ax: Any, bars: Sequence[_Bar], title: str, columns: int = 3) -> None:
    """Figures as big numbers in a grid, each with its name under it, spread across the whole image."""
    ax.set_axis_off()
    rows = (len(bars) + columns - 1) // columns
    ax.set_xlim(0, columns)
    ax.set_ylim(rows, -0.55)
    ax.text(0, -0.45, title, fontsize=19, color=INK, va="center", ha="left")
    across = _across(ax.figure, ax.transData)
    for index, bar in enumerate(bars):
        row, col = divmod(index, columns)
        x = (col + 0.5) / columns
        label = "\n".join(bar.label[i : i + 16] for i in range(0, len(bar.label), 16))
        for text in (
            ax.text(x, row + 0.35, bar.text, fontsize=30, color=ACCENT, ha="center"),
            ax.text(x, row + 0.62, label, fontsize=13, color=MUTED, ha="center", va="top"),
        ):
            text.set_transform(across)
            text.set_in_layout(False)


# each part: its name in file names, its title, its height in inches, and how it is drawn
_Part = tuple[str, str, float, Callable[[Any], None], str]


def _parts(report: Report, previous: Report | None) -> list[_Part]:
    received = applicants(report)
    results = outcomes(report)
    groups = appeals(report)
    parts: list[_Part] = [
        (
            "applicants",
            "申请人情况（本年新收申请）",
            1.2 + 0.55 * len(received),
            lambda ax: _hbars(ax, received, SERIES[0], "申请人情况（本年新收申请）"),
            _words("本年新收政府信息公开申请，按申请人分", received),
        ),
        (
            "outcomes",
            "本年度办理结果",
            1.2 + 0.55 * len(results),
            lambda ax: _hbars(ax, results, SERIES[2], "本年度办理结果"),
            _words("本年度办理结果", results),
        ),
        (
            "appeals",
            "行政复议、行政诉讼",
            4.6,
            lambda ax: _grouped(ax, groups, "行政复议、行政诉讼"),
            "；".join(_words(name, bars).rstrip("。") for name, bars in groups) + "。",
        ),
    ]
    if previous is not None:
        now, then = headlines(report), headlines(previous)
        pairs = [(f"{report.year}年", now), (f"{previous.year}年", then)]
        title = f"{report.year}年与{previous.year}年对比"
        parts.append(
            (
                "trend",
                title,
                5.2,
                lambda ax: _grouped(ax, pairs, title),
                "；".join(_words(name, bars).rstrip("。") for name, bars in pairs) + "。",
            )
        )
    return parts


def _save(figure: Any) -> tuple[bytes, bytes]:
    png, svg = io.BytesIO(), io.BytesIO()
    figure.savefig(png, format="png", dpi=DPI, facecolor=PAPER, metadata={"Software": None})
    figure.savefig(svg, format="svg", facecolor=PAPER, metadata={"Date": None, "Creator": None})
    # the SVG's text is set where it is shown: the font drawn with first, then what a reader's system has
    family = font_family()
    shown = svg.getvalue().replace(
        f"font-family: '{family}'".encode(), f"font-family: '{family}', {_FALLBACK}".encode()
    )
    return png.getvalue(), shown


TITLE_CHARACTERS = 24  # of 26-point type across the long image


def _lines(title: str, issuer: str) -> str:
    """A title on lines that fit the image: the issuer on its own line when the whole is too long, then cut."""
    if len(title) <= TITLE_CHARACTERS:
        return title
    parts = [issuer, title[len(issuer) :]] if title.startswith(issuer) else [title]
    return "\n".join(p[i : i + TITLE_CHARACTERS] for p in parts for i in range(0, len(p), TITLE_CHARACTERS))


def _tick_size(ax: Any) -> None:
    for label in ax.get_xticklabels():
        label.set_fontsize(14)


def render_charts(report: Report, *, previous: Report | None = None) -> Charts:
    """The 图解 of ``report`` (with ``previous``, this year against last year too)."""
    plt = _pyplot()
    parts = _parts(report, previous)
    with _context(plt):
        charts = _drawn(plt, parts, WIDTH_PX)
        poster = _poster(plt, report, parts, WIDTH_PX / DPI)
    return Charts(poster, tuple(charts))


def page_pictures(report: Report, *, previous: Report | None = None) -> list[Picture]:
    """The charts as the web page shows them: drawn 640 px wide, so that their words stay readable where the
    page shows them at that width (on a phone, in a box that scrolls sideways)."""
    plt = _pyplot()
    with _context(plt):
        return [chart.picture() for chart in _drawn(plt, _parts(report, previous), PAGE_WIDTH_PX)]


def _drawn(plt: Any, parts: Sequence[_Part], width_px: int) -> list[Chart]:
    charts = []
    for name, title, height, draw, alt in parts:
        figure = plt.figure(figsize=(width_px / DPI, height), layout="constrained")
        ax = figure.add_subplot()
        draw(ax)
        _tick_size(ax)
        charts.append(Chart(name, title, alt, *_save(figure)))
        plt.close(figure)
    return charts


def _poster(plt: Any, report: Report, parts: Sequence[_Part], width: float) -> Chart:
    """The long image: title and issuer, the figures of table A and the headlines, then every chart."""
    figures_a = proactive(report)
    heads = headlines(report)
    tile_rows = ((len(figures_a) + 2) // 3, (len(heads) + 2) // 3)
    heights = [
        1.6 + 0.45 * _lines(report.title, report.issuer).count("\n"),
        0.9 + 1.05 * tile_rows[0],
        0.9 + 1.05 * tile_rows[1],
        *(p[2] for p in parts),
        0.8,
    ]
    figure = plt.figure(figsize=(width, sum(heights)), layout="constrained")
    grid = figure.add_gridspec(len(heights), 1, height_ratios=heights)
    head = figure.add_subplot(grid[0])
    head.set_axis_off()
    across = _across(figure, head.transAxes)
    title = head.text(
        0.5, 0.62, _lines(report.title, report.issuer), ha="center", va="center", fontsize=26, color=ACCENT
    )
    under = head.text(
        0.5, 0.1, f"{report.issuer}　{report.date_text}", ha="center", va="center", fontsize=16, color=MUTED
    )
    title.set_transform(across)
    under.set_transform(across)
    for text in (title, under):
        text.set_in_layout(False)  # placed in the middle of the page whatever its length; not squeezing the charts
    _tiles(figure.add_subplot(grid[1]), figures_a, "主动公开政府信息情况")
    _tiles(figure.add_subplot(grid[2]), heads, "收到和处理政府信息公开申请情况")
    for index, part in enumerate(parts, start=3):
        ax = figure.add_subplot(grid[index])
        part[3](ax)
        _tick_size(ax)
    foot = figure.add_subplot(grid[len(heights) - 1])
    foot.set_axis_off()
    source = foot.text(0.5, 0.5, f"数据来源：{report.title}", ha="center", va="center", fontsize=13, color=MUTED)
    source.set_transform(_across(figure, foot.transAxes))
    source.set_in_layout(False)
    alt = " ".join(
        [
            f"{report.title}（图解）。",
            _words("主动公开", figures_a, "").replace(" 。", "。"),
            _words("依申请公开", heads),
            *(p[4] for p in parts),
        ]
    )
    png, svg = _save(figure)
    plt.close(figure)
    return Chart("chart", f"{report.title}（图解）", alt, png, svg)
