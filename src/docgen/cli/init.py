"""``docgen init``: a starter report with every row present and labelled, or the form workbook a body fills in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ..files import write_atomic
from ..inputs import load_report, report_file
from ..model import format_of
from ..outputs.starter import starter
from ..sheets import SECTION_SLOTS
from ..statute import DEFAULT_FORMAT, Label
from .common import (
    USAGE,
    WRITTEN,
    ForceOption,
    LangOption,
    Language,
    ReportFormat,
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

ReportOption = Annotated[Path | None, typer.Option(show_default=False, readable=False)]


@app.command("init")
def init_command(
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Where to write; default: print it.", readable=False, parser=output_file),
    ] = None,
    report_format: Annotated[
        ReportFormat | None,
        typer.Option("--format", help="The report format: 2021 or 2019.  [default: 2021, or --from's]"),
    ] = None,
    xlsx: Annotated[
        Path | None,
        typer.Option(
            "--xlsx", help="Write the form workbook a body fills in, here.", show_default=False, readable=False
        ),
    ] = None,
    from_report: Annotated[
        Path | None,
        typer.Option("--from", help="With --xlsx: fill the form from this report.", readable=False),
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option("--previous", help="With --xlsx: 二、上年结转 from this report's 四.", readable=False),
    ] = None,
    force: ForceOption = False,
    lang: LangOption = Language.zh,
) -> None:
    """Write a starter report with every row present and labelled, or (--xlsx) the form workbook."""
    chosen = language(lang)
    if xlsx is None:
        if from_report is not None or previous is not None:
            fail(Label("--from 和 --previous 只用于 --xlsx", "--from and --previous go with --xlsx"), chosen, USAGE)
        fmt_name = report_format.value if report_format else DEFAULT_FORMAT
        text = starter(fmt_name, schema_ref=schema_ref(output, fmt_name))
        if output is None:
            typer.echo(text, nl=False)
            return
        refuse_overwrite(output, force, chosen)
        with handled(chosen):
            write_atomic(output, text.encode("utf-8"))
        say(output, WRITTEN, chosen)
        return
    if output is not None:
        fail(Label("--xlsx 已指定写到哪里，不再用 -o", "--xlsx names the file to write; drop -o"), chosen, USAGE)
    if xlsx.suffix.lower() != ".xlsx":
        fail(
            Label(f"--xlsx 的文件名应以 .xlsx 结尾：{xlsx}", f"--xlsx needs a name ending in .xlsx: {xlsx}"),
            chosen,
            USAGE,
        )
    refuse_overwrite(xlsx, force, chosen, [from_report, previous])
    with handled(chosen):
        from ..outputs.workbook import carried_over, form_workbook, sections_beyond_the_form  # openpyxl, only here

        data: dict[str, Any] = dict(load_report(report_file(from_report)).data) if from_report else {}
        fmt_name = format_of(data).name if from_report else DEFAULT_FORMAT
        if report_format is not None and report_format.value != fmt_name and from_report:
            fail(
                Label(
                    f"--format {report_format.value} 与 --from 报告的 {fmt_name} 格式不符",
                    f"--format {report_format.value} contradicts the {fmt_name} format of the --from report",
                ),
                chosen,
                USAGE,
            )
        fmt_name = report_format.value if report_format else fmt_name
        if previous is not None:
            data = carried_over(data, load_report(report_file(previous)).data)
        write_atomic(xlsx, form_workbook(fmt_name, data))
    say(xlsx, WRITTEN, chosen)
    if dropped := sections_beyond_the_form(data):
        err(
            Label(
                f"{from_report}: 一、总体情况有 {dropped} 个小节超出表格的 {SECTION_SLOTS} 个，未写入",
                f"{from_report}: {dropped} sub-sections of 一、总体情况 beyond the form's {SECTION_SLOTS} dropped",
            ).text(chosen)
        )
