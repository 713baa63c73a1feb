"""``docgen serve``: set up the county's web form (``init``), replace a link (``rotate``), and run it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from ..statute import Label
from .common import FAILURE, FormatOption, LangOption, Language, ReportFormat, app, fail, handled, language

_MISSING = Label(
    "网页填报需要 Starlette 和 uvicorn：请运行 pip install 'docgen[serve]'",
    "the web form needs Starlette and uvicorn: pip install 'docgen[serve]'",
)


class _RunByDefault(TyperGroup):
    """``docgen serve DATA_DIR`` runs the server; ``docgen serve init|rotate ...`` are the other commands."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # typer's own click's Context
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


serve_app = typer.Typer(
    cls=_RunByDefault,
    no_args_is_help=True,
    help="The county's web form: docgen serve init DATA_DIR ..., then docgen serve DATA_DIR.",
)
app.add_typer(serve_app, name="serve")

DataDir = Annotated[Path, typer.Argument(metavar="DATA_DIR", help="The form's data folder.", readable=False)]
UrlOption = Annotated[
    str, typer.Option("--url", help="The address the links start with, as the bodies will open them.")
]


@serve_app.command("init")
def init_command(
    data_dir: DataDir,
    roster: Annotated[Path, typer.Option("--roster", help="The bodies: a text file, CSV or workbook.", readable=False)],
    year: Annotated[int, typer.Option("--year", min=2008, max=2100, help="The year the reports are for.")],
    report_format: FormatOption = ReportFormat.f2021,
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous",
            help="A folder of last year's reports: 二、上年结转 and texts begin from them.",
            readable=False,
        ),
    ] = None,
    url: UrlOption = "http://127.0.0.1:8000",
    lang: LangOption = Language.zh,
) -> None:
    """Create the store in DATA_DIR with one report per body of the roster; print each body's secret link and
    the admin's, and write them to DATA_DIR/links.csv (readable by its owner alone)."""
    chosen = language(lang)
    from ..serve.setup import init, links_csv

    with handled(chosen):
        made = init(data_dir, roster=roster, year=year, fmt=report_format.value, previous=previous, url=url)
    typer.echo(links_csv(made).decode("utf-8"), nl=False)


@serve_app.command("rotate")
def rotate_command(
    data_dir: DataDir,
    body: Annotated[str, typer.Argument(metavar="BODY", help="The body's name as the roster gives it, or admin.")],
    url: Annotated[str | None, typer.Option("--url", help="The address the link starts with.")] = None,
    lang: LangOption = Language.zh,
) -> None:
    """Replace one body's link (or the admin's): the old one stops working at once."""
    chosen = language(lang)
    from ..serve.setup import rotate

    with handled(chosen):
        link = rotate(data_dir, body, url=url)
    typer.echo(f"{link.body},{link.token},{link.url}")


@serve_app.command("run", hidden=True)
def run_command(
    data_dir: DataDir,
    host: Annotated[
        str, typer.Option("--host", help="Where to listen; 127.0.0.1 unless told otherwise.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="The port.")] = 8000,
    lang: LangOption = Language.zh,
) -> None:
    """Serve the form of DATA_DIR (behind the county's reverse proxy with HTTPS; see the README)."""
    chosen = language(lang)
    try:
        import uvicorn

        from ..serve.app import make_app
    except ImportError:
        fail(_MISSING, chosen, FAILURE)
    application: Any
    with handled(chosen):
        application = make_app(data_dir)
    typer.echo(f"docgen serve: {data_dir} — http://{host}:{port}/（各单位链接见 {data_dir / 'links.csv'}）", err=True)
    uvicorn.run(application, host=host, port=port, log_level="info", server_header=False, access_log=False)
