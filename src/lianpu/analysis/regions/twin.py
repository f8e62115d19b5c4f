"""Two regions' chains side by side 双城/双核产业链: how much of each region's output, value
added (and jobs) the other's final demand drives, through which sectors, and how far one
region's output mix matches the input requirements of the other's track 赛道.

Definitions (docs/regions.md):

- driven_{a←b} = ŝ_a L y_b summed over a's sectors: the part of a's output (s = 1), value
  added (s = v) or jobs (s = jobs/x) that exists because of b's final demand y_b (all of
  b's final-demand categories, bought from any region). One solve per region.
- top sectors: a's producing sectors ranked by value added driven by b; top products: the
  products in b's final demand (any origin) ranked by the value added they generate in a,
  (v_a'L)_j · y_bj — one transposed solve.
- complementarity (after Michaely 1996's trade complementarity index, with the importer's
  import mix replaced by the track's input requirements and the exporter's export mix by
  the supplier's output mix): C = 100 · Σ_k min(q_k, p_k) = 100 · (1 − ½ Σ_k |q_k − p_k|),
  q_k = share of product k in the track's intermediate inputs (all origins pooled), p_k =
  share of k in the supplier's gross output. 0 = no overlap, 100 = identical mix. The
  realized flows are the supplier's actual sales of each k to the track's sectors.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ...core import leontief as leo
from ...core.errors import TableError, check_range, message
from .._result import Result, jsonable
from ..multipliers import intensity
from .spillover import (BASIS, final_demand_by_region, positions, records, require_mrio,
                        resolve_region)

JOBS = "jobs"


def track_codes(table, region: str, track_or_sectors) -> list[str]:
    """Sector codes of a track: a list of sector codes, or a track id resolved by
    :mod:`lianpu.analysis.tracks.catalogue` (imported only when a track id is given)."""
    codes = [str(c[-1]) for c in table.index[positions(table)[region]]]
    if isinstance(track_or_sectors, str) and track_or_sectors not in codes:
        try:
            tracks = importlib.import_module("lianpu.analysis.tracks.catalogue")
        except ModuleNotFoundError as exc:
            if exc.name != "lianpu.analysis.tracks.catalogue":
                raise
            raise TableError(message(table.name, "track ids need lianpu.analysis.tracks.catalogue, which "
                                     "is not available", argument="sectors",
                                     found=repr(track_or_sectors),
                                     expected=f"a list of sector codes such as {codes[:3]}")) from None
        found = [table.index[i] for i in tracks.resolve(table, track_or_sectors)]
        wanted = list(dict.fromkeys(str(c[-1]) if isinstance(c, tuple) else str(c) for c in found))
    else:
        wanted = [track_or_sectors] if isinstance(track_or_sectors, str) else \
            [str(c) for c in track_or_sectors]
    unknown = [c for c in wanted if c not in codes]
    if unknown or not wanted:
        raise TableError(message(table.name, "unknown sector code in the track", argument="sectors",
                                 found=repr(unknown[0]) if unknown else "no sectors",
                                 expected=f"codes of region {region!r}: {codes[:5]}…"))
    return wanted


@dataclass(frozen=True, eq=False)
class Complementarity(Result):
    """How far ``supplier``'s output mix matches the input requirements of ``user``'s track.

    ``index`` 0–100; ``realized_share``: the supplier's share of the track's intermediate
    inputs; ``interregional_share``: its share of the inputs the track buys outside its own
    region; ``products``: by product code — requirement, requirement_share (q),
    supply_share (p), overlap = min(q, p), realized (flow from the supplier),
    supplier_share (realized / requirement)."""

    supplier: str
    user: str
    sectors: tuple
    index: float
    realized_share: float
    interregional_share: float
    products: pd.DataFrame
    unit: str
    basis: str = BASIS

    def to_frame(self) -> pd.DataFrame:
        return self.products.copy()

    def to_dict(self) -> dict:
        return {"supplier": self.supplier, "user": self.user, "sectors": list(self.sectors),
                "index": jsonable(self.index), "realized_share": jsonable(self.realized_share),
                "interregional_share": jsonable(self.interregional_share), "unit": self.unit,
                "basis": self.basis, "products": records(self.products)}


def complementarity(table, supplier, user, sectors) -> Complementarity:
    """Complementarity of ``supplier``'s output with the inputs of ``user``'s track
    (``sectors``: sector codes or a track id), and the realized flows between them."""
    require_mrio(table)
    b, a = resolve_region(table, supplier), resolve_region(table, user)
    if a == b:
        raise TableError(message(table.name, "supplier and user must differ", argument="supplier",
                                 found=repr(b)))
    track = track_codes(table, a, sectors)
    pos = positions(table)
    lev_code = np.asarray([str(c[-1]) for c in table.index])
    cols = pos[a][np.isin(lev_code[pos[a]], track)]
    block = table.Z_[:, cols].sum(axis=1)                   # by (origin region, product)
    if table.Zm_ is not None:
        block = block + table.Zm_[:, cols].sum(axis=1)
    products = list(dict.fromkeys(lev_code))
    req = pd.Series(block).groupby(lev_code).sum().reindex(products).to_numpy()
    xb = pd.Series(table.x_[pos[b]], index=lev_code[pos[b]]).reindex(products).fillna(0).to_numpy()
    real = pd.Series(block[pos[b]], index=lev_code[pos[b]]).reindex(products).fillna(0).to_numpy()
    if req.sum() <= 0 or xb.sum() <= 0:
        raise TableError(message(table.name, "the track buys no intermediate inputs or the "
                                 "supplier has no output", argument="sectors",
                                 found=f"inputs {req.sum():.6g}, supplier output {xb.sum():.6g}",
                                 expected="> 0"))
    q, p = req / req.sum(), xb / xb.sum()
    names = table.sectors.iloc[pos[b]]
    label = dict(zip(lev_code[pos[b]], names["name_en"].str.split(": ").str[-1]))
    df = pd.DataFrame({"name": [label.get(k, k) for k in products], "requirement": req,
                       "requirement_share": q, "supply_share": p, "overlap": np.minimum(q, p),
                       "realized": real,
                       "supplier_share": np.divide(real, req, out=np.full_like(req, np.nan),
                                                   where=req > 0)},
                      index=pd.Index(products, name="product"))
    outside = float(req.sum() - block[pos[a]].sum())
    return Complementarity(b, a, tuple(track), float(100 * np.minimum(q, p).sum()),
                           float(real.sum() / req.sum()),
                           float(real.sum() / outside) if outside > 0 else float("nan"),
                           df.sort_values("requirement", ascending=False), table.unit)


@dataclass(frozen=True, eq=False)
class Twin(Result):
    """Result of :func:`twin`. ``summary``: one row per direction "a←b" (a's amounts driven
    by b's final demand) with output, value_added [, jobs] and their shares of a's totals;
    ``top_sectors`` / ``top_products``: per direction, ranked; ``complementarity``: per
    direction (supplier → user's track) when a track was given."""

    a: str
    b: str
    table: str
    unit: str
    summary: pd.DataFrame
    top_sectors: pd.DataFrame
    top_products: pd.DataFrame
    complementarity: dict = field(default_factory=dict)
    basis: str = BASIS

    def to_frame(self) -> pd.DataFrame:
        return self.summary.copy()

    def to_dict(self) -> dict:
        return {"a": self.a, "b": self.b, "table": self.table, "unit": self.unit,
                "basis": self.basis, "summary": records(self.summary),
                "top_sectors": records(self.top_sectors),
                "top_products": records(self.top_products),
                "complementarity": {k: v.to_dict() for k, v in self.complementarity.items()}}


def twin(table, a, b, *, top: int = 5, sectors=None) -> Twin:
    """Each region's output, value added (and jobs, with a ``jobs`` satellite) driven by the
    other's final demand, the top sectors and final products behind it, and — with
    ``sectors`` (codes or a track id) — the complementarity of each region's output with the
    other's track inputs."""
    require_mrio(table)
    a, b = resolve_region(table, a), resolve_region(table, b)
    if a == b:
        raise TableError(message(table.name, "the two regions must differ", argument="b", found=repr(b)))
    check_range(top, argument="top", low=1)
    pos = positions(table)
    regs, Yd = final_demand_by_region(table)
    for r in (a, b):
        if r not in regs:
            raise TableError(message(table.name, "region has no final-demand columns",
                                     argument="region", found=repr(r), expected=f"one of {regs}"))
    kinds = ["output", "value_added"] + ([JOBS] if JOBS in table.satellites else [])
    S = {k: intensity(table, k)[0] for k in kinds}
    X = leo.leontief_solve(table.factor, Yd[:, [regs.index(a), regs.index(b)]])  # (n, 2)
    names = table.label("en")
    summ, sec_rows, prod_rows = {}, [], []
    for (r, d, xd) in ((a, b, X[:, 1]), (b, a, X[:, 0])):
        p, key = pos[r], f"{r}←{d}"
        row = {}
        for k in kinds:
            eff, tot = S[k][p] * xd[p], S[k][p] * table.x_[p]
            row[k], row[f"{k}_share"] = float(eff.sum()), float(eff.sum() / tot.sum())
        summ[key] = row
        va, va_tot = S["value_added"][p] * xd[p], S["value_added"][p] * table.x_[p]
        for rank, i in enumerate(np.argsort(-va)[:top], 1):
            sec_rows.append({"direction": key, "rank": rank, "region": r,
                             "sector": table.index[p[i]][-1], "name": names.iloc[p[i]],
                             "value_added": float(va[i]), "output": float(xd[p[i]]),
                             "share_of_sector_value_added": float(va[i] / va_tot[i])
                             if va_tot[i] else float("nan")})
        sv = np.zeros(table.n)
        sv[p] = S["value_added"][p]
        contrib = leo.left_solve(table.factor, sv) * Yd[:, regs.index(d)]
        for rank, j in enumerate(np.argsort(-contrib)[:top], 1):
            prod_rows.append({"direction": key, "rank": rank, "product_region": table.index[j][0],
                              "product": table.index[j][-1], "name": names.iloc[j],
                              "value_added": float(contrib[j]),
                              "share": float(contrib[j] / row["value_added"])
                              if row["value_added"] else float("nan")})
    comp = {}
    if sectors is not None:
        comp = {f"{b}→{a}": complementarity(table, b, a, sectors),
                f"{a}→{b}": complementarity(table, a, b, sectors)}
    summary = pd.DataFrame.from_dict(summ, orient="index")
    summary.index.name = "direction"
    return Twin(a, b, table.name, table.unit, summary, pd.DataFrame(sec_rows),
                pd.DataFrame(prod_rows), comp)

