"""The 图解: every number drawn read back from the SVG's text, the size of the images, the font, the command."""

from __future__ import annotations

import io
import re
import struct
import sys
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

import docgen
from docgen.cli import app
from docgen.statute import APPLICANT_COLUMNS, OUTCOME_COLUMNS, TABLE_C_LEAVES

from .conftest import EXAMPLES, ROOT, report_of

matplotlib = pytest.importorskip("matplotlib", reason="docgen[charts] (matplotlib) is not installed")

from docgen.outputs.charts import Charts, font_family, outcomes, render_charts  # noqa: E402 -- after the skip

SVG = "{http://www.w3.org/2000/svg}"
COUNTY = sorted((ROOT / "examples" / "county").glob("[!_]*.toml"))


@pytest.fixture(scope="module")
def drawn() -> dict[str, tuple[docgen.Report, Charts]]:
    out = {}
    for example in (*EXAMPLES, COUNTY[0]):
        report = report_of(example)
        out[example.stem] = (report, render_charts(report))
    return out


def _texts(svg: bytes) -> list[tuple[float, float, str]]:
    """Each text of an SVG with where it stands (x, y)."""
    out = []
    for text in ET.fromstring(svg).iter(f"{SVG}text"):
        content = "".join(text.itertext()).strip()
        if content:
            out.append((float(text.get("x", 0)), float(text.get("y", 0)), content))
    return out


def _beside(svg: bytes, labels: list[str]) -> dict[str, str]:
    """For a chart of horizontal bars: the figure printed on the line of each label."""
    texts = _texts(svg)
    out = {}
    for label in labels:
        x, y, _ = next(t for t in texts if t[2] == label)
        numbers = [t for t in texts if re.fullmatch(r"\d+(\.\d+)?", t[2]) and abs(t[1] - y) < 2 and t[0] > x]
        assert len(numbers) == 1, (label, numbers)
        out[label] = numbers[0][2]
    return out


def test_the_figures_on_the_charts_are_the_tables(drawn: dict[str, tuple[docgen.Report, Charts]]) -> None:
    """Read back from each SVG's text: the figure beside each applicant is 一、本年新收's; beside each result,
    the 总计 of its rows; over each outcome of 行政复议 and 行政诉讼, table C's."""
    for name, (report, charts) in drawn.items():
        parts = {chart.name: chart for chart in charts.parts}
        received = _beside(parts["applicants"].svg, [c.label.zh for c in APPLICANT_COLUMNS])
        for column in APPLICANT_COLUMNS:
            cell = report.tables.cells[("applications", "received", column.key)]
            assert Decimal(received[column.label.zh]) == cell.value, (name, column.key)
        results = outcomes(report)
        shown = _beside(parts["outcomes"].svg, [bar.label for bar in results])
        for bar in results:
            leaves = [p for p in report.tables.cells if p[:3] == ("applications", "results", _key(report, bar.label))]
            expected = sum(report.tables.value(p) for p in leaves if p[-1] == "total")
            assert Decimal(shown[bar.label]) == expected, (name, bar.label)
        numbers = [t[2] for t in _texts(parts["appeals"].svg) if t[2].isdigit()]
        expected_c = [str(report.tables.value(path + (c.key,))) for c in OUTCOME_COLUMNS for path, _ in TABLE_C_LEAVES]
        assert sorted(numbers) == sorted(expected_c), name


def _key(report: docgen.Report, short: str) -> str:
    results = next(node for node in report.format.table_b_rows if node.key == "results")
    return next(node.key for node in results.children if node.label.zh.startswith(short))


def test_the_long_image_holds_every_figure_of_table_a_and_the_headlines(
    drawn: dict[str, tuple[docgen.Report, Charts]],
) -> None:
    for name, (report, charts) in drawn.items():
        texts = [t[2] for t in _texts(charts.poster.svg)]
        assert report.title in "".join(texts) and any(report.issuer in t for t in texts), name  # on 1 or 2 lines
        for block in report.format.table_a:
            for row in block.rows:
                for column in block.columns:
                    cell = report.tables.cells[block.path(row, column)]
                    assert (cell.text or "0") in texts, (name, row.key, column.key)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_images_are_1080_wide_and_the_long_one_portrait(drawn: dict[str, tuple[docgen.Report, Charts]]) -> None:
    for report, charts in drawn.values():
        width, height = _png_size(charts.poster.png)
        assert width == 1080 and height > 2 * width
        assert all(_png_size(part.png)[0] == 1080 for part in charts.parts)
        assert report.title in charts.poster.alt


def test_chinese_is_set_in_a_simplified_chinese_font_that_has_every_character(
    drawn: dict[str, tuple[docgen.Report, Charts]],
) -> None:
    """The face the charts use is a mainland one (not a Japanese face of a collection), and it has a glyph for
    every character drawn: no tofu."""
    from matplotlib import font_manager, ft2font

    family = font_family()
    assert not re.search(r"\b(JP|KR|TC|HK)\b", family)
    entry = next(e for e in font_manager.fontManager.ttflist if e.name == family)
    face = ft2font.FT2Font(entry.fname, face_index=getattr(entry, "index", 0))
    for _, charts in drawn.values():
        svg = charts.poster.svg
        assert f"font-family: '{family}'".encode() in svg
        for _, _, text in _texts(svg):
            missing = [ch for ch in text if not ch.isspace() and face.get_char_index(ord(ch)) == 0]
            assert missing == [], text


def test_against_last_year_the_trend_shows_both_years(tmp_path: Path) -> None:
    last = EXAMPLES[-1].read_text(encoding="utf-8").replace("year = 2024", "year = 2023", 1)
    (tmp_path / "last.toml").write_text(last, encoding="utf-8")
    report, previous = report_of(EXAMPLES[-1]), report_of(tmp_path / "last.toml")
    charts = render_charts(report, previous=previous)
    trend = next(part for part in charts.parts if part.name == "trend")
    texts = [t[2] for t in _texts(trend.svg)]
    assert "2024年" in texts and "2023年" in texts
    received = str(report.tables.value(("applications", "received", "total")))
    assert texts.count(received) >= 2  # the same figure both years


def test_the_same_report_draws_the_same_svg() -> None:
    report = report_of(EXAMPLES[0])
    assert render_charts(report).poster.svg == render_charts(report).poster.svg


def test_the_chart_command_writes_every_image_and_nothing_for_a_bad_report(tmp_path: Path) -> None:
    runner = CliRunner()
    source = tmp_path / "q.toml"
    source.write_bytes(EXAMPLES[-1].read_bytes())
    result = runner.invoke(app, ["chart", str(source), "-o", str(tmp_path / "charts")])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "charts").iterdir())
    assert names == sorted(f"q.{n}.{s}" for n in ("chart", "applicants", "outcomes", "appeals") for s in ("png", "svg"))
    bad = tmp_path / "bad.toml"
    bad.write_text(source.read_text(encoding="utf-8").replace("year = 2024", 'year = "x"'), encoding="utf-8")
    assert runner.invoke(app, ["chart", str(bad), "-o", str(tmp_path / "none")]).exit_code == 1
    assert not (tmp_path / "none").exists()


def test_the_page_shows_the_charts_above_the_tables(tmp_path: Path) -> None:
    source = tmp_path / "q.toml"
    source.write_bytes(EXAMPLES[-1].read_bytes())
    assert CliRunner().invoke(app, ["render", str(source), "--html", "--charts"]).exit_code == 0
    html = (tmp_path / "q.html").read_text(encoding="utf-8")
    assert html.count('<img src="data:image/svg+xml;base64,') == 3
    assert html.index("<figure") < html.index("<table")
    assert 'alt="本年新收政府信息公开申请，按申请人分：自然人 86 件' in html


@pytest.fixture
def without_matplotlib(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib raises ImportError


@pytest.mark.usefixtures("without_matplotlib")
def test_without_matplotlib_the_message_says_how_to_install_it(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["chart", str(EXAMPLES[-1]), "-o", str(tmp_path)])
    assert result.exit_code == 3
    assert "pip install 'docgen[charts]'" in result.output
    assert list(tmp_path.iterdir()) == []
    batch = CliRunner().invoke(app, ["batch", str(EXAMPLES[-1]), "-o", str(tmp_path / "out"), "--charts"])
    assert batch.exit_code == 3 and "docgen[charts]" in batch.output and not (tmp_path / "out").exists()


def test_an_svg_is_an_svg() -> None:
    """What a browser or an editor opens: one svg root, its text as text."""
    report = report_of(EXAMPLES[0])
    root = ET.parse(io.BytesIO(render_charts(report).poster.svg)).getroot()
    assert root.tag == f"{SVG}svg" and root.find(f".//{SVG}text") is not None


def test_a_long_issuer_s_title_is_set_on_lines_that_fit(tmp_path: Path) -> None:
    """中共青山县委员会机构编制委员会办公室 (18 characters): the title goes on two lines within the image, and
    the layout is kept (matplotlib would warn, and the suite takes warnings as errors)."""
    text = EXAMPLES[-1].read_text(encoding="utf-8")
    long = re.sub(r'(?m)^issuer = ".*"', 'issuer = "中共青山县委员会机构编制委员会办公室"', text, count=1)
    (tmp_path / "long.toml").write_text(long, encoding="utf-8")
    report = report_of(tmp_path / "long.toml")
    texts = [t[2] for t in _texts(render_charts(report).poster.svg)]
    assert "中共青山县委员会机构编制委员会办公室" in texts and "2024年政府信息公开工作年度报告" in texts


def test_a_batch_remakes_a_chart_that_went_missing(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["batch", str(EXAMPLES[-1]), "-o", str(tmp_path / "out"), "--charts"]
    assert runner.invoke(app, args).exit_code == 0
    lost = next((tmp_path / "out").glob("*.appeals.png"))
    lost.unlink()
    assert runner.invoke(app, args).exit_code == 0
    assert lost.exists()


def test_a_trend_of_an_earlier_run_goes_when_last_year_is_not_given(tmp_path: Path) -> None:
    runner = CliRunner()
    last = EXAMPLES[-1].read_text(encoding="utf-8").replace("year = 2024", "year = 2023", 1)
    (tmp_path / "last.toml").write_text(last, encoding="utf-8")
    (tmp_path / "q.toml").write_bytes(EXAMPLES[-1].read_bytes())
    out = tmp_path / "charts"
    assert (
        runner.invoke(
            app, ["chart", str(tmp_path / "q.toml"), "-o", str(out), "--previous", str(tmp_path / "last.toml")]
        ).exit_code
        == 0
    )
    assert (out / "q.trend.png").exists()
    assert runner.invoke(app, ["chart", str(tmp_path / "q.toml"), "-o", str(out)]).exit_code == 0
    assert not (out / "q.trend.png").exists() and not (out / "q.trend.svg").exists()
