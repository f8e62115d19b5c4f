"""Import content 进口含量: imported inputs, direct and indirect, per unit of final demand.

Single-region tables (Hummels, Ishii & Yi 2001, "vertical specialization"; Miller & Blair
2009, §6.6): with Am = Zm x̂⁻¹ (imported intermediates per unit of output) and L the domestic
Leontief inverse,

    m' = 1' Am L                                    (one transposed solve: Lᵀ m = Am'1)

is the imported input embodied in one unit of final demand for each domestic product.
Non-competitive tables give Zm directly; competitive tables are first split by import
proportionality (``table.domestic()``), so every user of a product imports the same share of
it — stated in ``attrs['basis']``.

In a multi-regional table a region's "imports" are the other regions' products. There the
analogue is the foreign value-added content (Johnson & Noguera 2012; Los, Timmer & de Vries
2015): the value added generated outside region r per unit of final demand for r's product j,
(v'L − v_r'L)_j with v_r the value-added coefficients of r's sectors only; when the table also
imports from outside it (a provincial MRIO with an IM column), the imported inputs from abroad
1'Am L are added.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ...core import coefficients as coef
from ...core import leontief as leo
from ...core.errors import TableError, message
from .._common import cached, domestic_basis, region_of
from .._result import ResultSeries, as_series


def imported_coefficients(table) -> np.ndarray:
    """Am = Zm x̂⁻¹, (n, n): imported product i per unit of output of j (non-competitive)."""
    if table.Zm_ is None:
        raise TableError(message(table.name, "no import block Zm", argument="table",
                                 expected="a non-competitive table or table.domestic()"))
    return coef.calc_A(table.Zm_, table.x_)


def _mrio_outside_content(tb) -> np.ndarray:
    """Value added of the other regions, plus imports from abroad (Zm), per unit of final
    demand for each region's products: (v'L − v_r'L)_j + (1'Am L)_j."""
    regions = region_of(tb)
    v = coef.calc_S(tb.value_added_[None, :], tb.x_)[0]
    names = list(dict.fromkeys(regions))
    S = np.column_stack([np.where(regions == r, v, 0.0) for r in names])   # (n, R)
    VL = leo.left_solve(tb.factor, S.T)                                    # (R, n): v_r'L
    own = VL[[names.index(r) for r in regions], np.arange(tb.n)]
    out = VL.sum(axis=0) - own
    if tb.Zm_ is not None:
        out = out + leo.left_solve(tb.factor, imported_coefficients(tb).sum(axis=0))
    return out


def import_content(table) -> ResultSeries:
    """Total (direct + indirect) imported inputs per unit of final demand, by sector.

    Returns a :class:`ResultSeries` (index: sectors) with ``attrs``: basis (which route), unit,
    name_zh, name_en, average (final-demand-weighted mean).

    Examples
    --------
    >>> import lianpu, numpy as np
    >>> t = lianpu.IOTable.from_arrays([[10, 0], [0, 0]], [[90], [100]],
    ...                                Zm_=np.array([[0, 0], [20, 0]]), x=[100, 100],
    ...                                V=[[70, 100]])
    >>> lianpu.import_content(t).round(4).tolist()
    [0.2222, 0.0]
    """
    if table.is_multiregional:
        tb, _ = domestic_basis(table)
        m = cached(tb, ("outside_content",), lambda: _mrio_outside_content(tb))
        basis = ("multi-regional table: value added generated in other regions per unit of "
                 "final demand (foreign value-added content)" + (
                     ", plus imports from abroad (import block)" if tb.Zm_ is not None else ""))
        f = tb.Y_.sum(axis=1)
    else:
        tb, basis = domestic_basis(table)
        if tb.Zm_ is None:
            raise TableError(message(table.name, "cannot separate imports", argument="table",
                                     expected="a non-competitive table or a competitive one with "
                                              "an IM column"))
        Am = imported_coefficients(tb)
        m = leo.left_solve(tb.factor, Am.sum(axis=0))
        f = tb.Y_.sum(axis=1)
    s = pd.Series(m, index=tb.index, name="import_content")
    w = np.clip(f, 0, None)
    s.attrs.update(basis=basis, unit=f"{tb.unit} of imports per {tb.unit} of final demand",
                   name_zh="完全进口含量", name_en="total import content", table=tb.name,
                   average=float(np.average(m, weights=w)) if w.sum() > 0 else float("nan"))
    return as_series(s)
