"""A county's own tables: the figures of many reports of one format and year, added.

:func:`rollup` checks every report (each over its defaults, as a batch reads
them), refuses invalid ones with their messages and mixed formats or years,
adds the tables in the model (:func:`docgen.model.add`) and writes the sum as
a report file whose text the county writes itself; the file validates as
written.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .checks import check
from .errors import FileError, InputError, MismatchError
from .inputs import find_reports, load_report, parse, peek
from .inputs.folders import NO_SUCH_SOURCE
from .issues import Issue
from .model import NOTHING_TO_REPORT, Report, add, figures
from .narrative import HINT_FEES, HINT_IMPROVEMENTS, HINT_PROBLEMS
from .outputs.toml import report_toml
from .statute import TABLE_B_ROOT, Label

OVERVIEW = (
    "{year}年，{issuer}所属{count}个单位共收到政府信息公开申请{{applications.received.total}}件，"
    "办结{{applications.results.total.total}}件，结转下年度继续办理{{applications.carried_forward.total}}件。"
)
PROBLEMS = f"{HINT_PROBLEMS}\n\n{HINT_IMPROVEMENTS}"


@dataclass(frozen=True)
class Rollup:
    """The county's report, what was added into it, and what the reader should know about it."""

    data: dict[str, Any]  # the report as its file holds it
    sources: tuple[str, ...]  # the reports added, in order
    parts: tuple[dict[str, Any], ...]  # their data, in that order
    skipped: tuple[str, ...]  # reports of another year than the one asked for
    notes: tuple[Label, ...]

    @property
    def format(self) -> str:
        return str(self.data["format"])

    def text(self, schema_ref: str | None = None) -> str:
        """The report file, every row commented with its label; ``schema_ref`` is its schema line."""
        return report_toml(self.data, schema_ref=schema_ref)


def _all_alike(reports: list[tuple[str, Report]], kind: Label, key: Callable[[Report], object]) -> None:
    """Refuse reports that differ in ``kind``, naming which is which."""
    groups: dict[str, list[str]] = {}
    for name, report in reports:
        groups.setdefault(str(key(report)), []).append(name)
    if len(groups) > 1:
        raise _mismatch(kind, groups)


def _mismatch(kind: Label, groups: dict[str, list[str]]) -> MismatchError:
    listing_zh = "；".join(f"{value}：{'、'.join(names)}" for value, names in groups.items())
    listing_en = "; ".join(f"{value}: {', '.join(names)}" for value, names in groups.items())
    return MismatchError(
        detail=Label(
            f"只能把同一{kind.zh}的报告相加，这些报告的{kind.zh}不同——{listing_zh}",
            f"only reports of one {kind.en} can be added; these differ — {listing_en}",
        )
    )


def rollup(
    sources: Sequence[str | Path],
    *,
    issuer: str,
    year: int | None = None,
    defaults: str | Path | None = None,
    day: datetime.date | None = None,
    exclude: Sequence[str | Path] = (),
) -> Rollup:
    """Add up the reports of ``sources`` into one report of ``issuer``; see the module's description.

    ``year`` keeps only the reports of that year (the others are listed as
    skipped, whatever their state); without it, every report must be of one
    year.  ``day`` is the date of the county's report (default: today);
    ``exclude`` files among the sources that are not to be added (the sum
    itself, written into a source folder).  Raises :class:`~docgen.InputError`
    with every error of every invalid report (or of an issuer that cannot
    sign a report), :class:`~docgen.MismatchError` for mixed formats or years,
    and :class:`~docgen.FileError` for a source that does not exist.
    """
    found, missing = find_reports(sources, defaults=defaults, exclude=exclude)
    if missing:
        raise FileError(path=str(missing[0]), reason=NO_SUCH_SOURCE)
    skipped = tuple(item.name for item in found if year is not None and peek(item).get("year") != year)
    reports: list[tuple[str, Report]] = []
    parts: list[dict[str, Any]] = []
    errors: list[Issue] = []
    for item in found:
        if item.name in skipped:
            continue
        try:
            source = load_report(item)
            result = check(source)
        except InputError as exc:
            errors += exc.issues
            continue
        if result.report is None:
            errors += result.errors
        else:
            reports.append((item.name, result.report))
            parts.append(source.data)
    if errors:
        raise InputError(issues=errors)
    if not reports:
        raise MismatchError(detail=Label("没有可以相加的报告", "no report to add up"))
    _all_alike(reports, Label("格式", "format"), lambda report: report.format.name)
    _all_alike(reports, Label("年度", "year"), lambda report: report.year)
    first = reports[0][1]
    tables = add([report.tables for _, report in reports])
    data: dict[str, Any] = {
        "format": first.format.name,
        "year": first.year,
        "issuer": issuer,
        "date": (day or datetime.date.today()).isoformat(),
        "overview": {"text": OVERVIEW.format(year="{year}", issuer="{issuer}", count=len(reports))},
        **figures(tables),
        "problems": {"text": PROBLEMS},
        "other_matters": {"text": HINT_FEES if first.format.name == "2021" else NOTHING_TO_REPORT},
    }
    # the sum of valid reports is valid; what can still be wrong is the issuer (--issuer "" or "a/b")
    written = check(parse(report_toml(data), f"--issuer {issuer!r}"))
    if not written.ok:
        raise InputError(issues=written.errors)
    notes: list[Label] = []
    if any(row[: len(TABLE_B_ROOT)] == TABLE_B_ROOT for row in tables.bare):
        notes.append(
            Label(
                "有的报告只填了表三某些行的总计，无法按申请人类别相加，汇总表三只填总计",
                "some reports give only the total of a row of table B, so the sum gives table B's totals alone",
            )
        )
    return Rollup(data, tuple(name for name, _ in reports), tuple(parts), skipped, tuple(notes))
