"""Reports with random figures that add up, for benchmarks (and some that do not)."""

from __future__ import annotations

import random
from typing import Any

from docgen.statute import APPLICANT_COLUMNS, FORMAT_SPECS, OUTCOME_COLUMNS, TABLE_C_LEAVES

RESULTS = ("applications", "results")


def _put(tree: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        tree = tree.setdefault(key, {})
    tree[path[-1]] = value


def _row(rng: random.Random) -> dict[str, int]:
    columns = rng.sample([c.key for c in APPLICANT_COLUMNS], rng.randint(0, 3))
    return {c: rng.randint(0, 40) for c in columns}


def report(rng: random.Random, fmt_name: str = "2021", *, broken: bool = False) -> dict[str, Any]:
    """A report whose tables balance; ``broken`` changes one applicant cell of （一）予以公开."""
    fmt = FORMAT_SPECS[fmt_name]
    doc: dict[str, Any] = {
        "format": fmt_name,
        "year": 2024,
        "issuer": f"青山县第{rng.randint(1, 999)}局",
        "date": "2025-01-20",
        "overview": {"text": "共收到申请{applications.received.total}件，办结{applications.results.total.total}件。"},
        "problems": {"text": "无"},
    }
    proactive: dict[str, Any] = {}
    for block in fmt.table_a:
        for row in block.rows:
            if block.scalar:
                proactive[row.key] = rng.randint(0, 500)
            else:
                proactive[row.key] = {c.key: rng.randint(0 if c.kind != "signed" else -5, 50) for c in block.columns}
    doc["proactive"] = proactive
    leaves = [p for p, _ in fmt.table_b_leaves() if p[:2] == RESULTS and p[-1] != "total"]
    sums = {c.key: 0 for c in APPLICANT_COLUMNS}
    for path in rng.sample(leaves, rng.randint(1, len(leaves))):
        cells = _row(rng)
        for key, value in cells.items():
            sums[key] += value
        _put(doc, path, {**cells, "total": sum(cells.values())} if rng.random() < 0.5 else cells)
    carried_in = {k: rng.randint(0, min(v, 3)) for k, v in sums.items() if v}
    carried_forward = {k: rng.randint(0, 2) for k in sums if rng.random() < 0.2}
    received = {k: sums[k] + carried_forward.get(k, 0) - carried_in.get(k, 0) for k in sums}
    _put(doc, ("applications", "received"), {k: v for k, v in received.items() if v})
    _put(doc, ("applications", "carried_in"), carried_in)
    _put(doc, ("applications", "carried_forward"), carried_forward)
    _put(doc, RESULTS + ("total",), {**sums, "total": sum(sums.values())})
    appeals: dict[str, Any] = {}
    for path, _ in TABLE_C_LEAVES:
        appeals[path[-1]] = {c.key: rng.randint(0, 3) for c in OUTCOME_COLUMNS}
    doc["appeals"] = appeals
    if broken:
        granted = doc["applications"]["results"].setdefault("granted", {})
        granted["natural_person"] = granted.get("natural_person", 0) + 1
    return doc
