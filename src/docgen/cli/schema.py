"""``docgen schema``: the JSON Schema of a report."""

from __future__ import annotations

import typer

from ..schema import dumps
from .common import FormatOption, ReportFormat, app


@app.command("schema")
def schema_command(report_format: FormatOption = ReportFormat.f2021) -> None:
    """Print the JSON Schema of a report."""
    typer.echo(dumps(report_format.value), nl=False)
