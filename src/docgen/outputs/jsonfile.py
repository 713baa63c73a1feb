"""A report as a JSON file: the tree the schema describes, money with the decimals it was written with."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

_MARK = "\u0000decimal:"
_MARKED = re.compile(r'"\\u0000decimal:([-0-9.]+)"')


def _marked(value: Any) -> Any:
    if isinstance(value, Decimal):
        return _MARK + format(value, "f")  # 18.8710 stays 18.8710, as JSON's number and as docgen reads it back
    if isinstance(value, dict):
        return {key: _marked(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_marked(item) for item in value]
    return value


def report_json(data: Mapping[str, Any], *, schema_ref: str | None = None) -> str:
    """The JSON file of report ``data``; parsing it with docgen gives ``data`` back."""
    tree = {"$schema": schema_ref, **data} if schema_ref else dict(data)
    text = json.dumps(_marked(tree), ensure_ascii=False, indent=2)
    return _MARKED.sub(r"\1", text) + "\n"
