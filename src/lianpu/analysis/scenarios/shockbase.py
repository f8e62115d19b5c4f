"""Shared pieces of the shock models: the per-sector result object, sector look-up, the
partitioned (mixed exogenous/endogenous) Leontief solve and the one finiteness rule for their
results (:func:`check_finite`)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ...core import leontief as leo
from ...core.codes import code_str
from ...core.errors import ArgumentError, TableError, message
from ...core.notes import Note
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
    else:
        out = np.array(values, dtype=float)
        if out.shape != (table.n,):
            raise ArgumentError(message(None, "wrong shape", argument=what, found=out.shape,
                                        expected=f"({table.n},) or a mapping sector → value"))
    bad = np.flatnonzero(~np.isfinite(out))
    if bad.size:
        raise ArgumentError(message(table.name, "not a finite number",
                                    row=code_str(table.index[bad[0]]), argument=what,
                                    found=repr(float(out[bad[0]])), expected="a finite number"))
    return out


#: units of the ratio columns (shares of output, percentages). Every other numeric column is a
#: level — an output, a loss, value added, final use, in the table unit — or a rate per day.
RATIO_UNITS = ("%", "share")


def is_level(unit) -> bool:
    """Whether a column in ``unit`` is a level (must be finite) rather than a ratio."""
    return not str(unit).startswith(RATIO_UNITS)


def check_finite(model: str, table: str, index, columns, *, base=None, totals=None) -> None:
    """The one finiteness rule of the shock models' results (issue 14: non-finite results
    are errors, never numbers shown to a user).

    ``columns``: name → (values with one row per sector, (n,) or (n, …), unit). A level
    (:func:`is_level`) must be finite everywhere. A ratio (unit starting with '%' or 'share')
    must be finite too, except NaN in a sector whose ``base`` (the baseline output) is 0,
    where the ratio is undefined; the models write 0 there today, so NaN is tolerated, never
    ±inf. Labels (non-float columns such as ``binding``) are not numbers and are skipped.
    ``totals``: name → number or array (sums over sectors), all finite.

    Raises :class:`ArgumentError` naming the table, the first sector, the column and the model:
    finite inputs can still overflow a float (2 × 1e308 of demand).
    """
    expected = "inputs small enough that every result fits a float (|x| < 1.8e308)"
    zero = None if base is None else np.asarray(base) == 0
    for name, (values, unit) in columns.items():
        a = np.asarray(values)
        if a.dtype.kind not in "fc":              # labels, counts: always finite
            continue
        a = a.reshape(len(index), -1)
        bad = ~np.isfinite(a)
        if zero is not None and not is_level(unit):
            bad &= ~(np.isnan(a) & zero[:, None])
        rows = np.flatnonzero(bad.any(axis=1))
        if rows.size:
            i = rows[0]
            raise ArgumentError(message(
                table, f"the {model} result is not a finite number", row=code_str(index[i]),
                column=name, expected=expected,
                found=f"{a[i][bad[i]][0]} in {rows.size} of {len(index)} sectors"))
    for name, v in (totals or {}).items():
        t = np.asarray(v, dtype=float)
        if not np.isfinite(t).all():
            raise ArgumentError(message(
                table, f"the {model} result is not a finite number", column=f"total {name}",
                found=str(t[~np.isfinite(t)][0]), expected=expected))


def checked(result: ShockResult, base) -> ShockResult:
    """``result`` after :func:`check_finite` on its columns (in their units) and totals;
    ``base``: the baseline output by sector (where a ratio may be undefined)."""
    check_finite(result.model, result.table, result.index,
                 {k: (v, result.units.get(k, "")) for k, v in result.columns.items()},
                 base=base, totals=result.totals)
    return result


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


def basis_note(bs) -> Note:
    """The note naming the view a model was solved on (``bs`` a
    :class:`~lianpu.analysis.basis.Basis`), in both languages."""
    return Note("basis: " + bs.note_en, "计算口径：" + bs.note_zh)
