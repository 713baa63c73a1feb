"""Checks against last year's report: the carry-over (C6), figures that jump or fall five-fold, documents
in force that do not follow from last year's, and text repeated from last year's."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..issues import Issue, mismatch
from ..model import Tables, section_prose
from ..statute import CELLS, RULES, TABLE_A_ROOT, TABLE_B_ROOT, TOTAL, Label, Path
from .context import Checking

JUMP_FACTOR = 5
JUMP_FLOOR = 10  # below this, a change such as 1 -> 6 is noise, not news


# copy-paste is measured as plagiarism checkers measure it: a character counts as repeated when it lies in a
# run of this many characters found word for word in last year's same section
REPEAT_RUN = 13
REPEAT_RATE = 0.5  # a section this much repeated is reported
REPEAT_FLOOR = 50  # characters: a shorter section (六's 无) is not measured


def against_previous(check: Checking, last: Checking) -> Iterator[Issue]:
    yield from _carried_and_jumps(check, last.tables)
    yield from _in_force(check, last.tables)
    yield from _repeated(check, last)


def _carried_and_jumps(check: Checking, last: Tables) -> Iterator[Issue]:
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


def _in_force(check: Checking, last: Tables) -> Iterator[Issue]:
    """规章 and 行政规范性文件: this year's 现行有效 is last year's, plus those issued, less those repealed."""
    if check.tables.format.name != "2021" or last.format.name != "2021":
        return
    now = check.tables
    for row in ("rules", "normative_documents"):
        base = TABLE_A_ROOT + (row,)
        if now.cells[base + ("in_force",)].state == "blank" or last.cells[base + ("in_force",)].state == "blank":
            continue
        before = last.value(base + ("in_force",))
        issued, repealed = now.value(base + ("issued",)), now.value(base + ("repealed",))
        expected, found = before + issued - repealed, now.value(base + ("in_force",))
        if expected != found:
            basis = Label(
                f"上年现行有效 {before} + 本年制发 {issued} − 本年废止 {repealed}",
                f"last year's {before} in force + {issued} issued − {repealed} repealed",
            )
            detail = mismatch(str(expected), str(found), basis)
            yield check.issue(base + ("in_force",), "in-force", detail, expected=str(expected), found=str(found))


def _repeated(check: Checking, last: Checking) -> Iterator[Issue]:
    """Each of sections 一, 五 and 六 that repeats last year's same section word for word, with the rate."""
    now, then = section_prose(check.source.data, check.values), section_prose(last.source.data, last.values)
    for key, text in now.items():
        rate, length = repeated_rate(text, then.get(key, ""))
        if length < REPEAT_FLOOR or rate < REPEAT_RATE:
            continue
        percent, same = f"{rate:.0%}", round(rate * length)
        detail = Label(
            f"与上年报告重复 {percent}（{length} 字中 {same} 字与上年连续 {REPEAT_RUN} 字以上相同）",
            f"repeats last year's report: {percent} ({same} of {length} characters in runs of {REPEAT_RUN} "
            "or more found word for word)",
        )
        yield check.issue((key, "text"), "repeated", detail, expected=f"< {REPEAT_RATE:.0%}", found=percent)


def repeated_rate(text: str, last: str, run: int = REPEAT_RUN) -> tuple[float, int]:
    """How much of ``text`` (whitespace aside) lies in runs of ``run`` characters found in ``last``, and its length."""
    text, last = re.sub(r"\s", "", text), re.sub(r"\s", "", last)
    if not text:
        return 0.0, 0
    windows = {last[i : i + run] for i in range(len(last) - run + 1)}
    covered = [False] * len(text)
    for i in range(len(text) - run + 1):
        if text[i : i + run] in windows:
            covered[i : i + run] = [True] * run
    return sum(covered) / len(text), len(text)
