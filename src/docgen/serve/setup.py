"""A new store: one record per body of the roster, each report begun from last year's, and the secret links."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import FileError, FormatError
from ..files import write_atomic
from ..inputs import load_report
from ..inputs.roster import Body, read_roster
from ..model import lookup, tabulate
from ..reviews import previous_reports
from ..statute import FORMAT_SPECS, TABLE_B_COLUMNS, Label
from .store import ADMIN, Store, dumps

LINKS = "links.csv"


@dataclass(frozen=True)
class Link:
    body: str
    token: str
    url: str


def first_version(body: Body, year: int, fmt: str, last: dict[str, Any] | None) -> dict[str, Any]:
    """A body's report as its page first shows it: its name and year; from last year's report, 二、上年结转 (last
    year's 四、结转下年度) and last year's texts as a starting point."""
    data: dict[str, Any] = {"format": fmt, "year": year, "issuer": body.name}
    if last is None:
        return data
    cells = tabulate(last).cells
    carried = {
        column.key: cells[path].value
        for column in TABLE_B_COLUMNS
        if (path := ("applications", "carried_forward", column.key)) in cells and cells[path].state != "blank"
    }
    if carried:
        data["applications"] = {"carried_in": carried}
    for key in ("overview", "problems", "other_matters"):
        text = lookup(last, (key, "text"))
        if isinstance(text, str):
            data[key] = {"text": text}
    sections = lookup(last, ("overview", "sections"))
    if isinstance(sections, list) and sections:
        data.setdefault("overview", {})["sections"] = sections
    return data


def links(tokens: dict[str, str], url: str) -> list[Link]:
    base = url.rstrip("/")
    return [Link(name, token, f"{base}/{'a' if name == ADMIN else 'r'}/{token}") for name, token in tokens.items()]


def links_csv(rows: Sequence[Link]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["body", "token", "url"])
    for row in rows:
        writer.writerow([row.body, row.token, row.url])
    return out.getvalue().encode("utf-8")


def init(
    folder: str | Path,
    *,
    roster: str | Path,
    year: int,
    fmt: str = "2021",
    previous: str | Path | None = None,
    url: str = "http://127.0.0.1:8000",
) -> list[Link]:
    """Set up the store in ``folder`` and write its links (``links.csv``, readable by its owner alone); the
    links, the admin's first."""
    if fmt not in FORMAT_SPECS:
        raise FormatError(fmt)
    if previous is not None and not Path(previous).is_dir():
        raise FileError(path=str(previous), reason=Label("不是文件夹", "is not a folder"))
    bodies = read_roster(roster)
    if any(body.name.casefold() == ADMIN for body in bodies):
        raise FileError(
            path=str(roster),
            reason=Label(
                f"名册中有单位名为 {ADMIN}，与管理员的链接同名：请改用单位全称",
                f"a body on the roster is called {ADMIN}, as the admin's link is: give its full name",
            ),
        )
    last: list[Any] = list(previous_reports(previous, bodies, year)) if previous is not None else [None] * len(bodies)
    prepared = []
    for body, found in zip(bodies, last, strict=True):
        data = load_report(found).data if found is not None else None
        prepared.append((body.name, body.id, dumps(first_version(body, year, fmt, data))))
    _, tokens = Store.create(folder, prepared, {"year": str(year), "format": fmt})
    made = links(tokens, url)
    target = Path(folder) / LINKS
    write_atomic(target, links_csv(made))
    os.chmod(target, 0o600)
    return made


def rotate(folder: str | Path, name: str, *, url: str | None = None) -> Link:
    """A new link for ``name`` (a body, or ``admin``); ``links.csv`` is rewritten with it."""
    store = Store(folder)
    token = store.rotate(name)
    target = Path(folder) / LINKS
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8")))) if target.exists() else [["body"]]
    base = url or next((r[2].rsplit("/", 2)[0] for r in rows[1:] if len(r) == 3), "http://127.0.0.1:8000")
    link = links({name: token}, base)[0]
    kept = [Link(*r) for r in rows[1:] if len(r) == 3 and r[0] != name]
    write_atomic(target, links_csv([*kept, link]))
    os.chmod(target, 0o600)
    return link
