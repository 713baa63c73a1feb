"""The county's store: one SQLite file with every body of the roster, its secret link, and every version saved.

A token is random (192 bits) and only its SHA-256 is kept, so a copy of
the file gives no one a link.  A save is one transaction that adds a version
only when the version the saver started from is still the latest: two
browsers on one report never lose a save silently, the second is told of the
conflict.  The file is in WAL mode, so readers never wait for a writer and a
crash loses at most the save in flight.  Back it up with ``sqlite3 FILE
".backup COPY"`` (or by copying the folder while the server is stopped).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import os
import secrets
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..errors import FileError
from ..statute import Label

FILE_NAME = "docgen.sqlite3"
_FIXED = frozenset({"year", "format", "secret"})  # settings written once, by init
TOKEN_BYTES = 24  # 192 bits
ADMIN = "admin"

State = Literal["not_started", "errors", "valid", "downloaded"]
STATES: dict[State, Label] = {
    "not_started": Label("未开始", "not started"),
    "errors": Label("草稿，有错误", "draft with errors"),
    "valid": Label("已通过校验", "valid"),
    "downloaded": Label("已下载", "downloaded"),
}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS bodies (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    roster_id TEXT,
    token_hash TEXT NOT NULL UNIQUE,
    downloaded INTEGER  -- the version last downloaded as a Word file
);
CREATE TABLE IF NOT EXISTS versions (
    body_id INTEGER NOT NULL REFERENCES bodies(id),
    number INTEGER NOT NULL,
    data TEXT NOT NULL,  -- the report as docgen's JSON
    saved_at TEXT NOT NULL,
    saved_by TEXT NOT NULL,
    errors INTEGER NOT NULL,
    warnings INTEGER NOT NULL,
    PRIMARY KEY (body_id, number)
);
"""


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


@dataclass(frozen=True)
class Body:
    id: int
    name: str
    roster_id: str | None
    downloaded: int | None


@dataclass(frozen=True)
class Version:
    """One save of a body's report: its number (1 is what ``serve init`` prepared), the report, when and by whom."""

    number: int
    data: str
    saved_at: str
    saved_by: str
    errors: int
    warnings: int

    def report(self) -> dict[str, Any]:
        from ..inputs import parse

        return parse(self.data, "report.json").data


@dataclass(frozen=True)
class Conflict:
    """A save refused: the report changed since the saver's version; the latest is ``current``."""

    current: Version


def state_of(body: Body, version: Version) -> State:
    if version.number == 1:
        return "not_started"
    if version.errors:
        return "errors"
    return "downloaded" if body.downloaded == version.number else "valid"


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()


class Store:
    """The store in ``folder``; each call opens its own connection, so a Store serves many threads."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / FILE_NAME
        self._fixed: dict[str, str] = {}
        if not self.path.is_file():
            raise FileError(
                path=str(self.folder),
                reason=Label(
                    "不是 docgen serve 的数据文件夹（先运行 docgen serve init）",
                    "not a docgen serve data folder (run docgen serve init first)",
                ),
            )

    @contextmanager
    def _connection(self, *, write: bool = False) -> Iterator[sqlite3.Connection]:
        connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute("PRAGMA busy_timeout = 30000")
            if write:
                connection.execute("BEGIN IMMEDIATE")  # one writer at a time; readers go on (WAL)
                try:
                    yield connection
                except BaseException:
                    connection.execute("ROLLBACK")
                    raise
                connection.execute("COMMIT")
            else:
                yield connection
        finally:
            connection.close()

    # --- creating ------------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        folder: str | Path,
        bodies: Sequence[tuple[str, str | None, str]],
        settings: dict[str, str],
    ) -> tuple[Store, dict[str, str]]:
        """A new store in ``folder`` with ``bodies`` (name, roster id, the report's first version as JSON) and
        ``settings`` (year, format); the token of each body and of the admin, by name (``admin``)."""
        target = Path(folder)
        target.mkdir(mode=0o700, parents=True, exist_ok=True)  # the reports, and the journal beside the store
        path = target / FILE_NAME
        if path.exists():
            raise FileError(
                path=str(path),
                reason=Label("已存在：数据文件夹已建立，不再覆盖", "already exists: the data folder is set up"),
            )
        tokens = {ADMIN: new_token()}
        connection = sqlite3.connect(path, isolation_level=None)
        os.chmod(path, 0o600)
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            connection.executescript(_SCHEMA)
            connection.execute("BEGIN")
            all_settings = {**settings, "secret": secrets.token_hex(32), "admin": digest(tokens[ADMIN])}
            connection.executemany("INSERT INTO settings VALUES (?, ?)", sorted(all_settings.items()))
            for name, roster_id, data in bodies:
                tokens[name] = new_token()
                cursor = connection.execute(
                    "INSERT INTO bodies (name, roster_id, token_hash) VALUES (?, ?, ?)",
                    (name, roster_id, digest(tokens[name])),
                )
                connection.execute(
                    "INSERT INTO versions VALUES (?, 1, ?, ?, ?, 0, 0)", (cursor.lastrowid, data, _now(), "init")
                )
            connection.execute("COMMIT")
        except BaseException:
            connection.close()
            path.unlink(missing_ok=True)
            raise
        connection.close()
        return cls(target), tokens

    # --- reading -------------------------------------------------------------------------------

    def setting(self, key: str) -> str:
        """A setting of the store; the year, the format and the secret never change, so they are read once (the
        admin's digest is read each time: ``serve rotate`` changes it from another process)."""
        if key in self._fixed:
            return self._fixed[key]
        with self._connection() as db:
            row = db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        value = str(row[0]) if row else ""
        if key in _FIXED:
            self._fixed[key] = value
        return value

    def body_of(self, token: str) -> Body | None:
        """The body whose link holds ``token``, or None (compared by digest, never by the token itself)."""
        with self._connection() as db:
            row = db.execute(
                "SELECT id, name, roster_id, downloaded FROM bodies WHERE token_hash = ?", (digest(token),)
            ).fetchone()
        return Body(*row) if row else None

    def is_admin(self, token: str) -> bool:
        return hmac.compare_digest(digest(token), self.setting("admin"))

    def bodies(self) -> list[tuple[Body, Version]]:
        """Every body, in the roster's order, with its latest version."""
        with self._connection() as db:
            rows = db.execute(
                "SELECT b.id, b.name, b.roster_id, b.downloaded, v.number, v.data, v.saved_at, v.saved_by, "
                "v.errors, v.warnings FROM bodies b JOIN versions v ON v.body_id = b.id "
                "AND v.number = (SELECT MAX(number) FROM versions WHERE body_id = b.id) ORDER BY b.id"
            ).fetchall()
        return [(Body(*row[:4]), Version(*row[4:])) for row in rows]

    def body(self, name: str) -> Body | None:
        with self._connection() as db:
            row = db.execute("SELECT id, name, roster_id, downloaded FROM bodies WHERE name = ?", (name,)).fetchone()
        return Body(*row) if row else None

    def latest(self, body: Body) -> Version:
        with self._connection() as db:
            row = db.execute(
                "SELECT number, data, saved_at, saved_by, errors, warnings FROM versions WHERE body_id = ? "
                "ORDER BY number DESC LIMIT 1",
                (body.id,),
            ).fetchone()
        return Version(*row)

    def version(self, body: Body, number: int) -> Version | None:
        with self._connection() as db:
            row = db.execute(
                "SELECT number, data, saved_at, saved_by, errors, warnings FROM versions "
                "WHERE body_id = ? AND number = ?",
                (body.id, number),
            ).fetchone()
        return Version(*row) if row else None

    def history(self, body: Body, limit: int | None = 20) -> list[Version]:
        """The latest versions (every one when ``limit`` is None), newest first."""
        with self._connection() as db:
            rows = db.execute(
                "SELECT number, data, saved_at, saved_by, errors, warnings FROM versions WHERE body_id = ? "
                "ORDER BY number DESC LIMIT ?",
                (body.id, -1 if limit is None else limit),
            ).fetchall()
        return [Version(*row) for row in rows]

    # --- writing -------------------------------------------------------------------------------

    def save(self, body: Body, data: str, *, base: int, by: str, errors: int, warnings: int) -> Version | Conflict:
        """Add a version after ``base``, or, when another save came first, a :class:`Conflict`."""
        with self._connection(write=True) as db:
            latest = db.execute("SELECT MAX(number) FROM versions WHERE body_id = ?", (body.id,)).fetchone()[0]
            if latest != base:
                row = db.execute(
                    "SELECT number, data, saved_at, saved_by, errors, warnings FROM versions "
                    "WHERE body_id = ? AND number = ?",
                    (body.id, latest),
                ).fetchone()
                return Conflict(Version(*row))
            version = Version(latest + 1, data, _now(), by, errors, warnings)
            db.execute(
                "INSERT INTO versions VALUES (?, ?, ?, ?, ?, ?, ?)",
                (body.id, version.number, data, version.saved_at, by, errors, warnings),
            )
        return version

    def downloaded(self, body: Body, number: int) -> None:
        with self._connection(write=True) as db:
            db.execute("UPDATE bodies SET downloaded = ? WHERE id = ?", (number, body.id))

    def rotate(self, name: str) -> str:
        """A new token for the body ``name`` (or ``admin``); the old link stops working at once."""
        token = new_token()
        with self._connection(write=True) as db:
            if name == ADMIN:
                db.execute("UPDATE settings SET value = ? WHERE key = 'admin'", (digest(token),))
                return token
            changed = db.execute("UPDATE bodies SET token_hash = ? WHERE name = ?", (digest(token), name)).rowcount
        if not changed:
            raise FileError(path=name, reason=Label("名册中没有这个单位", "no such body on the roster"))
        return token

    def csrf(self, token: str) -> str:
        """The value a form of the page of ``token`` carries: only a page served for that link has it."""
        return hmac.new(bytes.fromhex(self.setting("secret")), digest(token).encode(), hashlib.sha256).hexdigest()


def dumps(data: dict[str, Any]) -> str:
    """A report as the store keeps it: docgen's JSON, money with its decimals as typed."""
    from ..outputs.jsonfile import report_json

    return report_json(data)
