"""docgen batch: many reports, shared defaults, safe names, parallel, interruptible, resumable."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
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
    assert sorted(p.name for p in out.iterdir() if not p.name.endswith(".docx")) == []
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
    """Same issuer and year twice: both named, neither rendered; the others are."""
    sources = _county(tmp_path / "in")
    twin = sources[0].with_name("twin.toml")
    twin.write_bytes(sources[0].read_bytes())
    result = batches.batch([tmp_path / "in"], tmp_path / "out", jobs=1)
    clashing = [o for o in result.outcomes if o.status == "invalid"]
    assert sorted(Path(o.source).name for o in clashing) == sorted([sources[0].name, "twin.toml"])
    assert all("都将写入" in o.first_message() for o in clashing)
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


def test_a_second_run_renders_only_what_is_missing_or_out_of_date(tmp_path: Path) -> None:
    sources = _county(tmp_path / "in")
    out = tmp_path / "out"
    first = batches.batch([tmp_path / "in"], out, jobs=1)
    assert first.count("rendered") == 10
    again = batches.batch([tmp_path / "in"], out, jobs=1)
    assert again.count("skipped") == 10 and again.ok
    time.sleep(0.01)
    sources[3].write_text(sources[3].read_text(encoding="utf-8") + "\n", encoding="utf-8")
    (out / f"{docgen.inputs.peek(docgen.inputs.Found(sources[5]))['issuer']}-2024.docx").unlink()
    third = batches.batch([tmp_path / "in"], out, jobs=1)
    assert sorted(o.source for o in third.outcomes if o.status == "rendered") == sorted(
        [str(sources[3]), str(sources[5])]
    )


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
    return [p.name for p in folder.rglob("*") if p.name.startswith(".docgen") or p.suffix == ".part"]


def _run_batch(sources: Path, out: Path, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "docgen", "batch", str(sources), "-o", str(out), "--jobs", "2", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _wait_for_outputs(out: Path, count: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if out.is_dir() and len(list(out.glob("*.docx"))) >= count:
            return
        time.sleep(0.005)
    pytest.fail("the batch did not get going")


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT, signal.SIGTERM])
def test_a_batch_stopped_half_way_and_run_again_ends_byte_identical(tmp_path: Path, how: signal.Signals) -> None:
    """Killed (the whole process group), or interrupted: only whole files; the rerun completes them, byte for byte."""
    _county(tmp_path / "in", copies=12)
    whole = tmp_path / "whole"
    assert batches.batch([tmp_path / "in"], whole, jobs=2).ok
    out = tmp_path / "out"
    process = _run_batch(tmp_path / "in", out)
    _wait_for_outputs(out, 10, process)
    os.killpg(process.pid, how) if how == signal.SIGKILL else os.kill(process.pid, how)
    _, stderr = process.communicate(timeout=120)
    assert "Traceback" not in stderr.decode("utf-8", "replace")
    if how != signal.SIGKILL:
        assert process.returncode == 1
        assert _scratch_and_parts(out) == []
    stopped_with = {name: data for name, data in _files(out).items()}
    assert 10 <= len(stopped_with) < 120
    assert all(data == _files(whole)[name] for name, data in stopped_with.items())  # whole files only
    rerun = _run_batch(tmp_path / "in", out)
    rerun.communicate(timeout=300)
    assert rerun.returncode == 0
    assert _files(out) == _files(whole)
    assert _scratch_and_parts(out) == []


def test_a_worker_that_dies_leaves_its_reports_not_done(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker killed mid-batch: the summary says what was not done, no partial file is left, a rerun finishes."""
    _county(tmp_path / "in", copies=3)
    real = batches._work

    def dies_on_one(task: batches._Task, settings: batches._Settings) -> batches.Outcome:
        if task.display.endswith("liuhe-1.toml"):
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
def test_pdfs_go_through_one_libreoffice_per_worker_and_stop_with_the_batch(tmp_path: Path) -> None:
    _county(tmp_path / "in")
    out = tmp_path / "out"
    result = batches.batch([tmp_path / "in"], out, jobs=2, pdf=True)
    assert result.ok
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == 10 and all(p.read_bytes().startswith(b"%PDF-") for p in pdfs)
    time.sleep(0.5)
    assert running("docgen-pdf-") == []
