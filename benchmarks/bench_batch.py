"""``docgen batch`` against a plain docxtpl loop over the same template and data, measured in one run.

N generated township reports are written as TOML files.  ``docgen batch``
checks and renders all of them (``--jobs``, default 2: this machine's cores)
in a fresh process, whose wall time and peak memory (its own and its
workers') are read from the operating system.  The plain loop is what a
docxtpl user writes: for each report a new ``DocxTemplate`` of the same
template, ``render`` with the same data, ``save``.  It costs the same for
every report, so it is timed on the first ``--plain`` reports and its rate
compared.  Then PDFs: a batch of 20 reports with ``--pdf`` against 20
separate ``docgen render --pdf`` calls.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate

import docgen
from benchmarks.generate import report
from docgen.outputs.docx.template import context, environment, template_path
from docgen.outputs.pdf import soffice
from docgen.outputs.toml import report_toml

# The batch runs in a fresh process.  Its own peak is read from /proc (VmHWM), since ru_maxrss of a process
# started by fork and exec keeps the peak of the process it was forked from; its workers are forked from
# it, so their ru_maxrss is theirs.
_BATCH = """
import json, re, resource, sys, time
import docgen
start = time.perf_counter()
result = docgen.batch([sys.argv[1]], sys.argv[2], jobs=int(sys.argv[3]))
elapsed = time.perf_counter() - start
try:
    status = open("/proc/self/status", encoding="ascii").read()
    parent = int(re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1))
except OSError:
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({
    "seconds": elapsed,
    "rendered": result.count("rendered"),
    "ok": result.ok,
    "parent_kib": parent,
    "worker_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
}))
"""


def _township(rng: random.Random, n: int) -> dict[str, Any]:
    doc = report(rng, "2021")
    doc["issuer"] = f"第{n}镇人民政府"
    doc["proactive"]["rules"] = {"issued": 0, "repealed": 0, "in_force": 0}  # a township makes no rules
    return doc


def _write_reports(folder: Path, count: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    docs = [_township(rng, n) for n in range(count)]
    for n, doc in enumerate(docs):
        (folder / f"{n:05}.toml").write_text(report_toml(doc), encoding="utf-8")
    return docs


def _batch(folder: Path, out: Path, jobs: int) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _BATCH, str(folder), str(out), str(jobs)], capture_output=True, text=True, check=True
    )
    measured: dict[str, Any] = json.loads(done.stdout)
    return measured


def _plain_loop(folder: Path, out: Path, count: int) -> float:
    """Seconds a report for new DocxTemplate, render, save, on the first ``count`` reports' data."""
    reports = [docgen.check(path).require() for path in sorted(folder.glob("*.toml"))[:count]]
    values = [context(r) for r in reports]
    template = template_path("2021")
    start = time.perf_counter()
    for n, data in enumerate(values):
        tpl = DocxTemplate(str(template))
        tpl.render(data, jinja_env=environment(), autoescape=True)
        tpl.save(str(out / f"plain-{n}.docx"))
    return (time.perf_counter() - start) / len(values)


def _pdfs(work: Path, count: int) -> tuple[float, float]:
    """Seconds for one batch with --pdf, and for ``count`` separate `docgen render --pdf` calls."""
    folder = work / "pdf-in"
    folder.mkdir()
    _write_reports(folder, count, seed=7)
    docgen_cli = [sys.executable, "-m", "docgen"]
    start = time.perf_counter()
    subprocess.run(
        [*docgen_cli, "batch", str(folder), "-o", str(work / "pdf-batch"), "--pdf"], capture_output=True, check=True
    )
    batch_seconds = time.perf_counter() - start
    start = time.perf_counter()
    for path in sorted(folder.glob("*.toml")):
        target = work / "pdf-single" / f"{path.stem}.docx"
        subprocess.run([*docgen_cli, "render", str(path), "-o", str(target), "--pdf"], capture_output=True, check=True)
    return batch_seconds, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, nargs="+", default=[1000, 4000], help="reports in a batch")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes of the batch")
    parser.add_argument("--plain", type=int, default=100, help="reports the plain loop is timed on")
    parser.add_argument("--pdf", type=int, default=20, help="reports for the PDF comparison (0: skip it)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        work = Path(tmp)
        plain_seconds = None
        memory: list[tuple[int, float, float]] = []
        print(f"docgen batch (--jobs {args.jobs}) against a plain docxtpl loop, generated township reports")
        for count in args.n:
            folder = work / f"in-{count}"
            folder.mkdir()
            _write_reports(folder, count, seed=count)
            if plain_seconds is None:
                (work / "plain").mkdir()
                plain_seconds = _plain_loop(folder, work / "plain", min(args.plain, count))
                print(
                    f"plain docxtpl loop, one process     : {plain_seconds * 1e3:7.2f} ms a report "
                    f"({1 / plain_seconds:6.1f} a second; timed on {min(args.plain, count)} reports)"
                )
            measured = _batch(folder, work / f"out-{count}", args.jobs)
            assert measured["ok"] and measured["rendered"] == count, measured
            per = measured["seconds"] / count
            print(
                f"docgen batch, N = {count:5}            : {per * 1e3:7.2f} ms a report ({1 / per:6.1f} a second), "
                f"{plain_seconds / per:5.1f}x the plain loop (target: at least 20x); peak memory "
                f"{measured['parent_kib'] / 1024:.0f} MiB (batch), {measured['worker_kib'] / 1024:.0f} MiB (a worker)"
            )
            memory.append((count, measured["parent_kib"] / 1024, measured["worker_kib"] / 1024))
            if count == max(args.n):
                country = 40_000 * per
                print(f"  at this rate the country's 40,000 township reports take {country / 60:.1f} minutes")
        if len(memory) > 1:
            (small, parent_a, worker_a), (large, parent_b, worker_b) = memory[0], memory[-1]
            print(
                f"peak memory from N = {small} to N = {large}: a worker {worker_b - worker_a:+.0f} MiB, the batch "
                f"{parent_b - parent_a:+.0f} MiB ({(parent_b - parent_a) * 1024 * 1024 / (large - small):.0f} bytes "
                "a report: the outcomes it returns)"
            )
        if args.pdf and soffice() is not None:
            batch_seconds, separate = _pdfs(work, args.pdf)
            print(
                f"--pdf for {args.pdf} reports: one batch {batch_seconds:.1f} s, {args.pdf} separate "
                f"`docgen render --pdf` {separate:.1f} s: {batch_seconds / separate:.2f} of it (target: at most 0.33)"
            )
        elif args.pdf:
            print("--pdf comparison skipped: LibreOffice is not installed")


if __name__ == "__main__":
    main()
