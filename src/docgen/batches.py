"""Many reports at once: a county's townships and departments, a province's counties.

:func:`batch` finds the reports of its sources, layers each over its shared
defaults, names every output from the issuer and the year, and refuses two
that would write one file before it renders anything.  Worker processes,
each with its templates prepared once (and one LibreOffice for its PDFs),
then check every report and render the ones whose outputs are missing or
were made from anything else: a stamp beside the outputs records what they
were made from.  Every report ends as an :class:`Outcome`, a value: a bad
file never stops the others.  Files are written whole or not at all, through
a scratch folder inside the output folder that the batch clears; an
interrupted batch says what it did not do, and running it again does only
that.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import multiprocessing.util
import os
import re
import shutil
import signal
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from types import FrameType
from typing import Any, Literal

from .checks import check
from .errors import DocgenError, FileError, InputError
from .files import safe_name, same_file_key, write_atomic
from .inputs import Found, Source, find_reports, load_report, peek, report_file
from .inputs.folders import BATCH_STAMPS, NO_SUCH_SOURCE
from .issues import HasIssues, Issue
from .statute import FORMAT_SPECS, Label, Lang

Status = Literal["rendered", "invalid", "failed", "skipped", "not_done"]
STATUSES: tuple[Status, ...] = ("rendered", "invalid", "failed", "skipped", "not_done")
STATUS_LABELS: dict[Status, Label] = {
    "rendered": Label("已生成", "rendered"),
    "invalid": Label("有误", "invalid"),
    "failed": Label("失败", "failed"),
    "skipped": Label("已是最新", "up to date"),
    "not_done": Label("未完成", "not done"),
}
SCRATCH_PREFIX = ".docgen-partial-"
STAMPS = BATCH_STAMPS  # in the output folder: what each output was made from
_IN_FLIGHT = 4  # tasks handed to the workers at a time, per worker


@dataclass(frozen=True, slots=True)
class Outcome(HasIssues):
    """What became of one report: its status, the files it has, its issues, and why when it was not rendered."""

    source: str
    status: Status
    outputs: tuple[str, ...] = ()
    issues: tuple[Issue, ...] = ()
    reason: Label | None = None

    def first_message(self, lang: Lang = "zh") -> str:
        """The message a summary shows: why it was not rendered, or its first error, or its first warning."""
        if self.reason is not None:
            return self.reason.text(lang)
        errors = [issue for issue in self.issues if issue.is_error] or list(self.issues)
        return errors[0].format(lang) if errors else ""

    def as_dict(self, lang: Lang = "zh") -> dict[str, Any]:
        return {
            "source": self.source,
            "status": self.status,
            "outputs": list(self.outputs),
            "message": self.first_message(lang),
            "issues": [issue.as_dict(lang) for issue in self.issues],
        }


@dataclass(frozen=True)
class BatchResult:
    """Every report's outcome, in the order the sources gave them."""

    outcomes: tuple[Outcome, ...]
    interrupted: bool = False

    def count(self, status: Status) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def ok(self) -> bool:
        """True when there were reports and every one was rendered or already up to date."""
        return bool(self.outcomes) and all(o.status in ("rendered", "skipped") for o in self.outcomes)

    def as_dict(self, lang: Lang = "zh") -> dict[str, Any]:
        """What ``--summary`` writes."""
        return {
            **{status: self.count(status) for status in STATUSES},
            "with_warnings": sum(1 for outcome in self.outcomes if outcome.warnings),
            "interrupted": self.interrupted,
            "reports": [outcome.as_dict(lang) for outcome in self.outcomes],
        }


Progress = Callable[[Outcome, int, int], None]  # an outcome, how many are done, how many there are


@dataclass(frozen=True, slots=True)
class _Task:
    """One report as a worker receives it: where it is, where its outputs go, what else it needs."""

    source: str  # the name messages use: the report's file, or a roster's row
    path: str  # the report's file
    row: int | None  # its row, in a roster
    defaults: tuple[str, ...]
    docx: str
    pdf: str | None
    previous: str | None  # last year's report
    html: str | None = None  # the web page
    charts: str | None = None  # the 图解's files, this and a suffix (``.chart.png``)
    refused: Label | None = None  # why it must not be rendered (its outputs clash with another's)


@dataclass
class _Settings:
    """What every worker needs besides its tasks."""

    template: Path | None
    scratch: Path
    stamps: Path
    force: bool
    pdf_timeout: float
    converter: Any = field(default=None, repr=False)  # the worker's own Converter, started on its first PDF


# --- the work of one report, in a worker ------------------------------------------------------

_SETTINGS: _Settings | None = None  # a worker process's settings, set by its initializer


def _start_worker(settings: _Settings) -> None:
    """A worker's start: the parent handles Ctrl-C; SIGTERM ends a worker at once (its LibreOffice killed and
    its temporary files removed first)."""
    global _SETTINGS
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _end_worker)  # not the parent's handler, inherited through fork
    _SETTINGS = settings


def _end_worker(signum: int, frame: FrameType | None) -> None:
    converter = _SETTINGS.converter if _SETTINGS is not None else None
    if converter is not None:
        converter.abandon()
    os._exit(128 + signum)


@cache
def _prepared(template: Path | None, stamp: tuple[int, int], fmt_name: str) -> Any:
    """The template of a format, prepared once per process while its file is unchanged."""
    from .outputs.docx.template import PreparedTemplate, default_template

    if template is None:
        return default_template(fmt_name)
    return PreparedTemplate.from_path(template, FORMAT_SPECS[fmt_name])


def _file_stamp(path: Path | None) -> tuple[int, int]:
    if path is None:
        return (0, 0)
    try:
        info = path.stat()
    except OSError:
        return (-1, -1)
    return info.st_mtime_ns, info.st_size


def prepared(template: Path | None, fmt_name: str) -> Any:
    """The template a batch renders ``fmt_name`` reports with; a broken one raises TemplateError."""
    return _prepared(template, _file_stamp(template), fmt_name)


@cache
def _template_identity(template: Path, stamp: tuple[int, int]) -> str:
    return hashlib.sha256(template.read_bytes()).hexdigest()


def _version() -> str:
    try:
        return importlib.metadata.version("docgen")
    except importlib.metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def _made_from(
    source: Source, previous: Source | None, settings: _Settings, fmt_name: str, forms: tuple[bool, ...]
) -> str:
    """A fingerprint of all an output is made from: the data (not comments), last year's, the template, docgen."""
    from .outputs.docx.template import template_path

    template = settings.template or template_path(fmt_name)
    facts = [
        _version(),
        _template_identity(template, _file_stamp(template)),
        forms,
        source.data,
        previous.data if previous is not None else None,
    ]
    text = json.dumps(facts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _converter(settings: _Settings) -> Any:
    if settings.converter is None:
        from .outputs.pdf import Converter

        settings.converter = Converter(timeout=settings.pdf_timeout)
        # a pool's worker ends without running atexit; multiprocessing's own finalizers do run
        multiprocessing.util.Finalize(settings.converter, settings.converter.close, exitpriority=10)
    return settings.converter


def _failure(exc: BaseException) -> Label:
    if isinstance(exc, DocgenError):
        return Label(exc.message("zh"), exc.message("en"))
    said = f"{type(exc).__name__}: {exc}"
    return Label(f"内部错误（请报告）：{said}", f"internal error (please report it): {said}")


def _work(task: _Task, settings: _Settings) -> Outcome:
    """Check one report and write what is missing or stale; every way it can go wrong is an outcome."""
    try:
        found = Found(Path(task.path), tuple(map(Path, task.defaults)), task.row)
        try:
            source = load_report(found, display=task.source if task.row is None else None)
        except InputError as exc:
            return Outcome(task.source, "invalid", issues=exc.issues, reason=task.refused)
        previous = load_report(report_file(task.previous)) if task.previous is not None else None
        result = check(source, previous=previous)
        if task.refused is not None or result.report is None:
            return Outcome(task.source, "invalid", issues=result.issues, reason=task.refused)
        outputs = _outputs(task)
        forms = (task.pdf is not None, task.html is not None, task.charts is not None)
        made_from = _made_from(source, previous, settings, result.report.format.name, forms)
        stamp = settings.stamps / f"{Path(task.docx).name}.stamp"
        if not settings.force and all(map(os.path.exists, outputs)) and _read(stamp) == made_from:
            return Outcome(task.source, "skipped", outputs, result.issues)
        from .outputs.docx.template import render

        data = render(result.report, template=prepared(settings.template, result.report.format.name))
        write_atomic(task.docx, data, scratch=settings.scratch)
        if task.pdf is not None:
            write_atomic(task.pdf, _converter(settings).to_pdf(data), scratch=settings.scratch)
        pictures = _charts(task, result.report, previous, settings) if task.charts is not None else []
        if task.html is not None:
            from .outputs.html import page

            text = page(result.report, charts=pictures)
            write_atomic(task.html, text.encode("utf-8"), scratch=settings.scratch)
        write_atomic(stamp, made_from.encode("ascii"), scratch=settings.scratch)  # last: the outputs are whole
        return Outcome(task.source, "rendered", outputs, result.issues)
    except Exception as exc:  # noqa: BLE001 - whatever happens to one report is its outcome, not the batch's end
        return Outcome(task.source, "failed", reason=_failure(exc))


def _outputs(task: _Task) -> tuple[str, ...]:
    """What a task writes that says it was done (the 图解 by its long image)."""
    from .outputs.charts import CHART_NAMES  # the charts' names alone: matplotlib is imported only to draw

    names = [n for n in CHART_NAMES if n != "trend" or task.previous is not None]  # a trend against last year
    charts = tuple(f"{task.charts}.{n}.{s}" for n in names for s in ("png", "svg")) if task.charts is not None else ()
    return tuple(name for name in (task.docx, task.pdf, task.html, *charts) if name is not None)


def _charts(task: _Task, report: Any, previous: Source | None, settings: _Settings) -> list[Any]:
    """Write the 图解 of a report (against last year's, when that is valid); its pictures for the page."""
    from .outputs.charts import page_pictures, render_charts

    assert task.charts is not None
    last_year = check(previous).report if previous is not None else None
    charts = render_charts(report, previous=last_year)
    charts.write(Path(task.charts).parent, Path(task.charts).name, scratch=settings.scratch)
    return page_pictures(report, previous=last_year) if task.html is not None else []


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return None


def _work_in_worker(task: _Task) -> Outcome:
    assert _SETTINGS is not None
    return _work(task, _SETTINGS)


# --- planning ----------------------------------------------------------------------------------


def _named(top: dict[str, Any]) -> tuple[str, int] | None:
    """The issuer and year a report names, if it names both."""
    issuer, year = top.get("issuer"), top.get("year")
    if isinstance(issuer, str) and issuer.strip() and isinstance(year, int) and not isinstance(year, bool):
        return issuer.strip(), year
    return None


def output_stem(top: dict[str, Any], fallback: str) -> str:
    """The file name of a report's outputs, without suffix: ``{issuer}-{year}``, safe on every file system."""
    named = _named(top)
    return safe_name(f"{named[0]}-{named[1]}" if named else fallback, fallback=fallback)


def _previous_index(folder: Path) -> dict[tuple[str, int], Path]:
    """Last year's reports in ``folder``, by issuer and year."""
    found, _ = find_reports([folder], documents=True)
    index: dict[tuple[str, int], Path] = {}
    for item in found:
        if (named := _named(peek(item))) is not None:
            index.setdefault(named, item.path)
    return index


def _clash(task: _Task, others: list[_Task]) -> Label:
    names = "、".join(other.source for other in others if other is not task)
    file = Path(task.docx).name
    return Label(
        f"与 {names} 将写入同一个文件 {file}（发布机关和年度相同，或只差大小写、标点）；均未生成",
        f"{names} would write the same file {file} (the same issuer and year, or nearly); neither was rendered",
    )


def _keeping(outcome: Outcome, task: _Task) -> Outcome:
    """An outcome from a worker, with the parent's own copies of its names: a batch keeps one of each."""
    outputs = tuple(name for name in _outputs(task) if name in outcome.outputs)
    return replace(outcome, source=task.source, outputs=outputs)


def _missing(path: Path) -> Outcome:
    return Outcome(str(path), "failed", reason=Label(f"{path}：{NO_SUCH_SOURCE.zh}", f"{path}: {NO_SUCH_SOURCE.en}"))


_NOT_DONE = Label("未完成：批处理被中断；再次运行同一命令即可补全", "not done: the batch was interrupted; run it again")
_WORKER_DIED = Label(
    "未完成：一个工作进程意外终止；再次运行同一命令即可补全",
    "not done: a worker process died; run the same command again",
)


def _stale_scratch(outdir: Path) -> None:
    """Scratch folders of batches killed before they could clear them (their process is gone)."""
    for folder in outdir.glob(f"{SCRATCH_PREFIX}*"):
        match = re.fullmatch(rf"{re.escape(SCRATCH_PREFIX)}(\d+)", folder.name)
        if match is None:
            continue
        try:
            os.kill(int(match.group(1)), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except PermissionError:  # someone else's live process
            continue


# --- running -------------------------------------------------------------------------------------


class _Run:
    """One batch: its plan, its workers, and every outcome so far, kept whatever interrupts it."""

    def __init__(self, settings: _Settings, jobs: int, progress: Progress | None) -> None:
        self.settings = settings
        self.jobs = jobs
        self.progress = progress
        self.order: list[str] = []
        self.finished: dict[str, Outcome] = {}
        self.total = 0
        self.executor: ProcessPoolExecutor | None = None
        self.running: dict[Future[Outcome], _Task] = {}

    def record(self, outcome: Outcome) -> None:
        self.finished[outcome.source] = outcome
        if self.progress is not None:
            self.progress(outcome, len(self.finished), self.total)

    def start_workers(self) -> None:
        """Fork the workers now, before the plan fills this process's memory."""
        if self.jobs > 1:
            self.executor = ProcessPoolExecutor(
                max_workers=self.jobs, initializer=_start_worker, initargs=(self.settings,)
            )
            self.executor.submit(os.getpid).result()

    def work(self, tasks: Sequence[_Task]) -> None:
        if self.executor is None:
            try:
                for task in tasks:
                    self.record(_work(task, self.settings))
            finally:
                if self.settings.converter is not None:
                    self.settings.converter.close()
        else:
            self._work_in_pool(self.executor, tasks)

    def _work_in_pool(self, executor: ProcessPoolExecutor, tasks: Sequence[_Task]) -> None:
        """A few tasks a worker at a time, so that a batch's memory does not grow with it."""
        waiting = iter(tasks)
        broken = False
        while True:
            while not broken and len(self.running) < _IN_FLIGHT * self.jobs:
                upcoming = next(waiting, None)
                if upcoming is None:
                    break
                try:
                    self.running[executor.submit(_work_in_worker, upcoming)] = upcoming
                except BrokenProcessPool:
                    broken = True
                    self.record(Outcome(upcoming.source, "not_done", reason=_WORKER_DIED))
            if not self.running:
                break
            done, _ = wait(self.running, return_when=FIRST_COMPLETED)
            for future in done:
                task = self.running.pop(future)
                try:
                    self.record(_keeping(future.result(), task))
                except BrokenProcessPool:
                    broken = True
                    self.record(Outcome(task.source, "not_done", reason=_WORKER_DIED))
        for task in waiting if broken else ():  # the tasks never handed out
            self.record(Outcome(task.source, "not_done", reason=_WORKER_DIED))

    def stop(self) -> None:
        """Hand out nothing more, let the reports being worked on finish, and keep their outcomes.

        A second Ctrl-C while they finish stops the workers at once: what they
        were writing is in the scratch folder, which goes, and every output
        file stays whole.
        """
        executor = self.executor
        if executor is None:
            return
        try:
            executor.shutdown(wait=True, cancel_futures=True)
        except KeyboardInterrupt:
            for process in list(getattr(executor, "_processes", {}).values()):
                process.terminate()  # each worker kills its LibreOffice and removes its files, then ends
            executor.shutdown(wait=True, cancel_futures=True)
        self.executor = None
        for future, task in self.running.items():
            if not future.done() or future.cancelled():
                continue
            error = future.exception()
            if error is None:
                self.record(_keeping(future.result(), task))
            elif isinstance(error, BrokenProcessPool):
                self.record(Outcome(task.source, "not_done", reason=_WORKER_DIED))
        self.running.clear()

    def result(self, interrupted: bool) -> BatchResult:
        outcomes = [self.finished.get(name) or Outcome(name, "not_done", reason=_NOT_DONE) for name in self.order]
        return BatchResult(tuple(outcomes), interrupted)


def batch(
    sources: Sequence[str | Path],
    outdir: str | Path,
    *,
    defaults: str | Path | None = None,
    jobs: int | None = None,
    pdf: bool = False,
    html: bool = False,
    charts: bool = False,
    previous: str | Path | None = None,
    template: str | Path | None = None,
    force: bool = False,
    exclude: Sequence[str | Path] = (),
    pdf_timeout: float = 120.0,
    progress: Progress | None = None,
) -> BatchResult:
    """Check and render every report of ``sources`` into ``outdir``; see the module's description.

    ``jobs`` worker processes (default: the machine's cores; 1 works in this
    process), ``pdf`` a PDF beside each .docx, ``html`` its web page, ``charts`` its 图解 (and, with
    ``html``, the page shows it), ``previous`` a folder of last
    year's reports paired by issuer and year for the carry-over and trend
    checks, ``template`` a custom template, ``force`` renders even what is up
    to date, ``exclude`` files among the sources that are not reports (a
    summary written into a source folder).  ``progress`` is called with each
    outcome as it comes.  Ctrl-C ends the batch early: the reports being
    worked on finish, and the rest are in the result as ``not_done``.

    Raises :class:`~docgen.FileError` for an output folder that cannot be one,
    a ``defaults`` file or ``previous`` folder that does not exist, and
    :class:`~docgen.TemplateError` for a custom template that cannot be used,
    before anything is rendered.
    """
    out = Path(outdir)
    if out.exists() and not out.is_dir():
        raise FileError(path=str(out), reason=Label("不是文件夹", "is not a folder"))
    for path, must_be in ((previous, Path.is_dir), (defaults, Path.is_file)):
        if path is not None and not must_be(Path(path)):
            raise FileError(path=str(path), reason=NO_SUCH_SOURCE)
    if charts:
        from .outputs.charts import require_matplotlib

        require_matplotlib()  # before anything is done, not once a report
    custom = Path(template) if template is not None else None
    settings = _Settings(custom, out / f"{SCRATCH_PREFIX}{os.getpid()}", out / STAMPS, force, pdf_timeout)
    run = _Run(settings, max(1, jobs or os.cpu_count() or 1), progress)
    interrupted = False
    try:
        run.start_workers()  # first, so that the workers carry nothing of what the batch reads next
        found, missing = find_reports(sources, defaults=defaults, exclude=exclude)
        run.order = [str(path) for path in missing] + [item.name for item in found]
        forms = _Forms(pdf, html, charts)
        tasks = _plan(found, missing, out, forms, Path(previous) if previous is not None else None, run)
        if tasks:
            out.mkdir(parents=True, exist_ok=True)
            _stale_scratch(out)
            settings.scratch.mkdir(exist_ok=True)
            settings.stamps.mkdir(exist_ok=True)
            run.work(tasks)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        run.stop()
        shutil.rmtree(settings.scratch, ignore_errors=True)
    return run.result(interrupted)


@dataclass(frozen=True)
class _Forms:
    """What a batch writes besides each .docx."""

    pdf: bool
    html: bool
    charts: bool


def _plan(
    found: list[Found], missing: list[Path], out: Path, forms: _Forms, previous: Path | None, run: _Run
) -> list[_Task]:
    """Every report's task; the missing sources and the clashes are recorded as outcomes at once."""
    last_year = _previous_index(previous) if previous is not None else {}
    tasks: list[_Task] = []
    by_name: dict[str, list[_Task]] = {}
    formats: set[str] = set()
    layers: dict[tuple[Path, ...], tuple[str, ...]] = {}  # one tuple of names for a folder's reports
    for item, name in zip(found, run.order[len(missing) :], strict=True):
        top = peek(item)
        if item.defaults not in layers:
            layers[item.defaults] = tuple(map(str, item.defaults))
        formats.add(str(top.get("format", "2021")))
        named = _named(top)
        paired = last_year.get((named[0], named[1] - 1)) if named else None
        stem = output_stem(top, fallback=item.path.stem if item.row is None else f"{item.path.stem}-{item.row}")
        task = _Task(
            name,
            str(item.path),
            item.row,
            layers[item.defaults],
            str(out / f"{stem}.docx"),
            str(out / f"{stem}.pdf") if forms.pdf else None,
            str(paired) if paired is not None else None,
            str(out / f"{stem}.html") if forms.html else None,
            str(out / stem) if forms.charts else None,
        )
        tasks.append(task)
        by_name.setdefault(same_file_key(stem), []).append(task)
    for fmt_name in sorted(formats & set(FORMAT_SPECS)) if run.settings.template else ():
        prepared(run.settings.template, fmt_name)  # a broken template fails the batch here, once
    run.total = len(missing) + len(tasks)
    for path in missing:
        run.record(_missing(path))
    return [
        task if len(clash := by_name[same_file_key(Path(task.docx).stem)]) == 1 else _refused(task, clash)
        for task in tasks
    ]


def _refused(task: _Task, clash: list[_Task]) -> _Task:
    """A task checked (so its own errors show) but not rendered, since another report would write its file."""
    return replace(task, refused=_clash(task, clash))


def summary_workbook(
    result: BatchResult,
    sources: Sequence[str | Path],
    *,
    defaults: str | Path | None = None,
    exclude: Sequence[str | Path] = (),
    lang: Lang = "zh",
) -> bytes:
    """The batch as a roster: a row per report of the batch's format, each problem marked, the sum of the rest last.

    A report of another format than most has no columns here; its row says so.
    """
    from .model import format_of, tabulate
    from .outputs.workbook import roster_row, roster_workbook

    found = {item.name: item for item in find_reports(sources, defaults=defaults, exclude=exclude)[0]}
    loaded: list[tuple[Outcome, dict[str, Any] | None]] = []
    for outcome in result.outcomes:
        data = None
        with contextlib.suppress(DocgenError):
            if outcome.source in found:
                data = dict(load_report(found[outcome.source]).data)
        loaded.append((outcome, data))
    formats = Counter(format_of(data).name for _, data in loaded if data is not None)
    fmt_name = formats.most_common(1)[0][0] if formats else "2021"
    rows: list[dict[str, Any]] = []
    status: list[str] = []
    good = []
    for outcome, data in loaded:
        if data is not None and (other := format_of(data).name) != fmt_name:
            data, said = None, Label(f"{other} 年格式，未列入本名册", f"the {other} format: not listed here")
            status.append(f"{outcome.source}：{said.text(lang)}")
        elif outcome.status in ("rendered", "skipped"):
            status.append("")
            good.append(tabulate(data or {}))
        else:
            status.append(f"{STATUS_LABELS[outcome.status].text(lang)}：{outcome.first_message(lang)}")
        rows.append(roster_row(data) if data is not None else {"issuer": outcome.source})
    total = {"issuer": Label("合计", "total").text(lang)} if good else None
    return roster_workbook(fmt_name, rows, status=status, total=total)
