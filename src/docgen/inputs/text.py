"""Reading a TOML or JSON report: decoding, parsing, and the line of every value."""

from __future__ import annotations

import codecs
import datetime
import json
import re
import tomllib
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from ..errors import InputError
from ..files import read_limited
from ..issues import Issue, LineLocation
from ..statute import Label
from .source import DataPath, Source

Kind = Literal["toml", "json"]


@dataclass(frozen=True)
class TextLocator:
    """Places in a TOML or JSON file: the line of every value, found when a message first needs one."""

    file: str
    text: str
    kind: Kind

    @cached_property
    def lines(self) -> dict[DataPath, int]:
        """The line of every value; the text is walked again only now, since a valid report needs no place."""
        return (_JsonLines if self.kind == "json" else _TomlLines)(self.text).run()

    def holds(self, path: DataPath) -> bool:
        return path in self.lines

    def line_of(self, path: DataPath) -> int:
        for end in range(len(path), 0, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return 1

    def at(self, path: DataPath) -> LineLocation:
        return LineLocation(self.file, self.line_of(path))

    def quoting(self, path: DataPath, snippet: str) -> LineLocation:
        """The first line, from the value's own, whose text contains ``snippet``."""
        start = self.line_of(path)
        for number, line in enumerate(self.text.split("\n")[start - 1 :], start):  # not at U+2028
            if snippet in line:
                return LineLocation(self.file, number)
        return LineLocation(self.file, start)


def _issue(name: str, line: int, rule: str, detail: Label, *, expected: str = "") -> Issue:
    return Issue(location=LineLocation(name, line), path="", rule=rule, expected=expected, detail=detail)


# --- decoding ---------------------------------------------------------------------------

_CJK_TEXT = re.compile(
    r"[\t\n\r\x20-\x7e\u00a0-\u00ff\u2000-\u206f\u2100-\u214f\u2160-\u2188\u2460-\u24ff\u2500-\u257f"
    r"\u25a0-\u25ff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]*"
)

_OFFICE = (b"\xd0\xcf\x11\xe0", b"PK\x03\x04")  # an old .xls or .doc, or a zip: .xlsm, .ods, .docx


def decode(raw: bytes, name: str) -> tuple[str, tuple[Issue, ...]]:
    """UTF-8 (with or without a BOM), UTF-16 with a BOM, or GB18030 text that reads as Chinese."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), ()
    try:
        return raw.decode("utf-8"), ()
    except UnicodeDecodeError as exc:
        bad_line = raw[: exc.start].count(b"\n") + 1
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        text = ""
    if text and _CJK_TEXT.fullmatch(text):
        note = Label(
            "文件按 GB18030（GBK）编码读取；请另存为 UTF-8 编码，以免其他工具读错",
            "read as GB18030 (GBK); save the file as UTF-8 so that other tools read it right",
        )
        return text, (_issue(name, bad_line, "encoding", note),)
    refusal = Label(
        "文件不是 UTF-8 编码，也不是可识别的 GB18030（GBK）中文文本；请用编辑器另存为 UTF-8 编码后重试",
        "the file is neither UTF-8 nor readable GB18030 (GBK) Chinese text; save it as UTF-8 and try again",
    )
    raise InputError(issues=[_issue(name, bad_line, "syntax", refusal, expected="UTF-8")])


# --- parsing ----------------------------------------------------------------------------


# no figure of a report needs more: a figure past these is a slip or an attack, refused before it is
# converted (a 5,000-digit integer, 1e999999999 formatted as digits)
MAX_DIGITS = 30
MAX_EXPONENT = 30
MAX_DEPTH = 20  # tables, rows and cells nest four or five deep
MAX_INPUT_BYTES = 16 << 20  # a report is a few kilobytes; a roster of a province under a megabyte


_NESTED = Label(f"嵌套层数过多（报告最多 {MAX_DEPTH} 层）", f"nested too deep (a report has at most {MAX_DEPTH})")


class _RefusedError(Exception):
    """A value refused while parsing: its text, and why."""

    def __init__(self, literal: str, detail: Label) -> None:
        self.literal, self.detail = literal, detail


def _too_long(literal: str) -> _RefusedError:
    shown = literal if len(literal) <= 20 else literal[:20] + "…"
    return _RefusedError(
        literal,
        Label(
            f"数字 {shown} 超出范围（最多 {MAX_DIGITS} 位数字，指数不超过 {MAX_EXPONENT}）",
            f"the number {shown} is out of range (at most {MAX_DIGITS} digits, an exponent up to {MAX_EXPONENT})",
        ),
    )


def _number(text: str) -> Decimal | float:
    """Decimals stay as written ("18.8710"); inf and nan stay floats so the validator can refuse them."""
    plain = text.replace("_", "")
    mantissa, _, exponent = plain.lower().partition("e")
    if sum(ch.isdigit() for ch in mantissa) > MAX_DIGITS or len(exponent) > 3 or abs(int(exponent or 0)) > MAX_EXPONENT:
        raise _too_long(text)
    value = Decimal(plain)
    return value if value.is_finite() else float(plain)


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _too_long(text)
    return int(text)


class _DuplicateKeyError(Exception):
    """A JSON object gives a key twice; where (``line``, of the second) is found by walking the text."""

    def __init__(self, key: str = "", line: int = 0) -> None:
        self.key, self.line = key, line


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object; a key given twice is refused (TOML refuses it too), not silently the last one."""
    out = dict(pairs)
    if len(out) < len(pairs):
        raise _DuplicateKeyError
    return out


def _duplicate(text: str) -> _DuplicateKeyError:
    """The first key the JSON ``text`` gives twice in one object, with the line of its second time."""
    try:
        _JsonLines(text).run()
    except _DuplicateKeyError as found:
        return found
    return _DuplicateKeyError()  # not reached: the parser found one


# a table header, or a line that starts with a bare key (a text line holds other characters before any "=")
_KEY_PART = re.compile(r"^[ \t]*(?:\[+([^\]\n]*)\]|([A-Za-z0-9_.\-\t ]+)=)", re.M)


def _dotted_depth(text: str) -> None:
    for found in _KEY_PART.finditer(text):
        key = found.group(1) or found.group(2) or ""
        if key.count(".") > MAX_DEPTH:
            raise _RefusedError(key[:40], _NESTED)


def _bounded_integers(value: Any) -> None:
    if isinstance(value, dict):
        for item in value.values():
            _bounded_integers(item)
    elif isinstance(value, list):
        for item in value:
            _bounded_integers(item)
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**MAX_DIGITS:
        raise _too_long(str(value))


def _depth(value: Any, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level


def _plain(value: Any) -> Any:
    """TOML dates become ISO strings, so TOML and JSON give the same tree."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return value


_TOML_AT = re.compile(r"\(at line (\d+), column (\d+)\)")


def kind_of(name: str) -> Kind:
    """ "json" for a .json file, "toml" for anything else."""
    return "json" if name.lower().endswith(".json") else "toml"


def parse(text: str, name: str, *, kind: Kind | None = None) -> Source:
    """Parse report text; ``kind`` is "toml" or "json", guessed from the name when omitted."""
    kind = kind or kind_of(name)
    try:
        if kind == "json":
            data = json.loads(
                text, parse_float=_number, parse_int=_integer, parse_constant=float, object_pairs_hook=_object
            )
        else:
            _dotted_depth(text)  # tomllib takes quadratic time over a key dotted 100,000 times
            data = _plain(tomllib.loads(text, parse_float=_number))
            _bounded_integers(data)  # tomllib has no hook for integers, as json has
    except _DuplicateKeyError:
        twice = _duplicate(text)
        detail = Label(f"键 “{twice.key}” 出现了两次", f"the key “{twice.key}” is given twice")
        raise InputError(issues=[_issue(name, twice.line, "syntax", detail)]) from None
    except _RefusedError as exc:
        raise InputError(issues=[_issue(name, _line_of(text, exc.literal), "syntax", exc.detail)]) from None
    except RecursionError:
        raise InputError(issues=[_issue(name, 1, "syntax", _NESTED)]) from None
    except json.JSONDecodeError as exc:
        detail = Label(
            f"JSON 语法错误：{exc.msg}（第 {exc.colno} 列）", f"JSON syntax error: {exc.msg} (column {exc.colno})"
        )
        raise InputError(issues=[_issue(name, exc.lineno, "syntax", detail)]) from None
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_AT.search(str(exc))
        line = int(found.group(1)) if found else text.count("\n") + 1  # "at end of document"
        msg = _TOML_AT.sub("", str(exc)).replace("(at end of document)", "").strip()
        detail = Label(f"TOML 语法错误：{msg}", f"TOML syntax error: {msg}")
        raise InputError(issues=[_issue(name, line, "syntax", detail)]) from None
    except ValueError:  # tomllib's integers past Python's limit of digits
        literal = next(iter(re.findall(rf"\d{{{MAX_DIGITS + 1},}}", text)), "")
        refused = _too_long(literal)
        raise InputError(issues=[_issue(name, _line_of(text, literal), "syntax", refused.detail)]) from None
    if not isinstance(data, dict):
        detail = Label("文件顶层应为一个对象（表）", "the top level of the file must be an object")
        raise InputError(issues=[_issue(name, 1, "syntax", detail)])
    if _depth(data) > MAX_DEPTH:
        detail = Label(
            f"嵌套层数过多（报告最多 {MAX_DEPTH} 层）", f"nested too deep (a report has at most {MAX_DEPTH})"
        )
        raise InputError(issues=[_issue(name, 1, "syntax", detail)])
    return Source(name, data, TextLocator(name, text, kind))


def _line_of(text: str, literal: str) -> int:
    """The line where ``literal`` is first written."""
    return text.count("\n", 0, max(text.find(literal), 0)) + 1


def load(path: str | Path, *, display: str | None = None) -> Source:
    """Read and parse a report file; ``display`` is the name messages use (default: the path as given)."""
    name = display if display is not None else str(path)
    raw = read_limited(Path(path), name, MAX_INPUT_BYTES, Label("一份报告", "a report"))
    if raw.startswith(_OFFICE):
        detail = Label(
            "这是 Office 文件（工作簿或文档），不是 TOML 或 JSON 文本：报告表请另存为 .xlsx 格式后再用",
            "this is an office file (a workbook or document), not TOML or JSON: save a form as .xlsx to use it",
        )
        raise InputError(issues=[_issue(name, 1, "syntax", detail)])
    text, notes = decode(raw, name)
    return replace(parse(text, name), issues=notes)


# --- where each value stands ------------------------------------------------------------
# tomllib and json keep no positions, so these walk the text again.  They run only on
# text the parser accepted, so they can assume it is well formed.


class _Scanner:
    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0
        self.line = 1
        self.lines: dict[DataPath, int] = {}

    def peek(self, n: int = 1) -> str:
        return self.s[self.i : self.i + n]

    def advance(self, n: int = 1) -> None:
        self.line += self.s.count("\n", self.i, self.i + n)
        self.i += n

    def skip(self, chars: str) -> None:
        while self.i < len(self.s) and self.s[self.i] in chars:
            self.advance()

    def skip_comment(self) -> None:
        if self.peek() == "#":
            end = self.s.find("\n", self.i)
            self.advance((len(self.s) if end < 0 else end) - self.i)

    def string(self, quote: str, escapes: bool) -> str:
        """Consume a quoted string starting at its opening quote and return its raw body."""
        self.advance(len(quote))
        start = self.i
        while self.i < len(self.s) and not self.s.startswith(quote, self.i):
            self.advance(2 if escapes and self.peek() == "\\" else 1)
        # a multi-line string may end with up to two extra quotes that belong to its body
        while quote in ('"""', "'''") and self.s.startswith(quote + quote[0], self.i):
            self.advance()
        body = self.s[start : self.i]
        self.advance(len(quote))
        return body

    def record(self, path: DataPath) -> None:
        self.lines.setdefault(path, self.line)


class _TomlLines(_Scanner):
    BARE = re.compile(r"[A-Za-z0-9_-]+")

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.arrays: dict[DataPath, int] = {}

    def run(self) -> dict[DataPath, int]:
        table: DataPath = ()
        while self.i < len(self.s):
            self.skip(" \t\r\n")
            self.skip_comment()
            if self.i >= len(self.s) or self.peek() in "\r\n":
                continue
            if self.peek(2) == "[[":
                self.advance(2)
                key = self.key()
                table = self.resolve(key[:-1]) + key[-1:]
                index = self.arrays.get(table, -1) + 1
                self.arrays[table] = index
                self.record(table)
                table = table + (index,)
                self.record(table)
                self.advance(2)
            elif self.peek() == "[":
                self.advance()
                table = self.resolve(self.key())
                self.record(table)
                self.advance()
            else:
                self.pair(table)
        return self.lines

    def resolve(self, key: DataPath) -> DataPath:
        """A header's key with the current index of each array of tables it passes through."""
        out: DataPath = ()
        for part in key:
            out = out + (part,)
            if out in self.arrays:
                out = out + (self.arrays[out],)
        return out

    def key(self) -> DataPath:
        parts: list[str] = []
        while True:
            self.skip(" \t")
            if self.peek() == '"':
                parts.append(json.loads('"' + self.string('"', True) + '"'))
            elif self.peek() == "'":
                parts.append(self.string("'", False))
            else:
                found = self.BARE.match(self.s, self.i)
                end = found.end() if found else self.i
                parts.append(self.s[self.i : end])
                self.advance(end - self.i)
            self.skip(" \t")
            if self.peek() != ".":
                return tuple(parts)
            self.advance()

    def pair(self, table: DataPath) -> None:
        path = table + self.key()
        self.record(path)
        self.skip(" \t")
        self.advance()  # =
        self.value(path)

    def value(self, path: DataPath) -> None:
        self.skip(" \t")
        head = self.peek(3)
        if head in ('"""', "'''"):
            self.string(head, head == '"""')
        elif head[:1] in "\"'":
            self.string(head[0], head[0] == '"')
        elif head[:1] == "{":
            self.advance()
            while True:
                self.skip(" \t")
                if self.peek() == "}":
                    break
                self.pair(path)
                self.skip(" \t")
                if self.peek() == ",":
                    self.advance()
            self.advance()
        elif head[:1] == "[":
            self.advance()
            index = 0
            while True:
                self.skip_blank()
                if self.peek() == "]":
                    break
                self.record(path + (index,))
                self.value(path + (index,))
                self.skip_blank()
                if self.peek() == ",":
                    self.advance()
                    index += 1
            self.advance()
        else:
            while self.i < len(self.s) and self.s[self.i] not in ",]}\r\n#":
                self.advance()

    def skip_blank(self) -> None:
        while True:
            self.skip(" \t\r\n")
            if self.peek() != "#":
                return
            self.skip_comment()


class _JsonLines(_Scanner):
    def run(self) -> dict[DataPath, int]:
        self.value(())
        return self.lines

    def value(self, path: DataPath) -> None:
        self.skip(" \t\r\n")
        head = self.peek()
        if head == "{":
            self.advance()
            keys: set[str] = set()
            while True:
                self.skip(" \t\r\n,")
                if self.peek() == "}":
                    break
                key_line = self.line
                key = json.loads('"' + self.string('"', True) + '"')
                if key in keys:  # only in text the parser refused, which is walked up to here
                    raise _DuplicateKeyError(key, key_line)
                keys.add(key)
                self.lines.setdefault(path + (key,), key_line)
                self.skip(" \t\r\n:")
                self.value(path + (key,))
            self.advance()
        elif head == "[":
            self.advance()
            index = 0
            while True:
                self.skip(" \t\r\n")
                if self.peek() == "]":
                    break
                if self.peek() == ",":
                    self.advance()
                    index += 1
                    continue
                self.record(path + (index,))
                self.value(path + (index,))
            self.advance()
        elif head == '"':
            self.string('"', True)
        else:
            while self.i < len(self.s) and self.s[self.i] not in ",]} \t\r\n":
                self.advance()
