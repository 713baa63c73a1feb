"""Opening a zip-based office file (.docx, .xlsx) without trusting what it says about itself."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from typing import IO

from ...errors import FileError, InputError
from ...issues import Issue, Location
from ...statute import Label

MAX_ENTRIES = 2000  # a report's .docx has about 20 parts, a workbook about 15
MAX_PART = 64 << 20  # bytes of one part, uncompressed
MAX_TOTAL = 256 << 20  # bytes of all parts, uncompressed
MAX_RATIO = 200  # how many times a large part may have been compressed; office XML reaches about 40
_XML_PARTS = (".xml", ".rels", ".vml")
# a DTD or entity declaration, in the encodings an XML part may use; Word, WPS and LibreOffice never write one
_DECLARATIONS = tuple(m.encode(e) for m in ("<!DOCTYPE", "<!ENTITY") for e in ("ascii", "utf-16-le", "utf-16-be"))
_OVERLAP = max(len(m) for m in _DECLARATIONS)


def refusal(name: str, detail: Label) -> InputError:
    """The one message for a file that cannot be read as what its name says."""
    return InputError(issues=[Issue(location=Location(name), path="", rule="syntax", detail=detail)])


def open_archive(path: Path | IO[bytes], name: str, *, needs: str, what: str) -> zipfile.ZipFile:
    """The zip at ``path``, holding the part ``needs``; one that is not a zip, is encrypted, or would
    unpack to an absurd size (a zip bomb) is refused before anything is unpacked.  ``what`` names the
    kind of file in the message (".docx")."""
    try:
        archive = zipfile.ZipFile(path)
    except OSError as exc:
        raise FileError.from_os(name, exc) from None
    except (zipfile.BadZipFile, ValueError) as exc:
        raise refusal(name, Label(f"不是可读的 {what} 文件（{exc}）", f"not a readable {what} file ({exc})")) from None
    infos = archive.infolist()
    total = sum(info.file_size for info in infos)
    bomb = len(infos) > MAX_ENTRIES or total > MAX_TOTAL
    for info in infos:
        big = info.file_size > 1 << 20 and info.file_size > MAX_RATIO * max(info.compress_size, 1)
        bomb = bomb or info.file_size > MAX_PART or big
        if info.flag_bits & 0x1:
            archive.close()
            raise refusal(name, Label(f"{what} 文件设了密码：请去掉密码后重试", f"the {what} file is encrypted"))
    if bomb:
        archive.close()
        raise refusal(
            name,
            Label(
                f"{what} 文件解压后过大（{len(infos)} 个部分，共 {total} 字节）：不像是一份报告，未读取",
                f"the {what} file would unpack to {len(infos)} parts, {total} bytes: not read",
            ),
        )
    if needs not in archive.namelist():
        archive.close()
        raise refusal(name, Label(f"不是 {what} 文件：缺少 {needs}", f"not a {what} file: it has no {needs}"))
    try:
        declaring = next((info.filename for info in infos if _declares(archive, info)), None)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
        archive.close()
        raise refusal(name, Label(f"不是可读的 {what} 文件（{exc}）", f"not a readable {what} file ({exc})")) from None
    if declaring is not None:
        archive.close()
        raise refusal(
            name,
            Label(
                f"{what} 文件的 {declaring} 声明了 DTD 或实体，办公软件不会这样做：未读取",
                f"{declaring} in the {what} file declares a DTD or entities, which office programs never do: not read",
            ),
        )
    return archive


def _declares(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether an XML part declares a DTD or entities (which could read files from the disk or expand to
    gigabytes); read as a stream, so every part is also checked to unpack (a corrupt stream raises)."""
    if not info.filename.lower().endswith(_XML_PARTS):
        return False
    with archive.open(info) as stream:
        tail = b""
        while chunk := stream.read(1 << 20):
            window = tail + chunk
            if any(marker in window for marker in _DECLARATIONS):
                return True
            tail = window[-_OVERLAP:]
    return False
