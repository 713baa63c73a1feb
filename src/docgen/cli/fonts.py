"""``docgen fonts``: the official fonts, and what stands in for each in PDFs."""

from __future__ import annotations

import typer

from ..outputs.fonts import font_status
from ..statute import Label
from .common import FAILURE, LangOption, Language, app, fail, language


@app.command("fonts")
def fonts_command(lang: LangOption = Language.zh) -> None:
    """List the official fonts, whether each is installed, and what stands in for it in PDFs."""
    chosen = language(lang)
    status = font_status()
    if not status:
        fail(
            Label(
                "找不到 fontconfig（fc-match）；请安装 fontconfig",
                "fontconfig is not installed: apt-get install fontconfig",
            ),
            chosen,
            FAILURE,
        )
    for item in status:
        mark = Label("已安装", "installed") if item.installed else Label("缺失", "missing")
        typer.echo(f"{item.font}\t{mark.text(chosen)}\t→ {item.used}")
