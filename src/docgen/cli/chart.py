"""``docgen chart``: the 图解 of a checked report, as one long image and each chart alone (PNG and SVG)."""

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
    app,
    checked,
    err,
    fail,
    guard_output,
    handled,
    language,
    load_previous,
    say,
    scanned,
    terminate_as_interrupt,
)


@app.command("chart")
def chart_command(
    input_file: Annotated[
        Path,
        typer.Argument(metavar="INPUT", help="The report: TOML, JSON or a form workbook.", readable=False),
    ],
    outdir: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="The folder to write into; default: INPUT's folder.", readable=False),
    ] = None,
    previous: PreviousOption = None,
    defaults: DefaultsOption = None,
    lang: LangOption = Language.zh,
) -> None:
    """Draw the 图解 (一图读懂): INPUT.chart.png, one long image 1080 px wide, and each chart alone, with SVGs;
    with --previous, this year against last year too.  Needs docgen[charts]."""
    chosen = language(lang)
    folder = outdir if outdir is not None else input_file.parent
    if folder.exists() and not folder.is_dir():
        fail(
            Label(f"{folder}: 不是文件夹；-o 应为输出文件夹", f"{folder}: not a folder; -o names the output folder"),
            chosen,
            USAGE,
        )
    reads = [input_file, previous, *scanned([input_file, previous], recursive=False), defaults]
    from ..outputs.charts import CHART_NAMES

    for name in CHART_NAMES:
        for suffix in (".png", ".svg"):
            guard_output(folder / f"{input_file.stem}.{name}{suffix}", chosen, reads)
    with handled(chosen), terminate_as_interrupt():
        last_year = load_previous(previous)
        result = check(input_file, previous=last_year, defaults=defaults)
        for issue in result.issues:
            err(issue.format(chosen))
        if result.report is None:
            raise typer.Exit(INVALID)
        from ..outputs.charts import render_charts

        charts = render_charts(result.report, previous=checked(last_year))
        folder.mkdir(parents=True, exist_ok=True)
        for path in charts.write(folder, input_file.stem):
            say(path, WRITTEN, chosen)
