"""The official fonts of the layout, and the free stand-ins a PDF uses where they are missing."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

LATIN = "Times New Roman"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
BODY_FONT = "仿宋_GB2312"
TABLE_FONT = "宋体"
OFFICIAL_FONTS = (TITLE_FONT, HEADING_FONT, SUBHEADING_FONT, BODY_FONT, TABLE_FONT)


def fonts_conf() -> Path:
    """The fontconfig file used for conversion: the system's fonts plus docgen's stand-ins."""
    return Path(str(resources.files("docgen.outputs") / "fonts.conf"))


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
