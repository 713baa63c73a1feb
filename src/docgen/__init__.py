"""docgen: the statutory annual report on government information disclosure, as a Word file.

The pipeline, one module a stage: :func:`load` reads a TOML or JSON report,
:func:`validate` lists every problem in it, :func:`compute` turns a valid one
into a :class:`Report` with every total computed, and :func:`render` merges
it into the official Word layout.
"""

from __future__ import annotations

from .compute import Report, Section, compute
from .errors import DocgenError, FileError, InputError, RenderError, TemplateError
from .issues import Issue
from .load import Source, load, parse
from .render import PreparedTemplate, render
from .schema import build_schema
from .starter import starter
from .structure import FORMATS
from .validate import errors, validate

__all__ = [
    "FORMATS",
    "DocgenError",
    "FileError",
    "InputError",
    "Issue",
    "PreparedTemplate",
    "RenderError",
    "Report",
    "Section",
    "Source",
    "TemplateError",
    "build_schema",
    "compute",
    "errors",
    "load",
    "parse",
    "render",
    "starter",
    "validate",
]
