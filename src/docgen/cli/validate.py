"""``docgen validate``: every problem of one or more reports, as text or JSON."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..checks import check
from ..checks.publication import OVERVIEW_LIMIT
from ..errors import FileError, InputError
from ..inputs import Source, find_reports, load_report, report_file
from ..issues import Issue
from .common import (
    FAILURE,
    INVALID,
    OK,
    DefaultsOption,
    LangOption,
    Language,
    OverviewLimitOption,
    PreviousOption,
    app,
    err,
    handled,
    language,
    load_previous,
    overview_limit,
)


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


def _issues(path: Path, last: Source | None, defaults: Path | None, limit: int | None) -> list[Issue]:
    """Every issue of the report at ``path``, or of each report of a roster; none of a ``_defaults.toml``."""
    reports, missing = find_reports([path], defaults=defaults)
    if missing:
        reports = [report_file(path, defaults=defaults)]  # reading it says what is wrong
    out: list[Issue] = []
    for report in reports:
        try:
            source = load_report(report)
        except InputError as exc:
            out += exc.issues
            continue
        out += check(source, previous=last, overview_limit=limit).issues
    return out


@app.command("validate")
def validate_command(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            metavar="INPUT...",
            help="Reports: TOML, JSON, form workbooks, or rosters (each row).",
            show_default=False,
            readable=False,
        ),
    ],
    previous: PreviousOption = None,
    defaults: DefaultsOption = None,
    limit: OverviewLimitOption = OVERVIEW_LIMIT,
    output_format: Annotated[
        OutputFormat, typer.Option("--output-format", help="How to print the issues: text or json.")
    ] = OutputFormat.text,
    lang: LangOption = Language.zh,
) -> None:
    """Check reports against the schema and the statutory rules; exit 1 if any has an error."""
    chosen = language(lang)
    with handled(chosen):
        last = load_previous(previous)
    found: list[Issue] = []
    code = OK
    for path in inputs:
        try:
            found += _issues(path, last, defaults, overview_limit(limit))
        except FileError as exc:
            err(exc.message(chosen))
            code = FAILURE
    if output_format is OutputFormat.json:
        typer.echo(json.dumps([i.as_dict(chosen) for i in found], ensure_ascii=False, indent=2))
    else:
        for issue in found:
            typer.echo(issue.format(chosen))
    if code == OK and any(i.is_error for i in found):
        code = INVALID
    raise typer.Exit(code)
