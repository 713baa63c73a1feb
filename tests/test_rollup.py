"""docgen rollup: the county's report, every figure the sum of its bodies', valid as written."""

from __future__ import annotations

import json
import random
import tempfile
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
from docgen.inputs import find_reports, load_report, parse
from docgen.model import Tables, tabulate
from docgen.statute import CELLS, TABLE_B_ROOT, TOTAL

from .conftest import ROOT

COUNTY = ROOT / "examples" / "county"


def _tables(path: Path) -> Tables:
    return docgen.check(load_report(find_reports([path])[0][0])).require().tables


def _sum_is_exact(summed: Tables, parts: list[Tables]) -> None:
    """Every figure of the sum is the sum of the parts' figures; blank only where every part is blank."""
    for path in CELLS[summed.format.name]:
        if path[:-1] in summed.bare and path[-1] != TOTAL.key:
            assert summed.cells[path].state == "blank", path  # a row given as its total alone
            continue
        assert summed.value(path) == sum((part.value(path) for part in parts), start=0), path
        blank_everywhere = all(part.cells[path].state == "blank" for part in parts)
        assert (summed.cells[path].state == "blank") == blank_everywhere, path


def test_the_county_rolls_up_to_the_sum_of_its_townships(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "county.toml"
    result = runner.invoke(app, ["rollup", str(COUNTY), "-o", str(target), "--issuer", "青山县人民政府"])
    assert result.exit_code == 0, result.output
    assert "10" in result.stderr
    rolled = docgen.check(target)
    assert rolled.ok  # its texts are left for the county to write, and each is named
    assert {i.rule for i in rolled.issues} - {"deadline"} == {"hints"}
    parts = [_tables(path) for path in sorted(COUNTY.glob("*.toml")) if path.name != "_defaults.toml"]
    assert rolled.report is not None
    _sum_is_exact(rolled.report.tables, parts)
    assert rolled.report.issuer == "青山县人民政府" and rolled.report.year == 2024
    assert target.read_text(encoding="utf-8").startswith("#:schema ")


def _with_bare_rows(doc: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """Rows written as their total alone, as real reports do, in the ways that keep a report valid.

    A row of table B given so leaves its applicants out of every column rule,
    so a report that does it for one non-zero row does it for all of table B
    (as the 金殿镇 report does); a group of table C can do it on its own.
    """
    if rng.random() < 0.3:
        tables = tabulate(doc)
        for path, _ in tables.format.table_b_leaves():
            node = doc
            for key in path[:-1]:
                node = node.setdefault(key, {})
            node[path[-1]] = tables.value(path + (TOTAL.key,))
    for key, group in list(doc["appeals"].items()):
        if rng.random() < 0.2:
            doc["appeals"][key] = sum(group.values())
    return doc


def _written(doc: dict[str, Any]) -> str:
    def plain(value: object) -> object:
        return float(value) if isinstance(value, Decimal) else value

    return json.dumps(doc, ensure_ascii=False, default=plain)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), count=st.integers(2, 6), fmt=st.sampled_from(["2021", "2019"]))
def test_any_valid_reports_roll_up_to_a_valid_exact_sum(seed: int, count: int, fmt: str) -> None:
    """Random valid reports of one format and year, some rows given as totals alone: the sum validates and is exact."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as work:
        _roll_up_random(rng, count, fmt, Path(work))


def _roll_up_random(rng: random.Random, count: int, fmt: str, folder: Path) -> None:
    parts = []
    for n in range(count):
        doc = _with_bare_rows(random_report(rng, fmt), rng)
        path = folder / f"{n}.json"
        path.write_text(_written(doc), encoding="utf-8")
        result = docgen.check(path)
        assert result.report is not None, [i.format() for i in result.issues]
        parts.append(result.report.tables)
    summed = docgen.rollup([folder], issuer="某县人民政府")
    rolled = docgen.check(parse(summed.text(), "county.toml"))
    assert rolled.report is not None, [i.format() for i in rolled.issues]
    _sum_is_exact(rolled.report.tables, parts)
    collapsed = any(row[:1] == TABLE_B_ROOT for part in parts for row in part.bare if part.value(row + ("total",)))
    assert bool(summed.notes) == collapsed


def test_mixed_formats_years_and_invalid_reports_are_refused(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "sum.toml"
    mixed = runner.invoke(
        app,
        [
            "rollup",
            str(COUNTY),
            str(ROOT / "examples" / "hedong-district-2020.toml"),
            "-o",
            str(target),
            "--issuer",
            "X",
        ],
    )
    assert mixed.exit_code == 1 and "hedong-district-2020.toml" in mixed.stderr and "格式" in mixed.stderr
    invalid = runner.invoke(app, ["rollup", str(COUNTY / "mistakes"), "-o", str(target), "--issuer", "X"])
    assert invalid.exit_code == 1 and "[C1]" in invalid.stderr and "[C3]" in invalid.stderr
    assert not target.exists()


def test_year_keeps_the_reports_of_that_year(runner: CliRunner, tmp_path: Path) -> None:
    """--year 2024 over the examples: the 2019-format 2020 report is left out and said so."""
    target = tmp_path / "sum.toml"
    result = runner.invoke(
        app,
        ["rollup", str(ROOT / "examples"), "-o", str(target), "--issuer", "X", "--year", "2024", "--lang", "en"],
    )
    assert result.exit_code == 0, result.output
    assert "hedong-district-2020.toml: not a report of 2024, left out" in result.stderr
    assert docgen.check(target).ok


def test_an_existing_file_is_not_overwritten_without_force(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "sum.toml"
    target.write_text("mine", encoding="utf-8")
    result = runner.invoke(app, ["rollup", str(COUNTY), "-o", str(target), "--issuer", "X"])
    assert result.exit_code == 2 and target.read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_the_report_file_writer_reads_back_to_the_same_report(fmt: str) -> None:
    """What report_toml writes parses to a report that renders exactly as the original."""
    from docgen.outputs.toml import report_toml

    example = {"2021": "qingshan-natural-resources-2024.toml", "2019": "hedong-district-2020.toml"}[fmt]
    source = docgen.load(ROOT / "examples" / example)
    back = docgen.check(parse(report_toml(source.data), "back.toml"))
    assert back.report is not None
    assert docgen.render(back.report) == docgen.render(docgen.check(source).require())


def test_the_sum_written_into_a_source_folder_is_not_added_to_itself(runner: CliRunner, tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "county"
    shutil.copytree(COUNTY, folder, ignore=shutil.ignore_patterns("mistakes"))
    target = folder / "county.toml"
    args = ["rollup", str(folder), "-o", str(target), "--issuer", "青山县人民政府", "--force"]
    assert runner.invoke(app, args).exit_code == 0
    first = docgen.check(target).require().tables.value(("applications", "received", "total"))
    again = runner.invoke(app, args)
    assert again.exit_code == 0 and "10" in again.stderr
    assert docgen.check(target).require().tables.value(("applications", "received", "total")) == first


@pytest.mark.parametrize("issuer", ["", "a/b"])
def test_an_issuer_that_cannot_sign_is_refused(runner: CliRunner, tmp_path: Path, issuer: str) -> None:
    result = runner.invoke(app, ["rollup", str(COUNTY), "-o", str(tmp_path / "s.toml"), "--issuer", issuer])
    assert result.exit_code == 1 and "发布机关" in result.stderr and "Traceback" not in result.output


def test_year_leaves_out_other_years_even_when_they_are_invalid(runner: CliRunner, tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "mixed"
    shutil.copytree(COUNTY, folder, ignore=shutil.ignore_patterns("mistakes"))
    old = (COUNTY / "mistakes" / "shiqiao.toml").read_text(encoding="utf-8").replace("year = 2024", "year = 2023")
    (folder / "shiqiao-2023.toml").write_text(old, encoding="utf-8")
    refused = runner.invoke(app, ["rollup", str(folder), "-o", str(tmp_path / "a.toml"), "--issuer", "X"])
    assert refused.exit_code == 1
    kept = runner.invoke(
        app, ["rollup", str(folder), "-o", str(tmp_path / "b.toml"), "--issuer", "X", "--year", "2024"]
    )
    assert kept.exit_code == 0, kept.output
    assert "shiqiao-2023.toml" in kept.stderr
