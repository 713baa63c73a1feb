"""The Typer app, the options several commands share, and the one place errors become messages and exit codes."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from types import FrameType
from typing import Annotated, Any, NoReturn

import typer

from ..checks import check
from ..errors import DocgenError, FileError, InputError, MismatchError
from ..files import output_problem
from ..inputs import Source, find_reports, load_report, report_file
from ..model import Report
from ..resources import schema_path
from ..statute import Label, Lang

OK, INVALID, USAGE, FAILURE = 0, 1, 2, 3

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="政府信息公开工作年度报告：校验、生成 Word 文件。",
    pretty_exceptions_enable=False,
)


class Language(StrEnum):
    zh = "zh"
    en = "en"


class ReportFormat(StrEnum):
    f2021 = "2021"
    f2019 = "2019"


LangOption = Annotated[Language, typer.Option("--lang", help="Language of messages.")]
SourcesArgument = Annotated[
    list[Path],
    typer.Argument(metavar="SOURCE...", help="Report files, or folders of them.", show_default=False, readable=False),
]
DefaultsOption = Annotated[
    Path | None,
    typer.Option("--defaults", help="A file of values every report shares (under each report).", readable=False),
]
TemplateOption = Annotated[Path | None, typer.Option("--template", help="A custom .docx template.", readable=False)]
ForceOption = Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")]
FormatOption = Annotated[ReportFormat, typer.Option("--format", help="The report format: 2021 or 2019.")]
OverviewLimitOption = Annotated[
    int,
    typer.Option(
        "--overview-limit",
        min=0,
        help="Warn when 一、总体情况 holds more characters than this (0: no limit).",
    ),
]
PreviousOption = Annotated[
    Path | None,
    typer.Option("--previous", help="Last year's report, for the carry-over and trend checks.", readable=False),
]


def output_file(value: str) -> Path:
    """An -o that names a file: one ending in a separator names a folder, a usage error (exit 2)."""
    if value.endswith(("/", os.sep)):
        raise typer.BadParameter(f"{value}: 以 / 结尾，是文件夹；请给出文件名 (a folder: give a file name)")
    return Path(value)


def progress_bar(console: Any, description: str) -> tuple[Any, Any]:
    """A progress bar on ``console`` (rich), gone when done, and its task."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    )
    return bar, bar.add_task(description, total=None)


def overview_limit(limit: int) -> int | None:
    return limit or None


def language(lang: Language) -> Lang:
    return "en" if lang is Language.en else "zh"


def err(text: str) -> None:
    typer.echo(text, err=True)


def say(path: Path | str, what: Label, lang: Lang) -> None:
    """A line on stderr about a file: ``out.docx: 已写入``."""
    err(f"{path}: {what.text(lang)}")


WRITTEN = Label("已写入", "written")


def exit_code(exc: DocgenError) -> int:
    """The one place an exception becomes an exit code."""
    if isinstance(exc, InputError | MismatchError):
        return INVALID
    return FAILURE  # templates, rendering, files


@contextmanager
def handled(lang: Lang) -> Iterator[None]:
    """Print a library error as its messages, in ``lang``, and exit with its code."""
    try:
        yield
    except DocgenError as exc:
        err(exc.message(lang))
        raise typer.Exit(exit_code(exc)) from None


def fail(message: Label, lang: Lang, code: int) -> NoReturn:
    err(message.text(lang))
    raise typer.Exit(code)


def guard_output(output: Path, lang: Lang, reads: Sequence[Path | None] = ()) -> None:
    """Exit 2 before anything is read when ``output`` may not be written: no file name, a folder, a link, a
    device, or one of the files the command reads (``reads``)."""
    problem = output_problem(output, reads)
    if problem is not None:
        fail(Label(f"{output}: {problem.zh}", f"{output}: {problem.en}"), lang, USAGE)


def scanned(sources: Sequence[Path | None], *, documents: bool = False, recursive: bool = False) -> list[Path]:
    """The files a command reads from ``sources`` (folders scanned as it scans them), and the defaults under
    them: what no output of the command may replace."""
    try:
        found, _ = find_reports([s for s in sources if s is not None], documents=documents, recursive=recursive)
    except FileError:
        return []
    return [path for item in found for path in (item.path, *item.defaults)]


def earlier_output(path: Path, *, issuer: str | None = None) -> bool:
    """Whether the file at ``path``, found among a command's sources, is that command's own earlier output
    (run again, it replaces it) rather than a body's report: a summary, review or roster workbook that no
    body signs, or, with ``issuer``, the roll-up that body signs."""
    from ..inputs import Found, peek

    if not path.is_file():
        return False
    if path.suffix.lower() == ".xlsx":
        from ..inputs.workbook import read_workbook

        try:
            return read_workbook(path).roster
        except DocgenError:
            return True  # not a form docgen reads: a review's workbook
    try:
        named = peek(Found(path, ())).get("issuer")
    except (DocgenError, OSError, ValueError):
        return True
    return named is None or (issuer is not None and named == issuer)


def sparing(reads: Sequence[Path], output: Path, *, issuer: str | None = None) -> list[Path]:
    """``reads`` without ``output`` when the file there is the command's own earlier output, which a new run
    replaces (a summary, a review, a roster, the roll-up ``issuer`` signs)."""
    if not earlier_output(output, issuer=issuer):
        return list(reads)
    return [r for r in reads if r.resolve() != output.resolve()]


def refuse_overwrite(output: Path, force: bool, lang: Lang, reads: Sequence[Path | None] = ()) -> None:
    """A file the user made is replaced only when asked (exit 2 otherwise); never one the command reads."""
    guard_output(output, lang, reads)
    if output.exists() and not force:
        fail(
            Label(f"{output}: 文件已存在；用 --force 覆盖", f"{output}: already exists; use --force to overwrite"),
            lang,
            USAGE,
        )


def schema_ref(output: Path | None, fmt: str) -> str:
    """How a report file written at ``output`` (or printed) names its schema, for editors: a relative path."""
    schema_file = schema_path(fmt)
    try:
        return Path(os.path.relpath(schema_file, (output.parent if output else Path.cwd()).resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return schema_file.as_uri()


def load_previous(previous: Path | None) -> Source | None:
    """Last year's report, read over its folder's defaults as any report is."""
    return load_report(report_file(previous)) if previous is not None else None


def checked(previous: Source | None) -> Report | None:
    """Last year's report, checked, for a comparison with this year's; one with errors cannot be compared."""
    if previous is None:
        return None
    result = check(previous)
    if result.report is None:
        raise MismatchError(
            detail=Label(
                f"{previous.name}: 上年报告有错误，无法与本年对比：请先用 docgen validate 检查它",
                f"{previous.name}: last year's report has errors and cannot be compared: docgen validate it first",
            )
        )
    return result.report


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (a service manager, a timeout) ends a command as Ctrl-C does: LibreOffice stopped, temporary
    files and folders removed, no half-written output."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
