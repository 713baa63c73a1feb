"""Reading reports: each kind of input becomes a :class:`Source` whose values know where they stand."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..errors import FileError
from .source import DataPath, LayeredLocator, Locator, Source
from .text import TextLocator, decode, parse

__all__ = ["DataPath", "LayeredLocator", "Locator", "Source", "TextLocator", "decode", "load", "parse"]


def load(path: str | Path, *, display: str | None = None) -> Source:
    """Read and parse a report file; ``display`` is the name messages use (default: the path as given)."""
    name = display if display is not None else str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise FileError.from_os(name, exc) from None
    text, notes = decode(raw, name)
    return replace(parse(text, name), issues=notes)
