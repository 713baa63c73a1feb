"""``docgen render``: a checked report as its Word file, and its PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..checks import check
from ..statute import Label
from .common import (
    INVALID,
    USAGE,
    WRITTEN,
    DefaultsOption,
    LangOption,
    Language,
    PreviousOption,
    TemplateOption,
    app,
    err,
    fail,
    guard_output,
    handled,
    language,
    load_previous,
    output_file,
    say,
    scanned,
    terminate_as_interrupt,
)


@app.command("render")
def render_command(
    input_file: Annotated[
        Path,
        typer.Argument(
            metavar="INPUT",
            help="The report: TOML, JSON, a form workbook, or a published .docx, .pdf or .html.",
            show_default=False,
            readable=False,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Default: INPUT with .docx.", readable=False, parser=output_file),
    ] = None,
    template: TemplateOption = None,
    defaults: DefaultsOption = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="Also write a PDF beside the .docx (LibreOffice).")] = False,
    previous: PreviousOption = None,
    lang: LangOption = Language.zh,
) -> None:
    """Validate a report and write it as an official-format Word file; nothing is written if it has errors."""
    chosen = language(lang)
    target = output or input_file.with_suffix(".docx")
    reads = [input_file, previous, template, *scanned([input_file, previous], recursive=False), defaults]
    guard_output(target, chosen, reads)
    if pdf:
        if target.suffix.lower() == ".pdf":
            fail(
                Label(
                    f"-o {target} 是 Word 文件的路径，PDF 写在它旁边：请用 -o {target.with_suffix('.docx')}",
                    f"-o {target} names the Word file; the PDF goes beside it: use -o {target.with_suffix('.docx')}",
                ),
                chosen,
                USAGE,
            )
        guard_output(target.with_suffix(".pdf"), chosen, reads)
    with handled(chosen), terminate_as_interrupt():
        result = check(input_file, previous=load_previous(previous), defaults=defaults)
        for issue in result.issues:
            err(issue.format(chosen))
        if result.report is None:
            raise typer.Exit(INVALID)
        from ..outputs.docx.template import render  # the Word stack, only here
        from ..outputs.pdf import Converter

        data = render(result.report, template=template, output=target)
        say(target, WRITTEN, chosen)
        if pdf:
            pdf_target = target.with_suffix(".pdf")
            with Converter() as converter:
                converter.convert(data, pdf_target)
            say(pdf_target, WRITTEN, chosen)
