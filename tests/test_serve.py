"""docgen serve: the store, the API and the pages, through the ASGI app (Starlette's test client)."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import docgen
from docgen.cli import app as cli
from docgen.inputs import load_report, report_file
from docgen.outputs.jsonfile import report_json
from docgen.testing import document_texts

from .browser import Browser, needs_browser
from .conftest import ROOT
from .office import needs_libreoffice

pytest.importorskip("starlette", reason="docgen[serve] (Starlette) is not installed")
pytest.importorskip("httpx2", reason="the test client needs httpx2 (the test extra)")

from starlette.testclient import TestClient

from docgen.serve.app import MAX_BODY, make_app
from docgen.serve.store import FILE_NAME

COUNTY = ROOT / "examples" / "county"
ROSTER = COUNTY / "roster.txt"
REPORTS = {docgen.load(p).data["issuer"]: p for p in sorted(COUNTY.glob("[!_]*.toml"))}
COUNTY_ISSUER = "青山县人民政府"


def _links(folder: Path) -> dict[str, str]:
    rows = csv.DictReader(io.StringIO((folder / "links.csv").read_text(encoding="utf-8")))
    return {row["body"]: row["token"] for row in rows}


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str], Path]]:
    folder = tmp_path / "data"
    result = CliRunner().invoke(cli, ["serve", "init", str(folder), "--roster", str(ROSTER), "--year", "2024"])
    assert result.exit_code == 0, result.output
    with TestClient(make_app(folder)) as client:
        yield client, _links(folder), folder


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _data(name: str) -> dict[str, Any]:
    return dict(load_report(report_file(REPORTS[name])).data)


def _put(client: TestClient, token: str, data: dict[str, Any], version: int) -> Any:
    return client.put(
        "/api/report",
        content=report_json(data).encode("utf-8"),
        headers={**_bearer(token), "If-Match": f'"{version}"', "content-type": "application/json"},
    )


def test_init_makes_a_link_a_body_and_one_for_the_admin(served: tuple[TestClient, dict[str, str], Path]) -> None:
    _, links, folder = served
    assert next(iter(links)) == "admin" and len(links) == 14  # the roster's 13 bodies and the admin
    assert all(len(token) >= 32 for token in links.values())  # 192 bits
    assert folder.joinpath("links.csv").stat().st_mode & 0o777 == 0o600
    assert folder.joinpath(FILE_NAME).stat().st_mode & 0o777 == 0o600 and folder.stat().st_mode & 0o777 == 0o700
    stored = sqlite3.connect(folder / FILE_NAME).execute("SELECT token_hash FROM bodies").fetchall()
    assert not {row[0] for row in stored} & set(links.values())  # only digests are kept
    header = (folder / "links.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "body,token,url"


def test_a_wrong_token_or_anothers_gets_404_on_every_route(served: tuple[TestClient, dict[str, str], Path]) -> None:
    client, links, _ = served
    body, admin = links["白云乡人民政府"], links["admin"]
    wrong = "x" * 32
    for token in (wrong, admin):  # the admin's token is no body's
        for path in ("", "/report.docx", "/report.pdf"):
            assert client.get(f"/r/{token}{path}").status_code == 404
        for path in ("/save", "/check", "/restore"):
            assert client.post(f"/r/{token}{path}", data={"csrf": "x"}).status_code == 404
        assert client.get("/api/report", headers=_bearer(token)).status_code == 404
        assert client.get("/api/report.docx", headers=_bearer(token)).status_code == 404
        assert _put(client, token, _data("白云乡人民政府"), 1).status_code == 404
    for token in (wrong, body):  # a body's token is not the admin's
        for path in ("", "/reports.zip", "/roster.xlsx", "/review.html", "/rollup.toml?issuer=x"):
            assert client.get(f"/a/{token}{path}").status_code == 404
        assert client.get("/api/status", headers=_bearer(token)).status_code == 404
        assert client.get("/api/rollup?issuer=x", headers=_bearer(token)).status_code == 404
    answer = client.get(f"/r/{wrong}")
    assert answer.text == "Not Found" and client.get("/api/report").status_code == 404  # no hint, no token


def test_a_body_reaches_only_its_own_report(served: tuple[TestClient, dict[str, str], Path]) -> None:
    client, links, _ = served
    a, b = links["白云乡人民政府"], links["北坪乡人民政府"]
    assert _put(client, a, _data("白云乡人民政府"), 1).json()["ok"]
    sent = {**_data("白云乡人民政府"), "issuer": "北坪乡人民政府"}  # A claiming to be B
    assert _put(client, a, sent, 2).status_code == 200
    mine = client.get("/api/report", headers=_bearer(a)).json()
    theirs = client.get("/api/report", headers=_bearer(b)).json()
    assert mine["report"]["issuer"] == "白云乡人民政府" and mine["version"] == 3
    assert theirs["version"] == 1 and theirs["report"] == {"format": "2021", "year": 2024, "issuer": "北坪乡人民政府"}


def test_an_invalid_report_is_kept_as_a_draft_and_cannot_be_downloaded(
    served: tuple[TestClient, dict[str, str], Path],
) -> None:
    client, links, _ = served
    token = links["城关镇人民政府"]
    data = _data("城关镇人民政府")
    data["applications"]["received"]["total"] += 1  # 一 + 二 no longer equals 三 + 四
    answer = _put(client, token, data, 1)
    assert answer.status_code == 200 and answer.json()["ok"] is False and answer.json()["version"] == 2
    rules = {issue["rule"] for issue in answer.json()["issues"]}
    assert "C3" in rules or "C1" in rules
    issue = answer.json()["issues"][0]
    assert {"rule", "path", "row", "column", "expected", "found", "message", "field"} <= set(issue)
    refused = client.get("/api/report.docx", headers=_bearer(token))
    assert refused.status_code == 409 and refused.json()["issues"]
    assert client.get(f"/r/{token}/report.docx").status_code == 409
    kept = client.get("/api/report", headers=_bearer(token)).json()
    assert kept["report"]["applications"]["received"]["total"] == data["applications"]["received"]["total"]


def test_a_valid_report_downloads_as_docgen_renders_it(served: tuple[TestClient, dict[str, str], Path]) -> None:
    client, links, _ = served
    token = links["龙潭镇人民政府"]
    assert _put(client, token, _data("龙潭镇人民政府"), 1).json()["ok"]
    answer = client.get("/api/report.docx", headers=_bearer(token))
    assert answer.status_code == 200 and "attachment" in answer.headers["content-disposition"]
    expected = docgen.render(docgen.check(REPORTS["龙潭镇人民政府"]).require())
    assert document_texts(answer.content) == document_texts(expected)
    status = client.get("/api/status", headers=_bearer(links["admin"])).json()
    assert next(s for s in status if s["name"] == "龙潭镇人民政府")["state"] == "downloaded"


def test_two_saves_from_one_version_the_second_gets_a_conflict_with_both(
    served: tuple[TestClient, dict[str, str], Path],
) -> None:
    client, links, _ = served
    token = links["南塘镇人民政府"]
    first, second = _data("南塘镇人民政府"), _data("南塘镇人民政府")
    second["date"] = "2025-01-31"
    assert _put(client, token, first, 1).status_code == 200
    conflict = _put(client, token, second, 1)
    assert conflict.status_code == 409
    body = conflict.json()
    assert body["conflict"] and body["yours"]["date"] == "2025-01-31" and body["theirs"]["date"] == first["date"]
    assert _put(client, token, second, body["version"]).status_code == 200  # saved on purpose, over the latest
    missing = client.put("/api/report", content=b"{}", headers=_bearer(token))
    assert missing.status_code == 428  # no version said: no blind overwrite


def test_a_form_saved_over_a_newer_version_keeps_what_was_typed(
    served: tuple[TestClient, dict[str, str], Path],
) -> None:
    client, links, _ = served
    token = links["青石镇人民政府"]
    csrf = _csrf(client, token)
    assert _put(client, token, _data("青石镇人民政府"), 1).status_code == 200  # another browser saved
    answer = client.post(
        f"/r/{token}/save",
        data={"csrf": csrf, "base": "1", "cell:applications.received.natural_person": "777"},
        follow_redirects=False,
    )
    assert answer.status_code == 409 and 'value="777"' in answer.text and "第 2 版已由别处保存" in answer.text
    assert "一、本年新收政府信息公开申请数量 / 自然人：那一版“" in answer.text  # named as a person would, with both


def _csrf(client: TestClient, token: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', client.get(f"/r/{token}").text)
    assert found is not None
    return found.group(1)


def test_forms_need_their_page_s_csrf_value_and_the_same_site(served: tuple[TestClient, dict[str, str], Path]) -> None:
    client, links, _ = served
    token = links["桃源乡人民政府"]
    csrf = _csrf(client, token)
    plain = {"base": "1", "date": "2025-01-10"}
    assert client.post(f"/r/{token}/save", data=plain, follow_redirects=False).status_code == 403
    other = _csrf(client, links["西山镇人民政府"])  # another body's page's value
    assert client.post(f"/r/{token}/save", data={**plain, "csrf": other}, follow_redirects=False).status_code == 403
    cross = client.post(
        f"/r/{token}/save",
        data={**plain, "csrf": csrf},
        headers={"Sec-Fetch-Site": "cross-site"},
        follow_redirects=False,
    )
    assert cross.status_code == 403
    assert client.post(f"/r/{token}/save", data={**plain, "csrf": csrf}, follow_redirects=False).status_code == 303


def test_a_request_body_past_the_limit_is_refused_with_413(served: tuple[TestClient, dict[str, str], Path]) -> None:
    client, links, _ = served
    token = links["柳河镇人民政府"]
    big = b'{"overview": {"text": "' + b"x" * (MAX_BODY + 10) + b'"}}'
    answer = client.put("/api/report", content=big, headers={**_bearer(token), "If-Match": '"1"'})
    assert answer.status_code == 413
    form = client.post(f"/r/{token}/save", content=b"csrf=" + b"x" * (MAX_BODY + 10))
    assert form.status_code == 413
    assert client.get("/api/report", headers=_bearer(token)).json()["version"] == 1


def test_every_response_carries_the_security_headers(served: tuple[TestClient, dict[str, str], Path]) -> None:
    client, links, _ = served
    for answer in (client.get(f"/r/{links['白云乡人民政府']}"), client.get("/r/nope"), client.get("/api/status")):
        assert answer.headers["referrer-policy"] == "no-referrer"
        assert answer.headers["x-frame-options"] == "DENY"
        policy = answer.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy


def test_text_from_a_report_is_escaped_on_the_pages(served: tuple[TestClient, dict[str, str], Path]) -> None:
    client, links, _ = served
    token = links["东湖街道办事处"]
    data = _data("东湖街道办事处")
    data["problems"]["text"] = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    _put(client, token, data, 1)
    for page in (client.get(f"/r/{token}").text, client.get(f"/a/{links['admin']}").text):
        assert "<script>alert" not in page and "<img src=x" not in page
        assert re.findall(r"<script[^>]*>", page) in ([], ['<script src="/static/form.js" defer="defer">'])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get(f"/r/{token}").text


def test_the_roll_up_equals_docgen_rollup_over_the_same_reports(
    served: tuple[TestClient, dict[str, str], Path],
) -> None:
    client, links, _ = served
    for name in REPORTS:
        assert _put(client, links[name], _data(name), 1).json()["ok"], name
    answer = client.get(f"/api/rollup?issuer={COUNTY_ISSUER}", headers=_bearer(links["admin"]))
    assert answer.status_code == 200
    expected = docgen.rollup(list(REPORTS.values()), issuer=COUNTY_ISSUER)
    assert answer.json()["report"] == json.loads(report_json(expected.data))
    zipped = client.get(f"/a/{links['admin']}/reports.zip")
    assert zipped.status_code == 200 and zipped.content[:2] == b"PK"
    import zipfile

    assert len(zipfile.ZipFile(io.BytesIO(zipped.content)).namelist()) == len(REPORTS)


def test_the_admin_page_lists_every_body_and_filters_by_name(served: tuple[TestClient, dict[str, str], Path]) -> None:
    client, links, _ = served
    _put(client, links["西山镇人民政府"], _data("西山镇人民政府"), 1)
    page = client.get(f"/a/{links['admin']}").text
    assert page.count('<th scope="row">') == 13 and "已通过校验" in page and "未开始" in page
    only = client.get(f"/a/{links['admin']}?q=西山").text
    assert only.count('<th scope="row">') == 1


def test_the_admin_downloads_the_roster_workbook_and_the_review(
    served: tuple[TestClient, dict[str, str], Path],
) -> None:
    client, links, _ = served
    _put(client, links["西山镇人民政府"], _data("西山镇人民政府"), 1)
    roster = client.get(f"/a/{links['admin']}/roster.xlsx")
    assert roster.status_code == 200 and roster.content[:2] == b"PK"
    from openpyxl import load_workbook

    names = [cell.value for row in load_workbook(io.BytesIO(roster.content)).worksheets[0].iter_rows() for cell in row]
    assert "西山镇人民政府" in names and "白云乡人民政府" in names
    review = client.get(f"/a/{links['admin']}/review.html")
    assert review.status_code == 200 and "西山镇人民政府" in review.text and "未提交" in review.text
    assert "attachment" in review.headers["content-disposition"]  # its own script runs only once saved


def test_a_killed_server_loses_no_save_it_answered(tmp_path: Path) -> None:
    """Saves from a server in its own process, which is then killed (SIGKILL) mid-load: every save it
    answered is in the store, whole, and the store opens and serves again."""
    import http.client
    import os
    import signal
    import socket
    import subprocess
    import sys
    import threading
    import time
    import urllib.error
    import urllib.request

    folder = tmp_path / "data"
    args = ["serve", "init", str(folder), "--roster", str(ROSTER), "--year", "2024"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    links = _links(folder)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "docgen", "serve", str(folder), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    answered: dict[str, int] = {}

    def saving(name: str) -> None:
        version = 1
        payload = report_json(_data(name)).encode("utf-8")
        while True:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/api/report",
                data=payload,
                method="PUT",
                headers={**_bearer(links[name]), "If-Match": f'"{version}"'},
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as answer:
                    version = json.loads(answer.read())["version"]
                    answered[name] = version
            except (OSError, urllib.error.URLError, http.client.HTTPException):  # killed mid-answer: not answered
                if server.poll() is not None:
                    return
                time.sleep(0.05)

    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        workers = [threading.Thread(target=saving, args=(name,), daemon=True) for name in list(REPORTS)[:6]]
        for worker in workers:
            worker.start()
        while sum(answered.values()) < 60 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(server.pid, signal.SIGKILL)
    finally:
        server.wait(timeout=30)
    for worker in workers:
        worker.join(timeout=30)
    assert answered
    with TestClient(make_app(folder)) as client:
        for name, version in answered.items():
            kept = client.get("/api/report", headers=_bearer(links[name])).json()
            assert kept["version"] >= version and kept["ok"], name  # what was answered is there, whole
    integrity = sqlite3.connect(folder / FILE_NAME).execute("PRAGMA integrity_check").fetchone()
    assert integrity == ("ok",)


@needs_libreoffice
def test_a_valid_report_downloads_as_a_pdf(served: tuple[TestClient, dict[str, str], Path]) -> None:
    client, links, _ = served
    token = links["龙潭镇人民政府"]
    _put(client, token, _data("龙潭镇人民政府"), 1)
    answer = client.get(f"/r/{token}/report.pdf")
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF-")


def test_a_version_can_be_restored(served: tuple[TestClient, dict[str, str], Path]) -> None:
    client, links, _ = served
    token = links["白沙镇人民政府"]
    data = _data("白云乡人民政府")
    _put(client, token, data, 1)
    csrf = _csrf(client, token)
    answer = client.post(f"/r/{token}/restore", data={"csrf": csrf, "base": "2", "number": "1"}, follow_redirects=False)
    assert answer.status_code == 303
    restored = client.get("/api/report", headers=_bearer(token)).json()
    assert restored["version"] == 3
    assert restored["report"] == {"format": "2021", "year": 2024, "issuer": "白沙镇人民政府"}


def test_rotate_replaces_a_link_at_once(served: tuple[TestClient, dict[str, str], Path]) -> None:
    client, links, folder = served
    old = links["石桥乡人民政府"]
    result = CliRunner().invoke(cli, ["serve", "rotate", str(folder), "石桥乡人民政府"])
    assert result.exit_code == 0
    new = _links(folder)["石桥乡人民政府"]
    assert new != old and new in result.output
    assert client.get(f"/r/{old}").status_code == 404 and client.get(f"/r/{new}").status_code == 200
    assert CliRunner().invoke(cli, ["serve", "rotate", str(folder), "没有这个单位"]).exit_code == 3


def test_init_begins_each_report_from_last_year_s(tmp_path: Path) -> None:
    """二、上年结转 is last year's 四、结转下年度, and last year's texts are the starting point."""
    last = tmp_path / "2023"
    last.mkdir()
    for name, path in REPORTS.items():
        data = _data(name)
        data["year"] = 2023
        (last / f"{path.stem}.json").write_text(report_json(data), encoding="utf-8")
    folder = tmp_path / "data"
    args = ["serve", "init", str(folder), "--roster", str(ROSTER), "--year", "2024", "--previous", str(last)]
    assert CliRunner().invoke(cli, args).exit_code == 0
    with TestClient(make_app(folder)) as client:
        token = _links(folder)["柳河镇人民政府"]
        begun = client.get("/api/report", headers=_bearer(token)).json()["report"]
    then = docgen.check(REPORTS["柳河镇人民政府"]).require()
    carried = begun["applications"]["carried_in"]
    forward = {c: then.tables.value(("applications", "carried_forward", c)) for c in carried}
    assert begun["applications"]["carried_in"] == forward and forward
    assert begun["problems"]["text"] == _data("柳河镇人民政府")["problems"]["text"]
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 3 and "已存在" in again.output  # a store is never set up twice over


# --- in a real browser, against a real server ---------------------------------------------------------


def _type(page: Any, field: str, value: str) -> None:
    """Type into a field as a person does: the value, then the input event the page listens to."""
    page.evaluate(
        f"(() => {{ const f = document.getElementById({json.dumps('f-' + field)}); f.value = {json.dumps(value)};"
        " f.dispatchEvent(new Event('input', {bubbles: true})); })()"
    )


def _said_at(page: Any, field: str) -> str:
    return str(page.evaluate(f"document.getElementById({json.dumps('m-' + field)}).textContent"))


def _until(check: Any, what: str) -> None:
    import time

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    pytest.fail(f"the page did not show {what}")


def _get(url: str, token: str | None = None) -> bytes:
    import urllib.request

    request = urllib.request.Request(url, headers=_bearer(token) if token else {})
    with urllib.request.urlopen(request, timeout=60) as answer:
        data: bytes = answer.read()
        return data


@needs_browser
def test_a_clerk_fills_in_the_report_in_a_browser(browser: Browser, tmp_path: Path) -> None:
    """A body opens its link, types figures, sees the C3 message at the total it breaks, fixes it, writes the
    sections, saves; the Word file it downloads reads as docgen render of the same data; the admin's page
    shows the body as valid.  No message on the console (a Content-Security-Policy violation would be one)."""
    from docgen.serve.running import serving

    folder = tmp_path / "data"
    assert (
        CliRunner().invoke(cli, ["serve", "init", str(folder), "--roster", str(ROSTER), "--year", "2024"]).exit_code
        == 0
    )
    links = _links(folder)
    token = links["柳河镇人民政府"]
    with serving(folder) as base:
        page = browser.open(f"{base}/r/{token}")
        try:
            assert page.axe() == []
            _type(page, "cell:applications.received.natural_person", "5")
            _type(page, "cell:applications.received.total", "3")
            total = "cell:applications.received.total"
            _until(lambda: "[C3]" in _said_at(page, total), "the C3 message at 一、本年新收 / 总计")
            assert "应为 5" in _said_at(page, total) and "实为 3" in _said_at(page, total)
            assert page.evaluate(f"document.getElementById({json.dumps('f-' + total)}).getAttribute('aria-invalid')")
            _type(page, total, "5")
            _until(lambda: "[C3]" not in _said_at(page, total), "the C3 message gone once fixed")
            _type(page, "cell:applications.results.granted.natural_person", "5")
            for field, text in (
                ("date", "2025-01-20"),
                ("overview.text", "2024年，本镇认真贯彻《政府信息公开条例》。"),
                ("sections.0.heading", "主动公开"),
                ("sections.0.text", "全年主动公开政府信息。"),
                ("problems.text", "公开的及时性仍需提高。"),
                ("other_matters.text", "本年度未收取信息处理费。"),
            ):
                _type(page, field, text)
            page.navigate_by("document.querySelector('#report-form button[type=submit]').click()")
            heading = str(page.evaluate("document.querySelector('#issues h2').textContent"))
            listed = page.evaluate("Array.from(document.querySelectorAll('#issues li')).map(li => li.textContent)")
            assert heading.startswith(("校验通过", "有 0 处错误")), (heading, listed)
            assert page.console == []
        finally:
            page.close()
        admin = browser.open(f"{base}/a/{links['admin']}")
        try:
            row = admin.evaluate(
                "Array.from(document.querySelectorAll('tbody tr')).find(r => r.textContent.includes('柳河镇'))"
                ".textContent"
            )
            assert "已通过校验" in row and admin.console == []
            assert admin.axe() == []
        finally:
            admin.close()
        saved = json.loads(_get(f"{base}/api/report", token))
        downloaded = _get(f"{base}/r/{token}/report.docx")
    assert saved["version"] == 2 and saved["ok"]
    report = docgen.check(docgen.parse(json.dumps(saved["report"], ensure_ascii=False), "r.json")).require()
    assert document_texts(downloaded) == document_texts(docgen.render(report))
    assert report.tables.value(("applications", "received", "total")) == 5


def test_a_2019_report_with_a_fall_goes_through_the_form(tmp_path: Path) -> None:
    """本年增/减 of the 2019 format may be negative: typed as -3 it is a number, as the file has it."""
    from docgen.serve.forms import checked, fields, from_form

    data = dict(docgen.load(ROOT / "examples" / "hedong-district-2020.toml").data)
    typed = fields(data)
    assert any(value.startswith("-") for value in typed.values())
    back = from_form(typed, data)
    assert checked(back).ok
    assert docgen.check(docgen.parse(report_json(back), "b.json")).require().tables.cells == (
        docgen.check(ROOT / "examples" / "hedong-district-2020.toml").require().tables.cells
    )


def test_a_row_written_as_one_number_keeps_it_through_the_form() -> None:
    """jindian-2024 writes received = 0: the form shows 0 at its 总计 and gives the same tables back."""
    from docgen.serve.forms import fields, from_form

    data = dict(docgen.load(ROOT / "examples" / "jindian-2024.toml").data)
    typed = fields(data)
    assert typed["cell:applications.received.total"] == "0"
    again = docgen.check(docgen.parse(report_json(from_form(typed, data)), "b.json")).require()
    assert again.tables.cells == docgen.check(ROOT / "examples" / "jindian-2024.toml").require().tables.cells


def test_a_body_called_admin_is_refused_at_init(tmp_path: Path) -> None:
    roster = tmp_path / "roster.txt"
    roster.write_text("白云乡人民政府\nadmin\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["serve", "init", str(tmp_path / "d"), "--roster", str(roster), "--year", "2024"])
    assert result.exit_code == 3 and "admin" in result.output and not (tmp_path / "d" / FILE_NAME).exists()


def test_malformed_requests_get_4xx_never_500(served: tuple[TestClient, dict[str, str], Path]) -> None:
    client, links, _ = served
    token = links["白云乡人民政府"]
    csrf = _csrf(client, token)
    for form in (
        {"csrf": csrf, "base": "abc"},
        {"csrf": csrf, "base": "9" * 5000},
        {"csrf": "é", "base": "1"},
    ):
        assert client.post(f"/r/{token}/save", data=form, follow_redirects=False).status_code in (400, 403), form
    for form in ({"csrf": csrf, "base": "1", "number": "x"}, {"csrf": csrf, "base": "1", "number": "9" * 30}):
        assert client.post(f"/r/{token}/restore", data=form, follow_redirects=False).status_code == 404
    long_match = {**_bearer(token), "If-Match": '"' + "9" * 5000 + '"'}
    assert client.put("/api/report", content=b"{}", headers=long_match).status_code == 428
    for text in (b'{"overview": {"text": "\\ud800"}}', b'{"applications": {"received": {"natural_person": NaN}}}'):
        answer = client.put("/api/report", content=text, headers={**_bearer(token), "If-Match": '"1"'})
        assert answer.status_code == 400 and answer.json()["ok"] is False, text
    assert client.get("/api/report", headers=_bearer(token)).json()["version"] == 1
    assert client.get(f"/r/{token}/").status_code == 404  # no redirect carrying the token


def test_a_head_request_does_not_count_as_a_download(served: tuple[TestClient, dict[str, str], Path]) -> None:
    client, links, _ = served
    token = links["龙潭镇人民政府"]
    _put(client, token, _data("龙潭镇人民政府"), 1)
    assert client.head(f"/r/{token}/report.docx").status_code == 200
    status = client.get("/api/status", headers=_bearer(links["admin"])).json()
    assert next(s for s in status if s["name"] == "龙潭镇人民政府")["state"] == "valid"


def test_a_roll_up_of_some_bodies_says_which_are_left_out(served: tuple[TestClient, dict[str, str], Path]) -> None:
    client, links, _ = served
    for name in ("白云乡人民政府", "龙潭镇人民政府"):
        _put(client, links[name], _data(name), 1)
    answer = client.get(f"/api/rollup?issuer={COUNTY_ISSUER}", headers=_bearer(links["admin"])).json()
    assert answer["bodies"] == ["白云乡人民政府", "龙潭镇人民政府"] and len(answer["left_out"]) == 11


def test_every_version_is_a_link_away(served: tuple[TestClient, dict[str, str], Path]) -> None:
    """The page lists the latest 20 versions; past that, one link shows them all, each restorable."""
    client, links, _ = served
    token = links["北坪乡人民政府"]
    data = _data("白云乡人民政府")
    for version in range(1, 23):
        data["date"] = f"2025-01-{version:02d}"
        assert _put(client, token, data, version).status_code == 200
    page = client.get(f"/r/{token}").text
    assert page.count("恢复为第") == 19 and "显示全部 23 个版本" in page  # 20 shown, the current not restorable
    every = client.get(f"/r/{token}?history=all").text
    assert every.count("恢复为第") == 22 and "恢复为第 1 版" in every
