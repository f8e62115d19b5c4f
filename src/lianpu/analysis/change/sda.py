"""Structural decomposition analysis 结构分解分析 (SDA) of a change between two tables.

A quantity produced domestically, Q = e' L y = e' (I − A_d)⁻¹ (s · λ), is split into four
factors: e intensity 强度 (quantity per unit of output: 1 for output, VA/x for value added,
F/x for a satellite such as CO2), L the domestic Leontief inverse 技术（列昂惕夫逆）, s the
final-demand structure 最终需求结构 (product shares of domestic final use incl. exports and
the statistical discrepancy) and λ the final-demand level 最终需求规模 (its total).

Additive SDA: changing the factors one at a time from table a to table b, in a given order,
gives effects that sum exactly to ΔQ = Q_b − Q_a (a telescoping sum); the result depends on
the order, so — following Dietzenbacher & Los (1998) — the effects are averaged over all 4! =
24 orderings, and the spread over orderings (min, max, std) is reported. The average flips
sign exactly when a and b are swapped.

Tables of different classifications are first aggregated to a common one (NBS: the common
39 sectors of :mod:`lianpu.satellites.co2.concordance`; OECD tables share 45 sectors already).
Prices 价格口径: the tables are in current prices of each year, so a money quantity's change
(output, value added) mixes price and volume change, and so do the intensity of a satellite
(CO2 per unit of output at current prices) and the final-demand level: with inflation, part
of what looks like falling CO2 intensity is rising prices, and the level effect is overstated
by as much. ``deflator=`` (user price indices: one per year, or by sector and year; see
:func:`read_deflator`, or ``"cn-gdp"`` for the shipped World Bank GDP deflator of China)
puts both tables in constant prices of a base year (default: table a's): every row i of Z
and y and output x_i are divided by the product's index p_i (so A_ij becomes A_ij p_j / p_i;
value added is deflated by the sector's own index, single deflation). The result then holds
the SDA both ways (``deflated``). For CO2, Q = e'L y = Σ F is a physical quantity, so ΔQ is the
same both ways; deflation only moves effects between intensity, technology, structure and
level. Households' direct emissions are not part of Q; their change is in the notes.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from ...core import leontief as leo
from ...core.errors import ArgumentError, TableError, message
from ...core.notes import Note, zh
from .._result import Result, as_frame

FACTORS = ("intensity", "technology", "structure", "level")
CURRENT = Note("current prices of each year (not deflated)", "各年现价（未平减）")
FACTOR_NAMES = {
    "intensity": ("强度效应", "intensity effect"),
    "technology": ("技术效应（列昂惕夫逆）", "technology effect (Leontief inverse)"),
    "structure": ("最终需求结构效应", "final-demand structure effect"),
    "level": ("最终需求规模效应", "final-demand level effect"),
}


@dataclass(frozen=True)
class Parts:
    """One table reduced to what the decomposition needs (after aggregation)."""

    name: str
    year: int | None
    e: np.ndarray      # intensity (n,)
    factor: object     # LU of I − A_d
    y: np.ndarray      # domestic final use (n,)
    labels: pd.DataFrame
    unit: str
    direct_fd: float   # direct final-demand emissions (not decomposed)
    Z: np.ndarray | None = None        # domestic intermediate flows (after aggregation)
    x: np.ndarray | None = None        # output
    amount: np.ndarray | None = None   # the quantity by sector
    quantity: str = ""


@dataclass(frozen=True)
class SDA(Result):
    """Result of :func:`sda` (all values in ``unit``, on ``basis``).

    ``deflated`` (when a deflator was given) is the same decomposition in constant prices
    (``basis`` says of which year); the outer result is always in current prices.
    ``classification`` and ``basis`` are :class:`~lianpu.core.notes.Note` s (their Chinese in
    ``.zh``; the JSON has ``classification_zh`` and ``basis_zh``)."""

    table_a: str
    table_b: str
    quantity: str
    unit: str
    q_a: float
    q_b: float
    effects: pd.DataFrame      # factor × (mean, min, max, std, share)
    orderings: pd.DataFrame    # 24 orderings × 4 factors (+ total)
    by_sector: pd.DataFrame    # sector × factor (mean effects) + change
    classification: str
    notes: tuple = field(default=())
    basis: str = CURRENT
    deflated: "SDA | None" = None

    @property
    def change(self) -> float:
        return self.q_b - self.q_a

    def to_frame(self) -> pd.DataFrame:
        return self.effects.copy()

    def to_dict(self) -> dict:
        d = {"table_a": self.table_a, "table_b": self.table_b, "quantity": self.quantity,
             "unit": self.unit, "basis": self.basis, "basis_zh": zh(self.basis),
             "q_a": self.q_a, "q_b": self.q_b, "change": self.change,
             "classification": self.classification,
             "classification_zh": zh(self.classification),
             "effects": self.effects.reset_index().to_dict(orient="records"),
             "notes": list(self.notes)}
        if self.deflated is not None:
            d["deflated"] = self.deflated.to_dict()
        return d


# ------------------------------------------------------------------------------ deflators
SHIPPED = {"cn-gdp": "cn_gdp_deflator.csv"}


@dataclass(frozen=True)
class Deflator:
    """Price indices: one per year (``by_year``: year → index) or by sector and year
    (``by_sector``: sector code × year). Only ratios between years are used."""

    by_year: dict | None
    by_sector: pd.DataFrame | None
    source: str
    currency: str = ""

    def relative(self, year: int, base: int, codes) -> np.ndarray:
        """p_i = index(year) / index(base) for each sector code (n,)."""
        codes = [str(c) for c in codes]
        if year is None or base is None:
            raise TableError(message(self.source, "a table has no year, so no price index "
                                     "applies", argument="deflator",
                                     expected="tables with a year"))
        if self.by_year is not None:
            for y in (year, base):
                if y not in self.by_year:
                    raise TableError(message(self.source, f"no price index for {y}",
                                             argument="deflator",
                                             found=f"years {min(self.by_year)}–"
                                                   f"{max(self.by_year)}",
                                             expected=f"an index for {year} and {base}"))
            return np.full(len(codes), self.by_year[year] / self.by_year[base])
        f = self.by_sector
        for y in (year, base):
            if y not in f.columns:
                raise TableError(message(self.source, f"no price index for {y}",
                                         argument="deflator",
                                         found=f"years {list(f.columns)}",
                                         expected=f"a column for {year} and {base}"))
        missing = [c for c in codes if c not in f.index]
        if missing:
            raise TableError(message(self.source, "no price index for some sectors of the "
                                     "decomposition's classification", argument="deflator",
                                     found=f"missing {missing[:8]}"
                                           + (" …" if len(missing) > 8 else ""),
                                     expected=f"codes {codes[:8]}"
                                              + (" …" if len(codes) > 8 else "")
                                              + f" ({len(codes)} sectors)"))
        return (f.loc[codes, year] / f.loc[codes, base]).to_numpy(float)


def _checked(values, where: str) -> None:
    v = np.asarray(values, float)
    if not np.isfinite(v).all() or (v <= 0).any():
        raise TableError(message(where, "price indices must be positive numbers",
                                 argument="deflator", found=f"{v[~(np.isfinite(v) & (v > 0))][:3]}",
                                 expected="index > 0 for every year (and sector)"))


def read_deflator(source) -> Deflator | None:
    """A :class:`Deflator` from ``source``:

    - ``"cn-gdp"``: the shipped GDP deflator of China (World Bank WDI NY.GDP.DEFL.ZS, see the
      header of ``lianpu/data/cn_gdp_deflator.csv``; CNY, one index per year);
    - a CSV file (``#`` lines are comments): columns ``year,index`` (one index per year),
      ``sector,year,index`` (long, by sector) or ``sector,<year>,<year>…`` (wide);
    - a ``pd.Series`` or dict (year → index), or a ``pd.DataFrame`` (sector × year).
    """
    if source is None or isinstance(source, Deflator):
        return source
    if isinstance(source, dict):
        source = pd.Series(source)
    if isinstance(source, pd.Series):
        by_year = {int(k): float(v) for k, v in source.items()}
        _checked(list(by_year.values()), "deflator series")
        return Deflator(by_year, None, "deflator series")
    if isinstance(source, pd.DataFrame):
        f = source.copy()
        f.index = f.index.map(str)
        f.columns = [int(c) for c in f.columns]
        _checked(f.to_numpy(), "deflator frame")
        return Deflator(None, f, "deflator frame")
    name, currency = str(source), ""
    if name in SHIPPED:
        from importlib import resources
        path = resources.files("lianpu.data") / SHIPPED[name]
        currency = "CNY"
    else:
        path = Path(source)
        if not path.is_file():
            raise TableError(message(name, "no such deflator file", argument="deflator",
                                     expected="a CSV file (year,index | sector,year,index | "
                                              f"sector,<years>…) or one of {list(SHIPPED)}"))
    with path.open(encoding="utf-8") as fh:
        df = pd.read_csv(fh, comment="#", dtype=str, keep_default_na=False)
    df.columns = [c.strip().lower() for c in df.columns]
    label = f"{name} ({path.name})" if name in SHIPPED else name
    try:
        if set(df.columns) == {"year", "index"}:
            by_year = {int(y): float(v) for y, v in zip(df["year"], df["index"])}
            _checked(list(by_year.values()), label)
            return Deflator(by_year, None, label, currency)
        if set(df.columns) == {"sector", "year", "index"}:
            f = df.assign(year=df["year"].astype(int), index=df["index"].astype(float)) \
                .pivot(index="sector", columns="year", values="index")
        elif df.columns[0] == "sector" and len(df.columns) > 1:
            f = df.set_index("sector").astype(float)
            f.columns = [int(c) for c in f.columns]
        else:
            raise TableError(message(label, "unknown deflator layout", argument="deflator",
                                     found=f"columns {list(df.columns)}",
                                     expected="year,index | sector,year,index | "
                                              "sector,<year>,<year>…"))
    except ValueError as exc:
        raise TableError(message(label, "a year or an index is not a number",
                                 argument="deflator", found=str(exc),
                                 expected="integer years and numeric indices")) from None
    f.index = f.index.map(lambda c: str(c).strip())
    _checked(f.to_numpy(), label)
    return Deflator(None, f, label, currency)


def _deflate(p: Parts, rel: np.ndarray) -> Parts:
    """``p`` in constant prices: rows of Z, y and x divided by the product's index ``rel``;
    value added by the sector's own index; a physical satellite unchanged."""
    Z = p.Z / rel[:, None]
    x = p.x / rel
    y = p.y / rel
    if p.quantity == "output":
        amount = x.copy()
    elif p.quantity == "value_added":
        amount = p.amount / rel
    else:
        amount = p.amount
    e = np.divide(amount, x, out=np.zeros_like(amount), where=x > 0)
    if np.allclose(rel, rel[0]):
        fac = p.factor  # a single index: A = Z x̂⁻¹ is unchanged, so is its LU
    else:
        A = np.divide(Z, x[None, :], out=np.zeros_like(Z), where=x[None, :] > 0)
        fac = leo.leontief_factor(A, labels=list(p.labels["name_en"]), table=p.name)
    return replace(p, e=e, factor=fac, y=y, Z=Z, x=x, amount=amount)


def _quantity(table, quantity: str) -> tuple[np.ndarray, str, float]:
    """(amount by sector (n,), unit, direct final-demand amount) of ``quantity``."""
    if quantity == "output":
        return table.x_.copy(), table.unit, 0.0
    if quantity == "value_added":
        return table.value_added_.copy(), table.unit, 0.0
    if quantity in table.satellites:
        s = table.satellites[quantity]
        fd = 0.0 if s.final_demand is None else float(s.final_demand.sum())
        return s.values.copy(), s.unit, fd
    raise TableError(message(table.name, f"unknown quantity {quantity!r}", argument="quantity",
                             expected="'output', 'value_added' or one of "
                                      f"{list(table.satellites)}"))


def _parts(table, quantity: str, groups=None, glabels=None) -> Parts:
    from ..carbon.footprint import domestic_view
    amount, unit, direct_fd = _quantity(table, quantity)
    td = domestic_view(table)
    Z, x = td.Z_, td.x_
    y = td.Y_.sum(axis=1) + (td.discrepancy_ if td.discrepancy_ is not None else 0.0)
    labels = td.sectors[["name_zh", "name_en"]]
    if groups is not None:
        m = len(glabels)
        G = np.zeros((td.n, m))
        G[np.arange(td.n), groups] = 1.0
        Z, x, y, amount, labels = G.T @ Z @ G, G.T @ x, G.T @ y, G.T @ amount, glabels
    if ((x <= 0) & (amount != 0)).any():
        raise TableError(message(table.name, f"{quantity} in a sector without output",
                                 argument="quantity", expected="no amount where output is 0"))
    e = np.divide(amount, x, out=np.zeros_like(amount), where=x > 0)
    A = np.divide(Z, x[None, :], out=np.zeros_like(Z), where=x[None, :] > 0)
    fac = td.factor if groups is None else \
        leo.leontief_factor(A, labels=list(labels["name_en"]), table=table.name)
    return Parts(table.name, table.year, e, fac, y, labels, unit, direct_fd, Z, x, amount,
                 quantity)


def _align(a, b, quantity):
    """Parts of both tables in one classification, and its name (a :class:`Note`: English,
    with its Chinese in ``.zh``)."""
    from ...satellites.co2 import concordance as cc
    nbs_a = nbs_b = True
    try:
        cc.table_key(a)
    except TableError:
        nbs_a = False
    try:
        cc.table_key(b)
    except TableError:
        nbs_b = False
    if nbs_a and nbs_b:
        if cc.same_classification(a, b):
            key = cc.table_key(a)
            return _parts(a, quantity), _parts(b, quantity), Note(f"{key} sectors",
                                                                  f"{key} 的部门")
        (ga, la), (gb, lb) = cc.common_groups_pair(a, b)
        prov = getattr(a, "province", None) or getattr(b, "province", None)
        return (_parts(a, quantity, ga, la), _parts(b, quantity, gb, lb),
                Note(f"common {len(la)}-sector NBS classification (nbs42_concordance.csv"
                     + (", chnio42_concordance.csv" if prov else "") + ")",
                     f"两张表共同的 {len(la)} 部门国家统计局（NBS）分类（nbs42_concordance.csv"
                     + ("、chnio42_concordance.csv" if prov else "") + "）"))
    if nbs_a != nbs_b or list(map(str, a.index)) != list(map(str, b.index)):
        raise TableError(message(f"{a.name} vs {b.name}", "the two tables have different "
                                 "sectors and no concordance between them",
                                 found=f"{a.n} vs {b.n} sectors",
                                 expected="two NBS tables, or two tables with the same "
                                          "sector codes"))
    return _parts(a, quantity), _parts(b, quantity), Note(f"the tables' own {a.n} sectors",
                                                          f"两张表自身的 {a.n} 个部门")


def decompose(pa: Parts, pb: Parts) -> tuple[np.ndarray, np.ndarray]:
    """Effects of every ordering: (orderings (24, 4) totals, by sector (24, 4, n)).

    Q at each of the 2⁴ mixes of a/b factors is computed once (one solve per mix), then each
    ordering's effects are differences along its path from all-a to all-b.
    """
    la, lb = pa.y.sum(), pb.y.sum()
    sa = pa.y / la if la else pa.y
    sb = pb.y / lb if lb else pb.y
    q = {}
    for mix in itertools.product((0, 1), repeat=4):
        e = pb.e if mix[0] else pa.e
        fac = pb.factor if mix[1] else pa.factor
        s = sb if mix[2] else sa
        lam = lb if mix[3] else la
        q[mix] = e * leo.leontief_solve(fac, s * lam)
    perms = list(itertools.permutations(range(4)))
    tot = np.zeros((len(perms), 4))
    sec = np.zeros((len(perms), 4, len(pa.e)))
    for r, order in enumerate(perms):
        state = [0, 0, 0, 0]
        prev = q[tuple(state)]
        for f in order:
            state[f] = 1
            cur = q[tuple(state)]
            sec[r, f] = cur - prev
            prev = cur
        tot[r] = sec[r].sum(axis=1)
    return tot, sec


def _result(pa: Parts, pb: Parts, quantity, cls, notes, basis) -> SDA:
    tot, sec = decompose(pa, pb)
    qa = float((pa.e * leo.leontief_solve(pa.factor, pa.y)).sum())
    qb = float((pb.e * leo.leontief_solve(pb.factor, pb.y)).sum())
    mean = tot.mean(axis=0)
    change = qb - qa
    effects = pd.DataFrame({
        "name_zh": [FACTOR_NAMES[f][0] for f in FACTORS],
        "name_en": [FACTOR_NAMES[f][1] for f in FACTORS],
        "mean": mean, "min": tot.min(axis=0), "max": tot.max(axis=0), "std": tot.std(axis=0),
        "share": mean / change if change else np.nan}, index=pd.Index(FACTORS, name="factor"))
    perms = ["→".join(FACTORS[i] for i in p) for p in itertools.permutations(range(4))]
    orderings = pd.DataFrame(tot, index=pd.Index(perms, name="ordering"), columns=FACTORS)
    orderings["total"] = tot.sum(axis=1)
    by_sector = pd.DataFrame(sec.mean(axis=0).T, index=pa.labels.index, columns=FACTORS)
    by_sector.insert(0, "name_zh", pa.labels["name_zh"].to_numpy())
    by_sector.insert(1, "name_en", pa.labels["name_en"].to_numpy())
    by_sector["change"] = by_sector[list(FACTORS)].sum(axis=1)
    return SDA(pa.name, pb.name, quantity, pa.unit, qa, qb, effects, orderings, by_sector, cls,
               tuple(notes), basis)


def sda(table_a, table_b, quantity: str = "output", *, data_dir=None, deflator=None,
        base_year: int | None = None) -> SDA:
    """Additive SDA of ``quantity`` from ``table_a`` to ``table_b`` (Dietzenbacher & Los 1998).

    Parameters
    ----------
    table_a, table_b : IOTable
        Two NBS tables (any years; aggregated to a common classification when needed) or two
        tables with identical sectors (e.g. two years of the OECD series).
    quantity : "output" | "value_added" | a satellite name
        ``"co2"`` is added from the CEADs inventory when an NBS table lacks it.
    deflator : optional
        Price indices (:func:`read_deflator`: a CSV path, ``"cn-gdp"``, a Series year →
        index or a DataFrame sector × year, sectors in the decomposition's classification,
        i.e. the codes of ``by_sector``). The result is then reported both ways: the outer
        SDA in current prices, ``.deflated`` in constant prices of ``base_year`` (default:
        table a's year).

    Returns
    -------
    SDA with ``effects`` (mean over the 24 orderings, min, max, std, share of the change),
    ``orderings`` (each ordering's effects; each row sums exactly to the change),
    ``by_sector`` (mean effects by sector), ``basis`` and ``deflated``.
    """
    notes = []
    if quantity == "co2":
        from ...satellites.co2.satellite import co2_satellite
        if "co2" not in table_a.satellites:
            table_a = co2_satellite(table_a, data_dir=data_dir)
        if "co2" not in table_b.satellites:
            table_b = co2_satellite(table_b, data_dir=data_dir)
        notes += [n for n in table_a.notes + table_b.notes if n.startswith("co2:")]
    pa, pb, cls = _align(table_a, table_b, quantity)
    if pa.unit != pb.unit:
        raise TableError(message(f"{table_a.name} vs {table_b.name}", "units differ",
                                 found=f"{pa.unit!r} vs {pb.unit!r}", expected="the same unit"))
    money = quantity in ("output", "value_added")
    price = Note("current prices, not deflated: the change in " +
                 ("this money quantity mixes price and volume change" if money else
                  f"{quantity} is physical, but its intensity ({pa.unit} per unit of output) and "
                  "the final-demand level are at current prices, so inflation moves effect from "
                  "intensity to level")
                 + " (pass deflator= / --deflator FILE for constant prices)",
                 "按现价计算，未平减：" +
                 ("该货币量的变化同时包含价格变化和物量变化" if money else
                  f"{quantity} 为实物量，但其强度（每单位产出 {pa.unit}）和最终需求水平按现价计，"
                  "因此通货膨胀会把效应从强度转移到水平")
                 + "（用 deflator= / --deflator FILE 得到不变价结果）")
    common = [Note("domestic production only (non-competitive views; competitive tables split by "
                   "import proportionality); final use includes exports and the discrepancy",
                   "只含国内生产（非竞争型视角；竞争型表按进口比例法拆分）；最终使用包括出口和误差项")]
    from ..basis import resolve_basis
    ba, bb = resolve_basis(table_a)[1], resolve_basis(table_b)[1]
    if ba.name == "local" or bb.name == "local":
        common[0] = Note("local production only (provincial local views: imports from abroad "
                         "and inflows from other provinces removed in proportion); final use "
                         "includes exports, outflows and the discrepancy",
                         "只含本地生产（省级本地视角：按比例扣除境外进口和省外流入）；最终使用包括"
                         "出口、调出和误差项")
    if ba.method != bb.method:
        common.append(Note(f"the two tables are on different bases ({table_a.year}: "
                           f"{ba.note_en}; {table_b.year}: {bb.note_en}): part of the "
                           "technology effect is the change of basis",
                           f"两张表的计算口径不同（{table_a.year} 年：{ba.note_zh}；{table_b.year} 年："
                           f"{bb.note_zh}）：技术效应中有一部分来自口径的变化"))
    if pa.direct_fd or pb.direct_fd:
        common.append(Note(f"direct final-demand (household) {quantity} not decomposed: "
                           f"{pa.direct_fd:.4g} → {pb.direct_fd:.4g} {pa.unit}",
                           f"最终需求（居民）的直接 {quantity} 未分解：{pa.direct_fd:.4g} → "
                           f"{pb.direct_fd:.4g} {pa.unit}"))
    res = _result(pa, pb, quantity, cls, notes + [price] + common, CURRENT)
    d = read_deflator(deflator)
    if d is None:
        return res
    base = table_a.year if base_year is None else int(base_year)
    codes = list(pa.labels.index)
    ra = d.relative(table_a.year, base, codes)
    rb = d.relative(table_b.year, base, codes)
    basis_zh = f"{base} 年不变价（价格指数：{d.source}）"
    basis = Note(f"constant prices of {base} (deflator: {d.source})", basis_zh)
    spans = (f"p_{table_a.year}/p_{base} = {_span(ra)}, p_{table_b.year}/p_{base} = "
             f"{_span(rb)}")
    dnotes = [Note(f"{basis}: rows of Z, y and output divided by each product's price index "
                   f"({spans}); value added by the sector's own index (single deflation)",
                   f"{basis_zh}：Z、y 和总产出的各行除以各产品的价格指数（{spans}）；增加值按本部门"
                   "自身的指数平减（单缩法）")]
    if d.currency == "CNY" and "USD" in table_a.unit + table_b.unit:
        dnotes.append(Note("caution: a CNY price index applied to tables in USD (exchange-rate "
                           "changes are not removed)",
                           "注意：对以 USD 计价的表使用了 CNY 价格指数（未剔除汇率变化）"))
    if d.by_year is not None:
        dnotes.append(Note("one index per year: A and the final-demand shares are unchanged, so "
                           "effect moves mainly between intensity and level (technology and "
                           "structure change only through their interaction with those two in "
                           "the averaged orderings)",
                           "每年只有一个指数：A 和最终需求结构不变，因此效应主要在强度与水平之间转移"
                           "（技术和结构变化只通过在各分解顺序平均中与二者的交互作用体现）"))
    da = _deflate(pa, ra)
    db = _deflate(pb, rb)
    deflated = _result(da, db, quantity, cls, notes + dnotes + common, basis)
    return replace(res, deflated=deflated,
                   notes=res.notes + (Note(f"also reported in {basis}: see .deflated",
                                           f"另有 {basis_zh}的结果：见 .deflated"),))


def _span(r) -> str:
    lo, hi = float(np.min(r)), float(np.max(r))
    return f"{lo:.4g}" if np.isclose(lo, hi) else f"{lo:.4g}–{hi:.4g}"


def sda_chain(tables, quantity: str = "output", **kw):
    """Year-on-year SDAs along a series of tables, one row per period (mean effects), plus a
    'total' row: the chained sum (its effects add up to the change over the whole series).

    With ``deflator=`` every period is deflated to prices of the first table's year (so the
    chained sum is in one price basis) and the frame gets ``<factor>_deflated`` columns and
    ``change_deflated``. ``frame.attrs['basis']`` says which basis each column is in (and
    ``attrs['unit']`` the quantity's unit); the frame is a
    :class:`~lianpu.analysis._result.ResultFrame`, whose ``to_json`` carries both."""
    tables = list(tables)
    if len(tables) < 2:
        raise ArgumentError(message(None, "fewer than 2 tables", argument="tables",
                                    found=f"{len(tables)} table(s)",
                                    expected="a series of at least 2 tables"))
    if kw.get("deflator") is not None:
        kw = {**kw, "deflator": read_deflator(kw["deflator"])}
        kw.setdefault("base_year", tables[0].year)
    rows = []
    basis = {"current": CURRENT}
    unit = None
    for a, b in zip(tables, tables[1:]):
        r = sda(a, b, quantity, **kw)
        unit = r.unit
        row = {"period": f"{a.year}–{b.year}", "q_a": r.q_a, "q_b": r.q_b,
               "change": r.change, **dict(zip(FACTORS, r.effects["mean"]))}
        if r.deflated is not None:
            row.update({f"{f}_deflated": v for f, v in zip(FACTORS, r.deflated.effects["mean"])})
            row["change_deflated"] = r.deflated.change
            basis["deflated"] = r.deflated.basis
        rows.append(row)
    df = pd.DataFrame(rows).set_index("period")
    cols = [c for c in df.columns if c not in ("q_a", "q_b")]
    total = df[cols].sum()
    df.loc["total"] = {"q_a": df["q_a"].iloc[0], "q_b": df["q_b"].iloc[-1], **total.to_dict()}
    df.attrs["basis"] = basis
    df.attrs["unit"] = unit
    return as_frame(df)
