"""Household consumption 居民消费 for the Type II closure, and the closure itself.

Type II closes the model with respect to *households* (Miller & Blair 2009, §2.5): labour
income becomes a row and household consumption a column of Ā. The 42-sector
non-competitive NBS tables of 2017, 2018 and 2020 publish only total final consumption ``TC``
(最终消费支出: households **and** government), and closing TC makes households spend all of
their labour income, and more, on domestic products alone (101.7 % in 2020), which overstates
induced effects about twofold.

The household split 居民消费拆分: for each product i of such a table, the household share

    h_i = (FU101_i + FU102_i) / (FU101_i + FU102_i + FU103_i)

is taken from the same year's detailed table (2017: ``cn-nbs-2017-149``, 2018/2020:
``cn-nbs-2018-153``/``cn-nbs-2020-153``), its sectors aggregated to the table's sectors with the
shipped concordance ``nbs42_concordance.csv`` (:mod:`lianpu.satellites.co2.concordance`); for a year
without a detailed table, from the nearest year whose table publishes FU101/FU102 (the later
one on a tie; the result says which). Household consumption is then

    y_h = h ⊙ TC   (domestic block Y)    and    y_h^m = h ⊙ TC^m   (imported block Ym).

Assumptions, stated in every result: the detailed tables are competitive (their FU101…FU103
mix domestic and imported products), so the household share of a product is taken to be the
same for its domestic and its imported part; products the detailed table shows no consumption
of get h_i = 1 (government consumption in the NBS tables is of services only), which matters
only where TC is non-zero there.

The detailed table is read through the dataset registry and cache (``data_dir``: the CLI's
``--data-dir``, the report's and dashboard's cache; see :func:`remember_data_dir`); if it is
not in the cache, the error names the dataset to ``lianpu download`` — unless TC is closed
explicitly (``households=("TC",)``), which stays possible, with the shares under both closures
recorded in the result's warning.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..core import roles
from ..core.errors import DatasetError, LianpuError, TableError, message
from ..core.notes import Note
from ._common import cached, intensity
from ._result import Result

__all__ = ["HouseholdSplit", "Closure", "HouseholdSplitUnavailable", "household_split",
           "closure", "detail_source", "remember_data_dir"]

_SPLIT_KEY = "household_split"
#: table → dataset cache folder recorded by :func:`remember_data_dir`. Kept beside the table
#: (weakly: the entry goes with the table), not in its memo, which holds derived numerics only.
_DATA_DIRS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


class HouseholdSplitUnavailable(DatasetError, TableError):
    """The detailed table needed for the household split is not in the cache (a dataset
    problem and a reason Type II cannot close households); ``dataset`` names it."""

    def __init__(self, text: str, dataset: str = ""):
        super().__init__(text)
        self.dataset = dataset


@dataclass(frozen=True, eq=False)
class HouseholdSplit(Result):
    """Household consumption estimated for a table that publishes only total consumption.

    ``share`` h (n,), ``domestic`` h ⊙ TC of the domestic block (n,), ``imported`` h ⊙ TC of
    the imported block (n,; None for a competitive table), all in the table's unit and order.
    """

    table: str
    index: pd.Index
    column: str
    share: np.ndarray
    domestic: np.ndarray
    imported: np.ndarray | None
    source: str
    source_year: int
    year: int | None
    mapping: str
    no_consumption: tuple = ()
    unit: str = ""
    notes: tuple = field(default=())

    @property
    def same_year(self) -> bool:
        return self.source_year == self.year

    @property
    def text_en(self) -> str:
        yr = "" if self.same_year else f", the nearest year to {self.year} with FU101/FU102"
        return (f"households = household consumption (居民消费) estimated from {self.source}"
                f"{yr} (FU101+FU102 shares of FU101+FU102+FU103 by product, mapped to "
                f"{len(self.index)} sectors) × {self.column}")

    @property
    def text_zh(self) -> str:
        yr = "" if self.same_year else f"（与{self.year}年最近、有农村/城镇居民消费的年份）"
        return (f"居民消费 = {self.column} × 居民消费占比，占比按产品取自{self.source}{yr}"
                f"（(FU101+FU102)/(FU101+FU102+FU103)，按部门对照表归并为{len(self.index)}部门）")

    def to_frame(self) -> pd.DataFrame:
        """By sector: household share, household consumption of domestic (and imported)
        products, in the table's unit."""
        df = pd.DataFrame({"household_share": self.share, "domestic": self.domestic},
                          index=self.index)
        if self.imported is not None:
            df["imported"] = self.imported
        df.attrs.update(table=self.table, source=self.source, unit=self.unit)
        return df

    def to_dict(self) -> dict:
        return {"table": self.table, "column": self.column, "source": self.source,
                "source_year": self.source_year, "year": self.year, "mapping": self.mapping,
                "text_zh": self.text_zh, "text_en": self.text_en,
                "no_consumption": list(self.no_consumption), "notes": list(self.notes),
                "unit": self.unit}


@dataclass(frozen=True, eq=False)
class Closure(Result):
    """How a Type II model closes households.

    ``method``: ``"own"`` (the table's household columns), ``"split"`` (household split of
    total consumption, :class:`HouseholdSplit`) or ``"columns"`` (final-use columns chosen
    explicitly, e.g. ``("TC",)``). ``hr`` labour income per unit of output (n,), ``hc``
    household consumption per unit of total labour income (n,); ``share`` = Σ hc, the share
    of labour income households spend on the table's (domestic) products. A description of
    the closure, not an amount: ``unit`` and ``basis`` are ``null`` in its JSON.
    """

    method: str
    columns: tuple
    hr: np.ndarray
    hc: np.ndarray
    share: float
    text_zh: str
    text_en: str
    warning_zh: str = ""
    warning_en: str = ""
    reference_share: float | None = None
    split: HouseholdSplit | None = field(default=None, repr=False)

    @property
    def key(self) -> tuple:
        """What identifies the closed Ā (for caches)."""
        if self.method == "split":
            return ("split", self.split.source, self.split.column)
        return (self.method,) + tuple(self.columns)

    def text(self, lang: str = "en") -> str:
        return self.text_zh if lang == "zh" else self.text_en

    def warning(self, lang: str = "en") -> str:
        return self.warning_zh if lang == "zh" else self.warning_en

    def to_dict(self) -> dict:
        return {"method": self.method, "columns": [str(c) for c in self.columns],
                "share_of_labour_income": self.share,
                "source": self.split.source if self.split is not None else None,
                "text_zh": self.text_zh, "text_en": self.text_en,
                "warning_zh": self.warning_zh, "warning_en": self.warning_en,
                "reference_share": self.reference_share}


# ------------------------------------------------------------------ where the detail comes from
def _detailed_tables() -> list[tuple[int, int]]:
    """(year, n) of the registered NBS tables that publish FU101/FU102/FU103 (all but the
    three non-competitive 42-sector tables, whose consumption is TC only)."""
    from ..data import registry
    return [yn for yn in registry.NBS_TABLES if yn not in registry.NBS_NON_COMPETITIVE]


def detail_source(year: int) -> tuple[str, int]:
    """(dataset id, year) of the table household shares are taken from for ``year``: that
    year's most detailed table with FU101/FU102, else the nearest year's (the later on a tie)."""
    tabs = _detailed_tables()
    y = min({y for y, _ in tabs}, key=lambda c: (abs(c - year), -c))
    n = max(n for yy, n in tabs if yy == y)
    return f"cn-nbs-{y}-{n}", y


def remember_data_dir(table, data_dir):
    """Record the dataset cache in which companion data of ``table`` (the detailed table of
    the household split) is looked up when an analysis is given no ``data_dir`` — for the
    report and the dashboard, which hold a cache folder but call analyses that do not take
    one. Returns ``table``. Recorded beside the table (a weak mapping in this module, not the
    table's memo of derived numbers): it changes where data is found, never a value (the
    datasets are checksummed)."""
    if data_dir is not None:
        _DATA_DIRS[table] = data_dir
    return table


def _resolve_dir(table, data_dir):
    from ..data.cache import data_dir as cache_dir
    if data_dir is None:
        data_dir = _DATA_DIRS.get(table)
    return cache_dir(data_dir)


def _consumption_column(table) -> int:
    pos = table.fd_positions("consumption")
    if len(pos) != 1:
        fd = list(table.final_demand_labels.index)
        raise TableError(message(
            table.name, "the household split needs exactly one total-consumption column",
            argument="households", found=f"final-use columns {fd} with roles {list(table.fd_roles)}",
            expected="one column with the role 'consumption' (NBS: TC)"))
    return pos[0]


def _group(sets_from, sets_to, values: np.ndarray) -> np.ndarray:
    """Sum ``values`` (n_from, k) of source sectors onto target sectors whose NBS-42 code sets
    meet theirs (the concordance's one-to-one and many-to-one links)."""
    out = np.zeros((len(sets_to), values.shape[1]))
    for j, tgt in enumerate(sets_to):
        rows = [i for i, s in enumerate(sets_from) if s & tgt]
        if rows:
            out[j] = values[rows].sum(axis=0)
    return out


def household_split(table, data_dir=None) -> HouseholdSplit:
    """Household consumption of ``table``'s products, estimated from the household shares of
    the same year's detailed NBS table (see the module docstring).

    Parameters
    ----------
    table : IOTable
        An NBS table (any year, sectors in ``nbs42_concordance.csv``) with one total-
        consumption column (role ``consumption``, NBS ``TC``).
    data_dir : path, optional
        Dataset cache holding the detailed table (default: the one recorded by
        :func:`remember_data_dir`, else ``$LIANPU_DATA`` or the user data dir).

    Returns
    -------
    HouseholdSplit (cached per table and cache folder).

    Raises
    ------
    HouseholdSplitUnavailable
        The detailed table is not in the cache (the message names the dataset to download).
    TableError
        The table is not an NBS table with a concordance, has no year or no single TC column.
    """
    root = _resolve_dir(table, data_dir)
    return cached(table, (_SPLIT_KEY, str(root)), lambda: _household_split(table, root))


def _household_split(table, root) -> HouseholdSplit:
    """:func:`household_split` uncached, from the dataset cache folder ``root``."""
    from ..satellites.co2 import concordance as cc
    from ..data import registry
    if table.is_multiregional:
        raise TableError(message(table.name, "no household split for multi-regional tables",
                                 argument="households", expected="a national NBS table"))
    j = _consumption_column(table)
    if table.year is None:
        raise TableError(message(table.name, "the household split needs the table's year",
                                 argument="households", expected="a table with year set"))
    try:
        target_key = cc.table_key(table)
    except TableError as exc:
        raise TableError(message(table.name, "the household split needs NBS sector codes",
                                 argument="households", found=str(exc),
                                 expected="an NBS table, or total consumption closed explicitly "
                                          "with households=('TC',) (CLI --households TC)")
                         ) from None
    src, src_year = detail_source(table.year)
    if not registry.is_cached(src, root):
        raise HouseholdSplitUnavailable(message(
            table.name, f"Type II needs household consumption, estimated from {src} "
            f"(FU101+FU102 shares by product), which is not in the cache {root}: run "
            f"`lianpu download {src}`, or close total consumption explicitly "
            f"(households=('TC',), CLI --households TC)"), dataset=src)
    detail = registry.load_dataset(src, data_dir=root)
    hh_cols = detail.fd_positions("household")
    gov_cols = detail.fd_positions("government")
    if not hh_cols or not gov_cols:
        raise TableError(message(src, "no household and government consumption columns",
                                 found=list(detail.final_demand_labels.index),
                                 expected="FU101, FU102 and FU103"))
    cons = np.column_stack([detail.Y_[:, hh_cols].sum(axis=1), detail.Y_[:, gov_cols].sum(axis=1)])
    grouped = _group(cc.nbs42_sets(detail), cc.nbs42_sets(table), cons)
    total = grouped.sum(axis=1)
    # no recorded consumption of the product: household (NBS government consumption is services)
    share = np.divide(grouped[:, 0], total, out=np.ones(table.n), where=total > 0)
    empty = tuple(str(c) for c, t in zip(table.index, total) if t <= 0)
    dom = share * table.Y_[:, j]
    imp = share * table.Ym_[:, j] if table.Ym_ is not None else None
    col = str(table.final_demand_labels.index[j])
    notes = [
        Note(f"household share h = (FU101+FU102)/(FU101+FU102+FU103) by product from {src} "
             f"({detail.n} sectors) mapped to {target_key} with nbs42_concordance.csv; "
             f"household consumption = h × {col}",
             f"居民消费占比 h = (FU101+FU102)/(FU101+FU102+FU103)，按产品取自 {src}"
             f"（{detail.n} 个部门），用 nbs42_concordance.csv 对应到 {target_key}；"
             f"居民消费 = h × {col}"),
        Note(f"{src} is a competitive-import table: the household share of a product is assumed "
             f"the same for its domestic and imported parts",
             f"{src} 为竞争型进口表：假定同一产品的国产部分与进口部分居民消费占比相同"),
    ]
    if src_year != table.year:
        notes.append(Note(f"no detailed table for {table.year}: shares from {src_year}, the "
                          f"nearest year with FU101/FU102",
                          f"{table.year} 年没有细分表：占比取自 {src_year} 年，即有 FU101/FU102 的"
                          "最近年份"))
    if empty:
        left = float(np.abs(table.Y_[[table.index.get_loc(c) for c in empty], j]).sum())
        notes.append(Note(f"{src} shows no consumption of products {list(empty)}: h = 1 there "
                          f"({col} there: {left:g})",
                          f"{src} 中产品 {list(empty)} 没有消费：该处 h = 1（该处 {col}：{left:g}）"))
    for a in (share, dom) + ((imp,) if imp is not None else ()):
        a.setflags(write=False)
    res = HouseholdSplit(
        table=table.name, index=table.index, column=col, share=share, domestic=dom,
        imported=imp, source=src, source_year=src_year, year=table.year,
        mapping=f"nbs42_concordance.csv: {src} ({detail.n} sectors) → {target_key}",
        no_consumption=empty, unit=table.unit, notes=tuple(notes))
    return res


# ------------------------------------------------------------------ the Type II closure
def _own_columns(table) -> tuple:
    """The table's household-consumption columns: those with a household role (household,
    npish), else the reader's ``household_columns``."""
    fd = list(table.final_demand_labels.index)
    pos = table.fd_positions(roles.HOUSEHOLDS)
    return tuple(fd[p] for p in pos) or tuple(table.household_columns)


def _what(table, lang):
    if table.imports == "non-competitive":
        return "国产产品" if lang == "zh" else "domestic products"
    return "本表产品（含进口）" if lang == "zh" else "the table's products (imports included)"


def _pct(v, lang="en") -> str:
    return f"{100 * v:.1f}%" if lang == "zh" else f"{100 * v:.1f} %"


def _spend(table, share, lang) -> str:
    if lang == "zh":
        return f"居民把劳动者报酬的{_pct(share, lang)}用于{_what(table, lang)}"
    return f"households spend {_pct(share)} of labour income on {_what(table, lang)}"


def closure(table, households=None, data_dir=None) -> Closure:
    """The Type II closure of ``table`` (cached per table, choice and cache folder).

    ``households``: None — the table's own household columns if it has them (NBS FU101 +
    FU102, OECD HFCE + NPISH …), else the household split of total consumption
    (:func:`household_split`); a :class:`HouseholdSplit`; or final-use column codes (a tuple,
    or one code such as ``"TC"``) closed as they are — where they include more than household
    consumption, the result carries a warning with the share of labour income spent under
    that closure and under the household one.
    """
    if table.is_multiregional:
        raise TableError(message(table.name, "Type II (households endogenous) is not defined here "
                                 "for multi-regional tables", argument="type",
                                 expected="type='I' for an MRIO table"))
    if isinstance(households, HouseholdSplit):
        if not households.index.equals(table.index):
            raise TableError(message(table.name, "the household split is for another table",
                                     argument="households", found=households.table,
                                     expected=f"a split of {table.name} (household_split(table))"))
        spec = ("split-given", households.source, id(households))
    elif households is None:
        spec = ("auto",)
    else:
        cols = (households,) if isinstance(households, str) else tuple(households)
        spec = ("columns",) + cols
    key = ("type2_closure", spec, str(_resolve_dir(table, data_dir)))
    return cached(table, key, lambda: _closure(table, spec, households, data_dir))


def _income(table):
    hr, _ = intensity(table, "income")
    row = list(table.primary_labels.index).index(table.compensation_row)
    income = float(table.V_[row].sum())
    if income <= 0:
        raise TableError(message(table.name, "total labour income is not positive",
                                 row=table.compensation_row, found=income, expected="> 0"))
    return hr, income


def _closure(table, spec, households, data_dir) -> Closure:
    fd = list(table.final_demand_labels.index)
    own = _own_columns(table)
    if spec[0] == "columns":
        cols = spec[1:]
        for c in cols:
            if c not in fd:
                raise TableError(message(table.name, "unknown household column",
                                         argument="households", found=repr(c),
                                         expected=f"one of {fd}"))
    elif spec[0] == "auto" and not own and not table.fd_positions("consumption"):
        raise TableError(message(
            table.name, "the table has no household-consumption column, so Type II cannot close "
            "households", argument="households",
            found=f"final-demand columns {fd}",
            expected="households=('TC',) to treat all final consumption as household spending "
                     "(an approximation you choose explicitly)"))
    hr, income = _income(table)
    if spec[0] == "split-given" or (spec[0] == "auto" and not own):
        split = households if spec[0] == "split-given" else household_split(table, data_dir)
        hc = split.domestic / income
        share = float(hc.sum())
        return Closure("split", (split.column,), hr, hc, share,
                       f"{split.text_zh}；{_spend(table, share, 'zh')}",
                       f"{split.text_en}; {_spend(table, share, 'en')}", split=split)
    cols = own if spec[0] == "auto" else spec[1:]
    hc = table.Y_[:, [fd.index(c) for c in cols]].sum(axis=1) / income
    share = float(hc.sum())
    names = table.final_demand_labels
    label = "+".join(map(str, cols))
    zh_names = " + ".join(str(names.loc[c, "name_zh"]) or str(c) for c in cols)
    en_names = " + ".join(str(names.loc[c, "name_en"]) or str(c) for c in cols)
    rl = dict(zip(fd, table.fd_roles))
    if spec[0] == "auto" or all(rl.get(c) in roles.HOUSEHOLDS for c in cols):
        how_zh = "表中的居民消费列" if spec[0] == "auto" else "指定的居民消费列"
        how_en = "the table's own household columns" if spec[0] == "auto" else \
            "household columns chosen explicitly"
        return Closure("own" if spec[0] == "auto" else "columns", tuple(cols), hr, hc, share,
                       f"居民 = {label}（{zh_names}，{how_zh}）；{_spend(table, share, 'zh')}",
                       f"households = {label} ({en_names}, {how_en}); "
                       f"{_spend(table, share, 'en')}")
    # explicit columns beyond household consumption (TC, FU103 …): quantify the overstatement
    ref, why_zh, why_en = None, "", ""
    if own:
        ref = float(table.Y_[:, [fd.index(c) for c in own]].sum() / income)
        ref_zh = ref_en = "+".join(map(str, own))
    else:
        try:
            sp = household_split(table, data_dir)
            ref = float(sp.domestic.sum() / income)
            ref_zh, ref_en = f"按{sp.source}拆分居民消费", f"the household split ({sp.source})"
        except HouseholdSplitUnavailable as exc:
            why_zh = f"{exc.dataset}不在缓存中（lianpu download {exc.dataset}）"
            why_en = f"{exc.dataset} is not in the cache (lianpu download {exc.dataset})"
        except LianpuError as exc:
            why_zh = why_en = str(exc)
    text_zh = (f"居民 = {label}（{zh_names}，指定收口；含政府消费等非居民消费）；"
               f"{_spend(table, share, 'zh')}")
    text_en = (f"households = {label} ({en_names}, closed as chosen; includes consumption other "
               f"than households'); {_spend(table, share, 'en')}")
    if ref is not None:
        warn_zh = (f"以{label}收口：{_spend(table, share, 'zh')}；{ref_zh}则为{_pct(ref, 'zh')}，"
                   f"诱发效应因此偏高")
        warn_en = (f"closing {label}: {_spend(table, share, 'en')}; {ref_en} gives "
                   f"{_pct(ref)}, so induced effects are overstated")
    else:
        warn_zh = (f"以{label}收口：{_spend(table, share, 'zh')}（含政府消费，诱发效应偏高；"
                   f"无法与居民消费拆分比较：{why_zh}）")
        warn_en = (f"closing {label}: {_spend(table, share, 'en')} (government consumption "
                   f"included, so induced effects are overstated; no household split to "
                   f"compare: {why_en})")
    return Closure("columns", tuple(cols), hr, hc, share, text_zh, text_en, warn_zh, warn_en,
                   reference_share=ref)
