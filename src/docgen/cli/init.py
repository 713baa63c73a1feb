"""``docgen init``: a starter report with every row present and labelled."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..files import write_atomic
from ..outputs.starter import starter
from .common import (
    WRITTEN,
    ForceOption,
    FormatOption,
    LangOption,
    Language,
    ReportFormat,
    app,
    handled,
    language,
    refuse_overwrite,
    say,
    schema_ref,
)


@app.command("init")
def init_command(
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Where to write; default: print it.")] = None,
    report_format: FormatOption = ReportFormat.f2021,
    force: ForceOption = False,
    lang: LangOption = Language.zh,
) -> None:
    """Write a starter report with every row present and labelled."""
    chosen = language(lang)
    text = starter(report_format.value, schema_ref=schema_ref(output, report_format.value))
    if output is None:
        typer.echo(text, nl=False)
        return
    refuse_overwrite(output, force, chosen)
    with handled(chosen):
        write_atomic(output, text.encode("utf-8"))
    say(output, WRITTEN, chosen)
