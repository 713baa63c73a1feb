"""The portal page: its tables read back as grids, its headers, escaping, the fragment, and Chromium's view."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import lxml.html
import pytest
from lxml.html import HtmlElement
from typer.testing import CliRunner

import docgen
from docgen.cli import app
from docgen.outputs.html import page, render_html
from docgen.statute import GRIDS, INFO_CONTENT, POSITIONS

from .browser import Browser, file_url, needs_browser
from .conftest import EXAMPLES, ROOT, report_of

COUNTY = sorted((ROOT / "examples" / "county").glob("[!_]*.toml"))
ALL = EXAMPLES + COUNTY


def _grids(html: str) -> list[dict[tuple[int, int], tuple[HtmlElement, int, int]]]:
    """Every table of a page as a grid: each (row, column) covered, with the cell there and where it starts
    (its colspan and rowspan resolved, as a browser lays them out)."""
    out = []
    for table in lxml.html.fromstring(html).iter("table"):
        grid: dict[tuple[int, int], tuple[HtmlElement, int, int]] = {}
        for r, row in enumerate(table.iter("tr")):
            c = 0
            for cell in row:
                if cell.tag not in ("td", "th"):
                    continue
                while (r, c) in grid:
                    c += 1
                rows, cols = int(cell.get("rowspan", "1")), int(cell.get("colspan", "1"))
                for dr in range(rows):
                    for dc in range(cols):
                        grid[(r + dr, c + dc)] = (cell, r, c)
                c += cols
        out.append(grid)
    return out


def _text(cell: HtmlElement) -> str:
    return str(cell.text_content()).strip()


@pytest.mark.parametrize("example", ALL, ids=[p.stem for p in ALL])
def test_the_tables_read_back_as_the_official_grids_with_the_reports_figures(example: Path) -> None:
    """Table B (and A and C), colspan and rowspan resolved into a grid: every figure where the statute places
    it, equal to the report's; every label and header the official one, with its merge."""
    report = report_of(example)
    grids = _grids(page(report))
    assert len(grids) == 3
    for index, (grid, expected) in enumerate(zip(grids, GRIDS[report.format.name], strict=True)):
        assert max(r for r, _ in grid) + 1 == expected.rows and max(c for _, c in grid) + 1 == expected.cols
        for cell in expected.cells:
            found, row, col = grid[(cell.row, cell.col)]
            assert (row, col) == (cell.row, cell.col), f"table {expected.name}: a cell starts elsewhere"
            assert (int(found.get("rowspan", "1")), int(found.get("colspan", "1"))) == (cell.rows, cell.cols)
            if cell.role == "value":
                assert POSITIONS[report.format.name][cell.path].table == index
                assert _text(found) == report.tables.cells[cell.path].text, cell.path
            else:
                assert cell.label is not None and _text(found) == cell.label.zh


def test_each_figure_names_its_row_and_column_headers() -> None:
    """A screen reader reads a figure with its headers: （一）予以公开，自然人 for the first figure of 予以公开."""
    report = report_of(EXAMPLES[-1])
    tree = lxml.html.fromstring(page(report))
    path = ("applications", "results", "granted", "natural_person")
    position = POSITIONS[report.format.name][path]
    grid = _grids(page(report))[position.table]
    cell = grid[(position.row, position.col)][0]
    by_id = {element.get("id"): element for element in tree.iter() if element.get("id")}
    named = [_text(by_id[i]) for i in cell.get("headers").split()]
    assert named == ["三、本年度办理结果", "（一）予以公开", "申请人情况", "自然人"]  # the row, then the column
    assert _text(cell) == report.tables.cells[path].text
    for header in tree.iter("th"):  # every header is a header of some figure, but 信息内容, above the row labels
        if _text(header) == INFO_CONTENT.zh:
            continue
        assert tree.xpath(f"//td[contains(concat(' ', @headers, ' '), ' {header.get('id')} ')]"), _text(header)


def test_the_page_gives_back_the_report_when_read() -> None:
    """docgen extract reads the page, and its fragment, back to the same figures and text (the 图解 skipped)."""
    for fragment in (False, True):
        report = report_of(EXAMPLES[-1])
        back = docgen.check(docgen.parse(_extracted(page(report, fragment=fragment)), "back.toml")).require()
        assert {p: c.value for p, c in back.tables.cells.items()} == {
            p: c.value for p, c in report.tables.cells.items()
        }
        assert (back.title, back.issuer, back.date, back.overview, back.sections) == (
            report.title,
            report.issuer,
            report.date,
            report.overview,
            report.sections,
        )
        assert (back.problems, back.other_matters) == (report.problems, report.other_matters)


def _extracted(html: str) -> str:
    import tempfile

    from docgen.outputs.toml import report_toml

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.html"
        path.write_text(html, encoding="utf-8")
        return report_toml(docgen.extract(path).data)


HOSTILE = "<script>alert(1)</script></style><b onclick=x>粗</b>&amp; {{ title }}"


def _hostile(tmp_path: Path) -> Path:
    text = (EXAMPLES[-1]).read_text(encoding="utf-8")
    text = text.replace("深入贯彻", json.dumps(HOSTILE, ensure_ascii=False)[1:-1], 1)
    path = tmp_path / "hostile.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("fragment", [False, True], ids=["page", "fragment"])
def test_text_from_the_report_is_escaped(tmp_path: Path, fragment: bool) -> None:
    report = report_of(_hostile(tmp_path))
    html = page(report, fragment=fragment)
    tree = lxml.html.fromstring(html)
    assert tree.xpath("//script") == [] and tree.xpath("//b") == []
    assert any(HOSTILE in _text(p) for p in tree.iter("p"))


def test_the_fragment_carries_its_styles_on_its_elements() -> None:
    """For a portal editor that strips <style>: no stylesheet, no class, every element styled inline."""
    html = page(report_of(EXAMPLES[-1]), fragment=True)
    tree = lxml.html.fromstring(html)
    assert tree.tag == "article" and "<style" not in html and "<html" not in html
    assert tree.xpath("//*[@class]") == []
    assert all(cell.get("style") for cell in tree.iter("td", "th", "table", "p", "h1", "h2"))


def test_render_html_writes_nothing_for_an_invalid_report(tmp_path: Path, runner: CliRunner) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(EXAMPLES[-1].read_text(encoding="utf-8").replace("year = 2024", 'year = "2024"'), "utf-8")
    result = runner.invoke(app, ["render", str(bad), "--html"])
    assert result.exit_code == 1 and not (tmp_path / "bad.html").exists()


@pytest.mark.parametrize(
    "options",
    [["--fragment"], ["--charts"], ["--html", "--pdf"], ["--html", "--template", "t.docx"]],
    ids=["fragment-alone", "charts-alone", "html-and-pdf", "html-and-template"],
)
def test_options_that_go_with_html_or_without_it(runner: CliRunner, tmp_path: Path, options: list[str]) -> None:
    result = runner.invoke(app, ["render", str(EXAMPLES[-1]), "-o", str(tmp_path / "x.html"), *options])
    assert result.exit_code == 2 and list(tmp_path.iterdir()) == []


def test_render_and_batch_write_pages(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "q.toml"
    source.write_bytes(EXAMPLES[-1].read_bytes())
    assert runner.invoke(app, ["render", str(source), "--html"]).exit_code == 0
    assert (tmp_path / "q.html").read_text(encoding="utf-8") == page(report_of(source))
    result = runner.invoke(app, ["batch", str(ROOT / "examples" / "county"), "-o", str(tmp_path / "out"), "--html"])
    assert result.exit_code == 0, result.output
    pages = sorted((tmp_path / "out").glob("*.html"))
    assert len(pages) == len(COUNTY) and len(list((tmp_path / "out").glob("*.docx"))) == len(COUNTY)


# --- in a real browser --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The page of each example, and the seed replica's fragment inside a portal-like host page."""
    folder = tmp_path_factory.mktemp("pages")
    out = {}
    for example in EXAMPLES:
        target = folder / f"{example.stem}.html"
        render_html(report_of(example), output=target)
        out[example.stem] = target
    cited = (
        EXAMPLES[-1]
        .read_text(encoding="utf-8")
        .replace(
            "深入贯彻",
            "（http://www.qingshanxian.gov.cn/col/col1229012345/index.html?uid=5567890&pageNum=1）深入贯彻",
            1,
        )
    )
    (folder / "cited.toml").write_text(cited, encoding="utf-8")
    render_html(report_of(folder / "cited.toml"), output=folder / "cited.html")  # a long URL must wrap
    out["cited"] = folder / "cited.html"
    if importlib.util.find_spec("matplotlib") is not None:  # the page with its 图解 (docgen[charts])
        from docgen.outputs.charts import page_pictures

        report = report_of(EXAMPLES[-1])
        render_html(report, charts=page_pictures(report), output=folder / "charts.html")
        out["charts"] = folder / "charts.html"
    fragment = page(report_of(EXAMPLES[0]), fragment=True)
    host = folder / "host.html"
    host.write_text(
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>政府信息公开</title></head>'
        f"<body><main>{fragment}</main></body></html>",
        encoding="utf-8",
    )
    out["fragment"] = host
    return out


_OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
_BOX_B = (
    "(() => { const box = document.querySelectorAll('table')[1].parentElement;"
    " return box.scrollWidth - box.clientWidth })()"
)


@needs_browser
@pytest.mark.parametrize("width", [1280, 640, 375], ids=["desktop", "zoom-200", "phone"])
def test_the_page_fits_its_width_and_only_table_b_scrolls(browser: Browser, pages: dict[str, Path], width: int) -> None:
    """No console message; the page never wider than the screen (640 px is 1280 at 200% zoom); on a phone,
    table B scrolls inside its own box; body text at least 16 px; nothing loaded from outside."""
    for name, path in pages.items():
        view = browser.open(file_url(path), width=width)
        try:
            assert view.console == [], name
            assert view.evaluate(_OVERFLOW) <= 0, name
            if width == 375:
                assert view.evaluate(_BOX_B) > 0, name
                shown = view.evaluate("Array.from(document.querySelectorAll('img')).map(i => i.clientWidth)")
                assert all(w >= 600 for w in shown), (name, shown)  # a chart scrolls, its words at their size
            sizes = view.evaluate(
                "Array.from(document.querySelectorAll('p, td, th, caption, figcaption'))"
                ".map(e => getComputedStyle(e).fontSize)"
            )
            assert sizes and all(float(size.removesuffix("px")) >= 16 for size in sizes), name
            assert view.evaluate("document.querySelectorAll('script, link, iframe').length") == 0, name
        finally:
            view.close()


@needs_browser
@pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "phone"])
def test_axe_finds_no_wcag_violation(browser: Browser, pages: dict[str, Path], width: int) -> None:
    for name, path in pages.items():
        view = browser.open(file_url(path), width=width)
        try:
            assert view.axe() == [], name
        finally:
            view.close()


@needs_browser
def test_printed_the_tables_fit_the_paper(browser: Browser, pages: dict[str, Path]) -> None:
    """With the print stylesheet at the width of A4 (794 px), no table needs a scroll box."""
    view = browser.open(file_url(pages[EXAMPLES[0].stem]), width=794)
    try:
        view.media("print")
        assert view.evaluate(_OVERFLOW) <= 0
        assert view.evaluate(_BOX_B) <= 0
    finally:
        view.close()
