"""The GB/T 9704-2012 page as numbers, and the names of the template's styles.

Read by the layout builder and by the renderer (which places the signature
block); no Word library is needed to read them.
"""

from __future__ import annotations

import unicodedata

TEXT_WIDTH = 8844  # twips: 210 mm - 28 mm - 26 mm = 156 mm
LINE_CHARS = 28  # characters of 三号 text a full line holds
CHAR_PITCH = TEXT_WIDTH / LINE_CHARS  # 315.9 twips, just under 16 pt
BODY_PT = 16  # 三号
LINE_PT = 28  # exact line spacing: 22 lines to the page
# A 16 pt character is 320 twips wide, so 28 of them overflow the 8844-twip line by 116; each is set
# 5 twips (0.25 pt) narrower, 315 twips, and 28 fit in Word, WPS and LibreOffice alike.  The character
# grid of Word's 公文 templates (w:docGrid linesAndChars, a pitch of 315.9 twips) does the same in
# Word, but LibreOffice gives each 16 pt character two cells of such a grid, 14 to the line.
BODY_CHAR_SPACING = -5  # twips

STYLE_TITLE = "报告标题"
STYLE_H1 = "一级标题"
STYLE_H2 = "二级标题"
STYLE_SIGNATURE = "落款"
STYLE_PAGE_NUMBER = "页码"
STYLE_TABLE = "表格文字"
STYLE_TABLE_SMALL = "表格文字（小）"
STYLE_TABLE_NOTE = "表格注释"

SIGNATURE_INDENT = 2  # characters: 署名右空二字 (GB/T 9704-2012, 7.3.5.2)


def text_width(text: str) -> float:
    """The width of ``text`` in characters: a Chinese character is one, a digit or Latin letter half."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


def signature_indents(issuer: str, date: str) -> tuple[float, float]:
    """Left indents of the 署名 line and the 成文日期 line, in characters (GB/T 9704-2012, 7.3.5.2).

    The issuing body ends two characters from the right margin, and the date on
    the next line starts two characters right of the body's first character.
    When that would bring the date closer than two characters to the margin (a
    date longer than the name), the date keeps two and the name moves left to
    keep the two-character step.  Both lines are set flush left from these
    indents, so the step between their first characters is exact whatever the
    viewer adds between digits and Chinese; only the name's width is estimated,
    and a name is nearly always Chinese, one character each.
    """
    name, day = text_width(issuer), text_width(date)
    name_right = float(SIGNATURE_INDENT)
    if name - day < SIGNATURE_INDENT:  # the date would end closer than two characters to the margin
        name_right = day + 2 * SIGNATURE_INDENT - name
    name_left = max(0.0, LINE_CHARS - name_right - name)
    return name_left, name_left + SIGNATURE_INDENT
