"""docgen: the statutory annual report on government information disclosure, as a Word file.

The pipeline, one package a stage: :func:`load` reads a report (``inputs``),
:func:`check` finds every problem in it and builds its :class:`Report`
(``checks``, ``model``), and :func:`render` merges the report into the
official Word layout (``outputs``).  The library never prints and never
exits; every exception it raises is a :class:`DocgenError`.

``import docgen`` loads nothing yet: each name brings in its module on first
use, so checking reports loads no Word library (:func:`render` and
:class:`PreparedTemplate` bring in docxtpl, python-docx and lxml), and the
command line starts under a Ctrl-C guard (:mod:`docgen.launch`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .batches import BatchResult, Outcome, batch
    from .checks import check
    from .errors import DocgenError, FileError, FormatError, InputError, MismatchError, RenderError, TemplateError
    from .inputs import Source, load, parse
    from .inputs.documents import extract
    from .issues import CellLocation, Issue, LineLocation, Location, TableLocation
    from .model import Cell, Report, Section, Tables
    from .outputs.charts import Charts, render_charts
    from .outputs.docx.template import PreparedTemplate, render
    from .outputs.html import render_html
    from .outputs.pdf import Converter
    from .outputs.starter import starter
    from .result import Result
    from .reviews import Entry, Review, review
    from .rollups import Rollup, rollup
    from .schema import build_schema
    from .statute import FORMATS

__all__ = [
    "FORMATS",
    "BatchResult",
    "Cell",
    "CellLocation",
    "Charts",
    "Converter",
    "DocgenError",
    "Entry",
    "FileError",
    "FormatError",
    "InputError",
    "Issue",
    "LineLocation",
    "Location",
    "MismatchError",
    "Outcome",
    "PreparedTemplate",
    "RenderError",
    "Report",
    "Result",
    "Review",
    "Rollup",
    "Section",
    "Source",
    "TableLocation",
    "Tables",
    "TemplateError",
    "batch",
    "build_schema",
    "check",
    "extract",
    "load",
    "parse",
    "render",
    "render_charts",
    "render_html",
    "review",
    "rollup",
    "starter",
]

# where each name of the library lives: imported on first use, so that ``import docgen`` costs nothing
_WHERE = {
    "BatchResult": "batches",
    "Cell": "model",
    "CellLocation": "issues",
    "Charts": "outputs.charts",
    "Converter": "outputs.pdf",
    "DocgenError": "errors",
    "Entry": "reviews",
    "FORMATS": "statute",
    "FileError": "errors",
    "FormatError": "errors",
    "InputError": "errors",
    "Issue": "issues",
    "LineLocation": "issues",
    "Location": "issues",
    "MismatchError": "errors",
    "Outcome": "batches",
    "PreparedTemplate": "outputs.docx.template",
    "RenderError": "errors",
    "Report": "model",
    "Result": "result",
    "Review": "reviews",
    "Rollup": "rollups",
    "Section": "model",
    "Source": "inputs",
    "TableLocation": "issues",
    "Tables": "model",
    "TemplateError": "errors",
    "batch": "batches",
    "build_schema": "schema",
    "check": "checks",
    "extract": "inputs.documents",
    "load": "inputs",
    "parse": "inputs",
    "render": "outputs.docx.template",
    "render_charts": "outputs.charts",
    "render_html": "outputs.html",
    "review": "reviews",
    "rollup": "rollups",
    "starter": "outputs.starter",
}


def __getattr__(name: str) -> Any:
    """Load what a name needs on its first use: checking loads no Word library, rendering does."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'docgen' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"docgen.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
