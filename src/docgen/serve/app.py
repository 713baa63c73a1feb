"""The county's web form as an ASGI app (Starlette): each body's page and API, the admin's page and API.

A secret token in the path (``/r/TOKEN``, ``/a/TOKEN``) or in the
``Authorization: Bearer TOKEN`` header of an API call is the only key: it
reaches one body's report, or the admin's list.  An unknown token, or a
body's token on another route, gets the same bare 404.  Forms carry a value
only a page served for that link holds (CSRF); a cross-site request is
refused.  Every response says ``no-referrer`` (a secret link never leaks to
another site), forbids framing, and allows scripts and styles from this
server only, none inline.  A request body over :data:`MAX_BODY` gets 413.
"""

from __future__ import annotations

import contextlib
import functools
import hmac
import io
import json
import math
import tempfile
import threading
import urllib.parse
import zipfile
from collections.abc import AsyncIterator, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import DocgenError
from ..files import safe_name
from ..inputs import parse
from ..issues import Issue
from ..result import Result
from . import pages
from .forms import checked, field_label, field_name, field_of, fields, from_form
from .store import STATES, Body, Conflict, State, Store, Version, dumps, state_of

MAX_BODY = 1 << 20  # bytes of a request: a report with long texts is some 50 KB
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "cache-control": "no-store",
}
WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _TooLargeError(Exception):
    pass


class _Guard:
    """Security headers on every response, and 413 for a body past MAX_BODY (by its length, or as it streams)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_guarded(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        headers = dict(scope.get("headers", []))
        length = headers.get(b"content-length", b"0")
        if length.isdigit() and int(length) > MAX_BODY:
            await _plain(413, "Request Entity Too Large")(scope, receive, send_guarded)
            return
        await self.app(scope, receive, send_guarded)


def _plain(status: int, text: str) -> Response:
    return PlainTextResponse(text, status_code=status)


NOT_FOUND = 404


def _not_found() -> Response:
    """The one answer to a token that is not this route's: nothing says whether the token exists."""
    return _plain(NOT_FOUND, "Not Found")


async def _body(request: Request) -> bytes:
    """The request's body, at most MAX_BODY bytes (a longer one raises, answered with 413)."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise _TooLargeError
        chunks.append(chunk)
    return b"".join(chunks)


def _issue_dict(issue: Issue, names: set[str]) -> dict[str, Any]:
    return {**issue.as_dict("zh"), "field": field_of(issue, names)}


class Server:
    """What the routes share: the store, and one LibreOffice for PDFs (started on the first)."""

    def __init__(self, folder: str | Path) -> None:
        self.store = Store(folder)
        self._converter: Any = None
        self._pdf_lock = threading.Lock()

    # --- the parts every route uses -------------------------------------------------------------

    def fixed(self, body: Body) -> dict[str, Any]:
        """What a body's report must say whatever is typed: its format, its year, its name."""
        return {"format": self.store.setting("format"), "year": int(self.store.setting("year")), "issuer": body.name}

    def check(self, data: Mapping[str, Any], body: Body) -> Result:
        return checked(data, f"{body.name}.json")

    def save(self, body: Body, data: dict[str, Any], base: int, by: str) -> tuple[Version | Conflict, Result]:
        result = self.check(data, body)
        saved = self.store.save(
            body, dumps(data), base=base, by=by, errors=len(result.errors), warnings=len(result.warnings)
        )
        return saved, result

    def docx(self, body: Body, version: Version) -> bytes | None:
        """The Word file of a body's saved version, or None when it has errors."""
        from ..outputs.docx.template import render

        result = self.check(version.report(), body)
        return render(result.report) if result.report is not None else None

    def pdf(self, docx: bytes) -> bytes:
        from ..outputs.pdf import Converter

        with self._pdf_lock:
            if self._converter is None:
                self._converter = Converter()
            data: bytes = self._converter.to_pdf(docx)
            return data

    def can_pdf(self) -> bool:
        from ..outputs.pdf import soffice

        return soffice() is not None

    def close(self) -> None:
        if self._converter is not None:
            self._converter.close()


def _download(data: bytes, filename: str, media: str) -> Response:
    quoted = urllib.parse.quote(filename)
    disposition = f"attachment; filename=\"{'report' + Path(filename).suffix}\"; filename*=UTF-8''{quoted}"
    return Response(data, media_type=media, headers={"content-disposition": disposition})


# --- a body's page ------------------------------------------------------------------------------------


def _number(text: str) -> int | None:
    """A version number as a form or a header gives it: digits only, and not absurdly many."""
    plain = text.strip().strip('"')
    return int(plain) if plain.isascii() and plain.isdigit() and len(plain) <= 9 else None


def _form(raw: bytes) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))


def _refused(status: int, text: str) -> Response:
    return HTMLResponse(pages.message_page("未保存", text), status_code=status)


def _same_site(request: Request) -> bool:
    """Whether a form was sent by a page of this server (browsers say where a request comes from); behind a
    reverse proxy the host the browser saw may come as X-Forwarded-Host."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return True
    hosts = {request.headers.get("host"), request.headers.get("x-forwarded-host")} - {None}
    return urllib.parse.urlsplit(origin).netloc in hosts


def _page(
    server: Server,
    token: str,
    body: Body,
    version: Version,
    data: Mapping[str, Any],
    *,
    values: Mapping[str, str] | None = None,
    notice: str | None = None,
    every_version: bool = False,
) -> str:
    result = server.check(data, body)
    shown = dict(values) if values is not None else fields(data)
    names = set(shown)
    placed: dict[str, list[Issue]] = {}
    for issue in result.issues:
        field = field_of(issue, names)
        if field is not None:
            placed.setdefault(field, []).append(issue)
    return pages.body_page(
        token=token,
        csrf=server.store.csrf(token),
        body=body,
        version=version,
        data=data,
        values=shown,
        issues=result.issues,
        placed=placed,
        history=server.store.history(body, limit=None if every_version else 20),
        notice=notice,
        can_pdf=server.can_pdf(),
    )


def _routes(server: Server) -> list[Route]:
    store = server.store

    def body_of(request: Request) -> Body | None:
        return store.body_of(request.path_params["token"])

    async def page(request: Request) -> Response:
        body = await run_in_threadpool(body_of, request)
        if body is None:
            return _not_found()
        version = await run_in_threadpool(store.latest, body)
        every = request.query_params.get("history") == "all"
        token = request.path_params["token"]
        html = await run_in_threadpool(
            functools.partial(_page, server, token, body, version, version.report(), every_version=every)
        )
        return HTMLResponse(html)

    async def posted(request: Request) -> tuple[Body, dict[str, str]] | Response:
        body = await run_in_threadpool(body_of, request)
        if body is None:
            return _not_found()
        try:
            form = _form(await _body(request))
        except _TooLargeError:
            return _refused(413, "提交的内容过大（超过 1 MB），未保存。")
        expected = store.csrf(request.path_params["token"]).encode()
        if not _same_site(request) or not hmac.compare_digest(form.get("csrf", "").encode("utf-8"), expected):
            return _refused(403, "表单不是从本单位的页面提交的，未保存：请刷新页面后再试。")
        return body, form

    async def save(request: Request) -> Response:
        got = await posted(request)
        if isinstance(got, Response):
            return got
        body, form = got
        token = request.path_params["token"]
        data = from_form(form, server.fixed(body))
        base = _number(form.get("base", ""))
        if base is None:
            return _refused(400, "表单缺少版本号，未保存：请刷新页面后再试。")
        saved, _ = await run_in_threadpool(server.save, body, data, base, _who(request))
        if isinstance(saved, Conflict):
            theirs = fields(saved.current.report())
            differ = [n for n, v in theirs.items() if form.get(n, "").strip() != v.strip()]
            differ.sort(key=lambda n: not form.get(n, "").strip())  # what this browser typed first
            fmt = str(data.get("format", "2021"))
            shown = "；".join(
                f"{field_label(n, fmt)}：那一版“{_clip(theirs[n])}”，你填写“{_clip(form.get(n, ''))}”"
                for n in differ[:8]
            )
            notice = (
                f"没有保存：在你打开本页之后，第 {saved.current.number} 版已由别处保存（{saved.current.saved_at}）。"
                f"下面仍是你填写的内容；与那一版不同的有 {len(differ)} 处：{shown}{'……' if len(differ) > 8 else ''}。"
                "核对后再次保存，将以你的内容为新的一版；那一版仍保留在历史版本中。"
            )
            html = await run_in_threadpool(_page, server, token, body, saved.current, data, values=form, notice=notice)
            return HTMLResponse(html, status_code=409)
        return RedirectResponse(f"/r/{token}#issues", status_code=303)

    async def check(request: Request) -> Response:
        got = await posted(request)
        if isinstance(got, Response):
            return got
        body, form = got
        data = from_form(form, server.fixed(body))
        result = await run_in_threadpool(server.check, data, body)
        from ..model import tabulate

        cells = tabulate(data).cells
        computed = {field_name(path): cell.text for path, cell in cells.items() if cell.state == "computed"}
        names = set(form)
        return JSONResponse(
            {"ok": result.ok, "issues": [_issue_dict(i, names) for i in result.issues], "computed": computed}
        )

    async def restore(request: Request) -> Response:
        got = await posted(request)
        if isinstance(got, Response):
            return got
        body, form = got
        number, base = _number(form.get("number", "")), _number(form.get("base", ""))
        old = await run_in_threadpool(store.version, body, number) if number is not None else None
        if old is None or base is None:
            return _not_found()
        by = f"{_who(request)}（恢复第 {old.number} 版）"
        saved, _ = await run_in_threadpool(server.save, body, old.report(), base, by)
        if isinstance(saved, Conflict):
            return HTMLResponse(pages.message_page("没有恢复", "本页打开后报告已有新的版本，请刷新后再试。"), 409)
        return RedirectResponse(f"/r/{request.path_params['token']}", status_code=303)

    async def word(request: Request) -> Response:
        body = await run_in_threadpool(body_of, request)
        if body is None:
            return _not_found()
        pdf = request.url.path.endswith(".pdf")
        return await _word(server, body, pdf=pdf, page=True, counts=request.method == "GET")

    return [
        Route("/r/{token}", page, methods=["GET"]),
        Route("/r/{token}/save", save, methods=["POST"]),
        Route("/r/{token}/check", check, methods=["POST"]),
        Route("/r/{token}/restore", restore, methods=["POST"]),
        Route("/r/{token}/report.docx", word, methods=["GET"]),
        Route("/r/{token}/report.pdf", word, methods=["GET"]),
    ]


def _clip(text: str) -> str:
    return text if len(text) <= 20 else text[:20] + "…"


def _who(request: Request) -> str:
    client = request.client.host if request.client is not None else "?"
    return f"本单位（{client}）"


async def _word(server: Server, body: Body, *, pdf: bool, page: bool, counts: bool = True) -> Response:
    """The Word file (or PDF) of a body's latest version, marked as downloaded when ``counts`` (not a HEAD)."""
    version = await run_in_threadpool(server.store.latest, body)
    data = await run_in_threadpool(server.docx, body, version) if version.number > 1 else None
    if data is None:
        if page:
            text = "报告还有错误（或尚未保存），校验通过后才能下载。"
            return HTMLResponse(pages.message_page("不能下载", text), status_code=409)
        result = await run_in_threadpool(server.check, version.report(), body)
        names = set(fields(version.report()))
        return JSONResponse({"ok": False, "issues": [_issue_dict(i, names) for i in result.issues]}, 409)
    year = server.store.setting("year")
    if pdf:
        if not server.can_pdf():
            return _plain(503, "LibreOffice is not installed on the server: no PDF")
        try:
            converted = await run_in_threadpool(server.pdf, data)
        except DocgenError as exc:
            return _plain(500, exc.message("zh"))
        if counts:
            await run_in_threadpool(server.store.downloaded, body, version.number)
        return _download(converted, safe_name(f"{body.name}-{year}") + ".pdf", "application/pdf")
    if counts:
        await run_in_threadpool(server.store.downloaded, body, version.number)
    return _download(data, safe_name(f"{body.name}-{year}") + ".docx", WORD)


# --- the API ----------------------------------------------------------------------------------------


def _versioned(answer: dict[str, Any], version: int, issues: Sequence[Issue], names: set[str]) -> Response:
    """A report's answer with its version, as a field and as the ETag a PUT gives back in If-Match."""
    text = json.dumps(
        {**answer, "version": version, "issues": [_issue_dict(i, names) for i in issues]}, ensure_ascii=False
    )
    return Response(text, media_type="application/json", headers={"etag": f'"{version}"'})


def _bearer(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _api_routes(server: Server) -> list[Route]:
    store = server.store

    def body_of(request: Request) -> Body | None:
        token = _bearer(request)
        return store.body_of(token) if token else None

    def admin(request: Request) -> bool:
        token = _bearer(request)
        return bool(token) and store.is_admin(token)

    async def get_report(request: Request) -> Response:
        body = await run_in_threadpool(body_of, request)
        if body is None:
            return _not_found()
        version = await run_in_threadpool(store.latest, body)
        data = version.report()
        result = await run_in_threadpool(server.check, data, body)
        names = set(fields(data))
        state: State = state_of(body, version)
        found = {"report": json.loads(version.data), "state": state, "ok": result.ok}
        return _versioned(found, version.number, result.issues, names)

    async def put_report(request: Request) -> Response:
        body = await run_in_threadpool(body_of, request)
        if body is None:
            return _not_found()
        match = _number(request.headers.get("if-match", ""))
        if match is None:
            return JSONResponse({"error": "If-Match with the version read (its ETag) is required"}, 428)
        try:
            raw = await _body(request)
        except _TooLargeError:
            return _plain(413, "Request Entity Too Large")
        try:
            sent = parse(raw.decode("utf-8", "replace"), "report.json").data
        except DocgenError as exc:
            return JSONResponse({"ok": False, "error": exc.message("zh")}, 400)
        data = {**sent, **server.fixed(body)}
        data.pop("$schema", None)
        unsaved = _unstorable(data)
        if unsaved is not None:
            return JSONResponse({"ok": False, "error": unsaved}, 400)
        saved, result = await run_in_threadpool(server.save, body, data, match, "API")
        if isinstance(saved, Conflict):
            return JSONResponse(
                {
                    "conflict": True,
                    "version": saved.current.number,
                    "yours": json.loads(dumps(data)),
                    "theirs": json.loads(saved.current.data),
                },
                409,
            )
        return _versioned({"ok": result.ok}, saved.number, result.issues, set(fields(data)))

    async def get_docx(request: Request) -> Response:
        body = await run_in_threadpool(body_of, request)
        if body is None:
            return _not_found()
        return await _word(server, body, pdf=False, page=False, counts=request.method == "GET")

    async def status(request: Request) -> Response:
        if not await run_in_threadpool(admin, request):
            return _not_found()
        rows = await run_in_threadpool(store.bodies)
        return JSONResponse(
            [
                {
                    "name": body.name,
                    "id": body.roster_id,
                    "state": state_of(body, version),
                    "errors": version.errors,
                    "warnings": version.warnings,
                    "version": version.number,
                    "updated": version.saved_at if version.number > 1 else None,
                }
                for body, version in rows
            ]
        )

    async def rollup(request: Request) -> Response:
        if not await run_in_threadpool(admin, request):
            return _not_found()
        issuer = request.query_params.get("issuer", "").strip()
        made = await run_in_threadpool(_rollup, server, issuer)
        if isinstance(made, Response):
            return made
        added = set(made.sources)
        listed = [body.name for body, _ in await run_in_threadpool(store.bodies)]
        included = [name for name in listed if any(Path(s).stem == safe_name(name) for s in added)]
        answer = {
            "report": json.loads(dumps(made.data)),
            "bodies": included,
            "left_out": [name for name in listed if name not in included],  # not yet valid
        }
        return Response(json.dumps(answer, ensure_ascii=False), media_type="application/json")

    return [
        Route("/api/report", get_report, methods=["GET"]),
        Route("/api/report", put_report, methods=["PUT"]),
        Route("/api/report.docx", get_docx, methods=["GET"]),
        Route("/api/status", status, methods=["GET"]),
        Route("/api/rollup", rollup, methods=["GET"]),
    ]


def _unstorable(data: Any) -> str | None:
    """Why a report sent to the API cannot be kept as JSON: a number that is no number (NaN, Infinity), or a
    text with a lone surrogate (which no UTF-8 file can hold)."""
    if isinstance(data, float) and not math.isfinite(data):
        return f"数字无效：{data}（不是有限的数）"
    if isinstance(data, str):
        try:
            data.encode("utf-8")
        except UnicodeEncodeError:
            return "文本中有孤立的代理字符（如 \\ud800），无法保存"
        return None
    items = data.values() if isinstance(data, dict) else data if isinstance(data, list) else ()
    return next((why for item in items if (why := _unstorable(item)) is not None), None)


def _report_files(store: Store, folder: Path, *, valid_only: bool) -> list[Path]:
    """The latest saved version of every body (with no error, when ``valid_only``), written as report files
    into ``folder``, each named by its body, as a roll-up or a review lists them."""
    written = []
    for body, version in store.bodies():
        if version.number > 1 and not (valid_only and version.errors):
            path = folder / f"{safe_name(body.name)}.json"
            path.write_text(version.data, encoding="utf-8")
            written.append(path)
    return written


def _rollup(server: Server, issuer: str) -> Any:
    from ..rollups import rollup

    if not issuer:
        return JSONResponse({"error": "issuer: the body whose report the sum is, e.g. ?issuer=青山县人民政府"}, 400)
    with tempfile.TemporaryDirectory(prefix="docgen-serve-") as work:
        files = _report_files(server.store, Path(work), valid_only=True)
        if not files:
            return JSONResponse({"error": "no report is valid yet"}, 409)
        try:
            return rollup(files, issuer=issuer)
        except DocgenError as exc:
            return JSONResponse({"error": exc.message("zh")}, 409)


# --- the admin's page ---------------------------------------------------------------------------------


def _admin_routes(server: Server) -> list[Route]:
    store = server.store

    def allowed(request: Request) -> bool:
        return store.is_admin(request.path_params["token"])

    def rows() -> list[tuple[Body, Version, State, tuple[Issue, ...]]]:
        out = []
        for body, version in store.bodies():
            issues = server.check(version.report(), body).issues if version.number > 1 else ()
            out.append((body, version, state_of(body, version), issues))
        return out

    async def page(request: Request) -> Response:
        if not await run_in_threadpool(allowed, request):
            return _not_found()
        listed = await run_in_threadpool(rows)
        query = request.query_params.get("q", "")
        html = pages.admin_page(
            token=request.path_params["token"], rows=listed, query=query, year=store.setting("year")
        )
        return HTMLResponse(html)

    def zipped() -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for body, version in store.bodies():
                if version.number > 1 and not version.errors:
                    data = server.docx(body, version)
                    if data is not None:
                        archive.writestr(safe_name(f"{body.name}-{store.setting('year')}") + ".docx", data)
        return out.getvalue()

    async def reports(request: Request) -> Response:
        if not await run_in_threadpool(allowed, request):
            return _not_found()
        data = await run_in_threadpool(zipped)
        return _download(data, f"{store.setting('year')}-reports.zip", "application/zip")

    def roster() -> bytes:
        from ..outputs.workbook import roster_row, roster_workbook
        from ..statute import Label

        listed = store.bodies()
        status = [
            "" if state_of(body, version) in ("valid", "downloaded") else STATES[state_of(body, version)].zh
            for body, version in listed
        ]
        total = {"issuer": Label("合计", "total").zh}
        table_rows = [roster_row(version.report()) for _, version in listed]
        return roster_workbook(store.setting("format"), table_rows, status=status, total=total)

    async def roster_file(request: Request) -> Response:
        if not await run_in_threadpool(allowed, request):
            return _not_found()
        data = await run_in_threadpool(roster)
        return _download(data, f"{store.setting('year')}-roster.xlsx", SHEET)

    def reviewed() -> str:
        from ..outputs.review import review_html
        from ..reviews import review

        with tempfile.TemporaryDirectory(prefix="docgen-serve-") as work:
            folder = Path(work)
            _report_files(store, folder, valid_only=False)
            roster_file = folder / "roster.txt"
            roster_file.write_text("\n".join(body.name for body, _ in store.bodies()) + "\n", encoding="utf-8")
            return review_html(review([folder], roster=roster_file, exclude=[roster_file]))

    async def review_page(request: Request) -> Response:
        if not await run_in_threadpool(allowed, request):
            return _not_found()
        html = await run_in_threadpool(reviewed)
        return _download(html.encode("utf-8"), f"{store.setting('year')}-review.html", "text/html")

    async def rollup_file(request: Request) -> Response:
        if not await run_in_threadpool(allowed, request):
            return _not_found()
        made = await run_in_threadpool(_rollup, server, request.query_params.get("issuer", "").strip())
        if isinstance(made, Response):
            return made
        return _download(made.text().encode("utf-8"), f"{safe_name(made.data['issuer'])}.toml", "application/toml")

    return [
        Route("/a/{token}", page, methods=["GET"]),
        Route("/a/{token}/reports.zip", reports, methods=["GET"]),
        Route("/a/{token}/roster.xlsx", roster_file, methods=["GET"]),
        Route("/a/{token}/review.html", review_page, methods=["GET"]),
        Route("/a/{token}/rollup.toml", rollup_file, methods=["GET"]),
    ]


# --- static files and the app ---------------------------------------------------------------------


def _static_routes() -> list[Route]:
    script = (resources.files("docgen.serve") / "static" / "form.js").read_text(encoding="utf-8")
    style = pages.css()

    async def form_js(request: Request) -> Response:
        return Response(script, media_type="text/javascript")

    async def report_css(request: Request) -> Response:
        return Response(style, media_type="text/css")

    return [Route("/static/form.js", form_js), Route("/static/report.css", report_css)]


def make_app(folder: str | Path) -> ASGIApp:
    """The server of the store in ``folder`` (raises FileError when it is not one)."""
    server = Server(folder)

    async def anything_else(request: Request) -> Response:
        return _not_found()

    routes = [*_static_routes(), *_routes(server), *_api_routes(server), *_admin_routes(server)]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        server.close()  # the LibreOffice of the PDFs, if one was started

    app = Starlette(routes=routes, lifespan=lifespan)
    app.router.redirect_slashes = False  # /r/TOKEN/ is no page; a redirect would put the token in a Location
    app.add_exception_handler(404, lambda request, exc: _not_found())
    app.add_exception_handler(405, lambda request, exc: _not_found())
    app.state.server = server
    guarded = _Guard(app)
    return guarded
