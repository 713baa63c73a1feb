"""Screenshots for a person to look at (`make pages`), as Chromium shows them at 1280 px and at 375 px (a
phone), into out/pages/: the seed replica's portal page with its 图解, and the web form of `docgen serve`
(a township's page, a figure that does not add up shown at its cell, and the admin's list)."""

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
        _shoot(browser, file_url(page), out / "jindian-2024.html")
        _form(browser, out)
    finally:
        browser.close()


def _form(browser: Browser, out: Path) -> None:
    """The example county's form: one township with a slip in table B, one valid, the admin's list."""
    import json
    import tempfile
    import urllib.request

    from docgen.inputs import load_report, report_file
    from docgen.outputs.jsonfile import report_json
    from docgen.serve.running import serving
    from docgen.serve.setup import init

    county = ROOT / "examples" / "county"
    with tempfile.TemporaryDirectory(prefix="docgen-pages-") as work:
        links = {link.body: link.token for link in init(Path(work) / "data", roster=county / "roster.txt", year=2024)}
        with serving(Path(work) / "data") as base:
            for name, stem, slip in (("柳河镇人民政府", "liuhe", True), ("龙潭镇人民政府", "longtan", False)):
                data = dict(load_report(report_file(county / f"{stem}.toml")).data)
                if slip:
                    data["applications"]["received"]["total"] += 1
                request = urllib.request.Request(
                    f"{base}/api/report",
                    data=report_json(data).encode("utf-8"),
                    method="PUT",
                    headers={"Authorization": f"Bearer {links[name]}", "If-Match": '"1"'},
                )
                with urllib.request.urlopen(request) as answer:
                    json.loads(answer.read())
            _shoot(browser, f"{base}/r/{links['柳河镇人民政府']}", out / "serve-form")
            _shoot(browser, f"{base}/a/{links['admin']}", out / "serve-admin")


def _shoot(browser: Browser, url: str, stem: Path) -> None:
    """The page at ``url`` at each width, as ``STEM-WIDTH.png``; a page that writes to its console fails."""
    for width in WIDTHS:
        view = browser.open(url, width=width)
        try:
            if view.console:
                raise SystemExit(f"{url} wrote to the console: {view.console}")
            shot = stem.with_name(f"{stem.name}-{width}.png")
            view.screenshot(shot)
            print(f"wrote {shot}")
        finally:
            view.close()


if __name__ == "__main__":
    main()
