"""Reading published reports: a .docx, a web page or a PDF, into a report docgen checks and renders.

Each kind of file is read into paragraphs and tables (:mod:`.model`), and the
report is found in those by its headings and labels (:mod:`.reading`).
"""

from __future__ import annotations

from pathlib import Path

from ...files import read_head
from ...statute import Label
from ..source import Source
from .archive import refusal
from .model import Document
from .reading import read_report

DOCUMENT_SUFFIXES = (".docx", ".html", ".htm", ".pdf")
_ZIP, _PDF, _OLE = b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0"


def read_document(path: str | Path, *, display: str | None = None) -> Document:
    """The paragraphs and tables of a .docx, web page or PDF, told by what the file is, not only its name."""
    path = Path(path)
    name = display if display is not None else str(path)
    head = read_head(path, name, 1024)
    suffix = path.suffix.lower()
    if head.startswith(_OLE):
        raise refusal(
            name,
            Label(
                "这是旧的 .doc 文件或设了密码的文件：请用 WPS 或 Word 另存为 .docx 后重试",
                "an old .doc or a password-protected file: save it as .docx and try again",
            ),
        )
    if head.startswith(_ZIP):
        from .docx import read_docx

        return read_docx(path, name)
    if head.lstrip().startswith(_PDF) or head.startswith(_PDF):
        from .pdf import read_pdf

        return read_pdf(path, name)
    if suffix in (".docx", ".pdf"):
        raise refusal(
            name,
            Label(
                f"文件名是 {suffix}，内容却不是：请确认文件没有损坏",
                f"named {suffix} but it is not one: the file may be damaged",
            ),
        )
    from .html import read_html

    return read_html(path, name)


def extract(path: str | Path, *, display: str | None = None) -> Source:
    """The report a published document holds, every figure placed at its table cell; what reading it
    assumed is in the source's issues as warnings (rule ``extract``)."""
    return read_report(read_document(path, display=display))


__all__ = ["DOCUMENT_SUFFIXES", "Document", "extract", "read_document"]
