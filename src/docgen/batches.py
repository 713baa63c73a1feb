"""Many reports at once: a county's townships and departments, a province's counties.

:func:`batch` finds the reports of its sources, layers each over its shared
defaults, names every output from the issuer and the year, refuses two that
would write one file before it renders anything, skips what is already up
to date, then checks and renders the rest in worker processes, each with its
template prepared once (and one LibreOffice for its PDFs).  Every report ends
as an :class:`Outcome`, a value: a bad file never stops the others.  Files
are written whole or not at all, through a scratch folder inside the output
folder that the batch clears; an interrupted batch says what it did not do,
and running it again does only that.
"""

from __future__ import annotations

import contextlib
import multiprocessing.util
import os
import re
import shutil
import signal
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from .checks import check
from .errors import DocgenError, InputError
from .files import safe_name, same_file_key, write_atomic
from .inputs import Found, Source, find_reports, load, load_report, peek
from .issues import Issue
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
_IN_FLIGHT = 4  # tasks handed to the workers at a time, per worker


@dataclass(frozen=True)
class Outcome:
    """What became of one report: its status, the files written, its issues, and why when it was not rendered."""

    source: str
    status: Status
    outputs: tuple[str, ...] = ()
    issues: tuple[Issue, ...] = ()
    reason: Label | None = None

    def first_message(self, lang: Lang = "zh") -> str:
        """The message a summary shows: why it failed, or its first error, or its first warning."""
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
        """True when every report was rendered or already up to date."""
        return all(outcome.status in ("rendered", "skipped") for outcome in self.outcomes)

    def as_dict(self, lang: Lang = "zh") -> dict[str, Any]:
        """What ``--summary`` writes."""
        return {
            **{status: self.count(status) for status in STATUSES},
            "interrupted": self.interrupted,
            "reports": [outcome.as_dict(lang) for outcome in self.outcomes],
        }


Progress = Callable[[Outcome, int, int], None]  # an outcome, how many are done, how many there are


@dataclass(frozen=True)
class _Task:
    """One report to check and render, as a worker process receives it."""

    found: Found
    display: str
    docx: str
    pdf: str | None
    previous: Path | None


@dataclass
class _Settings:
    """What every worker needs besides its tasks."""

    template: Path | None
    pdf: bool
    scratch: Path
    pdf_timeout: float
    converter: Any = field(default=None, repr=False)  # the worker's own Converter, started on its first PDF


# --- planning ------------------------------------------------------------------------------


def output_stem(issuer: object, year: object, fallback: str) -> str:
    """The file name of a report's outputs, without suffix: ``{issuer}-{year}``, safe on every file system."""
    if isinstance(issuer, str) and isinstance(year, int) and not isinstance(year, bool) and issuer.strip():
        return safe_name(f"{issuer.strip()}-{year}", fallback=fallback)
    return safe_name(fallback)


def _previous_index(folder: Path) -> dict[tuple[str, int], Path]:
    """Last year's reports in ``folder``, by issuer and year."""
    found, _ = find_reports([folder])
    index: dict[tuple[str, int], Path] = {}
    for item in found:
        top = peek(item)
        issuer, year = top.get("issuer"), top.get("year")
        if isinstance(issuer, str) and isinstance(year, int):
            index.setdefault((issuer.strip(), year), item.path)
    return index


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


def _up_to_date(task: _Task, template: Path | None) -> bool:
    """Every output exists and is newer than everything it was made from."""
    inputs = [task.found.path, *task.found.defaults, *(p for p in (template, task.previous) if p is not None)]
    newest = max(_mtime(path) for path in inputs)
    outputs = [task.docx] + ([task.pdf] if task.pdf is not None else [])
    return all(_mtime(Path(path)) >= newest >= 0 for path in outputs)


def _collision(task: _Task, others: list[_Task]) -> Outcome:
    names = "、".join(other.display for other in others if other is not task)
    return Outcome(
        task.display,
        "invalid",
        reason=Label(
            f"与 {names} 的发布机关和年度相同，都将写入 {Path(task.docx).name}；均未生成，请核对发布机关",
            f"same issuer and year as {names}: both would write {Path(task.docx).name}; neither was rendered",
        ),
    )


# --- the work of one report -----------------------------------------------------------------

_SETTINGS: _Settings | None = None  # a worker process's settings, set by its initializer


def _start_worker(settings: _Settings) -> None:
    """A worker's start: Ctrl-C is the parent's to handle; a converter, if started, stops with the worker."""
    global _SETTINGS
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _SETTINGS = settings


@cache
def _prepared(template: Path | None, fmt_name: str) -> Any:
    """The template of a format, prepared once per process."""
    from .outputs.docx.template import PreparedTemplate, default_template

    if template is None:
        return default_template(fmt_name)
    return PreparedTemplate.from_path(template, FORMAT_SPECS[fmt_name])


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
    """Check one report and write its outputs; every way it can go wrong is an outcome, never an exception."""
    try:
        try:
            source: Source = load_report(task.found, display=task.display)
        except InputError as exc:
            return Outcome(task.display, "invalid", issues=exc.issues)
        previous = load(task.previous) if task.previous is not None else None
        result = check(source, previous=previous)
        if result.report is None:
            return Outcome(task.display, "invalid", issues=result.issues)
        from .outputs.docx.template import render

        data = render(result.report, template=_prepared(settings.template, result.report.format.name))
        write_atomic(task.docx, data, scratch=settings.scratch)
        outputs = [task.docx]
        if task.pdf is not None:
            write_atomic(task.pdf, _converter(settings).to_pdf(data), scratch=settings.scratch)
            outputs.append(task.pdf)
        return Outcome(task.display, "rendered", tuple(outputs), result.issues)
    except Exception as exc:  # noqa: BLE001 - whatever happens to one report is its outcome, not the batch's end
        return Outcome(task.display, "failed", reason=_failure(exc))


def _work_in_worker(task: _Task) -> Outcome:
    assert _SETTINGS is not None
    return _work(task, _SETTINGS)


# --- running ----------------------------------------------------------------------------------


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


_NOT_DONE = Label("未完成：批处理被中断；再次运行同一命令即可补全", "not done: the batch was interrupted; run it again")
_WORKER_DIED = Label(
    "未完成：一个工作进程意外终止；再次运行同一命令即可补全",
    "not done: a worker process died; run the same command again",
)


def _in_process(tasks: Sequence[_Task], settings: _Settings) -> Generator[Outcome, None, None]:
    try:
        for task in tasks:
            yield _work(task, settings)
    finally:
        if settings.converter is not None:
            settings.converter.close()


def _pool(jobs: int, settings: _Settings) -> ProcessPoolExecutor:
    """Worker processes, started at once: forked before the batch's plan fills this process's memory."""
    executor = ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=(settings,))
    executor.submit(os.getpid).result()
    return executor


def _in_workers(tasks: Sequence[_Task], executor: ProcessPoolExecutor, jobs: int) -> Generator[Outcome, None, None]:
    """Outcomes as the workers finish them.

    Only a few tasks per worker are handed out at a time, so the batch's
    memory does not grow with the number of reports.
    """
    waiting = iter(tasks)
    running: dict[Future[Outcome], _Task] = {}
    broken = False

    def hand_out() -> None:
        nonlocal broken
        while not broken and len(running) < _IN_FLIGHT * jobs and (task := next(waiting, None)) is not None:
            try:
                running[executor.submit(_work_in_worker, task)] = task
            except BrokenProcessPool:
                broken = True
                running[_settled(Outcome(task.display, "not_done", reason=_WORKER_DIED))] = task

    try:
        hand_out()
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                task = running.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    broken = True
                    yield Outcome(task.display, "not_done", reason=_WORKER_DIED)
            hand_out()
        if broken:  # the tasks never handed out
            yield from (Outcome(task.display, "not_done", reason=_WORKER_DIED) for task in waiting)
    finally:
        # on Ctrl-C or a generator closed early: drop what has not started, let running reports finish
        executor.shutdown(wait=True, cancel_futures=True)


def _settled(outcome: Outcome) -> Future[Outcome]:
    future: Future[Outcome] = Future()
    future.set_result(outcome)
    return future


def batch(
    sources: Sequence[str | Path],
    outdir: str | Path,
    *,
    defaults: str | Path | None = None,
    jobs: int | None = None,
    pdf: bool = False,
    previous: str | Path | None = None,
    template: str | Path | None = None,
    force: bool = False,
    pdf_timeout: float = 120.0,
    progress: Progress | None = None,
) -> BatchResult:
    """Check and render every report of ``sources`` into ``outdir``; see the module's description.

    ``jobs`` worker processes (default: the machine's cores; 1 works in this
    process), ``pdf`` a PDF beside each .docx, ``previous`` a folder of last
    year's reports paired by issuer and year for the carry-over and trend
    checks, ``template`` a custom template, ``force`` renders even what is up
    to date.  ``progress`` is called with each outcome as it comes.  Ctrl-C
    ends the batch early: what was not done is in the result as ``not_done``.
    A custom template that cannot be used raises :class:`~docgen.TemplateError`
    before anything is rendered.
    """
    out = Path(outdir)
    found, missing = find_reports(sources, defaults=defaults)
    custom = Path(template) if template is not None else None
    settings = _Settings(custom, pdf, out / f"{SCRATCH_PREFIX}{os.getpid()}", pdf_timeout)
    workers = max(1, min(jobs or os.cpu_count() or 1, len(found)))
    executor: ProcessPoolExecutor | None = None
    try:
        executor = _pool(workers, settings) if workers > 1 else None
        return _run(found, missing, out, settings, executor, workers, previous, force, progress)
    except KeyboardInterrupt:  # before any report was handed out: nothing was written
        return BatchResult(
            tuple(_missing(path) for path in missing)
            + tuple(Outcome(str(item.path), "not_done", reason=_NOT_DONE) for item in found),
            interrupted=True,
        )
    finally:
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


def _missing(path: Path) -> Outcome:
    return Outcome(str(path), "failed", reason=Label(f"找不到文件或文件夹：{path}", f"no such file or folder: {path}"))


def _run(
    found: list[Found],
    missing: list[Path],
    out: Path,
    settings: _Settings,
    executor: ProcessPoolExecutor | None,
    workers: int,
    previous: str | Path | None,
    force: bool,
    progress: Progress | None,
) -> BatchResult:
    """Plan the batch (names, clashes, what is up to date), then do what is left."""
    custom, pdf = settings.template, settings.pdf
    last_year = _previous_index(Path(previous)) if previous is not None else {}
    settled = [_missing(path) for path in missing]
    tasks: list[_Task] = []
    by_name: dict[str, list[_Task]] = {}
    formats: set[str] = set()
    for item in found:
        top = peek(item)
        formats.add(str(top.get("format", "2021")))
        issuer, year = top.get("issuer"), top.get("year")
        stem = output_stem(issuer, year, fallback=item.path.stem)
        paired = None
        if isinstance(issuer, str) and isinstance(year, int):
            paired = last_year.get((issuer.strip(), year - 1))
        task = _Task(item, str(item.path), str(out / f"{stem}.docx"), str(out / f"{stem}.pdf") if pdf else None, paired)
        tasks.append(task)
        by_name.setdefault(same_file_key(stem), []).append(task)
    if custom is not None:  # a broken template fails the batch here, once, not every report
        for fmt_name in sorted(formats & set(FORMAT_SPECS)):
            _prepared(custom, fmt_name)
    todo: list[_Task] = []
    for task in tasks:
        clash = by_name[same_file_key(Path(task.docx).stem)]
        if len(clash) > 1:
            settled.append(_collision(task, clash))
        elif not force and _up_to_date(task, custom):
            settled.append(Outcome(task.display, "skipped", (task.docx,) + ((task.pdf,) if task.pdf else ())))
        else:
            todo.append(task)
    total = len(settled) + len(todo)
    finished: dict[str, Outcome] = {}

    def record(outcome: Outcome) -> None:
        finished[outcome.source] = outcome
        if progress is not None:
            progress(outcome, len(finished), total)

    for outcome in settled:
        record(outcome)
    interrupted = False
    if todo:
        out.mkdir(parents=True, exist_ok=True)
        _stale_scratch(out)
        settings.scratch.mkdir(exist_ok=True)
        runs = _in_process(todo, settings) if executor is None else _in_workers(todo, executor, workers)
        try:
            with contextlib.closing(runs):
                for outcome in runs:
                    record(outcome)
        except KeyboardInterrupt:
            interrupted = True
        finally:
            shutil.rmtree(settings.scratch, ignore_errors=True)
    for task in todo:
        if task.display not in finished:
            finished[task.display] = Outcome(task.display, "not_done", reason=_NOT_DONE)
    order = [str(path) for path in missing] + [task.display for task in tasks]
    return BatchResult(tuple(finished[name] for name in order), interrupted)
