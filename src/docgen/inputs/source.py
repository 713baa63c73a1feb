"""A report as read from any input, and where each of its values stands."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..issues import Issue, LineLocation, Location

DataPath = tuple[str | int, ...]


class Locator(Protocol):
    """Finds the place of a value in what the user wrote: a line, a workbook cell, a document's table cell."""

    def at(self, path: DataPath) -> Location:
        """The place of the value at ``path``, or of its nearest written ancestor."""
        ...

    def quoting(self, path: DataPath, snippet: str) -> Location:
        """The place of ``snippet``, a piece of the text at ``path``."""
        ...


@dataclass(frozen=True)
class TextLocator:
    """Places in a TOML or JSON file: the line of every value."""

    file: str
    text: str
    lines: Mapping[DataPath, int]

    def line_of(self, path: DataPath) -> int:
        for end in range(len(path), 0, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return 1

    def at(self, path: DataPath) -> LineLocation:
        return LineLocation(self.file, self.line_of(path))

    def quoting(self, path: DataPath, snippet: str) -> LineLocation:
        """The first line, from the value's own, whose text contains ``snippet``."""
        start = self.line_of(path)
        for number, line in enumerate(self.text.splitlines()[start - 1 :], start):
            if snippet in line:
                return LineLocation(self.file, number)
        return LineLocation(self.file, start)


@dataclass(frozen=True)
class Source:
    """A parsed report: its data, where each value stands, and what reading it noticed."""

    name: str
    data: dict[str, Any]
    locator: Locator
    issues: tuple[Issue, ...] = field(default=())

    def at(self, path: DataPath) -> Location:
        return self.locator.at(path)

    def quoting(self, path: DataPath, snippet: str) -> Location:
        return self.locator.quoting(path, snippet)
