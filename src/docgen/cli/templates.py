"""``docgen check-template``: a custom template's variables against the schema."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..statute import FORMAT_SPECS, Label
from .common import FormatOption, LangOption, Language, ReportFormat, app, handled, language, say


@app.command("check-template")
def check_template_command(
    template: Annotated[
        Path, typer.Argument(metavar="TEMPLATE", help="A .docx template.", show_default=False, readable=False)
    ],
    report_format: FormatOption = ReportFormat.f2021,
    lang: LangOption = Language.zh,
) -> None:
    """Check that every variable a template uses exists in the schema, and that a sample report renders through
    it (exit 3 if not)."""
    chosen = language(lang)
    with handled(chosen):
        from ..outputs.docx.template import PreparedTemplate  # the Word stack, only here

        PreparedTemplate.from_path(template, FORMAT_SPECS[report_format.value]).trial()
    say(template, Label("模板变量均有效", "every variable is known"), chosen)
