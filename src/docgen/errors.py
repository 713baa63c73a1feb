"""The exceptions docgen raises, all under one root, each readable in Chinese and English."""

from __future__ import annotations

import errno
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .statute import Label, Lang

if TYPE_CHECKING:
    from .issues import Issue


class DocgenError(Exception):
    """Root of every error docgen raises; ``str()`` is the Chinese message."""

    def message(self, lang: Lang = "zh") -> str:
        return str(self)


class InputError(DocgenError):
    """The report cannot be used: it does not parse or breaks a rule."""

    def __init__(self, *, issues: Sequence[Issue]) -> None:
        self.issues = tuple(issues)
        super().__init__(self.message())

    def message(self, lang: Lang = "zh") -> str:
        return "\n".join(i.format(lang) for i in self.issues) or "invalid input"


class FormatError(DocgenError):
    """A report format docgen does not know (the library was asked for "2022")."""

    def __init__(self, name: object) -> None:
        self.name = name
        super().__init__(self.message())

    def message(self, lang: Lang = "zh") -> str:
        if lang == "en":
            return f"unknown report format “{self.name}”: 2021 or 2019"
        return f"未知的报告格式 “{self.name}”：应为 2021 或 2019"


_OS_REASONS = {
    errno.ENOENT: Label("文件或目录不存在", "no such file or directory"),
    errno.EACCES: Label("没有权限", "permission denied"),
    errno.EPERM: Label("不允许的操作", "operation not permitted"),
    errno.EISDIR: Label("这是一个目录", "is a directory"),
    errno.ENOTDIR: Label("路径中有一段不是目录", "a part of the path is not a directory"),
    errno.ENOSPC: Label("磁盘空间不足", "no space left on the device"),
    errno.EROFS: Label("文件系统只读", "read-only file system"),
    errno.ENAMETOOLONG: Label("文件名太长", "file name too long"),
}


def os_reason(exc: OSError) -> Label:
    """Why the system refused, in both languages."""
    known = _OS_REASONS.get(exc.errno or 0)
    if known is not None:
        return known
    said = exc.strerror or str(exc)
    return Label(said, said)


class FileError(DocgenError):
    """A file could not be read or written."""

    def __init__(self, *, path: str, reason: Label) -> None:
        self.path = path
        self.reason = reason
        super().__init__(self.message())

    @classmethod
    def from_os(cls, path: str, exc: OSError) -> FileError:
        return cls(path=path, reason=os_reason(exc))

    def message(self, lang: Lang = "zh") -> str:
        return f"{self.path}: {self.reason.text(lang)}"


class TemplateError(DocgenError):
    """A template is unusable: unreadable, or naming variables the schema does not have."""

    def __init__(self, *, template: str, problems: Sequence[Label]) -> None:
        self.template = template
        self.problems = tuple(problems)
        super().__init__(self.message())

    def message(self, lang: Lang = "zh") -> str:
        return "\n".join(f"{self.template}: {problem.text(lang)}" for problem in self.problems)


class _ExplainedError(DocgenError):
    """An error that is one message, in both languages."""

    def __init__(self, *, detail: Label) -> None:
        self.detail = detail
        super().__init__(self.message())

    def message(self, lang: Lang = "zh") -> str:
        return self.detail.text(lang)


class MismatchError(_ExplainedError):
    """Reports that cannot go together: different formats or years in one roll-up."""


class RenderError(_ExplainedError):
    """Rendering or conversion failed for a reason outside the report."""
