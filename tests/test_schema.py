"""The committed JSON Schemas are what the statutory structure produces, and say what the contract says."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from docgen import FORMATS, build_schema
from docgen.cli import app
from docgen.schema import dumps, schema_filename
from docgen.statute import CELLS

from .conftest import ROOT


def _objects(node: Any, path: str = "$") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        if "object" in ([node["type"]] if isinstance(node.get("type"), str) else node.get("type", [])):
            yield path, node
        for key, value in node.get("properties", {}).items():
            yield from _objects(value, f"{path}.{key}")
        if isinstance(node.get("items"), dict):
            yield from _objects(node["items"], f"{path}[]")


@pytest.mark.parametrize("fmt", FORMATS)
def test_committed_schema_is_up_to_date(fmt: str) -> None:
    """`make schemas` has been run: the file in schemas/ equals what the structure produces."""
    committed = (ROOT / "schemas" / schema_filename(fmt)).read_text(encoding="utf-8")
    assert committed == dumps(fmt), "run `make schemas`"


@pytest.mark.parametrize("fmt", FORMATS)
def test_schema_is_draft7_with_labels_everywhere(fmt: str) -> None:
    """Draft-07, an $id, and a Chinese title and description on every key; objects are closed."""
    schema = build_schema(fmt)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["$id"].endswith(f"report-{fmt}")
    jsonschema.Draft7Validator.check_schema(schema)
    for path, obj in _objects(schema):
        assert obj["additionalProperties"] is False, path
        for key, prop in obj["properties"].items():
            assert prop.get("title") and prop.get("description"), f"{path}.{key}"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in schema["properties"]["applications"]["title"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_cell_is_in_the_schema_with_its_kind(fmt: str) -> None:
    """Each numeric cell of the tables is a key of the schema: counts are integers from 0, money decimal."""
    schema = build_schema(fmt)
    for path, info in CELLS[fmt].items():
        node = schema
        for key in path:
            node = node["properties"][key]
        if info.kind == "count":
            assert node["type"] == "integer" and node["minimum"] == 0, path
        elif info.kind == "signed":
            assert node["type"] == "integer" and "minimum" not in node, path
        else:
            assert "number" in node["type"], path
        assert info.column.zh in node["title"] + node["description"], path


def test_formats_differ_where_the_notices_differ() -> None:
    """2019 has 政府集中采购 and a single （六）其他处理 row; 2021 has neither."""
    s2019, s2021 = build_schema("2019"), build_schema("2021")
    assert "procurement" in s2019["properties"]["proactive"]["properties"]
    assert "procurement" not in s2021["properties"]["proactive"]["properties"]
    other_2019 = s2019["properties"]["applications"]["properties"]["results"]["properties"]["other"]
    other_2021 = s2021["properties"]["applications"]["properties"]["results"]["properties"]["other"]
    assert "integer" in other_2019["type"] and "natural_person" in other_2019["properties"]
    assert set(other_2021["properties"]) == {"no_correction", "fee_unpaid", "other"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_schema_command_prints_the_schema(runner: CliRunner, fmt: str) -> None:
    result = runner.invoke(app, ["schema", "--format", fmt])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == build_schema(fmt)


def test_examples_pass_the_bare_schema() -> None:
    """The committed schema alone, as an editor would use it, accepts every example."""
    import docgen

    for path in sorted((ROOT / "examples").glob("*.toml")):
        data = docgen.load(path).data
        fmt = data.get("format", "2021")
        schema = json.loads((ROOT / "schemas" / schema_filename(fmt)).read_text(encoding="utf-8"))
        jsonschema.validate(data, schema)


def test_an_issuer_with_any_control_format_or_separator_character_is_refused() -> None:
    """Every character of the classes a name must not hold (Unicode Cc, Cf, Zl, Zp, as this Python knows them),
    not only those the schema's pattern lists: each is refused at the issuer, shown by its code."""
    import unicodedata

    import docgen

    data = docgen.load(ROOT / "examples" / "qingshan-natural-resources-2024.toml").data
    unseen = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) in ("Cc", "Cf", "Zl", "Zp")]
    assert len(unseen) > 200
    for char in unseen:
        text = json.dumps({**data, "issuer": f"青山县{char}自然资源局"}, ensure_ascii=True, default=str)
        issues = [i for i in docgen.check(docgen.parse(text, "r.json")).errors if i.path == "issuer"]
        assert len(issues) == 1 and f"<U+{ord(char):04X}>" in issues[0].message(), hex(ord(char))


@pytest.mark.parametrize("written", ["-Infinity", "Infinity", "NaN"])
def test_a_number_that_is_no_number_is_one_message(written: str) -> None:
    import docgen
    from docgen.outputs.jsonfile import report_json

    data = docgen.load(ROOT / "examples" / "qingshan-natural-resources-2024.toml").data
    text = report_json(data).replace('"fees": 18.8710', f'"fees": {written}')
    assert written in text
    issues = [i for i in docgen.check(docgen.parse(text, "r.json")).issues if i.path == "proactive.fees"]
    assert len(issues) == 1 and issues[0].rule == "C7"
