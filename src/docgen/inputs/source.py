"""A report as read from any input, and where each of its values stands."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..issues import Issue, Location

DataPath = tuple[str | int, ...]


class Locator(Protocol):
    """Finds the place of a value in what the user wrote: a line, a workbook cell, a document's table cell."""

    def holds(self, path: DataPath) -> bool:
        """Whether the user wrote a value (or a table) at exactly ``path``."""
        ...

    def at(self, path: DataPath) -> Location:
        """The place of the value at ``path``, or of its nearest written ancestor."""
        ...

    def quoting(self, path: DataPath, snippet: str) -> Location:
        """The place of ``snippet``, a piece of the text at ``path``."""
        ...


class LayeredLocator:
    """Places in a report layered over its defaults: each value is placed in the file that wrote it.

    The layers are the report first, then its defaults from the most specific
    to the least; a value is placed where the deepest part of its path was
    written, the report winning among equals, as it wins in the merge.
    """

    def __init__(self, layers: Sequence[Locator]) -> None:
        self.layers = tuple(layers)

    def _writer(self, path: DataPath) -> tuple[Locator, DataPath]:
        for end in range(len(path), 0, -1):
            for layer in self.layers:
                if layer.holds(path[:end]):
                    return layer, path[:end]
        return self.layers[0], ()

    def holds(self, path: DataPath) -> bool:
        return any(layer.holds(path) for layer in self.layers)

    def at(self, path: DataPath) -> Location:
        layer, written = self._writer(path)
        return layer.at(written)

    def quoting(self, path: DataPath, snippet: str) -> Location:
        layer, written = self._writer(path)
        return layer.quoting(written, snippet)


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
