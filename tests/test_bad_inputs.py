"""Bad inputs, paths and files: each case folder under bad_inputs/ runs one command and must give one message.

A case folder holds ``case.toml`` (what it shows, the command, the exit code
the README promises, a line the output must hold, what it must not hold, and
what may be written)
and the files the command reads.  The command runs in a copy of the folder;
afterwards no traceback was printed, every file that was there is unchanged,
and no file is there that ``writes`` does not name.  ``links`` makes symbolic
links and ``make`` writes files too large or too odd to keep in the
repository, by one of the generators below; ``fifos`` makes named pipes;
``env`` sets environment variables (a shorter render time budget).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from docgen.cli import app

CASES = Path(__file__).parent / "bad_inputs"
FOLDERS = sorted(p for p in CASES.iterdir() if (p / "case.toml").is_file())

GENERATORS: dict[str, Callable[[], bytes]] = {
    "deep-json": lambda: b"[" * 100_000 + b"]" * 100_000,
    "deep-toml": lambda: b"x = " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
    "long-integer-json": lambda: b'{"year": ' + b"9" * 5000 + b"}",
    "long-integer-toml": lambda: b"year = " + b"9" * 5000 + b"\n",
    "large": lambda: b"# " + b"x" * (40 << 20) + b"\n",
    "large-docx": lambda: b"PK\x03\x04" + b"\0" * (70 << 20),
    "long-text-toml": lambda: (
        (CASES / "render-text-longer-than-lxml-allows" / "base.toml")
        .read_text(encoding="utf-8")
        .replace("深入贯彻", "持续深化政务公开。" * 400_000, 1)
        .encode("utf-8")
    ),
    "dotted-key-toml": lambda: b"a" + b".a" * 100_000 + b" = 1\n",
    "integer-4000-toml": lambda: b"year = " + b"9" * 4000 + b"\n",
}


def _snapshot(folder: Path) -> dict[str, str]:
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            out[str(path.relative_to(folder))] = "-> " + os.readlink(path)
        elif path.is_file():
            out[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.mark.parametrize("folder", FOLDERS, ids=[p.name for p in FOLDERS])
def test_a_bad_input_gets_its_message_and_loses_nothing(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case: dict[str, Any] = tomllib.loads((folder / "case.toml").read_text(encoding="utf-8"))
    work = tmp_path / "case"
    shutil.copytree(folder, work, ignore=shutil.ignore_patterns("case.toml"))
    for name, generator in case.get("make", {}).items():
        (work / name).write_bytes(GENERATORS[generator]())
    for name, target in case.get("links", {}).items():
        (work / name).symlink_to(target)
    for name in case.get("fifos", []):
        os.mkfifo(work / name)
    for variable, value in case.get("env", {}).items():
        monkeypatch.setenv(variable, value)
    before = _snapshot(work)
    monkeypatch.chdir(work)
    result = CliRunner().invoke(app, case["command"])
    output = result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), f"{result.exception!r}\n{output}"
    assert "Traceback" not in output, output
    assert result.exit_code == case["exit"], output
    assert case["message"] in output.splitlines(), output
    for secret in case.get("absent", []):  # what a hostile file tried to read must not show
        assert secret not in output, output
    after = _snapshot(work)
    for name, digest in before.items():
        assert after.get(name) == digest, f"{name} was changed or removed"
    assert set(after) - set(before) <= set(case.get("writes", [])), f"stray files: {set(after) - set(before)}"


def test_there_are_enough_cases() -> None:
    assert len(FOLDERS) >= 60, f"{len(FOLDERS)} cases in tests/bad_inputs/"
