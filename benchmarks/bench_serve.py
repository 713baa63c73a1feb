"""docgen serve under load: many bodies saving at once, against a server in its own process on 127.0.0.1.

Each of ``--bodies`` clients (a township's browser) saves its report through
the API (``PUT /api/report``, the same check and transaction as the form),
waits about ``--pause`` seconds as a person would between saves, and saves
again, for ``--seconds`` or until ``--saves`` in all; the run is bounded in
count and time.  It prints the saves a second, the median and the 99th
percentile of a save's time, the errors, and, side by side in the same run,
what a save costs against checking the same report in this process.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from docgen.inputs import load_report, report_file
from docgen.outputs.jsonfile import report_json
from docgen.serve.forms import checked
from docgen.serve.setup import init

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "county" / "liuhe.toml"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _roster(folder: Path, count: int) -> Path:
    path = folder / "roster.txt"
    path.write_text("".join(f"测试{i:03d}镇人民政府\n" for i in range(count)), encoding="utf-8")
    return path


def _wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("the server stopped")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


class _Client(threading.Thread):
    def __init__(self, port: int, token: str, body: str, args: argparse.Namespace, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.port, self.token, self.args, self.stop = port, token, args, stop
        data = dict(load_report(report_file(EXAMPLE)).data)
        data["issuer"] = body
        self.payload = report_json(data).encode("utf-8")
        self.times: list[float] = []
        self.errors: list[str] = []

    def run(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        version = 1
        random.seed(self.token)
        time.sleep(random.uniform(0, self.args.pause))  # the bodies do not all start at one instant
        while not self.stop.is_set():
            start = time.perf_counter()
            try:
                connection.request(
                    "PUT",
                    "/api/report",
                    body=self.payload,
                    headers={"Authorization": f"Bearer {self.token}", "If-Match": f'"{version}"'},
                )
                answer = connection.getresponse()
                body = answer.read()
            except (OSError, http.client.HTTPException) as exc:
                self.errors.append(repr(exc))
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                continue
            self.times.append(time.perf_counter() - start)
            if answer.status != 200:
                self.errors.append(f"{answer.status} {body[:200]!r}")
            else:
                version = json.loads(body)["version"]
            self.stop.wait(random.uniform(0.5, 1.5) * self.args.pause)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bodies", type=int, default=50, help="bodies saving at once")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long they save")
    parser.add_argument("--saves", type=int, default=6000, help="at most this many saves in all")
    parser.add_argument("--pause", type=float, default=1.0, help="seconds a person takes between two saves")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="docgen-bench-serve-") as work:
        folder = Path(work) / "data"
        links = init(folder, roster=_roster(Path(work), args.bodies), year=2024)
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "docgen", "serve", str(folder), "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        try:
            _wait_for(port, server)
            stop = threading.Event()
            clients = [_Client(port, link.token, link.body, args, stop) for link in links if link.body != "admin"]
            started = time.perf_counter()
            for client in clients:
                client.start()
            while time.perf_counter() - started < args.seconds and sum(len(c.times) for c in clients) < args.saves:
                time.sleep(0.2)
            stop.set()
            for client in clients:
                client.join(timeout=120)
            elapsed = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=30)
    times = sorted(t for c in clients for t in c.times)
    errors = [e for c in clients for e in c.errors]
    data = dict(load_report(report_file(EXAMPLE)).data)
    checks = []
    for _ in range(30):
        start = time.perf_counter()
        checked(data)
        checks.append(time.perf_counter() - start)
    median = statistics.median(times)
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    print(f"{len(clients)} bodies saving for {elapsed:.0f} s, a pause of about {args.pause:g} s between saves")
    print(f"saves                         : {len(times)} ({len(times) / elapsed:.1f} a second), errors: {len(errors)}")
    print(f"a save, median                : {median * 1e3:7.1f} ms   (target: under 100 ms)")
    print(f"a save, 99th percentile       : {p99 * 1e3:7.1f} ms")
    print(
        f"checking the report in-process: {statistics.median(checks) * 1e3:7.1f} ms   "
        f"(a save costs {median / statistics.median(checks):.1f}x)"
    )
    for error in errors[:5]:
        print(f"  error: {error}")


if __name__ == "__main__":
    main()
