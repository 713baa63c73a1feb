"""Checks before publication: deadlines by kind of body, copy-paste measured, limits, and the starter's hints."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

import docgen
from docgen.checks.history import REPEAT_RUN, repeated_rate
from docgen.checks.publication import deadline_of
from docgen.cli import app
from docgen.outputs.jsonfile import report_json
from docgen.outputs.starter import likely_year

from .conftest import ROOT

CASES = ROOT / "tests" / "cases"


@pytest.mark.parametrize(
    ("issuer", "due"),
    [
        ("金殿镇人民政府", (1, 31)),
        ("城关街道办事处", (1, 31)),
        ("青山县自然资源局", (1, 31)),
        ("河东区人民政府办公室", (1, 31)),  # the office is a department; the government's own report is not its
        ("洪泽区人民政府", (3, 31)),
        ("淮安市洪泽区人民政府", (3, 31)),
        ("青山县人民政府", (3, 31)),
        ("江苏省人民政府", (3, 31)),
        ("延边朝鲜族自治州人民政府", (3, 31)),
    ],
)
def test_the_deadline_follows_article_50_by_kind_of_body(issuer: str, due: tuple[int, int]) -> None:
    day, _ = deadline_of(issuer, 2024)
    assert (day.year, day.month, day.day) == (2025, *due)


def _dated(day: str, issuer: str = "青山县统计局") -> docgen.Source:
    base = docgen.load(CASES / "deadline" / "pass" / "county-government-in-march" / "input.toml").data
    return docgen.parse(report_json({**base, "date": day, "issuer": issuer}), "input.json")


def test_a_report_dated_on_its_deadline_is_on_time_and_a_day_later_is_not() -> None:
    rules = [{i.rule for i in docgen.check(_dated(day)).issues} for day in ("2025-01-31", "2025-02-01")]
    assert rules == [set(), {"deadline"}]
    government = [
        {i.rule for i in docgen.check(_dated(d, "青山县人民政府")).issues} for d in ("2025-03-31", "2025-04-01")
    ]
    assert government == [set(), {"deadline"}]


def test_copy_paste_is_measured_in_runs_of_thirteen_characters() -> None:
    last = "我局高度重视政府信息公开工作，成立了以局长为组长的政务公开工作领导小组，明确分管领导和专职人员。"
    assert repeated_rate(last, last) == (1.0, len(last))
    assert repeated_rate(last + last[::-1], last)[0] == 0.5
    # the same characters, but a change every twelfth one: no run of 13 survives
    changed = "".join("X" if i % (REPEAT_RUN - 1) == 0 else c for i, c in enumerate(last))
    assert repeated_rate(changed, last)[0] == 0.0
    assert repeated_rate(" \n".join(last), last)[0] == 1.0  # spacing and paragraphs are not words
    assert repeated_rate("", last) == (0.0, 0)


def test_the_overview_limit_is_the_callers(runner: CliRunner) -> None:
    report = CASES / "overview-length" / "fail" / "over-1000" / "input.toml"
    assert "overview-length" in {i.rule for i in docgen.check(report).issues}
    assert "overview-length" not in {i.rule for i in docgen.check(report, overview_limit=None).issues}
    assert "overview-length" not in {i.rule for i in docgen.check(report, overview_limit=1040).issues}
    assert "[overview-length]" in runner.invoke(app, ["validate", str(report), "--overview-limit", "600"]).output
    unlimited = runner.invoke(app, ["validate", str(report), "--overview-limit", "0"])
    assert unlimited.exit_code == 0 and unlimited.output == ""


@pytest.mark.parametrize(("today", "year"), [("2026-01-15", 2025), ("2026-09-30", 2025), ("2026-10-01", 2026)])
def test_init_proposes_the_year_being_reported_on(today: str, year: int) -> None:
    assert likely_year(datetime.date.fromisoformat(today)) == year


def test_a_starter_rendered_as_it_is_says_which_hints_are_left(runner: CliRunner, tmp_path: Path) -> None:
    """docgen init then docgen render: the document is written, and every hint left in it is named."""
    starter = tmp_path / "new.toml"
    assert runner.invoke(app, ["init", "-o", str(starter)]).exit_code == 0
    result = runner.invoke(app, ["render", str(starter)])
    assert result.exit_code == 0
    hints = [line for line in result.stderr.splitlines() if "[hints]" in line]
    assert len(hints) == 1 + 5 + 2 + 1  # the issuer, five sub-sections, 五's two, 六's
    assert "（发布机关全称）" in hints[0]


def test_a_published_report_gets_the_same_warnings_as_the_file_it_was_made_from(tmp_path: Path) -> None:
    """Typed and extracted alike: the pre-publication warnings of a report read back from its Word file."""
    typed = CASES / "deadline" / "fail" / "department-in-february" / "input.toml"
    published = tmp_path / "report.docx"
    published.write_bytes(docgen.render(docgen.check(typed).require()))
    said = [(i.rule, i.message()) for i in docgen.check(typed).issues]
    assert said and [(i.rule, i.message()) for i in docgen.check(docgen.extract(published)).issues] == said
