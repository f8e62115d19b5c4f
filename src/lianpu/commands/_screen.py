"""What every command's screen shares (issue 15): one language, one unit, whole names.

- **One language**: column headers, titles and notes come from :data:`WORDS` (key → (zh, en))
  and :func:`word`; ``--lang zh`` prints only the Chinese, ``--lang en`` only the English.
  Region codes are named by :func:`region_name` from the shipped label data
  (:func:`lianpu.data.concordances.region_labels`: WIOD economies and aggregates, RoW →
  世界其他地区; China's provinces from :func:`lianpu.data.registry.province`).
- **One unit**: money totals are shown in the display unit of :meth:`Unit.display` (万元 tables in
  亿元, million USD in billion USD) and the caption says so (:func:`unit_line`); ``--json``
  keeps the table's own unit under ``"unit"``.
- **Whole names**: :func:`table` columns never cut a cell: names and headers fold onto the
  next line (``overflow="fold"``), numbers stay right-aligned.
"""
from __future__ import annotations

import re
from functools import cache

from rich import box
from rich.table import Table

from ..core.notes import text as _text, zh as _zh
from ..core.units import Unit
from ._shared import out

#: screen words: key → (Chinese, English)
WORDS = {
    "#": ("序号", "#"), "code": ("代码", "code"), "sector": ("部门", "sector"),
    "input": ("投入部门", "input"), "region": ("地区", "region"), "name": ("名称", "name"),
    "unit": ("单位", "unit"), "note": ("说明", "note"), "basis": ("口径", "basis"),
    # multipliers
    "multiplier": ("乘数", "multiplier"),
    # key sectors
    "pod": ("影响力系数", "dispersion"), "sod": ("感应度系数", "sensitivity"),
    "type": ("类型", "type"), "hem": ("抽取损失占比", "HEM loss"),
    "ind_consumption": ("消费诱发", "C ind."), "ind_capital": ("资本诱发", "K ind."),
    "ind_exports": ("出口诱发", "X ind."),
    # chain map
    "direct": ("直接投入", "direct input"), "total": ("完全需要", "total requirement"),
    "tier_1": ("第1层", "tier 1"), "tier_2": ("第2层", "tier 2"), "tier_3": ("第3层及以后", "tier 3+"),
    "apl": ("平均传递步长", "average propagation length"), "upstreamness": ("上游度", "upstreamness"),
    "direct_sales": ("直接销售", "direct sales"), "share": ("占比", "share"),
    "ghosh_total": ("完全供给", "Ghosh total"), "value": ("数值", "value"),
    "order": ("阶数", "order"), "path": ("路径", "path"),
    # weak links
    "import_share": ("进口占比", "import share"), "of_inputs": ("占投入比", "of inputs"),
    "chokepoint": ("卡点", "chokepoint"), "cut_loss": ("进口减30%损失", "lost at 30% cut"),
    "ghosh_cut": ("供给推动指标", "Ghosh"), "imported": ("进口额", "imported"),
    "per_unit_fd": ("单位最终需求进口", "per unit FD"), "top_origin": ("主要来源地", "top origin"),
    "hhi": ("来源集中度", "HHI"), "outside": ("省外+境外", "outside"), "abroad": ("境外进口", "abroad"),
    "other_prov": ("省外调入", "other prov."), "outside_share": ("省外+境外占比", "outside share"),
    "supply_loss": ("断供损失", "supply loss"), "market_loss": ("失去市场损失", "market loss"),
    "output_multiplier": ("产出乘数", "output multiplier"), "export_share": ("出口占比", "export share"),
    # impact
    "effect": ("效应", "effect"), "scenario": ("情景", "scenario"),
    "indicator": ("指标", "indicator"), "induced": ("诱发", "induced"),
    "indirect": ("间接", "indirect"), "direct_effect": ("直接", "direct"),
    "total_effect": ("合计", "total"),
    # shock, inoperability
    "output_loss": ("产出损失", "output loss"), "output_loss_pct": ("产出损失 %", "output loss %"),
    "value_added_loss": ("增加值损失", "value added loss"), "binding": ("约束", "binding"),
    "constraint": ("约束", "constraint"), "sectors_n": ("部门数", "sectors"),
    "output_lost": ("损失产出", "output lost"), "inoperability": ("不可运行性", "inoperability"),
    "economic_loss": ("经济损失", "economic loss"), "initial": ("初始", "initial"),
    "peak": ("峰值", "peak"), "peak_day": ("峰值日", "peak day"), "final": ("期末", "final"),
    "loss": ("损失", "loss"),
    # spillover
    "intra": ("区域内", "intra-regional"), "feedback": ("反馈", "feedback"),
    "spillover": ("溢出", "spillover"), "spillover_share": ("溢出占比", "spillover share"),
    # footprint
    "domestic": ("本国生产排放", "domestic production"),
    "avoided_by_imports_dta": ("进口避免排放", "avoided by imports"),
    "household_direct": ("居民直接排放", "household direct"),
    "total_dta": ("合计", "total (DTA)"),
    "footprint_domestic": ("国内最终使用排放", "footprint, domestic"),
    "avoided_by_imports_domestic_use": ("国内使用的进口避免排放", "avoided by imports (domestic use)"),
    "footprint_dta": ("消费侧足迹", "footprint (DTA)"),
    "fp_consumption": ("消费足迹", "consumption"), "fp_investment": ("投资足迹", "investment"),
    "fp_inventory": ("存货足迹", "inventories"), "fp_exports": ("出口足迹", "exports"),
    "embodied_in_exports_domestic": ("出口隐含本国排放", "embodied in exports"),
    "multiplier_domestic": ("排放乘数", "emission multiplier"),
    "direct_share": ("直接排放占比", "direct share"),
}

#: region codes that the shipped label data does not hold: the rest of the nation of a
#: two-region table (``lianpu regionalize --two-region``, region ``RoN``); in the China MRIO,
#: abroad (``ROW``, analysis.regions.mrio.common.ABROAD) and the rest of China against a block
#: (``RoC``, analysis.regions.mrio.dual_core)
_EXTRA_REGIONS = {"RoN": ("本国其他地区", "Rest of the nation"), "ROW": ("境外", "abroad"),
                  "RoC": ("全国其他省份", "rest of China")}


def word(key: str, lang: str) -> str:
    """The screen word of ``key`` in ``lang`` (the key itself when it has none)."""
    zh, en = WORDS.get(key, (key, key))
    return zh if lang == "zh" else en


def pick(zh: str, en: str, lang: str) -> str:
    return zh if lang == "zh" else en


def money(unit, lang: str) -> tuple[float, str]:
    """(factor, label) of money totals on screen: :meth:`Unit.display` (万元 → 亿元)."""
    return Unit.parse(unit).display(lang)


_BILINGUAL = re.compile(r"^(.*?)\s*[（(]([^()（）]*[\u4e00-\u9fff][^()（）]*)[)）]$")


def unit_text(unit, lang: str) -> str:
    """A unit label in ``lang``: money by :meth:`Unit.text`; a bilingual label such as
    '10,000 persons (万人)' split into its two halves; anything else as written."""
    u = Unit.parse(unit)
    if u.is_money:
        return u.text(lang)
    m = _BILINGUAL.match(u.label)
    return (m.group(2) if lang == "zh" else m.group(1)) if m and m.group(1) else u.label


def unit_line(label: str, lang: str) -> str:
    return f"单位：{label}" if lang == "zh" else f"unit: {label}"


@cache
def _regions() -> dict:
    from ..data.concordances import region_labels
    lab = region_labels()
    d = {c: (r["name_zh"], r["name_en"]) for c, r in lab.iterrows()}
    return {**_EXTRA_REGIONS, **d}


def region_name(code, lang: str) -> str:
    """The name of a region code in ``lang``: WIOD economies and aggregates, China's provinces
    (GB/T 2260 or ISO code), else the code as written."""
    from ..core.errors import DatasetError
    from ..data.registry import province
    s = str(code)
    if s in _regions():
        return pick(*_regions()[s], lang)
    try:
        p = province(s)
    except DatasetError:
        return s
    return pick(p.name_zh, p.name_en, lang)


def table(title: str, caption: str | None = None, header: bool = True) -> Table:
    """A screen table (one box style for all commands)."""
    return Table(box=box.SIMPLE_HEAD, title=title, caption=caption, show_header=header,
                 padding=(0, 1, 0, 0), pad_edge=False)


def columns(tab: Table, heads: list[tuple[str, str]]) -> None:
    """Add columns: ``(header, kind)`` with kind ``code`` (left, never wrapped), ``text`` (left,
    folded onto the next line rather than cut) or ``num`` (right; header folded)."""
    for head, kind in heads:
        if kind == "code":
            tab.add_column(head, no_wrap=True, overflow="fold")
        elif kind == "text":
            tab.add_column(head, no_wrap=False, overflow="fold", min_width=6)
        else:
            tab.add_column(head, justify="right", no_wrap=False, overflow="fold")


def show(tab: Table) -> None:
    """Print ``tab`` with each number column as wide as its widest number (its header folds
    within that, at least as wide as the header's longest word up to 6 cells), so the
    space left goes to the names, which wrap instead of being cut."""
    from rich.cells import cell_len
    for col in tab.columns:
        if col.justify == "right" and not col.no_wrap:
            cells = [cell_len(str(c)) for c in col.cells]
            head = max((cell_len(w) for w in str(col.header).split()), default=1)
            col.max_width = max(max(cells, default=1), min(head, 6))
    out.print(tab)


def notes(lines, lang: str, style: str = "dim") -> None:
    """Print caveats, each on its own line (``说明：`` / ``note:``), as plain text: a
    :class:`~lianpu.core.notes.Note` in ``lang`` (its Chinese under ``zh``), other text as
    written."""
    from rich.text import Text
    for n in lines:
        if n:
            out.print(Text(f"{word('note', lang)}{'：' if lang == 'zh' else ': '}{_text(n, lang)}",
                           style=style), soft_wrap=False)


def notes_of(result, lang: str) -> list:
    """A result's caveats in ``lang``: under ``zh`` its ``notes_zh`` where it has them (the same
    notes, in the same order), else the Chinese of each note (:func:`lianpu.core.notes.zh`);
    under ``en`` its ``notes``."""
    if lang != "zh":
        return [str(n) for n in result.notes]
    z = getattr(result, "notes_zh", ())
    return list(z) if z else [_zh(n) for n in result.notes]


__all__ = ["WORDS", "columns", "money", "notes", "notes_of", "pick", "region_name", "show", "table",
           "unit_line", "unit_text", "word"]
