"""Interregional trade by a doubly-constrained gravity model (pure numerics, no pandas).

For one product, R regions send s_r (outflows to other regions) and receive u_t (inflows from
other regions). The trade matrix T (R, R), T_rt = what t buys from r, is estimated as the
doubly-constrained gravity model (Wilson 1970; Sen & Smith 1995, ch. 4)::

    T_rt = a_r b_t s_r u_t f(d_rt),     f(d) = d^(−β)  (r ≠ t),   T_rr = 0,

with balancing factors a, b such that T·1 = s and 1'T = u. It is the RAS (biproportional)
solution starting from the prior T⁰_rt = s_r u_t f(d_rt): RAS keeps the prior's cross-product
ratios, so whenever the true flows have the gravity form, RAS on any prior of that form returns
them exactly (:func:`trade_matrix`). β is the distance-decay parameter; β = 0 is the
"no-distance" (proportional) model. Distances are great-circle distances between regional
centres (:func:`great_circle_km`).

Before estimation the national totals Σ_r s_r and Σ_t u_t must agree; published provincial
tables do not (:func:`reconcile`). Then each buyer's purchases are allocated to origins in
the shares T_rt / u_t for every use (Chenery 1953; Moses 1955).
"""
from __future__ import annotations

import numpy as np

from .errors import ArgumentError
from .gras import gras

EARTH_RADIUS_KM = 6371.0088  # IUGG mean Earth radius
RECONCILE = ("mean", "outflows", "inflows")


def great_circle_km(lat, lon) -> np.ndarray:
    """(R, R) great-circle distances in km between points given in degrees (haversine on a
    sphere of radius 6,371.0088 km)."""
    la = np.radians(np.asarray(lat, float))[:, None]
    lo = np.radians(np.asarray(lon, float))[:, None]
    dla, dlo = la - la.T, lo - lo.T
    h = np.sin(dla / 2) ** 2 + np.cos(la) * np.cos(la.T) * np.sin(dlo / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def distance_decay(d, beta: float) -> np.ndarray:
    """f(d) = d^(−β) off the diagonal, 0 on it (trade with other regions only); (R, R)."""
    d = np.asarray(d, float)
    if not np.isfinite(beta) or beta < 0:
        raise ArgumentError(f"argument 'decay': found {beta!r}, expected a finite β ≥ 0")
    off = ~np.eye(d.shape[0], dtype=bool)
    if (d[off] <= 0).any():
        raise ArgumentError("distances between different regions must be positive")
    f = np.zeros_like(d)
    f[off] = d[off] ** (-beta)
    return f


def trade_matrix(s, u, f, *, tol: float = 1e-10, max_iter: int = 20_000) -> np.ndarray:
    """T (R, R) with T·1 = s, 1'T = u and the gravity form a_r b_t s_r u_t f_rt (RAS of the
    prior s u' ⊙ f). ``s``, ``u`` ≥ 0 with Σs = Σu; ``f`` zero on the diagonal."""
    s = np.asarray(s, float)
    u = np.asarray(u, float)
    if (s < 0).any() or (u < 0).any():
        raise ArgumentError("outflows and inflows must be non-negative")
    if s.sum() <= 0:
        return np.zeros((s.size, s.size))
    prior = s[:, None] * u[None, :] * f
    return gras(prior, s, u, tol=tol, max_iter=max_iter)


def trade_matrices(S, U, f, **kw) -> np.ndarray:
    """T (n, R, R) for n products: S, U (R, n) outflows and inflows by region and product."""
    S = np.asarray(S, float)
    U = np.asarray(U, float)
    return np.stack([trade_matrix(S[:, i], U[:, i], f, **kw) for i in range(S.shape[1])])


def reconcile(S, U, method: str = "mean", cap=None, fixed=None) -> tuple[np.ndarray, np.ndarray]:
    """Outflows S' and inflows U' (R, n) whose national totals agree product by product.

    ``method``: ``"mean"`` — both scaled to the mean of the two national totals;
    ``"outflows"`` — outflows kept, inflows scaled to them; ``"inflows"`` — inflows kept,
    outflows scaled to them. ``cap`` (R, n), optional: the most each buyer can take in (its
    uses that could be bought outside); inflows scaled up are cut there and the outflows then
    scaled to the inflows reached. A product one side of which is zero nationally gets zero
    trade on both. ``fixed`` (R, n), optional: the part of S that is not scaled (only the
    rest of each sender's outflow is; where the fixed parts alone exceed the inflows, all of S
    is scaled).
    """
    if method not in RECONCILE:
        raise ArgumentError(f"argument 'reconcile': found {method!r}, expected one of {list(RECONCILE)}")
    S = np.asarray(S, float)
    U = np.asarray(U, float)
    s, u = S.sum(axis=0), U.sum(axis=0)
    both = (s > 0) & (u > 0)
    target = {"mean": 0.5 * (s + u), "outflows": s, "inflows": u}[method]
    target = np.where(both, target, 0.0)
    Un = U * np.divide(target, u, out=np.zeros_like(u), where=u > 0)
    if cap is not None:
        Un = np.minimum(Un, np.maximum(np.asarray(cap, float), U))
    Sn = S * np.divide(Un.sum(axis=0), s, out=np.zeros_like(s), where=s > 0)
    if fixed is not None:
        F = np.minimum(np.asarray(fixed, float), S)
        rest, fx = (S - F).sum(axis=0), F.sum(axis=0)
        need = Un.sum(axis=0) - fx
        ok = (need >= 0) & (rest > 0)
        a = np.divide(need, rest, out=np.zeros_like(rest), where=ok)
        Sn = np.where(ok[None, :], F + (S - F) * a[None, :], Sn)
    return Sn, Un


def gravity_flows(O, D, f) -> np.ndarray:
    """The gravity-form flows a_r b_t O_r D_t f_rt with a = b = 1 (for tests and priors)."""
    return np.asarray(O, float)[:, None] * np.asarray(D, float)[None, :] * f
