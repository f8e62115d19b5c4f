"""Value chains 全球价值链: gross-export decompositions, GVC participation and position, on any
multi-regional table (WIOD, CEADs MRIO, a user MRIO). Equations, sources and worked examples
are in docs/valuechains.md; the array maths is :mod:`lianpu.core.gvc`.

- :func:`decompose` — gross exports 总出口分解, ``method``:
  ``"kww"`` Koopman, Wang & Wei (2014), *AER* 104(2), the nine terms (country level);
  ``"wwz"`` Wang, Wei & Zhu (2013), NBER w19677, the sixteen terms at country, sector,
  bilateral and bilateral-sector level;
  ``"bm"`` Borin & Mancini (2019, World Bank WP 8804; 2023, *Economic Systems Research* 35(4)),
  exporting-country perspective, source- and sink-based.
  Every set of terms sums exactly to gross exports (column ``gross_exports``; ``residual``
  shows it).
- :func:`participation` — Wang, Wei, Yu & Zhu (2017a), NBER w23222: production-based forward
  and backward GVC participation, simple and complex, by country and sector.
- :func:`position` — Koopman, Powers, Wang & Wei (2010), NBER w16426, GVC position index
  ln(1 + IV/E) − ln(1 + FV/E); and Wang, Wei, Yu & Zhu (2017b), NBER w23261, GVC production
  length forward/backward and position PLv_GVC / PLy_GVC.

Conventions (stated in every result's ``notes``): value added is every primary input,
v' = 1'(I − A) — exactly the value-added row of WIOD, where it is the balancing item; for
other tables it also holds imports from outside the table and taxes, which the decomposition
needs to sum to gross exports. The table's statistical discrepancy (ERR, WIOD's rounding
residual) is treated as final use of the producing region itself, so x = B·Y·1 holds.
Nothing forms (I − A)⁻¹: solves with the table's cached LU and LU of each country block.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ...core import gvc as core
from ...core.errors import ArgumentError, TableError, message
from ...core.notes import Note
from ..basis import resolve_basis
from .._common import cached
from .._result import Result, jsonable
from ..regions.spillover import NOT_PURCHASES, block_factor, positions, require_mrio

METHODS = ("kww", "wwz", "bm")
LEVELS = ("country", "sector", "bilateral", "bilateral_sector")

KWW_NAMES = {
    "K1": ("最终品出口中的国内增加值", "DVA in final goods exports"),
    "K2": ("被直接进口国吸收的中间品出口国内增加值", "DVA in intermediates absorbed by direct importers"),
    "K3": ("经直接进口国转出口至第三国的国内增加值", "DVA in intermediates re-exported to third countries"),
    "K4": ("以最终品进口返回本国的国内增加值", "DVA returning home in final imports"),
    "K5": ("以中间品进口返回本国的国内增加值", "DVA returning home in intermediate imports"),
    "K6": ("本国重复计算部分", "domestic double counted"),
    "K7": ("最终品出口中的国外增加值", "FVA in final goods exports"),
    "K8": ("中间品出口中的国外增加值", "FVA in intermediate exports"),
    "K9": ("国外重复计算部分", "foreign double counted"),
}
WWZ_NAMES = {
    "T1": ("最终品出口的国内增加值", "DVA in final goods exports"),
    "T2": ("被直接进口国吸收的中间品出口", "DVA in intermediates absorbed by the direct importer"),
    "T3": ("直接进口国生产中间品出口至第三国并被吸收", "DVA in intermediates re-exported to third countries (absorbed there)"),
    "T4": ("直接进口国生产最终品出口至第三国", "DVA in intermediates re-exported as final goods to third countries"),
    "T5": ("直接进口国生产中间品出口至第三国再加工出口", "DVA in intermediates re-exported as intermediates to third countries"),
    "T6": ("直接进口国生产最终品返回本国", "RDV: returns home in final goods of the direct importer"),
    "T7": ("第三国生产最终品返回本国", "RDV: returns home in final goods of third countries"),
    "T8": ("以中间品返回本国并被本国吸收", "RDV: returns home in intermediates, absorbed at home"),
    "T9": ("返回本国用于最终品出口的重复计算", "DDC: returns home, used in final exports"),
    "T10": ("返回本国用于中间品出口的重复计算", "DDC: returns home, used in intermediate exports"),
    "T11": ("最终品出口中直接进口国的增加值", "FVA in final exports: direct importer's VA"),
    "T12": ("中间品出口中直接进口国的增加值", "FVA in intermediate exports: direct importer's VA"),
    "T13": ("直接进口国增加值的重复计算", "FDC: direct importer's VA"),
    "T14": ("最终品出口中第三国的增加值", "FVA in final exports: third countries' VA"),
    "T15": ("中间品出口中第三国的增加值", "FVA in intermediate exports: third countries' VA"),
    "T16": ("第三国增加值的重复计算", "FDC: third countries' VA"),
}
BM_NAMES = {"DVA": ("国内增加值", "domestic value added"), "DDC": ("本国重复计算", "domestic double counting"),
            "FVA": ("国外增加值", "foreign value added"), "FDC": ("国外重复计算", "foreign double counting")}

SOURCES = {
    "kww": "Koopman, Wang & Wei (2014), Tracing value-added and double counting in gross exports, "
           "American Economic Review 104(2): 459–494, eq. (36)",
    "wwz": "Wang, Wei & Zhu (2013, rev. 2018), Quantifying international production sharing at the "
           "bilateral and sector levels, NBER Working Paper 19677, eq. (37)",
    "bm": "Borin & Mancini (2019), Measuring what matters in global value chains and value-added "
          "trade, World Bank Policy Research WP 8804; (2023) Economic Systems Research 35(4) — "
          "exporting-country perspective",
}


# --------------------------------------------------------------------------- system
@dataclass(frozen=True)
class Prepared:
    system: core.System
    table: object
    basis: object
    producers: list
    destinations: list
    sectors: list
    notes: tuple


def prepare(table, basis: str = "auto") -> Prepared:
    """The array system of ``table`` in the chosen accounting basis (cached per table view)."""
    require_mrio(table)
    tb, bs = resolve_basis(table, basis)
    return cached(tb, ("gvc_system", bs.name, bs.method), lambda: _prepare(tb, bs))


def _prepare(t, bs) -> Prepared:
    pos = positions(t)
    regs = t.regions
    sizes = {len(p) for p in pos.values()}
    if len(sizes) != 1:
        raise TableError(message(t.name, "countries have different numbers of sectors",
                                 found=f"block sizes {sorted(sizes)}",
                                 expected="one sector list for every region"))
    N = sizes.pop()
    order = np.concatenate([pos[r] for r in regs])
    if not (order == np.arange(t.n)).all():
        raise TableError(message(t.name, "regions are not contiguous blocks of rows",
                                 expected="rows ordered region by region"))
    secs = list(t.index.get_level_values(1)[:N])
    for r, p in pos.items():
        if list(t.index.get_level_values(1)[p]) != secs:
            raise TableError(message(t.name, f"region {r!r} lists its sectors differently",
                                     expected=f"the same sectors as {regs[0]!r} in the same order"))
    fd = t.final_demand_labels.index
    if not isinstance(fd, pd.MultiIndex):
        raise TableError(message(t.name, "final-demand columns are not labelled by region",
                                 expected="(region, category) columns"))
    lev = np.asarray(fd.get_level_values(0))
    role = np.asarray(t.fd_roles)
    dests = list(regs) + [d for d in dict.fromkeys(lev) if d not in regs]
    Y = np.zeros((t.n, len(dests)))
    buy = ~np.isin(role, list(NOT_PURCHASES))
    for k, d in enumerate(dests):
        Y[:, k] = t.Y_[:, (lev == d) & buy].sum(axis=1)
    # what is not a purchase (ERR, a remaining imports column) stays with the producer's region
    rest = t.Y_[:, ~buy].sum(axis=1) + (t.discrepancy_ if t.discrepancy_ is not None else 0.0)
    notes = []
    if np.abs(rest).sum() > 0:
        for k, r in enumerate(regs):
            Y[pos[r], k] += rest[pos[r]]
        has_imp = (role == "import").any()
        pct = f"{np.abs(rest).sum() / max(t.x_.sum(), 1e-300):.3%}"
        notes.append(Note("the table's discrepancy (ERR / rounding residual"
                          + (", and its imports column" if has_imp else "")
                          + f": {pct} of world output) is "
                            "treated as final use of the producing region, so that x = B·Y·1",
                          "表中的误差项（ERR / 舍入残差" + ("，以及其进口列" if has_imp else "")
                          + f"：占世界总产出的 {pct}）视为生产地区的最终使用，使 x = B·Y·1"))
    local = tuple(block_factor(t, r) for r in regs)
    S = core.prepare(t.A_, Y, t.factor, len(regs), local)
    va = t.value_added_
    vshare = np.divide(va, t.x_, out=np.zeros(t.n), where=t.x_ > 0)
    gap = float(np.abs((S.v - vshare) * t.x_).sum() / max(abs(va.sum()), 1e-300))
    if gap > 1e-6:
        notes.append(Note(f"value added is taken as every primary input, v' = 1'(I − A): it "
                          f"exceeds the value-added rows by {gap:.2%} of their total (imports "
                          "from outside the table, product taxes …), so that the terms sum to "
                          "gross exports",
                          f"增加值取全部最初投入，v' = 1'(I − A)：比增加值各行合计高出 {gap:.2%}"
                          "（表外进口、产品税等），使各项之和等于总出口"))
    else:
        notes.append(Note("value added is the balancing item of the table (v' = 1'(I − A)), so "
                          "the terms sum exactly to gross exports",
                          "增加值为表的平衡项（v' = 1'(I − A)），因此各项之和恰好等于总出口"))
    xr = float(np.abs(S.x - t.x_).max() / max(t.x_.max(), 1e-300))
    if xr > 1e-8:
        notes.append(Note(f"B·Y·1 differs from the table's gross output by up to {xr:.2e} of "
                          "the largest output (rows do not balance exactly)",
                          f"B·Y·1 与表中总产出的差异最大为最大产出的 {xr:.2e}（各行并不完全平衡）"))
    return Prepared(S, t, bs, list(regs), dests, secs, tuple(notes))


def _pieces(P: Prepared, what: str):
    """Shared intermediate arrays (cached with the system)."""
    S = P.system
    return cached(P.table, ("gvc_piece", P.basis.method, what), {
        "E": lambda: core.exports(S),
        "VB": lambda: core.va_blocks(S),
        "VL": lambda: core.local_va(S),
    }[what])


# --------------------------------------------------------------------------- results
def _strict_records(df: pd.DataFrame) -> list[dict]:
    out = df.reset_index()
    return [{str(k): jsonable(v) for k, v in rec.items()} for rec in out.to_dict("records")]


@dataclass(frozen=True, eq=False)
class GVCResult(Result):
    """A frame of GVC numbers with what they are: ``kind`` (the method or measure), ``level``,
    ``unit``, ``table``, ``basis`` (a :class:`~lianpu.analysis.basis.Basis`), ``terms``
    (column → (中文, English)), ``groups`` (group → its terms), ``source`` (the paper) and
    ``notes``. ``frame`` is read-only by convention; ``extra`` holds further frames."""

    kind: str
    level: str
    unit: str
    table: str
    basis: object
    frame: pd.DataFrame
    terms: dict
    groups: dict
    source: str
    notes: tuple = ()
    extra: dict = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    def to_dict(self) -> dict:
        d = {"kind": self.kind, "level": self.level, "unit": self.unit, "table": self.table,
             "basis": self.basis.to_dict(), "source": self.source,
             "terms": {k: {"zh": v[0], "en": v[1]} for k, v in self.terms.items()},
             "groups": {k: list(v) for k, v in self.groups.items()},
             "notes": list(self.notes), "rows": _strict_records(self.frame)}
        for k, v in self.extra.items():
            d[k] = _strict_records(v) if isinstance(v, pd.DataFrame) else jsonable(v)
        return d


def _check(method, level, country, P):
    if method not in METHODS:
        raise ArgumentError(message(None, "unknown decomposition method", argument="method",
                                    found=repr(method), expected=f"one of {list(METHODS)}"))
    if level not in LEVELS:
        raise ArgumentError(message(None, "unknown level", argument="level", found=repr(level),
                                    expected=f"one of {list(LEVELS)}"))
    if method == "kww" and level != "country":
        raise ArgumentError(message(None, "KWW's nine terms are defined for a country's total "
                                    "exports only", argument="level", found=repr(level),
                                    expected="'country' (use method 'wwz' or 'bm' for sector "
                                             "and bilateral levels)"))


def _frame(arr: dict, P: Prepared, level: str, E: np.ndarray) -> pd.DataFrame:
    """Arrays (G, D, N) per term → a frame at ``level`` with gross exports first."""
    prod, dest, secs = P.producers, P.destinations, P.sectors
    cols = {"gross_exports": E, **arr}
    if level == "country":
        data = {k: v.sum(axis=(1, 2)) for k, v in cols.items()}
        idx = pd.Index(prod, name="country")
    elif level == "sector":
        data = {k: v.sum(axis=1).ravel() for k, v in cols.items()}
        idx = pd.MultiIndex.from_product([prod, secs], names=["country", "sector"])
    elif level == "bilateral":
        G, D = E.shape[:2]
        keep = [(s, r) for s in range(G) for r in range(D) if r != s]
        data = {k: np.array([v[s, r].sum() for s, r in keep]) for k, v in cols.items()}
        idx = pd.MultiIndex.from_tuples([(prod[s], dest[r]) for s, r in keep],
                                        names=["exporter", "importer"])
    else:
        G, D, N = E.shape
        keep = [(s, r) for s in range(G) for r in range(D) if r != s]
        ss = np.array([k[0] for k in keep])
        rr = np.array([k[1] for k in keep])
        data = {k: v[ss, rr].ravel() for k, v in cols.items()}
        idx = pd.MultiIndex.from_tuples([(prod[s], dest[r], c) for s, r in keep for c in secs],
                                        names=["exporter", "importer", "sector"])
    return pd.DataFrame(data, index=idx)


def decompose(table, method: str = "wwz", level: str = "country", country=None,
              basis: str = "auto") -> GVCResult:
    """Decompose gross exports 总出口分解 (KWW 2014, WWZ 2013 or Borin & Mancini 2019/2023).

    Parameters
    ----------
    table : a multi-regional IOTable (index (region, sector))
    method : "kww" (nine terms K1–K9; country level), "wwz" (sixteen terms T1–T16) or "bm"
        (source- and sink-based DVA/DDC/FVA/FDC, exporting-country perspective)
    level : "country", "sector" (by exporting sector), "bilateral" (exporter × importer) or
        "bilateral_sector"; KWW only at "country"
    country : keep only the rows of this exporter (code or name); all are computed anyway
    basis : see :func:`lianpu.analysis.basis.resolve_basis`

    Returns
    -------
    GVCResult: ``frame`` with gross_exports, the terms, the groups (KWW: VAX, RDV, DVA, DDC,
    FVA, FDC, VS; WWZ: DVA_FIN … FDC and DVA, VAX, …; BM: source_* and sink_*), ``residual``
    (gross exports − Σ terms, zero up to rounding) and shares of gross exports (``*_share``).
    """
    _check(method, level, country, None)
    P = prepare(table, basis)
    S = P.system
    E = _pieces(P, "E")
    VB = _pieces(P, "VB")
    if method == "kww":
        K = core.kww(S, E, VB)
        df = pd.DataFrame({"gross_exports": E.sum(axis=(1, 2)),
                           **{k: K[i] for i, k in enumerate(core.KWW_TERMS)}},
                          index=pd.Index(P.producers, name="country"))
        terms, groups = dict(KWW_NAMES), dict(core.KWW_GROUPS)
        total_terms = list(core.KWW_TERMS)
    elif method == "wwz":
        T = cached(P.table, ("gvc_wwz", P.basis.method),
                   lambda: core.wwz(S, E, VB, _pieces(P, "VL")))
        df = _frame({k: T[i] for i, k in enumerate(core.WWZ_TERMS)}, P, level, E)
        terms = dict(WWZ_NAMES)
        groups = dict(core.WWZ_GROUPS)
        groups.update({"DVA": ("T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8"),
                       "VAX": ("T1", "T2", "T3", "T4", "T5"),
                       "FVA": ("T11", "T12", "T14", "T15"), "VS": tuple(f"T{k}" for k in range(11, 17))})
        total_terms = list(core.WWZ_TERMS)
    else:
        R = cached(P.table, ("gvc_bm", P.basis.method),
                   lambda: core.borin_mancini(S, E, VB, _pieces(P, "VL")))
        arr = {f"{a}_{k}": R[a][k] for a in ("source", "sink") for k in ("DVA", "DDC", "FVA", "FDC")}
        df = _frame(arr, P, level, E)
        terms = {f"{a}_{k}": (f"{'来源法' if a == 'source' else '归宿法'}{v[0]}",
                              f"{a}-based {v[1]}") for a in ("source", "sink")
                 for k, v in BM_NAMES.items()}
        groups = {"source": tuple(f"source_{k}" for k in BM_NAMES),
                  "sink": tuple(f"sink_{k}" for k in BM_NAMES)}
        total_terms = list(groups["source"])
    for g, members in groups.items():
        if g not in df.columns:
            df[g] = df[list(members)].sum(axis=1)
    df["residual"] = df["gross_exports"] - df[total_terms].sum(axis=1)
    if method == "bm":
        df["residual_sink"] = df["gross_exports"] - df[list(groups["sink"])].sum(axis=1)
    ge = df["gross_exports"].where(df["gross_exports"] != 0)
    for g in groups:
        df[f"{g}_share"] = df[g] / ge
    if country is not None:
        from ..regions.spillover import resolve_region
        c = resolve_region(P.table, country)
        df = df.loc[[c]] if level == "country" else df.xs(c, level=0, drop_level=False)
    notes = P.notes + ((Note("bm: the exporting-country perspective; source-based counts value "
                             "added the first time it leaves its country of origin, sink-based "
                             "the last time before final absorption. At country level both give "
                             "the same DVA (= KWW's K1–K5 = v_s L_ss E_s*)",
                             "bm：出口国视角；source-based 在增加值首次离开来源国时计入，sink-based "
                             "在最终吸收前最后一次离开时计入。在国家层面两者给出相同的 DVA"
                             "（= KWW 的 K1–K5 = v_s L_ss E_s*）"),) if method == "bm" else ())
    return GVCResult(method, level, P.table.unit, P.table.name, P.basis, df, terms, groups,
                     SOURCES[method], notes)


# --------------------------------------------------------------------------- participation
PART_NAMES = {
    "forward": ("前向GVC参与度", "forward GVC participation (V_GVC / va)"),
    "forward_simple": ("前向简单GVC参与度", "forward simple GVC participation"),
    "forward_complex": ("前向复杂GVC参与度", "forward complex GVC participation"),
    "backward": ("后向GVC参与度", "backward GVC participation (Y_GVC / y)"),
    "backward_simple": ("后向简单GVC参与度", "backward simple GVC participation"),
    "backward_complex": ("后向复杂GVC参与度", "backward complex GVC participation"),
    "PLv_GVC": ("前向GVC生产长度", "forward GVC production length"),
    "PLy_GVC": ("后向GVC生产长度", "backward GVC production length"),
    "position": ("GVC位置指数 PLv/PLy", "GVC position index PLv_GVC / PLy_GVC"),
}


def _measures(P: Prepared) -> pd.DataFrame:
    m = cached(P.table, ("gvc_part", P.basis.method), lambda: core.participation(P.system))
    idx = pd.MultiIndex.from_product([P.producers, P.sectors], names=["country", "sector"])
    return pd.DataFrame(m, index=idx)


def _ratios(df: pd.DataFrame) -> pd.DataFrame:
    div = lambda a, b: a / b.where(b != 0)  # noqa: E731
    out = df.copy()
    out["forward_simple"] = div(df.f_GVC_S, df.va)
    out["forward_complex"] = div(df.f_GVC_C, df.va)
    out["forward"] = out.forward_simple + out.forward_complex
    out["backward_simple"] = div(df.b_GVC_S, df.y)
    out["backward_complex"] = div(df.b_GVC_C, df.y)
    out["backward"] = out.backward_simple + out.backward_complex
    out["PLv_GVC"] = div(df.Xv_GVC, df.f_GVC_S + df.f_GVC_C)
    out["PLy_GVC"] = div(df.Xy_GVC, df.b_GVC_S + df.b_GVC_C)
    out["position"] = out.PLv_GVC / out.PLy_GVC
    return out


def participation(table, country=None, basis: str = "auto") -> GVCResult:
    """Production-based GVC participation (Wang, Wei, Yu & Zhu 2017a) and production length
    (2017b) by country-sector (``frame``) and by country (``extra['by_country']``).

    Columns: va = f_D + f_RT + f_GVC_S + f_GVC_C (forward: where a sector's value added goes:
    pure domestic, traditional trade, simple and complex GVC), y = b_D + b_RT + b_GVC_S +
    b_GVC_C (backward: where the value added in a sector's final goods comes from); the
    ratios forward*, backward*; PLv_GVC, PLy_GVC and position = PLv_GVC / PLy_GVC (> 1:
    relatively upstream). Country rows sum the flows before taking ratios."""
    P = prepare(table, basis)
    raw = _measures(P)
    by_sector = _ratios(raw)
    by_country = _ratios(raw.groupby(level=0, sort=False).sum())
    by_country.index.name = "country"
    if country is not None:
        from ..regions.spillover import resolve_region
        c = resolve_region(P.table, country)
        by_sector = by_sector.xs(c, level=0, drop_level=False)
        by_country = by_country.loc[[c]]
    src = ("Wang, Wei, Yu & Zhu (2017a), Measures of participation in global value chains and "
           "global business cycles, NBER WP 23222; (2017b) Characterizing global value chains: "
           "production length and upstreamness, NBER WP 23261")
    return GVCResult("participation", "sector", P.table.unit, P.table.name, P.basis, by_sector,
                     dict(PART_NAMES), {}, src, P.notes, {"by_country": by_country})


def position(table, country=None, basis: str = "auto") -> GVCResult:
    """GVC position by country-sector (``frame``) and country (``extra['by_country']``).

    - ``koopman_position`` = ln(1 + IV/E) − ln(1 + FV/E) (Koopman, Powers, Wang & Wei 2010):
      IV = the exporter's value added in intermediates its direct importers re-export to third
      countries (WWZ's T3 + T4 + T5 by exporting sector), FV = the foreign content of its
      gross exports (T11–T16, i.e. KWW's FVA + FDC), E = gross exports. Positive: upstream.
    - ``wang_position`` = PLv_GVC / PLy_GVC (Wang, Wei, Yu & Zhu 2017b), with both lengths.
    """
    P = prepare(table, basis)
    w = decompose(table, "wwz", "sector", basis=basis).frame
    iv = w[["T3", "T4", "T5"]].sum(axis=1)
    fv = w[[f"T{k}" for k in range(11, 17)]].sum(axis=1)
    part = _measures(P)

    def build(e, iv, fv, raw):
        r = _ratios(raw)
        out = pd.DataFrame({"gross_exports": e, "iv": iv, "fv": fv})
        ge = out.gross_exports.where(out.gross_exports > 0)
        out["koopman_position"] = np.log1p(out.iv / ge) - np.log1p(out.fv / ge)
        out["PLv_GVC"], out["PLy_GVC"], out["wang_position"] = r.PLv_GVC, r.PLy_GVC, r.position
        return out

    by_sector = build(w.gross_exports, iv, fv, part)
    g = lambda s: s.groupby(level=0, sort=False).sum()  # noqa: E731
    by_country = build(g(w.gross_exports), g(iv), g(fv), part.groupby(level=0, sort=False).sum())
    by_country.index.name = "country"
    if country is not None:
        from ..regions.spillover import resolve_region
        c = resolve_region(P.table, country)
        by_sector = by_sector.xs(c, level=0, drop_level=False)
        by_country = by_country.loc[[c]]
    names = {"iv": ("间接增加值出口 IV", "indirect value-added exports IV (WWZ T3–T5)"),
             "fv": ("出口中的国外增加值 FV", "foreign value added in exports FV (WWZ T11–T16)"),
             "koopman_position": ("GVC地位指数（Koopman等2010）", "GVC position index (Koopman et al. 2010)"),
             "PLv_GVC": PART_NAMES["PLv_GVC"], "PLy_GVC": PART_NAMES["PLy_GVC"],
             "wang_position": PART_NAMES["position"]}
    src = ("Koopman, Powers, Wang & Wei (2010), Give credit where credit is due, NBER WP 16426; "
           "Wang, Wei, Yu & Zhu (2017b), NBER WP 23261")
    return GVCResult("position", "sector", P.table.unit, P.table.name, P.basis, by_sector, names,
                     {}, src, P.notes, {"by_country": by_country})


__all__ = ["GVCResult", "LEVELS", "METHODS", "decompose", "participation", "position", "prepare"]
