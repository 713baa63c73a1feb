"""``docgen extract``: a published report (.docx, PDF, web page) read back into a report file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..checks import check
from ..files import write_atomic
from ..inputs.documents import extract
from ..model import format_of
from ..statute import Label
from .common import (
    INVALID,
    USAGE,
    ForceOption,
    LangOption,
    Language,
    app,
    err,
    fail,
    handled,
    language,
    output_file,
    refuse_overwrite,
    say,
    schema_ref,
)


@app.command("extract")
def extract_command(
    report: Annotated[
        Path,
        typer.Argument(metavar="REPORT", help="A published report: .docx, .pdf or .html.", readable=False),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="OUT.toml or OUT.json; default: print the TOML.", readable=False, parser=output_file
        ),
    ] = None,
    force: ForceOption = False,
    lang: LangOption = Language.zh,
) -> None:
    """Read a published report's figures and text into a report file; exit 1 with what could not be read."""
    chosen = language(lang)
    if output is not None and output.suffix.lower() not in (".toml", ".json"):
        fail(
            Label(f"-o 应为 .toml 或 .json 文件：{output}", f"-o must name a .toml or .json file: {output}"),
            chosen,
            USAGE,
        )
    if output is not None:
        refuse_overwrite(output, force, chosen, [report])
    with handled(chosen):
        source = extract(report)
        result = check(source)
        fmt = format_of(source.data).name
        if output is not None and output.suffix.lower() == ".json":
            from ..outputs.jsonfile import report_json

            text = report_json(source.data, schema_ref=schema_ref(output, fmt))
        else:
            from ..outputs.toml import report_toml

            text = report_toml(source.data, schema_ref=schema_ref(output, fmt) if output else None)
        for issue in result.issues:
            err(issue.format(chosen))
        if output is None:
            typer.echo(text, nl=False)
        else:
            write_atomic(output, text.encode("utf-8"))
            said = (
                Label("已写入", "written") if result.ok else Label("已写入，但有错误未能读对", "written, with errors")
            )
            say(output, said, chosen)
    if not result.ok:
        raise typer.Exit(INVALID)
