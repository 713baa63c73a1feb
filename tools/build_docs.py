"""Render the blank form's table B page to docs/form.png through LibreOffice (`make docs`), for the README."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from docgen.outputs.pdf import soffice
from docgen.outputs.workbook import form_workbook

DOCS = Path(__file__).resolve().parents[1] / "docs"


def main() -> None:
    program = soffice()
    if program is None:
        raise SystemExit("LibreOffice is not installed: apt-get install libreoffice-calc-nogui")
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        form = folder / "form.xlsx"
        form.write_bytes(form_workbook("2021"))
        profile = (folder / "profile").as_uri()
        subprocess.run(
            [
                program,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                work,
                str(form),
            ],
            check=True,
            capture_output=True,
        )
        pdf = folder / "form.pdf"
        pages = int(
            subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
            .stdout.split("Pages:")[1]
            .split()[0]
        )
        for page in range(1, pages + 1):
            text = subprocess.run(
                ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            if "三、收到和处理政府信息公开申请情况" in text:
                break
        else:
            raise SystemExit(f"no page of the form's PDF shows table B ({pages} pages): the form's layout changed")
        DOCS.mkdir(exist_ok=True)
        crop = ["-x", "70", "-y", "95", "-W", "900", "-H", "430"]  # the table's part of the landscape page
        page_args = ["-f", str(page), "-l", str(page), "-r", "110", *crop, "-png", "-singlefile"]
        subprocess.run(["pdftoppm", *page_args, str(pdf), str(DOCS / "form")], check=True)
        print(f"wrote {DOCS / 'form.png'} (page {page} of the blank form)")


if __name__ == "__main__":
    main()
