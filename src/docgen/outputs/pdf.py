"""PDF through one LibreOffice for many documents, with free stand-ins for the official fonts.

A :class:`Converter` starts LibreOffice once and converts every document
through it: with LibreOffice's Python bridge (``uno``) one process stays up
and each document costs a fraction of a second; without it, each document
is one ``soffice --convert-to`` call that at least reuses one profile.  Each
document has its own timeout; a LibreOffice that hangs or dies is killed
and the next document starts a new one.  ``close()`` (or leaving a ``with``
block) stops LibreOffice and removes every temporary file.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import selectors
import shutil
import signal
import subprocess
import tempfile
import time
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import IO, Literal

from ..errors import RenderError
from ..files import write_atomic
from ..statute import Label
from .fonts import fonts_conf

LIBREOFFICE_PACKAGE = "libreoffice-writer-nogui"
UNO_PACKAGE = "python3-uno"
START_TIMEOUT = 120.0  # seconds; a first start of LibreOffice builds its profile
DOCUMENT_TIMEOUT = 120.0
_ERROR_TAIL = 2000  # characters of LibreOffice's own words kept in a message

Backend = Literal["auto", "uno", "soffice"]


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@cache
def uno_python(program: str) -> str | None:
    """A Python that can import LibreOffice's ``uno``: LibreOffice's own, or the system's with python3-uno."""
    home = Path(program).resolve().parent
    candidates = [home / "python", home / "python.exe", shutil.which("python3"), "/usr/bin/python3"]
    for candidate in dict.fromkeys(str(c) for c in candidates if c):
        if not os.access(candidate, os.X_OK):
            continue
        try:
            probe = subprocess.run([candidate, "-c", "import uno"], capture_output=True, timeout=30, check=False)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return candidate
    return None


def _missing() -> RenderError:
    return RenderError(
        detail=Label(
            f"找不到 LibreOffice，无法生成 PDF；请安装 Debian 软件包 {LIBREOFFICE_PACKAGE}"
            f"（apt-get install {LIBREOFFICE_PACKAGE}）",
            f"LibreOffice is not installed, so no PDF can be made: apt-get install {LIBREOFFICE_PACKAGE}",
        )
    )


def _failed(said: str | Label) -> RenderError:
    """A failed conversion: LibreOffice's own words (the same in both languages), or docgen's."""
    if isinstance(said, str):
        text = said.strip()[-_ERROR_TAIL:] or "?"
        said = Label(text, text)
    return RenderError(
        detail=Label(f"LibreOffice 未能转换为 PDF：{said.zh}", f"LibreOffice could not convert to PDF: {said.en}")
    )


_NOT_A_PDF = Label("结果不是完整的 PDF 文件", "the result is not a whole PDF")


def is_whole_pdf(data: bytes) -> bool:
    """Whether ``data`` is a PDF written to its end: its header, and the cross-reference pointer and end
    marker a PDF closes with (a cut-off or garbled file has them neither at the end)."""
    tail = data[-1024:]
    return data.startswith(b"%PDF-") and b"startxref" in tail and tail.rstrip().endswith(b"%%EOF")


def _stopped(code: int | None) -> Label:
    return Label(f"LibreOffice 意外退出（退出码 {code}）", f"LibreOffice stopped (exit code {code})")


def _timed_out(seconds: float) -> RenderError:
    return RenderError(
        detail=Label(
            f"LibreOffice 转换超时（{seconds:g} 秒），已终止",
            f"LibreOffice took longer than {seconds:g} s and was stopped",
        )
    )


def _stop(process: subprocess.Popen[bytes] | None) -> None:
    """Kill a process and everything it started (it leads its own process group), and close its pipes."""
    if process is None:
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):  # its children too, though it has exited
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            stream.close()


_STOPPING = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM held back (and delivered after) while a cleanup runs, where the platform allows."""
    hold = getattr(signal, "pthread_sigmask", None)
    if hold is None:
        yield
        return
    before = hold(signal.SIG_BLOCK, _STOPPING)
    try:
        yield
    finally:
        hold(signal.SIG_SETMASK, before)


@dataclass
class _State:
    """What a converter holds outside itself, so that a finalizer can clean it up."""

    folder: Path | None = None
    worker: subprocess.Popen[bytes] | None = None
    buffer: bytes = b""
    children: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def close(self, *, graceful: bool = True) -> None:
        """Stop the worker (asked to quit first when ``graceful``: not after an interrupt) and LibreOffice, and
        remove the temporary folder.  A Ctrl-C or SIGTERM while it waits for the worker to quit, or a second
        one during the cleanup, waits until the cleanup is done: nothing is left running or behind."""
        interrupted = False
        worker = self.worker
        if graceful and worker is not None and worker.poll() is None:
            try:
                assert worker.stdin is not None
                worker.stdin.write(b'{"quit": true}\n')
                worker.stdin.close()
                worker.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                pass
            except KeyboardInterrupt:
                interrupted = True
        with _signals_held():
            self.worker = None
            _stop(worker)
            for child in self.children:
                _stop(child)
            self.children.clear()
            folder, self.folder = self.folder, None
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
        if interrupted:
            raise KeyboardInterrupt


class Converter:
    """One LibreOffice converting many .docx files to PDF; use it in a ``with`` block or call :meth:`close`."""

    def __init__(
        self,
        *,
        backend: Backend = "auto",
        timeout: float = DOCUMENT_TIMEOUT,
        start_timeout: float = START_TIMEOUT,
    ) -> None:
        self.timeout = timeout
        self.start_timeout = start_timeout
        self._requested = backend
        self._state = _State()
        self._count = 0
        self._finalizer = weakref.finalize(self, self._state.close)

    def __enter__(self) -> Converter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._state.close(graceful=kind is None or not issubclass(kind, KeyboardInterrupt))

    def close(self) -> None:
        """Stop LibreOffice and remove the converter's temporary files."""
        self._state.close()

    def abandon(self) -> None:
        """Kill LibreOffice without asking it to quit, and remove the temporary files: after an interrupt."""
        self._state.close(graceful=False)

    @property
    def backend(self) -> Literal["uno", "soffice"]:
        """How documents are converted: through one LibreOffice (``uno``) or one call each (``soffice``)."""
        program = self._program()
        if self._requested == "soffice":
            return "soffice"
        if uno_python(program) is None:
            if self._requested == "uno":
                raise RenderError(
                    detail=Label(
                        f"找不到 LibreOffice 的 Python 接口；请安装 Debian 软件包 {UNO_PACKAGE}",
                        f"LibreOffice's Python bridge is missing: apt-get install {UNO_PACKAGE}",
                    )
                )
            return "soffice"
        return "uno"

    def convert(self, docx: bytes, output: str | Path) -> None:
        """Convert .docx bytes to a PDF at ``output``, written atomically."""
        write_atomic(output, self.to_pdf(docx))

    def to_pdf(self, docx: bytes) -> bytes:
        """The PDF of .docx bytes."""
        folder = self._folder()
        self._count += 1
        source, target = folder / f"{self._count}.docx", folder / f"{self._count}.pdf"
        source.write_bytes(docx)
        try:
            if self.backend == "uno":
                self._through_worker(source, target)
            else:
                self._through_soffice(source, target)
            data = target.read_bytes() if target.exists() else b""
        finally:
            source.unlink(missing_ok=True)
            target.unlink(missing_ok=True)
        if not is_whole_pdf(data):
            raise _failed(_NOT_A_PDF)
        return data

    # --- the parts ---------------------------------------------------------------------

    def _program(self) -> str:
        program = soffice()
        if program is None:
            raise _missing()
        return program

    def _folder(self) -> Path:
        if self._state.folder is None:
            self._state.folder = Path(tempfile.mkdtemp(prefix="docgen-pdf-"))
        return self._state.folder

    def _environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env["FONTCONFIG_FILE"] = str(fonts_conf())
        env["HOME"] = str(self._folder())  # LibreOffice writes caches under HOME as well
        scratch = self._folder() / "tmp"  # and its lu*.tmp files in TMPDIR: inside the folder, they go with it
        scratch.mkdir(exist_ok=True)
        env["TMPDIR"] = env["TMP"] = env["TEMP"] = str(scratch)
        return env

    def _profile(self) -> str:
        return (self._folder() / "profile").as_uri()

    def _through_soffice(self, source: Path, target: Path) -> None:
        command = [
            self._program(),
            f"-env:UserInstallation={self._profile()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(target.parent),
            str(source),
        ]
        log = target.with_suffix(".log")
        with log.open("wb") as said:
            process = subprocess.Popen(
                command,
                env=self._environment(),
                stdin=subprocess.DEVNULL,
                stdout=said,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            self._state.children.append(process)
            try:
                process.wait(timeout=self.start_timeout + self.timeout)
            except subprocess.TimeoutExpired:
                _stop(process)
                raise _timed_out(self.start_timeout + self.timeout) from None
            finally:
                self._state.children.remove(process)
        words = log.read_bytes().decode("utf-8", "replace")
        log.unlink(missing_ok=True)
        if process.returncode != 0 or not target.exists():
            raise _failed(words or _stopped(process.returncode))

    def _worker(self) -> subprocess.Popen[bytes]:
        state = self._state
        if state.worker is not None and state.worker.poll() is None:
            return state.worker
        program = self._program()
        python = uno_python(program)
        assert python is not None
        script = Path(__file__).with_name("uno_worker.py")
        pipe = f"docgen-{os.getpid()}-{secrets.token_hex(6)}"
        state.buffer = b""
        state.worker = subprocess.Popen(
            [python, str(script), program, pipe, self._profile()],
            env=self._environment(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        answer = self._answer(state.worker, self.start_timeout)
        if not answer.get("ready"):
            _stop(state.worker)
            raise _failed(str(answer.get("error", "")))
        return state.worker

    def _through_worker(self, source: Path, target: Path) -> None:
        worker = self._worker()
        assert worker.stdin is not None
        request = json.dumps({"source": str(source), "target": str(target)}) + "\n"
        try:
            worker.stdin.write(request.encode("utf-8"))
            worker.stdin.flush()
        except OSError:
            _stop(worker)
            raise _failed(_stopped(worker.poll())) from None
        answer = self._answer(worker, self.timeout)
        if not answer.get("ok"):
            raise _failed(str(answer.get("error", "")))

    def _answer(self, worker: subprocess.Popen[bytes], timeout: float) -> dict[str, object]:
        """The worker's next line, or a RenderError once ``timeout`` passes or the worker dies (it is then killed)."""
        state = self._state
        stream: IO[bytes] | None = worker.stdout
        assert stream is not None
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as selector:
            selector.register(stream, selectors.EVENT_READ)
            while b"\n" not in state.buffer:
                left = deadline - time.monotonic()
                if left <= 0:
                    _stop(worker)
                    raise _timed_out(timeout)
                if not selector.select(left):
                    continue
                chunk = os.read(stream.fileno(), 65536)
                if not chunk:
                    _stop(worker)
                    raise _failed(_stopped(worker.poll()))
                state.buffer += chunk
        line, _, state.buffer = state.buffer.partition(b"\n")
        try:
            answer = json.loads(line)
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            _stop(worker)
            raise _failed(line.decode("utf-8", "replace"))
        return answer
