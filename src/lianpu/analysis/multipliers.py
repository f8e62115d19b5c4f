"""Multipliers 乘数 (Miller & Blair 2009, ch. 2.5 and 6).

For an intensity row s (effect per unit of gross output: 1 for output, v = VA/x for value
added, w = compensation/x for income, F/x for a satellite):

- ``form="final_demand"``: total (direct + indirect [+ induced]) effect per unit of final
  demand for sector j, m_j = (s' L)_j — obtained by one transposed solve Lᵀ m = s;
- ``form="direct_effect"``: m_j / s_j, the Type I/II multiplier in the ONS / RIMS II sense
  (total effect per unit of the sector's own direct effect); NaN where s_j = 0.

``type="II"`` closes the model with respect to households (M&B §2.5.1): labour income
(``compensation_row``) becomes a row and household consumption a column of the augmented
Ā (the table's household columns, or for a table with only total consumption TC the household
split of :mod:`lianpu.analysis.households`; ``attrs["closure"]`` says which); the multiplier is the first n entries of s̄'L̄ with s̄ = [s, 0]
("truncated" Type II, households' own output excluded). Household consumption in a
competitive table includes imported goods, which overstates induced effects; prefer the
domestic view (``table.domestic()``) or a non-competitive table when that matters.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..core import leontief as leo
from ..core.errors import check_choice
from ._common import KINDS, cached, intensity  # noqa: F401  (intensity: imported from here too)
from ._result import ResultFrame, ResultSeries, as_frame, as_series
from .households import closure

NAMES = {
    "output": ("产出乘数", "output multiplier"),
    "value_added": ("增加值乘数", "value-added multiplier"),
    "income": ("收入乘数", "income multiplier"),
}


def household_closure(table, households=None, data_dir=None):
    """(hr, hc): labour income per unit output (n,) and household consumption per unit of
    total labour income (n,) for the Type II closure.

    ``households=None``: the table's own household columns (roles household/npish, e.g. NBS
    FU101 + FU102), else — for a table that publishes only total consumption (NBS 42-sector
    2017/2018/2020: TC) — the household split estimated from the same year's detailed table
    (read from the cache ``data_dir``); final-use codes (``("TC",)``) close those columns as
    chosen. See :func:`lianpu.analysis.households.closure`, which also gives the text saying
    which closure was used."""
    c = closure(table, households, data_dir)
    return c.hr, c.hc


def _type2_factor(table, households, data_dir=None):
    c = closure(table, households, data_dir)

    def build():
        Abar = leo.close_households(table.A_, c.hr, c.hc)
        labels = list(table.label("en")) + ["households"]
        return leo.leontief_factor(Abar, labels=labels, table=table.name)
    return cached(table, ("_type2",) + c.key, build)


def multipliers(table, kind: str = "output", type: str = "I", form: str = "final_demand",
                households=None, basis: str = "auto", data_dir=None) -> ResultSeries:
    """Multipliers by sector (index: sector code, or (region, sector)).

    Parameters
    ----------
    table : IOTable
    kind : "output" | "value_added" | "income" | a satellite name
    type : "I" (households exogenous) or "II" (households endogenous)
    form : "final_demand" (effect per unit of final demand) or "direct_effect"
        (total effect ÷ direct effect)
    households : final-demand columns to close for Type II (default: the table's household
        columns, e.g. NBS FU101 + FU102, else the household split of total consumption TC
        estimated from the same year's detailed table; ``("TC",)`` closes TC as chosen, with
        a warning in ``attrs["closure"]``); see :func:`household_closure`
    data_dir : dataset cache holding that detailed table (default: ``$LIANPU_DATA`` or the
        user data dir)
    basis : "auto" (default: the domestic view wherever imports can be separated, the local
        view of a provincial table), "published", "domestic" or "local" — see
        :func:`lianpu.analysis.basis.resolve_basis`

    Returns
    -------
    :class:`~lianpu.analysis._result.ResultSeries` (a pandas Series in every respect) with
    ``attrs``: unit, kind, type, form, table, name_zh, name_en, basis (name), basis_info
    (the :class:`~lianpu.analysis.basis.Basis`), basis_note (English), basis_note_zh;
    ``to_json()`` writes unit, basis and the values by sector code.

    Examples
    --------
    >>> import lianpu, numpy as np
    >>> t = lianpu.IOTable.from_arrays([[150, 500], [200, 100]], [350, 1700])
    >>> lianpu.multipliers(t, "output").round(5).tolist()
    [1.51815, 1.45215]
    """
    from .basis import resolve_basis
    check_choice(type, ("I", "II"), argument="type")
    check_choice(form, ("final_demand", "direct_effect"), argument="form")
    table, bs = resolve_basis(table, basis, sparse_ok=True)  # factor and A_ only: sparse Z kept
    s, unit = intensity(table, kind)
    if type == "I":
        m = leo.left_solve(table.factor, s)
    else:
        m = leo.left_solve(_type2_factor(table, households, data_dir),
                           np.append(s, 0.0))[: table.n]
    if form == "direct_effect":
        m = np.divide(m, s, out=np.full_like(m, np.nan), where=s != 0)
        unit_txt = "ratio of total to direct effect"
    elif kind == "output":
        unit_txt = f"{table.unit} of output per {table.unit} of final demand"
    else:
        unit_txt = f"{unit} per {table.unit} of final demand"
    zh, en = NAMES.get(kind, (f"{kind}乘数", f"{kind} multiplier"))
    out = pd.Series(m, index=table.index, name=f"{kind}_multiplier_type{type}")
    out.attrs.update(unit=unit_txt, kind=kind, type=type, form=form, table=table.name,
                     basis=bs.name, basis_info=bs, basis_note=bs.note_en,
                     basis_note_zh=bs.note_zh,
                     name_zh=f"{zh}（{'I' if type == 'I' else 'II'}型）",
                     name_en=f"Type {type} {en}")
    if type == "II":  # which households were closed, in words (cached with the factor)
        out.attrs["closure"] = closure(table, households, data_dir).to_dict()
    return as_series(out)


def _inverse_frame(table, M, what: str) -> ResultFrame:
    from .basis import given_basis
    bs = given_basis(table)
    df = pd.DataFrame(M, index=table.index, columns=table.index)
    df.attrs.update(unit=f"{table.unit}/{table.unit}" if table.unit else "ratio",
                    table=table.name, matrix=what, basis=bs.name, basis_info=bs)
    return as_frame(df)


def leontief_inverse(table) -> ResultFrame:
    """Explicit L = (I − A)⁻¹ 完全需要系数 as a labelled frame (formed from the cached LU), on
    the table as given (``attrs['basis_info']``); a :class:`ResultFrame`."""
    return _inverse_frame(table, leo.calc_L(table.factor), "leontief_inverse")


def ghosh_inverse(table) -> ResultFrame:
    """Explicit G = (I − B)⁻¹ 完全分配系数/戈什逆矩阵 as a labelled frame (a
    :class:`ResultFrame`, on the table as given)."""
    return _inverse_frame(table, leo.calc_G(table.factor_ghosh), "ghosh_inverse")
