"""Shared fixtures: the repository's own examples and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
SEED = ROOT.parent / "shared" / "seed" / "000_ca0f392f344e543a.txt"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def county() -> Path:
    return ROOT / "examples" / "qingshan-natural-resources-2024.toml"
