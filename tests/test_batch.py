"""docgen batch: many reports, shared defaults, safe names, parallel, interruptible, resumable."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import docgen
from docgen import batches
from docgen.cli import app
from docgen.files import safe_name
from docgen.outputs.pdf import soffice
from docgen.testing import running

from .conftest import ROOT

COUNTY = ROOT / "examples" / "county"
ISSUER = re.compile(r'^issuer = "[^"]*"', re.MULTILINE)


def _county(folder: Path, copies: int = 1) -> list[Path]:
    """The county example's ten townships and their defaults in ``folder``, each copied ``copies`` times."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(COUNTY / "_defaults.toml", folder)
    written = []
    for n in range(copies):
        for source in sorted(COUNTY.glob("*.toml")):
            if source.name == "_defaults.toml":
                continue
            text = source.read_text(encoding="utf-8")
            if n:
                issuer = ISSUER.search(text)
                assert issuer is not None
                text = ISSUER.sub(issuer.group(0)[:-1] + f'第{n}分册"', text, count=1)
            target = folder / f"{source.stem}-{n}.toml"
            target.write_text(text, encoding="utf-8")
            written.append(target)
    return written


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_forty_valid_and_two_bad_reports(runner: CliRunner, tmp_path: Path) -> None:
    """40 documents; the report that breaks C1 and the one that is not JSON are named with their messages; exit 1."""
    sources = tmp_path / "in"
    _county(sources, copies=4)
    broken = (COUNTY / "mistakes" / "shiqiao.toml").read_text(encoding="utf-8")
    (sources / "shiqiao.toml").write_text(broken, encoding="utf-8")
    (sources / "garbled.json").write_text('{"year": 2024, "issuer": }', encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", str(sources), "-o", str(out), "--jobs", "2"])
    assert result.exit_code == 1, result.output
    assert len(list(out.glob("*.docx"))) == 40
    assert sorted(p.name for p in out.iterdir() if not p.name.endswith(".docx")) == [batches.STAMPS]
    assert "Traceback" not in result.output
    assert "shiqiao.toml" in result.stdout and "[C1]" in result.stdout
    assert "garbled.json" in result.stdout and "[syntax]" in result.stdout


def test_each_output_is_what_render_writes(runner: CliRunner, tmp_path: Path) -> None:
    """A batch writes the very bytes `docgen render` writes for the same report, in both formats."""
    out = tmp_path / "out"
    assert runner.invoke(app, ["batch", str(ROOT / "examples"), "-o", str(out), "--jobs", "2"]).exit_code == 0
    for example in sorted((ROOT / "examples").glob("*.toml")):
        single = tmp_path / f"{example.stem}.docx"
        assert runner.invoke(app, ["render", str(example), "-o", str(single)]).exit_code == 0
        top = docgen.load(example).data
        assert (out / f"{top['issuer']}-{top['year']}.docx").read_bytes() == single.read_bytes()


def test_defaults_lie_under_each_report_and_messages_name_their_file(tmp_path: Path) -> None:
    """The report's own figure wins; a value that came from the defaults is reported at the defaults' line."""
    folder = tmp_path / "in"
    (folder).mkdir()
    (folder / "_defaults.toml").write_text(
        (COUNTY / "_defaults.toml").read_text(encoding="utf-8").replace("year = 2024", "year = 2024\ntitle = 5"),
        encoding="utf-8",
    )
    township = (COUNTY / "qingshi.toml").read_text(encoding="utf-8")
    (folder / "qingshi.toml").write_text(township, encoding="utf-8")
    result = batches.batch([folder], tmp_path / "out", jobs=1)
    (outcome,) = result.outcomes
    assert outcome.status == "invalid"
    title_line = (folder / "_defaults.toml").read_text(encoding="utf-8").splitlines().index("title = 5") + 1
    assert [str(i.location) for i in outcome.issues] == [f"{folder / '_defaults.toml'}:{title_line}"]
    # the report's own figure wins over one the defaults give
    (folder / "_defaults.toml").write_text(
        (COUNTY / "_defaults.toml").read_text(encoding="utf-8") + "\n[proactive]\nlicensing = 999\n", encoding="utf-8"
    )
    merged = docgen.inputs.load_report(docgen.inputs.find_reports([folder])[0][0])
    assert merged.data["proactive"]["licensing"] == docgen.load(folder / "qingshi.toml").data["proactive"]["licensing"]
    assert merged.data["year"] == 2024 and "sections" in merged.data["overview"]


def test_two_reports_naming_one_file_are_refused_before_anything_is_written(tmp_path: Path) -> None:
    """The same issuer and year twice: both named with their own errors too, neither rendered; the others are."""
    sources = _county(tmp_path / "in")
    twin = sources[0].with_name("twin.toml")
    twin.write_text(sources[0].read_text(encoding="utf-8").replace("licensing = ", "licensing = -"), encoding="utf-8")
    result = batches.batch([tmp_path / "in"], tmp_path / "out", jobs=1)
    clashing = [o for o in result.outcomes if o.status == "invalid"]
    assert sorted(Path(o.source).name for o in clashing) == sorted([sources[0].name, "twin.toml"])
    assert all("将写入同一个文件" in o.first_message() for o in clashing)
    assert [i.rule for o in clashing for i in o.issues] == ["C7"]  # the twin's own mistake is shown as well
    assert result.count("rendered") == len(sources) - 1
    assert not (tmp_path / "out" / f"{docgen.load(twin).data['issuer']}-2024.docx").exists()


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("金殿镇人民政府-2024", "金殿镇人民政府-2024"),
        ("../../etc/passwd", "_.._etc_passwd"),
        ("a/b\\c:d*e?f", "a_b_c_d_e_f"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("  ..  ", "report"),
        ("", "report"),
        ("名" * 100, "名" * 66),
    ],
)
def test_output_names_are_safe_everywhere(text: str, name: str) -> None:
    """No separator, no .., no reserved Windows name, trimmed, not empty, at most 200 bytes."""
    assert safe_name(text) == name
    assert len(safe_name(text).encode("utf-8")) <= 200


def _rendered(result: docgen.BatchResult) -> list[str]:
    return sorted(Path(o.source).name for o in result.outcomes if o.status == "rendered")


def test_a_second_run_renders_only_what_is_missing_or_made_from_something_else(tmp_path: Path) -> None:
    """Outputs are redone when a figure, the defaults, the template or last year's report change, or go missing."""
    sources = _county(tmp_path / "in")
    out = tmp_path / "out"
    assert batches.batch([tmp_path / "in"], out, jobs=1).count("rendered") == 10
    again = batches.batch([tmp_path / "in"], out, jobs=1)
    assert again.count("skipped") == 10 and again.ok
    # a comment changes nothing; a figure does; a deleted output comes back
    sources[2].write_text("# 已核对\n" + sources[2].read_text(encoding="utf-8"), encoding="utf-8")
    sources[3].write_text(
        re.sub(r"^licensing = \d+", "licensing = 77", sources[3].read_text(encoding="utf-8"), flags=re.M)
    )
    next(out.glob(f"{docgen.inputs.peek(docgen.inputs.report_file(sources[5]))['issuer']}-*.docx")).unlink()
    assert _rendered(batches.batch([tmp_path / "in"], out, jobs=1)) == sorted([sources[3].name, sources[5].name])
    # the shared text changes every report, even with the defaults file's time put back
    defaults = tmp_path / "in" / "_defaults.toml"
    before = defaults.stat()
    defaults.write_text(defaults.read_text(encoding="utf-8").replace("主动公开", "主动公开工作"), encoding="utf-8")
    os.utime(defaults, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert len(_rendered(batches.batch([tmp_path / "in"], out, jobs=1))) == 10
    # a custom template older than the outputs still counts
    from docx import Document

    from docgen.outputs.docx.template import template_path

    custom = tmp_path / "custom.docx"
    doc = Document(str(template_path("2021")))
    doc.paragraphs[0].runs[0].text = "{{ issuer }}：{{ title }}"
    doc.save(str(custom))
    os.utime(custom, ns=(0, 0))
    with_template = batches.batch([tmp_path / "in"], out, jobs=1, template=custom)
    assert with_template.count("rendered") == 10
    assert batches.batch([tmp_path / "in"], out, jobs=1, template=custom).count("skipped") == 10
    # so does last year's report, when it is given
    last = tmp_path / "last"
    _county(last)
    (last / "_defaults.toml").write_text(
        (last / "_defaults.toml").read_text(encoding="utf-8").replace("year = 2024", "year = 2023"), encoding="utf-8"
    )
    paired = batches.batch([tmp_path / "in"], out, jobs=1, template=custom, previous=last)
    assert paired.count("rendered") == 10


def test_up_to_date_reports_are_still_checked(tmp_path: Path) -> None:
    """A report not rendered again still shows its warnings."""
    _county(tmp_path / "in")
    rules = tmp_path / "in" / "chengguan-0.toml"
    rules.write_text(
        re.sub(
            r"^rules = .*$",
            "rules = { issued = 1, repealed = 0, in_force = 1 }",
            rules.read_text(encoding="utf-8"),
            flags=re.M,
        ),
        encoding="utf-8",
    )
    first = batches.batch([tmp_path / "in"], tmp_path / "out", jobs=1)
    second = batches.batch([tmp_path / "in"], tmp_path / "out", jobs=1)
    for result, status in ((first, "rendered"), (second, "skipped")):
        (warned,) = [o for o in result.outcomes if o.warnings]
        assert warned.status == status and {w.rule for w in warned.warnings} == {"township"}


def test_last_years_reports_are_paired_by_issuer_and_year(tmp_path: Path) -> None:
    """--previous: 二、上年结转 is checked against last year's 四 (C6) of the same body."""
    this_year = _county(tmp_path / "in")
    last = tmp_path / "last"
    last.mkdir()
    report = docgen.load(this_year[1])
    old = this_year[1].read_text(encoding="utf-8").replace("format = ", "year = 2023\ndate = 2024-01-20\nformat = ", 1)
    old = re.sub(r"^carried_forward = .*$", "carried_forward = { natural_person = 3, total = 3 }", old, flags=re.M)
    (last / "old.toml").write_text(old, encoding="utf-8")
    shutil.copy(COUNTY / "_defaults.toml", last)
    result = batches.batch([tmp_path / "in"], tmp_path / "out", jobs=1, previous=last)
    paired = next(o for o in result.outcomes if o.source == str(this_year[1]))
    assert "C6" in {i.rule for i in paired.issues}, report.data["issuer"]
    assert all("C6" not in {i.rule for i in o.issues} for o in result.outcomes if o is not paired)


def test_summary_json_and_plain_lines_off_a_terminal(runner: CliRunner, tmp_path: Path) -> None:
    _county(tmp_path / "in")
    (tmp_path / "in" / "garbled.toml").write_text("year = \n", encoding="utf-8")
    summary = tmp_path / "summary.json"
    result = runner.invoke(app, ["batch", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--summary", str(summary)])
    assert result.exit_code == 1
    written = json.loads(summary.read_text(encoding="utf-8"))
    assert (written["rendered"], written["invalid"], written["failed"], written["skipped"]) == (10, 1, 0, 0)
    (bad,) = [r for r in written["reports"] if r["status"] == "invalid"]
    assert bad["source"].endswith("garbled.toml") and "[syntax]" in bad["message"]
    lines = [line for line in result.stderr.splitlines() if line.startswith("[")]
    assert len(lines) == 11 and all(re.match(r"\[\d+/11\] ", line) for line in lines)


def _scratch_and_parts(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*") if p.name.startswith(batches.SCRATCH_PREFIX) or p.suffix == ".part"]


def _run_batch(sources: Path, out: Path, *extra: str, tmp: Path | None = None) -> subprocess.Popen[bytes]:
    """The batch command in a process group of its own; ``tmp`` as its TMPDIR marks its LibreOffices."""
    env = {**os.environ, "TMPDIR": str(tmp)} if tmp is not None else None
    return subprocess.Popen(
        [sys.executable, "-m", "docgen", "batch", str(sources), "-o", str(out), "--jobs", "2", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env=env,
    )


def _wait_for_outputs(out: Path, count: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if out.is_dir() and len(list(out.glob("*.docx"))) >= count:
            return
        time.sleep(0.005)
    pytest.fail("the batch did not get going")


@pytest.mark.parametrize(
    ("how", "group"),
    [(signal.SIGKILL, True), (signal.SIGINT, True), (signal.SIGTERM, False)],
    ids=["killed", "ctrl-c", "terminated"],
)
def test_a_batch_stopped_half_way_and_run_again_ends_byte_identical(
    tmp_path: Path, how: signal.Signals, group: bool
) -> None:
    """Killed (the whole group), Ctrl-C (which a terminal sends the whole group) or SIGTERM: only whole files;
    the same command run again completes them, byte for byte."""
    _county(tmp_path / "in", copies=12)
    whole = tmp_path / "whole"
    assert batches.batch([tmp_path / "in"], whole, jobs=2).ok
    out = tmp_path / "out"
    process = _run_batch(tmp_path / "in", out)
    _wait_for_outputs(out, 10, process)
    os.killpg(process.pid, how) if group else os.kill(process.pid, how)
    _, stderr = process.communicate(timeout=120)
    assert "Traceback" not in stderr.decode("utf-8", "replace")
    if how != signal.SIGKILL:
        assert process.returncode == 1
        assert _scratch_and_parts(out) == []
    stopped_with = _files(out)
    assert 10 <= len(stopped_with) < 120
    assert all(data == _files(whole)[name] for name, data in stopped_with.items())  # whole files only
    rerun = _run_batch(tmp_path / "in", out)
    rerun.communicate(timeout=300)
    assert rerun.returncode == 0
    assert _files(out) == _files(whole)
    assert _scratch_and_parts(out) == []


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed; .ci/run installs it")
def test_stopping_a_pdf_batch_leaves_no_libreoffice_behind(tmp_path: Path) -> None:
    """Ctrl-C twice, then SIGKILL of the group, during --pdf: the batch ends, and no LibreOffice survives it;
    after Ctrl-C nothing is left in TMPDIR either (LibreOffice's own lu*.tmp files included)."""
    _county(tmp_path / "in", copies=3)
    for stop in ("ctrl-c twice", "killed"):
        out = tmp_path / stop
        scratch = tmp_path / f"tmp-{len(stop)}"
        scratch.mkdir()
        process = _run_batch(tmp_path / "in", out, "--pdf", tmp=scratch)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(list(out.glob("*.pdf"))) < 2:
            time.sleep(0.05)
        if stop == "killed":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            os.killpg(process.pid, signal.SIGINT)
            time.sleep(0.05)
            os.killpg(process.pid, signal.SIGINT)
        process.communicate(timeout=120)  # it ends: no hang
        deadline = time.monotonic() + 30
        while running(str(tmp_path)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert running(str(tmp_path)) == [], stop  # its LibreOffices had their profiles in its TMPDIR
        if stop != "killed":  # SIGKILL gives no process the chance to clean up
            assert list(scratch.iterdir()) == [], stop
        pdfs = list(out.glob("*.pdf"))
        assert pdfs and all(
            p.read_bytes().startswith(b"%PDF-") and p.read_bytes().rstrip().endswith(b"%%EOF") for p in pdfs
        )


def test_a_worker_that_dies_leaves_its_reports_not_done(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker killed mid-batch: the summary says what was not done, no partial file is left, a rerun finishes."""
    _county(tmp_path / "in", copies=3)
    real = batches._work

    def dies_on_one(task: batches._Task, settings: batches._Settings) -> batches.Outcome:
        if task.source.endswith("liuhe-1.toml"):
            os._exit(9)
        return real(task, settings)

    monkeypatch.setattr(batches, "_work", dies_on_one)
    out = tmp_path / "out"
    result = batches.batch([tmp_path / "in"], out, jobs=2)
    assert not result.ok and result.count("not_done") >= 1
    assert any("工作进程" in o.first_message() for o in result.outcomes if o.status == "not_done")
    assert _scratch_and_parts(out) == []
    monkeypatch.setattr(batches, "_work", real)
    assert batches.batch([tmp_path / "in"], out, jobs=2).ok


def test_warnings_are_shown_and_counted(runner: CliRunner, tmp_path: Path) -> None:
    """A rendered report's warnings (here a township with 规章) are printed under its line and counted."""
    _county(tmp_path / "in")
    rules = tmp_path / "in" / "chengguan-0.toml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(re.sub(r"^rules = .*$", "rules = { issued = 1, repealed = 0, in_force = 1 }", text, flags=re.M))
    result = runner.invoke(app, ["batch", str(tmp_path / "in"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    at = next(i for i, line in enumerate(lines) if "chengguan-0.toml" in line)
    assert "[township]" in lines[at + 1] and lines[at + 1].startswith("  ")
    assert "有警告 1" in result.stdout


def test_what_is_not_a_report_is_not_taken(runner: CliRunner, tmp_path: Path) -> None:
    """A _defaults.toml named by a shell's *.toml, and the batch's own summary in a source folder."""
    sources = _county(tmp_path / "in")
    summary = tmp_path / "in" / "summary.json"
    args = ["batch", *map(str, sorted((tmp_path / "in").glob("*.toml"))), "-o", str(tmp_path / "out")]
    first = runner.invoke(app, [*args, "--summary", str(summary)])
    assert first.exit_code == 0, first.output
    assert json.loads(summary.read_text(encoding="utf-8"))["rendered"] == len(sources)
    again = runner.invoke(app, ["batch", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--summary", str(summary)])
    assert again.exit_code == 0
    assert not [line for line in again.stderr.splitlines() if line.startswith("[") and "summary.json" in line]


def test_bad_places_are_refused_with_a_message(runner: CliRunner, tmp_path: Path) -> None:
    _county(tmp_path / "in")
    a_file = tmp_path / "file"
    a_file.write_text("x")
    into_a_file = runner.invoke(app, ["batch", str(tmp_path / "in"), "-o", str(a_file)])
    assert into_a_file.exit_code == 2 and "不是文件夹" in into_a_file.stderr and "Traceback" not in into_a_file.output
    no_defaults = runner.invoke(app, ["batch", str(tmp_path / "in"), "-o", str(tmp_path / "o"), "--defaults", "nope"])
    assert no_defaults.exit_code == 3 and "nope: 文件或目录不存在" in no_defaults.stderr  # a file failure, not usage
    with pytest.raises(docgen.FileError):
        batches.batch([tmp_path / "in"], tmp_path / "o", defaults=tmp_path / "nope.toml")
    (tmp_path / "empty").mkdir()
    empty = runner.invoke(app, ["batch", str(tmp_path / "empty"), "-o", str(tmp_path / "o")])
    assert empty.exit_code == 1 and "没有找到报告文件" in empty.stderr


def test_a_row_the_report_writes_takes_nothing_from_the_defaults(tmp_path: Path) -> None:
    """Defaults and report both write （一）予以公开: the report's row is taken whole, not cell by cell."""
    folder = tmp_path / "in"
    _county(folder)
    defaults = folder / "_defaults.toml"
    defaults.write_text(
        defaults.read_text(encoding="utf-8") + "\n[applications.results]\ngranted = { research = 5, total = 5 }\n",
        encoding="utf-8",
    )
    merged = docgen.inputs.load_report(docgen.inputs.report_file(folder / "qingshi-0.toml"))
    own = docgen.load(folder / "qingshi-0.toml").data["applications"]["results"]["granted"]
    assert merged.data["applications"]["results"]["granted"] == own


def test_missing_sources_and_a_broken_template(runner: CliRunner, tmp_path: Path) -> None:
    _county(tmp_path / "in")
    result = runner.invoke(app, ["batch", str(tmp_path / "in"), str(tmp_path / "absent"), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1 and "absent" in result.stdout
    bad = tmp_path / "t.docx"
    bad.write_bytes(b"not a zip")
    broken = runner.invoke(app, ["batch", str(tmp_path / "in"), "-o", str(tmp_path / "o2"), "--template", str(bad)])
    assert broken.exit_code == 3 and "t.docx" in broken.stderr
    assert not (tmp_path / "o2").exists()


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed; .ci/run installs it")
def test_pdfs_go_through_one_libreoffice_per_worker_and_stop_with_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ten PDFs from two workers; when the batch returns, none of its LibreOffices is left running."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the converters' profiles, and so their processes
    _county(tmp_path / "in")
    out = tmp_path / "out"
    result = batches.batch([tmp_path / "in"], out, jobs=2, pdf=True)
    assert result.ok
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == 10 and all(p.read_bytes().startswith(b"%PDF-") for p in pdfs)
    deadline = time.monotonic() + 10
    while running(f"file://{tmp_path}") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert running(f"file://{tmp_path}") == []
