"""Writing output files whole or not at all, under names every file system accepts."""

from __future__ import annotations

import os
import re
import stat
import tempfile
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from .errors import FileError
from .statute import Label

# a name's bytes at the most: 255 is the limit of ext4, NTFS and APFS; this leaves room for a suffix
MAX_NAME_BYTES = 200
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')  # separators, and what Windows forbids in a name
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_name(text: str, *, fallback: str = "report") -> str:
    """``text`` as a file name on any system: no separators, no ``..``, no name Windows reserves, not empty.

    Forbidden characters become ``_``; leading dots (hidden files, ``..``) and
    trailing dots and spaces (dropped by Windows) go; a name longer than
    :data:`MAX_NAME_BYTES` in UTF-8 is cut at a character.
    """
    name = _UNSAFE.sub("_", unicodedata.normalize("NFC", text)).strip().strip(".").strip()
    encoded = name.encode("utf-8")[:MAX_NAME_BYTES]
    name = encoded.decode("utf-8", "ignore").rstrip(". ")
    if not name:
        return fallback
    if name.split(".")[0].upper() in _RESERVED:
        return "_" + name
    return name


def same_file_key(name: str) -> str:
    """Names that a case-insensitive or normalising file system (Windows, macOS) takes for one file give one key."""
    return unicodedata.normalize("NFC", name).casefold()


def output_problem(path: str | Path, reads: Iterable[str | Path | None] = ()) -> Label | None:
    """Why a command may not write ``path``: no file name, a folder, a link or a device (replacing it would
    break what it stands for), or a file the same command reads (it would be lost).  None when it may."""
    text = str(path)
    target = Path(path)
    if not text.strip() or text.endswith(("/", os.sep)) or target.name in ("", ".", ".."):
        return Label("不是文件名", "not a file name")
    if "\0" in text:
        return _NUL
    try:
        info = target.lstat()
    except OSError:  # not there (or not reachable: writing it will say why)
        info = None
    if info is not None and stat.S_ISDIR(info.st_mode):
        return Label("是文件夹", "a folder")
    if info is not None and stat.S_ISLNK(info.st_mode):
        return Label("是符号链接：不替换它，也不写入它指向的文件", "a symbolic link: neither replaced nor followed")
    if info is not None and not stat.S_ISREG(info.st_mode):
        return Label("不是普通文件（设备、管道或套接字）：不替换它", "not a regular file (a device, pipe or socket)")
    for read in reads:
        if read is not None and _same(target, Path(read)):
            return Label(f"是本命令要读取的文件 {read}：写入会毁掉它", f"it is {read}, which this command reads")
    return None


_NUL = Label("文件名含空字符（\\0）", "the file name holds a NUL character")


def require_regular(path: Path, name: str) -> None:
    """Refuse an input that is not a regular file before opening it: opening a FIFO waits for a writer that
    may never come, and a device (/dev/zero) never ends."""
    if "\0" in str(path):
        raise FileError(path=name.replace("\0", "\\0"), reason=_NUL)
    try:
        info = path.stat()
    except OSError as exc:
        raise FileError.from_os(name, exc) from None
    if stat.S_ISDIR(info.st_mode):
        raise FileError(path=name, reason=Label("这是一个目录", "is a directory"))
    if not stat.S_ISREG(info.st_mode):
        raise FileError(path=name, reason=Label("不是普通文件（设备或管道）", "not a regular file"))


def read_head(path: Path, name: str, size: int) -> bytes:
    """At most ``size`` bytes from the start of the regular file at ``path``; a device or pipe is refused first."""
    require_regular(path, name)
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError as exc:
        raise FileError.from_os(name, exc) from None


def read_limited(path: Path, name: str, limit: int, what: Label) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them: a device (/dev/zero), a pipe or a
    file larger than any ``what`` (a report, a template) is refused with one message, not read whole."""
    raw = read_head(path, name, limit + 1)
    if len(raw) > limit:
        raise FileError(
            path=name,
            reason=Label(f"文件超过 {limit >> 20} MB，不像是{what.zh}", f"larger than {limit >> 20} MB: not {what.en}"),
        )
    return raw


def _same(a: Path, b: Path) -> bool:
    try:
        return (a.exists() and b.exists() and os.path.samefile(a, b)) or a.resolve() == b.resolve()
    except OSError:
        return False


def write_atomic(path: str | Path, data: bytes, *, scratch: Path | None = None) -> None:
    """Write ``data`` to a temporary file and move it into place at ``path``.

    A reader never sees a half-written file, and a failure leaves whatever
    was at ``path`` before untouched and no temporary file behind; a link,
    device or folder at ``path`` is refused, not replaced.  The
    temporary file is made beside ``path``, or in ``scratch`` (a folder on the
    same file system that its owner clears, for writers that may be killed).
    """
    target = Path(path)
    problem = output_problem(target)
    if problem is not None:
        raise FileError(path=str(target).replace("\0", "\\0"), reason=problem)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".docgen-", suffix=".part", dir=scratch or target.parent)
    except OSError as exc:
        raise FileError.from_os(str(target), exc) from None
    try:
        mode = stat.S_IMODE(target.stat().st_mode)  # a file replaced keeps who may read it
    except OSError:
        mode = 0o644
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise FileError.from_os(str(target), exc) from None
        raise
