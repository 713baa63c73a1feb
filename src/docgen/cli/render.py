"""``docgen render``: a checked report as its Word file, and its PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..checks import check
from ..statute import Label, Lang
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
    checked,
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
    html: Annotated[
        bool, typer.Option("--html", help="Write the report as a web page for the portal (INPUT with .html).")
    ] = False,
    fragment: Annotated[
        bool, typer.Option("--fragment", help="With --html: the body alone, styles inline, to paste into an editor.")
    ] = False,
    charts: Annotated[
        bool, typer.Option("--charts", help="With --html: the 图解 above the tables (needs docgen[charts]).")
    ] = False,
    previous: PreviousOption = None,
    lang: LangOption = Language.zh,
) -> None:
    """Validate a report and write it as an official-format Word file (or, with --html, a web page); nothing
    is written if it has errors."""
    chosen = language(lang)
    _combination(html=html, fragment=fragment, charts=charts, pdf=pdf, template=template is not None, lang=chosen)
    target = output or input_file.with_suffix(".html" if html else ".docx")
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
    _named_for(target, html=html, lang=chosen)
    with handled(chosen), terminate_as_interrupt():
        last_year = load_previous(previous)
        result = check(input_file, previous=last_year, defaults=defaults)
        for issue in result.issues:
            err(issue.format(chosen))
        if result.report is None:
            raise typer.Exit(INVALID)
        if html:
            from ..outputs.charts import page_pictures
            from ..outputs.html import render_html

            pictures = page_pictures(result.report, previous=checked(last_year)) if charts else []
            render_html(result.report, fragment=fragment, charts=pictures, output=target)
            say(target, WRITTEN, chosen)
            return
        from ..outputs.docx.template import render  # the Word stack, only here
        from ..outputs.pdf import Converter

        data = render(result.report, template=template, output=target)
        say(target, WRITTEN, chosen)
        if pdf:
            pdf_target = target.with_suffix(".pdf")
            with Converter() as converter:
                converter.convert(data, pdf_target)
            say(pdf_target, WRITTEN, chosen)


def _combination(*, html: bool, fragment: bool, charts: bool, pdf: bool, template: bool, lang: Lang) -> None:
    """Options that go only with --html, or only without it, are a usage error (exit 2)."""
    if not html and (fragment or charts):
        fail(Label("--fragment 和 --charts 须与 --html 同用", "--fragment and --charts go with --html"), lang, USAGE)
    if html and (pdf or template):
        fail(
            Label(
                "--pdf 和 --template 用于 Word 文件，不能与 --html 同用",
                "--pdf and --template are for the Word file, not with --html",
            ),
            lang,
            USAGE,
        )


def _named_for(target: Path, *, html: bool, lang: Lang) -> None:
    """A web page goes to a .html file and a Word file to a .docx file: a name of the other kind is a slip."""
    wanted = (".html", ".htm") if html else (".docx",)
    if target.suffix.lower() not in wanted:
        fail(
            Label(
                f"-o {target}：{'网页' if html else 'Word 文件'}应写入 {wanted[0]} 文件",
                f"-o {target}: {'a web page' if html else 'a Word file'} is written to a {wanted[0]} file",
            ),
            lang,
            USAGE,
        )
