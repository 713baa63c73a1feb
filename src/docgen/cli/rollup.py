"""``docgen rollup``: the county's own report file, every figure the sum of its bodies' reports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..files import write_atomic
from ..rollups import rollup
from ..statute import Label
from .common import (
    WRITTEN,
    DefaultsOption,
    ForceOption,
    LangOption,
    Language,
    SourcesArgument,
    app,
    err,
    handled,
    language,
    output_file,
    refuse_overwrite,
    say,
    scanned,
    schema_ref,
    sparing,
)


@app.command("rollup")
def rollup_command(
    sources: SourcesArgument,
    output: Annotated[
        Path,
        typer.Option(
            "-o", "--output", help="The report file to write.", show_default=False, readable=False, parser=output_file
        ),
    ],
    issuer: Annotated[str, typer.Option("--issuer", help="The body whose report the sum is.", show_default=False)],
    year: Annotated[int | None, typer.Option("--year", help="Add only the reports of this year.")] = None,
    defaults: DefaultsOption = None,
    xlsx: Annotated[
        Path | None,
        typer.Option("--xlsx", help="Also a roster workbook: a row per report, the sum last.", readable=False),
    ] = None,
    force: ForceOption = False,
    lang: LangOption = Language.zh,
) -> None:
    """Add the figures of many reports of one format and year into one report file that validates."""
    chosen = language(lang)
    reads = [*sources, defaults]
    refuse_overwrite(output, force, chosen, [*reads, *sparing(scanned(sources), output, issuer=issuer)])
    if xlsx is not None:
        refuse_overwrite(xlsx, force, chosen, [*reads, *sparing(scanned(sources), xlsx), output])
    with handled(chosen):
        summed = rollup(
            sources, issuer=issuer, year=year, defaults=defaults, exclude=[output, *([xlsx] if xlsx else [])]
        )
        write_atomic(output, summed.text(schema_ref(output, summed.format)).encode("utf-8"))
        if xlsx is not None:
            from ..outputs.workbook import roster_row, roster_workbook  # openpyxl, only here

            rows = [roster_row(part) for part in summed.parts]
            write_atomic(xlsx, roster_workbook(summed.format, rows, total=roster_row(summed.data)))
            say(xlsx, WRITTEN, chosen)
    for name in summed.skipped:
        err(Label(f"{name}: 不是 {year} 年的报告，未计入", f"{name}: not a report of {year}, left out").text(chosen))
    for note in summed.notes:
        err(note.text(chosen))
    say(
        output,
        Label(f"已写入，汇总了 {len(summed.sources)} 份报告", f"written, the sum of {len(summed.sources)} reports"),
        chosen,
    )
