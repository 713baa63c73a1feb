"""The command line: exit codes, message shape, languages, JSON output, init."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from docgen.cli import app
from docgen.testing import WORD_STACK, import_profile

from .conftest import EXAMPLES, warnings_of


def test_validate_examples_exit_0(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", *map(str, EXAMPLES)])
    assert result.exit_code == 0, result.output
    expected = [f"{path}:[{rule}]" for path in EXAMPLES for rule in warnings_of(path)]
    assert [line.split(":")[0] + ":" + line.split(" ")[1] for line in result.stdout.splitlines()] == expected


def _changed(county: Path, tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    text = county.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "report.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    return path, line


def test_one_changed_applicant_cell_names_c3_and_c4(runner: CliRunner, county: Path, tmp_path: Path) -> None:
    """The issue's acceptance case: （一）予以公开 / 自然人 changed from 40 to 41 in a report giving its totals."""
    path, line = _changed(county, tmp_path, "granted = { natural_person = 40,", "granted = { natural_person = 41,")
    total_line = (
        county.read_text(encoding="utf-8")
        .splitlines()
        .index(
            "total = { natural_person = 84, commercial = 10, research = 1, nonprofit = 2, "
            "legal_service = 4, other = 3, total = 104 }"
        )
        + 1
    )
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{path}:{line}: [C3] 三、本年度办理结果（一）予以公开 / 总计：应为 49（各类申请人之和），实为 48",
        f"{path}:{total_line}: [C4] 三、本年度办理结果（七）总计 / 自然人：应为 85（（一）至（六）各项之和），实为 84",
    ]


def test_json_output_has_the_contract_fields(runner: CliRunner, county: Path, tmp_path: Path) -> None:
    path, line = _changed(county, tmp_path, "granted = { natural_person = 40,", "granted = { natural_person = 41,")
    result = runner.invoke(app, ["validate", str(path), "--output-format", "json"])
    assert result.exit_code == 1
    issues = json.loads(result.stdout)
    assert [set(i) for i in issues] == [
        {"file", "line", "location", "path", "rule", "severity", "row", "column", "expected", "found", "message"}
    ] * 2
    c4 = issues[1]
    assert (c4["rule"], c4["severity"], c4["column"], c4["expected"], c4["found"]) == (
        "C4",
        "error",
        "自然人",
        "85",
        "84",
    )
    assert c4["path"] == "applications.results.total.natural_person"
    assert issues[0]["line"] == line


def test_english_messages(runner: CliRunner, county: Path, tmp_path: Path) -> None:
    path, _ = _changed(county, tmp_path, "granted = { natural_person = 40,", "granted = { natural_person = 41,")
    result = runner.invoke(app, ["validate", str(path), "--lang", "en"])
    assert "[C4] III. Results this year (7) Total / Natural persons: expected 85 (sum of (1) to (6)), found 84" in (
        result.stdout
    )


def test_warnings_alone_exit_0(runner: CliRunner, county: Path, tmp_path: Path) -> None:
    path, _ = _changed(county, tmp_path, "全年开展培训2次。", "全年开展培训2次，共收到政府信息公开申请90件。")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0
    assert "[C8]" in result.stdout and "表格为 106，正文为 90" in result.stdout


def test_previous_report_feeds_c6(runner: CliRunner, county: Path, tmp_path: Path) -> None:
    last = tmp_path / "last.toml"
    last.write_text(
        county.read_text(encoding="utf-8").replace(
            "carried_forward = { natural_person = 6, legal_service = 1, total = 7 }",
            "carried_forward = { natural_person = 4, commercial = 1, total = 5 }",
        ),
        encoding="utf-8",
    )
    ok = runner.invoke(app, ["validate", str(county), "--previous", str(last)])
    assert ok.exit_code == 0 and "[C6]" not in ok.stdout
    assert "[C6]" in runner.invoke(app, ["validate", str(county), "--previous", str(county)]).stdout


def test_missing_file_exit_3_and_others_still_checked(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("year = \n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(tmp_path / "absent.toml"), str(bad)])
    assert result.exit_code == 3
    assert "absent.toml" in result.stderr
    assert f"{bad}:1: [syntax]" in result.stdout


def test_bad_syntax_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"year": }', encoding="utf-8")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1 and "[syntax]" in result.stdout


def test_usage_error_exit_2(runner: CliRunner) -> None:
    assert runner.invoke(app, ["validate", "--output-format", "xml", "x.toml"]).exit_code == 2
    assert runner.invoke(app, ["validate", "--format", "json", "x.toml"]).exit_code == 2
    assert runner.invoke(app, ["validate"]).exit_code == 2


@pytest.mark.parametrize("command", ["render", "extract", "init", "review", "rollup"])
def test_an_output_ending_in_a_slash_is_a_folder_not_a_file(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    """-o new/ (a folder that does not exist yet): a usage error, and no file named "new" is made."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.toml").write_bytes(EXAMPLES[0].read_bytes())
    extra = {"render": ["r.toml"], "extract": ["r.docx"], "review": ["."], "rollup": ["r.toml", "--issuer", "x"]}
    result = runner.invoke(app, [command, *extra.get(command, []), "-o", "new/"])
    assert result.exit_code == 2, result.output
    assert "是文件夹" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.toml"]


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_init_writes_a_valid_starter(runner: CliRunner, tmp_path: Path, fmt: str) -> None:
    """Every row of the format is in the starter, labelled, and the starter validates as written."""
    from docgen.statute import FORMAT_SPECS

    target = tmp_path / "sub" / "new.toml"
    assert runner.invoke(app, ["init", "-o", str(target), "--format", fmt]).exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith("#:schema ")
    schema_ref = text.splitlines()[0].split(" ", 1)[1]
    assert (target.parent / schema_ref).resolve().exists()
    for path, chain in FORMAT_SPECS[fmt].table_b_leaves():
        assert f"{path[-1]} = {{}}" in text and chain[-1].label.zh in text
    assert "{applications.received.total}" in text
    assert runner.invoke(app, ["validate", str(target)]).exit_code == 0
    again = runner.invoke(app, ["init", "-o", str(target)])
    assert again.exit_code == 2 and target.read_text(encoding="utf-8") == text


def test_missing_sections_are_named_by_their_official_headings(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "bare.toml"
    path.write_text('year = 2024\nissuer = "某局"\ndate = 2025-01-08\n', encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert (
        f"{path}:1: [schema] 四、政府信息公开行政复议、行政诉讼情况：缺少必填项 “appeals”" in result.stdout.splitlines()
    )
    assert f"{path}:1: [schema] 二、主动公开政府信息情况：缺少必填项 “proactive”" in result.stdout.splitlines()


def _imported(*args: str) -> frozenset[str]:
    return import_profile(*args)[1]


def test_validate_and_import_load_no_word_library() -> None:
    """Checking reports stays light: neither ``import docgen`` nor ``docgen validate`` loads the Word stack."""
    validate = _imported("-m", "docgen", "validate", *map(str, EXAMPLES))
    assert "docgen" in validate and "jsonschema" in validate
    assert not validate & WORD_STACK
    assert not _imported("-c", "import docgen") & WORD_STACK
    assert _imported("-c", "import docgen; docgen.render") >= WORD_STACK  # and render does


def test_ctrl_c_while_docgen_starts_is_a_word_not_a_traceback() -> None:
    """Ctrl-C as ``python -m docgen`` loads its modules (raised here as jsonschema is imported, which the
    checks need) exits 130 with a word."""
    import subprocess
    import sys

    stop = (
        "import sys, importlib.abc\n"
        "class Stop(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path, target=None):\n"
        "        if name == 'jsonschema':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Stop())\n"
        "import runpy\n"
        "runpy.run_module('docgen', run_name='__main__')\n"
    )
    done = subprocess.run([sys.executable, "-c", stop], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 130 and "Traceback" not in done.stderr and "interrupted" in done.stderr


def test_english_reaches_file_errors(runner: CliRunner, tmp_path: Path) -> None:
    """--lang en turns a file error into English too, not only the issues."""
    absent = tmp_path / "absent.toml"
    result = runner.invoke(app, ["render", str(absent), "--lang", "en"])
    assert result.exit_code == 3
    assert result.stderr.strip() == f"{absent}: no such file or directory"
    chinese = runner.invoke(app, ["render", str(absent)])
    assert chinese.stderr.strip() == f"{absent}: 文件或目录不存在"


def test_validate_given_a_folders_defaults_by_a_shell_glob_skips_them(runner: CliRunner) -> None:
    """`docgen validate county/*.toml` names _defaults.toml too; it is what the reports lie over, not a report."""
    county = sorted((EXAMPLES[0].parent / "county").glob("*.toml"))
    assert any(path.name == "_defaults.toml" for path in county)
    result = runner.invoke(app, ["validate", *map(str, county)])
    assert result.exit_code == 0 and "_defaults.toml" not in result.output, result.output


def test_an_unreadable_input_is_a_file_failure(tmp_path: Path) -> None:
    """A report the user may not read: exit 3 with the system's reason, as the README promises (Typer's own
    check said exit 2).  Run as another user when the tests run as root, who may read anything."""
    import os
    import shutil
    import subprocess
    import sys

    folder = Path(tempfile.mkdtemp(prefix="docgen-unreadable-", dir="/tmp"))  # a folder any user may enter
    os.chmod(folder, 0o755)
    report = folder / "secret.toml"
    report.write_text("year = 2024\n", encoding="utf-8")
    report.chmod(0o000)
    command = [sys.executable, "-m", "docgen", "validate", str(report)]
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: no user to whom the file is unreadable")
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    finally:
        shutil.rmtree(folder)
    assert done.returncode == 3, done.stderr
    assert done.stderr.strip() == f"{report}: 没有权限"
    behind = subprocess.run([*command[:-1], str(tmp_path / "x" / "r.toml")], capture_output=True, text=True, timeout=60)
    assert behind.returncode == 3 and "Traceback" not in behind.stderr, behind.stderr  # behind a closed folder
