"""Helpers shared by the chain analyses: per-table caches, the diagonal of L by blocked solves,
the domestic basis of a table, bilingual column names (JSON
conversion lives in :mod:`lianpu.analysis._result`; its names are re-exported here).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..core import coefficients as coef
from ..core.errors import TableError, check_lang, message
# the one encoder and code-to-text (defined in _result; importable here as before)
from ._result import code_str, dumps, frame_records, jsonable  # noqa: F401

#: multiplier kinds every table has (besides its satellites)
KINDS = ("output", "value_added", "income")

#: right-hand sides per block when the diagonal of an inverse is needed (memory n × BLOCK)
BLOCK = 256


def cached(table, key, fn, *, carry: bool = False):
    """``fn()`` computed once per (immutable) table and key; the table cannot change, so the
    value cannot go stale. Derived numerics only (never a user's selection): the table's own
    memo, :meth:`lianpu.IOTable._memo`, holds it. ``carry=True``: the value depends on A
    alone, so a table evolved with the same Z, x and sectors inherits it."""
    return table._memo(key, fn, carry=carry)


def diag_of_inverse(factor, n: int, block: int = BLOCK) -> np.ndarray:
    """diag(M⁻¹) from a factor of M by solves on blocks of unit vectors, O(n·block) memory.

    The diagonal of an inverse needs all n columns (there is no cheaper exact route for a
    dense M), but never the whole inverse at once.
    """
    out = np.empty(n)
    for a in range(0, n, block):
        b = min(n, a + block)
        E = np.zeros((n, b - a))
        E[np.arange(a, b), np.arange(b - a)] = 1.0
        out[a:b] = factor.solve(E)[np.arange(a, b), np.arange(b - a)]
    return out


def diag_L(table) -> np.ndarray:
    """l_jj, the diagonal of the Leontief inverse (cached per table)."""
    return cached(table, ("diag_L",), lambda: diag_of_inverse(table.factor, table.n))


def diag_G(table) -> np.ndarray:
    """g_jj of the Ghosh inverse: equal to l_jj when all x > 0 (G = x̂⁻¹ L x̂)."""
    if (table.x_ > 0).all():
        return diag_L(table)
    return cached(table, ("diag_G",), lambda: diag_of_inverse(table.factor_ghosh, table.n))


def unit_columns(n: int, idx) -> np.ndarray:
    """E_S: the unit vectors of positions ``idx`` as columns, shape (n, |S|)."""
    idx = list(idx)
    E = np.zeros((n, len(idx)))
    E[idx, np.arange(len(idx))] = 1.0
    return E


def domestic_basis(table, domestic: bool = True, basis: str | None = None):
    """(table, note): the table to analyse chains on and the English note of its basis.

    ``basis`` (``"auto"``, ``"published"``, ``"domestic"``, ``"local"``) is decided by
    :func:`lianpu.analysis.basis.resolve_basis`, the one rule; ``domestic=False`` is the old
    spelling of ``basis="published"``. Use :func:`table_basis` to get the :class:`Basis`.
    """
    tb, b = table_basis(table, basis if basis is not None else
                        ("auto" if domestic else "published"))
    return tb, b.note_en


def table_basis(table, basis: str = "auto"):
    """(table view, Basis) — :func:`lianpu.analysis.basis.resolve_basis`."""
    from .basis import resolve_basis
    return resolve_basis(table, basis)


def region_of(table) -> np.ndarray | None:
    """Region of every sector (n,), or None for a single-region table."""
    if not table.is_multiregional:
        return None
    return np.asarray(table.index.get_level_values(0).astype(str))


def labels(table, lang: str) -> pd.Series:
    """``table.label(lang)``, cached per table."""
    return cached(table, ("label", lang), lambda: table.label(lang))


def name_columns(table, idx=None) -> pd.DataFrame:
    """name_zh / name_en of sectors (all, or positions ``idx``) as a frame."""
    zh, en = labels(table, "zh"), labels(table, "en")
    if idx is not None:
        zh, en = zh.iloc[list(idx)], en.iloc[list(idx)]
    return pd.DataFrame({"name_zh": zh.to_numpy(), "name_en": en.to_numpy()}, index=zh.index)


def bilingual(df: pd.DataFrame, names: dict, lang: str | None = None) -> pd.DataFrame:
    """Attach ``attrs['zh']`` and ``attrs['en']`` (column → display name); rename if ``lang``."""
    check_lang(lang, allow_none=True)
    zh = {c: names[c][0] for c in df.columns if c in names}
    en = {c: names[c][1] for c in df.columns if c in names}
    df.attrs["zh"], df.attrs["en"] = zh, en
    if lang is not None:
        df = df.rename(columns=zh if lang == "zh" else en)
        df.attrs["zh"], df.attrs["en"] = zh, en
    return df


def intensity(table, kind: str) -> tuple[np.ndarray, str]:
    """Direct effect per unit of gross output for ``kind`` and the unit of the effect (the
    intensity row s of :mod:`lianpu.analysis.multipliers`; here so that the household closure
    and the multipliers can both use it without importing each other)."""
    if kind == "output":
        return np.ones(table.n), table.unit
    if kind == "value_added":
        return coef.calc_S(table.value_added_[None, :], table.x_)[0], table.unit
    if kind == "income":
        if table.compensation_row is None:
            raise TableError(message(table.name, "no compensation-of-employees row, so income "
                                     "multipliers are undefined", argument="kind",
                                     expected="a table with compensation_row set (NBS: VA001)"))
        row = list(table.primary_labels.index).index(table.compensation_row)
        return coef.calc_S(table.V_[row][None, :], table.x_)[0], table.unit
    if kind in table.satellites:
        sat = table.satellites[kind]
        return coef.calc_S(sat.values[None, :], table.x_)[0], sat.unit
    known = list(KINDS) + list(table.satellites)
    raise TableError(message(table.name, f"unknown multiplier kind {kind!r}", argument="kind",
                             expected=f"one of {known}"))
