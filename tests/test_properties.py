"""Properties over random reports: a changed figure never slips through, and any text is printed or refused."""

from __future__ import annotations

import copy
import random
from typing import Any

from benchmarks.generate import report as random_report
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import docgen
from docgen.model import lookup, tabulate
from docgen.narrative import XML_FORBIDDEN
from docgen.outputs.jsonfile import report_json
from docgen.statute import FORMAT_SPECS, SECTIONS
from docgen.testing import document_texts


def _with_every_total(doc: dict[str, Any]) -> dict[str, Any]:
    """The report with every figure written out, the totals it could leave to docgen included."""
    out = copy.deepcopy(doc)
    for path, cell in tabulate(doc).cells.items():
        if cell.state == "blank":
            continue
        node = out
        for key in path[:-1]:
            if not isinstance(node.get(key), dict):
                node[key] = {}
            node = node[key]
        node[path[-1]] = cell.value
    return out


def _put(doc: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), fmt=st.sampled_from(["2021", "2019"]), delta=st.integers(1, 5))
def test_any_single_changed_figure_is_caught_by_the_rules_it_takes_part_in(seed: int, fmt: str, delta: int) -> None:
    """A valid report that gives all its totals, one figure of a table-B or table-C equation raised: an error
    of one of the rules that figure takes part in, at that figure or at the total it breaks."""
    rng = random.Random(seed)
    doc = _with_every_total(random_report(rng, fmt))
    assert docgen.check(docgen.parse(report_json(doc), "r.json")).ok
    equations = FORMAT_SPECS[fmt].equations
    candidates = sorted(
        {path for eq in equations for path in eq.total + eq.addends if isinstance(lookup(doc, path), int)}
    )
    path = rng.choice(candidates)
    _put(doc, path, lookup(doc, path) + delta)
    rules = {eq.rule for eq in equations if path in eq.total + eq.addends}
    errors = docgen.check(docgen.parse(report_json(doc), "r.json")).errors
    assert {issue.rule for issue in errors} & rules, (path, rules, [i.format() for i in errors])


_FIELDS: tuple[tuple[str | int, ...], ...] = (
    ("issuer",),
    ("title",),
    ("overview", "text"),
    ("overview", "sections", 0, "heading"),
    ("overview", "sections", 0, "text"),
    ("problems", "text"),
    ("other_matters", "text"),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.text(st.characters(blacklist_categories=()), min_size=1, max_size=60),
    field=st.sampled_from(_FIELDS),
)
def test_any_text_is_printed_as_written_or_refused_at_its_place(text: str, field: tuple[str | int, ...]) -> None:
    """Random Unicode (control characters and lone surrogates too) in any text field: the report is refused
    with an error at that field, or the document holds every section, every table, and that text."""
    doc = random_report(random.Random(7), "2021")
    doc["overview"]["sections"] = [{"heading": "主动公开", "text": "正文。"}]
    node: Any = doc
    for key in field[:-1]:
        node = node.setdefault(key, {}) if isinstance(key, str) else node[key]
    node[field[-1]] = text
    source = docgen.parse(report_json(doc), "r.json")
    result = docgen.check(source)
    dotted = ".".join(str(part) for part in field)
    if result.errors:
        assert any(issue.path.startswith(dotted) for issue in result.errors), [i.format() for i in result.errors]
        return
    texts = document_texts(docgen.render(result.require()))
    joined = "".join(texts)
    for _, heading in SECTIONS:
        assert heading.zh in texts, heading.zh  # nothing cut off after the text
    assert str(result.require().tables.value(("applications", "received", "total"))) in joined
    printable = XML_FORBIDDEN.sub("", text)
    for piece in (p for p in printable.split() if "{" not in p and "}" not in p):
        assert piece in joined, (piece, field)


def test_every_text_field_is_tried() -> None:
    """The fields the text property writes into are all the report's text fields."""
    from docgen.model import TEXT_FIELDS

    assert set(_FIELDS) >= set(TEXT_FIELDS)
