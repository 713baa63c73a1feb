"""What checking a report gives: every issue, and the report when none of them is an error."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import InputError
from .issues import HasIssues, Issue
from .model import Report


@dataclass(frozen=True)
class Result(HasIssues):
    """The outcome of checking one report; errors and warnings are never dropped."""

    source: str  # the name messages use for the report
    issues: tuple[Issue, ...]
    report: Report | None  # None when any issue is an error

    @property
    def ok(self) -> bool:
        """True when the report has no error (warnings allowed) and can be rendered."""
        return self.report is not None

    def require(self) -> Report:
        """The report, or :class:`~docgen.InputError` listing the errors."""
        if self.report is None:
            raise InputError(issues=self.errors)
        return self.report
