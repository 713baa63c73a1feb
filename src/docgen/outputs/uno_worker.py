"""Converts documents to PDF through one LibreOffice, on requests read from stdin (one JSON object a line).

Run by docgen's :class:`~docgen.outputs.pdf.Converter` with a Python that has
LibreOffice's ``uno`` module (Debian's python3-uno, or LibreOffice's own
``program/python``), never imported by docgen itself: it uses the standard
library and ``uno`` only.  It starts LibreOffice listening on a private pipe,
answers ``{"ready": true}``, then for each ``{"source": ..., "target": ...}``
answers ``{"ok": true}`` or ``{"ok": false, "error": ...}``.  End of input or
``{"quit": true}`` stops LibreOffice and the worker.

Arguments: the soffice program, the pipe name, the profile URL.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from typing import Any

import uno
from com.sun.star.beans import PropertyValue


def _prop(name: str, value: object) -> Any:
    prop = PropertyValue()
    prop.Name = name
    prop.Value = value
    return prop


def _reply(message: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main() -> int:
    program, pipe, profile = sys.argv[1:4]
    office = subprocess.Popen(
        [
            program,
            "-env:UserInstallation=" + profile,
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            "--nolockcheck",
            "--accept=pipe,name=" + pipe + ";urp;StarOffice.ComponentContext",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
    )
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    while True:
        try:
            context = resolver.resolve("uno:pipe,name=" + pipe + ";urp;StarOffice.ComponentContext")
            break
        except Exception:  # noqa: BLE001 - not listening yet
            if office.poll() is not None:
                _reply({"ready": False, "error": f"LibreOffice exited with code {office.returncode}"})
                return 1
            time.sleep(0.05)
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    _reply({"ready": True})
    for line in sys.stdin:
        request = json.loads(line)
        if request.get("quit"):
            break
        try:
            document = desktop.loadComponentFromURL(
                uno.systemPathToFileUrl(request["source"]),
                "_blank",
                0,
                (_prop("Hidden", True), _prop("ReadOnly", True)),
            )
            if document is None:
                raise RuntimeError("LibreOffice could not open the document")
            try:
                document.storeToURL(
                    uno.systemPathToFileUrl(request["target"]), (_prop("FilterName", "writer_pdf_Export"),)
                )
            finally:
                document.close(True)
            _reply({"ok": True})
        except Exception as exc:  # noqa: BLE001 - every failure is an answer, not the end of the worker
            _reply({"ok": False, "error": f"{type(exc).__name__}: {exc}"[:2000]})
            if office.poll() is not None:
                return 1
    with contextlib.suppress(Exception):  # LibreOffice may already be gone
        desktop.terminate()
    try:
        office.wait(timeout=30)
    except subprocess.TimeoutExpired:
        office.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
