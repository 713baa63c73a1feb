"""``docgen batch``: every report of the sources checked and rendered into one folder, with a summary."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..files import write_atomic
from ..statute import Label, Lang
from .common import (
    INVALID,
    OK,
    USAGE,
    DefaultsOption,
    LangOption,
    Language,
    SourcesArgument,
    TemplateOption,
    app,
    fail,
    guard_output,
    handled,
    language,
    progress_bar,
    say,
    scanned,
    sparing,
    terminate_as_interrupt,
)

if TYPE_CHECKING:
    from rich.console import Console

    from ..batches import BatchResult, Outcome


_WITH_WARNINGS = Label("有警告", "with warnings")


def _lines(outcome: Outcome, done: int, total: int, lang: Lang) -> list[str]:
    """What a report's outcome prints: one line, then its warnings (rendered, but reported), indented."""
    from ..batches import STATUS_LABELS

    status = STATUS_LABELS[outcome.status].text(lang)
    where = f" → {outcome.outputs[0]}" if outcome.outputs and outcome.status == "rendered" else ""
    why = f": {outcome.first_message(lang)}" if outcome.status not in ("rendered", "skipped") else ""
    warned = outcome.warnings if outcome.status in ("rendered", "skipped") else ()
    return [f"[{done}/{total}] {status} {outcome.source}{where}{why}", *(f"  {w.format(lang)}" for w in warned)]


def _summary(result: BatchResult, lang: Lang, console: Console) -> None:
    """The counts, then each problem file and its first message: tables on a terminal, lines for a log."""
    from rich.table import Table

    from ..batches import STATUS_LABELS, STATUSES

    shown = [s for s in STATUSES if s != "not_done" or result.count(s)]
    counts = [(STATUS_LABELS[s].text(lang), result.count(s)) for s in shown]
    counts.append((_WITH_WARNINGS.text(lang), sum(1 for o in result.outcomes if o.warnings)))
    problems = [o for o in result.outcomes if o.status not in ("rendered", "skipped")]
    title = Label("批处理结果", "Batch summary").text(lang)
    if not console.is_terminal:
        sep = "，" if lang == "zh" else ", "
        print(f"{title}{'：' if lang == 'zh' else ': '}{sep.join(f'{name} {count}' for name, count in counts)}")
        for outcome in problems:
            print(f"{STATUS_LABELS[outcome.status].text(lang)}\t{outcome.source}\t{outcome.first_message(lang)}")
        return
    counts_table = Table(title=title, show_header=False)
    for name, count in counts:
        counts_table.add_row(name, str(count))
    console.print(counts_table)
    if problems:
        table = Table()
        table.add_column(Label("文件", "file").text(lang), overflow="fold")
        table.add_column(Label("结果", "result").text(lang), no_wrap=True)
        table.add_column(Label("原因", "why").text(lang), overflow="fold", ratio=2)
        for outcome in problems:
            table.add_row(outcome.source, STATUS_LABELS[outcome.status].text(lang), outcome.first_message(lang))
        console.print(table)


@app.command("batch")
def batch_command(
    sources: SourcesArgument,
    outdir: Annotated[
        Path, typer.Option("-o", "--output", help="The folder to write into.", show_default=False, readable=False)
    ],
    defaults: DefaultsOption = None,
    jobs: Annotated[int | None, typer.Option("--jobs", min=1, help="Worker processes; default: the cores.")] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="Also a PDF beside each .docx (LibreOffice).")] = False,
    html: Annotated[bool, typer.Option("--html", help="Also each report's web page, for the portal.")] = False,
    charts: Annotated[
        bool, typer.Option("--charts", help="Also each report's 图解, shown in its page with --html (docgen[charts]).")
    ] = False,
    previous: Annotated[
        Path | None,
        typer.Option("--previous", help="A folder of last year's reports, paired by issuer and year.", readable=False),
    ] = None,
    template: TemplateOption = None,
    summary: Annotated[
        Path | None,
        typer.Option(
            "--summary", help="Also write the summary here: FILE.json, or FILE.xlsx as a roster.", readable=False
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Render even what is up to date.")] = False,
    lang: LangOption = Language.zh,
) -> None:
    """Check and render many reports into one folder; exit 1 if any was invalid, failed or not done."""
    from rich.console import Console

    from ..batches import batch

    chosen = language(lang)
    if outdir.exists() and not outdir.is_dir():
        fail(
            Label(f"{outdir}: 不是文件夹；-o 应为输出文件夹", f"{outdir}: not a folder; -o names the output folder"),
            chosen,
            USAGE,
        )
    reads = [*sources, *scanned([previous], documents=True), defaults, template]
    if summary is not None:
        guard_output(summary, chosen, [*reads, *sparing(scanned(sources), summary)])
    for kept in (template, defaults):  # a batch replaces files in OUTDIR: what it reads must not lie there
        if kept is not None and outdir.resolve() in kept.resolve().parents:
            fail(
                Label(
                    f"{kept} 在输出文件夹 {outdir} 里，可能被本次生成的文件覆盖：请放在别处",
                    f"{kept} lies in the output folder {outdir}, where this batch writes: keep it elsewhere",
                ),
                chosen,
                USAGE,
            )
    errors = Console(stderr=True)
    bar, task = progress_bar(errors, Label("生成中", "rendering").text(chosen))

    def progress(outcome: Outcome, done: int, total: int) -> None:
        lines = _lines(outcome, done, total, chosen)
        if not errors.is_terminal:
            print("\n".join(lines), file=sys.stderr, flush=True)
            return
        bar.update(task, completed=done, total=total)
        if outcome.status in ("invalid", "failed") or len(lines) > 1:  # problems and warnings stay on screen
            bar.console.print("\n".join(lines), markup=False, highlight=False)

    with handled(chosen), terminate_as_interrupt():
        if errors.is_terminal:
            bar.start()
        try:
            result = batch(
                sources,
                outdir,
                defaults=defaults,
                jobs=jobs,
                pdf=pdf,
                html=html,
                charts=charts,
                previous=previous,
                template=template,
                force=force,
                exclude=[summary] if summary is not None else [],
                progress=progress,
            )
        finally:
            if errors.is_terminal:
                bar.stop()
        if not result.outcomes:
            fail(
                Label("没有找到报告文件（*.toml、*.json、*.xlsx）", "no report files (*.toml, *.json, *.xlsx) found"),
                chosen,
                INVALID,
            )
        _summary(result, chosen, Console(file=sys.stdout, soft_wrap=True))
        if summary is not None and summary.suffix.lower() == ".xlsx":
            from ..batches import summary_workbook

            table = summary_workbook(result, sources, defaults=defaults, exclude=[summary], lang=chosen)
            write_atomic(summary, table)
            say(summary, Label("已写入", "written"), chosen)
        elif summary is not None:
            text = json.dumps(result.as_dict(chosen), ensure_ascii=False, indent=2) + "\n"
            write_atomic(summary, text.encode("utf-8"))
            say(summary, Label("已写入", "written"), chosen)
    raise typer.Exit(OK if result.ok else INVALID)
