"""Splitting supply from outside a region out of a competitive table, by proportionality.

The local view 本地视角 of a provincial table (Miller & Blair 2009, §3.3 and §8.9 on the
"regional purchase coefficient"; the NBS provincial tables publish imports from abroad and
inflows from other provinces as single competitive columns): every user of product i buys
the same shares of it from abroad and from other provinces,

    μ^m_i = m_i / u_i,   μ^r_i = r_i / u_i,   u_i = Σ_j z_ij + Σ_k y_ik (k: local final use),

where m_i (imports from abroad) and r_i (inflows from other provinces) are the negative-signed
supply columns taken positive, and local final use excludes exports, outflows, the supply
columns themselves and the discrepancy. Then

    Z_local = (1 − μ^m − μ^r) ⊙ Z,   Zm = μ^m ⊙ Z,   Zr = μ^r ⊙ Z      (row scaling)

and likewise for each local final-use column; exports and outflows stay local (they are local
production) — except where m_i + r_i exceeds local use u_i (re-exports / transit trade, e.g.
Chongqing 2017, whose inflows and outflows exceed its gross output): then the shares are
taken of all uses, u_i + e_i (e_i: exports and outflows), and apply to exports and outflows
too. Both forms keep the row identity x = Z_local·1 + Y_local·1 (+ ERR) and the column
identity 1'Z_local + 1'Zm + 1'Zr + 1'V = x.

Pure numpy: arrays in, arrays out; the labelled wrapper is :meth:`lianpu.IOTable.local`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import TableError


@dataclass(frozen=True)
class TradeSplit:
    """Result of :func:`proportional_trade_split` (shapes: n sectors, k kept columns)."""

    Z: np.ndarray        # (n, n) local intermediate flows
    Zm: np.ndarray       # (n, n) imported from abroad
    Zr: np.ndarray       # (n, n) from other provinces
    Y: np.ndarray        # (n, k) local final use, exports and outflows (supply columns dropped)
    Ym: np.ndarray       # (n, k)
    Yr: np.ndarray       # (n, k)
    keep: tuple          # positions of the kept final-use columns in the input Y
    mu_m: np.ndarray     # (n,) share bought abroad
    mu_r: np.ndarray     # (n,) share bought from other provinces
    transit: np.ndarray  # (n,) bool: products whose supply from outside exceeds local use


def proportional_trade_split(Z, Y, *, import_cols, inflow_cols, outflow_cols, skip_cols=(),
                             tol: float = 1e-9, rounding: float = 1e-4) -> TradeSplit:
    """Remove imports (``import_cols``) and inflows (``inflow_cols``) — negative-signed columns
    of ``Y`` — from every use of a product in proportion (see the module docstring).

    ``outflow_cols``: exports and outflows (not local use); ``skip_cols``: columns neither used
    nor scaled (the discrepancy). Either supply group may be empty. Raises ``ValueError`` (with
    the product's position) when supply from outside exceeds all uses of a product by more
    than ``rounding`` (relative); within it the shares are scaled to sum to 1.
    """
    Z = np.asarray(Z, float)
    Y = np.asarray(Y, float)
    n, k = Y.shape
    imp, inf_, out = list(import_cols), list(inflow_cols), list(outflow_cols)
    supply = set(imp) | set(inf_)
    skip = supply | set(skip_cols)
    local_cols = [j for j in range(k) if j not in skip and j not in out]
    m = -Y[:, imp].sum(axis=1) if imp else np.zeros(n)
    r = -Y[:, inf_].sum(axis=1) if inf_ else np.zeros(n)
    use = Z.sum(axis=1) + Y[:, local_cols].sum(axis=1)
    e = Y[:, out].sum(axis=1) if out else np.zeros(n)
    # relative to each product's own supply from outside (an absolute floor would call a
    # product with tiny numbers non-transit and then find shares above 1)
    scale = tol * np.abs(m + r)
    transit = (m + r) > use + scale
    den = np.where(transit, use + e, use)
    mu_m = np.divide(m, den, out=np.zeros(n), where=den > 0)
    mu_r = np.divide(r, den, out=np.zeros(n), where=den > 0)
    mu = mu_m + mu_r
    # published rounding: a product with (almost) no local output has supply = uses up to the
    # table's discrepancy (Tibet 2012, product 21: 99,921.3 against 99,921.1); shares up to
    # 1 + ``rounding`` are scaled back to 1, larger ones are an error
    bad = (mu_m < -rounding) | (mu_r < -rounding) | (mu > 1 + rounding) | (
        (m + r > scale) & (den <= 0))
    if bad.any():
        i = int(np.argmax(bad))
        raise TableError(f"product at position {i}: supply from outside ({m[i] + r[i]:.6g}) "
                         f"exceeds all its uses ({use[i] + e[i]:.6g}); shares outside [0, 1]")
    over = mu > 1
    mu_m = np.where(over, mu_m / np.where(over, mu, 1.0), np.clip(mu_m, 0.0, None))
    mu_r = np.where(over, mu_r / np.where(over, mu, 1.0), np.clip(mu_r, 0.0, None))
    mu = mu_m + mu_r
    # the local share; 1 − μ^m − μ^r in floating point can be −1e-16 where μ = 1
    local = np.clip(1.0 - mu, 0.0, 1.0)
    keep = tuple(j for j in range(k) if j not in supply)
    Yk = Y[:, keep]
    Ym = np.zeros_like(Yk)
    Yr = np.zeros_like(Yk)
    Yl = Yk.copy()
    for jj, j in enumerate(keep):
        if j in skip:
            continue
        sm = mu_m if j not in out else np.where(transit, mu_m, 0.0)
        sr = mu_r if j not in out else np.where(transit, mu_r, 0.0)
        Ym[:, jj] = sm * Yk[:, jj]
        Yr[:, jj] = sr * Yk[:, jj]
        Yl[:, jj] = (local if j not in out else np.where(transit, local, 1.0)) * Yk[:, jj]
    return TradeSplit(Z=local[:, None] * Z, Zm=mu_m[:, None] * Z, Zr=mu_r[:, None] * Z,
                      Y=Yl, Ym=Ym, Yr=Yr, keep=keep, mu_m=mu_m, mu_r=mu_r, transit=transit)
