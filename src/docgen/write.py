"""Writing output files whole or not at all."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

from .errors import FileError


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path`` and move it into place.

    A reader never sees a half-written file, and a failure leaves whatever
    was at ``path`` before untouched and no temporary file behind.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise FileError(path=str(target), reason=exc.strerror or str(exc)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise FileError(path=str(target), reason=exc.strerror or str(exc)) from None
        raise


_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold


def deterministic_zip(data: bytes) -> bytes:
    """The same archive with fixed timestamps and attributes, so equal content gives equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    return zip_entries([(info.filename, source.read(info)) for info in source.infolist()])


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # unix, whatever system wrote it
    info.external_attr = 0o644 << 16
    return info


def zip_entries(entries: list[tuple[str, bytes]]) -> bytes:
    """An archive of ``entries`` in the order given, with fixed timestamps."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, blob in entries:
            target.writestr(_entry(name), blob)
    return out.getvalue()
