"""docgen: the statutory annual report on government information disclosure, as a Word file.

The pipeline, one package a stage: :func:`load` reads a report (``inputs``),
:func:`check` finds every problem in it and builds its :class:`Report`
(``checks``, ``model``), and :func:`render` merges the report into the
official Word layout (``outputs``).  The library never prints and never
exits; every exception it raises is a :class:`DocgenError`.

``import docgen`` loads no Word library: :func:`render` and
:class:`PreparedTemplate` bring in docxtpl, python-docx and lxml when first
used, so checking reports stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .batches import BatchResult, Outcome, batch
from .checks import check
from .errors import DocgenError, FileError, FormatError, InputError, MismatchError, RenderError, TemplateError
from .inputs import Source, load, parse
from .inputs.documents import extract
from .issues import CellLocation, Issue, LineLocation, Location, TableLocation
from .model import Cell, Report, Section, Tables
from .outputs.charts import Charts, render_charts
from .outputs.html import render_html
from .outputs.pdf import Converter
from .outputs.starter import starter
from .result import Result
from .reviews import Entry, Review, review
from .rollups import Rollup, rollup
from .schema import build_schema
from .statute import FORMATS

if TYPE_CHECKING:
    from .outputs.docx.template import PreparedTemplate, render

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

_WORD = "docgen.outputs.docx.template"
_LAZY = {"render": _WORD, "PreparedTemplate": _WORD}


def __getattr__(name: str) -> Any:
    """Load the Word stack on first use of what needs it."""
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'docgen' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
