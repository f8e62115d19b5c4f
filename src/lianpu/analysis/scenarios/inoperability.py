"""Inoperability input-output model 不可运行性投入产出模型 (IIM) and its dynamic form (DIIM).

Inoperability q_i ∈ [0, 1] is the share of sector i's as-planned output that is lost.

Static (Haimes & Jiang 2001, J. Infrastruct. Syst. 7(1); demand-reduction form, Santos & Haimes
2004, Risk Anal. 24(6))::

    q = A* q + c*   ⇒   q = (I − A*)⁻¹ c*,   A* = x̂⁻¹ A x̂,   c* = x̂⁻¹ Δf

c* is the lost final demand normalised by as-planned output. A* = x̂⁻¹ A x̂ equals the
allocation matrix B = x̂⁻¹ Z, so (I − A*)⁻¹ = G = x̂⁻¹ L x̂ and q = x̂⁻¹ L Δf: the normalised
Leontief solution. It is computed with the table's Leontief LU (``table.factor_ghosh``), no
inverse. Economic loss x̂ q = L Δf (table unit, per year of the table).

Dynamic (Lian & Haimes 2006, Syst. Eng. 9(3); Haimes et al. 2005, J. Infrastruct. Syst. 11(2))::

    q(t+1) = q(t) + K [A* q(t) + c*(t) − q(t)]

with diagonal resilience coefficients K. A sector that would recover on its own from q_i(0) to
q_i(T_i) in T_i days has k_i = ln(q_i(0)/q_i(T_i)) / (T_i (1 − a*_ii)) (:func:`resilience`,
target q(T)/q(0) = 1 % by default; the formula is the continuous-time solution, so with a step
of one day recovery is slightly faster — ``steps_per_day`` refines the step). Daily output is
x/365 (an annual table); the loss of sector i over the horizon is Σ_t (x_i/365) q_i(t) Δt.

The IIM is demand-driven: a sector's inoperability spreads back to its suppliers.
:func:`compare_supply` puts it beside the supply-side reading of the same shock, the
maximum feasible production of :func:`lianpu.shock.capacity_cut` (a capacity loss spreads
forward to the buyers that lack the product).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ...core import coefficients as coef
from ...core.errors import ArgumentError, TableError, check_range, message
from ...core.notes import Note
from .._result import Result, frame_records, readonly
from .shockbase import ShockResult, basis_note, by_sector, check_finite, checked
from .shockbase import labels as _labels

DAYS_PER_YEAR = 365


def _c_star(table, demand_loss, c_star):
    if (demand_loss is None) == (c_star is None):
        raise ArgumentError("give exactly one of 'demand_loss' (table unit) and 'c_star' (share "
                            "of output), found " + ("both" if c_star is not None else "neither"))
    if c_star is not None:
        return by_sector(table, c_star, "c_star")
    df = by_sector(table, demand_loss, "demand_loss")
    bad = np.flatnonzero((table.x_ <= 0) & (df != 0))
    if bad.size:
        raise TableError(message(table.name, "demand loss in a sector with no output",
                                 row=table.index[bad[0]], argument="demand_loss",
                                 expected="0 where x = 0"))
    return df * coef.safe_reciprocal(table.x_)


def inoperability(table, demand_loss=None, *, c_star=None, basis: str = "auto") -> ShockResult:
    """Static IIM: q = (I − A*)⁻¹ c* by sector.

    ``demand_loss``: lost final demand Δf (table unit), (n,) or mapping sector → amount; or
    ``c_star``: the normalised perturbation Δf / x directly. Columns: ``c_star``,
    ``inoperability`` (share), ``economic_loss`` = x q (table unit). ``basis``:
    :func:`lianpu.analysis.basis.resolve_basis` (default: the domestic view)."""
    from ..basis import resolve_basis
    table, bs = resolve_basis(table, basis)
    c = _c_star(table, demand_loss, c_star)
    q = table.factor_ghosh.solve(c)
    loss = table.x_ * q
    cols = {"c_star": c, "inoperability": q, "economic_loss": loss}
    units = {"c_star": "share of output", "inoperability": "share of output",
             "economic_loss": table.unit}
    return checked(ShockResult(
        "inoperability", table.index, _labels(table), cols, units,
        totals={"economic_loss": float(loss.sum())}, table=table.name, year=table.year,
        unit=table.unit,
        notes=(Note("static IIM q = (I − A*)⁻¹ c*, A* = x̂⁻¹ A x̂ (Santos & Haimes 2004)",
                    "静态不可运行性投入产出模型（IIM）q = (I − A*)⁻¹ c*，A* = x̂⁻¹ A x̂"
                    "（Santos & Haimes 2004）"),
               basis_note(bs)), basis=bs.to_dict()), table.x_)


def compare_supply(table, capacity, *, critical: float = 0.0, basis: str = "auto") -> ShockResult:
    """The same shock read on the demand side (IIM) and on the supply side (disruption LP).

    ``capacity``: sector → share q of its output lost. Columns: ``demand_inoperability`` —
    the static IIM with c* = q, (I − A*)⁻¹ c*, which spreads the loss *backward* to suppliers
    (the shock read as lost final demand); ``supply_inoperability`` — 1 − x/x⁰ from
    :func:`lianpu.shock.capacity_cut` (maximum feasible production with fixed proportions in
    inputs ≥ ``critical``), which spreads it *forward* to buyers that lack the product (and to
    their suppliers through lower demand); ``binding`` — what limits each sector in the LP.
    Economic losses x q in the table unit for both.
    """
    from ..basis import resolve_basis
    from .disruption import capacity_cut
    table, bs = resolve_basis(table, basis)  # both sides on the same view
    c = by_sector(table, capacity, "capacity")
    if ((c < 0) | (c > 1)).any():
        raise ArgumentError(message(None, "not a share", argument="capacity",
                                    found=f"{c.min():g}…{c.max():g}",
                                    expected="shares in [0, 1]"))
    q_d = table.factor_ghosh.solve(c)
    hit = {code: float(v) for code, v in zip(table.index, c) if v > 0}
    r = capacity_cut(table, hit, critical=critical)
    q_s = r.columns["output_loss"] * coef.safe_reciprocal(table.x_)
    cols = {"shock": c, "demand_inoperability": q_d, "supply_inoperability": q_s,
            "demand_loss": table.x_ * q_d, "supply_loss": r.columns["output_loss"],
            "binding": r.columns["binding"]}
    units = {"shock": "share of output", "demand_inoperability": "share of output",
             "supply_inoperability": "share of output", "demand_loss": table.unit,
             "supply_loss": table.unit, "binding": ""}
    return checked(ShockResult(
        "inoperability_compare", table.index, _labels(table), cols, units,
        totals={"demand_loss": float((table.x_ * q_d).sum()),
                "supply_loss": float(r.columns["output_loss"].sum())},
        table=table.name, year=table.year, unit=table.unit,
        notes=(Note("demand side: static IIM (Santos & Haimes 2004), the shock as lost final "
                    "demand; supply side: maximum feasible production after the capacity loss "
                    "(lianpu.shock.capacity_cut)",
                    "需求侧：静态不可运行性模型（IIM，Santos & Haimes 2004），冲击视为最终需求损失；"
                    "供给侧：产能损失后的最大可行产出（lianpu.shock.capacity_cut）"),)
        + tuple(r.notes),
        params={"capacity": hit, "critical": critical}, basis=bs.to_dict()), table.x_)


def resilience(table, recovery_days, target: float = 0.01) -> np.ndarray:
    """k_i = ln(1 / target) / (T_i (1 − a*_ii)) for recovery times T_i (days; scalar or (n,))."""
    T = np.broadcast_to(np.asarray(recovery_days, dtype=float), (table.n,))
    if not (T > 0).all():
        raise ArgumentError(f"argument 'recovery_days': found {T.min():g}, expected > 0 days")
    target = check_range(target, argument="target", low=0, high=1, low_open=True,
                         high_open=True)
    return np.log(1.0 / target) / (T * (1.0 - np.diag(table.A_)))


@dataclass(frozen=True, eq=False)
class RecoveryResult(Result):
    """Inoperability paths q(t) (days + 1, n), daily, from day 0 (read-only copies)."""

    index: pd.Index
    labels: pd.DataFrame
    path: np.ndarray
    x: np.ndarray
    K: np.ndarray
    table: str = ""
    year: int | None = None
    unit: str = ""
    notes: tuple = ()
    params: dict = field(default_factory=dict)
    basis: dict = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "labels", readonly(self.labels))
        for name in ("path", "x", "K"):
            a = np.array(getattr(self, name), dtype=float)
            a.setflags(write=False)
            object.__setattr__(self, name, a)

    @property
    def days(self) -> int:
        return self.path.shape[0] - 1

    def loss(self) -> np.ndarray:
        """Output lost by sector over the horizon, Σ_t (x/365) q(t) (left sum, daily steps)."""
        return self.x / DAYS_PER_YEAR * self.path[:-1].sum(axis=0)

    def path_frame(self) -> pd.DataFrame:
        """Days × sectors inoperability."""
        return pd.DataFrame(self.path, index=pd.RangeIndex(self.days + 1, name="day"),
                            columns=self.index)

    def to_frame(self) -> pd.DataFrame:
        """Per sector: initial, peak, day of peak, final inoperability and the output loss."""
        df = self.labels.copy()
        df["initial"] = self.path[0]
        df["peak"] = self.path.max(axis=0)
        df["peak_day"] = self.path.argmax(axis=0)
        df["final"] = self.path[-1]
        df["loss"] = self.loss()
        df["resilience_k"] = self.K
        df.attrs.update(unit=self.unit, table=self.table, notes=list(self.notes))
        return df

    def to_dict(self) -> dict:
        return {"model": "dynamic_inoperability", "table": self.table, "year": self.year,
                "unit": self.unit, "days": self.days, "params": dict(self.params),
                "total_loss": float(self.loss().sum()), "sectors": frame_records(self.to_frame()),
                "notes": list(self.notes), "basis": dict(self.basis) or None}


def recovery(table, q0=None, *, c_star=None, days: int = 90, recovery_days=None, K=None,
             target: float = 0.01, steps_per_day: int = 1, basis: str = "auto") -> RecoveryResult:
    """Dynamic IIM paths: q(t+Δt) = q(t) + Δt K [A* q(t) + c* − q(t)].

    Parameters
    ----------
    q0 : initial inoperability (shares), (n,) or mapping sector → share (default 0)
    c_star : constant normalised demand perturbation (n,)/mapping, or a callable day → (n,)
    days : horizon in days
    recovery_days : T_i for :func:`resilience` (default: ``days``); or give ``K`` directly
    steps_per_day : Euler steps per day (1 = the published daily recursion)
    basis : :func:`lianpu.analysis.basis.resolve_basis` (default: the domestic view)
    """
    from ..basis import resolve_basis
    table, bs = resolve_basis(table, basis)
    n = table.n
    q = np.zeros(n) if q0 is None else by_sector(table, q0, "q0")
    if ((q < 0) | (q > 1)).any():
        raise ArgumentError("argument 'q0': inoperability is a share of output, expected "
                            "0 ≤ q ≤ 1")
    if K is None:
        K = resilience(table, days if recovery_days is None else recovery_days, target)
    K = np.broadcast_to(np.asarray(K, dtype=float), (n,)).copy()
    step = K * (1.0 - np.diag(table.A_)) / steps_per_day
    if (step > 1).any():
        i = int(np.argmax(step))
        raise ArgumentError(f"sector {table.index[i]!r}: resilience step k(1 − a*_ii)Δt = "
                            f"{step[i]:.3g} overshoots (expected ≤ 1: a longer recovery time or "
                            "more steps_per_day)")
    if callable(c_star):
        cfun = lambda t: by_sector(table, c_star(t), "c_star")
    else:
        cst = np.zeros(n) if c_star is None else by_sector(table, c_star, "c_star")
        cfun = lambda t: cst
    x = table.x_
    rx = coef.safe_reciprocal(x)
    A = table.A_
    dt = 1.0 / steps_per_day
    path = np.empty((days + 1, n))
    path[0] = q
    clipped = False
    for day in range(days):
        for sub in range(steps_per_day):
            astar_q = (A @ (x * q)) * rx        # A* q = x̂⁻¹ A x̂ q without forming A*
            q = q + dt * K * (astar_q + cfun(day + sub * dt) - q)
            if not np.isfinite(q).all():  # an overflow is an error, never clipped to 1
                check_finite("dynamic_inoperability", table.name, table.index,
                             {"inoperability": (q, "share of output")})
            if (q > 1).any() or (q < 0).any():
                clipped = True
                q = np.clip(q, 0.0, 1.0)
        path[day + 1] = q
    notes = [Note("dynamic IIM (Lian & Haimes 2006), daily output = x/365",
                  "动态不可运行性模型（动态 IIM，Lian & Haimes 2006），日产出 = x/365")]
    if clipped:
        notes.append(Note("inoperability was clipped to [0, 1] on some days",
                          "部分日期的不可运行性被截断到 [0, 1]"))
    r = RecoveryResult(table.index, _labels(table), path, x, K, table=table.name,
                       year=table.year, unit=table.unit, notes=tuple(notes),
                       params={"days": days, "target": target, "steps_per_day": steps_per_day},
                       basis=bs.to_dict())
    loss = r.loss()
    check_finite("dynamic_inoperability", table.name, table.index,
                 {"inoperability": (path.T, "share of output"), "loss": (loss, table.unit),
                  "resilience_k": (K, "per day")}, base=x, totals={"total_loss": loss.sum()})
    return r
