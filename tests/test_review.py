"""docgen review: a county's 20 reports in six forms against a roster of 22, last year's reports, and the page."""

from __future__ import annotations

import copy
import csv
import io
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

import docgen
from docgen.cli import app
from docgen.inputs import load_report, report_file
from docgen.inputs.roster import read_roster
from docgen.outputs.jsonfile import report_json
from docgen.outputs.pdf import soffice
from docgen.reviews import name_forms, pair_name, review

from .browser import Browser, file_url, needs_browser
from .conftest import ROOT
from .handmade import blocks, web_page
from .office import convert

EXAMPLES = ROOT / "examples"
MISSING = ["东风镇人民政府", "红星乡人民政府"]


def _data(path: Path) -> dict[str, Any]:
    """A report's data over its folder's defaults, to make another body's report from."""
    return copy.deepcopy(load_report(report_file(path)).data)


def _write_json(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(report_json(data), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A county's folder of 20 reports for 2024 in every form docgen reads, a roster of 22 (CSV, with ids),
    and a folder of last year's reports for two bodies."""
    work = tmp_path_factory.mktemp("review")
    reports = work / "2024"
    shutil.copytree(EXAMPLES / "county", reports / "townships", ignore=shutil.ignore_patterns("mistakes"))  # 10
    shutil.copytree(EXAMPLES / "county" / "mistakes", reports / "mistakes")  # 2, with errors
    published = reports / "published"
    published.mkdir()
    qingshan = EXAMPLES / "qingshan-natural-resources-2024.toml"
    (published / "qingshan.docx").write_bytes(docgen.render(docgen.check(qingshan).require()))
    jindian = docgen.check(EXAMPLES / "jindian-2024.toml").require()
    (published / "jindian.html").write_bytes(web_page(blocks(jindian), charset="gbk"))
    _write_json(published / "hedong.json", _data(EXAMPLES / "hedong-district-2020.toml"))  # the 2019 format
    township = reports / "townships" / "beiping.toml"
    xincheng = _write_json(work / "xincheng.json", {**_data(township), "issuer": "新城街道办事处"})
    form = CliRunner().invoke(app, ["init", "--xlsx", str(published / "xincheng.xlsx"), "--from", str(xincheng)])
    assert form.exit_code == 0, form.output
    gaoqiao = docgen.check(docgen.parse(report_json({**_data(township), "issuer": "高桥镇人民政府"}), "g.json"))
    if soffice() is not None:
        with docgen.Converter() as converter:
            converter.convert(docgen.render(gaoqiao.require()), published / "gaoqiao.pdf")
    else:  # the PDF needs LibreOffice; the folder keeps its 20 reports
        (published / "gaoqiao.docx").write_bytes(docgen.render(gaoqiao.require()))
    late = {**_data(township), "issuer": "淮安市洪泽区人民政府", "date": "2025-04-10"}  # due by 31 March
    _write_json(reports / "hongze.json", late)
    starter = {**_data(township), "issuer": "龙泉乡人民政府"}
    starter["problems"] = {"text": "（存在的主要问题）\n\n（改进情况）"}
    _write_json(reports / "longquan.json", starter)
    (published / "0999-石门乡.docx").write_bytes(b"this is not a Word file")
    names = [
        *(docgen.load(p).data["issuer"] for p in sorted((reports / "townships").glob("[!_]*.toml"))),
        "白沙镇人民政府",
        "石桥乡人民政府",
        "青山县自然资源局",
        "金殿镇人民政府",
        "河东区人民政府办公室",
        "新城街道办事处",
        "高桥镇人民政府",
        "洪泽区人民政府",  # signs with its city's name this year
        "龙泉乡人民政府",
        "石门乡人民政府",  # its file is damaged; the roster's id is in the file's name
        *MISSING,
    ]
    roster = work / "roster.csv"
    with roster.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["编号", "单位名称"])
        for index, name in enumerate(names):
            writer.writerow(["0999" if name == "石门乡人民政府" else f"{index + 1:04d}", name])
    last = work / "2023"
    last.mkdir()
    then = _data(qingshan) | {"year": 2023, "date": "2024-01-20"}
    (last / "qingshan-2023.docx").write_bytes(
        docgen.render(docgen.check(docgen.parse(report_json(then), "q.json")).require())
    )
    _write_json(last / "baiyun-2023.json", _data(reports / "townships" / "baiyun.toml") | {"year": 2023})
    return {"reports": reports, "roster": roster, "last": last, "work": work}


def test_the_county_has_twenty_reports_and_twenty_two_bodies(county: dict[str, Path]) -> None:
    done = review([county["reports"]])  # its subfolders too
    assert len(done.entries) == 20
    assert len(read_roster(county["roster"])) == 22


@pytest.fixture(scope="module")
def reviewed(county: dict[str, Path]) -> docgen.Review:
    return review([county["reports"]], roster=county["roster"], previous=county["last"])


def test_the_two_bodies_with_no_report_are_listed(reviewed: docgen.Review) -> None:
    assert [body.name for body in reviewed.missing] == MISSING
    assert all(entry.listed_as is not None for entry in reviewed.entries), [
        e.body for e in reviewed.entries if e.listed_as is None
    ]
    hongze = next(e for e in reviewed.entries if e.body == "淮安市洪泽区人民政府")
    assert hongze.listed_as == "洪泽区人民政府"
    broken = next(e for e in reviewed.entries if e.status == "unreadable")
    assert (broken.listed_as, broken.id) == ("石门乡人民政府", "0999")
    assert not reviewed.ok


def _checked_alone(entry: docgen.Entry, county: dict[str, Path]) -> tuple[str, ...]:
    """What checking the entry's file alone gives, with last year's report where the test knows there is one."""
    file = Path(entry.source)
    previous = {
        "qingshan.docx": county["last"] / "qingshan-2023.docx",
        "baiyun.toml": county["last"] / "baiyun-2023.json",
    }
    result = docgen.check(file, previous=previous.get(file.name))
    return tuple(issue.format() for issue in result.issues)


def test_every_problem_of_every_report_is_in_the_review(reviewed: docgen.Review, county: dict[str, Path]) -> None:
    """Each report's issues in the review are exactly those of checking its file alone (with last year's)."""
    for entry in reviewed.entries:
        assert tuple(issue.format() for issue in entry.issues) == _checked_alone(entry, county), entry.source
    by_body = {entry.body: entry for entry in reviewed.entries}
    assert {i.rule for i in by_body["白沙镇人民政府"].issues} == {"C3", "C4", "C8"}
    assert {i.rule for i in by_body["石桥乡人民政府"].issues} == {"C1"}
    assert {i.rule for i in by_body["淮安市洪泽区人民政府"].issues} == {"deadline"}
    assert {i.rule for i in by_body["龙泉乡人民政府"].issues} == {"hints"}
    assert {i.rule for i in by_body["金殿镇人民政府"].issues} == {"fees-silent"}
    # last year's .docx is this year's report dated a year earlier: its 四 is not this 二, its 现行有效 does not
    # grow by this year's 制发, and its text is this year's word for word
    assert {i.rule for i in by_body["青山县自然资源局"].issues} == {"C6", "in-force", "repeated"}
    assert {i.rule for i in by_body["白云乡人民政府"].issues} == {"C6", "repeated"}  # 一 word for word as last year
    assert by_body["石门乡人民政府" if "石门乡人民政府" in by_body else "0999-石门乡"].status == "unreadable"
    statuses = [entry.status for entry in reviewed.entries]
    assert statuses.count("errors") == 2 and statuses.count("unreadable") == 1


def test_last_years_figures_are_set_beside_this_years(reviewed: docgen.Review) -> None:
    qingshan = next(e for e in reviewed.entries if e.body == "青山县自然资源局")
    assert qingshan.previous is not None and qingshan.previous.endswith("qingshan-2023.docx")
    carried = {change.what.zh: (change.last, change.now) for change in qingshan.changes}
    assert carried["结转下年度"] == (7, 7) and carried["上年结转"] == (5, 5)
    assert sum(entry.previous is not None for entry in reviewed.entries) == 2


def test_names_pair_with_and_without_their_city() -> None:
    assert name_forms("江苏省淮安市洪泽区人民政府")[-1] == "洪泽区人民政府"
    assert pair_name("苏州市吴江区人民政府", ["吴江区人民政府"]) == 0  # a city whose name holds 州
    assert name_forms("延边朝鲜族自治州敦化市人民政府")[-1] == "敦化市人民政府"
    assert pair_name("金殿镇人民政府", ["青山县金殿镇人民政府"]) == 0  # a township signing with its county
    assert name_forms("青山县自然资源局") == ("青山县自然资源局",)  # a county's department keeps its county
    # two bodies of the same name in two counties or cities are two bodies
    assert pair_name("青山县城关镇人民政府", ["白云县城关镇人民政府"]) is None
    assert pair_name("青山县住房和城乡建设局", ["白云县住房和城乡建设局"]) is None
    assert pair_name("淮安市高新技术产业开发区管委会", ["扬州市高新技术产业开发区管委会"]) is None
    assert pair_name("洪泽区人民政府", ["淮安市人民政府", "淮安市洪泽区人民政府"]) == 1
    assert pair_name("淮安市人民政府", ["扬州市人民政府"]) is None  # a city's own government keeps its name
    assert pair_name("青山县市场监督管理局", ["白云县市场监督管理局"]) is None  # 市场 is not a city
    assert pair_name("城关镇人民政府", ["甲市城关镇人民政府", "乙市城关镇人民政府"]) is None  # which one?


def test_a_roster_headed_otherwise_or_not_at_all_is_read_by_its_names(tmp_path: Path) -> None:
    """序号 counts rows and is no id; 部门名称 names the column; without a header the Chinese column is the names."""
    headed = tmp_path / "headed.csv"
    headed.write_text("序号,部门名称\n1,白云乡人民政府\n2,北坪乡人民政府\n", encoding="utf-8")
    assert [(b.name, b.id) for b in read_roster(headed)] == [("白云乡人民政府", None), ("北坪乡人民政府", None)]
    bare = tmp_path / "bare.csv"
    bare.write_text("1,白云乡人民政府\n2,北坪乡人民政府\n", encoding="utf-8")
    assert [b.name for b in read_roster(bare)] == ["白云乡人民政府", "北坪乡人民政府"]


def test_roster_headers_with_a_remark_and_semicolons(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("编号;单位名称（盖章）\n01;金殿镇人民政府\n", encoding="utf-8")
    assert [(b.name, b.id) for b in read_roster(path)] == [("金殿镇人民政府", "01")]


def test_what_is_not_a_report_is_not_read(tmp_path: Path) -> None:
    """The review's own output (run again into the same file), Office's lock files, macOS's shadow files and a
    batch's output folder are left alone: a second run reads the same reports as the first."""
    shutil.copy(EXAMPLES / "qingshan-natural-resources-2024.toml", tmp_path / "qingshan.toml")
    (tmp_path / "~$qingshan.docx").write_bytes(b"lock")
    (tmp_path / "._qingshan.docx").write_bytes(b"shadow")
    batch = CliRunner().invoke(app, ["batch", str(tmp_path), "-o", str(tmp_path / "out")])
    assert batch.exit_code == 0, batch.output
    for output in ("review.xlsx", "review.json", "review.html"):
        first = CliRunner().invoke(app, ["review", str(tmp_path), "-o", str(tmp_path / output)])
        again = CliRunner().invoke(app, ["review", str(tmp_path), "-o", str(tmp_path / output), "--force"])
        assert first.exit_code == again.exit_code == 0, again.output
        assert again.stdout.startswith("审查了 1 份报告"), again.stdout
        (tmp_path / output).unlink()


def test_ids_keep_their_zeros_and_match_a_file_name(tmp_path: Path) -> None:
    """An id typed 0005 in a workbook is the number 5 shown with the format 0000: 0005-东风镇.json is its."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["编号", "单位名称"])
    sheet.append([5, "东风镇人民政府"])
    sheet["A2"].number_format = "0000"
    book.save(tmp_path / "roster.xlsx")
    assert read_roster(tmp_path / "roster.xlsx")[0].id == "0005"
    folder = tmp_path / "reports"
    folder.mkdir()
    data = _data(EXAMPLES / "county" / "baiyun.toml") | {"issuer": "东风镇政府"}  # not the roster's name
    _write_json(folder / "0005-东风镇.json", data)
    done = review([folder], roster=tmp_path / "roster.xlsx")
    assert done.missing == () and done.entries[0].listed_as == "东风镇人民政府"


def test_a_damaged_roster_is_one_message(county: dict[str, Path], tmp_path: Path) -> None:
    """A workbook whose sheet's XML is cut short inside a sound archive: one message, exit 1, no traceback."""
    good, broken = tmp_path / "good.xlsx", tmp_path / "roster.xlsx"
    openpyxl.Workbook().save(good)
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, data[: len(data) // 2] if item.filename.endswith("sheet1.xml") else data)
    result = CliRunner().invoke(app, ["review", str(county["reports"]), "--roster", str(broken)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.strip().startswith(f"{broken}: [syntax]") and len(result.stderr.strip().splitlines()) == 1


def test_two_reports_of_one_body_are_pointed_out(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "qingshan-natural-resources-2024.toml", tmp_path / "qingshan.toml")
    (tmp_path / "final").mkdir()
    (tmp_path / "final" / "qingshan-final.docx").write_bytes(
        docgen.render(docgen.check(EXAMPLES / "qingshan-natural-resources-2024.toml").require())
    )
    entries = review([tmp_path]).entries
    assert len(entries) == 2
    assert all(any("同一机关本年还有报告" in note.zh for note in entry.notes) for entry in entries)


def test_a_formula_in_a_report_is_text_in_the_workbook(tmp_path: Path) -> None:
    """An issuer typed =HYPERLINK(...) stays words in the review's workbook; LibreOffice shows it as typed."""
    data = _data(EXAMPLES / "qingshan-natural-resources-2024.toml") | {"issuer": "=SUM(1,2)"}
    _write_json(tmp_path / "evil.json", data)
    target = tmp_path / "review.xlsx"
    CliRunner().invoke(app, ["review", str(tmp_path / "evil.json"), "-o", str(target)])
    cell = openpyxl.load_workbook(target).worksheets[0]["A2"]
    assert (cell.value, cell.data_type) == ("=SUM(1,2)", "s")
    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: the workbook is read by openpyxl alone")
    written = convert([target], "csv:Text - txt - csv (StarCalc):44,34,76", tmp_path, tmp_path / "profile")[0]
    assert list(csv.reader(io.StringIO(written.read_text(encoding="utf-8"))))[1][0] == "=SUM(1,2)"


@pytest.mark.parametrize("kind", ["txt", "csv", "xlsx"])
def test_a_roster_is_a_text_file_a_csv_file_or_a_workbook(tmp_path: Path, kind: str) -> None:
    rows = [["单位名称", "编号"], ["金殿镇人民政府", "01"], ["洪泽区人民政府", "02"], ["淮安市洪泽区人民政府", "02"]]
    path = tmp_path / f"roster.{kind}"
    if kind == "txt":
        path.write_text("# 名册\n金殿镇人民政府\n\n洪泽区人民政府\n", encoding="utf-8")
    elif kind == "csv":
        path.write_text("\n".join(",".join(row) for row in rows) + "\n", encoding="gbk")
    else:
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["青山县2024年度报告名册"])  # a title above the header
        for row in rows:
            sheet.append(row)
        book.save(path)
    bodies = read_roster(path)
    assert [body.name for body in bodies] == ["金殿镇人民政府", "洪泽区人民政府"]
    if kind != "txt":
        assert bodies[1].names == ("洪泽区人民政府", "淮安市洪泽区人民政府") and bodies[1].id == "02"


# --- the command and what it writes ------------------------------------------------------------------


def _invoke(county: dict[str, Path], *args: str) -> Any:
    return CliRunner().invoke(app, ["review", str(county["reports"]), "--roster", str(county["roster"]), *args])


def test_the_command_prints_the_review_and_exits_1(county: dict[str, Path]) -> None:
    result = _invoke(county, "--previous", str(county["last"]))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "审查了 20 份报告：有错误 2，有警告 5，无问题 12，无法读取 1；名册 22 个机关，未提交 2 个"
    assert lines[-3:] == ["未提交：", "  东风镇人民政府（0021）", "  红星乡人民政府（0022）"]
    data = json.loads(_invoke(county, "--output-format", "json").stdout)
    assert data["counts"]["missing"] == 2 and len(data["bodies"]) == 20
    baisha = next(body for body in data["bodies"] if body["body"] == "白沙镇人民政府")
    assert {issue["section"] for issue in baisha["issues"]} == {"一、总体情况", "三、收到和处理政府信息公开申请情况"}


def test_output_and_format_must_agree(county: dict[str, Path], tmp_path: Path) -> None:
    assert _invoke(county, "--output-format", "xlsx").exit_code == 2
    assert _invoke(county, "-o", str(tmp_path / "r.html"), "--output-format", "json").exit_code == 2
    assert _invoke(county, "-o", str(tmp_path / "r.pdf")).exit_code == 2
    assert not list(tmp_path.iterdir())


def test_the_workbook_has_a_row_per_report_and_per_missing_body(county: dict[str, Path], tmp_path: Path) -> None:
    target = tmp_path / "review.xlsx"
    assert _invoke(county, "-o", str(target)).exit_code == 1
    book = openpyxl.load_workbook(target)
    bodies = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(bodies) == 1 + 20 + 2 and [row[0] for row in bodies[-2:]] == MISSING
    problems = list(book.worksheets[1].iter_rows(values_only=True))
    total = sum(len(entry.issues) for entry in review([county["reports"]], roster=county["roster"]).entries)
    assert len(problems) == 1 + total
    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: the workbook is read by openpyxl alone")
    written = convert([target], "csv:Text - txt - csv (StarCalc):44,34,76", tmp_path, tmp_path / "profile")[0]
    rows = list(csv.reader(io.StringIO(written.read_text(encoding="utf-8"))))
    assert [row[0] for row in rows[-2:]] == MISSING and len(rows) == 23


# --- the page, in a real browser --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page_file(county: dict[str, Path]) -> Path:
    target = county["work"] / "review.html"
    assert _invoke(county, "-o", str(target), "--previous", str(county["last"])).exit_code == 1
    return target


_SHOWN = "Array.from(document.querySelectorAll('tr[data-body]')).filter(r => !r.hidden).map(r => r.dataset.body)"


@needs_browser
def test_the_page_opens_with_no_console_error_and_lists_everything(browser: Browser, page_file: Path) -> None:
    page = browser.open(file_url(page_file))
    try:
        assert page.console == []
        assert len(page.evaluate(_SHOWN)) == 20
        missing = page.evaluate("Array.from(document.querySelectorAll('[data-missing]')).map(li => li.textContent)")
        assert missing == ["东风镇人民政府（0021）", "红星乡人民政府（0022）"]
        assert page.evaluate("document.querySelectorAll('script[src], link[rel=stylesheet], img').length") == 0
    finally:
        page.close()


@needs_browser
def test_the_page_filters_by_name_and_by_rule(browser: Browser, page_file: Path) -> None:
    page = browser.open(file_url(page_file))
    try:
        page.evaluate(
            "(() => { const n = document.getElementById('name'); n.value = '白沙';"
            " n.dispatchEvent(new Event('input')); })()"
        )
        assert page.evaluate(_SHOWN) == ["白沙镇人民政府"]
        assert page.evaluate("location.hash") == "#name=%E7%99%BD%E6%B2%99"
        page.evaluate(
            "(() => { const n = document.getElementById('name'); n.value = '';"
            " n.dispatchEvent(new Event('input')); const r = document.getElementById('rule');"
            " r.value = 'C1'; r.dispatchEvent(new Event('change')); })()"
        )
        assert page.evaluate(_SHOWN) == ["石桥乡人民政府"]
        rules = page.evaluate(
            "Array.from(document.querySelectorAll('tr:not([hidden]) li[data-rule]')).filter(li => !li.hidden)"
            ".map(li => li.dataset.rule)"
        )
        assert rules == ["C1", "C1"]
        assert page.console == []
    finally:
        page.close()
    linked = browser.open(file_url(page_file, "rule=deadline"))  # a filtered view sent as a link
    try:
        assert linked.evaluate(_SHOWN) == ["淮安市洪泽区人民政府"]
        assert linked.evaluate("document.getElementById('rule').value") == "deadline"
    finally:
        linked.close()


@needs_browser
def test_text_from_a_report_is_shown_as_text(browser: Browser, tmp_path: Path) -> None:
    """An issuer holding markup is printed, not run."""
    data = _data(EXAMPLES / "qingshan-natural-resources-2024.toml")
    data["issuer"] = "<img src=x onerror=console.error(1)>局"
    _write_json(tmp_path / "evil.json", data)
    target = tmp_path / "review.html"
    CliRunner().invoke(app, ["review", str(tmp_path / "evil.json"), "-o", str(target)])
    page = browser.open(file_url(target))
    try:
        assert page.console == [] and page.evaluate("document.querySelectorAll('img').length") == 0
        assert page.evaluate(_SHOWN) == ["<img src=x onerror=console.error(1)>局"]
    finally:
        page.close()
