"""The report's prose: paragraphs, placeholders, and figures quoted in the text."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from .structure import Label, Path

_KEY = r"[a-z_][a-z0-9_]*"
_DOTTED = rf"{_KEY}(?:\.{_KEY})*"
# ``{{path}}`` prints ``{path}``; ``{path}`` is a placeholder; any other brace is text.
PLACEHOLDER = re.compile(rf"\{{\{{({_DOTTED})\}}\}}|\{{({_DOTTED})\}}")


@dataclass(frozen=True)
class Unknown:
    """A placeholder naming no value, with the closest path that does."""

    placeholder: str
    path: str
    suggestion: str


def closest(name: str, choices: list[str]) -> str:
    """The choice most like ``name``; there is always one, so every message can suggest it."""
    found = difflib.get_close_matches(name, choices, n=1, cutoff=0.0)
    return found[0] if found else ""


def resolve(text: str, values: Mapping[str, str]) -> tuple[str, list[Unknown]]:
    """Replace each placeholder by its value; unknown ones are left as typed and returned."""
    unknown: list[Unknown] = []

    def substitute(match: re.Match[str]) -> str:
        escaped, path = match.group(1), match.group(2)
        if escaped is not None:
            return "{" + escaped + "}"
        if path in values:
            return values[path]
        unknown.append(Unknown(match.group(0), path, closest(path, sorted(values))))
        return match.group(0)

    return PLACEHOLDER.sub(substitute, text), unknown


# XML 1.0 forbids these; Word's manual line break arrives as \x0b when text is pasted from it
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """The text without the characters an XML document cannot hold."""
    return XML_FORBIDDEN.sub("", text)


_CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]")


def paragraphs(text: str) -> tuple[str, ...]:
    """Paragraphs separated by blank lines; a line break inside one joins without a space between Chinese."""
    out: list[str] = []
    for block in re.split(r"\n[ \t\u3000]*\n", text.replace("\r\n", "\n")):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        joined = lines[0]
        for line in lines[1:]:
            cjk_seam = _CJK.match(joined[-1]) or _CJK.match(line[0])
            joined += line if cjk_seam else " " + line
        out.append(joined)
    return tuple(out)


# --- figures quoted in the text (rule C8) -------------------------------------------------

_NUM = r"([0-9]+|[零〇一二两三四五六七八九十百]+)"
_GAP = r"[^，。；、,;0-9零〇一二两三四五六七八九十百]{0,12}?"


@dataclass(frozen=True)
class Quote:
    """A phrase that states a figure of the tables, and the cells whose sum it states."""

    pattern: re.Pattern[str]
    paths: tuple[Path, ...]
    what: Label
    fixed: int | None = None  # a phrase such as 未收到 that states a figure without a number


def _q(pattern: str, *paths: str, what: Label, fixed: int | None = None) -> Quote:
    return Quote(re.compile(pattern), tuple(tuple(p.split(".")) for p in paths), what, fixed)


QUOTES: tuple[Quote, ...] = (
    _q(
        rf"(?:收到|受理|新收|接收){_GAP}申请(?:共|总计|合计)?{_NUM}\s*[件份条个]",
        "applications.received.total",
        what=Label("本年新收申请", "applications received"),
    ),
    _q(
        r"(?:未|没有)(?:收到|受理|接到)[^，。；]{0,12}?申请",
        "applications.received.total",
        what=Label("本年新收申请", "applications received"),
        fixed=0,
    ),
    _q(rf"上年结转{_GAP}{_NUM}\s*[件份条个]", "applications.carried_in.total", what=Label("上年结转", "carried in")),
    _q(
        rf"结转(?:至|到)?下(?:一)?年度?{_GAP}{_NUM}\s*[件份条个]",
        "applications.carried_forward.total",
        what=Label("结转下年度", "carried forward"),
    ),
    _q(
        rf"(?:办结|答复){_GAP}{_NUM}\s*[件份条个]",
        "applications.results.total.total",
        what=Label("办理结果总计", "handled"),
    ),
    _q(rf"予以公开{_NUM}\s*[件份条个]", "applications.results.granted.total", what=Label("予以公开", "disclosed")),
    _q(rf"行政复议(?:案件)?{_NUM}\s*[件起宗个]", "appeals.review.total", what=Label("行政复议", "reviews")),
    _q(
        rf"行政诉讼(?:案件)?{_NUM}\s*[件起宗个]",
        "appeals.litigation_direct.total",
        "appeals.litigation_after_review.total",
        what=Label("行政诉讼", "lawsuits"),
    ),
    _q(rf"行政处罚(?:决定)?{_NUM}\s*[件起宗个]", "proactive.punishment", what=Label("行政处罚", "penalties")),
    _q(rf"行政许可(?:决定)?{_NUM}\s*[件起宗个]", "proactive.licensing", what=Label("行政许可", "licences")),
)

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def number(text: str) -> int | None:
    """An Arabic or simple Chinese numeral (up to the hundreds), or None."""
    if text.isdigit():
        return int(text)
    total, digit = 0, 0
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        elif char in "十百":
            total += (digit or 1) * (10 if char == "十" else 100)
            digit = 0
        else:
            return None
    return total + digit


@dataclass(frozen=True)
class Figure:
    """A figure quoted in the text."""

    quote: Quote
    snippet: str
    value: int


def quoted_figures(text: str) -> Iterator[Figure]:
    for quote in QUOTES:
        for match in quote.pattern.finditer(text):
            value = quote.fixed if quote.fixed is not None else number(match.group(1))
            if value is not None:
                yield Figure(quote, match.group(0), value)
