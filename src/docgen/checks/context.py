"""What every check reads: the source, its tables and placeholder values, and how an issue is placed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..inputs import DataPath, Source
from ..issues import Issue, Location, dotted
from ..model import Tables
from ..narrative import numeral
from ..statute import CELLS, META, SECTION_LABELS, Label, row_label


@dataclass(frozen=True)
class Checking:
    """One report under check: computed once, read by every check."""

    source: Source
    tables: Tables
    values: Mapping[str, str]  # what each placeholder prints

    def labels(self, path: DataPath) -> tuple[Label | None, Label | None]:
        """Official row and column labels of a data path: a cell, a row, or a report field."""
        key = tuple(str(p) for p in path)
        info = CELLS[self.tables.format.name].get(key)
        if info is not None:
            return info.row, info.column
        label = row_label(self.tables.format, key)
        if label is not None:
            return label, None
        if key[1:] == ("text",) and key[0] in SECTION_LABELS:
            return SECTION_LABELS[key[0]], None
        if key[:2] == ("overview", "sections") and len(key) == 4 and key[2].isdigit():
            overview, n = SECTION_LABELS["overview"], numeral(int(key[2]) + 1)
            return Label(f"{overview.zh}（{n}）", f"{overview.en} ({int(key[2]) + 1})"), META.get(key[3])
        if key and key[-1] in META and len(key) <= 2:
            return META[key[-1]], None
        return None, None

    def issue(
        self,
        path: DataPath,
        rule: str,
        detail: Label,
        *,
        expected: str = "",
        found: str = "",
        at: Location | None = None,
        labels: tuple[Label | None, Label | None] | None = None,
    ) -> Issue:
        """An issue about the value at ``path``, placed where it stands unless ``at`` says otherwise."""
        row, column = labels if labels is not None else self.labels(path)
        return Issue(
            location=at if at is not None else self.source.at(path),
            path=dotted(path),
            rule=rule,
            row=row,
            column=column,
            expected=expected,
            found=found,
            detail=detail,
        )
