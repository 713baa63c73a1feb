"""The shipped examples: valid, and the seed replica true to the published report."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import docgen

from .conftest import EXAMPLES, ROOT, SEED, needs_seed, report_of, warnings_of


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_has_no_issue(path: Path) -> None:
    """No error, and no warning but what the published report it reproduces deserves."""
    assert [issue.rule for issue in docgen.check(path).issues] == warnings_of(path)


def test_examples_cover_both_formats() -> None:
    formats = {docgen.load(p).data.get("format", "2021") for p in EXAMPLES}
    assert formats == {"2021", "2019"}


def _seed_paragraphs() -> list[str]:
    lines = SEED.read_text(encoding="utf-8").replace("[bookmark: _GoBack]", "").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("\t")]


@needs_seed
def test_jindian_narrative_is_the_seed_verbatim() -> None:
    """Title, every paragraph and heading, and the signature, in the seed's order and wording."""
    report = report_of(ROOT / "examples" / "jindian-2024.toml")
    seed = _seed_paragraphs()
    headings = [f"（{n}）{s.heading}" for n, s in zip("一二三四五", report.sections, strict=False)]
    ours = [report.title, "一、总体情况", *report.overview]
    for heading, section in zip(headings, report.sections, strict=True):
        ours += [heading, *section.paragraphs]
    assert seed[: len(ours)] == ours
    assert (
        seed[-6:]
        == [
            *report.problems,
            "六、其他需要报告的事项",
            *report.other_matters,
            report.issuer,
            report.date_text,
        ][-6:]
    )
    assert report.problems == tuple(seed[-6:-4])


@needs_seed
def test_jindian_tables_blank_where_the_seed_is_blank() -> None:
    """Table B: applicant cells blank, every 总计 reads 0; tables A and C read 0 throughout."""
    tables = report_of(ROOT / "examples" / "jindian-2024.toml").tables
    seed = SEED.read_text(encoding="utf-8")
    table_b = seed[seed.index("一、本年新收") : seed.index("四、政府信息公开行政复议")]
    rows = [block for block in re.split(r"\n\n", table_b) if block.strip()]
    assert len(rows) == 25
    for path, cell in tables.cells.items():
        if path[0] == "applications":
            assert cell.text == ("0" if path[-1] == "total" else ""), path
        else:
            assert cell.text == "0", path
    for row in rows:
        cells = row.split("\n")
        assert cells[-1].strip() == "0" and all(c.strip() == "" for c in cells[-7:-1])


COUNTY = ROOT / "examples" / "county"


@pytest.mark.parametrize("path", sorted(COUNTY.glob("[!_]*.toml")), ids=lambda p: p.name)
def test_county_township_is_clean_over_its_defaults(path: Path) -> None:
    """Each of the county's ten townships, read over the shared _defaults.toml, has no error and no warning."""
    result = docgen.check(path)
    assert result.issues == ()
    assert result.report is not None and result.report.year == 2024 and len(result.report.sections) == 4


@pytest.mark.parametrize(
    ("name", "rules"), [("shiqiao.toml", {"C1"}), ("baisha.toml", {"C3", "C4", "C8"})], ids=["shiqiao", "baisha"]
)
def test_county_mistakes_break_what_their_comments_say(name: str, rules: set[str]) -> None:
    """The two reports kept out of the demo's render break exactly the rules their header comments name."""
    result = docgen.check(COUNTY / "mistakes" / name)
    assert {issue.rule for issue in result.issues} == rules and not result.ok
    header = (COUNTY / "mistakes" / name).read_text(encoding="utf-8").splitlines()[2]
    assert all(rule in header for rule in rules)
