"""The command line: parse options, call the library, map results to messages and exit codes."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from . import schema as schema_module
from .errors import DocgenError, FileError, InputError
from .issues import Issue, Lang
from .load import Source, load
from .resources import schema_path
from .starter import starter
from .validate import validate as validate_source
from .write import write_atomic

OK, INVALID, USAGE, FAILURE = 0, 1, 2, 3

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="政府信息公开工作年度报告：校验、生成 Word 文件。",
    pretty_exceptions_enable=False,
)


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


class Language(StrEnum):
    zh = "zh"
    en = "en"


class ReportFormat(StrEnum):
    f2021 = "2021"
    f2019 = "2019"


LangOption = Annotated[Language, typer.Option("--lang", help="Language of messages.")]
PreviousOption = Annotated[
    Path | None, typer.Option("--previous", help="Last year's report, for the carry-over and trend checks.")
]


def _err(text: str) -> None:
    typer.echo(text, err=True)


def exit_code(exc: DocgenError) -> int:
    """The one place an exception becomes an exit code."""
    if isinstance(exc, InputError):
        return INVALID
    return FAILURE  # templates, rendering, files


@contextmanager
def _handled(lang: Lang) -> Iterator[None]:
    """Print a library error as its messages and exit with its code."""
    try:
        yield
    except DocgenError as exc:
        _report_error(exc, lang)
        raise typer.Exit(exit_code(exc)) from None


def _report_error(exc: DocgenError, lang: Lang) -> None:
    if isinstance(exc, InputError):
        for issue in exc.issues:
            _err(issue.format(lang))
    else:
        _err(str(exc))


def _fail(message: str, code: int) -> NoReturn:
    _err(message)
    raise typer.Exit(code)


def _load_previous(previous: Path | None) -> Source | None:
    return load(previous) if previous is not None else None


@app.command()
def validate(
    inputs: Annotated[list[Path], typer.Argument(help="Report files, TOML or JSON.", show_default=False)],
    previous: PreviousOption = None,
    output: Annotated[OutputFormat, typer.Option("--format", help="text or json.")] = OutputFormat.text,
    lang: LangOption = Language.zh,
) -> None:
    """Check reports against the schema and the statutory rules; exit 1 if any has an error."""
    language: Lang = "en" if lang is Language.en else "zh"
    with _handled(language):
        last = _load_previous(previous)
    found: list[Issue] = []
    code = OK
    for path in inputs:
        try:
            found += validate_source(load(path), previous=last)
        except InputError as exc:
            found += exc.issues
        except FileError as exc:
            _err(str(exc))
            code = FAILURE
    if output is OutputFormat.json:
        typer.echo(json.dumps([i.as_dict(language) for i in found], ensure_ascii=False, indent=2))
    else:
        for issue in found:
            typer.echo(issue.format(language))
    if code == OK and any(i.is_error for i in found):
        code = INVALID
    raise typer.Exit(code)


@app.command("schema")
def schema_command(
    report_format: Annotated[ReportFormat, typer.Option("--format", help="2021 or 2019.")] = ReportFormat.f2021,
) -> None:
    """Print the JSON Schema of a report."""
    typer.echo(schema_module.dumps(report_format.value), nl=False)


@app.command()
def init(
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Where to write; default: print it.")] = None,
    report_format: Annotated[ReportFormat, typer.Option("--format", help="2021 or 2019.")] = ReportFormat.f2021,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a starter report with every row present and labelled."""
    target_dir = (output.parent if output else Path.cwd()).resolve()
    schema_file = schema_path(report_format.value)
    try:
        ref = Path(os.path.relpath(schema_file, target_dir)).as_posix()
    except ValueError:  # another drive on Windows
        ref = schema_file.as_uri()
    text = starter(report_format.value, schema_ref=ref)
    if output is None:
        typer.echo(text, nl=False)
        return
    if output.exists() and not force:
        _fail(f"{output}: 文件已存在；用 --force 覆盖 / already exists; use --force to overwrite", USAGE)
    with _handled("zh"):
        write_atomic(output, text.encode("utf-8"))
    _err(f"{output}: 已写入 / written")
