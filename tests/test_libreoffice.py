"""LibreOffice is the real reader: every rendered example opens and converts to PDF in it."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from docgen.cli import app
from docgen.outputs.docx.template import render
from docgen.outputs.pdf import Converter, soffice

from .conftest import EXAMPLES, report_of

needs_libreoffice = pytest.mark.skipif(
    soffice() is None, reason="LibreOffice (soffice) is not installed; .ci/run installs libreoffice-writer-nogui"
)
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext is not installed; .ci/run installs poppler-utils"
)


@pytest.fixture(scope="module")
def converter() -> Iterator[Converter]:
    """One LibreOffice for the whole module."""
    with Converter() as shared:
        yield shared


@pytest.fixture(scope="module")
def pdfs(converter: Converter, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdf")
    out = {}
    for example in EXAMPLES:
        target = folder / f"{example.stem}.pdf"
        converter.convert(render(report_of(example)), target)
        out[example.stem] = target
    return out


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


@needs_libreoffice
@pytest.mark.parametrize("example", [p.stem for p in EXAMPLES])
def test_example_converts_to_pdf(pdfs: dict[str, Path], example: str) -> None:
    assert pdfs[example].read_bytes().startswith(b"%PDF")


@needs_libreoffice
@needs_poppler
@pytest.mark.parametrize("example", [p.stem for p in EXAMPLES])
def test_table_b_stays_on_one_page(pdfs: dict[str, Path], example: str) -> None:
    """Table B's first row (一、本年新收…) and last row (四、结转下年度继续办理) share a page."""
    pages = [re.sub(r"\s+", "", page) for page in _pages(pdfs[example])]
    first = [i for i, page in enumerate(pages) if "一、本年新收政府信息公开申请数量" in page]
    last = [i for i, page in enumerate(pages) if "四、结转下年度继续办理" in page]
    assert first and first == last


@needs_libreoffice
@needs_poppler
def test_pdf_carries_the_whole_seed_text(pdfs: dict[str, Path]) -> None:
    text = re.sub(r"\s+", "", "".join(_pages(pdfs["jindian-2024"])))
    for phrase in (
        "金殿镇2024年政府信息公开年度报告",
        "六、其他需要报告的事项",
        "金殿镇人民政府",
        "2025年1月8日",
        "—1—",
    ):
        assert phrase in text


@needs_libreoffice
@pytest.mark.skipif(
    shutil.which("pdffonts") is None, reason="pdffonts is not installed; .ci/run installs poppler-utils"
)
def test_no_japanese_fallback_font(pdfs: dict[str, Path]) -> None:
    """Missing official fonts are replaced by Simplified Chinese faces, not Noto's Japanese cut."""
    fonts = subprocess.run(["pdffonts", str(pdfs["jindian-2024"])], capture_output=True, text=True, check=True).stdout
    names = [line.split()[0] for line in fonts.splitlines()[2:]]
    assert names
    assert not [n for n in names if re.search(r"JP|jp|Japan", n)], names


@needs_libreoffice
def test_cli_pdf(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "r.docx"
    result = runner.invoke(app, ["render", str(EXAMPLES[0]), "-o", str(out), "--pdf"])
    assert result.exit_code == 0, result.output
    assert out.with_suffix(".pdf").read_bytes().startswith(b"%PDF")


def test_pdf_without_libreoffice_names_the_package(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "r.docx"
    result = runner.invoke(app, ["render", str(EXAMPLES[0]), "-o", str(out), "--pdf"], env={"PATH": str(tmp_path)})
    assert result.exit_code == 3
    assert "libreoffice-writer-nogui" in result.stderr
    assert not out.with_suffix(".pdf").exists()


def test_fonts_lists_each_official_font(runner: CliRunner) -> None:
    if shutil.which("fc-match") is None:
        pytest.skip("fontconfig is not installed")
    result = runner.invoke(app, ["fonts"])
    assert result.exit_code == 0
    for font in ("方正小标宋简体", "黑体", "楷体_GB2312", "仿宋_GB2312", "宋体"):
        assert font in result.stdout
