"""Screenshots of the portal page (`make pages`): the seed replica's page, with its 图解, as Chromium shows it
at 1280 px and at 375 px (a phone), into out/pages/, for a person to look at."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tests' Chromium driver

from tests.browser import Browser, chromium, file_url  # noqa: E402 -- after the path

import docgen  # noqa: E402
from docgen.outputs.charts import render_charts  # noqa: E402
from docgen.outputs.html import render_html  # noqa: E402

WIDTHS = (1280, 375)


def main() -> None:
    if chromium() is None:
        raise SystemExit("no headless browser: apt-get install chromium")
    out = ROOT / "out" / "pages"
    out.mkdir(parents=True, exist_ok=True)
    report = docgen.check(ROOT / "examples" / "jindian-2024.toml").require()
    page = out / "jindian-2024.html"
    render_html(report, charts=render_charts(report).pictures(), output=page)
    browser = Browser()
    try:
        for width in WIDTHS:
            view = browser.open(file_url(page), width=width)
            try:
                if view.console:
                    raise SystemExit(f"the page wrote to the console: {view.console}")
                shot = out / f"jindian-2024.html-{width}.png"
                view.screenshot(shot)
                print(f"wrote {shot}")
            finally:
                view.close()
    finally:
        browser.close()


if __name__ == "__main__":
    main()
