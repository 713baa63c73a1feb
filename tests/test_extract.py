"""docgen extract: published reports (.docx, PDF, web page) read back, our own and those other programs wrote."""

from __future__ import annotations

import copy
import random
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from benchmarks.generate import report as random_report
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import docgen
from docgen.cli import app
from docgen.model import Report, tabulate
from docgen.outputs.pdf import soffice
from docgen.statute import CELLS
from docgen.testing import document_texts

from .conftest import EXAMPLES, ROOT, warnings_of
from .handmade import Variants, blocks, placed, web_page, word_file
from .office import convert
from .test_rollup import _with_bare_rows

KINDS = ("docx", "lo.docx", "lo.pdf", "lo.html")


def same_report(found: Report, wanted: Report) -> None:
    """Every figure and every piece of text of ``wanted``, in ``found``."""
    assert found.format.name == wanted.format.name
    for path in CELLS[wanted.format.name]:
        assert found.tables.value(path) == wanted.tables.value(path), path
    assert (found.year, found.issuer, found.title, found.date) == (
        wanted.year,
        wanted.issuer,
        wanted.title,
        wanted.date,
    )
    assert found.overview == wanted.overview
    assert found.sections == wanted.sections
    assert found.problems == wanted.problems
    assert found.other_matters == wanted.other_matters


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """Each example rendered by docgen, then rewritten as .docx, exported as PDF and as a web page by LibreOffice."""
    work = tmp_path_factory.mktemp("published")
    out: dict[tuple[str, str], Path] = {}
    for example in EXAMPLES:
        target = work / f"{example.stem}.docx"
        target.write_bytes(docgen.render(docgen.check(example).require()))
        out[(example.stem, "docx")] = target
    if soffice() is None:
        return out
    docs = [out[(example.stem, "docx")] for example in EXAMPLES]
    for kind, filter_name in (("lo.docx", "docx:MS Word 2007 XML"), ("lo.html", "html")):
        written = convert(docs, filter_name, work / kind.replace(".", "-"), work / "profile")
        out.update({(example.stem, kind): path for example, path in zip(EXAMPLES, written, strict=True)})
    with docgen.Converter() as converter:  # docgen's PDF: LibreOffice's, with hanging punctuation off
        for example in EXAMPLES:
            out[(example.stem, "lo.pdf")] = work / f"{example.stem}.pdf"
            converter.convert(out[(example.stem, "docx")].read_bytes(), out[(example.stem, "lo.pdf")])
    return out


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_a_rendered_report_reads_back_whole(published: dict[tuple[str, str], Path], example: Path, kind: str) -> None:
    """Figures and text come back from the .docx, and from LibreOffice's .docx, PDF and web page of it;
    rendering what was read gives the same document text."""
    if kind.startswith("lo.") and soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: the exports cannot be made")
    source = docgen.extract(published[(example.stem, kind)])
    assert [i.format() for i in source.issues] == []
    result = docgen.check(source)
    assert [i.rule for i in result.issues] == warnings_of(example), [i.format() for i in result.issues]
    wanted = docgen.check(example).require()
    same_report(result.require(), wanted)
    assert document_texts(docgen.render(result.require())) == document_texts(docgen.render(wanted))


# --- any valid report ------------------------------------------------------------------------------------

_WORDS = "政府信息公开工作本年度我局按照要求认真落实主动公开依申请办理群众满意规范透明"


def _sentence(rng: random.Random) -> str:
    text = "".join(rng.choice(_WORDS) for _ in range(rng.randint(8, 90)))
    return text + rng.choice("。；！") if rng.random() < 0.9 else text + "2024年" + str(rng.randint(1, 999)) + "件。"


def _any_report(seed: int, fmt: str) -> dict[str, Any]:
    """A random valid report with what real ones have: sub-sections, several paragraphs, money with decimals,
    rows given as their total alone, a title of its own."""
    rng = random.Random(seed)
    doc = _with_bare_rows(random_report(rng, fmt), rng)

    def paragraphs() -> str:
        return "\n\n".join(_sentence(rng) for _ in range(rng.randint(1, 3)))

    doc["overview"] = {"text": paragraphs()}
    if rng.random() < 0.7:
        doc["overview"]["sections"] = [
            {"heading": _sentence(rng)[:20].rstrip("。；！"), "text": paragraphs()} for _ in range(rng.randint(1, 6))
        ]
    doc["problems"] = {"text": paragraphs()}
    if rng.random() < 0.5:
        doc["other_matters"] = {"text": paragraphs()}
    if rng.random() < 0.3:
        doc["title"] = f"{doc['issuer']}{doc['year']}年度政府信息公开工作报告"
    if fmt == "2021":
        doc["proactive"]["fees"] = Decimal(rng.randint(0, 10**6)).scaleb(-rng.randint(0, 4))
    else:
        doc["proactive"]["procurement"]["amount"] = Decimal(rng.randint(0, 10**6)).scaleb(-rng.randint(0, 4))
    return doc


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), fmt=st.sampled_from(["2021", "2019"]))
def test_any_valid_report_rendered_reads_back_equal(seed: int, fmt: str) -> None:
    """300 random valid reports of both formats, rendered to .docx and read back: the same report."""
    wanted = docgen.check(docgen.parse(_json(_any_report(seed, fmt)), "any.json")).require()
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "report.docx"
        path.write_bytes(docgen.render(wanted))
        source = docgen.extract(path)
    assert source.issues == ()
    same_report(docgen.check(source).require(), wanted)


def _json(doc: dict[str, Any]) -> str:
    from docgen.outputs.jsonfile import report_json

    return report_json(doc)


# --- the command -----------------------------------------------------------------------------------------


def test_extract_writes_a_report_file_that_validates(runner: CliRunner, tmp_path: Path) -> None:
    published = tmp_path / "q.docx"
    published.write_bytes(docgen.render(docgen.check(EXAMPLES[1]).require()))
    for target in (tmp_path / "q.toml", tmp_path / "q.json"):
        result = runner.invoke(app, ["extract", str(published), "-o", str(target)])
        assert result.exit_code == 0, result.output
        same_report(docgen.check(target).require(), docgen.check(EXAMPLES[1]).require())


def test_render_will_not_write_over_the_document_it_reads(runner: CliRunner, tmp_path: Path) -> None:
    published = tmp_path / "q.docx"
    published.write_bytes(docgen.render(docgen.check(EXAMPLES[1]).require()))
    before = published.read_bytes()
    result = runner.invoke(app, ["render", str(published)])
    assert result.exit_code == 2 and published.read_bytes() == before


# --- reports typed by hand, with the variants real ones show --------------------------------------------------

QINGSHAN = ROOT / "examples" / "qingshan-natural-resources-2024.toml"
SLIPS = Variants(
    labels={
        "一、本年新收政府信息公开申请数量": "一、本年新收政府信息公开申请数",  # a character missing
        "1.属于国家秘密": "1、属于国家秘密",
        "法律服务机构": "法律 服务机构",
        "社会公益组织": "社会公益\n组织",
        "商业企业": "商业企",
        "结果纠正": "结果纠纠正",  # a character too many, in table C
    },
    zero="/",
    thousands=True,
    money="元",
    headings={3: "四、政府信息公开行政法复议、行政诉讼情况"},
    inline_subheadings=True,
)
GUESSED = {
    "标题“四、政府信息公开行政法复议、行政诉讼情况”按“四、政府信息公开行政复议、行政诉讼情况”读取",
    "行“一、本年新收政府信息公开申请数”按“一、本年新收政府信息公开申请数量”读取",
    "列“商业企”按“商业企业”读取",
    "列“结果纠纠正”按“结果纠正”读取",
}


def _said(source: docgen.Source) -> list[str]:
    return [issue.format().split("] ", 1)[1] for issue in source.issues]


@pytest.mark.parametrize("kind", ["docx", "html"])
def test_a_report_typed_by_hand_reads_right_with_a_warning_per_guess(tmp_path: Path, kind: str) -> None:
    """A plain Word file (python-docx) and a portal's web page, typed with slips: the right figures and text,
    one warning per label guessed, one per table for the dashes, one for the money in 元."""
    wanted = docgen.check(QINGSHAN).require()
    path = tmp_path / f"typed.{kind}"
    parts = blocks(wanted, SLIPS)
    path.write_bytes(word_file(parts) if kind == "docx" else web_page(parts, charset="gbk"))
    source = docgen.extract(path)
    said = _said(source)
    assert {line for line in said if "按“" in line} == GUESSED
    assert sum("按空白读取" in line for line in said) == 3  # tables A, B and C
    assert any("“188710元”按 18.871 万元读取" in line for line in said)
    assert len(said) == len(GUESSED) + 3 + 1, said
    same_report(docgen.check(source).require(), wanted)


def test_full_width_digits_and_money_in_wan_yuan_read_as_numbers(tmp_path: Path) -> None:
    wanted = docgen.check(QINGSHAN).require()
    path = tmp_path / "typed.docx"
    path.write_bytes(word_file(blocks(wanted, Variants(full_width=True, money="万元", zero="0"))))
    source = docgen.extract(path)
    assert source.issues == ()
    same_report(docgen.check(source).require(), wanted)


def test_other_handling_as_one_row_counts_as_its_third_item(tmp_path: Path) -> None:
    """（六）其他处理 typed as one row, as in the 2019 format, in a 2021 table: read as 3.其他, said."""
    wanted = docgen.check(QINGSHAN).require()
    path = tmp_path / "typed.docx"
    path.write_bytes(word_file(blocks(wanted, Variants(one_other_row=True))))
    source = docgen.extract(path)
    assert _said(source) == ["行“三、本年度办理结果（六）其他处理”按“三、本年度办理结果（六）其他处理3.其他”读取"]
    found = docgen.check(source).require()
    other = ("applications", "results", "other")
    for column in ("natural_person", "legal_service", "total"):
        leaves = (other + (leaf, column) for leaf in ("no_correction", "fee_unpaid", "other"))
        assert found.tables.value(other + ("other", column)) == sum(wanted.tables.value(p) for p in leaves)
    assert found.tables.value(("applications", "results", "total", "total")) == wanted.tables.value(
        ("applications", "results", "total", "total")
    )


def test_a_later_report_with_the_2019_table_a_keeps_its_format_and_says_what_it_left(tmp_path: Path) -> None:
    wanted = docgen.check(QINGSHAN).require()
    path = tmp_path / "typed.docx"
    path.write_bytes(word_file(blocks(wanted, Variants(table_a_2019=True))))
    source = docgen.extract(path)
    assert source.data["format"] == "2021"
    said = _said(source)
    assert "列“本年新制作数量”按“本年制发件数”读取" in said and "行“规范性文件”按“行政规范性文件”读取" in said
    assert any(line.startswith("“27”未读取") for line in said)  # 对外公开总数量 has no column in 2021's table A
    found = docgen.check(source).require()
    for path_ in CELLS["2021"]:
        if path_[0] != "proactive":
            assert found.tables.value(path_) == wanted.tables.value(path_), path_


def test_the_blank_form_an_office_made_in_wps_reads_as_a_blank_report() -> None:
    form = ROOT.parent / "shared" / "reference" / "blank-form-wps.docx"
    if not form.exists():
        pytest.skip(f"{form} is absent (it is kept in ../shared beside the checkout)")
    source = docgen.extract(form)
    assert [i for i in source.issues if i.is_error] == []
    tables = tabulate(source.data)
    assert all(cell.state != "given" for cell in tables.cells.values())
    assert {i.path for i in docgen.check(source).issues if i.is_error} == {"year", "issuer", "date"}


# --- files that are not what they say, or are made to hurt ----------------------------------------------------


def _zip(path: Path, parts: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


_BODY = '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{}</w:body></w:document>'


def _paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def test_an_entity_pointing_at_a_file_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("绝密内容", encoding="utf-8")
    declared = f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
    body = _BODY.format(_paragraph("一、总体情况") + _paragraph("&x;"))
    docx_file = tmp_path / "x.docx"
    _zip(docx_file, {"word/document.xml": (declared + body).encode()})
    page = tmp_path / "x.html"
    page.write_text(f'<!DOCTYPE html [<!ENTITY x SYSTEM "{secret.as_uri()}">]><p>一、总体情况</p><p>&x;</p>')
    for path in (docx_file, page):
        try:
            said = repr(docgen.extract(path).data)
        except docgen.InputError as exc:
            said = exc.message()
        assert "绝密" not in said


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("bomb.docx", "bomb", "解压后过大"),
        ("old.docx", b"\xd0\xcf\x11\xe0" + bytes(600), "旧的 .doc"),
        ("page.pdf", b"<html><p>not a pdf</p></html>", "内容却不是"),
        ("broken.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 4, "不是可读的 PDF"),
        ("empty.docx", b"", "内容却不是"),
        ("no-report.html", "<p>今天天气很好。</p>".encode(), "这不像是一份年度报告"),
    ],
)
def test_a_file_that_is_not_a_report_gets_one_message(
    runner: CliRunner, tmp_path: Path, name: str, content: bytes | str, said: str
) -> None:
    path = tmp_path / name
    if content == "bomb":  # 300 MB of zeros in a 300 KB zip
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("word/document.xml", bytes(300 << 20))
    else:
        assert isinstance(content, bytes)
        path.write_bytes(content)
    result = runner.invoke(app, ["extract", str(path), "-o", str(tmp_path / "out.toml")])
    assert result.exit_code == 1, result.output
    assert said in result.output and "Traceback" not in result.output
    assert len([line for line in result.output.splitlines() if line.strip()]) == 1, result.output
    assert not (tmp_path / "out.toml").exists()


def _pdf(text_ops: str) -> bytes:
    """A one-page PDF whose content stream is ``text_ops``."""
    stream = text_ops.encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def test_a_pdf_page_too_dense_or_too_slow_is_refused(runner: CliRunner, tmp_path: Path, monkeypatch: Any) -> None:
    """A page of 45,000 characters is refused at once; a page that takes longer than its time is stopped."""
    dense = tmp_path / "dense.pdf"
    dense.write_bytes(
        _pdf("BT /F1 2 Tf " + " ".join(f"{i % 590} {i // 590 % 800} Td (x) Tj" for i in range(45_000)) + " ET")
    )
    result = runner.invoke(app, ["extract", str(dense)])
    assert result.exit_code == 1 and "第 1 页的字符或线条过多" in result.output, result.output
    slow = tmp_path / "slow.pdf"
    slow.write_bytes(_pdf("BT /F1 12 Tf 72 700 Td (1) Tj ET"))
    monkeypatch.setenv("DOCGEN_PDF_PAGE_SECONDS", "0.000001")
    result = runner.invoke(app, ["extract", str(slow)])
    assert result.exit_code == 1 and "第 1 页读取超时" in result.output, result.output


# --- last year's report as it was published ----------------------------------------------------------------


@pytest.fixture(scope="module")
def last_year(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """青山's 2023 report, its 四 (6 natural persons, 1 legal service) not the 2024 report's 二 (4 and 1 commercial),
    published as a Word file, a web page and (with LibreOffice) a PDF, each in a folder of its own."""
    data = copy.deepcopy(docgen.load(QINGSHAN).data)
    data["year"], data["date"] = 2023, "2024-01-22"
    report = docgen.check(docgen.parse(_json(data), "2023.json")).require()
    work = tmp_path_factory.mktemp("last-year")
    out = {"docx": work / "docx" / "2023.docx", "html": work / "html" / "2023.html", "pdf": work / "pdf" / "2023.pdf"}
    for path in out.values():
        path.parent.mkdir()
    out["docx"].write_bytes(docgen.render(report))
    out["html"].write_bytes(web_page(blocks(report)))
    if soffice() is None:
        del out["pdf"]
    else:
        with docgen.Converter() as converter:
            converter.convert(out["docx"].read_bytes(), out["pdf"])
    return out


def _carried_in_warnings(issues: Any) -> list[str]:
    return [issue.column.zh for issue in issues if issue.rule == "C6"]


@pytest.mark.parametrize("kind", ["docx", "html", "pdf"])
def test_last_years_published_report_is_a_previous_for_every_command(
    runner: CliRunner, last_year: dict[str, Path], tmp_path: Path, kind: str
) -> None:
    """validate, render and batch take last year's .docx, web page or PDF as --previous, and C6 compares with it."""
    if kind not in last_year:
        pytest.skip("LibreOffice (soffice) is not installed: the PDF cannot be made")
    previous = last_year[kind]
    expected = ["自然人", "商业企业", "法律服务机构", "总计"]
    assert _carried_in_warnings(docgen.check(QINGSHAN, previous=docgen.extract(previous)).issues) == expected
    checked = runner.invoke(app, ["validate", str(QINGSHAN), "--previous", str(previous)])
    assert checked.exit_code == 0 and checked.output.count("[C6]") == len(expected), checked.output
    target = tmp_path / "q.docx"
    rendered = runner.invoke(app, ["render", str(QINGSHAN), "-o", str(target), "--previous", str(previous)])
    assert rendered.exit_code == 0 and rendered.output.count("[C6]") == len(expected), rendered.output
    outcome = docgen.batch([QINGSHAN], tmp_path / "out", previous=previous.parent, jobs=1).outcomes[0]
    assert outcome.status == "rendered" and _carried_in_warnings(outcome.issues) == expected


def test_a_folder_gives_a_report_once_though_its_documents_lie_beside_it(tmp_path: Path) -> None:
    """2024.toml with the 2024.docx and 2024.pdf made from it is one report, read from the .toml; a document
    alone is read."""
    from docgen.inputs import find_reports

    for name in ("2024.toml", "2024.docx", "2024.pdf", "2024.json", "other.pdf", "other.html", "notes.txt"):
        (tmp_path / name).write_bytes(b"")
    found, _ = find_reports([tmp_path], documents=True)
    assert [f.path.name for f in found] == ["2024.json", "2024.toml", "other.html"]
    assert [f.path.name for f in find_reports([tmp_path])[0]] == ["2024.json", "2024.toml"]


@pytest.mark.parametrize("kind", ["docx", "html"])
def test_a_table_b_eleven_columns_wide_reads_by_its_labels(tmp_path: Path, kind: str) -> None:
    """One real page's table B has a header cell over two grid columns, and its figures under it likewise:
    11 columns, not 10.  Labels, not positions, place the figures."""
    wanted = docgen.check(QINGSHAN).require()
    parts = blocks(wanted, Variants(wide="自然人"))
    table_b = next(content for kind_, content in parts if kind_ == "table" and "申请人情况" in str(content))
    assert max(col + cols for _, col, _, cols, _ in placed(table_b)) == 11
    path = tmp_path / f"wide.{kind}"
    path.write_bytes(word_file(parts) if kind == "docx" else web_page(parts))
    source = docgen.extract(path)
    assert source.issues == ()
    same_report(docgen.check(source).require(), wanted)


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed: the PDF cannot be made")
def test_a_typed_report_printed_to_pdf_reads_back_though_its_tables_break_across_pages(tmp_path: Path) -> None:
    """A plain Word file (11 pt, page numbers in the footer) printed to PDF by LibreOffice: table B runs over
    several pages, a row broken by a page with the rest of its label on the next, the page number between
    rows, header cells wrapped over lines.  Figures and text come back, nothing assumed."""
    import pdfplumber

    wanted = docgen.check(QINGSHAN).require()
    typed = tmp_path / "typed.docx"
    typed.write_bytes(word_file(blocks(wanted), page_numbers=True))
    pdf = convert([typed], "pdf", tmp_path, tmp_path / "profile")[0]
    with pdfplumber.open(pdf) as opened:  # labels wrap inside their cells: compare without the breaks
        texts = [
            "".join((c or "") for t in page.extract_tables() for r in t for c in r).replace("\n", "")
            for page in opened.pages
        ]
    pages = [n for n, text in enumerate(texts) if any(label in text for label in ("不予公开", "不予处理", "其他处理"))]
    assert len(pages) >= 2, "table B should break across pages for this test to mean anything"
    source = docgen.extract(pdf)
    assert [issue.format() for issue in source.issues] == []
    same_report(docgen.check(source).require(), wanted)


@pytest.mark.parametrize("headings", [False, True], ids=["bare", "headings-repeated"])
@pytest.mark.parametrize("kind", ["docx", "html"])
def test_a_table_b_going_on_as_a_continued_table_reads_whole(tmp_path: Path, kind: str, headings: bool) -> None:
    """Table B cut within （四）无法提供 and typed on as a 续表 without the labels merged over the cut (and with
    its headings repeated, or not): the rows below are read under the headings above."""
    wanted = docgen.check(QINGSHAN).require()
    parts = blocks(wanted, Variants(continued="2.没有现成信息需要另行制作", continued_headings=headings))
    assert sum(kind_ == "table" for kind_, _ in parts) == 4
    path = tmp_path / f"continued.{kind}"
    path.write_bytes(word_file(parts) if kind == "docx" else web_page(parts))
    source = docgen.extract(path)
    assert source.issues == ()
    same_report(docgen.check(source).require(), wanted)


def test_fees_in_a_column_headed_in_yuan_are_read_as_ten_thousands(tmp_path: Path) -> None:
    """本年收费金额（单位：元） over 188710: the report holds 18.871 万元, and says it converted."""
    wanted = docgen.check(QINGSHAN).require()
    parts = blocks(wanted, Variants(labels={"本年收费金额（单位：万元）": "本年收费金额（单位：元）"}))
    in_yuan = [
        (kind, [[("188710" if text == "18.8710" else text, rs, cs) for text, rs, cs in row] for row in content])
        if kind == "table"
        else (kind, content)
        for kind, content in parts
    ]
    path = tmp_path / "yuan.html"
    path.write_bytes(web_page(in_yuan))
    source = docgen.extract(path)
    assert source.data["proactive"]["fees"] == Decimal("18.871")
    assert any("以元为单位：“188710”按 18.871 万元读取" in line for line in _said(source))
    path.write_bytes(path.read_bytes().replace(b"188710", "18.871万元".encode()))
    assert docgen.extract(path).data["proactive"]["fees"] == Decimal("18.871")  # the cell's own unit wins
