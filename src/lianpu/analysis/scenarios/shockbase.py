"""Shared pieces of the shock models: the per-sector result object, sector look-up and the
partitioned (mixed exogenous/endogenous) Leontief solve."""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ...core import leontief as leo
from ...core.errors import TableError, message
from .demand import SectorLookup


@dataclass(frozen=True, eq=False)
class ShockResult:
    """Per-sector results of a supply or disruption model: ``columns`` name → (n,) array in
    ``units[name]``; ``totals`` name → number; ``params`` the inputs; ``notes`` assumptions."""

    model: str
    index: pd.Index
    labels: pd.DataFrame
    columns: Mapping[str, np.ndarray]
    units: Mapping[str, str]
    totals: Mapping[str, float] = field(default_factory=dict)
    table: str = ""
    year: int | None = None
    unit: str = ""
    notes: tuple = ()
    params: Mapping = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """One row per sector: name_zh, name_en and the model's columns."""
        df = self.labels.copy()
        for k, v in self.columns.items():
            df[k] = v
        df.attrs.update(model=self.model, table=self.table, units=dict(self.units),
                        notes=list(self.notes))
        return df

    def top(self, column: str, n: int = 10) -> pd.DataFrame:
        """The n sectors with the largest ``column``."""
        return self.to_frame().sort_values(column, ascending=False).head(n)

    def to_dict(self) -> dict:
        rows = []
        for code, r in self.to_frame().iterrows():
            d = {"sector": "/".join(map(str, code)) if isinstance(code, tuple) else str(code)}
            d.update({k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()})
            rows.append(d)
        return {"model": self.model, "table": self.table, "year": self.year, "unit": self.unit,
                "units": dict(self.units), "params": _jsonable(dict(self.params)),
                "totals": {k: float(v) for k, v in self.totals.items()},
                "sectors": rows, "notes": list(self.notes)}

    def to_json(self, **kw) -> str:
        kw.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dict(), **kw)


def _jsonable(d):
    if isinstance(d, dict):
        return {str(k): _jsonable(v) for k, v in d.items()}
    if isinstance(d, (list, tuple)):
        return [_jsonable(v) for v in d]
    return d.item() if hasattr(d, "item") else d


def by_sector(table, values, what: str) -> np.ndarray:
    """(n,) vector from an array, a Series/dict keyed by sector code ('1' = '01', zh/en
    names and REGION/SECTOR work, see :class:`~lianpu.analysis.scenarios.demand.SectorLookup`)."""
    if isinstance(values, (dict, pd.Series)):
        look = SectorLookup(table)
        out = np.zeros(table.n)
        for key, v in dict(values).items():
            i = look(key[-1], key[0]) if isinstance(key, tuple) else look(key)
            if i is None:
                raise TableError(message(table.name, f"unknown sector {key!r}", argument=what,
                                         expected=look.expected()))
            out[i] += float(v)
        return out
    arr = np.asarray(values, dtype=float)
    if arr.shape != (table.n,):
        raise ValueError(f"argument {what!r}: found shape {arr.shape}, expected ({table.n},) "
                         "or a mapping sector → value")
    return arr.copy()


def mixed_solve(A, fixed, x_fixed, f_free):
    """Partitioned Leontief system with the outputs of rows ``fixed`` (J) given.

    x_r = (I − A_rr)⁻¹ (f_r + A_rJ x_J) — one LU of I − A_rr, no inverse — and the final
    demand consistent with the fixed outputs, f_J = (I − A_JJ) x_J − A_Jr x_r (Miller & Blair
    2009, ch. 13). ``x_fixed`` (|J|,) or (|J|, k); ``f_free`` (n − |J|,) or (n − |J|, k).
    Returns (x, f_J) with x of shape (n,) or (n, k).
    """
    A = np.asarray(A, dtype=float)
    n = A.shape[0]
    J = np.asarray(sorted(fixed), dtype=int)
    r = np.setdiff1d(np.arange(n), J)
    xJ = np.asarray(x_fixed, dtype=float)
    fr = np.asarray(f_free, dtype=float)
    x = np.zeros((n,) + fr.shape[1:] if fr.ndim > 1 else n)
    x[J] = xJ
    if r.size:
        rhs = fr + A[np.ix_(r, J)] @ xJ if J.size else fr
        fac = leo.leontief_factor(A[np.ix_(r, r)])
        x[r] = fac.solve(rhs)
    fJ = xJ - A[J] @ x
    return x, fJ


def labels(table):
    return table.sectors[["name_zh", "name_en"]]
