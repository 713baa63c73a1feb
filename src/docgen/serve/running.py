"""The server run in a thread of this process, on a free port: for the tests, the screenshots and the load
benchmark, which need a real HTTP server and a real browser in front of it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def serving(folder: str | Path, *, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve the store in ``folder`` until the block ends; the server's address (``http://127.0.0.1:PORT``)."""
    import uvicorn

    from .app import make_app

    config = uvicorn.Config(
        make_app(folder), host=host, port=0, log_level="warning", server_header=False, access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
