"""Merging a report into a docxtpl template: prepared once, rendered many times, from any thread.

A plain docxtpl render re-reads the template, re-runs its XML clean-up,
recompiles the Jinja source, re-serialises and re-compresses every part on
each call.  A :class:`PreparedTemplate` does all of that once: a render is the
Jinja pass over the parts that hold tags, the two post-processing steps of
docxtpl a template needs (a tab or line break in the text, a table whose
columns a loop changes), a check that the result is well-formed XML (a
template whose tags cut across paragraphs and tables is an error, not a
file Word cannot open), and a zip in which only the rendered parts are
compressed anew.  The text and cells are docxtpl's (a test compares them).
"""

from __future__ import annotations

import contextvars
import functools
import html
import io
import json
import os
import re
import time
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2 import meta, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from ...errors import InputError, TemplateError
from ...files import read_limited, write_atomic
from ...inputs.documents.archive import open_archive
from ...model import Report
from ...narrative import closest, numeral
from ...resources import resource_dir
from ...statute import CELLS, FEES_WORD, FORMAT_SPECS, Format, Label
from .package import Entry, archive, read_entries
from .page import CHAR_PITCH, STYLE_SIGNATURE, signature_indents

_DOCUMENT = "word/document.xml"
_DECLARATION = b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
# docxtpl starts each paragraph on a line of its own for Jinja's sake, and joins them again after
_PARAGRAPH = re.compile(r"<w:p([ >])")
_PARAGRAPH_ON_ITS_LINE = re.compile(r"\n<w:p([ >])")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# the parts whose text docxtpl renders besides the body; the core properties (title, author...) too
_RENDERED_PARTS = ("/header", "/footer", "/footnotes")
_CORE = "docProps/core.xml"
# docxtpl's escapes for a literal brace in a template: {_{ prints {{ and so on
_DOCXTPL_ESCAPES = (("{_{", "{{"), ("}_}", "}}"), ("{_%", "{%"), ("%_}", "%}"))
_ESCAPE = re.compile("|".join(re.escape(escaped) for escaped, _ in _DOCXTPL_ESCAPES))


def _escapes_as_text(source: str) -> str:
    """A template's docxtpl escapes as Jinja strings, so they print as braces; a report's text that holds
    the same characters, put in by a variable at render time, is printed as typed (docxtpl rewrote both)."""
    plain = dict(_DOCXTPL_ESCAPES)
    return _ESCAPE.sub(lambda m: "{{ '" + plain[m.group(0)] + "' }}", source)


# characters docxtpl's resolve_listing turns into a tab, a line or page break, or a new paragraph
_LISTING = ("\t", "\n", "\a", "\f")
# docxtpl tags that change how many cells a table row has (read with the XML tags taken out, since Word
# may split a typed tag over several runs); only then are a render's tables fixed up
_TABLE_SHAPING = re.compile(r"\{%-?\s*(?:tc\s|colspan\s|hm\s*-?%\})")
_XML_TAG = re.compile(r"<[^>]*>")


class _Environment(SandboxedEnvironment):
    """Jinja's sandbox, where ``a.b`` on a mapping reads its key before any method of the same name.

    Jinja resolves ``procurement.items`` to the dict method ``items`` before the
    key ``items``; a report's figures are keys, so here the key wins, for every
    key that shares a name with a method (``items``, ``keys``, ``values``,
    ``get``, ``copy``, ``update``, ``pop``...), in any template.
    """

    # a render's budget: what a template may build or loop over, so that a template cannot take the
    # machine (range(10**9), a string times a billion, two loops of 100,000 inside each other)
    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        for unneeded in ("lipsum", "cycler", "joiner"):  # lipsum(10**6) alone takes gigabytes
            self.globals.pop(unneeded, None)
        self.filters = {name: _guarded(name, function) for name, function in self.filters.items()}
        self.filters[_STEP] = _step
        self.filters[_SIZED] = _sized

    def _generate(
        self, source: nodes.Template, name: str | None, filename: str | None, defer_init: bool = False
    ) -> str:
        """Jinja's code for a template, with each loop's items and each macro's call counted against the budget
        (the only ways a template repeats work); a filter, so no name a template sets can stand in for it."""
        for loop in source.find_all(nodes.For):
            assert isinstance(loop, nodes.For)
            loop.iter = _stepping(loop.iter, loop.lineno)
        for block in source.find_all((nodes.Macro, nodes.CallBlock)):
            assert isinstance(block, nodes.Macro | nodes.CallBlock)
            block.body.insert(0, nodes.Output([_stepping(nodes.Const(""), block.lineno)], lineno=block.lineno))
        for parent in list(source.find_all(nodes.Node)):  # every ~ checked for size: strings grown by doubling
            for field_name, value in parent.iter_fields():
                if isinstance(value, nodes.Concat):
                    setattr(parent, field_name, nodes.Filter(value, _SIZED, [], [], None, None, lineno=value.lineno))
                elif isinstance(value, list):
                    value[:] = [
                        nodes.Filter(v, _SIZED, [], [], None, None, lineno=v.lineno)
                        if isinstance(v, nodes.Concat)
                        else v
                        for v in value
                    ]
        return str(super()._generate(source, name, filename, defer_init))

    def wrap_str_format(self, value: Any) -> Any:
        """The sandbox's str.format, refused for a field of 7-digit width or a width given by an argument."""
        wrapped = super().wrap_str_format(value)
        if wrapped is not None and _WIDE_FIELD.search(value.__self__):
            raise _OverBudgetError("a format width past 6 digits is past the template budget")
        return wrapped

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 -- Jinja's names
        """Any call with a number past the budget (center(10**9), "x".ljust(10**9)), or that would grow a
        string past it ("{:>999999999}".format(1), a replace by a long string), is refused before it runs."""
        _within_budget("a call", getattr(__obj, "__name__", ""), getattr(__obj, "__self__", None), args, kwargs)
        return _sized(super().call(__context, __obj, *args, **kwargs))

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, dict) and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise _OverBudgetError(f"the power {right} is past the template budget")
        if operator == "**" and isinstance(left, int) and isinstance(right, int) and left.bit_length() * right > 4096:
            raise _OverBudgetError("a number past 4,096 bits is past the template budget")
        both_int = isinstance(left, int) and isinstance(right, int)
        if operator == "*" and both_int and left.bit_length() + right.bit_length() > 4096:
            raise _OverBudgetError("a number past 4,096 bits is past the template budget")
        if operator == "%" and isinstance(left, str) and _WIDE_FORMAT.search(left):
            raise _OverBudgetError("a format width past 6 digits is past the template budget")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(times, int) and len(seq) * times > MAX_BUILT:
                    raise _OverBudgetError(f"a sequence of {len(seq) * times} is past the template budget")
        return _sized(super().call_binop(context, operator, left, right))


class _OverBudgetError(SecurityError):
    """A template asked for more than a render may do."""


MAX_TEMPLATE_BYTES = 64 << 20  # a template is a Word file of some 30 KB; with pictures, a few MB
MAX_BUILT = 100_000  # characters or items a template may make with *, or ask of a call
MAX_OUTPUT = 64 << 20  # characters a part may render to
MAX_VALUE = 16 << 20  # characters or items of any one value a template makes (a report's file is at most 16 MB)
RENDER_SECONDS = 30.0  # a part's render (DOCGEN_RENDER_SECONDS changes it, as the tests do)
_WIDE_FORMAT = re.compile(r"%[-+ #0]*(?:\d{7,}|\*)|%[-+ #0]*\d*\.(?:\d{7,}|\*)")
_WIDE_FIELD = re.compile(r"\{[^{}]*:[^{}]*(?:\d{7,}|\{)")  # str.format's "{:>999999999}", "{:{}}"
MAX_STEPS = 1_000_000  # loop items and macro calls one render may take
_STEP = "docgen_step"  # the filter counting them
_SIZED = "docgen_sized"  # the filter bounding what ~ builds


class _Budget:
    """What one part's render has used: steps, and the time it may take (in any thread: no signals)."""

    def __init__(self, seconds: float) -> None:
        self.steps, self.seconds, self.deadline = 0, seconds, time.monotonic() + seconds

    def step(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise _OverBudgetError(f"loops past {MAX_STEPS} steps: past the template budget")
        if time.monotonic() > self.deadline:
            raise _OverBudgetError(f"a render past {self.seconds:g} s is past the template budget")


_budget: contextvars.ContextVar[_Budget] = contextvars.ContextVar("template_budget")


@jinja2.pass_context  # never worked out when the template is compiled, as a plain filter on a constant is
def _step(context: Any, value: Any) -> Any:
    """A loop's items, each counted as a step; or, for a macro, one step for its call."""
    budget = _budget.get(None)
    if budget is None:
        return value
    if isinstance(value, str):
        budget.step()
        return value
    return _counted(value, budget)


def _counted(items: Any, budget: _Budget) -> Iterator[Any]:
    for item in items:
        budget.step()
        yield item


def _stepping(node: nodes.Node, lineno: int) -> nodes.Filter:
    return nodes.Filter(node, _STEP, [], [], None, None, lineno=lineno)


def _within_budget(what: str, name: str, target: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
    """Refuse a call or filter (``name``, on ``target`` when a method) that would build more than a render
    may: a number past MAX_BUILT, a format width of 7 digits, or a replace that grows past MAX_OUTPUT."""
    values = (*args, *kwargs.values())
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_BUILT:
            raise _OverBudgetError(f"the number {value} passed to {what} is past the template budget")
    subject = target if isinstance(target, str) else next((v for v in values if isinstance(v, str)), "")
    if name == "format" and _WIDE_FORMAT.search(subject):  # the filter; str.format is wrap_str_format's
        raise _OverBudgetError("a format width past 6 digits is past the template budget")
    if name == "replace" and _replaced_length(target, values) > MAX_VALUE:
        raise _OverBudgetError("a replace past the output budget is past the template budget")
    if _grown(name, target, values) > MAX_VALUE:
        raise _OverBudgetError(f"{name} would build a value past the template budget")


def _grown(name: str, target: Any, values: tuple[Any, ...]) -> int:
    """How long a join, an indent or an expandtabs would make its result (0 for anything else)."""
    texts = [v for v in values if isinstance(v, str)]
    numbers = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
    if name in ("join", "do_join"):
        parts = next((v for v in values if isinstance(v, list | tuple)), ())
        separator = target if isinstance(target, str) else next(iter(texts), "")
        return sum(len(str(p)) for p in parts) + len(separator) * len(parts)
    if name in ("indent", "do_indent") and texts:
        width = len(texts[1]) if len(texts) > 1 else max(numbers, default=4)
        return len(texts[0]) + width * (texts[0].count("\n") + 1)
    if name == "expandtabs" and isinstance(target, str):
        return len(target) + max(numbers, default=8) * target.count("\t")
    return 0


def _sized(value: Any) -> Any:
    """``value``, refused when a string or list past MAX_VALUE; an iterator a filter gives, counted item by
    item against the steps and the time of the render (a chain of map filters over a long list)."""
    if isinstance(value, str | list | tuple) and len(value) > MAX_VALUE:
        raise _OverBudgetError(f"a value of {len(value)} is past the template budget")
    if isinstance(value, Iterator) and not isinstance(value, str):
        budget = _budget.get(None)
        return value if budget is None else _counted(value, budget)
    return value


def _replaced_length(target: Any, values: tuple[Any, ...]) -> int:
    """How long a replace makes its string: ``target.replace(old, new)``, or the filter's ``s, old, new``."""
    texts = [str(v) for v in values if isinstance(v, str)]
    if isinstance(target, str):
        texts.insert(0, target)
    if len(texts) < 3:
        return 0
    subject, old, new = texts[:3]
    times = len(subject) + 1 if not old else subject.count(old)
    return len(subject) + times * (len(new) - len(old))


def _guarded(name: str, function: Any) -> Any:
    """A filter refusing what would build past the budget (center(10**9)); Jinja calls filters directly."""

    @functools.wraps(function)  # keeps what Jinja marks on it (pass_context and the like)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        _within_budget("a filter", name, None, args, kwargs)
        return _sized(function(*args, **kwargs))

    return guarded


def _bounded(chunks: Iterator[str]) -> str:
    """A template's output, stopped when it grows past MAX_OUTPUT."""
    out: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        out.append(chunk)
        if size > MAX_OUTPUT:
            raise _OverBudgetError(f"an output past {MAX_OUTPUT >> 20} M characters is past the template budget")
    return "".join(out)


def environment() -> jinja2.Environment:
    """Jinja as docgen renders: sandboxed, autoescaped, keys before methods, an undefined name an error."""
    return _Environment(autoescape=True, undefined=jinja2.StrictUndefined)


def template_path(fmt: str) -> Path:
    return resource_dir("templates") / f"report-{fmt}.docx"


# --- the data a template sees -----------------------------------------------------------


def _nest(flat: Mapping[tuple[str, ...], str]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for path, value in flat.items():
        node = tree
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value
    return tree


class SignatureBlock:
    """The issuing body and the date as two paragraphs placed by GB/T 9704-2012, 7.3.5.2.

    A template prints it with ``{{p signature }}``: the paragraph holding the tag
    becomes the two paragraphs, in the 落款 style, indented as the widths of the
    name and the date require.
    """

    def __init__(self, issuer: str, date: str) -> None:
        self.issuer = issuer
        self.date = date

    def __html__(self) -> str:
        lines = zip((self.issuer, self.date), signature_indents(self.issuer, self.date), strict=True)
        return "".join(
            f'<w:p><w:pPr><w:pStyle w:val="{STYLE_SIGNATURE}"/><w:ind w:left="{round(chars * CHAR_PITCH)}"/>'
            f'<w:jc w:val="left"/></w:pPr><w:r><w:t xml:space="preserve">{html.escape(text, quote=False)}</w:t>'
            "</w:r></w:p>"
            for text, chars in lines
        )

    def __str__(self) -> str:
        return f"{self.issuer}\n{self.date}"


def context(report: Report) -> dict[str, Any]:
    """Everything a template may print, as strings: blank cells are empty, the rest as written or computed."""
    data = _nest({path: cell.text for path, cell in report.tables.cells.items()})
    return {
        **data,
        "format": report.format.name,
        "year": report.year,
        "issuer": report.issuer,
        "title": report.title,
        "date": report.date_text,
        "signature": SignatureBlock(report.issuer, report.date_text),
        "overview": list(report.overview),
        "sections": [
            {"number": numeral(i), "heading": s.heading, "paragraphs": list(s.paragraphs)}
            for i, s in enumerate(report.sections, start=1)
        ],
        "problems": list(report.problems),
        "other_matters": list(report.other_matters),
    }


_SCALARS = (
    "format",
    "year",
    "issuer",
    "title",
    "date",
    "signature",
    "overview",
    "sections",
    "problems",
    "other_matters",
)


@cache
def variables(fmt_name: str) -> frozenset[str]:
    """Every dotted name a template for ``fmt_name`` may use, and each of its prefixes."""
    names: set[str] = set(_SCALARS)
    for path in CELLS[fmt_name]:
        for end in range(1, len(path) + 1):
            names.add(".".join(path[:end]))
    return frozenset(names)


# --- checking a template ----------------------------------------------------------------


def _chains(node: nodes.Node, free: set[str]) -> Iterator[str]:
    """Dotted names rooted in a variable the template does not define itself."""
    parts: list[str] = []
    current = node
    while isinstance(current, nodes.Getattr | nodes.Getitem):
        if isinstance(current, nodes.Getattr):
            parts.append(current.attr)
        elif isinstance(current.arg, nodes.Const) and isinstance(current.arg.value, str):
            parts.append(current.arg.value)
        else:
            break
        current = current.node
    if isinstance(current, nodes.Name) and current.ctx == "load" and current.name in free:
        yield ".".join([current.name, *reversed(parts)])
        if current is not node:
            return
    for child in node.iter_child_nodes():
        yield from _chains(child, free)


def check_sources(sources: Mapping[str, str], fmt_name: str) -> list[Label]:
    """Problems with the Jinja sources of a template's parts, each naming the closest valid variable."""
    env = environment()
    known = variables(fmt_name)
    problems: list[Label] = []
    for part, source in sources.items():
        try:
            tree = env.parse(source)
        except jinja2.TemplateSyntaxError as exc:
            problems.append(
                Label(f"{part}：模板语法错误：{exc.message}", f"{part}: template syntax error: {exc.message}")
            )
            continue
        for reach in tree.find_all((nodes.Getattr, nodes.Getitem)):
            if isinstance(reach, nodes.Getattr):
                name: object = reach.attr
            else:
                name = (
                    reach.arg.value if isinstance(reach, nodes.Getitem) and isinstance(reach.arg, nodes.Const) else None
                )
            if isinstance(name, str) and name.startswith("_"):  # the sandbox refuses these at render time
                problems.append(_unsafe(part, name))
        if any(isinstance(loop, nodes.For) and loop.recursive for loop in tree.find_all(nodes.For)):
            problems.append(  # its inner calls would escape the step budget
                Label(
                    f"{part}：模板用了递归循环（for … recursive），报告模板不需要，也不支持",
                    f"{part}: the template has a recursive loop (for … recursive), which is not supported",
                )
            )
        free = set(meta.find_undeclared_variables(tree))
        for name in _chains(tree, free):
            if name not in known:
                guess = closest(name, sorted(known))
                problems.append(
                    Label(
                        f"{{{{ {name} }}}}：未知的变量，是否应为 {{{{ {guess} }}}}？",
                        f"{{{{ {name} }}}}: unknown variable; did you mean {{{{ {guess} }}}}?",
                    )
                )
    return list(dict.fromkeys(problems))


# --- preparing and rendering ------------------------------------------------------------


def _document_part(data: bytes) -> None:
    """A template's document part is a w:document with a body (no part declares entities: the archive's
    opening refuses them)."""
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    if root.tag != f"{_W}document" or root.find(f"{_W}body") is None:
        raise ValueError("word/document.xml 不是 Word 文档的正文（应为带 w:body 的 w:document）")


_TAG_MARKS = re.compile(r"\{\{|\}\}|\{%|%\}")


_BLOCK = re.compile(r"\{%-?\s*(p|tr|tc|r)?\s*(if|for|elif|else|endif|endfor)\b")
_OPENS, _CLOSES = ("if", "for"), ("endif", "endfor")


def _unclosed_tags(part: str, xml: str) -> list[Label]:
    """Tags a part cannot render whole: one not closed in its paragraph (``{{ title``), and an ``if`` or
    ``for`` that ends somewhere else than where it began: a plain one in another paragraph, a ``{%p`` under
    another parent, a ``{%tr`` in another table, a ``{%tc`` in another row.  docxtpl would render such a
    part as broken XML, or as a document cut short."""
    root = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
    problems: list[Label] = []
    blocks: list[tuple[str, Any, int]] = []  # (keyword, where it must end, paragraph number)
    for number, paragraph in enumerate(root.iter(f"{_W}p"), start=1):
        text = "".join(t.text or "" for t in paragraph.iter(f"{_W}t"))
        shown = text.strip()[:40]
        if not _closed_within(text):
            problems.append(_tag_problem(part, number, shown, "模板标记没有在本段内闭合", "a tag is not closed in it"))
            continue
        for level, keyword in _BLOCK.findall(text):
            where = _container(paragraph, level)
            if keyword in _OPENS:
                blocks.append((keyword, where, number))
            elif keyword in _CLOSES:
                if not blocks or blocks[-1][1] is not where or "end" + blocks[-1][0] != keyword:
                    problems.append(_misplaced(part, number, shown, keyword, blocks[-1] if blocks else None))
                    return problems
                blocks.pop()
    for keyword, _, number in blocks:
        said = f"{{% {keyword} %}}"
        problems.append(_tag_problem(part, number, "", f"{said} 没有结束", f"{said} is never closed"))
    return problems


def _closed_within(text: str) -> bool:
    opened: str | None = None
    for mark in _TAG_MARKS.findall(text):
        if mark in ("{{", "{%") and opened is None:
            opened = mark
        elif opened is not None and {"{{": "}}", "{%": "%}"}[opened] == mark:
            opened = None
        else:
            return False
    return opened is None


def _container(paragraph: Any, level: str) -> Any:
    """Where a block tag at ``level`` must begin and end: the paragraph (plain, r), its parent (p), the
    table (tr) or the row (tc)."""
    if level == "p":
        return paragraph.getparent()
    for tag, wanted in (("tr", f"{_W}tbl"), ("tc", f"{_W}tr")):
        if level == tag:
            found = next((a for a in paragraph.iterancestors() if a.tag == wanted), None)
            return found if found is not None else paragraph
    return paragraph


def _misplaced(part: str, number: int, shown: str, keyword: str, begun: tuple[str, Any, int] | None) -> Label:
    said = f"{{% {keyword} %}}"
    if begun is None:
        return _tag_problem(part, number, shown, f"{said} 前面没有开始的标签", f"{said} closes nothing")
    zh = f"{said} 与开始的 {{% {begun[0]} %}}（第 {begun[2]} 段）不在同一处"
    return _tag_problem(part, number, shown, zh, f"{said} does not end where {{% {begun[0]} %}} began")


def _tag_problem(part: str, number: int, shown: str, zh: str, en: str) -> Label:
    where = f"第 {number} 段“{shown}”" if shown else f"第 {number} 段"
    return Label(f"{part} {where}：{zh}", f"{part} paragraph {number} “{shown}”: {en}")


def _unsafe(part: str, said: str) -> Label:
    return Label(
        f"{part}：模板访问了不允许的内部属性（{said}）", f"{part}: the template reaches for Python internals ({said})"
    )


def _over_budget(part: str, exc: BaseException) -> Label:
    said = str(exc) or type(exc).__name__
    return Label(
        f"{part}：模板超出了渲染的限度（{said}）：请检查其中的循环和运算",
        f"{part}: the template is past what a render may do ({said})",
    )


def _unreadable(name: str, exc: Exception) -> TemplateError:
    return TemplateError(
        template=name, problems=[Label(f"不是可读的 .docx 文件：{exc}", f"not a readable .docx file: {exc}")]
    )


class PreparedTemplate:
    """A template read, cleaned and compiled once; :meth:`render` is safe from several threads at once."""

    def __init__(self, docx: bytes, *, name: str, fmt: Format) -> None:
        self.name = name
        self.format = fmt
        try:
            self._prepare(docx)
        except TemplateError:
            raise
        except InputError as exc:  # the archive's refusal: encrypted, not a zip, absurd sizes
            raise TemplateError(template=name, problems=[issue.detail for issue in exc.issues]) from None
        except Exception as exc:  # noqa: BLE001 -- whatever python-docx, lxml or zlib make of a broken file
            raise _unreadable(name, exc) from None

    def _prepare(self, docx: bytes) -> None:
        """Read the template's parts, check its tags against the schema, and compile them; every way a file
        can be broken (a bad archive, a corrupt stream, a part that is not a document) raises."""
        name, fmt = self.name, self.format
        with open_archive(io.BytesIO(docx), name, needs=_DOCUMENT, what=".docx") as package:  # absurd sizes refused
            _document_part(package.read(_DOCUMENT))
        tpl = DocxTemplate(io.BytesIO(docx))
        tpl.init_docx()
        self._tpl = tpl  # only its pure helpers (fix_tables, resolve_listing) are used after this
        raw = {_DOCUMENT: tpl.get_xml()}
        for rel in tpl.docx.part.rels.values():
            if rel.reltype.endswith(_RENDERED_PARTS) and not rel.is_external:
                part = rel.target_part
                raw[str(part.partname).lstrip("/")] = etree.tostring(etree.fromstring(part.blob), encoding="unicode")
        unclosed = [problem for part, xml in raw.items() for problem in _unclosed_tags(part, xml)]
        if unclosed:  # docxtpl would join everything up to the next closing mark into the tag, silently
            raise TemplateError(template=name, problems=unclosed)
        sources = {part: tpl.patch_xml(xml) for part, xml in raw.items()}
        saved = io.BytesIO()
        tpl.docx.save(saved)
        entries = read_entries(saved.getvalue())
        core = dict(entries).get(_CORE)
        if core is not None:  # properties hold plain text, no runs to join
            sources[_CORE] = etree.tostring(etree.fromstring(core), encoding="unicode")
        sources = {part: xml for part, xml in sources.items() if part == _DOCUMENT or "{{" in xml or "{%" in xml}
        problems = check_sources(sources, fmt.name)
        if problems:
            raise TemplateError(template=name, problems=problems)
        env = environment()
        self._templates = {
            part: env.from_string(_PARAGRAPH.sub(r"\n<w:p\1", _escapes_as_text(src))) for part, src in sources.items()
        }
        self._fix_tables = bool(_TABLE_SHAPING.search(_XML_TAG.sub("", raw[_DOCUMENT])))
        self._entries = [(name, None if name in self._templates else Entry.of(name, blob)) for name, blob in entries]
        shell = etree.fromstring(dict(entries)[_DOCUMENT])
        body = shell.find(f"{_W}body")
        if body is None:
            raise _unreadable(name, ValueError("word/document.xml has no body"))
        marker = etree.Comment("body")
        body.addprevious(marker)
        shell.remove(body)
        self._head, self._tail = etree.tostring(shell, encoding="UTF-8", standalone=True).split(b"<!--body-->")

    @classmethod
    def from_path(cls, path: str | Path, fmt: Format) -> PreparedTemplate:
        data = read_limited(Path(path), str(path), MAX_TEMPLATE_BYTES, Label("一个报告模板", "a report template"))
        return cls(data, name=str(path), fmt=fmt)

    def trial(self) -> None:
        """Render a sample report of the template's format, so that what only rendering finds (a reach for
        Python internals through a filter or a computed name, a budget overrun) raises here, as it would."""
        from ...checks import check
        from ...inputs import parse

        text = "示例"
        sample = {
            "format": self.format.name,
            "year": 2024,
            "issuer": "示例单位",
            "date": "2025-01-20",
            "overview": {"text": text, "sections": [{"heading": text, "text": text}]},
            "proactive": {},
            "applications": {},
            "appeals": {},
            "problems": {"text": text},
            "other_matters": {"text": f"本年度未收取{FEES_WORD}。"},
        }
        self.render(check(parse(json.dumps(sample, ensure_ascii=False), "sample.json")).require())

    def _render_part(self, part: str, values: Mapping[str, Any]) -> str:
        token = _budget.set(_Budget(float(os.environ.get("DOCGEN_RENDER_SECONDS", RENDER_SECONDS))))
        try:
            xml = _bounded(self._templates[part].generate(values))
        except (OverflowError, MemoryError, RecursionError, _OverBudgetError) as exc:  # a macro's recursion too
            raise TemplateError(template=self.name, problems=[_over_budget(part, exc)]) from None
        except SecurityError as exc:
            raise TemplateError(template=self.name, problems=[_unsafe(part, str(exc))]) from None
        except jinja2.UndefinedError as exc:
            said = exc.message or ""
            raise TemplateError(template=self.name, problems=[Label(f"{part}：{said}", f"{part}: {said}")]) from None
        except jinja2.TemplateError as exc:
            raise TemplateError(template=self.name, problems=[Label(f"{part}：{exc}", f"{part}: {exc}")]) from None
        finally:
            _budget.reset(token)
        xml = _PARAGRAPH_ON_ITS_LINE.sub(r"<w:p\1", xml)
        if any(ch in xml for ch in _LISTING):
            xml = str(self._tpl.resolve_listing(xml))
        return xml

    def _part(self, part: str, values: Mapping[str, Any]) -> bytes:
        xml = self._render_part(part, values)
        if part != _DOCUMENT:
            return self._well_formed(part, _DECLARATION + xml.encode("utf-8"))
        data = self._well_formed(part, self._head + xml.encode("utf-8") + self._tail)
        if not self._fix_tables:
            return data
        return (
            self._head + etree.tostring(self._tpl.fix_tables(xml), encoding="UTF-8", xml_declaration=False) + self._tail
        )

    def _well_formed(self, part: str, data: bytes) -> bytes:
        try:
            # huge_tree: a report's text may be one long paragraph (its file is at most 16 MB); what is checked
            # here is that the template's tags left whole XML
            etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
        except etree.XMLSyntaxError as exc:
            said = str(exc)
            raise TemplateError(
                template=self.name,
                problems=[
                    Label(
                        f"{part}：模板的标签跨越了段落或表格，生成的文档不完整：{said}",
                        f"{part}: the template's tags cut across paragraphs or tables; the document is broken: {said}",
                    )
                ],
            ) from None
        return data

    def render(self, report: Report) -> bytes:
        """The report as .docx bytes; equal reports give equal bytes."""
        if report.format.name != self.format.name:
            mine, theirs = self.format.name, report.format.name
            raise TemplateError(
                template=self.name,
                problems=[
                    Label(
                        f"模板为 {mine} 年格式，报告为 {theirs} 年格式",
                        f"the template is for the {mine} format, the report in the {theirs} format",
                    )
                ],
            )
        values = context(report)
        return archive(
            entry if entry is not None else Entry.of(name, self._part(name, values)) for name, entry in self._entries
        )


@cache
def default_template(fmt_name: str) -> PreparedTemplate:
    """The shipped template of a format, prepared once per process."""
    return PreparedTemplate.from_path(template_path(fmt_name), FORMAT_SPECS[fmt_name])


def render(
    report: Report,
    *,
    template: PreparedTemplate | str | Path | None = None,
    output: str | Path | None = None,
) -> bytes:
    """Render ``report`` to .docx bytes, and write them atomically to ``output`` when given."""
    if template is None:
        prepared = default_template(report.format.name)
    elif isinstance(template, PreparedTemplate):
        prepared = template
    else:
        prepared = PreparedTemplate.from_path(template, report.format)
    data = prepared.render(report)
    if output is not None:
        write_atomic(output, data)
    return data
