"""A real headless browser for the tests: Chromium driven over its DevTools protocol on a pipe.

One browser is started per test module (a fixture in the module keeps it);
each page is opened in a fresh tab, and everything the page writes to its
console, and every error it throws, is collected.  No driver or websocket
library is needed: ``--remote-debugging-pipe`` speaks JSON messages ended
by a NUL byte on file descriptors 3 (in) and 4 (out).
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT = 60.0


def chromium() -> str | None:
    return next((found for name in CANDIDATES if (found := shutil.which(name))), None)


needs_browser = pytest.mark.skipif(
    chromium() is None, reason="no headless browser (Debian's chromium) is installed: pages cannot be opened"
)


@dataclass
class Page:
    """A tab with a page loaded: what its console said, and a way to evaluate script in it."""

    browser: Browser
    session: str
    target: str
    console: list[str] = field(default_factory=list)

    def evaluate(self, expression: str) -> Any:
        """The value of a script expression in the page (awaited if it is a promise)."""
        reply = self.browser.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            self.session,
        )
        if "exceptionDetails" in reply:
            raise AssertionError(f"the page threw: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def navigate_by(self, expression: str) -> None:
        """Run ``expression`` (a click that submits a form) and wait for the page it leads to to load."""
        self.evaluate(expression)
        self.browser._wait_for("Page.loadEventFired", self.session)

    def media(self, kind: str) -> None:
        """Show the page as for ``kind`` ("print", "screen")."""
        self.browser.call("Emulation.setEmulatedMedia", {"media": kind}, self.session)

    def axe(self) -> list[dict[str, Any]]:
        """What axe-core finds against the WCAG 2.1 A and AA rules: each violation's id, impact and nodes."""
        from importlib import resources

        script = (resources.files("axe_core_python") / "axe.min.js").read_text(encoding="utf-8")
        self.evaluate(script)
        tags = json.dumps(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
        found = self.evaluate(
            f"axe.run(document, {{runOnly: {{type: 'tag', values: {tags}}}}}).then(r => JSON.stringify("
            "r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.html.slice(0, 200))}))))"
        )
        violations: list[dict[str, Any]] = json.loads(found)
        return violations

    def screenshot(self, path: Path) -> None:
        """The whole page, top to bottom at its width, as a PNG at ``path``."""
        height = int(self.evaluate("document.documentElement.scrollHeight"))
        width = int(self.evaluate("document.documentElement.clientWidth"))
        clip = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
        shot = self.browser.call(
            "Page.captureScreenshot", {"format": "png", "clip": clip, "captureBeyondViewport": True}, self.session
        )
        path.write_bytes(base64.b64decode(shot["data"]))

    def close(self) -> None:
        self.browser.close_page(self)


class Browser:
    """One headless Chromium for a test module."""

    def __init__(self) -> None:
        program = chromium()
        if program is None:
            raise RuntimeError("no chromium")
        self.profile = tempfile.mkdtemp(prefix="docgen-chromium-")
        to_browser, self._write = os.pipe()
        self._read, from_browser = os.pipe()
        # the child's ends above 3 and 4, where dup2 puts them: where few files are open (under make) a pipe
        # may itself be 3 or 4, and dup2 onto itself would leave it closed at exec
        to_browser, from_browser = (_above(fd, 10) for fd in (to_browser, from_browser))

        def wire() -> None:  # in the child: the protocol's descriptors are 3 (commands in) and 4 (replies out)
            os.dup2(to_browser, 3)
            os.dup2(from_browser, 4)

        self.process = subprocess.Popen(
            [
                program,
                "--headless",
                "--remote-debugging-pipe",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-extensions",
                "--disable-background-networking",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=wire,
            close_fds=False,  # Python's own descriptors are not inherited anyway (PEP 446); 3 and 4 are, once wired
        )
        os.close(to_browser)
        os.close(from_browser)
        self._buffer = b""
        self._next = 0
        self._events: list[dict[str, Any]] = []
        self.pages: dict[str, Page] = {}

    def _send(self, message: dict[str, Any]) -> None:
        os.write(self._write, json.dumps(message).encode() + b"\0")

    def _receive(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("the browser did not answer")
            chunk = os.read(self._read, 1 << 16)
            if not chunk:
                raise RuntimeError("the browser closed its pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        self._note(message)
        return message

    def _note(self, message: dict[str, Any]) -> None:
        """Keep what a page writes to its console and the errors it throws."""
        page = self.pages.get(message.get("sessionId", ""))
        method, params = message.get("method"), message.get("params", {})
        if page is None or method is None:
            return
        if method == "Runtime.consoleAPICalled":
            texts = [str(arg.get("value", arg.get("description", ""))) for arg in params.get("args", [])]
            page.console.append(f"console.{params.get('type')}: {' '.join(texts)}")
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            page.console.append(f"exception: {details.get('exception', {}).get('description', details.get('text'))}")
        elif method == "Log.entryAdded":
            entry = params.get("entry", {})
            page.console.append(f"log.{entry.get('level')}: {entry.get('text')} {entry.get('url', '')}")
        else:
            self._events.append(message)

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        self._next += 1
        ident = self._next
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        self._send(message)
        deadline = time.monotonic() + TIMEOUT
        while True:
            reply = self._receive(deadline)
            if reply.get("id") == ident:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result

    def _wait_for(self, method: str, session: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while True:
            for index, event in enumerate(self._events):
                if event.get("method") == method and event.get("sessionId") == session:
                    del self._events[index]
                    return
            self._receive(deadline)

    def open(self, url: str, *, width: int = 1280, height: int = 900) -> Page:
        """A new tab ``width`` CSS pixels wide with ``url`` loaded (its load event fired)."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session, target)
        self.pages[session] = page
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable", {}, session)
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
            session,
        )
        self.call("Page.navigate", {"url": url}, session)
        self._wait_for("Page.loadEventFired", session)
        return page

    def close_page(self, page: Page) -> None:
        self.call("Target.closeTarget", {"targetId": page.target})
        self.pages.pop(page.session, None)

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            self.call("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._write)
        os.close(self._read)
        shutil.rmtree(self.profile, ignore_errors=True)


def _above(fd: int, lowest: int) -> int:
    """``fd`` moved to a descriptor number of at least ``lowest``."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, lowest)
    os.close(fd)
    return moved


def file_url(path: Path, fragment: str = "") -> str:
    return path.resolve().as_uri() + (f"#{fragment}" if fragment else "")
