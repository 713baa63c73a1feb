"""``docgen validate``: every problem of one or more reports, as text or JSON."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..checks import check
from ..errors import FileError
from ..issues import Issue
from .common import (
    FAILURE,
    INVALID,
    OK,
    DefaultsOption,
    LangOption,
    Language,
    PreviousOption,
    app,
    err,
    handled,
    language,
    load_previous,
)


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


@app.command("validate")
def validate_command(
    inputs: Annotated[
        list[Path], typer.Argument(metavar="INPUT...", help="Report files, TOML or JSON.", show_default=False)
    ],
    previous: PreviousOption = None,
    defaults: DefaultsOption = None,
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
            found += check(path, previous=last, defaults=defaults).issues
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
