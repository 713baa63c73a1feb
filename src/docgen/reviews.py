"""``review()``: a county's reports, in any form, each checked, paired with its roster entry and last year's.

Every report of the folders is read as docgen reads any report (TOML, JSON,
workbooks, and published .docx, PDF and web pages), and checked with every
rule.  A report is paired with a body of the roster, and with last year's
report of the same body, by the issuer's name; a name that gains or loses
its city's or province's name from one file to another (洪泽区人民政府 and
淮安市洪泽区人民政府) still pairs when only one body could be meant, and a
roster's id column pairs a report whose file name starts with the id.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from .checks import check
from .checks.publication import OVERVIEW_LIMIT
from .errors import FileError, InputError
from .inputs import Found, Source, find_reports, load_report, peek
from .inputs.roster import Body, read_roster
from .issues import HasIssues, Issue
from .model import Number, tabulate
from .statute import HEADLINES, Label

Status = Literal["ok", "warnings", "errors", "unreadable"]

# a leading province, region, city, prefecture or county name: 江苏省, 广西壮族自治区, 苏州市, 延边朝鲜族自治州,
# 青山县 (of 青山县金殿镇人民政府)
_DIVISION = re.compile(r"^[^\s省市盟县旗]{2,10}?(?:省|自治区|市|自治州|州|盟|地区|县|区|旗)")
# what is left must itself start with a place: 洪泽区人民政府, not 场监督管理局 (of 青山县市场监督管理局)
_PLACE = re.compile(r"^[^\s]{2,10}?(?:省|自治区|市|自治州|州|盟|地区|县|区|旗|镇|乡|街道)")
_SEPARATOR = re.compile(r"[^0-9A-Za-z]")


@dataclass(frozen=True)
class Change:
    """A headline figure this year and last."""

    what: Label
    last: Number
    now: Number


@dataclass(frozen=True)
class Entry(HasIssues):
    """One report of the review: whose it is, what is wrong with it, and how it compares with last year's."""

    body: str  # the issuer the report names, or its file's name when it names none
    source: str  # the file (and roster row) read
    status: Status
    issues: tuple[Issue, ...] = ()
    year: int | None = None
    listed_as: str | None = None  # the roster's name of the body, when a roster lists it
    id: str | None = None  # and its id there
    previous: str | None = None  # last year's report, when one was paired
    changes: tuple[Change, ...] = ()
    notes: tuple[Label, ...] = ()  # what else the reader should know: unreadable, not on the roster...


@dataclass(frozen=True)
class Review:
    """Every report read, the roster's bodies with none, and the sources that do not exist."""

    entries: tuple[Entry, ...]
    missing: tuple[Body, ...] = ()
    roster: tuple[Body, ...] | None = None
    absent: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """No report with an error or unreadable, no body missing, no source absent."""
        return not self.missing and not self.absent and all(e.status in ("ok", "warnings") for e in self.entries)

    @property
    def rules(self) -> tuple[str, ...]:
        """The rules some report breaks, sorted."""
        return tuple(sorted({issue.rule for entry in self.entries for issue in entry.issues}))

    def count(self, status: Status) -> int:
        return sum(entry.status == status for entry in self.entries)


def name_forms(name: str) -> tuple[str, ...]:
    """A body's name, then without its leading province and city names, one at a time."""
    forms = [re.sub(r"\s", "", name)]
    while (found := _DIVISION.match(forms[-1])) is not None:
        rest = forms[-1][found.end() :]
        if not _PLACE.match(rest):
            break
        forms.append(rest)
    return tuple(forms)


def pair_name(name: str, candidates: Sequence[str]) -> int | None:
    """The index of the one candidate naming the same body as ``name``: the same name, or the same but for
    leading province, city or county names one has and the other has not (淮安市洪泽区人民政府 and
    洪泽区人民政府, not 青山县城关镇人民政府 and 白云县城关镇人民政府); None when none does or several could."""
    plain = re.sub(r"\s", "", name)
    exact = [i for i, candidate in enumerate(candidates) if re.sub(r"\s", "", candidate) == plain]
    if exact:
        return exact[0] if len(exact) == 1 else None
    forms = name_forms(name)
    alike = [
        i for i, candidate in enumerate(candidates) if (other := name_forms(candidate))[0] in forms or forms[0] in other
    ]
    return alike[0] if len(alike) == 1 else None


def _by_id(stem: str, bodies: Sequence[Body]) -> int | None:
    """The body whose id the file's name starts with (0107-金殿镇.docx, 0107.pdf; 107 and 0107 are one id)."""
    lead = _SEPARATOR.split(stem, 1)[0]
    found = [i for i, body in enumerate(bodies) if body.id and _same_id(lead, body.id)]
    return found[0] if len(found) == 1 else None


def _same_id(a: str, b: str) -> bool:
    return a == b or (a.isdigit() and b.isdigit() and int(a) == int(b))


def _body_of(name: str, stem: str, bodies: Sequence[Body]) -> int | None:
    names = [(i, alias) for i, body in enumerate(bodies) for alias in body.names]
    index = pair_name(name, [alias for _, alias in names]) if name else None
    if index is not None:
        return names[index][0]
    return _by_id(stem, bodies)


@dataclass
class _Last:
    """Last year's reports: each file, the name and year it states, and the body it belongs to."""

    found: list[Found] = field(default_factory=list)
    named: list[tuple[str, int | None]] = field(default_factory=list)
    bodies: list[int | None] = field(default_factory=list)

    def of(self, name: str, year: int | None, body: int | None, stem: str) -> Found | None:
        """Last year's report of the body ``name`` (the roster's ``body``), its file named ``stem``."""
        if year is None:
            return None
        candidates = [i for i, (_, then) in enumerate(self.named) if then == year - 1]
        if body is not None:
            same = [i for i in candidates if self.bodies[i] == body]
            if len(same) == 1:
                return self.found[same[0]]
        index = pair_name(name, [self.named[i][0] for i in candidates])
        if index is not None:
            return self.found[candidates[index]]
        if name:  # a report that names its body pairs by that name alone
            return None
        by_stem = [i for i in candidates if Path(self.found[i].path).stem == stem]
        return self.found[by_stem[0]] if len(by_stem) == 1 else None


def _last_year(folder: str | Path, roster: Sequence[Body]) -> _Last:
    last = _Last()
    found, _ = find_reports([folder], documents=True)
    for item in found:
        top = peek(item)
        issuer, year = top.get("issuer"), top.get("year")
        name = issuer.strip() if isinstance(issuer, str) else ""
        last.found.append(item)
        last.named.append((name, year if isinstance(year, int) and not isinstance(year, bool) else None))
        last.bodies.append(_body_of(name, item.path.stem, roster) if roster else None)
    return last


def previous_reports(folder: str | Path, roster: Sequence[Body], year: int) -> list[Found | None]:
    """Last year's report (of ``year - 1``) in ``folder`` of each body of ``roster``, paired as a review
    pairs them, or None."""
    last = _last_year(folder, roster)
    return [last.of(body.name, year, index, "") for index, body in enumerate(roster)]


def _changes(now: dict[str, Any], then: dict[str, Any]) -> tuple[Change, ...]:
    tables, last = tabulate(now), tabulate(then)
    return tuple(
        Change(what, sum((last.value(p) for p in paths), start=0), sum((tables.value(p) for p in paths), start=0))
        for what, paths in HEADLINES
    )


def review(
    sources: Sequence[str | Path],
    *,
    roster: str | Path | None = None,
    previous: str | Path | None = None,
    defaults: str | Path | None = None,
    overview_limit: int | None = OVERVIEW_LIMIT,
    progress: Callable[[Entry, int, int], None] | None = None,
    exclude: Sequence[str | Path] = (),
) -> Review:
    """Every report of ``sources`` (files or folders; published documents too) checked, paired with the
    ``roster``'s bodies and with last year's report in the folder ``previous``.

    A report that cannot be read is an entry with status ``unreadable`` and
    its messages; it never stops the others.  ``progress`` is called with
    each entry as it is done, how many are done and how many there are;
    ``exclude`` names files not to read (the review's own output).  A
    roster or ``previous`` folder that cannot be read raises
    :class:`~docgen.FileError` or :class:`~docgen.InputError`.
    """
    bodies = read_roster(roster) if roster is not None else None
    if previous is not None and not Path(previous).is_dir():
        raise FileError(path=str(previous), reason=Label("不是文件夹", "not a folder"))
    last = _last_year(previous, bodies or ()) if previous is not None else _Last()
    found, absent = find_reports(sources, defaults=defaults, documents=True, recursive=True, exclude=exclude)
    entries: list[Entry] = []
    for item in found:
        entries.append(_entry(item, bodies, last, overview_limit))
        if progress is not None:
            progress(entries[-1], len(entries), len(found))
    entries = _twice(entries)
    reported = {entry.listed_as for entry in entries}
    missing = tuple(body for body in bodies or () if body.name not in reported)
    return Review(tuple(entries), missing, bodies, tuple(map(str, absent)))


def _twice(entries: list[Entry]) -> list[Entry]:
    """Each entry of a body that has more than one report this year, with a note naming the others."""
    by_body: dict[tuple[str, int | None], list[int]] = {}
    for index, entry in enumerate(entries):
        if entry.status != "unreadable":
            by_body.setdefault((entry.listed_as or entry.body, entry.year), []).append(index)
    out = list(entries)
    for same in (indexes for indexes in by_body.values() if len(indexes) > 1):
        for index in same:
            others = "、".join(entries[i].source for i in same if i != index)
            note = Label(f"同一机关本年还有报告：{others}", f"the same body has another report this year: {others}")
            out[index] = replace(out[index], notes=(*out[index].notes, note))
    return out


def _entry(item: Found, roster: Sequence[Body] | None, last: _Last, overview_limit: int | None) -> Entry:
    """One report read, placed on the roster, paired with last year's, and checked."""
    try:
        source = load_report(item)
    except (InputError, FileError) as exc:
        issues = tuple(exc.issues) if isinstance(exc, InputError) else ()
        notes: tuple[Label, ...] = (exc.reason,) if isinstance(exc, FileError) else ()
        return _listed(Entry(item.path.stem, str(item.path), "unreadable", issues, notes=notes), item, roster)
    issuer, year = source.data.get("issuer"), source.data.get("year")
    name = issuer.strip() if isinstance(issuer, str) and issuer.strip() else item.path.stem
    entry = _listed(
        Entry(name, source.name, "ok", year=year if isinstance(year, int) and not isinstance(year, bool) else None),
        item,
        roster,
    )
    index = next((i for i, body in enumerate(roster or ()) if body.name == entry.listed_as), None)
    then = last.of(name, entry.year, index, item.path.stem)
    previous: Source | None = None
    notes = entry.notes
    if then is not None:
        try:
            previous = load_report(then)
        except (InputError, FileError):
            unread = then.path.name
            notes += (Label(f"上年报告 {unread} 无法读取，未作比较", f"last year's {unread} could not be read"),)
    result = check(source, previous=previous, overview_limit=overview_limit)
    return replace(
        entry,
        status="errors" if result.errors else "warnings" if result.issues else "ok",
        issues=result.issues,
        previous=previous.name if previous is not None else None,
        changes=_changes(source.data, previous.data) if previous is not None else (),
        notes=notes,
    )


def _listed(entry: Entry, item: Found, roster: Sequence[Body] | None) -> Entry:
    """The entry with the roster's name and id of its body, or a note that the roster does not list it."""
    if roster is None:
        return entry
    index = _body_of(entry.body, item.path.stem, roster)
    if index is None:
        return replace(entry, notes=(*entry.notes, Label("名册中没有这个机关", "not on the roster")))
    return replace(entry, listed_as=roster[index].name, id=roster[index].id)
