"""The report's prose: paragraphs, placeholders, and what an XML document cannot hold."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass

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
# and a lone surrogate (a JSON "\ud800"), which no UTF-8 file can hold
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


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


# What `docgen init` writes where the clerk's own words go; a report still holding one is not finished.
HINT_ISSUER = "（发布机关全称）"
HINT_TEXT = "（正文，空行分段）"
HINT_PROBLEMS = "（存在的主要问题）"
HINT_IMPROVEMENTS = "（改进情况）"
HINT_FEES = "（是否收取信息处理费；未收取的写“本年度未收取信息处理费。”）"
HINTS = (HINT_ISSUER, HINT_TEXT, HINT_PROBLEMS, HINT_IMPROVEMENTS, HINT_FEES)


# --- Chinese numerals: sub-sections are numbered （一）…（九十九）（一百）, and texts quote figures in them ------

_NUMERALS = "一二三四五六七八九"
_DIGITS = dict(zip(_NUMERALS, range(1, 10), strict=True)) | {"零": 0, "〇": 0, "○": 0, "Ｏ": 0, "两": 2}


def numeral(n: int) -> str:
    """1 to 999 as a Chinese numeral: 十一, 二十, 一百, 一百零五."""
    if not 0 < n < 1000:
        raise ValueError(f"no Chinese numeral for {n} here")
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    text = _NUMERALS[hundreds - 1] + "百" if hundreds else ""
    if tens:
        text += ("" if tens == 1 and not hundreds else _NUMERALS[tens - 1]) + "十"
    elif hundreds and ones:
        text += "零"
    return text + (_NUMERALS[ones - 1] if ones else "")


def numeral_value(text: str) -> int | None:
    """An Arabic or Chinese numeral (up to the hundreds; 〇 and ○ for zero) as a number, or None."""
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
    return total + digit if text else None
