"""One problem found in a report, and how it reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .structure import RULES, Label

Lang = Literal["zh", "en"]


@dataclass(frozen=True)
class Issue:
    """A problem in one place of one file: immutable, comparable, printable in both languages."""

    file: str
    line: int
    path: str  # dotted data path, "" for the whole file
    rule: str
    row: Label | None
    column: Label | None
    expected: str
    found: str
    detail: Label  # what is wrong, after the labels

    @property
    def severity(self) -> str:
        return RULES[self.rule].severity

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def where(self, lang: Lang = "zh") -> str:
        """The official row and column labels, or the data path where the value has none."""
        parts = [getattr(x, lang) for x in (self.row, self.column) if x is not None]
        return " / ".join(parts) if parts else self.path

    def message(self, lang: Lang = "zh") -> str:
        """The message without its file and line."""
        where = self.where(lang)
        sep = "：" if lang == "zh" else ": "
        body = getattr(self.detail, lang)
        return f"{where}{sep}{body}" if where else body

    def format(self, lang: Lang = "zh") -> str:
        """``file:line: [rule] row / column：detail`` as the contract shows it."""
        return f"{self.file}:{self.line}: [{self.rule}] {self.message(lang)}"

    def as_dict(self, lang: Lang = "zh") -> dict[str, Any]:
        """The fields ``--format json`` prints."""
        return {
            "file": self.file,
            "line": self.line,
            "path": self.path,
            "rule": self.rule,
            "severity": self.severity,
            "row": getattr(self.row, lang) if self.row else None,
            "column": getattr(self.column, lang) if self.column else None,
            "expected": self.expected,
            "found": self.found,
            "message": self.message(lang),
        }


def mismatch(expected: str, found: str, basis: Label) -> Label:
    """The detail of an arithmetic or cross-check rule: expected, why, and what stands."""
    zh_basis = f"（{basis.zh}）" if basis.zh else ""
    en_basis = f" ({basis.en})" if basis.en else ""
    return Label(f"应为 {expected}{zh_basis}，实为 {found}", f"expected {expected}{en_basis}, found {found}")


def dotted(path: tuple[str | int, ...]) -> str:
    return ".".join(str(p) for p in path)
