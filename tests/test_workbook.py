"""Workbooks: the form a body fills in, read back as a report; the roster; bad workbooks; LibreOffice's reading."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

import docgen
from docgen.cli import app
from docgen.inputs.workbook import read_workbook
from docgen.model import lookup
from docgen.narrative import paragraphs
from docgen.outputs.pdf import soffice
from docgen.sheets import FORMS, OK, TABLES, TEXT, is_total, section_paths
from docgen.statute import CELLS, GRIDS

from .conftest import ROOT

COUNTY = ROOT / "examples" / "county"
EXAMPLES = {
    "2021": ROOT / "examples" / "qingshan-natural-resources-2024.toml",
    "2019": ROOT / "examples" / "hedong-district-2020.toml",
}


def _cell(book: Any, name: str) -> Any:
    """The cell a workbook-level name points at."""
    (sheet, coordinate), *_ = book.defined_names[name].destinations
    return book[sheet][coordinate.replace("$", "")]


def _fill(book: Any, data: dict[str, Any], fmt: str) -> None:
    """Type a report's figures, facts and texts into a blank form through its names, as a clerk would."""
    form = FORMS[fmt]
    for path in form.figures:
        value = lookup(data, path)
        if value is not None and not isinstance(value, dict) and not is_total(form.format, path):
            _cell(book, ".".join(path)).value = float(value) if isinstance(value, Decimal) else value
            if isinstance(value, Decimal):  # the clerk shows as many decimals as the report has
                decimals = -int(value.as_tuple().exponent)
                _cell(book, ".".join(path)).number_format = "0." + "0" * decimals
    for key in ("issuer", "year", "date", "title"):
        if key in data:
            _cell(book, key).value = (
                data[key] if key != "date" else __import__("datetime").date.fromisoformat(data[key])
            )
    for path in (("overview", "text"), ("problems", "text"), ("other_matters", "text")):
        text = lookup(data, path)
        if isinstance(text, str):
            _cell(book, ".".join(path)).value = "\n".join(paragraphs(text))
    for index, section in enumerate(lookup(data, ("overview", "sections")) or []):
        heading, text = section_paths(index)
        _cell(book, ".".join(heading)).value = section["heading"]
        _cell(book, ".".join(text)).value = "\n".join(paragraphs(section["text"]))


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_a_form_filled_through_its_names_renders_as_the_toml_does(runner: CliRunner, tmp_path: Path, fmt: str) -> None:
    blank = tmp_path / "blank.xlsx"
    assert runner.invoke(app, ["init", "--xlsx", str(blank), "--format", fmt]).exit_code == 0
    book = openpyxl.load_workbook(blank)
    source = docgen.load(EXAMPLES[fmt])
    _fill(book, dict(source.data), fmt)
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    result = docgen.check(filled)
    assert result.report is not None, [i.format() for i in result.issues]
    assert docgen.render(result.report) == docgen.render(docgen.check(source).require())


def test_init_from_a_report_and_last_years_carry_over(runner: CliRunner, tmp_path: Path) -> None:
    """--from fills the form from a report (the same document again); --previous fills 二、上年结转."""
    form = tmp_path / "f.xlsx"
    town = COUNTY / "qingshi.toml"
    assert runner.invoke(app, ["init", "--xlsx", str(form), "--from", str(town)]).exit_code == 0
    assert docgen.render(docgen.check(form).require()) == docgen.render(docgen.check(town).require())
    last = tmp_path / "last.toml"
    text = town.read_text(encoding="utf-8")
    assert "carried_forward = { total = 0 }" in text
    last.write_text(
        text.replace("carried_forward = { total = 0 }", "carried_forward = { natural_person = 3, total = 3 }"),
        encoding="utf-8",
    )
    shutil.copy(COUNTY / "_defaults.toml", tmp_path)
    again = tmp_path / "g.xlsx"
    assert (
        runner.invoke(app, ["init", "--xlsx", str(again), "--from", str(town), "--previous", str(last)]).exit_code == 0
    )
    assert _cell(openpyxl.load_workbook(again), "applications.carried_in.natural_person").value == 3


def test_one_wrong_figure_names_its_sheet_cell_and_labels(runner: CliRunner, tmp_path: Path) -> None:
    form = tmp_path / "f.xlsx"
    runner.invoke(app, ["init", "--xlsx", str(form), "--from", str(EXAMPLES["2021"])])
    book = openpyxl.load_workbook(form)
    _cell(book, "applications.received.natural_person").value += 1
    book.save(form)
    result = runner.invoke(app, ["validate", str(form)])
    assert result.exit_code == 1
    # C1 is reported where the stated side is typed: 四、结转下年度继续办理's cell (（七）总计 is the form's formula)
    place = FORMS["2021"].figures[("applications", "carried_forward", "natural_person")]
    cell = f"{openpyxl.utils.get_column_letter(place.col)}{place.row}"
    assert (
        f"{form}!{TABLES}!{cell}: [C1] 三、本年度办理结果（七）总计 + 四、结转下年度继续办理 / 自然人："
        "应为 91（第一项加第二项之和），实为 90"
    ) in result.stdout.splitlines()


def test_a_name_another_program_lost_is_read_from_its_place(tmp_path: Path, runner: CliRunner) -> None:
    form = tmp_path / "f.xlsx"
    runner.invoke(app, ["init", "--xlsx", str(form), "--from", str(EXAMPLES["2021"])])
    book = openpyxl.load_workbook(form)
    for name in ("applications.results.granted.natural_person", "issuer"):
        del book.defined_names[name]
    book.save(form)
    report = docgen.check(form).require()
    assert report.issuer == "青山县自然资源局"
    assert report.tables.value(("applications", "results", "granted", "natural_person")) == 40


# --- bad workbooks ---------------------------------------------------------------------------------


def _form(runner: CliRunner, folder: Path) -> Path:
    target = folder / "f.xlsx"
    assert runner.invoke(app, ["init", "--xlsx", str(target), "--from", str(EXAMPLES["2021"])]).exit_code == 0
    return target


def _broken_merge(book: Any) -> None:
    grid_b = GRIDS["2021"][1]
    note = grid_b.cells[0]  # the 勾稽 note, three rows by three columns
    place = FORMS["2021"].grid_place(1, note.row, note.col)
    book[TABLES].unmerge_cells(
        start_row=place.row, start_column=place.col, end_row=place.row + 2, end_column=place.col + 2
    )


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        ("not a workbook", "不是可读的 .xlsx 工作簿"),
        ("password", "设了打开密码"),
        ("sheet missing", f"缺少工作表 {TEXT}"),
        ("text in a number cell", "[C7] 三、本年度办理结果（一）予以公开 / 自然人：应为非负整数，实为 “四十”"),
        ("merged cell broken", "被拆开或移动了"),
        ("formula over an input", "却是公式 “=1+1”"),
    ],
)
def test_bad_workbooks_get_one_clear_message(runner: CliRunner, tmp_path: Path, damage: str, said: str) -> None:
    form = _form(runner, tmp_path)
    if damage == "not a workbook":
        form.write_text("这不是表格", encoding="utf-8")
    elif damage == "password":
        form.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))  # an encrypted workbook is an OLE file
    else:
        book = openpyxl.load_workbook(form)
        if damage == "sheet missing":
            del book[TEXT]
        elif damage == "text in a number cell":
            _cell(book, "applications.results.granted.natural_person").value = "四十"
        elif damage == "merged cell broken":
            _broken_merge(book)
        else:
            _cell(book, "applications.results.granted.natural_person").value = "=1+1"
        book.save(form)
    result = runner.invoke(app, ["validate", str(form)])
    assert result.exit_code == 1, result.output
    assert said in result.output and "Traceback" not in result.output
    render = runner.invoke(app, ["render", str(form), "-o", str(tmp_path / "out.docx")])
    assert render.exit_code == 1 and not (tmp_path / "out.docx").exists()


# --- the roster ------------------------------------------------------------------------------------


def test_a_roster_of_thirty_bodies_renders_the_thirty_documents_of_its_toml_files(
    runner: CliRunner, tmp_path: Path
) -> None:
    from .test_batch import _county

    _county(tmp_path / "toml", copies=3)
    assert runner.invoke(app, ["batch", str(tmp_path / "toml"), "-o", str(tmp_path / "from-toml")]).exit_code == 0
    roster_folder = tmp_path / "roster"
    roster_folder.mkdir()
    shutil.copy(COUNTY / "_defaults.toml", roster_folder)  # the roster's rows leave the sections to the defaults
    roster = roster_folder / "county.xlsx"
    summed = runner.invoke(
        app,
        [
            "rollup",
            str(tmp_path / "toml"),
            "-o",
            str(tmp_path / "sum.toml"),
            "--issuer",
            "青山县人民政府",
            "--xlsx",
            str(roster),
        ],
    )
    assert summed.exit_code == 0, summed.output
    assert len(read_workbook(roster).reports) == 30  # the county's sum, the last row, is not a body's report
    batch = runner.invoke(app, ["batch", str(roster_folder), "-o", str(tmp_path / "from-roster")])
    assert batch.exit_code == 0, batch.output
    docs = sorted((tmp_path / "from-toml").glob("*.docx"))
    assert len(docs) == 30
    assert [p.name for p in docs] == sorted(p.name for p in (tmp_path / "from-roster").glob("*.docx"))
    assert all(p.read_bytes() == (tmp_path / "from-roster" / p.name).read_bytes() for p in docs)


def test_a_batch_summary_workbook_marks_the_invalid_rows(runner: CliRunner, tmp_path: Path) -> None:
    summary = tmp_path / "summary.xlsx"
    result = runner.invoke(
        app, ["batch", str(COUNTY), str(COUNTY / "mistakes"), "-o", str(tmp_path / "o"), "--summary", str(summary)]
    )
    assert result.exit_code == 1
    sheet = openpyxl.load_workbook(summary)["名册"]
    checks = {
        str(sheet.cell(row, 1).value): str(sheet.cell(row, sheet.max_column).value)
        for row in range(5, sheet.max_row + 1)
    }
    assert checks["石桥乡人民政府"].startswith("有误") and "[C1]" in checks["石桥乡人民政府"]
    assert checks["青石镇人民政府"] == OK
    assert checks["合计"].startswith("汇总（10 份报告之和）")


# --- LibreOffice reads and recalculates ----------------------------------------------------------------


def _calc_available() -> bool:
    program = soffice()
    return program is not None and Path(program).resolve().with_name("libsclo.so").exists()


needs_calc = pytest.mark.skipif(
    not _calc_available(), reason="LibreOffice Calc is not installed; .ci/run installs libreoffice-calc-nogui"
)


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Workbooks opened, recalculated and saved by one LibreOffice profile, as a clerk's office would."""
    work = tmp_path_factory.mktemp("calc")
    program = soffice()

    def through_libreoffice(path: Path) -> Path:
        out = work / path.stem
        out.mkdir(exist_ok=True)
        assert program is not None
        subprocess.run(
            [
                program,
                f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--headless",
                "--convert-to",
                "xlsx",
                "--outdir",
                str(out),
                str(path),
            ],
            capture_output=True,
            check=True,
            timeout=180,
        )
        return out / path.name

    return through_libreoffice


@needs_calc
def test_libreoffice_recalculates_the_checks(runner: CliRunner, tmp_path: Path, recalculated: Any) -> None:
    """Blank: every check OK.  A valid report: every check OK.  One wrong figure: its column's C1 check turns."""
    blank = tmp_path / "blank.xlsx"
    runner.invoke(app, ["init", "--xlsx", str(blank)])
    filled = _form(runner, tmp_path)
    wrong = tmp_path / "wrong.xlsx"
    book = openpyxl.load_workbook(filled)
    _cell(book, "applications.received.natural_person").value += 1
    book.save(wrong)
    checks = {(c.rule, ".".join(c.total[0])): c for c in FORMS["2021"].checks}
    assert len(checks) == len(FORMS["2021"].checks) == 42  # 25 rows (C3), 7 columns twice (C4, C1), 3 groups (C5)
    turned = {("C1", "applications.results.total.natural_person"), ("C1", "applications.results.total.total")}
    for path, broken in ((blank, set()), (filled, set()), (wrong, turned)):
        sheet = openpyxl.load_workbook(recalculated(path), data_only=True)[TABLES]
        said = {key: sheet.cell(c.place.row, c.place.col).value for key, c in checks.items()}
        assert {key for key, value in said.items() if value != OK} == broken, path.name
        assert all(said[key] == checks[key].note for key in broken)


@needs_calc
def test_a_form_saved_by_libreoffice_reads_the_same(runner: CliRunner, tmp_path: Path, recalculated: Any) -> None:
    """LibreOffice keeps the dotted names and the values: the same document comes out."""
    filled = _form(runner, tmp_path)
    saved = recalculated(filled)
    names = set(openpyxl.load_workbook(saved).defined_names)
    assert {".".join(p) for p in CELLS["2021"]} <= names
    assert docgen.render(docgen.check(saved).require()) == docgen.render(docgen.check(EXAMPLES["2021"]).require())
