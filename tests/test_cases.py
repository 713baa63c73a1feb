"""Rule cases: each folder under cases/<rule>/<pass|fail>/ holds an input and the messages it must give."""

from __future__ import annotations

from pathlib import Path

import pytest

import docgen
from docgen.inputs.documents import DOCUMENT_SUFFIXES
from docgen.statute import RULES

CASES = Path(__file__).parent / "cases"
FOLDERS = sorted(p for p in CASES.glob("*/*/*") if p.is_dir())


def _messages(folder: Path) -> tuple[docgen.Issue, ...]:
    source_file = next(p for p in folder.iterdir() if p.name.startswith("input."))
    previous_file = folder / "previous.toml"
    try:
        read = docgen.extract if source_file.suffix in DOCUMENT_SUFFIXES else docgen.load
        source = read(source_file, display=source_file.name)
        previous = docgen.load(previous_file, display=previous_file.name) if previous_file.exists() else None
    except docgen.InputError as exc:
        return exc.issues
    return docgen.check(source, previous=previous).issues


@pytest.mark.parametrize("folder", FOLDERS, ids=[str(p.relative_to(CASES)) for p in FOLDERS])
def test_case_gives_its_expected_messages(folder: Path) -> None:
    """The messages, in order, are exactly those in expected.txt."""
    expected = (folder / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert [i.format() for i in _messages(folder)] == expected


@pytest.mark.parametrize("folder", FOLDERS, ids=[str(p.relative_to(CASES)) for p in FOLDERS])
def test_case_breaks_or_keeps_its_rule(folder: Path) -> None:
    """A fail case breaks the rule it is filed under; a pass case raises nothing at all."""
    rule, verdict = folder.parent.parent.name, folder.parent.name
    rules = {i.rule for i in _messages(folder)}
    if verdict == "fail":
        assert rule in rules or (rule == "encoding" and "syntax" in rules)
    else:
        assert rules == set()


@pytest.mark.parametrize("rule", sorted(RULES))
def test_every_rule_has_both_kinds_of_case(rule: str) -> None:
    """Each rule of the statutory structure has a breaking case and a passing one."""
    for verdict in ("pass", "fail"):
        folder = CASES / rule / verdict
        assert folder.is_dir() and any(folder.iterdir()), f"add a case under tests/cases/{rule}/{verdict}/"
