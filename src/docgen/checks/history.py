"""Checks against last year's report: the carry-over (C6) and figures that jump or fall five-fold."""

from __future__ import annotations

from collections.abc import Iterator

from ..issues import Issue, mismatch
from ..model import Tables
from ..statute import CELLS, RULES, TABLE_A_ROOT, TABLE_B_ROOT, TOTAL, Label, Path
from .context import Checking

JUMP_FACTOR = 5
JUMP_FLOOR = 10  # below this, a change such as 1 -> 6 is noise, not news


def against_previous(check: Checking, last: Tables) -> Iterator[Issue]:
    tables = check.tables
    carried_in, carried_forward = TABLE_B_ROOT + ("carried_in",), TABLE_B_ROOT + ("carried_forward",)
    for path, cell in tables.cells.items():
        if path[:2] == carried_in:
            then = last.cells.get(carried_forward + path[2:])
            if then is not None and then.value != cell.value:
                detail = mismatch(str(then.value), str(cell.value), RULES["C6"].basis)
                yield check.issue(path, "C6", detail, expected=str(then.value), found=str(cell.value))
    for path in _jump_cells(tables):
        last_cell = last.cells.get(path)
        if last_cell is None:
            continue
        now, before = tables.value(path), last_cell.value
        if max(now, before) >= JUMP_FLOOR and (now > JUMP_FACTOR * before or JUMP_FACTOR * now < before):
            detail = Label(
                f"较上年 {before} 变化超过五倍，实为 {now}，请核对",
                f"changed more than five-fold from last year's {before} to {now}; please check",
            )
            yield check.issue(path, "jump", detail, expected=str(before), found=str(now))


def _jump_cells(tables: Tables) -> Iterator[Path]:
    """Table A's figures and the totals of tables B and C: the figures a reader compares across years."""
    for path, info in CELLS[tables.format.name].items():
        if (path[0] == TABLE_A_ROOT[0] and info.kind != "signed") or path[-1] == TOTAL.key:
            yield path
