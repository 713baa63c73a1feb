"""Checks of the report's text: placeholders, characters a document cannot hold, and figures it quotes (C8)."""

from __future__ import annotations

from collections.abc import Iterator

from ..inputs import DataPath
from ..issues import Issue
from ..model import narrative_texts
from ..narrative import XML_FORBIDDEN, paragraphs, resolve
from ..statute import Label
from .context import Checking
from .quotes import quoted_figures


def text_issues(check: Checking) -> Iterator[Issue]:
    """Placeholders naming nothing, characters a document cannot hold, and figures the text gets wrong."""
    for path, text in narrative_texts(check.source.data):
        # the issuer is where {issuer} comes from, so it holds no placeholders itself
        resolved, unknown = (text, []) if path == ("issuer",) else resolve(text, check.values)
        forbidden = sorted(set(XML_FORBIDDEN.findall(text)))
        broken = [c for c in forbidden if "\ud800" <= c <= "\udfff"]
        if broken and path != ("issuer",):  # the schema refuses an issuer's
            shown = " ".join(f"U+{ord(c):04X}" for c in broken)
            detail = Label(
                f"含有无法写入任何文件的字符 {shown}（孤立的代理项，文件可能已损坏）：请删去后重试",
                f"holds {shown}, a lone surrogate no file can hold (the file may be damaged): remove it",
            )
            yield check.issue(path, "schema", detail, found=shown, labels=(None, None))
        forbidden = [c for c in forbidden if c not in broken]
        if forbidden:
            shown = " ".join(f"U+{ord(c):04X}" for c in forbidden)
            detail = Label(
                f"含有文档不能容纳的控制字符 {shown}（常见于从 Word 粘贴的文字），生成时已删除",
                f"holds characters a document cannot ({shown}, often pasted from Word); they are left out",
            )
            yield check.issue(path, "control-char", detail, found=shown, labels=(None, None))
        for miss in unknown:
            detail = Label(
                f"未知的占位符 {miss.placeholder}，是否应为 {{{miss.suggestion}}}？",
                f"unknown placeholder {miss.placeholder}; did you mean {{{miss.suggestion}}}?",
            )
            yield check.issue(
                path,
                "placeholder",
                detail,
                expected=miss.suggestion,
                found=miss.path,
                at=check.source.quoting(path, miss.placeholder),
                labels=(None, None),
            )
        for paragraph in paragraphs(resolved):
            yield from _quoted(check, path, paragraph)


def _quoted(check: Checking, path: DataPath, paragraph: str) -> Iterator[Issue]:
    tables = check.tables
    for figure in quoted_figures(paragraph):
        cells = figure.quote.paths(tables.format.name)
        if cells is None:
            continue  # the phrase names a cell this format does not have
        actual = sum((tables.value(p) for p in cells), start=0)
        if actual != figure.value:
            snippet = figure.snippet
            detail = Label(
                f"正文“{snippet}”与表格不符：表格为 {actual}，正文为 {figure.value}",
                f"the text “{snippet}” contradicts the tables: they say {actual}, the text {figure.value}",
            )
            yield check.issue(
                path,
                "C8",
                detail,
                expected=str(actual),
                found=str(figure.value),
                at=check.source.quoting(path, snippet),
                labels=check.labels(cells[0]),
            )
