"""The arithmetic between the cells of tables B and C: rules C1, C3, C4 and C5."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ..inputs import DataPath
from ..issues import Issue, mismatch
from ..statute import RULES, Equation, Label
from .context import Checking


def broken_equations(check: Checking, refused: set[DataPath]) -> Iterator[Issue]:
    """Every equation of the format that the figures break; values the schema refused are left out."""
    tables = check.tables
    # a cell the schema refused (or one inside a refused row) reads as blank; summing it would only mislead
    skipped = {p for p in tables.cells if any(p[:end] in refused for end in range(1, len(p) + 1))} if refused else set()
    while skipped:  # and so does a total docgen computed from one, such as （七）总计 from a refused result
        grown = skipped | {
            p
            for eq in tables.format.equations
            if not skipped.isdisjoint(eq.addends)
            for p in eq.total
            if tables.cells[p].state != "given"
        }
        if grown == skipped:
            break
        skipped = grown
    for eq in tables.format.equations:
        if skipped and not skipped.isdisjoint(eq.total + eq.addends):
            continue
        if eq.needs_addends and all(tables.cells[a].state != "given" for a in eq.addends):
            continue
        stated = sum((tables.value(p) for p in eq.total), start=0)
        expected = sum((tables.value(p) for p in eq.addends), start=0)
        if stated != expected:
            yield _equation_issue(check, eq, expected, stated)


def _equation_issue(check: Checking, eq: Equation, expected: int | Decimal, stated: int | Decimal) -> Issue:
    tables = check.tables
    at = next((p for p in eq.total if tables.cells[p].state == "given"), eq.total[0])
    row, column = check.labels(at)
    if len(eq.total) > 1:  # C1: name both rows of the stated side
        rows = [check.labels(p)[0] for p in eq.total]
        row = Label(" + ".join(r.zh for r in rows if r), " + ".join(r.en for r in rows if r))
    detail = mismatch(str(expected), str(stated), RULES[eq.rule].basis)
    return check.issue(at, eq.rule, detail, expected=str(expected), found=str(stated), labels=(row, column))
