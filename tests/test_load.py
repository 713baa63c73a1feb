"""Reading report files: encodings, decimals, and the line of every value."""

from __future__ import annotations

from decimal import Decimal

import pytest

import docgen
from docgen.inputs import DataPath, Source, TextLocator, decode, parse


def _line(source: Source, path: DataPath) -> int:
    assert isinstance(source.locator, TextLocator)
    return source.locator.line_of(path)


TOML = """\
year = 2024
"issuer" = "某局"
[overview]
text = '''
第一段
'''
[[overview.sections]]
heading = "甲"
text = \"\"\"
a "quoted" {brace}
\"\"\"
[[overview.sections]]
heading = "乙"
[proactive]
rules = { issued = 1, repealed = 2 }
fees = 18.8710
[applications.results]
granted = { natural_person = 3 }
"""


def test_toml_lines_follow_tables_inline_tables_and_arrays_of_tables() -> None:
    source = parse(TOML, "r.toml")
    assert _line(source, ("issuer",)) == 2
    assert _line(source, ("overview", "text")) == 4
    assert _line(source, ("overview", "sections", 0, "heading")) == 8
    assert _line(source, ("overview", "sections", 1, "heading")) == 13
    assert _line(source, ("proactive", "rules", "repealed")) == 15
    assert _line(source, ("proactive", "fees")) == 16
    assert _line(source, ("applications", "results", "granted", "natural_person")) == 18
    # a value the file does not hold is placed at its nearest written ancestor
    assert _line(source, ("applications", "results", "total", "total")) == 17


def test_json_lines_and_decimals() -> None:
    text = (
        '{\n  "year": 2024,\n  "proactive": {\n    "fees": 18.8710,\n    "licensing": 3\n  },\n'
        '  "list": [\n    1,\n    {"a": 2}\n  ]\n}\n'
    )
    source = parse(text, "r.json")
    assert _line(source, ("proactive", "fees")) == 4
    assert _line(source, ("proactive", "licensing")) == 5
    assert _line(source, ("list", 1, "a")) == 9
    fees = source.data["proactive"]["fees"]
    assert isinstance(fees, Decimal) and str(fees) == "18.8710"


def test_toml_money_keeps_trailing_zeros_and_dates_become_iso() -> None:
    source = parse("date = 2025-01-08\nfees = 96171.60\n", "r.toml")
    assert source.data == {"date": "2025-01-08", "fees": Decimal("96171.60")}
    assert str(source.data["fees"]) == "96171.60"


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_utf8_with_or_without_bom(bom: bytes) -> None:
    text, notes = decode(bom + "issuer = '金殿镇'".encode(), "r.toml")
    assert text == "issuer = '金殿镇'" and notes == ()


def test_utf16_with_bom() -> None:
    text, _ = decode("issuer = '金殿镇'".encode("utf-16"), "r.toml")
    assert text == "issuer = '金殿镇'"


def test_gbk_is_read_correctly_with_a_warning() -> None:
    """A file from a Chinese Windows editor reads as the same Chinese, never garbled, and says so."""
    text, notes = decode("issuer = '金殿镇人民政府'\n".encode("gbk"), "r.toml")
    assert text == "issuer = '金殿镇人民政府'\n"
    assert [n.rule for n in notes] == ["encoding"]
    assert "UTF-8" in notes[0].format()


def test_undecodable_bytes_are_refused_naming_utf8() -> None:
    with pytest.raises(docgen.InputError) as caught:
        decode(b"issuer = '\xff\xfe\x80'\n", "r.toml")
    assert "UTF-8" in caught.value.issues[0].format()


def test_missing_file_is_a_file_error(tmp_path: object) -> None:
    with pytest.raises(docgen.FileError):
        docgen.load("/nonexistent/report.toml")


@pytest.mark.parametrize(
    ("text", "line"),
    [("year = 2024\nissuer = \n", 2), ("year = 2024\n[a]\nb = [1,\n", 4)],
)
def test_syntax_errors_name_their_line(text: str, line: int) -> None:
    with pytest.raises(docgen.InputError) as caught:
        parse(text, "r.toml")
    assert caught.value.issues[0].line == line
    assert caught.value.issues[0].rule == "syntax"


def test_json_syntax_error_names_its_line() -> None:
    with pytest.raises(docgen.InputError) as caught:
        parse('{\n  "year": 2024,\n  "issuer": }\n', "r.json")
    assert caught.value.issues[0].line == 3
