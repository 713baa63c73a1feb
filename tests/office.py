"""LibreOffice as the tests' reader of our files: ``soffice --convert-to`` with a profile of the test's own."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from docgen.outputs.pdf import soffice

needs_libreoffice = pytest.mark.skipif(
    soffice() is None, reason="LibreOffice (soffice) is not installed; .ci/run installs libreoffice-writer-nogui"
)


def convert(files: list[Path], to: str, outdir: Path, profile: Path, *, timeout: float = 300) -> list[Path]:
    """``files`` opened by LibreOffice and saved into ``outdir`` with the filter ``to`` ("xlsx", "html",
    "csv:Text - txt - csv (StarCalc):44,34,76"...); the files written, in order.  A test module passes one
    ``profile`` folder for all its conversions, so LibreOffice sets it up once."""
    program = soffice()
    assert program is not None, "LibreOffice is not installed: the test should have been skipped"
    subprocess.run(
        [
            program,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(outdir),
        ]
        + [str(path) for path in files],
        capture_output=True,
        check=True,
        timeout=timeout,
    )
    suffix = "." + to.split(":", 1)[0]
    return [outdir / (path.stem + suffix) for path in files]
