"""Rendering: the seed replica, blank versus zero, text safety, determinism, templates, threads."""

from __future__ import annotations

import io
import re
import threading
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from typer.testing import CliRunner

import docgen
from docgen.cli import app
from docgen.outputs.docx.layout import B_WIDTHS, C_WIDTHS, build
from docgen.outputs.docx.page import TEXT_WIDTH
from docgen.outputs.docx.template import PreparedTemplate, default_template, render, template_path
from docgen.outputs.jsonfile import report_json
from docgen.statute import FORMAT_SPECS, FORMATS, GRIDS, POSITIONS, TABLE_B_COLUMNS
from docgen.testing import document_texts, table_grids

from .conftest import EXAMPLES, ROOT, SEED, needs_seed, report_of

JINDIAN = ROOT / "examples" / "jindian-2024.toml"
HEDONG = ROOT / "examples" / "hedong-district-2020.toml"


def _report(path: Path) -> docgen.Report:
    return report_of(path)


def _with(county: Path, tmp_path: Path, old: str, new: str) -> Path:
    text = county.read_text(encoding="utf-8")
    assert old in text
    target = tmp_path / "report.toml"
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@needs_seed
def test_seed_replica_reads_as_the_seed() -> None:
    """The rendered 金殿镇 report, read in document order, is the seed text, whitespace aside."""
    seed = SEED.read_text(encoding="utf-8").replace("[bookmark: _GoBack]", "")
    rendered = "".join(document_texts(render(_report(JINDIAN))))
    assert _squash(rendered) == _squash(seed)


@pytest.mark.parametrize("fmt", FORMATS)
def test_committed_templates_are_up_to_date(fmt: str) -> None:
    """`make templates` has been run: the committed template is what the build script produces."""
    assert template_path(fmt).read_bytes() == build(fmt), "run `make templates`"


def test_page_setup_and_styles_follow_gbt_9704() -> None:
    doc = Document(io.BytesIO(render(_report(JINDIAN))))
    section = doc.sections[0]
    sizes = (section.page_width, section.page_height)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in sizes if m is not None] == [210, 297]
    assert [round(m.mm) for m in margins if m is not None] == [37, 35, 28, 26]
    styles = zipfile.ZipFile(io.BytesIO(render(_report(JINDIAN)))).read("word/styles.xml").decode()
    for font in ("方正小标宋简体", "黑体", "楷体_GB2312", "仿宋_GB2312", "宋体"):
        assert f'w:eastAsia="{font}"' in styles
    body = doc.styles["Normal"]
    assert body.font.size.pt == 16
    assert body.paragraph_format.line_spacing.pt == 28
    assert doc.styles["报告标题"].font.size.pt == 22
    assert 'w:firstLineChars="200"' in styles


def test_page_numbers_odd_right_even_left() -> None:
    doc = Document(io.BytesIO(render(_report(JINDIAN))))
    assert doc.settings.odd_and_even_pages_header_footer
    odd, even = doc.sections[0].footer.paragraphs[0], doc.sections[0].even_page_footer.paragraphs[0]
    assert (odd.alignment, even.alignment) == (2, 0)  # right, left
    for footer in (odd, even):
        assert footer.text.startswith("— ") and footer.text.endswith(" —")
        assert "PAGE" in footer._p.xml
        assert footer.style.font.size.pt == 14


_SPANS = {  # rows each group label of table B spans, as the notices print them
    "2021": {
        "三、本年度办理结果": 22,
        "（三）不予公开": 8,
        "（四）无法提供": 3,
        "（五）不予处理": 5,
        "（六）其他处理": 3,
    },
    "2019": {
        "三、本年度办理结果": 20,
        "（三）不予公开": 8,
        "（四）无法提供": 3,
        "（五）不予处理": 5,
        "（六）其他处理": 1,
    },
}


@pytest.mark.parametrize(("fmt", "example"), [("2021", JINDIAN), ("2019", HEDONG)])
def test_tables_have_the_official_shape_and_merges(fmt: str, example: Path) -> None:
    """Table B is 3 + 25 rows (3 + 23 in 2019) by 10, table C 4 by 15, and every merge of the grids is drawn."""
    doc = Document(io.BytesIO(render(_report(example))))
    assert sum(B_WIDTHS) == sum(C_WIDTHS) == TEXT_WIDTH
    _, grid_b, grid_c = GRIDS[fmt]
    assert (grid_b.rows, grid_b.cols) == (3 + (25 if fmt == "2021" else 23), 10)
    assert (grid_c.rows, grid_c.cols) == (4, 15)
    spans = {c.label.zh: c.rows for c in grid_b.cells if c.label and c.label.zh in _SPANS[fmt]}
    assert spans == _SPANS[fmt]
    for table, grid in zip(doc.tables, GRIDS[fmt], strict=True):
        assert (len(table.rows), len(table.columns)) == (grid.rows, grid.cols)
        for cell in grid.cells:
            first = table.cell(cell.row, cell.col)
            assert first._tc is table.cell(cell.row + cell.rows - 1, cell.col + cell.cols - 1)._tc, cell
            if cell.label is not None:
                assert first.text == cell.label.zh
    assert doc.tables[1].cell(0, 0).text.startswith("（本列数据的勾稽关系为")


def test_2019_template_has_its_own_rows() -> None:
    doc = Document(io.BytesIO(render(_report(HEDONG))))
    texts = [c.text for row in doc.tables[0].rows for c in row.cells]
    assert "政府集中采购" in texts and "1250.36" in texts and "-3" in texts


def _printed(data: bytes, fmt: str, *paths: tuple[str, ...]) -> list[str | None]:
    """The texts printed in the cells of ``paths``, found where the statute's grids put them."""
    grids = table_grids(data)
    return [grids[p.table][p.row][p.col] for p in (POSITIONS[fmt][path] for path in paths)]


def test_blank_given_and_computed_cells(county: Path, tmp_path: Path) -> None:
    """Omitted cells print blank, given ones as given, computed totals always."""
    path = _with(
        county,
        tmp_path,
        "granted = { natural_person = 40, commercial = 5, research = 1, legal_service = 2, total = 48 }",
        "granted = { natural_person = 40, commercial = 5, research = 1, legal_service = 2 }",
    )
    granted = [("applications", "results", "granted", c.key) for c in TABLE_B_COLUMNS]
    assert _printed(render(_report(path)), "2021", *granted) == ["40", "5", "1", "", "2", "", "48"]
    assert _printed(render(_report(county)), "2021", ("proactive", "fees")) == ["18.8710"]
    negative_zero = _with(county, tmp_path, "fees = 18.8710", "fees = -0.00")
    assert _printed(render(_report(negative_zero)), "2021", ("proactive", "fees")) == ["0.00"]


def test_text_is_escaped_and_never_evaluated(county: Path, tmp_path: Path) -> None:
    typed = "A&B <b>粗</b> \"引号\" '单' {{ 7*7 }} {% if true %}x{% endif %} {{issuer}}"
    path = _with(county, tmp_path, "严格落实公开前保密审查", typed)
    texts = document_texts(render(_report(path)))
    assert any(t.startswith("A&B <b>粗</b> \"引号\" '单' {{ 7*7 }} {% if true %}x{% endif %} {issuer}") for t in texts)


def test_forbidden_characters_are_removed_with_a_warning(county: Path, tmp_path: Path) -> None:
    path = _with(county, tmp_path, "严格落实公开前保密审查", "严格落实\\u000b公开前\\u0001保密审查")
    result = docgen.check(path)
    assert [i.rule for i in result.issues] == ["control-char"]
    data = render(result.require())
    assert any("严格落实公开前保密审查" in t for t in document_texts(data))
    assert b"\x0b" not in zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")


def test_same_input_same_bytes() -> None:
    assert render(_report(JINDIAN)) == render(_report(JINDIAN))
    infos = zipfile.ZipFile(io.BytesIO(render(_report(JINDIAN)))).infolist()
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert infos[0].filename == "[Content_Types].xml"


def _plain_docxtpl(template: bytes, report: docgen.Report) -> bytes:
    """What a docxtpl user's own render gives: a new DocxTemplate, render, save."""
    from docxtpl import DocxTemplate

    from docgen.outputs.docx.template import context, environment

    plain = DocxTemplate(io.BytesIO(template))
    plain.render(context(report), jinja_env=environment(), autoescape=True)
    out = io.BytesIO()
    plain.save(out)
    return out.getvalue()


def _reads_the_same(ours: bytes, theirs: bytes) -> None:
    """Same text in document order, same cells in the same grids, same footers and document title."""
    assert document_texts(ours) == document_texts(theirs)
    assert table_grids(ours) == table_grids(theirs)
    a, b = Document(io.BytesIO(ours)), Document(io.BytesIO(theirs))
    assert [p.text for p in a.sections[0].footer.paragraphs] == [p.text for p in b.sections[0].footer.paragraphs]
    assert a.core_properties.title == b.core_properties.title
    grid_cols = [len(t._tbl.tblGrid.gridCol_lst) for t in a.tables]
    assert grid_cols == [len(t._tbl.tblGrid.gridCol_lst) for t in b.tables]
    assert grid_cols == [max(sum(c.grid_span for c in row.tc_lst) for row in t._tbl.tr_lst) for t in a.tables]


@pytest.mark.parametrize("fmt", FORMATS)
def test_render_matches_a_plain_docxtpl_render(fmt: str) -> None:
    """The prepared path gives the document a plain DocxTemplate render gives: every figure different, both formats."""
    from .test_cells import _distinct_report
    from .test_cells import _report as distinct

    report = distinct(_distinct_report(fmt)[0])
    _reads_the_same(render(report), _plain_docxtpl(template_path(fmt).read_bytes(), report))


def test_custom_template_with_column_loop_footer_and_title_matches_docxtpl() -> None:
    """A column loop typed in split runs, a tag in the footer, one in the title property: as docxtpl renders them."""
    doc = Document(str(template_path("2021")))
    table = doc.add_table(rows=1, cols=3)
    first, middle, last = table.rows[0].cells
    first.paragraphs[0].add_run("{%")  # Word often splits what was typed in one go
    first.paragraphs[0].add_run("tc for section in sections %}")
    middle.paragraphs[0].add_run("{{ section.heading }}")
    last.paragraphs[0].add_run("{%t")
    last.paragraphs[0].add_run("c endfor %}")
    doc.sections[0].footer.paragraphs[0].add_run(" {{ issuer }}")
    doc.core_properties.title = "{{ title }}"
    custom = io.BytesIO()
    doc.save(custom)
    report = _report(ROOT / "examples" / "qingshan-natural-resources-2024.toml")
    assert len(report.sections) == 5  # the loop makes five cells of a table drawn with three columns
    ours = PreparedTemplate(custom.getvalue(), name="custom.docx", fmt=FORMAT_SPECS["2021"]).render(report)
    _reads_the_same(ours, _plain_docxtpl(custom.getvalue(), report))
    assert Document(io.BytesIO(ours)).core_properties.title == report.title
    assert table_grids(ours)[-1] == [[s.heading for s in report.sections]]


def test_threads_render_the_same_bytes() -> None:
    """Eight threads released at once render through one prepared template; each returns the single-thread bytes."""
    reports = [_report(p) for p in EXAMPLES if docgen.load(p).data.get("format", "2021") == "2021"]
    expected = [render(r) for r in reports]
    workers = 8
    start = threading.Barrier(workers)
    results: dict[int, list[bytes]] = {}

    def work(n: int) -> None:
        start.wait()  # all threads render at the same moment, not one after another
        results[n] = [render(r) for _ in range(3) for r in reports]

    threads = [threading.Thread(target=work, args=(n,)) for n in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert sorted(results) == list(range(workers)), "a thread did not return"
    assert all(r == expected * 3 for r in results.values())


@pytest.mark.parametrize("case", ["template-macro-doubling", "template-loops-over-a-built-list"])
def test_a_template_that_works_without_end_is_stopped_in_a_thread_too(
    monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    """A library caller rendering in a thread (no signals reach it): a template repeating silent work (a
    macro calling itself twice, 60 deep; two loops of 99,999) is stopped by the step or time budget."""
    monkeypatch.setenv("DOCGEN_RENDER_SECONDS", "1")
    folder = ROOT / "tests" / "bad_inputs" / case
    report = _report(folder / "q.toml")
    caught: list[docgen.TemplateError] = []

    def work() -> None:
        try:
            PreparedTemplate.from_path(folder / "t.docx", FORMAT_SPECS["2021"]).render(report)
        except docgen.TemplateError as exc:
            caught.append(exc)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive(), "the render did not stop"
    assert len(caught) == 1 and "template budget" in caught[0].message("en")


def _custom_template(tmp_path: Path, old: str, new: str) -> Path:
    doc = Document(str(template_path("2021")))
    for paragraph in doc.paragraphs:
        if old in paragraph.text:
            for run in paragraph.runs:
                run.text = run.text.replace(old, new)
    target = tmp_path / "custom.docx"
    doc.save(str(target))
    return target


def test_custom_template_with_a_misspelt_variable_exit_3(runner: CliRunner, tmp_path: Path, county: Path) -> None:
    bad = _custom_template(tmp_path, "{{ title }}", "{{ applications.recieved.total }}")
    out = tmp_path / "out.docx"
    result = runner.invoke(app, ["render", str(county), "-o", str(out), "--template", str(bad)])
    assert result.exit_code == 3
    assert "applications.recieved.total" in result.stderr and "applications.received.total" in result.stderr
    assert not out.exists()
    check = runner.invoke(app, ["check-template", str(bad)])
    assert check.exit_code == 3 and "applications.received.total" in check.stderr


def test_custom_template_renders(runner: CliRunner, tmp_path: Path, county: Path) -> None:
    good = _custom_template(tmp_path, "{{ title }}", "{{ issuer }}：收到{{ applications.received.total }}件")
    out = tmp_path / "out.docx"
    assert runner.invoke(app, ["render", str(county), "-o", str(out), "--template", str(good)]).exit_code == 0
    assert document_texts(out.read_bytes())[0] == "青山县自然资源局：收到106件"
    assert runner.invoke(app, ["check-template", str(good)]).exit_code == 0


def test_undefined_variable_is_an_error_not_empty_text() -> None:
    """A loop variable's missing attribute is caught at render time, never printed as nothing."""
    tpl = Document(str(template_path("2021")))
    for paragraph in tpl.paragraphs:
        if paragraph.text == "（{{ section.number }}）{{ section.heading }}":
            paragraph.runs[0].text = "{{ section.headline }}"
    data = io.BytesIO()
    tpl.save(data)
    prepared = PreparedTemplate(data.getvalue(), name="t.docx", fmt=FORMAT_SPECS["2021"])
    with pytest.raises(docgen.TemplateError, match="headline"):
        prepared.render(_report(JINDIAN))


def test_not_a_docx_is_a_template_error(tmp_path: Path) -> None:
    fake = tmp_path / "t.docx"
    fake.write_bytes(b"not a zip")
    with pytest.raises(docgen.TemplateError):
        PreparedTemplate.from_path(fake, FORMAT_SPECS["2021"])


def test_cli_render_writes_beside_the_input(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "jindian.toml"
    source.write_bytes(JINDIAN.read_bytes())
    result = runner.invoke(app, ["render", str(source)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "jindian.docx").read_bytes() == render(_report(JINDIAN))


def test_invalid_input_writes_nothing(runner: CliRunner, county: Path, tmp_path: Path) -> None:
    path = _with(county, tmp_path, "granted = { natural_person = 40,", "granted = { natural_person = 41,")
    out = tmp_path / "out.docx"
    out.write_bytes(b"last year's file")
    result = runner.invoke(app, ["render", str(path), "-o", str(out)])
    assert result.exit_code == 1 and "[C3]" in result.stderr
    assert out.read_bytes() == b"last year's file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.docx", "report.toml"]


def test_write_failure_leaves_nothing_behind(runner: CliRunner, tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("x")
    result = runner.invoke(app, ["render", str(JINDIAN), "-o", str(blocked / "out.docx")])
    assert result.exit_code == 3
    assert list(tmp_path.iterdir()) == [blocked]


def test_default_template_is_prepared_once() -> None:
    assert default_template("2021") is default_template("2021")


@pytest.mark.parametrize(
    ("issuer", "date", "indents"),
    [
        ("某县人民政府办公室", "2025年1月8日", (17.0, 19.0)),  # the name is longer: it ends two from the margin
        ("某局", "2025年12月28日", (17.0, 19.0)),  # the date is longer: it ends two from the margin
        ("金殿镇人民政府", "2025年1月8日", (18.0, 20.0)),  # one character longer: the date still keeps two
    ],
)
def test_signature_lines_follow_gbt_9704(issuer: str, date: str, indents: tuple[float, float]) -> None:
    """The date starts two characters right of the name; whichever reaches further right ends two from the margin."""
    from docgen.outputs.docx.page import LINE_CHARS, signature_indents, text_width

    name_left, date_left = signature_indents(issuer, date)
    assert (name_left, date_left) == indents
    assert date_left - name_left == 2
    assert min(LINE_CHARS - name_left - text_width(issuer), LINE_CHARS - date_left - text_width(date)) == 2


def test_rendered_signature_paragraphs_carry_their_indents() -> None:
    """The 落款 paragraphs of the seed replica: the name, then the date, two characters (632 twips) further right."""
    doc = Document(io.BytesIO(render(_report(JINDIAN))))
    name, day = [p for p in doc.paragraphs if p.style is not None and p.style.name == "落款"]
    assert (name.text, day.text) == ("金殿镇人民政府", "2025年1月8日")
    assert name.paragraph_format.left_indent is not None and day.paragraph_format.left_indent is not None
    assert day.paragraph_format.left_indent.twips - name.paragraph_format.left_indent.twips == 632


def test_a_disk_that_fills_during_a_write_leaves_the_old_file_and_no_part(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The write fails half-way (ENOSPC): the file that was there is unchanged, no temporary file is left,
    and the message says the disk is full."""
    import errno
    import os

    from docgen.files import write_atomic

    target = tmp_path / "report.docx"
    target.write_bytes(b"the old report")
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, data: bytes) -> int:
            self.handle.write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fdopen", lambda fd, mode: Full(real_fdopen(fd, mode)))
    with pytest.raises(docgen.FileError) as caught:
        write_atomic(target, b"x" * 100_000)
    assert "磁盘空间不足" in caught.value.message("zh") and "no space left" in caught.value.message("en")
    assert target.read_bytes() == b"the old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.docx"]


def test_a_file_replaced_keeps_who_may_read_it(tmp_path: Path) -> None:
    """Rendering again over a Word file only its owner may read leaves it so (0600 stays 0600)."""
    target = tmp_path / "out.docx"
    target.write_bytes(b"old")
    target.chmod(0o600)
    render(_report(JINDIAN), output=target)
    assert target.stat().st_mode & 0o777 == 0o600 and target.read_bytes() != b"old"
    fresh = tmp_path / "new.docx"
    render(_report(JINDIAN), output=fresh)
    assert fresh.stat().st_mode & 0o777 == 0o644


def test_nul_in_a_path_is_a_file_error(tmp_path: Path) -> None:
    with pytest.raises(docgen.FileError, match="空字符"):
        docgen.load(tmp_path / "a\0b.toml")
    with pytest.raises(docgen.FileError, match="空字符"):
        render(_report(JINDIAN), output=tmp_path / "a\0.docx")


def test_a_report_text_holding_docxtpl_escapes_is_printed_as_typed() -> None:
    """{_{ x }_} and {_% y %_} in a report's text: docxtpl's escapes for a template, printed as typed here."""
    data = docgen.load(JINDIAN).data
    data["overview"]["text"] = "写法{_{ x }_}与{_% y %_}照印。"
    report = docgen.check(docgen.parse(report_json(data), "r.json")).require()
    assert "写法{_{ x }_}与{_% y %_}照印。" in document_texts(docgen.render(report))


def test_a_hundred_and_twenty_sub_sections_are_numbered_on() -> None:
    data = docgen.load(JINDIAN).data
    data["overview"]["sections"] = [{"heading": f"第{n}项", "text": "内容。"} for n in range(1, 121)]
    texts = document_texts(docgen.render(docgen.check(docgen.parse(report_json(data), "r.json")).require()))
    assert "（九十九）第99项" in texts and "（一百）第100项" in texts and "（一百二十）第120项" in texts


@pytest.mark.parametrize("call", ["starter", "build_schema"])
def test_an_unknown_format_is_a_docgen_error(call: str) -> None:
    with pytest.raises(docgen.FormatError) as caught:
        docgen.starter("2022", schema_ref="x") if call == "starter" else docgen.build_schema("2022")
    assert isinstance(caught.value, docgen.DocgenError) and "2021 or 2019" in caught.value.message("en")
