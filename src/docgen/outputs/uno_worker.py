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
import os
import signal
import subprocess
import sys
import threading
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


def _kill(office: subprocess.Popen[bytes]) -> None:
    """Kill LibreOffice: its launcher and the soffice.bin the launcher starts, which killing the launcher leaves.

    This worker leads a process group of its own (the converter starts it so),
    and LibreOffice's processes are in it: the whole group goes, this worker
    with it, as it is ending anyway.
    """
    if os.getpgid(0) == os.getpid():
        os.killpg(0, signal.SIGKILL)
    office.kill()
    office.wait()


def _stop(office: subprocess.Popen[bytes], desktop: Any) -> None:
    """Ask LibreOffice to quit, and kill it if it does not."""
    if desktop is not None:
        with contextlib.suppress(Exception):  # LibreOffice may already be gone
            desktop.terminate()
    try:
        office.wait(timeout=30)
    except subprocess.TimeoutExpired:
        _kill(office)


def _orphaned(parent: int, office: subprocess.Popen[bytes]) -> None:
    """If the process that started this worker dies (even by SIGKILL), stop LibreOffice and leave.

    The worker leads its own process group so that a hang can be killed whole;
    that also keeps it out of the group its parent belongs to, so nothing else
    would stop it.
    """
    while os.getppid() == parent:
        time.sleep(0.5)
    _kill(office)
    os._exit(1)


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
    threading.Thread(target=_orphaned, args=(os.getppid(), office), daemon=True).start()
    try:
        return _serve(office, pipe)
    finally:
        if office.poll() is None:  # it failed before LibreOffice could be asked to quit
            _kill(office)


def _no_hanging_punctuation(document: Any) -> None:
    """A comma or full stop past the end of a full justified line is not hung in the margin.

    LibreOffice (7.4) hangs it and then leaves it out of a justified line's
    PDF: "监督和评价，对群众" printed as "监督和评价" / "对群众".  Without
    hanging, the mark and the character before it start the next line, as
    the rules against a line starting with punctuation have it.  A .docx's
    ``w:overflowPunct`` does not reach this property, so it is set here.
    """
    styles = document.getStyleFamilies().getByName("ParagraphStyles")
    for name in styles.getElementNames():
        style = styles.getByName(name)
        if style.getPropertySetInfo().hasPropertyByName("ParaIsHangingPunctuation"):
            style.ParaIsHangingPunctuation = False


def _serve(office: subprocess.Popen[bytes], pipe: str) -> int:
    """Connect to LibreOffice, answer requests until the end of input, then ask it to quit."""
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
    try:
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
                    _no_hanging_punctuation(document)
                    document.storeToURL(
                        uno.systemPathToFileUrl(request["target"]), (_prop("FilterName", "writer_pdf_Export"),)
                    )
                finally:
                    document.close(True)
                answer: dict[str, object] = {"ok": True}
            except Exception as exc:  # noqa: BLE001 - every failure is an answer, not the end of the worker
                answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:2000]}
            _reply(answer)  # a parent gone mid-answer raises here, and the finally below still stops LibreOffice
            if office.poll() is not None:
                return 1
    finally:
        _stop(office, desktop)
    return 0


if __name__ == "__main__":
    sys.exit(main())
