"""``docgen review``: a county's reports in any form, checked, against its roster and last year's reports."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..checks.publication import OVERVIEW_LIMIT
from ..files import write_atomic
from ..outputs.review import review_html, review_json, review_text, review_workbook, summary
from ..reviews import Entry, review
from ..statute import Label, Lang
from .common import (
    INVALID,
    USAGE,
    WRITTEN,
    DefaultsOption,
    ForceOption,
    LangOption,
    Language,
    OverviewLimitOption,
    SourcesArgument,
    app,
    fail,
    handled,
    language,
    output_file,
    overview_limit,
    progress_bar,
    refuse_overwrite,
    say,
    scanned,
    sparing,
)


class ReviewFormat(StrEnum):
    text = "text"
    json = "json"
    xlsx = "xlsx"


_SUFFIXES = {".html": "html", ".htm": "html", ".txt": "text", ".json": "json", ".xlsx": "xlsx"}


@app.command("review")
def review_command(
    sources: SourcesArgument,
    roster: Annotated[
        Path | None,
        typer.Option(
            "--roster",
            help="The bodies that owe a report: a text file (a name a line), or a CSV or workbook with a name "
            "column and an optional id column.",
            readable=False,
        ),
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option("--previous", help="A folder of last year's reports, any form.", readable=False),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Write the review here: .html (a page to filter), .xlsx, .json or .txt.",
            readable=False,
            parser=output_file,
        ),
    ] = None,
    output_format: Annotated[
        ReviewFormat | None,
        typer.Option("--output-format", help="text or json on the terminal; xlsx with -o FILE.xlsx.  [default: text]"),
    ] = None,
    defaults: DefaultsOption = None,
    limit: OverviewLimitOption = OVERVIEW_LIMIT,
    force: ForceOption = False,
    lang: LangOption = Language.zh,
) -> None:
    """Check every report of the folders (toml, json, xlsx, docx, pdf, html) and list the roster's bodies with
    none; exit 1 if a report has an error or cannot be read, or a body has none."""
    chosen = language(lang)
    kind = _kind(output, output_format, chosen)
    if output is not None:
        found = sparing(scanned(sources, documents=True, recursive=True), output)
        refuse_overwrite(
            output, force, chosen, [*sources, roster, defaults, *found, *scanned([previous], documents=True)]
        )
    from rich.console import Console

    errors = Console(stderr=True)
    bar, task = progress_bar(errors, Label("审查中", "reviewing").text(chosen))

    def progress(entry: Entry, count: int, total: int) -> None:
        bar.update(task, completed=count, total=total)

    with handled(chosen):
        if errors.is_terminal:  # a county's PDFs take a while; a pipe or a log gets the result alone
            bar.start()
        try:
            done = review(
                sources,
                roster=roster,
                previous=previous,
                defaults=defaults,
                overview_limit=overview_limit(limit),
                progress=progress,
                exclude=[output] if output is not None else [],
            )
        finally:
            if errors.is_terminal:
                bar.stop()
        if output is None:
            typer.echo(review_json(done, chosen) if kind == "json" else review_text(done, chosen), nl=False)
        else:
            writers = {"html": review_html, "text": review_text, "json": review_json}
            data = review_workbook(done, chosen) if kind == "xlsx" else writers[kind](done, chosen).encode("utf-8")
            write_atomic(output, data)
            say(output, WRITTEN, chosen)
            typer.echo(summary(done, chosen))
    if not done.ok:
        raise typer.Exit(INVALID)


def _kind(output: Path | None, chosen_format: ReviewFormat | None, chosen: Lang) -> str:
    """What to write: the -o file's kind by its suffix, which --output-format, if given, must agree with."""
    if output is None:
        if chosen_format is ReviewFormat.xlsx:
            fail(Label("xlsx 需要用 -o 指定 .xlsx 文件", "xlsx needs -o FILE.xlsx"), chosen, USAGE)
        return chosen_format.value if chosen_format is not None else "text"
    kind = _SUFFIXES.get(output.suffix.lower())
    if kind is None:
        fail(
            Label(
                f"-o 应为 .html、.xlsx、.json 或 .txt 文件：{output}",
                f"-o must be .html, .xlsx, .json or .txt: {output}",
            ),
            chosen,
            USAGE,
        )
    if chosen_format is not None and chosen_format.value != kind:
        fail(
            Label(
                f"--output-format {chosen_format.value} 与 -o {output} 不符",
                f"--output-format {chosen_format.value} does not match -o {output}",
            ),
            chosen,
            USAGE,
        )
    return kind
