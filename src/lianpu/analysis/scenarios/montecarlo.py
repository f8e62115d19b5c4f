"""Batch scenarios and Monte-Carlo uncertainty 批量情景与蒙特卡洛不确定性分析.

:func:`batch` runs many demand vectors on one factorization (a matrix right-hand side).

:func:`montecarlo` propagates uncertainty in the coefficients: each draw d multiplies every
entry of A, and of each satellite intensity row, by an independent log-normal factor with mean 1,

    a_ij⁽ᵈ⁾ = a_ij · exp(σ ε_ij − σ²/2),   ε_ij ~ N(0, 1),

(zero coefficients stay zero; value-added and income ratios stay fixed), factorizes its own
I − A⁽ᵈ⁾ (and the household-closed Ā⁽ᵈ⁾ for Type II) and computes the impact of the same demand.
Results: percentile bands for every value of :meth:`ImpactResult.to_frame` and for the totals
(percentiles of the per-draw totals, not sums of sector percentiles).

Reproducible: draw i uses the generator seeded by ``SeedSequence(seed, spawn_key=(i,))`` — the
i-th child of ``SeedSequence(seed).spawn`` — so the numbers do not depend on how draws are
chunked or where they run. Runs on Dask: ``scheduler=None`` (local threads; LAPACK releases the
GIL), ``"processes"``, ``"synchronous"``, ``"serial"`` (plain loop, no Dask), or the address of
an existing ``dask.distributed`` scheduler (``"tcp://host:8786"``) or a ``Client``.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ...core import leontief as leo
from ...core.errors import ArgumentError, check_range
from ...core.notes import Note, notes_zh
from .._result import Result
from .demand import Demand, as_demand
from .impact import ImpactResult, impact
from .shockbase import check_finite
from ..multipliers import household_closure


@dataclass(frozen=True, eq=False)
class DrawSpec:
    """Everything a worker needs, as plain arrays (no table: cheap to ship to a cluster)."""

    A: np.ndarray
    f: np.ndarray                 # (n, k) local demand
    sat: np.ndarray               # (m, n) satellite intensities to perturb
    sigma: float
    sigma_sat: float
    seed: int
    hr: np.ndarray | None = None  # Type II closure (None: Type I only)
    hc: np.ndarray | None = None
    nonzero: tuple | None = None  # (rows, cols) of A's non-zeros, row-major order


def draw(spec: DrawSpec, i: int):
    """Draw i: (Type I output (n, k), Type II output (n, k) or None, satellites (m, n))."""
    rng = np.random.default_rng(np.random.SeedSequence(spec.seed, spawn_key=(i,)))
    s = spec.sigma
    rows, cols = spec.nonzero if spec.nonzero is not None else np.nonzero(spec.A)
    Ad = np.array(spec.A, order="F")
    Ad[rows, cols] *= np.exp(s * rng.standard_normal(rows.size) - 0.5 * s * s)  # zeros stay 0
    sat = spec.sat * np.exp(spec.sigma_sat * rng.standard_normal(spec.sat.shape)
                            - 0.5 * spec.sigma_sat ** 2)
    n = spec.A.shape[0]
    x1 = leo.leontief_factor(Ad, table=f"Monte-Carlo draw {i}").solve(spec.f)
    x2 = None
    if spec.hr is not None:
        fac2 = leo.leontief_factor(leo.close_households(Ad, spec.hr, spec.hc),
                                   table=f"Monte-Carlo draw {i} (Type II)")
        x2 = fac2.solve(np.vstack([spec.f, np.zeros((1, spec.f.shape[1]))]))[:n]
    return x1, x2, sat


def run_chunk(spec: DrawSpec, start: int, stop: int):
    """Draws start … stop − 1 stacked: (x1 (m, n, k), x2 or None, sat (m, s, n))."""
    out = [draw(spec, i) for i in range(start, stop)]
    x2 = None if out[0][1] is None else np.stack([o[1] for o in out])
    return np.stack([o[0] for o in out]), x2, np.stack([o[2] for o in out])


def _bounds(draws: int, chunks: int):
    edges = np.linspace(0, draws, min(chunks, draws) + 1).round().astype(int)
    return [(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:]) if b > a]


def _run(spec, bounds, scheduler, progress):
    if scheduler == "serial":
        return _run_serial(spec, bounds, progress)
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - dask[distributed] is a dependency
        Client = ()
    if isinstance(scheduler, Client) or (isinstance(scheduler, str) and "://" in scheduler):
        return _run_distributed(spec, bounds, scheduler, progress)
    import dask
    name = scheduler or "threads"
    if name not in ("threads", "processes", "synchronous", "sync", "single-threaded"):
        raise ArgumentError(f"argument 'scheduler': found {scheduler!r}, expected None, 'serial', "
                         "'threads', 'processes', 'synchronous' or a dask.distributed address "
                         "such as 'tcp://127.0.0.1:8786'")
    sp = dask.delayed(spec, traverse=False)
    tasks = [dask.delayed(run_chunk, pure=True)(sp, a, b) for a, b in bounds]
    if progress:
        from dask.diagnostics import ProgressBar
        with ProgressBar(out=sys.stderr):
            return list(dask.compute(*tasks, scheduler=name))
    return list(dask.compute(*tasks, scheduler=name))


def _rich_progress(total, label):
    from rich.console import Console
    from rich.progress import Progress
    return Progress(console=Console(stderr=True), transient=True), label, total


def _run_serial(spec, bounds, progress):
    if not progress:
        return [run_chunk(spec, a, b) for a, b in bounds]
    bar, label, total = _rich_progress(bounds[-1][1], "Monte-Carlo draws")
    out = []
    with bar:
        task = bar.add_task(label, total=total)
        for a, b in bounds:
            out.append(run_chunk(spec, a, b))
            bar.advance(task, b - a)
    return out


def _run_distributed(spec, bounds, scheduler, progress):
    from distributed import Client
    own = not isinstance(scheduler, Client)
    client = Client(scheduler, set_as_default=False) if own else scheduler
    try:
        sp = client.scatter(spec, broadcast=True)
        futs = [client.submit(run_chunk, sp, a, b, pure=False) for a, b in bounds]
        if progress:
            bar, label, total = _rich_progress(bounds[-1][1], "Monte-Carlo draws (dask.distributed)")
            pending = dict(zip(futs, (b - a for a, b in bounds)))
            with bar:  # polled: as_completed would need a default client
                task = bar.add_task(label, total=total)
                while pending:
                    done = [f for f in pending if f.done()]
                    bar.advance(task, sum(pending.pop(f) for f in done))
                    if any(f.status == "error" for f in done):
                        break
                    time.sleep(0.05)
        return client.gather(futs)
    finally:
        if own:
            client.close()


@dataclass(frozen=True, eq=False)
class MonteCarloResult(Result):
    """The point estimate (:class:`ImpactResult`) and percentile bands.

    ``bands`` (P, I, E, n, k) in the order of ``point.indicators`` × ``point.effects``;
    ``totals_draws`` (draws, I, E, k) sums over sectors per draw."""

    point: ImpactResult
    percentiles: tuple
    bands: np.ndarray
    totals_draws: np.ndarray
    draws: int
    sigma: float
    sigma_satellites: float
    seed: int
    notes: tuple = field(default_factory=tuple)

    @property
    def unit(self) -> str:
        return self.point.unit

    @property
    def basis(self):
        return self.point.basis

    def _pcols(self):
        return [f"p{p:g}" for p in self.percentiles]

    def to_frame(self) -> pd.DataFrame:
        """:meth:`ImpactResult.to_frame` with one column per percentile."""
        df = self.point.to_frame()
        for name, b in zip(self._pcols(), self.bands):
            df[name] = b.ravel()
        return df

    def totals(self) -> pd.DataFrame:
        """Per (indicator, effect, scenario): point value, percentiles of the draws' totals."""
        pt, q = self.point, np.percentile(self.totals_draws, self.percentiles, axis=0)
        rows, idx = [], []
        for a, ind in enumerate(pt.indicators):
            s = pt.intensities[ind]
            for b, eff in enumerate(pt.effects):
                val = s @ pt.output(eff)
                for j, sc in enumerate(pt.scenarios):
                    idx.append((ind, eff, sc))
                    rows.append([val[j]] + list(q[:, a, b, j]) + [pt.units[ind]])
        return pd.DataFrame(rows, columns=["value"] + self._pcols() + ["unit"],
                            index=pd.MultiIndex.from_tuples(idx, names=["indicator", "effect",
                                                                        "scenario"]))

    def to_dict(self) -> dict:
        tot = self.totals().reset_index()
        return {"table": self.point.table, "type": self.point.type, "draws": self.draws,
                "sigma": self.sigma, "sigma_satellites": self.sigma_satellites, "seed": self.seed,
                "percentiles": list(self.percentiles), "unit": self.point.unit,
                "totals": tot.to_dict(orient="records"),
                "by_sector": self.to_frame().to_dict(orient="records"),
                "notes": list(self.notes) + list(self.point.notes),
                # the point estimate carries its Chinese notes beside its notes
                "notes_zh": list(notes_zh(self.notes))
                + list(getattr(self.point, "notes_zh", ()) or notes_zh(self.point.notes)),
                "basis": dict(self.point.basis)}


def montecarlo(table, demand, draws: int = 1000, *, sigma: float = 0.1,
               sigma_satellites: float = 0.1, type: str = "I", seed: int = 0, scheduler=None,
               chunks: int | None = None, percentiles=(5, 50, 95), progress: bool = False,
               local_share=None, households=None, basis: str = "auto") -> MonteCarloResult:
    """Percentile bands of :func:`lianpu.impact` under log-normal perturbation of A and of the
    satellite intensities (module docstring). ``chunks``: number of tasks (default 4 per core,
    at most ``draws``); results do not depend on it. ``basis``: as for :func:`lianpu.impact`
    (the point estimate and every draw use the same view)."""
    from ..basis import resolve_basis
    table, _ = resolve_basis(table, basis)
    if draws < 1:
        raise ArgumentError(f"argument 'draws': found {draws}, expected ≥ 1")
    check_range(sigma, argument="sigma", low=0)
    check_range(sigma_satellites, argument="sigma_satellites", low=0)
    d: Demand = as_demand(table, demand, local_share=local_share)
    point = impact(table, d, type, households=households)
    hr = hc = None
    if type == "II":
        hr, hc = household_closure(table, households)
    sats = [k for k in point.indicators if k in table.satellites]
    sat = np.array([point.intensities[k] for k in sats]).reshape(len(sats), table.n)
    A = np.asarray(table.A_)
    spec = DrawSpec(A, d.local, sat, float(sigma), float(sigma_satellites), int(seed), hr, hc,
                    np.nonzero(A))
    if chunks is None:
        import os
        chunks = 4 * (os.cpu_count() or 1)
    parts = _run(spec, _bounds(draws, chunks), scheduler, progress)
    x1 = np.concatenate([p[0] for p in parts])
    x2 = None if type == "I" else np.concatenate([p[1] for p in parts])
    satd = np.concatenate([p[2] for p in parts])
    f = d.local
    outs = {"direct": np.broadcast_to(f, x1.shape), "indirect": x1 - f[None],
            "total": x1 if x2 is None else x2}
    if x2 is not None:
        outs["induced"] = x2 - x1
    vals = np.empty((draws, len(point.indicators), len(point.effects)) + f.shape)
    per_sector, totals = {}, {}
    for a, ind in enumerate(point.indicators):
        s = satd[:, sats.index(ind)] if ind in sats else np.broadcast_to(
            point.intensities[ind], (draws, table.n))
        for b, eff in enumerate(point.effects):
            vals[:, a, b] = s[:, :, None] * outs[eff]
            per_sector[f"{ind} {eff}"] = (np.moveaxis(vals[:, a, b], 1, 0), point.units[ind])
            totals[f"{ind} {eff}"] = vals[:, a, b].sum(axis=1)
    check_finite("montecarlo", table.name, table.index, per_sector, totals=totals)  # every draw
    bands = np.percentile(vals, percentiles, axis=0)
    notes = (Note(f"Monte Carlo: {draws} draws, A and satellite intensities × log-normal "
                  f"factors (σ = {sigma:g}, {sigma_satellites:g}; mean 1), seed {seed}",
                  f"蒙特卡洛模拟：{draws} 次抽样，直接消耗系数 A 与卫星账户强度乘以对数正态因子"
                  f"（σ = {sigma:g}, {sigma_satellites:g}；均值 1），随机种子 {seed}"),)
    return MonteCarloResult(point, tuple(percentiles), bands, vals.sum(axis=3), draws,
                            float(sigma), float(sigma_satellites), int(seed), notes)


def batch(table, scenarios, type: str = "I", **kw) -> ImpactResult:
    """Many demand scenarios on one factorization: ``scenarios`` is a DataFrame (sectors ×
    scenarios), an (n, k) array, or a mapping name → demand vector / Series / file."""
    if isinstance(scenarios, dict):
        parts = [as_demand(table, v) for v in scenarios.values()]
        amount = np.hstack([p.amount for p in parts])
        local = np.hstack([p.local for p in parts])
        names = tuple(str(k) if p.amount.shape[1] == 1 else f"{k}/{s}"
                      for k, p in zip(scenarios, parts) for s in p.scenarios)
        scenarios = Demand(amount, local, names, source="batch")
    return impact(table, scenarios, type, **kw)
