"""PDF through LibreOffice, with free stand-ins for the official fonts where they are missing."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import RenderError
from .layout import OFFICIAL_FONTS
from .write import write_atomic

LIBREOFFICE_PACKAGE = "libreoffice-writer-nogui"
CONVERSION_TIMEOUT = 300  # seconds; a first start of LibreOffice builds its profile


def fonts_conf() -> Path:
    """The fontconfig file used for conversion: the system's fonts plus docgen's stand-ins."""
    return Path(str(resources.files("docgen") / "fonts.conf"))


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _environment(profile: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["FONTCONFIG_FILE"] = str(fonts_conf())
    env["HOME"] = str(profile)  # LibreOffice writes caches under HOME as well
    return env


def convert(docx: bytes, output: str | Path) -> None:
    """Convert .docx bytes to a PDF at ``output``, written atomically."""
    program = soffice()
    if program is None:
        raise RenderError(
            f"找不到 LibreOffice，无法生成 PDF；请安装 Debian 软件包 {LIBREOFFICE_PACKAGE}"
            f"（apt-get install {LIBREOFFICE_PACKAGE}） / LibreOffice is not installed: "
            f"apt-get install {LIBREOFFICE_PACKAGE}"
        )
    with tempfile.TemporaryDirectory(prefix="docgen-pdf-") as work:
        folder = Path(work)
        source = folder / "report.docx"
        source.write_bytes(docx)
        profile = folder / "profile"
        command = [
            program,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(folder),
            str(source),
        ]
        try:
            done = subprocess.run(
                command,
                env=_environment(profile),
                capture_output=True,
                timeout=CONVERSION_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise RenderError(f"LibreOffice 转换超时（{CONVERSION_TIMEOUT} 秒） / conversion timed out") from None
        produced = folder / "report.pdf"
        if done.returncode != 0 or not produced.exists():
            said = (done.stderr or done.stdout).decode("utf-8", "replace").strip()
            raise RenderError(f"LibreOffice 未能转换为 PDF / conversion failed: {said or done.returncode}")
        write_atomic(output, produced.read_bytes())


@dataclass(frozen=True)
class FontStatus:
    """An official font: whether it is installed, and what the conversion uses for it."""

    font: str
    installed: bool
    used: str


def font_status() -> list[FontStatus]:
    """Each official font of the layout and what stands in for it; empty without fontconfig."""
    fc_match, fc_list = shutil.which("fc-match"), shutil.which("fc-list")
    if fc_match is None or fc_list is None:
        return []
    env = dict(os.environ, FONTCONFIG_FILE=str(fonts_conf()))
    out = []
    for font in OFFICIAL_FONTS:
        listed = subprocess.run([fc_list, f":family={font}", "family"], env=env, capture_output=True, text=True)
        used = subprocess.run(
            [fc_match, "-f", "%{family[0]}", f"{font}:weight=regular"], env=env, capture_output=True, text=True
        )
        out.append(FontStatus(font, bool(listed.stdout.strip()), used.stdout.strip()))
    return out
