"""Reading reports: each kind of input becomes a :class:`Source` whose values know where they stand."""

from __future__ import annotations

from .folders import Found, find_reports, load_report, peek, report_file
from .source import DataPath, LayeredLocator, Locator, Source
from .text import TextLocator, decode, load, parse

__all__ = [
    "DataPath",
    "Found",
    "LayeredLocator",
    "Locator",
    "Source",
    "TextLocator",
    "decode",
    "find_reports",
    "load",
    "load_report",
    "parse",
    "peek",
    "report_file",
]
