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
from .compute import build
from .errors import DocgenError, FileError, InputError
from .issues import Issue, Lang
from .load import Source, load
from .pdf import convert, font_status
from .render import PreparedTemplate, default_template, render
from .resources import schema_path
from .starter import starter
from .structure import FORMAT_SPECS
from .validate import errors
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


def _language(lang: Language) -> Lang:
    return "en" if lang is Language.en else "zh"


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
    language = _language(lang)
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


@app.command("render")
def render_command(
    input_file: Annotated[Path, typer.Argument(metavar="INPUT", help="The report, TOML or JSON.", show_default=False)],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Default: INPUT with .docx.")] = None,
    template: Annotated[Path | None, typer.Option("--template", help="A custom .docx template.")] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="Also write a PDF beside the .docx (LibreOffice).")] = False,
    previous: PreviousOption = None,
    lang: LangOption = Language.zh,
) -> None:
    """Validate a report and write it as an official-format Word file; nothing is written if it has errors."""
    language = _language(lang)
    target = output or input_file.with_suffix(".docx")
    with _handled(language):
        source = load(input_file)
        issues = validate_source(source, previous=_load_previous(previous))
        for issue in issues:
            _err(issue.format(language))
        if errors(issues):
            raise typer.Exit(INVALID)
        report = build(source)
        fmt = report.format
        prepared = PreparedTemplate.from_path(template, fmt) if template else default_template(fmt.name)
        data = render(report, template=prepared, output=target)
        _err(f"{target}: 已写入 / written")
        if pdf:
            pdf_target = target.with_suffix(".pdf")
            convert(data, pdf_target)
            _err(f"{pdf_target}: 已写入 / written")


@app.command("check-template")
def check_template(
    template: Annotated[Path, typer.Argument(metavar="TEMPLATE", help="A .docx template.", show_default=False)],
    report_format: Annotated[ReportFormat, typer.Option("--format", help="2021 or 2019.")] = ReportFormat.f2021,
) -> None:
    """Check that every variable a template uses exists in the schema (exit 3 if not)."""
    with _handled("zh"):
        PreparedTemplate.from_path(template, FORMAT_SPECS[report_format.value])
    _err(f"{template}: 模板变量均有效 / every variable is known")


@app.command()
def fonts() -> None:
    """List the official fonts, whether each is installed, and what stands in for it in PDFs."""
    status = font_status()
    if not status:
        _fail("找不到 fontconfig（fc-match）/ fontconfig is not installed: apt-get install fontconfig", FAILURE)
    for item in status:
        mark = "已安装 installed" if item.installed else "缺失 missing  "
        typer.echo(f"{item.font}\t{mark}\t→ {item.used}")
