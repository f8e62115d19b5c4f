"""Shared pieces of the shock models: the per-sector result object, sector look-up and the
partitioned (mixed exogenous/endogenous) Leontief solve."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ...core import leontief as leo
from ...core.errors import ArgumentError, TableError, message
from .._result import Result, frame_records, jsonable, readonly
from .demand import SectorLookup


@dataclass(frozen=True, eq=False)
class ShockResult(Result):
    """Per-sector results of a supply or disruption model: ``columns`` name → (n,) array in
    ``units[name]``; ``totals`` name → number; ``params`` the inputs; ``notes`` assumptions;
    ``basis`` the view solved on (:meth:`lianpu.analysis.basis.Basis.to_dict`).

    The labels and column arrays are read-only copies (changing them cannot change the table).
    """

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
    basis: Mapping = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "labels", readonly(self.labels))
        cols = {}
        for k, v in self.columns.items():
            a = np.array(v)                  # a copy
            a.setflags(write=False)
            cols[k] = a
        object.__setattr__(self, "columns", cols)

    def to_frame(self) -> pd.DataFrame:
        """One row per sector: name_zh, name_en and the model's columns."""
        df = self.labels.copy()
        for k, v in self.columns.items():
            df[k] = np.array(v)              # the frame is the caller's: a writable copy
        df.attrs.update(model=self.model, table=self.table, units=dict(self.units),
                        notes=list(self.notes))
        return df

    def top(self, column: str, n: int = 10) -> pd.DataFrame:
        """The n sectors with the largest ``column``."""
        return self.to_frame().sort_values(column, ascending=False).head(n)

    def to_dict(self) -> dict:
        return {"model": self.model, "table": self.table, "year": self.year, "unit": self.unit,
                "units": dict(self.units), "params": jsonable(dict(self.params)),
                "totals": {k: float(v) for k, v in self.totals.items()},
                "sectors": frame_records(self.to_frame()), "notes": list(self.notes),
                "basis": dict(self.basis) or None}


def by_sector(table, values, what: str) -> np.ndarray:
    """(n,) vector from an array, a Series/dict keyed by sector code ('1' = '01', zh/en
    names and REGION/SECTOR work, see :class:`~lianpu.analysis.scenarios.demand.SectorLookup`)."""
    if isinstance(values, (dict, pd.Series)):
        look = SectorLookup(table)
        out = np.zeros(table.n)
        for key, v in dict(values).items():
            i = look.find(key)
            if i is None:
                raise TableError(message(table.name, f"unknown sector {key!r}", argument=what,
                                         expected=look.expected()))
            out[i] += float(v)
        return out
    arr = np.asarray(values, dtype=float)
    if arr.shape != (table.n,):
        raise ArgumentError(message(None, "wrong shape", argument=what, found=arr.shape,
                                    expected=f"({table.n},) or a mapping sector → value"))
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
