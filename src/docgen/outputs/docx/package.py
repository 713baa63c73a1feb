"""Writing a .docx (a zip archive) deterministically, compressing the parts that never change only once.

Python's zipfile compresses every entry it writes.  A template's styles,
settings, fonts table and footers are the same in every report, so a prepared
template keeps each of them as an :class:`Entry` compressed once, and
:func:`archive` writes them beside the parts rendered anew.  Every entry gets the same fixed time and attributes, so
equal parts give equal bytes.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

_EPOCH_TIME, _EPOCH_DATE = 0, (0 << 9) | (1 << 5) | 1  # 1980-01-01 00:00:00, the earliest a zip entry can hold
_VERSION = 20  # deflate needs zip 2.0
_UNIX = 3
_MODE = 0o100644 << 16  # a regular file, rw-r--r--
_UTF8 = 1 << 11


@dataclass(frozen=True)
class Entry:
    """One member of the archive, already compressed."""

    name: str
    crc: int
    size: int
    data: bytes  # raw deflate stream

    @classmethod
    def of(cls, name: str, blob: bytes, level: int = zlib.Z_DEFAULT_COMPRESSION) -> Entry:
        packer = zlib.compressobj(level, zlib.DEFLATED, -15)
        return cls(name, zlib.crc32(blob), len(blob), packer.compress(blob) + packer.flush())


def archive(entries: Iterable[Entry]) -> bytes:
    """A zip archive of ``entries`` in the order given."""
    out = io.BytesIO()
    directory: list[bytes] = []
    for entry in entries:
        name = entry.name.encode("utf-8")
        flags = 0 if entry.name.isascii() else _UTF8
        offset = out.tell()
        # the fields the local header and the central directory share: flags, method, time, date, crc, sizes, name
        shared = (
            flags,
            zipfile.ZIP_DEFLATED,
            _EPOCH_TIME,
            _EPOCH_DATE,
            entry.crc,
            len(entry.data),
            entry.size,
            len(name),
        )
        out.write(struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", _VERSION, 0, *shared, 0))
        out.write(name)
        out.write(entry.data)
        # central directory: made by unix, no extra field, no comment, disk 0, no internal attributes
        directory.append(
            struct.pack(
                "<4s4B4HL2L5H2L", b"PK\x01\x02", _VERSION, _UNIX, _VERSION, 0, *shared, 0, 0, 0, 0, _MODE, offset
            )
            + name
        )
    start = out.tell()
    for record in directory:
        out.write(record)
    size = out.tell() - start
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(directory), len(directory), size, start, 0))
    return out.getvalue()


def read_entries(data: bytes) -> list[tuple[str, bytes]]:
    """The members of an archive, in its order."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return [(info.filename, source.read(info)) for info in source.infolist()]


def deterministic(data: bytes) -> bytes:
    """The same archive with fixed timestamps and attributes, so equal content gives equal bytes."""
    return archive(Entry.of(name, blob) for name, blob in read_entries(data))
