"""The exceptions docgen raises, all under one root."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .issues import Issue


class DocgenError(Exception):
    """Root of every error docgen raises."""


class InputError(DocgenError):
    """The report cannot be used: it does not parse or breaks a rule."""

    def __init__(self, *, issues: Sequence[Issue]) -> None:
        self.issues = tuple(issues)
        first = self.issues[0].format() if self.issues else "invalid input"
        more = f" (+{len(self.issues) - 1} more)" if len(self.issues) > 1 else ""
        super().__init__(first + more)


class FileError(DocgenError):
    """A file could not be read or written."""

    def __init__(self, *, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class TemplateError(DocgenError):
    """A template is unusable: unreadable, or naming variables the schema does not have."""

    def __init__(self, *, template: str, problems: Sequence[str]) -> None:
        self.template = template
        self.problems = tuple(problems)
        super().__init__("\n".join(f"{template}: {problem}" for problem in self.problems))


class RenderError(DocgenError):
    """Rendering or conversion failed for a reason outside the report."""
