"""How accurate is a regionalization? Measures against a region's own published table.

Used by ``bench/regionalize_provinces.py`` (docs/regionalize.md §7, China's 31 provincial
tables) and by its test. Pure functions on tables and arrays; nothing here loads data.

- :func:`aggregate_table`: a single-region table aggregated to coarser sectors (Z, Zm, Y, Ym,
  V, x, discrepancy summed), e.g. the 2012 national 139-sector table onto the 42 sectors of the
  2012 provincial tables (:func:`provincial42_codes_2012`).
- :func:`local_coefficients`: the region's true coefficients, A_local of ``table.local()``.
- :func:`errors`: MAPE of Type I output multipliers m' = 1'(I − A)⁻¹ (estimate vs truth,
  sectors with output), their mean signed error, and the error of the coefficients.
- :func:`calibrated_coefficients`: LQ coefficients scaled by one factor λ so that the region's
  local intermediate inputs match what its published trade totals imply
  (:func:`local_intermediate_target`) — the "calibrated" method of the study.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ...core import leontief as leo
from ...core.errors import TableError, message
from ...core.notes import Note
from ...table import IOTable, _label_frame
from .regionalize import METHODS, lq_matrix  # noqa: F401  (public here too: __all__)


# --------------------------------------------------------------------------- alignment
def provincial42_codes_2012(table139, concordance: pd.DataFrame) -> list[str]:
    """For each sector of the national 2012 table (139 sectors), its code among the 42 sectors
    of the 2012 provincial tables.

    The shipped concordance maps the 139 sectors onto the NBS 42 of **2017**; the 2012
    provincial tables use the 2012 42-sector list, which differs in two places: 2012 has
    22 其他制造产品 and 23 废品废料 apart (2017: one sector 22), and one sector 36 科学研究和技术服务
    where 2017 has 35 研究和试验发展 and 36 综合技术服务. So 2017's 22 splits by product
    (废弃资源和废旧材料回收加工品 → 23), 23…34 move up by one, 35 and 36 merge into 36; every
    139-sector product maps to exactly one 2012 sector (rule ``one`` in the concordance).
    """
    rows = concordance[concordance["table"] == "cn-nbs-2012-139"].set_index("source_code")
    codes = [str(c) for c in table139.index]
    if list(rows.index) != codes:
        raise TableError(message(table139.name, "not the national 2012 table of 139 sectors",
                                 found=f"{len(codes)} sectors {codes[:3]}…",
                                 expected="the sector codes of cn-nbs-2012-139"))
    out = []
    for code in codes:
        k = int(rows.loc[code, "nbs42"])
        if k == 22:
            k = 23 if rows.loc[code, "source_name_zh"].startswith("废弃资源") else 22
        elif 23 <= k <= 34:
            k += 1
        elif k == 35:
            k = 36
        out.append(f"{k:02d}")
    return out


#: the 2007 national table's 135 sectors (codes 001…135, the 2002 classification) → the 42
#: sectors of the 2007 provincial tables: (last 135-sector code of the group, 42-sector code)
_GROUPS_2007 = ((5, 1), (6, 2), (7, 3), (9, 4), (10, 5), (24, 6), (29, 7), (31, 8), (33, 9),
                (36, 10), (38, 11), (49, 12), (56, 13), (62, 14), (63, 15), (72, 16), (76, 17),
                (81, 18), (87, 19), (89, 20), (90, 21), (91, 22), (92, 23), (93, 24), (94, 25),
                (95, 26), (103, 27), (104, 28), (107, 29), (108, 30), (110, 31), (112, 32),
                (113, 33), (116, 34), (117, 35), (120, 36), (123, 37), (125, 38), (126, 39),
                (129, 40), (134, 41), (135, 42))


def provincial42_codes_2007(table135) -> list[str]:
    """For each sector of the national 2007 table (135 sectors), its code among the 42 sectors
    of the 2007 provincial tables (the 2002 classification: 16 通用、专用设备 together, 20
    仪器仪表及文化办公用机械, 21 工艺品及其他制造业, 22 废品废料, 27 交通运输及仓储业 and 28 邮政业
    apart, 40 卫生、社会保障和社会福利业). The 135 codes are ordered by that classification, so
    each 42-sector group is a range of codes (:data:`_GROUPS_2007`)."""
    codes = [str(c) for c in table135.index]
    if codes != [f"{k:03d}" for k in range(1, 136)]:
        raise TableError(message(table135.name, "not the national 2007 table of 135 sectors",
                                 found=f"{len(codes)} sectors {codes[:3]}…",
                                 expected="codes 001…135 (cn-nbs-2007-135)"))
    out, g = [], 0
    for k in range(1, 136):
        while k > _GROUPS_2007[g][0]:
            g += 1
        out.append(f"{_GROUPS_2007[g][1]:02d}")
    return out


def aggregate_table(table: IOTable, codes, sectors: pd.DataFrame,
                    name: str | None = None) -> IOTable:
    """``table`` (single-region) with its sectors summed into the groups ``codes`` (one target
    code per sector); ``sectors`` the target labels (index code, columns name_zh, name_en) in
    the order wanted. Z̃ = GᵀZG, Ỹ = GᵀY, Ṽ = VG, x̃ = Gᵀx (and Zm, Ym, discrepancy alike)."""
    target = [str(c) for c in sectors.index]
    unknown = sorted(set(map(str, codes)) - set(target))
    if unknown:
        raise TableError(message(table.name, "aggregation code not among the target sectors",
                                 found=unknown[:3], expected=f"one of {target[:3]}…"))
    G = pd.get_dummies(pd.Categorical([str(c) for c in codes], categories=target)).to_numpy(float)

    def agg(M):
        return None if M is None else G.T @ M @ G

    def rows(M):
        return None if M is None else G.T @ M

    return table.evolve(
        Z_=agg(table.Z_), Y_=rows(table.Y_), V_=table.V_ @ G, x_=G.T @ table.x_,
        Zm_=agg(table.Zm_), Ym_=rows(table.Ym_),
        discrepancy_=None if table.discrepancy_ is None else G.T @ table.discrepancy_,
        sectors=_label_frame(target, sectors["name_zh"].tolist(), sectors["name_en"].tolist()),
        satellites={}, name=name or f"{table.name}, aggregated to {len(target)} sectors",
        notes=table.notes + (Note(f"aggregated from {table.n} to {len(target)} sectors",
                                  f"部门由 {table.n} 个合并为 {len(target)} 个"),))


# --------------------------------------------------------------------------- truth
def local_coefficients(table: IOTable) -> np.ndarray:
    """A_local (n, n) of a provincial table: its local view's coefficients (imports from abroad
    and inflows from other provinces removed in proportion, :meth:`IOTable.local`)."""
    return table.local().A_


def output_multipliers(A) -> np.ndarray:
    """Type I output multipliers m' = 1'(I − A)⁻¹ (column sums), one transposed solve."""
    A = np.asarray(A, float)
    return leo.left_solve(leo.leontief_factor(A), np.ones(A.shape[0]))


def errors(A_est, A_true, x) -> dict:
    """Accuracy of estimated coefficients ``A_est`` against the true ``A_true`` (n, n) of a
    region with gross output ``x`` (n,); sectors with x_j = 0 are left out.

    Returns (percent): ``mape`` mean |m̂_j / m_j − 1| of Type I output multipliers, ``bias``
    mean (m̂_j / m_j − 1), ``wape`` Σ_ij |â_ij − a_ij| x_j / Σ_ij a_ij x_j (error of the
    intermediate flows relative to their total), ``mae`` mean |â_ij − a_ij| over all cells
    of producing columns (× 100, coefficient points), ``local_share`` the error of the
    total local intermediate input, Σ â x / Σ a x − 1, and ``rank`` (not a percentage) the
    Spearman correlation of estimated and true multipliers (does the ranking of sectors, as
    in a key-sector list, survive?).
    """
    A_est, A_true, x = (np.asarray(v, float) for v in (A_est, A_true, x))
    ok = x > 0
    m_est, m_true = output_multipliers(A_est), output_multipliers(A_true)
    rel = m_est[ok] / m_true[ok] - 1.0
    flow_true = (A_true * x).sum()
    return {"mape": float(100 * np.abs(rel).mean()), "bias": float(100 * rel.mean()),
            "wape": float(100 * (np.abs(A_est - A_true) * x).sum() / flow_true),
            "mae": float(100 * np.abs(A_est - A_true)[:, ok].mean()),
            "local_share": float(100 * ((A_est * x).sum() / flow_true - 1.0)),
            "rank": _spearman(m_est[ok], m_true[ok])}


def _spearman(a, b) -> float:
    """Spearman's ρ: Pearson correlation of the ranks (average ranks for ties)."""
    ra_, rb = (pd.Series(v).rank().to_numpy() for v in (a, b))
    return float(np.corrcoef(ra_, rb)[0, 1])


# --------------------------------------------------------------------------- calibration
def trade_totals(table: IOTable) -> dict:
    """A provincial table's published totals by role (positive numbers): imports from abroad
    ``IM``, inflows ``IF`` (or combined ``trade_in``), exports ``EX``, outflows ``OF`` (or
    ``trade_out``), gross output, total intermediate input (Σx − GDP)."""
    Y = table.Y_

    def tot(role_set):
        return float(abs(Y[:, table.fd_positions(role_set)].sum()))

    return {"imports": tot({"import"}), "inflows": tot({"inflow", "trade_in"}),
            "exports": tot({"export"}), "outflows": tot({"outflow", "trade_out"}),
            "output": float(table.x_.sum()), "intermediate": float(table.Z_.sum())}


def local_intermediate_target(totals: dict) -> tuple[float, float]:
    """What a planner can infer about local intermediate inputs from published totals alone.

    Local use U = Σx − exports − outflows + imports + inflows (intermediate plus local final
    use). If every use bought the same share μ̄ = (imports + inflows) / U from outside (the
    proportionality of the local view, aggregated), local intermediate inputs are
    T = (1 − μ̄) · Σ_ij z_ij. Where supply from outside exceeds local use (transit trade, e.g.
    Chongqing 2017) the share is taken of all uses, μ̄ = (imports + inflows) / (U + exports
    + outflows), as the local view does product by product. Returns (T, μ̄).
    """
    t = totals
    outside = t["imports"] + t["inflows"]
    use = t["output"] - t["exports"] - t["outflows"] + outside
    mu = outside / use if outside < use else outside / (use + t["exports"] + t["outflows"])
    return (1.0 - mu) * t["intermediate"], mu


def calibrated_coefficients(regional, national, A_national, target: float, method: str = "slq",
                            delta: float = 0.0) -> tuple[np.ndarray, float]:
    """a_ij = min(λ · LQ_ij, 1) · a^n_ij with the one λ for which Σ_ij a_ij x^r_j = ``target``
    (bisection on log λ; the left side grows with λ). ``regional`` is the region's gross output
    x^r (n,), ``national`` the nation's x^n, ``A_national`` the national domestic coefficients.
    A target above Σ a^n x^r (where LQ > 0) gives λ large enough that c = 1 wherever LQ > 0.
    Returns (A, λ).
    """
    xr = np.asarray(regional, float)
    q = lq_matrix(xr, national, method, delta)
    An = np.asarray(A_national, float)
    flow = An * xr[None, :]

    def local(lam):
        return float((np.minimum(lam * q, 1.0) * flow).sum())

    lo, hi = -20.0, 20.0
    if local(math.exp(lo)) >= target:
        lam = math.exp(lo)
    elif local(math.exp(hi)) <= target:
        lam = math.exp(hi)
    else:
        for _ in range(100):
            mid = 0.5 * (lo + hi)
            lo, hi = (mid, hi) if local(math.exp(mid)) < target else (lo, mid)
        lam = math.exp(0.5 * (lo + hi))
    return np.minimum(lam * q, 1.0) * An, lam


__all__ = ["METHODS", "aggregate_table", "calibrated_coefficients", "errors",
           "local_coefficients", "local_intermediate_target", "lq_matrix", "output_multipliers",
           "provincial42_codes_2007", "provincial42_codes_2012", "trade_totals"]
