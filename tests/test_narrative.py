"""Placeholders and paragraphs: only a brace-enclosed dotted path is a placeholder; every other brace is text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docgen.checks.quotes import QUOTES
from docgen.narrative import numeral, numeral_value, paragraphs, resolve
from docgen.statute import CELLS, FORMATS

VALUES = {"issuer": "金殿镇人民政府", "year": "2024", "applications.received.total": "3"}


def test_placeholders_resolve_and_doubled_braces_print_literally() -> None:
    text, unknown = resolve("{issuer}{year}年收到{applications.received.total}件；{{issuer}}", VALUES)
    assert text == "金殿镇人民政府2024年收到3件；{issuer}"
    assert unknown == []


def test_template_syntax_is_printed_as_typed() -> None:
    typed = "{{ 7*7 }} {% if x %}y{% endif %} {{issuer.upper()}} { issuer } {Issuer} {a b}"
    assert resolve(typed, VALUES) == (typed, [])


def test_unknown_path_names_the_closest() -> None:
    text, unknown = resolve("{applications.recieved.total} {issuer.__class__}", VALUES)
    assert text == "{applications.recieved.total} {issuer.__class__}"
    assert [(u.path, u.suggestion) for u in unknown] == [
        ("applications.recieved.total", "applications.received.total"),
        ("issuer.__class__", "issuer"),
    ]


@given(st.text(alphabet=st.characters(blacklist_characters="{}")))
def test_text_without_braces_is_unchanged(text: str) -> None:
    assert resolve(text, VALUES) == (text, [])


@given(st.text(alphabet="{}ab._ 7*%"))
def test_any_braces_resolve_without_error_and_only_known_paths_change(text: str) -> None:
    """Whatever is typed, resolving never raises, and text with no known placeholder only loses doubled braces."""
    out, unknown = resolve(text, {})
    assert all(u.placeholder in text for u in unknown)
    assert len(out) <= len(text)


def test_paragraphs_split_on_blank_lines_and_join_chinese_lines_without_spaces() -> None:
    assert paragraphs("\n第一段\n接上\n\n  \nSecond\nline\n") == ("第一段接上", "Second line")
    assert paragraphs("") == ()


def test_chinese_numerals() -> None:
    assert [numeral_value(t) for t in ("5", "两", "十", "十二", "二十", "一百零五", "三十四", "〇")] == [
        5,
        2,
        10,
        12,
        20,
        105,
        34,
        0,
    ]
    assert [numeral(n) for n in (1, 10, 11, 20, 99, 100, 101, 110, 120)] == [
        "一",
        "十",
        "十一",
        "二十",
        "九十九",
        "一百",
        "一百零一",
        "一百一十",
        "一百二十",
    ]
    assert all(numeral_value(numeral(n)) == n for n in range(1, 1000))


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_quoted_phrase_names_cells_of_the_statute(fmt: str) -> None:
    """Each C8 phrase's data paths resolve to cells of the format: a misspelt path fails here, not silently."""
    for quote in QUOTES:
        paths = quote.paths(fmt)
        assert paths is not None, (quote.cells, fmt)
        assert all(path in CELLS[fmt] for path in paths)


def test_a_misspelt_quote_path_does_not_resolve() -> None:
    """The check above can fail: a path the statute lacks resolves to nothing."""
    import re

    from docgen.checks.quotes import Quote
    from docgen.statute import Label

    assert Quote(re.compile("x"), ("applications.recieved.total",), Label("", "")).paths("2021") is None
