"""Every figure in its own cell: the grids of the statute, the rendered tables, and keys named like dict methods."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

import docgen
from docgen.inputs import parse
from docgen.outputs.docx.template import PreparedTemplate, environment, template_path
from docgen.statute import (
    APPLICANT_COLUMNS,
    CELLS,
    FORMAT_SPECS,
    FORMATS,
    GRIDS,
    OUTCOME_COLUMNS,
    POSITIONS,
    TABLE_C_LEAVES,
)
from docgen.statute import (
    Path as DataPath,
)
from docgen.testing import table_grids

from .conftest import ROOT

HEDONG = ROOT / "examples" / "hedong-district-2020.toml"


def _put(tree: dict[str, Any], path: DataPath, value: object) -> None:
    for key in path[:-1]:
        tree = tree.setdefault(key, {})
    tree[path[-1]] = value


def _distinct_report(fmt_name: str) -> tuple[dict[str, Any], dict[DataPath, str]]:
    """A valid report whose every figure differs from every other, and the text each cell must print.

    Every applicant and outcome cell is given; every total is left to docgen, and
    the expected totals are added up here, independently of docgen's arithmetic.
    """
    fmt = FORMAT_SPECS[fmt_name]
    data: dict[str, Any] = {
        "format": fmt_name,
        "year": 2024,
        "issuer": "某县某局",
        "date": "2025-01-20",
        "overview": {"text": "概述。"},
        "problems": {"text": "问题。"},
    }
    expected: dict[DataPath, str] = {}
    counter = iter(range(101, 100_000, 7))
    for path, info in CELLS[fmt_name].items():
        if path[0] != "proactive":
            continue
        if info.kind == "money":
            value: object = float(f"{next(counter)}.25")
            expected[path] = f"{value:.2f}"
        elif info.kind == "signed":
            value = -next(counter)
            expected[path] = str(value)
        else:
            value = next(counter)
            expected[path] = str(value)
        _put(data, path, value)
    applicants = [c.key for c in APPLICANT_COLUMNS]
    rows = [path for path, _ in fmt.table_b_leaves()]
    results = [p for p in rows if p[1] == "results" and p[2] != "total"]
    column_sums = dict.fromkeys(applicants, 0)
    for row in results + [("applications", "carried_in"), ("applications", "carried_forward")]:
        for key in applicants:
            value = next(counter) if row[1] != "carried_in" else next(counter) % 97  # carried in stays small
            _put(data, row + (key,), value)
            expected[row + (key,)] = str(value)
            if row in results:
                column_sums[key] += value
    for key in applicants:
        expected[("applications", "results", "total", key)] = str(column_sums[key])
        received = (
            column_sums[key]
            + int(expected[("applications", "carried_forward", key)])
            - int(expected[("applications", "carried_in", key)])
        )
        _put(data, ("applications", "received", key), received)
        expected[("applications", "received", key)] = str(received)
    for row in rows:
        expected[row + ("total",)] = str(sum(int(expected[row + (k,)]) for k in applicants))
    for group, _ in TABLE_C_LEAVES:
        outcomes = [next(counter) for _ in OUTCOME_COLUMNS]
        for column, value in zip(OUTCOME_COLUMNS, outcomes, strict=True):
            _put(data, group + (column.key,), value)
            expected[group + (column.key,)] = str(value)
        expected[group + ("total",)] = str(sum(outcomes))
    return data, expected


def _report(data: Mapping[str, Any]) -> docgen.Report:
    text = json.dumps(data, ensure_ascii=False)
    return docgen.check(parse(text, "distinct.json")).require()


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_figure_is_printed_in_exactly_its_own_cell(fmt: str) -> None:
    """Each of the report's figures, all different, reads back from the cell POSITIONS names, and from no other."""
    data, expected = _distinct_report(fmt)
    assert set(expected) == set(CELLS[fmt])
    assert len(set(expected.values())) == len(expected), "the test's figures must all differ"
    grids = table_grids(docgen.render(_report(data)))
    assert [(len(g), len(g[0])) for g in grids] == [(grid.rows, grid.cols) for grid in GRIDS[fmt]]
    for path, text in expected.items():
        position = POSITIONS[fmt][path]
        assert grids[position.table][position.row][position.col] == text, path
    printed = Counter(text for grid in grids for row in grid for text in row if text)
    assert {text: printed[text] for text in expected.values()} == dict.fromkeys(expected.values(), 1)


@pytest.mark.parametrize("fmt", FORMATS)
def test_positions_cover_every_cell_once(fmt: str) -> None:
    """The grids place every figure of the statute, and no two figures share a cell."""
    positions = POSITIONS[fmt]
    assert set(positions) == set(CELLS[fmt])
    assert len(set(positions.values())) == len(positions)


@pytest.mark.parametrize("fmt", FORMATS)
def test_grid_cells_tile_each_table(fmt: str) -> None:
    """Every slot of every table is covered by exactly one cell of its grid, merges included."""
    for grid in GRIDS[fmt]:
        covered = Counter(
            (cell.row + r, cell.col + c) for cell in grid.cells for r in range(cell.rows) for c in range(cell.cols)
        )
        assert set(covered) == {(r, c) for r in range(grid.rows) for c in range(grid.cols)}, grid.name
        assert set(covered.values()) == {1}, grid.name


def test_hedong_procurement_row_reads_its_figures() -> None:
    """The 2019 example's 政府集中采购 row: 58 items and 1250.36, not a Python method's name."""
    grids = table_grids(docgen.render(docgen.check(HEDONG).require()))
    items, amount = (
        POSITIONS["2019"][("proactive", "procurement", "items")],
        (POSITIONS["2019"][("proactive", "procurement", "amount")]),
    )
    row = grids[items.table][items.row]
    assert row[0] == "政府集中采购"
    assert (row[items.col], grids[amount.table][amount.row][amount.col]) == ("58", "1250.36")


@pytest.mark.parametrize("key", ["items", "keys", "values", "get", "copy", "update", "pop", "setdefault", "clear"])
def test_a_key_named_like_a_dict_method_reaches_its_value(key: str) -> None:
    """In any template, ``row.items`` is the key ``items`` of the row, not the dict method."""
    assert environment().from_string(f"{{{{ row.{key} }}}}").render(row={key: "58"}) == "58"


def test_a_custom_template_reads_procurement_items(tmp_path: Path) -> None:
    """A custom 2019 template that prints ``proactive.procurement.items`` in its title gets 58."""
    from docx import Document

    doc = Document(str(template_path("2019")))
    title = next(p for p in doc.paragraphs if p.text == "{{ title }}")
    title.runs[0].text = "采购{{ proactive.procurement.items }}项"
    target = tmp_path / "custom.docx"
    doc.save(str(target))
    prepared = PreparedTemplate.from_path(target, FORMAT_SPECS["2019"])
    rendered = Document(io.BytesIO(prepared.render(docgen.check(HEDONG).require())))
    assert rendered.paragraphs[0].text == "采购58项"


_RENDER = "import sys, docgen; sys.stdout.buffer.write(docgen.render(docgen.check(sys.argv[1]).require()))"


@pytest.mark.parametrize("example", ["jindian-2024.toml", "hedong-district-2020.toml"])
def test_renders_in_two_processes_are_byte_identical(example: str) -> None:
    """Different hash seeds, same bytes: nothing in a document depends on the process that wrote it."""
    outputs = [
        subprocess.run(
            [sys.executable, "-c", _RENDER, str(ROOT / "examples" / example)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    ]
    assert outputs[0] == outputs[1]
    assert outputs[0].startswith(b"PK")


def test_a_position_names_its_place_in_a_document() -> None:
    """A figure's grid position, counted from 0, reads as the document place counted from 1 that messages print."""
    position = POSITIONS["2021"][("applications", "results", "granted", "natural_person")]
    place = docgen.TableLocation.of("report.pdf", position)
    assert (place.table, place.row, place.col) == ("B", position.row + 1, position.col + 1)
    assert str(place) == f"report.pdf!表B!R{position.row + 1}C{position.col + 1}"
