"""LibreOffice is the real reader: every rendered example opens and converts to PDF in it."""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pytest
from benchmarks.generate import report as random_report
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import docgen
from docgen.cli import app
from docgen.outputs.docx.template import render
from docgen.outputs.jsonfile import report_json
from docgen.outputs.pdf import Converter, uno_python
from docgen.testing import running

from .conftest import EXAMPLES, report_of
from .office import needs_libreoffice

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


# --- the page as GB/T 9704 sets it, measured in LibreOffice's PDF ---------------------------------


def _pdf_of(converter: Converter, county: Path, tmp_path: Path, old: str, new: str) -> Path:
    text = county.read_text(encoding="utf-8")
    assert old in text
    source = tmp_path / "report.toml"
    source.write_text(text.replace(old, new, 1), encoding="utf-8")
    target = tmp_path / "report.pdf"
    converter.convert(render(report_of(source)), target)
    return target


@needs_libreoffice
@needs_poppler
def test_a_full_line_holds_28_characters(converter: Converter, county: Path, tmp_path: Path) -> None:
    """A paragraph opening with 100 characters: 26 after the two-character indent, then 28 a line (版心 28 x 22)."""
    pdf = _pdf_of(converter, county, tmp_path, "严格落实公开前保密审查", "国" * 100)
    lines = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    runs = [len(line) for line in lines.splitlines() if line and set(line) == {"国"}]
    assert runs == [26, 28, 28]  # the fourth line goes on with the rest of the paragraph


@dataclass(frozen=True)
class _Word:
    text: str
    x_min: float
    x_max: float
    y_min: float


def _words(pdf: Path, page: int) -> list[_Word]:
    """Words of one page with their boxes, from ``pdftotext -bbox`` (points from the page's top left)."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>'
    return [_Word(m[4], float(m[1]), float(m[3]), float(m[2])) for m in re.finditer(pattern, html)]


@needs_libreoffice
@needs_poppler
def test_signature_block_is_placed_as_gbt_9704_says(pdfs: dict[str, Path]) -> None:
    """金殿镇人民政府 over 2025年1月8日: the date starts two characters right of the name, both right of centre.

    The date (six characters wide) would end one character from the margin, so
    it keeps two and the name ends three from the margin (7.3.5.2).
    """
    pdf = pdfs["jindian-2024"]
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    last = int(re.search(r"Pages:\s+(\d+)", pages)[1])  # type: ignore[index]
    words = _words(pdf, last)
    name = next(w for w in words if w.text == "金殿镇人民政府")
    date = min((w for w in words if w.y_min > name.y_min), key=lambda w: (w.y_min, w.x_min))
    char = 15.75  # a 16 pt character set 0.25 pt narrower
    right_edge = (210 - 26) / 25.4 * 72  # the right margin, in points from the page's left edge
    assert date.text.startswith("2025")
    assert date.x_min - name.x_min == pytest.approx(2 * char, abs=1.5)
    assert right_edge - name.x_max == pytest.approx(3 * char, abs=1.5)


# --- one LibreOffice for many documents -----------------------------------------------------------


@needs_libreoffice
def test_many_documents_go_through_one_libreoffice(converter: Converter, pdfs: dict[str, Path]) -> None:
    """Every example went through the module's converter; one more document does not start another LibreOffice."""
    assert converter.backend == "uno", "python3-uno is missing: .ci/run installs it"
    worker = converter._state.worker
    assert worker is not None and worker.poll() is None
    assert converter.to_pdf(render(report_of(EXAMPLES[0]))).startswith(b"%PDF-")
    assert converter._state.worker is worker


def _fake_soffice(folder: Path, body: str) -> None:
    program = folder / "soffice"
    program.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    program.chmod(0o755)


@pytest.mark.parametrize("backend", ["soffice", "uno"])
def test_a_hanging_libreoffice_is_stopped_with_a_message(
    backend: Literal["soffice", "uno"], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A LibreOffice that never answers is killed after the timeout; nothing of it keeps running, not even a
    child it started."""
    _fake_soffice(tmp_path, "sleep 602 & sleep 600")
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    if backend == "uno" and uno_python(str(tmp_path / "soffice")) is None:
        pytest.skip("no Python with LibreOffice's uno bridge: .ci/run installs python3-uno")
    with Converter(backend=backend, timeout=1, start_timeout=1) as hanging:
        with pytest.raises(docgen.RenderError) as caught:
            hanging.to_pdf(b"not read")
        assert "超时" in caught.value.message("zh") and "longer than" in caught.value.message("en")
        folder = hanging._state.folder
    assert running(str(tmp_path / "soffice")) == [] and running("sleep 602") == []
    assert folder is not None and not folder.exists()


@pytest.mark.parametrize("backend", ["soffice", "uno"])
def test_a_crashing_libreoffice_says_so_in_a_message_of_bounded_size(
    backend: Literal["soffice", "uno"], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A LibreOffice that prints 50 MB and dies: one message, its size bounded, no PDF, nothing running."""
    _fake_soffice(tmp_path, "head -c 52428800 /dev/zero | tr '\\0' x; exit 70")
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    if backend == "uno" and uno_python(str(tmp_path / "soffice")) is None:
        pytest.skip("no Python with LibreOffice's uno bridge: .ci/run installs python3-uno")
    target = tmp_path / "out.pdf"
    with (
        Converter(backend=backend, timeout=30, start_timeout=30) as crashing,
        pytest.raises(docgen.RenderError) as caught,
    ):
        crashing.convert(b"PK", target)
    assert len(caught.value.message("zh")) <= 2100 and "LibreOffice" in caught.value.message("en")  # its tail
    assert not target.exists() and running(str(tmp_path / "soffice")) == []


@pytest.mark.parametrize(
    "written",
    [
        "head -c 4096 /dev/urandom",
        "{ echo %PDF-1.7; head -c 4096 /dev/urandom; }",
        "printf '%s\\n' %PDF-1.7 '1 0 obj << /Type /Catalog >> endobj'",
    ],
    ids=["noise", "a-header-then-noise", "cut-off"],
)
def test_a_result_that_is_not_a_pdf_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written: str) -> None:
    """A converter that writes noise, a PDF header then noise, or a PDF that stops before its end where the
    PDF belongs: an error, and no file at the output."""
    # the last argument is the document; write the bytes where its PDF belongs
    noise = f'for last; do :; done; {written} > "$(dirname "$last")/$(basename "$last" .docx).pdf"'
    _fake_soffice(tmp_path, noise)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    target = tmp_path / "out.pdf"
    with Converter(backend="soffice") as converter, pytest.raises(docgen.RenderError, match="PDF"):
        converter.convert(b"PK", target)
    assert not target.exists()


@pytest.mark.parametrize("sent", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_during_render_pdf_leaves_nothing_running_or_behind(tmp_path: Path, sent: signal.Signals) -> None:
    """render --pdf stopped while LibreOffice converts: LibreOffice and its children are gone, and so is the
    converter's temporary folder; the Word file written before is whole, and no PDF or part is left."""
    fake = tmp_path / "bin"
    fake.mkdir()
    started = tmp_path / "started"
    # the last argument is the document: say we started, then hang as a stuck LibreOffice does, with a child
    _fake_soffice(fake, f'touch "{started}"; sleep 601 & sleep 601')
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    (tmp_path / "q.toml").write_bytes(EXAMPLES[0].read_bytes())
    env = {**os.environ, "PATH": f"{fake}:{os.environ['PATH']}", "TMPDIR": str(scratch)}
    process = subprocess.Popen(
        [sys.executable, "-m", "docgen", "render", "q.toml", "--pdf"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    for _ in range(600):
        if started.exists() or process.poll() is not None:
            break
        time.sleep(0.05)
    assert started.exists(), process.communicate()
    process.send_signal(sent)
    process.communicate(timeout=60)
    assert process.returncode == 130  # stopped, as the README says
    assert running(str(fake / "soffice")) == [] and running("sleep 601") == []
    assert list(scratch.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin", "q.docx", "q.toml", "started", "tmp"]


@needs_libreoffice
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**32 - 1), fmt=st.sampled_from(["2021", "2019"]))
def test_any_valid_report_renders_to_a_document_libreoffice_opens(converter: Converter, seed: int, fmt: str) -> None:
    """Random valid reports of both formats: LibreOffice opens each rendered file and prints the issuer and
    the total of table B into its PDF."""
    report = docgen.check(docgen.parse(report_json(random_report(random.Random(seed), fmt)), "r.json")).require()
    pdf = converter.to_pdf(render(report))
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert report.issuer in text.replace(" ", "")
    assert str(report.tables.value(("applications", "results", "total", "total"))) in text
