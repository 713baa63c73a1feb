"""The statutory structure of the annual report, written once as data.

Every row and column of tables A, B and C, with its input key, official
label (and an English one for ``--lang en``), order and nesting; the
arithmetic rules between them; and the grids that say where each label and
figure is printed.  The schema, the checks, the model and the template
builder read this module; no other module spells a row, a column or where a
cell sits.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["count", "signed", "money"]
Lang = Literal["zh", "en"]
Path = tuple[str, ...]

FORMATS = ("2021", "2019")
DEFAULT_FORMAT = "2021"


@dataclass(frozen=True)
class Label:
    """An official Chinese label and its English rendering."""

    zh: str
    en: str

    def text(self, lang: Lang) -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class Column:
    """A value column of a table."""

    key: str
    label: Label
    kind: Kind = "count"


@dataclass(frozen=True)
class Node:
    """A row (a leaf) or a group of rows; an empty key groups without nesting the data."""

    key: str
    label: Label
    children: tuple[Node, ...] = ()

    def leaves(self, prefix: Path = (), chain: tuple[Node, ...] = ()) -> Iterator[tuple[Path, tuple[Node, ...]]]:
        """Yield each leaf's data path and its chain of nodes from the top."""
        path = prefix + (self.key,) if self.key else prefix
        chain = chain + (self,)
        if not self.children:
            yield path, chain
        for child in self.children:
            yield from child.leaves(path, chain)


@dataclass(frozen=True)
class Block:
    """One block of table A: a heading row, a column-header row and its rows."""

    heading: Label
    columns: tuple[Column, ...]
    rows: tuple[Node, ...]

    @property
    def scalar(self) -> bool:
        """A block with one value column holds a bare value per row."""
        return len(self.columns) == 1

    def path(self, row: Node, column: Column) -> Path:
        """The data path of a figure: a row of a one-column block holds its value bare."""
        base = TABLE_A_ROOT + (row.key,)
        return base if self.scalar else base + (column.key,)


@dataclass(frozen=True)
class Rule:
    """A consistency rule as the reference numbers it."""

    id: str
    severity: Literal["error", "warning"]
    title: Label
    basis: Label  # what the expected value is, quoted after it in messages


@dataclass(frozen=True)
class Equation:
    """``sum(total) == sum(addends)`` between cells addressed by data path.

    ``total`` is what the report states, ``addends`` what it must equal.  A
    single-cell total the user omits is computed from the addends.  With
    ``needs_addends`` the equation is skipped when no addend was given (a
    row written as its total alone, or a row the tool computed whole).
    """

    rule: str
    total: tuple[Path, ...]
    addends: tuple[Path, ...]
    needs_addends: bool = False


@dataclass(frozen=True)
class Format:
    """One edition of the statutory format."""

    name: str
    notice: str
    table_a: tuple[Block, ...]
    table_b_rows: tuple[Node, ...]
    equations: tuple[Equation, ...] = field(default=())

    def table_b_leaves(self) -> list[tuple[Path, tuple[Node, ...]]]:
        """Every data row of table B in order, with its label chain."""
        return [leaf for node in self.table_b_rows for leaf in node.leaves(TABLE_B_ROOT)]


def L(zh: str, en: str) -> Label:  # noqa: N802 - reads as a constructor in the tables below
    return Label(zh, en)


# --- the report's sections, in their fixed order -------------------------------------

TITLE_DEFAULT = "{issuer}{year}年政府信息公开工作年度报告"

SECTIONS: tuple[tuple[str, Label], ...] = (
    ("overview", L("一、总体情况", "I. Overview")),
    ("proactive", L("二、主动公开政府信息情况", "II. Proactive disclosure")),
    ("applications", L("三、收到和处理政府信息公开申请情况", "III. Applications received and handled")),
    ("appeals", L("四、政府信息公开行政复议、行政诉讼情况", "IV. Administrative review and litigation")),
    ("problems", L("五、存在的主要问题及改进情况", "V. Main problems and improvements")),
    ("other_matters", L("六、其他需要报告的事项", "VI. Other matters to report")),
)
SECTION_LABELS = dict(SECTIONS)

# 《中华人民共和国政府信息公开条例》（2019）第五十条: a government's departments publish their report by
# 31 January; a county-level or higher government's office publishes the government's own by 31 March.
# Townships keep the departments' date.  (month, day) of the year after the report's.
DEADLINE_DEPARTMENT = (1, 31)
DEADLINE_GOVERNMENT = (3, 31)
DEADLINE_BASIS = L("《政府信息公开条例》第五十条", "Article 50 of the Regulations on Open Government Information")
# 《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）: 六 of a 2021-format report says what was charged
FEES_WORD = "信息处理费"
FEES_MENTION = "处理费"  # what a 六 that speaks of them says: 信息处理费, 信息公开处理费

META: dict[str, Label] = {
    "format": L("报告格式", "report format"),
    "year": L("报告年度", "report year"),
    "issuer": L("发布机关", "issuing body"),
    "title": L("标题", "title"),
    "date": L("成文日期", "date of issue"),
    "text": L("正文", "text"),
    "sections": L("分项", "sub-sections"),
    "heading": L("小标题", "sub-heading"),
}

# --- table A ---------------------------------------------------------------------------

TABLE_A_ROOT: Path = ("proactive",)

INFO_CONTENT = L("信息内容", "Information")

_DECISIONS = (Column("decisions", L("本年处理决定数量", "Decisions this year")),)

TABLE_A_2021 = (
    Block(
        L("第二十条第（一）项", "Article 20, item (1)"),
        (
            Column("issued", L("本年制发件数", "Issued this year")),
            Column("repealed", L("本年废止件数", "Repealed this year")),
            Column("in_force", L("现行有效件数", "In force")),
        ),
        (
            Node("rules", L("规章", "Rules")),
            Node("normative_documents", L("行政规范性文件", "Normative documents")),
        ),
    ),
    Block(
        L("第二十条第（五）项", "Article 20, item (5)"),
        _DECISIONS,
        (Node("licensing", L("行政许可", "Administrative licensing")),),
    ),
    Block(
        L("第二十条第（六）项", "Article 20, item (6)"),
        _DECISIONS,
        (
            Node("punishment", L("行政处罚", "Administrative penalties")),
            Node("coercion", L("行政强制", "Administrative coercion")),
        ),
    ),
    Block(
        L("第二十条第（八）项", "Article 20, item (8)"),
        (Column("amount", L("本年收费金额（单位：万元）", "Fees collected this year (10,000 yuan)"), "money"),),
        (Node("fees", L("行政事业性收费", "Administrative fees")),),
    ),
)

_ITEMS_2019 = (
    Column("previous_items", L("上一年项目数量", "Items last year")),
    Column("change", L("本年增/减", "Change this year"), "signed"),
)
_DECISIONS_2019 = _ITEMS_2019 + (Column("decisions", L("处理决定数量", "Decisions")),)

TABLE_A_2019 = (
    Block(
        L("第二十条第（一）项", "Article 20, item (1)"),
        (
            Column("new_made", L("本年新制作数量", "Newly made this year")),
            Column("new_published", L("本年新公开数量", "Newly published this year")),
            Column("total_published", L("对外公开总数量", "Published in total")),
        ),
        (
            Node("rules", L("规章", "Rules")),
            Node("normative_documents", L("规范性文件", "Normative documents")),
        ),
    ),
    Block(
        L("第二十条第（五）项", "Article 20, item (5)"),
        _DECISIONS_2019,
        (
            Node("licensing", L("行政许可", "Administrative licensing")),
            Node("other_services", L("其他对外管理服务事项", "Other external administrative services")),
        ),
    ),
    Block(
        L("第二十条第（六）项", "Article 20, item (6)"),
        _DECISIONS_2019,
        (
            Node("punishment", L("行政处罚", "Administrative penalties")),
            Node("coercion", L("行政强制", "Administrative coercion")),
        ),
    ),
    Block(
        L("第二十条第（八）项", "Article 20, item (8)"),
        _ITEMS_2019,
        (Node("fees", L("行政事业性收费", "Administrative fees")),),
    ),
    Block(
        L("第二十条第（九）项", "Article 20, item (9)"),
        (
            Column("items", L("采购项目数量", "Procurement items")),
            Column("amount", L("采购总金额", "Procurement amount"), "money"),
        ),
        (Node("procurement", L("政府集中采购", "Centralised government procurement")),),
    ),
)

# --- table B ---------------------------------------------------------------------------

TABLE_B_ROOT: Path = ("applications",)
TABLE_B_NOTE = L(
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    "(In each column: I + II = III + IV)",
)
APPLICANTS = L("申请人情况", "Applicants")
ORGANISATIONS = L("法人或其他组织", "Legal persons or other organisations")

NATURAL_PERSON = Column("natural_person", L("自然人", "Natural persons"))
ORGANISATION_COLUMNS = (
    Column("commercial", L("商业企业", "Commercial enterprises")),
    Column("research", L("科研机构", "Research institutions")),
    Column("nonprofit", L("社会公益组织", "Public-interest organisations")),
    Column("legal_service", L("法律服务机构", "Legal service providers")),
    Column("other", L("其他", "Other")),
)
TOTAL = Column("total", L("总计", "Total"))
APPLICANT_COLUMNS = (NATURAL_PERSON,) + ORGANISATION_COLUMNS
TABLE_B_COLUMNS = APPLICANT_COLUMNS + (TOTAL,)

_WITHHELD = Node(
    "withheld",
    L("（三）不予公开", "(3) Not disclosed"),
    (
        Node("state_secret", L("1.属于国家秘密", "1. State secret")),
        Node("prohibited_by_law", L("2.其他法律行政法规禁止公开", "2. Barred by other laws and regulations")),
        Node("security_stability", L("3.危及“三安全一稳定”", "3. Endangers security or stability")),
        Node("third_party", L("4.保护第三方合法权益", "4. Protects a third party's rights")),
        Node("internal_affairs", L("5.属于三类内部事务信息", "5. Internal affairs")),
        Node("process_info", L("6.属于四类过程性信息", "6. Process information")),
        Node("enforcement_files", L("7.属于行政执法案卷", "7. Enforcement files")),
        Node("query_matters", L("8.属于行政查询事项", "8. Administrative query matters")),
    ),
)
_UNAVAILABLE = Node(
    "unavailable",
    L("（四）无法提供", "(4) Cannot be provided"),
    (
        Node("not_held", L("1.本机关不掌握相关政府信息", "1. Not held by this body")),
        Node("needs_creation", L("2.没有现成信息需要另行制作", "2. Would have to be created")),
        Node("unclear", L("3.补正后申请内容仍不明确", "3. Still unclear after correction")),
    ),
)
_NOT_PROCESSED = Node(
    "not_processed",
    L("（五）不予处理", "(5) Not processed"),
    (
        Node("complaint", L("1.信访举报投诉类申请", "1. Petitions, reports and complaints")),
        Node("duplicate", L("2.重复申请", "2. Repeated application")),
        Node("publication", L("3.要求提供公开出版物", "3. Asks for a publication")),
        Node("excessive", L("4.无正当理由大量反复申请", "4. Excessive repeated applications")),
        Node(
            "confirmation",
            L("5.要求行政机关确认或重新出具已获取信息", "5. Asks to confirm or reissue information already obtained"),
        ),
    ),
)
_OTHER_LABEL = L("（六）其他处理", "(6) Otherwise handled")
_OTHER_2021 = Node(
    "other",
    _OTHER_LABEL,
    (
        Node(
            "no_correction",
            L(
                "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                "1. Applicant did not correct the application in time",
            ),
        ),
        Node(
            "fee_unpaid",
            L(
                "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                "2. Applicant did not pay the fee in time",
            ),
        ),
        Node("other", L("3.其他", "3. Other")),
    ),
)
_OTHER_2019 = Node("other", _OTHER_LABEL)

RESULTS_TOTAL_KEY = "total"


def _table_b(other: Node) -> tuple[Node, ...]:
    return (
        Node("received", L("一、本年新收政府信息公开申请数量", "I. New applications this year")),
        Node("carried_in", L("二、上年结转政府信息公开申请数量", "II. Carried over from last year")),
        Node(
            "results",
            L("三、本年度办理结果", "III. Results this year"),
            (
                Node("granted", L("（一）予以公开", "(1) Disclosed")),
                Node(
                    "partial",
                    L(
                        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
                        "(2) Partly disclosed (counted here only)",
                    ),
                ),
                _WITHHELD,
                _UNAVAILABLE,
                _NOT_PROCESSED,
                other,
                Node(RESULTS_TOTAL_KEY, L("（七）总计", "(7) Total")),
            ),
        ),
        Node("carried_forward", L("四、结转下年度继续办理", "IV. Carried forward to next year")),
    )


# --- table C ---------------------------------------------------------------------------

TABLE_C_ROOT: Path = ("appeals",)
OUTCOME_COLUMNS = (
    Column("upheld", L("结果维持", "Upheld")),
    Column("corrected", L("结果纠正", "Corrected")),
    Column("other", L("其他结果", "Other outcome")),
    Column("pending", L("尚未审结", "Pending")),
)
TABLE_C_COLUMNS = OUTCOME_COLUMNS + (TOTAL,)
TABLE_C_GROUPS = (
    Node("review", L("行政复议", "Administrative review")),
    Node(
        "",
        L("行政诉讼", "Administrative litigation"),
        (
            Node("litigation_direct", L("未经复议直接起诉", "Sued without prior review")),
            Node("litigation_after_review", L("复议后起诉", "Sued after review")),
        ),
    ),
)
# each group of table C (行政复议, 未经复议直接起诉, 复议后起诉) with its data path and label chain
TABLE_C_LEAVES: tuple[tuple[Path, tuple[Node, ...]], ...] = tuple(
    leaf for node in TABLE_C_GROUPS for leaf in node.leaves(TABLE_C_ROOT)
)

# --- the figures a reader compares across years and bodies ---------------------------------
# each the sum of its cells, in both formats

HEADLINES: tuple[tuple[Label, tuple[Path, ...]], ...] = (
    (L("本年新收申请", "applications received"), (("applications", "received", "total"),)),
    (L("上年结转", "carried in"), (("applications", "carried_in", "total"),)),
    (L("办理结果总计", "handled"), (("applications", "results", "total", "total"),)),
    (L("予以公开", "disclosed"), (("applications", "results", "granted", "total"),)),
    (L("结转下年度", "carried forward"), (("applications", "carried_forward", "total"),)),
    (L("行政复议", "administrative reviews"), (("appeals", "review", "total"),)),
    (
        L("行政诉讼", "lawsuits"),
        (("appeals", "litigation_direct", "total"), ("appeals", "litigation_after_review", "total")),
    ),
)

# --- rules -----------------------------------------------------------------------------

RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        Rule(
            "C1",
            "error",
            L("一 + 二 = （七）总计 + 四", "I + II = (7) total + IV"),
            L("第一项加第二项之和", "I + II"),
        ),
        Rule(
            "C3",
            "error",
            L("总计 = 各类申请人之和", "total = sum of applicants"),
            L("各类申请人之和", "sum of applicants"),
        ),
        Rule(
            "C4",
            "error",
            L("（七）总计 = （一）至（六）各项之和", "(7) total = sum of (1) to (6)"),
            L("（一）至（六）各项之和", "sum of (1) to (6)"),
        ),
        Rule(
            "C5",
            "error",
            L("总计 = 四类结果之和", "total = sum of the four outcomes"),
            L("四类结果之和", "sum of outcomes"),
        ),
        Rule(
            "C6",
            "warning",
            L("上年结转 = 上年报告的结转下年度继续办理", "carried in = last year's carried forward"),
            L("上年报告的结转下年度继续办理", "last year's carried forward"),
        ),
        Rule("C7", "error", L("数值类型与符号", "type and sign"), L("", "")),
        Rule(
            "C8",
            "warning",
            L("正文数字与表格一致", "figures in the text match the tables"),
            L("表格数据", "the tables"),
        ),
        Rule(
            "township",
            "warning",
            L("乡镇、街道不制发规章", "a township makes no rules"),
            L("乡镇、街道不制发规章", "a township makes no rules"),
        ),
        Rule(
            "jump",
            "warning",
            L("与上年相比变化超过五倍", "more than five-fold change from last year"),
            L("上年数值", "last year's figure"),
        ),
        Rule("schema", "error", L("格式要求", "schema"), L("", "")),
        Rule("placeholder", "error", L("正文占位符", "text placeholder"), L("", "")),
        Rule("encoding", "warning", L("文件编码", "file encoding"), L("", "")),
        Rule("control-char", "warning", L("文档不能容纳的控制字符", "characters a document cannot hold"), L("", "")),
        Rule("syntax", "error", L("文件语法", "file syntax"), L("", "")),
        Rule("extract", "warning", L("读取文档时的推断", "what reading a document assumed"), L("", "")),
        Rule("sections", "warning", L("六个部分齐全、顺序正确", "the six sections, in order"), L("", "")),
        Rule(
            "year-text",
            "warning",
            L("正文中的年份为报告年度或次年", "years in the text are the report's or the next"),
            L("报告年度或次年", "the report year or the next"),
        ),
        Rule(
            "repeated",
            "warning",
            L("正文与上年报告重复", "text repeated from last year's report"),
            L("上年报告", "last year's report"),
        ),
        Rule(
            "overview-length",
            "warning",
            L("总体情况篇幅", "length of the overview"),
            L("字数上限", "the length limit"),
        ),
        Rule("deadline", "warning", L("按期公布", "published on time"), DEADLINE_BASIS),
        Rule("problems-empty", "warning", L("五、存在的主要问题及改进情况不为空", "section V is not empty"), L("", "")),
        Rule(
            "fees-silent",
            "warning",
            L("六、其他需要报告的事项说明信息处理费", "section VI states the processing fees"),
            L("《政府信息公开信息处理费管理办法》", "the Measures on Processing Fees"),
        ),
        Rule(
            "in-force",
            "warning",
            L("现行有效件数 = 上年现行有效 + 本年制发 − 本年废止", "in force = last year's + issued − repealed"),
            L("上年现行有效件数 + 本年制发件数 − 本年废止件数", "last year's in force + issued − repealed"),
        ),
        Rule(
            "hints",
            "warning",
            L("docgen init 写入的提示已替换", "the hints docgen init writes are replaced"),
            L("", ""),
        ),
    )
}


def _equations(rows: tuple[Node, ...]) -> tuple[Equation, ...]:
    """The arithmetic of tables B and C, derived from their rows and columns.

    Order matters: computing a missing total walks this list once, so each
    equation may rely on the totals computed before it.
    """
    leaves = [path for node in rows for path, _ in node.leaves(TABLE_B_ROOT)]
    results_total = TABLE_B_ROOT + ("results", RESULTS_TOTAL_KEY)
    results = [p for p in leaves if p[:2] == TABLE_B_ROOT + ("results",) and p != results_total]
    applicant_keys = [c.key for c in APPLICANT_COLUMNS]

    def row_total(row: Path) -> Equation:
        return Equation("C3", (row + (TOTAL.key,),), tuple(row + (k,) for k in applicant_keys), needs_addends=True)

    equations = [row_total(p) for p in leaves if p != results_total]
    equations += [
        Equation("C4", (results_total + (c.key,),), tuple(p + (c.key,) for p in results)) for c in TABLE_B_COLUMNS
    ]
    equations.append(row_total(results_total))
    groups = [path for path, _ in TABLE_C_LEAVES]
    equations += [
        Equation("C5", (g + (TOTAL.key,),), tuple(g + (c.key,) for c in OUTCOME_COLUMNS), needs_addends=True)
        for g in groups
    ]
    in_ = [TABLE_B_ROOT + ("received",), TABLE_B_ROOT + ("carried_in",)]
    out = [results_total, TABLE_B_ROOT + ("carried_forward",)]
    equations += [
        Equation("C1", tuple(p + (c.key,) for p in out), tuple(p + (c.key,) for p in in_)) for c in TABLE_B_COLUMNS
    ]
    return tuple(equations)


def _format(name: str, notice: str, table_a: tuple[Block, ...], other: Node) -> Format:
    rows = _table_b(other)
    return Format(name, notice, table_a, rows, _equations(rows))


FORMAT_SPECS: dict[str, Format] = {
    "2021": _format("2021", "国办公开办函〔2021〕30号", TABLE_A_2021, _OTHER_2021),
    "2019": _format("2019", "国办公开办函〔2019〕60号", TABLE_A_2019, _OTHER_2019),
}


@dataclass(frozen=True)
class CellInfo:
    """Where a cell stands in the official tables: its row and column labels and kind."""

    row: Label
    column: Label
    kind: Kind


def full_label(chain: tuple[Node, ...]) -> Label:
    """A row's full label: its groups' labels and its own, as the contract's messages print them."""
    return Label("".join(n.label.zh for n in chain), " ".join(n.label.en for n in chain))


def cells(fmt: Format) -> dict[Path, CellInfo]:
    """Every numeric cell of the three tables, keyed by data path, in document order."""
    out: dict[Path, CellInfo] = {}
    for block in fmt.table_a:
        for row in block.rows:
            for col in block.columns:
                out[block.path(row, col)] = CellInfo(row.label, col.label, col.kind)
    for path, chain in fmt.table_b_leaves():
        row_label = full_label(chain)
        for col in TABLE_B_COLUMNS:
            out[path + (col.key,)] = CellInfo(row_label, col.label, "count")
    for path, chain in TABLE_C_LEAVES:
        for col in TABLE_C_COLUMNS:
            out[path + (col.key,)] = CellInfo(full_label(chain), col.label, "count")
    return out


CELLS: dict[str, dict[Path, CellInfo]] = {name: cells(fmt) for name, fmt in FORMAT_SPECS.items()}


def row_label(fmt: Format, path: Path) -> Label | None:
    """The official label of a table row or group at ``path`` (a row of B, a group of C, a row of A)."""
    for block in fmt.table_a:
        for row in block.rows:
            if TABLE_A_ROOT + (row.key,) == path:
                return row.label
    for roots, nodes in ((TABLE_B_ROOT, fmt.table_b_rows), (TABLE_C_ROOT, TABLE_C_GROUPS)):
        for node in nodes:
            for _, chain in node.leaves(roots):
                for depth in range(1, len(chain) + 1):
                    if not chain[depth - 1].key:
                        continue  # a heading such as 行政诉讼 holds no data of its own
                    keys = tuple(n.key for n in chain[:depth] if n.key)
                    if roots + keys == path:
                        return full_label(chain[:depth])
    if len(path) == 1 and path[0] in SECTION_LABELS:
        return SECTION_LABELS[path[0]]
    return None


# --- where each cell sits: the three tables as printed ----------------------------------

Role = Literal["heading", "header", "label", "value", "note"]


@dataclass(frozen=True)
class GridCell:
    """One cell of a printed table: where it starts, how far it spans, and what it holds.

    A value cell carries the data path of its figure; a row label the data path
    of its row (or group); a heading, header or note only its text.
    """

    row: int
    col: int
    role: Role
    label: Label | None = None
    path: Path = ()
    rows: int = 1
    cols: int = 1
    align: Literal["center", "left"] = "center"
    note: bool = False  # set as a note (楷体 in the blank form): the 勾稽 note and （二）部分公开's label


@dataclass(frozen=True)
class Grid:
    """A table of the report as a grid of rows and columns, merges included."""

    name: str  # "A", "B" or "C", in document order
    rows: int
    cols: int
    cells: tuple[GridCell, ...]


@dataclass(frozen=True)
class Position:
    """Where a figure is printed: its table (0 for A, 1 for B, 2 for C), grid row and grid column."""

    table: int
    row: int
    col: int

    @property
    def table_name(self) -> str:
        return TABLE_NAMES[self.table]


TABLE_NAMES = ("A", "B", "C")
TABLE_A_COLS = 4
TABLE_B_LABEL_COLS = 3  # 一 / （三） / 1. : the depth of table B's rows


def _a_span(block: Block, index: int) -> int:
    """The last column of a block takes up what is left of the value columns."""
    last = len(block.columns) - 1
    return TABLE_A_COLS - 1 - last if index == last else 1


def _grid_a(fmt: Format) -> Grid:
    cells: list[GridCell] = []
    r = 0
    for block in fmt.table_a:
        cells.append(GridCell(r, 0, "heading", block.heading, cols=TABLE_A_COLS))
        cells.append(GridCell(r + 1, 0, "header", INFO_CONTENT))
        cells += [
            GridCell(r + 1, 1 + i, "header", col.label, cols=_a_span(block, i)) for i, col in enumerate(block.columns)
        ]
        for j, row in enumerate(block.rows, start=r + 2):
            cells.append(GridCell(j, 0, "label", row.label, TABLE_A_ROOT + (row.key,)))
            cells += [
                GridCell(j, 1 + i, "value", path=block.path(row, col), cols=_a_span(block, i))
                for i, col in enumerate(block.columns)
            ]
        r += 2 + len(block.rows)
    return Grid("A", r, TABLE_A_COLS, tuple(cells))


def _grid_b(fmt: Format) -> Grid:
    first = TABLE_B_LABEL_COLS  # the first number column
    orgs = len(ORGANISATION_COLUMNS)
    cells = [
        GridCell(0, 0, "note", TABLE_B_NOTE, rows=3, cols=first, note=True),
        GridCell(0, first, "header", APPLICANTS, cols=len(TABLE_B_COLUMNS)),
        GridCell(1, first, "header", NATURAL_PERSON.label, rows=2),
        GridCell(1, first + 1, "header", ORGANISATIONS, cols=orgs),
        GridCell(1, first + 1 + orgs, "header", TOTAL.label, rows=2),
    ]
    cells += [GridCell(2, first + 1 + i, "header", col.label) for i, col in enumerate(ORGANISATION_COLUMNS)]
    # label columns: each node spans the rows of its leaves; a leaf spans the label columns left of it
    row = 3
    placed: set[Path] = set()
    for path, chain in fmt.table_b_leaves():
        for depth, node in enumerate(chain):
            node_path = TABLE_B_ROOT + tuple(n.key for n in chain[: depth + 1])
            if node_path in placed:
                continue
            placed.add(node_path)
            leaf = not node.children
            cells.append(
                GridCell(
                    row,
                    depth,
                    "label",
                    node.label,
                    node_path,
                    rows=sum(1 for _ in node.leaves()),
                    cols=first - depth if leaf else 1,
                    align="left" if leaf else "center",
                    note=node.key == "partial",
                )
            )
        cells += [GridCell(row, first + i, "value", path=path + (col.key,)) for i, col in enumerate(TABLE_B_COLUMNS)]
        row += 1
    return Grid("B", row, first + len(TABLE_B_COLUMNS), tuple(cells))


def _grid_c() -> Grid:
    width = len(TABLE_C_COLUMNS)
    cells: list[GridCell] = []
    col = 0
    for node in TABLE_C_GROUPS:
        group_path = TABLE_C_ROOT + ((node.key,) if node.key else ())
        span = width * max(1, len(node.children))
        cells.append(GridCell(0, col, "header", node.label, group_path, cols=span))
        if not node.children:
            cells += [GridCell(1, col + i, "header", c.label, rows=2) for i, c in enumerate(TABLE_C_COLUMNS)]
        for j, child in enumerate(node.children):
            start = col + j * width
            cells.append(GridCell(1, start, "header", child.label, group_path + (child.key,), cols=width))
            cells += [GridCell(2, start + i, "header", c.label) for i, c in enumerate(TABLE_C_COLUMNS)]
        col += span
    groups = [path for path, _ in TABLE_C_LEAVES]
    cells += [
        GridCell(3, g * width + i, "value", path=path + (c.key,))
        for g, path in enumerate(groups)
        for i, c in enumerate(TABLE_C_COLUMNS)
    ]
    return Grid("C", 4, col, tuple(cells))


def grids(fmt: Format) -> tuple[Grid, Grid, Grid]:
    """Tables A, B and C of ``fmt`` as printed, in document order."""
    return _grid_a(fmt), _grid_b(fmt), _grid_c()


GRIDS: dict[str, tuple[Grid, Grid, Grid]] = {name: grids(fmt) for name, fmt in FORMAT_SPECS.items()}

POSITIONS: dict[str, dict[Path, Position]] = {
    name: {
        cell.path: Position(index, cell.row, cell.col)
        for index, grid in enumerate(tables)
        for cell in grid.cells
        if cell.role == "value"
    }
    for name, tables in GRIDS.items()
}


def cell_path(fmt: Format, row: Path, column: str) -> Path | None:
    """The data path of the figure of ``row`` under ``column``, or None where ``fmt`` has no such cell.

    A row of a one-column block of table A holds its figure bare, so
    ``proactive.licensing`` / ``decisions`` is ``proactive.licensing`` in 2021
    and ``proactive.licensing.decisions`` in 2019.
    """
    for block in fmt.table_a:
        for node in block.rows:
            if TABLE_A_ROOT + (node.key,) == row:
                col = next((c for c in block.columns if c.key == column), None)
                return block.path(node, col) if col is not None else None
    path = row + (column,)
    return path if path in CELLS[fmt.name] else None


# every row of the three tables (a group of table C counts as one), in any format: a report writes each
# as one value, so shared defaults never mix their cells into a row the report writes itself
TABLE_ROWS: frozenset[Path] = frozenset(path[:-1] for cells in CELLS.values() for path in cells) - {TABLE_A_ROOT}
