"""Merging a report into a docxtpl template: prepared once, rendered many times, from any thread.

A plain docxtpl render re-reads the template, re-runs its XML clean-up,
recompiles the Jinja source and re-serialises every part on each call.  A
:class:`PreparedTemplate` does all of that once; a render is then the Jinja
pass over the body, docxtpl's own post-processing of the result, and the
zip.  The output is docxtpl's, with fixed zip timestamps.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2 import meta, nodes
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from .compute import Report
from .errors import FileError, TemplateError
from .narrative import closest
from .resources import resource_dir
from .structure import CELLS, FORMAT_SPECS, Format
from .write import write_atomic, zip_entries

_NUMERALS = "一二三四五六七八九十"
# docxtpl starts each paragraph on a line of its own for Jinja's sake, and joins them again after
_PARAGRAPH = re.compile(r"<w:p([ >])")
_PARAGRAPH_ON_ITS_LINE = re.compile(r"\n<w:p([ >])")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RENDERED_PARTS = ("/header", "/footer")
# docxtpl's escapes for a literal brace in a template: {_{ prints {{ and so on
_DOCXTPL_ESCAPES = (("{_{", "{{"), ("}_}", "}}"), ("{_%", "{%"), ("%_}", "%}"))


def environment() -> jinja2.Environment:
    """Jinja as docgen renders: sandboxed, autoescaped, and an undefined name is an error, not empty text."""
    return SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)


def template_path(fmt: str) -> Path:
    return resource_dir("templates") / f"report-{fmt}.docx"


# --- the data a template sees -----------------------------------------------------------


def _chinese_number(n: int) -> str:
    if n <= 10:
        return _NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (_NUMERALS[tens - 1] if tens > 1 else "") + "十" + (_NUMERALS[ones - 1] if ones else "")


def _nest(flat: Mapping[tuple[str, ...], str]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for path, value in flat.items():
        node = tree
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value
    return tree


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
        "overview": list(report.overview),
        "sections": [
            {"number": _chinese_number(i), "heading": s.heading, "paragraphs": list(s.paragraphs)}
            for i, s in enumerate(report.sections, start=1)
        ],
        "problems": list(report.problems),
        "other_matters": list(report.other_matters),
    }


_SCALARS = ("format", "year", "issuer", "title", "date", "overview", "sections", "problems", "other_matters")


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


def check_sources(sources: Mapping[str, str], fmt_name: str) -> list[str]:
    """Problems with the Jinja sources of a template's parts, each naming the closest valid variable."""
    env = environment()
    known = variables(fmt_name)
    problems: list[str] = []
    for part, source in sources.items():
        try:
            tree = env.parse(source)
        except jinja2.TemplateSyntaxError as exc:
            problems.append(f"{part}: 模板语法错误 / template syntax error: {exc.message}")
            continue
        free = set(meta.find_undeclared_variables(tree))
        for name in _chains(tree, free):
            if name not in known:
                guess = closest(name, sorted(known))
                problems.append(
                    f"{{{{ {name} }}}}: 未知的变量，是否应为 {{{{ {guess} }}}}？"
                    f" / unknown variable; did you mean {guess}?"
                )
    return list(dict.fromkeys(problems))


# --- preparing and rendering ------------------------------------------------------------


class PreparedTemplate:
    """A template read, cleaned and compiled once; :meth:`render` is safe from several threads at once."""

    def __init__(self, docx: bytes, *, name: str, fmt: Format) -> None:
        self.name = name
        self.format = fmt
        try:
            tpl = DocxTemplate(io.BytesIO(docx))
            tpl.init_docx()
        except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
            raise TemplateError(
                template=name, problems=[f"不是可读的 .docx 文件 / not a readable .docx: {exc}"]
            ) from None
        self._tpl = tpl  # only its pure helpers (fix_tables, resolve_listing) are used after this
        sources = {"word/document.xml": tpl.patch_xml(tpl.get_xml())}
        for rel in tpl.docx.part.rels.values():
            if rel.reltype.endswith(_RENDERED_PARTS) and not rel.is_external:
                part = rel.target_part
                xml = tpl.patch_xml(etree.tostring(etree.fromstring(part.blob), encoding="unicode"))
                if "{{" in xml or "{%" in xml:
                    sources[str(part.partname).lstrip("/")] = xml
        problems = check_sources(sources, fmt.name)
        if problems:
            raise TemplateError(template=name, problems=problems)
        env = environment()
        self._templates = {part: env.from_string(_PARAGRAPH.sub(r"\n<w:p\1", src)) for part, src in sources.items()}
        saved = io.BytesIO()
        tpl.docx.save(saved)
        archive = zipfile.ZipFile(saved)
        self._entries = [(info.filename, archive.read(info)) for info in archive.infolist()]
        self._shell = etree.fromstring(archive.read("word/document.xml"))
        body = self._shell.find(f"{_W}body")
        assert body is not None
        self._body_index = list(self._shell).index(body)
        self._shell.remove(body)

    @classmethod
    def from_path(cls, path: str | Path, fmt: Format) -> PreparedTemplate:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise FileError(path=str(path), reason=exc.strerror or str(exc)) from None
        return cls(data, name=str(path), fmt=fmt)

    def _render_part(self, part: str, values: Mapping[str, Any]) -> str:
        try:
            xml = self._templates[part].render(values)
        except jinja2.UndefinedError as exc:
            raise TemplateError(template=self.name, problems=[f"{part}: {exc.message}"]) from None
        except jinja2.TemplateError as exc:
            raise TemplateError(template=self.name, problems=[f"{part}: {exc}"]) from None
        xml = _PARAGRAPH_ON_ITS_LINE.sub(r"<w:p\1", xml)
        for escaped, plain in _DOCXTPL_ESCAPES:
            xml = xml.replace(escaped, plain)
        return str(self._tpl.resolve_listing(xml))

    def render(self, report: Report) -> bytes:
        """The report as .docx bytes; equal reports give equal bytes."""
        if report.format.name != self.format.name:
            raise TemplateError(
                template=self.name,
                problems=[f"模板为 {self.format.name} 年格式，报告为 {report.format.name} 年格式 / format mismatch"],
            )
        values = context(report)
        rendered: dict[str, bytes] = {}
        for part in self._templates:
            xml = self._render_part(part, values)
            if part == "word/document.xml":
                root = copy.deepcopy(self._shell)
                root.insert(self._body_index, self._tpl.fix_tables(xml))
            else:
                root = etree.fromstring(xml.encode("utf-8"))
            rendered[part] = etree.tostring(root, encoding="UTF-8", standalone=True)
        return zip_entries([(name, rendered.get(name, blob)) for name, blob in self._entries])


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
