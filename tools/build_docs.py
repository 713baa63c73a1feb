"""The README's pictures (`make docs`): the blank form's table B through LibreOffice (docs/form.png), and the
图解 of the seed replica and of the example county's roll-up (docs/*.chart.png, needs docgen[charts])."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from docgen.outputs.pdf import soffice
from docgen.outputs.workbook import form_workbook

DOCS = Path(__file__).resolve().parents[1] / "docs"


ROOT = DOCS.parent
COUNTY_ISSUER = "青山县人民政府"


def charts() -> None:
    """The 图解 of the 金殿镇 replica and of the county's roll-up of its ten townships."""
    import datetime

    import docgen
    from docgen.outputs.charts import render_charts

    seed = docgen.check(ROOT / "examples" / "jindian-2024.toml").require()
    county = docgen.rollup([ROOT / "examples" / "county"], issuer=COUNTY_ISSUER, day=datetime.date(2025, 3, 20))
    rolled = docgen.check(docgen.parse(county.text(), "county-2024.toml")).require()
    DOCS.mkdir(exist_ok=True)
    for stem, report in (("jindian-2024", seed), ("county-2024", rolled)):
        path = DOCS / f"{stem}.chart.png"
        path.write_bytes(render_charts(report).poster.png)
        print(f"wrote {path}")


def main() -> None:
    charts()
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
