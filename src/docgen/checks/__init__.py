"""Checking a report in one pass: the schema, the arithmetic, the text, plausibility and last year.

:func:`check` computes a report's tables and placeholder values once, runs
every check on them, and returns a :class:`~docgen.result.Result`: every
issue found, and the report itself when none of them is an error.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..inputs import Source, load_report, report_file
from ..issues import Issue, in_order
from ..model import build_report, placeholder_values, tabulate
from ..result import Result
from . import arithmetic, history, narrative, plausibility, publication, schema
from .context import Checking

__all__ = ["check"]


def check(
    source: Source | str | Path,
    *,
    previous: Source | str | Path | None = None,
    defaults: str | Path | None = None,
    overview_limit: int | None = publication.OVERVIEW_LIMIT,
) -> Result:
    """Every problem of ``source``, errors and warnings in the order of the file, and its report if it has no error.

    ``source`` is a parsed report or the path of a report file, read over
    ``defaults`` and its folder's ``_defaults.toml`` (as a batch reads it); a
    file that does not parse gives a result holding its syntax error.  A file that
    cannot be read raises :class:`~docgen.FileError`.  ``previous`` is last
    year's report, parsed or a path, for the carry-over and trend checks;
    one that does not parse raises :class:`~docgen.InputError`.  ``overview_limit`` is the most
    characters 一、总体情况 may hold before a warning (None: no limit).
    """
    if not isinstance(source, Source):
        name = str(source)
        try:
            source = load_report(report_file(source, defaults=defaults))
        except InputError as exc:
            return Result(name, tuple(exc.issues), None)
    data = source.data
    checking = _checking(source)
    found: list[Issue] = list(source.issues)
    if (bad_format := schema.unknown_format(checking)) is not None:
        return Result(source.name, (*found, bad_format), None)
    schema_issues, refused = schema.violations(checking)
    found += schema_issues
    found += arithmetic.broken_equations(checking, refused)
    found += narrative.text_issues(checking)
    found += plausibility.township(checking)
    found += publication.before_publication(checking, overview_limit=overview_limit)
    if previous is not None:
        last = previous if isinstance(previous, Source) else load_report(report_file(previous))
        found += history.against_previous(checking, _checking(last))
    issues = tuple(in_order(found))
    if any(issue.is_error for issue in issues):
        return Result(source.name, issues, None)
    return Result(source.name, issues, build_report(data, checking.tables, checking.values))


def _checking(source: Source) -> Checking:
    tables = tabulate(source.data)
    return Checking(source, tables, placeholder_values(source.data, tables))
