"""Reports found in folders, each layered over the defaults it shares with its neighbours.

A folder's ``_defaults.toml`` and a ``--defaults`` file hold what a county's
reports have in common: the year, the date, text with placeholders, whole
sections.  Each report is merged over them: tables key by key, anything else
(a figure, a text, a list of sections) taken from the report when it has it.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import FileError, InputError
from ..issues import Issue, Location
from ..statute import TABLE_ROWS, Label
from .documents import DOCUMENT_SUFFIXES
from .source import LayeredLocator, Source
from .text import decode, kind_of, load

DEFAULTS_NAME = "_defaults.toml"
REPORT_SUFFIXES = (".toml", ".json", ".xlsx")
BATCH_STAMPS = ".docgen-stamps"  # in a batch's output folder: what each output was made from
WORKBOOK = ".xlsx"


@dataclass(frozen=True, slots=True)
class Found:
    """A report: its file, the defaults it is layered over (the least specific first), and its row in a roster."""

    path: Path
    defaults: tuple[Path, ...] = ()
    row: int | None = None  # the sheet row of a roster's report

    @property
    def name(self) -> str:
        """How messages name the report: its file, or a roster's row."""
        from ..sheets import ROSTER

        return str(self.path) if self.row is None else f"{self.path}!{ROSTER}!{self.row}"


NO_SUCH_SOURCE = Label("文件或目录不存在", "no such file or directory")  # as the system says it


def report_file(path: str | Path, *, defaults: str | Path | None = None) -> Found:
    """A report file with the defaults it is read over: ``defaults``, then its own folder's ``_defaults.toml``.

    A report in a folder with a ``_defaults.toml`` is always read over it, by
    ``render`` and ``validate`` as by ``batch``, so one file gives one report.
    """
    return _Layering(defaults).found(Path(path))


class _Layering:
    """Which defaults lie under which report; one tuple for a folder's reports, however many there are."""

    def __init__(self, defaults: str | Path | None) -> None:
        self.shared = (Path(defaults),) if defaults is not None else ()
        self.folders: dict[Path, tuple[Path, ...]] = {}

    def found(self, path: Path) -> Found:
        if path.parent not in self.folders:
            folder_defaults = path.parent / DEFAULTS_NAME
            try:
                present = folder_defaults.is_file()
            except OSError:  # a folder the user may not enter: reading the report says so
                present = False
            self.folders[path.parent] = self.shared + ((folder_defaults,) if present else ())
        return Found(path, self.folders[path.parent])


def find_reports(
    sources: Sequence[str | Path],
    *,
    defaults: str | Path | None = None,
    exclude: Sequence[str | Path] = (),
    documents: bool = False,
    recursive: bool = False,
) -> tuple[list[Found], list[Path]]:
    """The report files of ``sources``, in order, and the sources that do not exist.

    A file is taken as it is; a folder gives its ``*.toml`` and ``*.json`` files
    by name (not its subfolders).  A ``_defaults.toml`` is never a report, even
    named on its own (as a shell's ``*.toml`` names it).  Each report is read
    over ``defaults`` and its folder's ``_defaults.toml`` (:func:`report_file`).
    A file named twice is taken once; the files in ``exclude`` (what the
    command itself writes) are not taken.  A ``defaults`` file that does not
    exist raises :class:`~docgen.FileError`.

    With ``documents``, a folder gives its published reports too (.docx, .pdf,
    .html); of the files in one folder that share a name but for the suffix
    (2024.toml and the 2024.docx and 2024.pdf made from it) a report file is
    taken before a document, and a .docx before a web page before a PDF: one
    report, read from its source.  With ``recursive``, a folder gives those of
    its subfolders too (not hidden ones), each folder's after its own files.
    """
    if defaults is not None and not Path(defaults).is_file():
        raise FileError(path=str(defaults), reason=NO_SUCH_SOURCE)
    layering = _Layering(defaults)
    found: list[Found] = []
    missing: list[Path] = []
    seen = {Path(path).resolve() for path in exclude}
    for source in map(Path, sources):
        try:
            folder_given, there = source.is_dir(), source.exists()
        except OSError:  # a path through a folder the user may not enter: reading it says so
            folder_given, there = False, True
        if folder_given:
            paths = []
            try:
                for folder in _folders(source, recursive):
                    listed = [p for p in sorted(folder.iterdir()) if p.suffix.lower() in REPORT_SUFFIXES and _file(p)]
                    paths += _with_documents(folder, listed) if documents else listed
            except OSError as exc:
                raise FileError.from_os(str(exc.filename or source), exc) from None
        elif there:
            paths = [source]
        else:
            missing.append(source)
            continue
        for path in paths:
            if path.name != DEFAULTS_NAME and (key := _resolved(path)) not in seen:
                seen.add(key)
                found += _rows(layering.found(path))
    return found, missing


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def _file(path: Path) -> bool:
    """A file that may be a report: not Office's lock file (~$2024.docx) nor macOS's shadow (._2024.docx)."""
    return path.is_file() and not path.name.startswith(("~$", "._"))


def _folders(top: Path, recursive: bool) -> list[Path]:
    """``top``, and with ``recursive`` every folder under it that is neither hidden nor a batch's output
    (the documents it rendered from reports already read), in order of their paths."""
    if not recursive:
        return [top]
    under = [p for p in top.rglob("*") if p.is_dir() and not any(s.startswith(".") for s in p.relative_to(top).parts)]
    batches = [p for p in under if (p / BATCH_STAMPS).is_dir()]
    return [top, *sorted(p for p in under if not any(p == b or b in p.parents for b in batches))]


def _with_documents(folder: Path, reports: list[Path]) -> list[Path]:
    """A folder's report files and its documents, a document left out where a file of its name comes first."""
    stems = {path.stem for path in reports}
    rank = {suffix: index for index, suffix in enumerate(DOCUMENT_SUFFIXES)}
    documents: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        suffix, other = path.suffix.lower(), documents.get(path.stem)
        if suffix not in rank or path.stem in stems or not _file(path):
            continue
        if other is None or rank[other.suffix.lower()] > rank[suffix]:
            documents[path.stem] = path
    return sorted([*reports, *documents.values()])


def _rows(found: Found) -> list[Found]:
    """A roster is a report a row; anything else is one report (a workbook that cannot be read included)."""
    if found.path.suffix.lower() != WORKBOOK:
        return [found]
    from .workbook import read_workbook

    try:
        workbook = read_workbook(found.path)
    except (InputError, FileError):
        return [found]  # reading it again says what is wrong
    if not workbook.roster:
        return [found]
    return [replace(found, row=_sheet_row(report.name)) for report in workbook.reports]


def _sheet_row(name: str) -> int:
    return int(name.rsplit("!", 1)[1])


def merge(base: Mapping[str, Any], top: Mapping[str, Any], path: tuple[str, ...] = ()) -> dict[str, Any]:
    """``top`` over ``base``: tables merged key by key; any other value of ``top`` replaces ``base``'s.

    A row of the statutory tables is one value: a report that writes a row
    takes none of its cells from the defaults.
    """
    out = dict(base)
    for key, value in top.items():
        under, here = out.get(key), path + (key,)
        if isinstance(under, dict) and isinstance(value, dict) and here not in TABLE_ROWS:
            value = merge(under, value, here)
        out[key] = value
    return out


@lru_cache(maxsize=32)
def _defaults(path: Path, stamp: tuple[int, int]) -> Source:
    """A defaults file, read once while it is unchanged (``stamp`` is its modification time and size)."""
    return load(path)


def _stamp(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_mtime_ns, info.st_size


def _read(found: Found, display: str | None) -> Source:
    """The report itself: a TOML or JSON file, a filled-in form, or a roster's row."""
    suffix = found.path.suffix.lower()
    if suffix in DOCUMENT_SUFFIXES:
        from .documents import extract

        return extract(found.path, display=display)
    if suffix != WORKBOOK:
        return load(found.path, display=display)
    from .workbook import read_workbook

    workbook = read_workbook(found.path, display=display if found.row is None else None)
    if found.row is not None:
        wanted = found.name
        return next(report for report in workbook.reports if report.name == wanted)
    if workbook.roster:
        raise InputError(
            issues=[
                Issue(
                    location=Location(display or str(found.path)),
                    path="",
                    rule="syntax",
                    detail=Label(
                        f"这是名册，有 {len(workbook.reports)} 份报告：请用 docgen batch 逐份生成",
                        f"this roster holds {len(workbook.reports)} reports: render them with docgen batch",
                    ),
                )
            ]
        )
    return workbook.reports[0]


def load_report(found: Found, *, display: str | None = None) -> Source:
    """The report of ``found`` over its defaults; messages about a value name the file that wrote it.

    A defaults file that cannot be read or parsed raises like the report itself.
    """
    report = _read(found, display)
    if not found.defaults:
        return report
    try:
        layers = [_defaults(path, _stamp(path)) for path in found.defaults]
    except OSError as exc:
        raise FileError.from_os(str(exc.filename or found.defaults[0]), exc) from None
    data: dict[str, Any] = {}
    for layer in layers:
        data = merge(data, layer.data)
    data = merge(data, report.data)
    locator = LayeredLocator([report.locator, *(layer.locator for layer in reversed(layers))])
    notes = report.issues + tuple(issue for layer in layers for issue in layer.issues)
    return replace(report, data=data, locator=locator, issues=notes)


_TABLE_HEADER = re.compile(r"^[ \t]*\[", re.MULTILINE)


def _top_level(path: Path) -> dict[str, Any]:
    """The top-level values of a report file, read cheaply: for TOML only what comes before its first table."""
    try:
        text, _ = decode(path.read_bytes(), str(path))
    except (OSError, InputError):
        return {}
    try:
        if kind_of(path.name) == "json":
            data = json.loads(text)
        else:
            header = _TABLE_HEADER.search(text)
            try:
                data = tomllib.loads(text[: header.start()] if header else text)
            except tomllib.TOMLDecodeError:  # a "[" inside a multi-line string: read the whole file
                data = tomllib.loads(text)
    except (ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def peek(found: Found) -> dict[str, Any]:
    """The report's top-level values (issuer, year, format...) over its defaults', without reading its tables.

    A file that cannot be read gives what its defaults give; the full read
    says what is wrong with it.
    """
    data: dict[str, Any] = {}
    for path in found.defaults:
        data.update({k: v for k, v in _top_level(path).items() if not isinstance(v, dict)})
    if found.path.suffix.lower() in (WORKBOOK, *DOCUMENT_SUFFIXES):
        try:
            top = _read(found, None).data
        except (InputError, FileError, StopIteration):
            top = {}
    else:
        top = _top_level(found.path)
    data.update({k: v for k, v in top.items() if not isinstance(v, dict)})
    return data
