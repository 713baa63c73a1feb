"""Rule cases: each folder under cases/<rule>/<pass|fail>/ holds an input and the messages it must give."""

from __future__ import annotations

from pathlib import Path

import pytest

import docgen

CASES = Path(__file__).parent / "cases"
FOLDERS = sorted(p for p in CASES.glob("*/*/*") if p.is_dir())


def _messages(folder: Path) -> list[docgen.Issue]:
    source_file = next(p for p in folder.iterdir() if p.name.startswith("input."))
    previous_file = folder / "previous.toml"
    try:
        source = docgen.load(source_file, display=source_file.name)
        previous = docgen.load(previous_file, display=previous_file.name) if previous_file.exists() else None
    except docgen.InputError as exc:
        return list(exc.issues)
    return docgen.validate(source, previous=previous)


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


def test_every_rule_has_both_kinds_of_case() -> None:
    """Each rule the validator knows has a breaking case and a passing one."""
    for rule in ("C1", "C3", "C4", "C5", "C6", "C7", "C8", "township", "jump", "schema", "placeholder", "encoding"):
        for verdict in ("pass", "fail"):
            assert any((CASES / rule / verdict).iterdir()), f"{rule}/{verdict}"
