"""Where the shipped schemas and templates are: inside the wheel, or in a source checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parents[2]


def resource_dir(name: str) -> Path:
    """``schemas`` or ``templates``: the copy packed into the wheel, else the checkout's own."""
    packed = Path(str(resources.files("docgen"))) / name
    if packed.is_dir():
        return packed
    return _CHECKOUT / name


def schema_path(fmt: str) -> Path:
    from .schema import schema_filename

    return resource_dir("schemas") / schema_filename(fmt)
