"""From a valid report file to everything the document prints."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .errors import InputError
from .load import Source
from .narrative import paragraphs, resolve, xml_safe
from .structure import Format
from .tables import Tables, chinese_date, lookup, parse_date, placeholder_values, tabulate, title_of
from .validate import errors, validate

NOTHING_TO_REPORT = "无"


@dataclass(frozen=True)
class Section:
    """A numbered sub-section of 一、总体情况."""

    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    """A validated report with every figure computed and every placeholder resolved."""

    format: Format
    year: int
    issuer: str
    title: str
    date: datetime.date
    tables: Tables
    overview: tuple[str, ...]
    sections: tuple[Section, ...]
    problems: tuple[str, ...]
    other_matters: tuple[str, ...]

    @property
    def date_text(self) -> str:
        """The signature date as printed: 2025年1月8日."""
        return chinese_date(self.date)


def compute(source: Source, *, previous: Source | None = None) -> Report:
    """Validate ``source`` and build its report; raises InputError listing every error found."""
    problems = errors(validate(source, previous=previous))
    if problems:
        raise InputError(issues=problems)
    return build(source)


def build(source: Source) -> Report:
    """The report of a source already known to be valid."""
    data = source.data
    tables = tabulate(data)
    values = placeholder_values(data, tables)

    def text(*path: str | int) -> str:
        value = lookup(data, path)
        return xml_safe(resolve(value, values)[0]) if isinstance(value, str) else ""

    sections = lookup(data, ("overview", "sections")) or []
    day = parse_date(data["date"])
    assert day is not None  # the schema and the validator saw to it
    return Report(
        format=tables.format,
        year=data["year"],
        issuer=xml_safe(data["issuer"]),
        title=xml_safe(resolve(title_of(data), values)[0]),
        date=day,
        tables=tables,
        overview=paragraphs(text("overview", "text")),
        sections=tuple(
            Section(
                text("overview", "sections", i, "heading").strip(), paragraphs(text("overview", "sections", i, "text"))
            )
            for i in range(len(sections))
        ),
        problems=paragraphs(text("problems", "text")),
        other_matters=paragraphs(text("other_matters", "text")) or (NOTHING_TO_REPORT,),
    )
