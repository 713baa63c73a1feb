"""Figures that add up but cannot be right: a township reporting 规章."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..issues import Issue
from ..statute import TABLE_A_ROOT, Label
from .context import Checking

TOWNSHIP = re.compile(r"(?:镇|乡|街道|街道办事处)(?:人民政府)?$")


def township(check: Checking) -> Iterator[Issue]:
    issuer = check.source.data.get("issuer")
    if not isinstance(issuer, str) or not TOWNSHIP.search(issuer):
        return
    rules = TABLE_A_ROOT + ("rules",)
    for path, cell in check.tables.cells.items():
        if path[:2] == rules and cell.value:
            detail = Label(
                f"“{issuer}”是乡镇或街道，不能制定规章；应为 0，实为 {cell.text}",
                f"“{issuer}” is a township, which makes no rules; expected 0, found {cell.text}",
            )
            yield check.issue(path, "township", detail, expected="0", found=cell.text)
