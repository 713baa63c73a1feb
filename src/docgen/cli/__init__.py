"""The command line: one module a command, each parsing options, calling the library and mapping the outcome.

Only :mod:`.common` knows exit codes and how a library error is printed; it also holds the Typer ``app``
that every command module registers itself on.
"""

from __future__ import annotations

from . import batch, chart, extract, fonts, init, render, review, rollup, schema, serve, templates, validate
from .common import app

__all__ = ["app"]

COMMANDS = (
    batch,
    chart,
    extract,
    fonts,
    init,
    render,
    review,
    rollup,
    schema,
    serve,
    templates,
    validate,
)  # each registers itself on ``app``
