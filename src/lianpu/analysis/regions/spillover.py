"""Multi-regional analytics 区域间分析: spillover and feedback 溢出效应/反馈效应, value added
induced across regions, and value added embodied in trade 贸易隐含增加值.

Notation (Miller & Blair 2009, ch. 3): the MRIO's A is partitioned into region blocks A_rs
(inputs from r per unit output of s); L = (I − A)⁻¹; s a direct-effect intensity per unit
output (1 for output, v = VA/x, a satellite/x). Definitions are in docs/regions.md.

- **Miller decomposition** (Miller 1966; Miller & Blair 2009 §3.5) of the multiplier of a
  unit of final demand for product j of region r, s'L e_j, into
  intra-regional   (s_r'(I − A_rr)⁻¹)_j         — region r as if isolated,
  feedback         (s_r'L_rr)_j − intra_j       — r's extra effect via other regions' purchases,
  spillover        Σ_{q≠r} (s_q'L_qr)_j         — effect in the other regions.
  Computed as one transposed solve with one right-hand side per region (Lᵀ M = S) plus an LU
  of each diagonal block I − A_rr (n_r × n_r): never the inverse.
- **Value added induced** by each final-demand region d: v̂ L y_d, one solve per region.
- **Trade in value added** per exporting region r, gross exports e_r (sales to other regions'
  producers and final users): DVA_r = v_r'(I − A_rr)⁻¹ e_r (Los, Timmer & de Vries 2016);
  the domestic double-counted term v_r'(L_rr − (I − A_rr)⁻¹) e_r (r's value added that
  crosses its border more than once, counted again in the exports it returns in; Koopman,
  Wang & Wei 2014 — **not** value added "fed back"); VS_r = Σ_{q≠r} v_q'L_qr e_r, the foreign
  content of r's exports (vertical specialization, Hummels, Ishii & Yi 2001), which in KWW's
  terms is FVA plus the foreign double-counted term; and VAX_r = r's value added absorbed by
  final demand outside r (Johnson & Noguera 2012).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ...core import leontief as leo
from ...core.errors import TableError, check_choice, message
from .._common import cached
from .._result import Result, ResultFrame, as_frame, jsonable
from ..multipliers import intensity

#: final-use roles that are not purchases (imports, inflows, discrepancy)
NOT_PURCHASES = frozenset({"import", "inflow", "trade_in", "discrepancy"})
DISCREPANCY = "(discrepancy)"
IMPORTS = "(imports)"
#: the basis of every result here: the multi-regional table's own A, nothing converted
BASIS = ("the multi-regional table as given: trade between its regions is explicit in Z; "
         "purchases from outside the table are leakages")


# --------------------------------------------------------------------------- helpers
def require_mrio(table) -> None:
    if not table.is_multiregional:
        raise TableError(message(table.name, "this analysis needs a multi-regional table",
                                 found="a single-region table",
                                 expected="an index (region, sector), e.g. WIOD or CEADs MRIO"))


def positions(table) -> dict[str, np.ndarray]:
    """Row positions of each producing region, in the table's region order."""
    lev = np.asarray(table.index.get_level_values(0))
    return {r: np.flatnonzero(lev == r) for r in table.regions}


def final_demand_by_region(table) -> tuple[list, np.ndarray]:
    """(final-demand regions, Y summed over categories per region (n, D)); the imports and
    discrepancy categories are left out (they are not purchases of the region)."""
    fd = table.final_demand_labels.index
    if not isinstance(fd, pd.MultiIndex):
        raise TableError(message(table.name, "final-demand columns are not labelled by region",
                                 found=f"columns {list(fd)[:4]}…",
                                 expected="(region, category) columns"))
    regs = list(dict.fromkeys(fd.get_level_values(0)))
    role = np.asarray(table.fd_roles)
    lev = np.asarray(fd.get_level_values(0))
    Yd = np.column_stack([table.Y_[:, (lev == d) & ~np.isin(role, list(NOT_PURCHASES))].sum(axis=1)
                          for d in regs])
    return regs, Yd


def block_factor(table, region: str):
    """LU of I − A_rr for one region (cached on the table; only that block is factorized)."""
    def factor():
        p = positions(table)[region]
        A = table.A_
        blk = A[p][:, p] if sp.issparse(A) else np.ascontiguousarray(A[np.ix_(p, p)])
        return leo.leontief_factor(blk, table=f"{table.name} [{region}]")
    return cached(table, ("_region_block", region), factor)


def _norm(s) -> str:
    return unicodedata.normalize("NFKC", str(s)).strip().casefold().replace(" ", "")


def resolve_region(table, name) -> str:
    """A region code of ``table`` from its code, or a Chinese or English name (WIOD
    economies, Chinese provinces)."""
    require_mrio(table)
    regs = table.regions
    if name in regs:
        return name
    from ...data.concordances import province_iso, region_labels
    lab = region_labels()
    key, iso = _norm(name), province_iso(name)
    for r in regs:
        names = {_norm(r)}
        if r in lab.index:
            names |= {_norm(lab.loc[r, "name_zh"]), _norm(lab.loc[r, "name_en"])}
        if key in names or iso == r:
            return r
    raise TableError(message(table.name, "unknown region", argument="region", found=repr(name),
                             expected=f"one of {regs}"))


def records(df: pd.DataFrame) -> list[dict]:
    """Rows of ``df`` with its index levels as columns (``region``, ``sector`` …), in plain
    Python (NaN → None) — the row shape of the regions results' ``to_dict``."""
    return jsonable(df.reset_index().to_dict("records"))


# --------------------------------------------------------------------------- spillover
@dataclass(frozen=True, eq=False)
class Spillover(Result):
    """Miller decomposition of multipliers for ``kind`` (per unit of final demand).

    - ``by_sector``: index (region, sector) of the product bought; columns intra, feedback,
      spillover, total (total = intra + feedback + spillover);
    - ``by_receiver``: same index; one column per region where the effect occurs;
    - ``by_region``: the same terms for a unit of final demand for a region's products in the
      mix of the table's final demand for them (weights: max(final purchases, 0), the
      imports column and ERR left out), plus shares of the total;
    - ``matrix``: rows = region where the effect occurs, columns = region whose products are
      demanded (final-demand-weighted as above); its column sums are ``by_region.total``.
    """

    kind: str
    unit: str
    table: str
    by_sector: pd.DataFrame
    by_receiver: pd.DataFrame
    by_region: pd.DataFrame
    matrix: pd.DataFrame
    basis: str = BASIS

    def to_frame(self) -> pd.DataFrame:
        return self.by_sector.copy()

    def to_dict(self) -> dict:
        return {"kind": self.kind, "unit": self.unit, "basis": self.basis, "table": self.table,
                "by_region": records(self.by_region.rename_axis("region")),
                "matrix": jsonable({c: self.matrix[c].to_dict() for c in self.matrix.columns}),
                "by_sector": records(self.by_sector)}


def region_intensities(table, s: np.ndarray) -> np.ndarray:
    """S (R, n): row k is the intensity s kept on region k's sectors only."""
    S = np.zeros((len(table.regions), table.n))
    for k, p in enumerate(positions(table).values()):
        S[k, p] = s[p]
    return S


def spillover(table, kind: str = "output") -> Spillover:
    """Intra-regional, feedback and spillover effects of final demand (Miller & Blair §3.5).

    ``kind``: "output", "value_added", "income" or a satellite name (as in
    :func:`lianpu.multipliers`). Identity: intra + feedback + spillover = s'L e_j = the
    Type I multiplier of ``kind`` for every product, and the matrix's column sums equal
    ``by_region.total``.
    """
    require_mrio(table)
    s, unit = intensity(table, kind)
    pos = positions(table)
    M = leo.left_solve(table.factor, region_intensities(table, s))   # (R, n)
    intra = np.zeros(table.n)
    own = np.zeros(table.n)
    for k, (r, p) in enumerate(pos.items()):
        intra[p] = block_factor(table, r).solve_transposed(s[p])
        own[p] = M[k, p]
    total = M.sum(axis=0)
    by_sector = pd.DataFrame({"intra": intra, "feedback": own - intra, "spillover": total - own,
                              "total": total}, index=table.index)
    by_receiver = pd.DataFrame(M.T, index=table.index, columns=table.regions)
    w = np.maximum(final_demand_by_region(table)[1].sum(axis=1), 0.0)
    rows, mat = {}, {}
    for r, p in pos.items():
        wr = w[p] / w[p].sum() if w[p].sum() > 0 else np.full(p.size, np.nan)
        rows[r] = by_sector.iloc[p].to_numpy().T @ wr
        mat[r] = M[:, p] @ wr
    by_region = pd.DataFrame.from_dict(rows, orient="index", columns=list(by_sector.columns))
    by_region["spillover_share"] = by_region["spillover"] / by_region["total"]
    by_region["feedback_share"] = by_region["feedback"] / by_region["total"]
    matrix = pd.DataFrame(mat, index=table.regions)
    matrix.index.name, matrix.columns.name = "effect_in", "demand_for"
    for df in (by_sector, by_region, matrix):
        df.attrs.update(kind=kind, unit=f"{unit} per {table.unit} of final demand")
    return Spillover(kind, f"{unit} per {table.unit} of final demand", table.name, by_sector,
                     by_receiver, by_region, matrix)


# --------------------------------------------------------------------------- value added
def induced(table, kind: str = "value_added") -> ResultFrame:
    """ŝ L y_d for each final-demand region d: (region, sector) × final-demand regions, plus
    an ``(imports)`` column for a negative imports column (category IM) and a
    ``(discrepancy)`` column for ERR / the table's discrepancy vector, so that row sums equal
    each sector's total s ⊙ x."""
    require_mrio(table)
    s, unit = intensity(table, kind)
    regs, Yd = final_demand_by_region(table)
    rhs, cols = [Yd], list(regs)
    role = np.asarray(table.fd_roles)
    if (role == "import").any():
        rhs.append(table.Y_[:, role == "import"].sum(axis=1)[:, None])
        cols.append(IMPORTS)
    if (role == "discrepancy").any() or table.discrepancy_ is not None:
        d = table.Y_[:, role == "discrepancy"].sum(axis=1)
        rhs.append((d if table.discrepancy_ is None else d + table.discrepancy_)[:, None])
        cols.append(DISCREPANCY)
    rhs = np.column_stack(rhs)
    X = leo.leontief_solve(table.factor, rhs)
    out = pd.DataFrame(s[:, None] * X, index=table.index, columns=cols)
    out.columns.name = "final_demand_region"
    out.attrs.update(kind=kind, unit=unit, basis=BASIS)
    return as_frame(out)


def value_added_matrix(table, by: str = "region", kind: str = "value_added") -> ResultFrame:
    """Value added (or ``kind``) generated in each producing region (rows) by the final
    demand of each region (columns): v̂ L y_d, aggregated by producing region (``by="region"``)
    or kept by (region, sector) (``by="sector"``).

    Row sums equal each region's (sector's) total value added; with value added as the
    balancing item (v' = 1'(I − A)), column sums equal each region's final demand. A
    ``(discrepancy)`` column carries the effect of ERR or the rounding residual (WIOD 2011:
    0.04 % of world output) and ``(imports)`` that of a negative imports column (CEADs), so
    the row identity is exact.
    """
    check_choice(by, ("region", "sector"), argument="by")
    E = induced(table, kind)
    if by == "sector":
        return E
    out = E.groupby(level=0, sort=False).sum()
    out.index.name = "producing_region"
    out.attrs.update(E.attrs)
    return as_frame(out)


def gross_exports(table) -> np.ndarray:
    """e (n,): each product's sales to producers and final users of other regions (the
    imports column and discrepancy are not sales). Final-demand regions that do not
    produce (e.g. CEADs' foreign exports) count as other regions."""
    require_mrio(table)
    pos = positions(table)
    regs, Yd = final_demand_by_region(table)
    e = np.zeros(table.n)
    for r, p in pos.items():
        others = np.setdiff1d(np.arange(table.n), p)
        e[p] = table.Z_[np.ix_(p, others)].sum(axis=1)
        e[p] += Yd[p][:, [k for k, d in enumerate(regs) if d != r]].sum(axis=1)
    return e


def trade_value_added(table) -> ResultFrame:
    """Value added embodied in each region's gross exports 贸易隐含增加值 (definitions in the
    module docstring and docs/regions.md). Columns: gross_exports, dva,
    domestic_double_counted (KWW's domestic double counting), vs (foreign content = KWW's FVA
    + foreign double counting), other (imports from outside the table and primary inputs not
    counted as value added), vax, and the ratios dva_share, vs_share, vax_ratio (to gross
    exports). Identity: gross_exports = dva + domestic_double_counted + vs + other.
    """
    e = gross_exports(table)
    sp = spillover(table, "value_added").by_sector
    vam = value_added_matrix(table)
    rows = {}
    for r, p in positions(table).items():
        E = float(e[p].sum())
        dva, ddc, vs = (float(sp[c].to_numpy()[p] @ e[p]) for c in ("intra", "feedback", "spillover"))
        vax = float(vam.loc[r].drop([r, IMPORTS, DISCREPANCY], errors="ignore").sum())
        rows[r] = {"gross_exports": E, "dva": dva, "domestic_double_counted": ddc, "vs": vs,
                   "other": E - dva - ddc - vs, "vax": vax}
    out = pd.DataFrame.from_dict(rows, orient="index")
    for c, d in (("dva_share", "dva"), ("vs_share", "vs"), ("vax_ratio", "vax")):
        out[c] = out[d] / out["gross_exports"].where(out["gross_exports"] != 0)
    out.index.name = "region"
    out.attrs.update(unit=table.unit, table=table.name, basis=BASIS)
    return as_frame(out)
