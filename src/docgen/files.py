"""Writing output files whole or not at all, under names every file system accepts."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

from .errors import FileError

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


def write_atomic(path: str | Path, data: bytes, *, scratch: Path | None = None) -> None:
    """Write ``data`` to a temporary file and move it into place at ``path``.

    A reader never sees a half-written file, and a failure leaves whatever
    was at ``path`` before untouched and no temporary file behind.  The
    temporary file is made beside ``path``, or in ``scratch`` (a folder on the
    same file system that its owner clears, for writers that may be killed).
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".docgen-", suffix=".part", dir=scratch or target.parent)
    except OSError as exc:
        raise FileError.from_os(str(target), exc) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise FileError.from_os(str(target), exc) from None
        raise
