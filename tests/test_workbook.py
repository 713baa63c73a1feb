"""Workbooks: the form a body fills in, read back as a report; the roster; bad workbooks; LibreOffice's reading."""

from __future__ import annotations

import shutil
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.cell_range import CellRange
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
from .office import convert

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
        if value is not None and not isinstance(value, dict) and not is_total(path):
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


def _insert_rows(sheet: Any, rows: int) -> None:
    """Rows inserted at the top of a sheet as a spreadsheet inserts them: cells and merges move down."""
    merged = [str(r) for r in sheet.merged_cells.ranges]
    for span in merged:
        sheet.unmerge_cells(span)
    sheet.move_range(f"A1:{openpyxl.utils.get_column_letter(sheet.max_column)}{sheet.max_row}", rows=rows)
    for span in merged:
        moved = CellRange(span)
        moved.shift(row_shift=rows)
        sheet.merge_cells(moved.coord)


def test_a_form_that_lost_every_name_is_read_by_its_labels(tmp_path: Path, runner: CliRunner) -> None:
    """A program that keeps no names, and rows inserted above the tables and the facts: the headings and
    labels still say where everything is."""
    form = _form(runner, tmp_path)
    book = openpyxl.load_workbook(form)
    for name in list(book.defined_names):
        del book.defined_names[name]
    _insert_rows(book[TABLES], 2)
    _insert_rows(book["基本信息"], 1)
    book.save(form)
    result = docgen.check(form)
    assert result.report is not None, [i.format("zh") for i in result.issues]
    assert docgen.render(result.report) == docgen.render(docgen.check(EXAMPLES["2021"]).require())


def test_a_renamed_sheet_is_followed_through_its_names(tmp_path: Path, runner: CliRunner) -> None:
    """WPS and Excel rewrite the names when a sheet is renamed: the form is read from where they now point."""
    form = _form(runner, tmp_path)
    book = openpyxl.load_workbook(form)
    book[TABLES].title = "表格（已填）"
    for defined in book.defined_names.values():
        defined.attr_text = defined.attr_text.replace(f"'{TABLES}'!", "'表格（已填）'!")
    book.save(form)
    result = docgen.check(form)
    assert result.report is not None, [i.format("zh") for i in result.issues]
    assert docgen.render(result.report) == docgen.render(docgen.check(EXAMPLES["2021"]).require())


def test_a_form_with_blank_tables_lacks_only_its_texts(tmp_path: Path, runner: CliRunner) -> None:
    """Tables left blank print blank (a body with no applications): only the required texts are missing."""
    form = tmp_path / "f.xlsx"
    runner.invoke(app, ["init", "--xlsx", str(form)])
    book = openpyxl.load_workbook(form)
    _cell(book, "issuer").value = "测试镇人民政府"
    _cell(book, "year").value = 2024
    _cell(book, "date").value = date(2025, 1, 10)
    book.save(form)
    issues = docgen.check(form).issues
    assert sorted(i.path for i in issues if i.is_error) == ["overview", "problems"]
    assert [i.rule for i in issues if not i.is_error] == ["fees-silent"]  # 六 is not required, but it is silent
    _cell(book, "overview.text").value = "本镇认真贯彻落实《条例》。"
    _cell(book, "problems.text").value = "公开内容还不够全面。"
    book.save(form)
    assert docgen.check(form).report is not None


@pytest.mark.parametrize(
    ("shown", "typed", "read"),
    [("0.00", 2.675, "2.68"), ("0.00##", 2.675, "2.675"), ("0.00##", 3.1, "3.10"), ("0.0000", 18.871, "18.8710")],
)
def test_money_is_read_as_its_cell_shows_it(
    tmp_path: Path, runner: CliRunner, shown: str, typed: float, read: str
) -> None:
    form = _form(runner, tmp_path)
    book = openpyxl.load_workbook(form)
    cell = _cell(book, "proactive.fees")
    cell.value, cell.number_format = typed, shown
    book.save(form)
    assert lookup(read_workbook(form).reports[0].data, ("proactive", "fees")) == Decimal(read)


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


def _corrupt(path: Path, member: str) -> None:
    """Cut one part of a workbook's zip short, as an interrupted copy leaves it."""
    with zipfile.ZipFile(path) as old:
        parts = {info.filename: old.read(info) for info in old.infolist()}
    parts[member] = parts[member][: len(parts[member]) // 2]
    with zipfile.ZipFile(path, "w") as new:
        for name, data in parts.items():
            new.writestr(name, data)


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        ("not a workbook", "不是可读的 .xlsx 工作簿"),
        ("password", "设了打开密码"),
        ("sheet missing", f"缺少工作表 {TEXT}"),
        ("text in a number cell", "[C7] 三、本年度办理结果（一）予以公开 / 自然人：应为非负整数，实为 “四十”"),
        ("merged cell broken", "被拆开或移动了"),
        ("formula over an input", "[C7] 三、本年度办理结果（一）予以公开 / 自然人：应为非负整数，实为公式 “=1+1”"),
        ("number typed as text", "应为非负整数，实为文字 “40”"),
        ("formula over the issuer", "这里应填文字，却是公式 “=A1”"),
        ("corrupt sheet XML", "不是可读的 .xlsx 工作簿（"),
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
        elif damage == "formula over an input":
            _cell(book, "applications.results.granted.natural_person").value = "=1+1"
        elif damage == "number typed as text":
            _cell(book, "applications.results.granted.natural_person").value = "40"
        elif damage == "formula over the issuer":
            _cell(book, "issuer").value = "=A1"
        book.save(form)
        if damage == "corrupt sheet XML":
            _corrupt(form, "xl/worksheets/sheet2.xml")
    result = runner.invoke(app, ["validate", str(form)])
    assert result.exit_code == 1, result.output
    assert said in result.output and "Traceback" not in result.output
    assert len(result.output.splitlines()) == 1, result.output  # nothing that follows from the one mistake
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


def _roster(runner: CliRunner, folder: Path, *reports: Path) -> Path:
    roster = folder / "roster.xlsx"
    args = ["rollup", *map(str, reports), "-o", str(folder / "sum.toml"), "--issuer", "青山县人民政府"]
    result = runner.invoke(app, [*args, "--xlsx", str(roster)])
    assert result.exit_code == 0, result.output
    return roster


def test_a_roster_row_keeps_its_own_sections(runner: CliRunner, tmp_path: Path) -> None:
    """A report with sub-sections of its own comes back from its roster row as the same document."""
    roster = _roster(runner, tmp_path, EXAMPLES["2019"])
    (row,) = read_workbook(roster).reports
    assert docgen.render(docgen.check(row).require()) == docgen.render(docgen.check(EXAMPLES["2019"]).require())


def test_an_edited_roster_row_moves_its_totals(runner: CliRunner, tmp_path: Path) -> None:
    """A row's totals are live: one more application received and granted is still a valid report; one more
    received alone breaks C1 at that row's cell."""
    roster = _roster(runner, tmp_path, *sorted(COUNTY.glob("[!_]*.toml")))
    book = openpyxl.load_workbook(roster)
    sheet = book["名册"]
    column = {sheet.cell(4, col).value: col for col in range(1, sheet.max_column + 1)}
    received = column["applications.received.natural_person"]
    granted = column["applications.results.granted.natural_person"]
    for row, col in ((5, received), (6, received), (5, granted)):
        sheet.cell(row, col).value = int(sheet.cell(row, col).value or 0) + 1  # type: ignore[arg-type]
    book.save(roster)
    result = runner.invoke(app, ["validate", str(roster)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines and all(line.startswith(f"{roster}!名册!") and "[C1]" in line for line in lines), result.output
    assert {line.split("!")[2].split(":")[0].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for line in lines} == {"6"}


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

    def through_libreoffice(path: Path) -> Path:
        out = work / path.stem
        out.mkdir(exist_ok=True)
        return convert([path], "xlsx", out, work / "profile", timeout=180)[0]

    return through_libreoffice


@needs_calc
def test_libreoffice_recalculates_the_checks(runner: CliRunner, tmp_path: Path, recalculated: Any) -> None:
    """Blank: every check OK.  A valid report, one given as bare totals, and one with a row's 总计 cleared (docgen
    adds it up): every check OK.  One wrong figure: its column's C1 check turns.  A report stating wrong totals:
    the C3 and C4 checks of those totals turn."""
    blank = tmp_path / "blank.xlsx"
    runner.invoke(app, ["init", "--xlsx", str(blank)])
    filled = _form(runner, tmp_path)
    wrong = tmp_path / "wrong.xlsx"
    book = openpyxl.load_workbook(filled)
    _cell(book, "applications.received.natural_person").value += 1
    book.save(wrong)
    checks = {(c.rule, ".".join(c.total[0])): c for c in FORMS["2021"].checks}
    assert (
        len(checks) == len(FORMS["2021"].checks) == 41
    )  # 24 rows (C3; （七）总计 is C4), 7 columns twice (C4, C1), 3 groups (C5)
    turned = {("C1", "applications.results.total.natural_person"), ("C1", "applications.results.total.total")}
    bare = tmp_path / "bare.xlsx"  # 金殿镇's rows given as their totals alone: typed over the formulas
    runner.invoke(app, ["init", "--xlsx", str(bare), "--from", str(ROOT / "examples" / "jindian-2024.toml")])
    cleared = tmp_path / "cleared.xlsx"
    book = openpyxl.load_workbook(filled)
    _cell(book, "applications.received.total").value = None
    book.save(cleared)
    assert docgen.check(cleared).ok
    mistaken = tmp_path / "mistaken.xlsx"  # 白沙镇's （一）予以公开 / 总计 and （七）总计 / 总计 are wrong
    runner.invoke(app, ["init", "--xlsx", str(mistaken), "--from", str(COUNTY / "mistakes" / "baisha.toml")])
    stated = {("C3", "applications.results.granted.total"), ("C4", "applications.results.total.total")}
    cases = [(blank, set()), (filled, set()), (bare, set()), (cleared, set()), (wrong, turned), (mistaken, stated)]
    for path, broken in cases:
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


def test_init_refuses_options_that_contradict_each_other(runner: CliRunner, tmp_path: Path) -> None:
    form = tmp_path / "f.xlsx"
    both = runner.invoke(app, ["init", "--xlsx", str(form), "-o", str(tmp_path / "x.toml")])
    other = runner.invoke(app, ["init", "--xlsx", str(form), "--from", str(EXAMPLES["2019"]), "--format", "2021"])
    assert (both.exit_code, other.exit_code) == (2, 2), both.output + other.output
    assert "2019" in other.output and not form.exists()


def test_a_rollup_run_again_leaves_its_own_roster_out(runner: CliRunner, tmp_path: Path) -> None:
    """The roster a rollup writes into the folder it sums is not summed the next time."""
    folder = tmp_path / "county"
    shutil.copytree(COUNTY, folder)
    args = ["rollup", str(folder), "-o", str(folder / "sum.toml"), "--issuer", "青山县人民政府"]
    for _ in range(2):
        result = runner.invoke(app, [*args, "--xlsx", str(folder / "roster.xlsx"), "--force"])
        assert result.exit_code == 0 and "汇总了 10 份报告" in result.output, result.output


def _messages(result: Any) -> set[tuple[str, str]]:
    """Each message's rule and row and column labels, without where it stands: a workbook and its TOML compared."""
    found = set()
    for line in result.output.splitlines():
        rule, _, rest = line.partition("] ")
        found.add((rule.rsplit("[", 1)[-1], rest.split("：", 1)[0]))
    return found


def test_a_form_made_from_an_invalid_report_keeps_its_mistakes(runner: CliRunner, tmp_path: Path) -> None:
    """Totals the report states wrong are written as the numbers it states, not as formulas that would hide
    them: the form reads back with the same C3, C4 and C8 messages as the TOML."""
    report = COUNTY / "mistakes" / "baisha.toml"
    form = tmp_path / "baisha.xlsx"
    assert runner.invoke(app, ["init", "--xlsx", str(form), "--from", str(report)]).exit_code == 0
    from_toml = runner.invoke(app, ["validate", str(report)])
    from_form = runner.invoke(app, ["validate", str(form)])
    assert from_form.exit_code == from_toml.exit_code == 1
    assert {rule for rule, _ in _messages(from_form)} == {"C3", "C4", "C8"}
    assert _messages(from_form) == _messages(from_toml)


def test_a_deleted_sub_section_is_gone_not_replaced_by_the_next(runner: CliRunner, tmp_path: Path) -> None:
    """A clerk deletes the rows of （二）: its names point nowhere, its labels are gone, and the report has
    the other sub-sections once each."""
    form = _form(runner, tmp_path)
    book = openpyxl.load_workbook(form)
    heading, _ = section_paths(1)
    row = _cell(book, ".".join(heading)).row
    book[TEXT].delete_rows(row, 2)
    for defined in book.defined_names.values():  # as a spreadsheet does: names below move up, the deleted go
        (sheet, coordinate), *_ = defined.destinations
        at = openpyxl.utils.cell.coordinate_to_tuple(coordinate.replace("$", ""))[0]
        if sheet == TEXT and at in (row, row + 1):
            defined.attr_text = "#REF!"
        elif sheet == TEXT and at > row:
            defined.attr_text = defined.attr_text.replace(f"${at}", f"${at - 2}")
    book.save(form)
    assert docgen.check(form).ok
    sections = read_workbook(form).reports[0].data["overview"]["sections"]
    expected = docgen.load(EXAMPLES["2021"]).data["overview"]["sections"]
    assert [s["heading"] for s in sections] == [s["heading"] for i, s in enumerate(expected) if i != 1]


def test_what_a_clerk_types_by_hand_in_the_form(runner: CliRunner, tmp_path: Path) -> None:
    """A date typed as text as WPS users write it is read; a sub-section with text and no heading is named."""
    form = _form(runner, tmp_path)
    book = openpyxl.load_workbook(form)
    _cell(book, "date").value = "2025年1月8日"
    heading, _ = section_paths(0)
    _cell(book, ".".join(heading)).value = None
    book.save(form)
    assert read_workbook(form).reports[0].data["date"] == "2025-01-08"
    (issue,) = docgen.check(form).issues
    assert (
        str(issue.location)
        == f"{form}!{TEXT}!{openpyxl.utils.get_column_letter(2)}{_cell(book, '.'.join(heading)).row}"
    )
    assert "heading" in issue.format("en")


def test_a_roster_whose_checks_were_cleared_still_leaves_its_sum_out(runner: CliRunner, tmp_path: Path) -> None:
    """The sum row is known by its name too; a deleted column's message names the row it is missing from."""
    roster = _roster(runner, tmp_path, *sorted(COUNTY.glob("[!_]*.toml")))
    book = openpyxl.load_workbook(roster)
    sheet = book["名册"]
    column = {sheet.cell(4, col).value: col for col in range(1, sheet.max_column + 1)}
    sheet.delete_cols(sheet.max_column)  # the check column
    sheet.delete_cols(column["problems.text"])
    book.save(roster)
    reports = read_workbook(roster).reports
    assert len(reports) == 10
    issues = [issue for report in reports for issue in docgen.check(report).issues]
    assert len(issues) == 10 and {issue.path for issue in issues} == {"problems"}
    assert len({str(issue.location) for issue in issues}) == 10  # each at its own row


@needs_calc
def test_the_roster_sum_row_adds_its_columns(runner: CliRunner, tmp_path: Path, recalculated: Any) -> None:
    """Recalculated by LibreOffice, the roster's last row holds the county's figures: the rollup's own."""
    roster = _roster(runner, tmp_path, *sorted(COUNTY.glob("[!_]*.toml")))
    sheet = openpyxl.load_workbook(recalculated(roster), data_only=True)["名册"]
    column = {sheet.cell(4, col).value: col for col in range(1, sheet.max_column + 1)}
    county = docgen.check(tmp_path / "sum.toml").require().tables
    summed = {path: sheet.cell(sheet.max_row, column[".".join(path)]).value for path in CELLS["2021"]}
    assert summed == {path: county.value(path) for path in CELLS["2021"]}
