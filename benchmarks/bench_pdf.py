"""PDFs of N documents through one converter against N separate ``soffice --convert-to`` calls, in one run.

The separate calls are what converting one document at a time costs: each
starts LibreOffice with a fresh profile (as ``docgen render --pdf`` did before
the converter).  docgen's converter starts LibreOffice once and sends it every
document; its fallback without LibreOffice's Python bridge (one call a
document, one shared profile) is measured too.  Every result is checked to be
a PDF.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import docgen
from docgen.outputs.fonts import fonts_conf
from docgen.outputs.pdf import Backend, Converter, soffice

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "qingshan-natural-resources-2024.toml"


def _separate_calls(documents: list[bytes]) -> list[bytes]:
    program = soffice()
    assert program is not None
    out = []
    for docx in documents:
        with tempfile.TemporaryDirectory(prefix="bench-pdf-") as work:
            folder = Path(work)
            (folder / "report.docx").write_bytes(docx)
            subprocess.run(
                [
                    program,
                    f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "pdf:writer_pdf_Export",
                    "--outdir",
                    str(folder),
                    str(folder / "report.docx"),
                ],
                env={"FONTCONFIG_FILE": str(fonts_conf()), "HOME": str(folder), "PATH": "/usr/bin:/bin"},
                capture_output=True,
                check=True,
            )
            out.append((folder / "report.pdf").read_bytes())
    return out


def _through(backend: Backend) -> Callable[[list[bytes]], list[bytes]]:
    def run(documents: list[bytes]) -> list[bytes]:
        with Converter(backend=backend) as converter:
            return [converter.to_pdf(docx) for docx in documents]

    return run


def _timed(run: Callable[[list[bytes]], list[bytes]], documents: list[bytes]) -> float:
    start = time.perf_counter()
    pdfs = run(documents)
    elapsed = time.perf_counter() - start
    assert len(pdfs) == len(documents) and all(p.startswith(b"%PDF-") for p in pdfs)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=20, help="documents")
    args = parser.parse_args()
    if soffice() is None:
        print("LibreOffice is not installed; nothing to measure (apt-get install libreoffice-writer-nogui)")
        return
    report = docgen.check(EXAMPLE).require()
    documents = [docgen.render(report)] * args.n
    with Converter() as probe:
        backend = probe.backend
    separate = _timed(_separate_calls, documents)
    one = _timed(_through(backend), documents)
    shared_profile = _timed(_through("soffice"), documents)
    rows = [
        (f"{args.n} separate soffice --convert-to calls", separate, ""),
        (f"one converter ({backend} backend)", one, ""),
        ("one profile, one soffice call a document", shared_profile, "  (the fallback without python3-uno)"),
    ]
    print(f"{args.n} documents ({EXAMPLE.name}) converted to PDF, in one run")
    for label, seconds, note in rows:
        print(f"{label:42}: {seconds:6.1f} s  ({seconds / args.n:.2f} s a document){note}")
    print(f"{'one converter against separate calls':42}: {separate / one:6.1f}x faster")


if __name__ == "__main__":
    main()
