"""Key sectors 关键部门: linkages, their four-way classification, hypothetical extraction and
NBS-style production inducement.

Equations (L = (I − A)⁻¹, G = (I − B)⁻¹; Miller & Blair 2009, §12.1–12.2):

- 影响力系数 power of dispersion  PD_j = (1'L)_j / mean(1'L)       (Rasmussen 1956)
- 感应度系数 sensitivity of dispersion  SD_i = (G1)_i / mean(G1)     (Ghosh-based forward
  linkage, Beyers 1976 / Jones 1976; the variant with L row sums, (L1)_i / mean(L1), is the
  traditional Chinese textbook one and is reported too)
- direct linkages (Chenery & Watanabe 1958): backward (1'A)_j, forward (B1)_i, normalized by
  their means
- output-weighted variants: the same totals divided by their output-weighted average
  Σ_k w_k (·)_k, w = x / Σx (an economy-wide "average" that counts big sectors more)
- classification: 关键部门 key (PD > 1 and SD > 1), 后向型 backward-oriented (PD > 1 only),
  前向型 forward-oriented (SD > 1 only), 弱关联 weak (neither)
- hypothetical extraction (total, backward, forward): :mod:`lianpu.analysis.chains.extraction`
- 生产诱发系数 / 最终需求依赖度: :mod:`lianpu.analysis.chains.finaldemand`
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ...core import leontief as leo
from .._common import bilingual, name_columns
from .._result import ResultFrame, as_frame
from .extraction import extraction_effects
from .finaldemand import ITEM_NAMES, inducement

TYPES = {"key": ("关键部门", "key sector"),
         "backward": ("后向关联型", "backward-oriented"),
         "forward": ("前向关联型", "forward-oriented"),
         "weak": ("弱关联型", "weak linkage")}

COLUMNS = {
    "name_zh": ("部门", "sector (zh)"), "name_en": ("部门（英文）", "sector"),
    "power_of_dispersion": ("影响力系数", "power of dispersion"),
    "sensitivity": ("感应度系数", "sensitivity of dispersion (Ghosh)"),
    "sensitivity_leontief": ("感应度系数（列昂惕夫行和）", "sensitivity of dispersion (L rows)"),
    "backward_total": ("完全需要系数列和", "column sum of L"),
    "forward_total": ("完全分配系数行和", "row sum of G"),
    "backward_direct": ("直接后向关联", "direct backward linkage (1'A)"),
    "forward_direct": ("直接前向关联", "direct forward linkage (B1)"),
    "backward_direct_norm": ("直接后向关联（标准化）", "direct backward linkage, normalized"),
    "forward_direct_norm": ("直接前向关联（标准化）", "direct forward linkage, normalized"),
    "power_of_dispersion_weighted": ("影响力系数（产出加权）", "power of dispersion, output-weighted"),
    "sensitivity_weighted": ("感应度系数（产出加权）", "sensitivity of dispersion, output-weighted"),
    "type": ("部门类型代码", "type"), "type_zh": ("部门类型", "type (zh)"),
    "type_en": ("部门类型（英文）", "type (en)"),
}
HEM = {"total": ("完全抽取", "total extraction"), "backward": ("后向抽取", "backward extraction"),
       "forward": ("前向抽取", "forward extraction")}
for _k, (_zh, _en) in HEM.items():
    COLUMNS[f"hem_{_k}_output"] = (f"{_zh}损失产出", f"{_en}: lost output")
    COLUMNS[f"hem_{_k}_output_share"] = (f"{_zh}损失产出占比", f"{_en}: lost output share")
    COLUMNS[f"hem_{_k}_va"] = (f"{_zh}损失增加值", f"{_en}: lost value added")
    COLUMNS[f"hem_{_k}_va_share"] = (f"{_zh}损失增加值占比", f"{_en}: lost value-added share")
for _k, (_zh, _en) in ITEM_NAMES.items():
    COLUMNS[f"inducement_{_k}"] = (f"{_zh}生产诱发系数", f"production inducement: {_en}")
    COLUMNS[f"induced_{_k}"] = (f"{_zh}生产诱发额", f"induced output: {_en}")
    COLUMNS[f"dependence_{_k}"] = (f"{_zh}依赖度", f"final-demand dependence: {_en}")


def linkages(table) -> pd.DataFrame:
    """Total and direct linkages, normalized and output-weighted, with the four-way type."""
    n, x = table.n, table.x_
    ones = np.ones(n)
    colL = leo.left_solve(table.factor, ones)          # 1'L  (one transposed solve)
    rowL = leo.leontief_solve(table.factor, ones)      # L1
    rowG = table.factor_ghosh.solve(ones)              # G1
    dA = table.A_.sum(axis=0)
    dB = table.B_.sum(axis=1)
    w = x / x.sum()
    pd_ = colL / colL.mean()
    sd = rowG / rowG.mean()
    df = pd.DataFrame({
        "power_of_dispersion": pd_, "sensitivity": sd, "sensitivity_leontief": rowL / rowL.mean(),
        "backward_total": colL, "forward_total": rowG,
        "backward_direct": dA, "forward_direct": dB,
        "backward_direct_norm": _norm(dA), "forward_direct_norm": _norm(dB),
        "power_of_dispersion_weighted": colL / (w @ colL),
        "sensitivity_weighted": rowG / (w @ rowG),
    }, index=table.index)
    t = np.where(pd_ > 1, np.where(sd > 1, "key", "backward"), np.where(sd > 1, "forward", "weak"))
    df["type"] = t
    df["type_zh"] = [TYPES[k][0] for k in t]
    df["type_en"] = [TYPES[k][1] for k in t]
    return df


def _norm(v):
    m = v.mean()
    return v / m if m else np.full_like(v, np.nan)


def keysectors(table, lang: str | None = None, extraction: bool = True,
               inducement_items: bool = True, basis: str = "auto") -> ResultFrame:
    """Key-sector indicators by sector (index: sector code, or (region, sector)).

    Parameters
    ----------
    table : IOTable
    lang : None (English column ids), "zh" or "en" (display names as columns). The id → name
        maps are in ``attrs['zh']`` / ``attrs['en']`` either way.
    extraction : include hypothetical-extraction columns (hem_*), in the table's unit and as
        shares of total output / value added.
    inducement_items : include 生产诱发系数 (inducement_*), 生产诱发额 (induced_*) and
        最终需求依赖度 (dependence_*) for consumption, capital formation, exports (and 'other'
        where the table has a discrepancy column).
    basis : "auto" (the domestic view wherever imports can be separated), "published",
        "domestic" or "local" (:func:`lianpu.analysis.basis.resolve_basis`); linkages,
        extraction and inducement all use the same view.

    Returns
    -------
    :class:`~lianpu.analysis._result.ResultFrame` (a DataFrame in every respect) with
    ``attrs``: unit, table, basis (name), basis_info (the Basis), basis_note, basis_note_zh,
    inducement_basis, item_totals, types (zh/en); ``to_json()`` writes them with the rows.

    Examples
    --------
    >>> import lianpu
    >>> t = lianpu.IOTable.from_arrays([[150, 500], [200, 100]], [350, 1700])
    >>> lianpu.keysectors(t)["power_of_dispersion"].round(4).tolist()
    [1.0222, 0.9778]
    """
    from ..basis import resolve_basis
    table, bs = resolve_basis(table, basis)
    df = pd.concat([name_columns(table), linkages(table)], axis=1)
    if extraction:
        eff = extraction_effects(table)
        xt, vt = table.x_.sum(), table.value_added_.sum()
        for k in HEM:
            df[f"hem_{k}_output"] = eff[f"{k}_output"]
            df[f"hem_{k}_output_share"] = eff[f"{k}_output"] / xt
            df[f"hem_{k}_va"] = eff[f"{k}_va"]
            df[f"hem_{k}_va_share"] = eff[f"{k}_va"] / vt if vt else np.nan
    attrs = {"unit": table.unit, "table": table.name, "year": table.year, "basis": bs.name,
             "basis_info": bs, "basis_note": bs.note_en, "basis_note_zh": bs.note_zh,
             "types": {k: list(v) for k, v in TYPES.items()}}
    if inducement_items:
        ind = inducement(table)
        for j, item in enumerate(ind["items"]):
            df[f"inducement_{item}"] = ind["coefficient"][:, j]
            df[f"induced_{item}"] = ind["induced"][:, j]
            df[f"dependence_{item}"] = ind["dependence"][:, j]
        attrs.update(inducement_basis=bs.note_en, item_totals=ind["totals"],
                     unmatched_final_demand=ind["unmatched"])
    df = bilingual(df, COLUMNS, lang)
    df.attrs.update(attrs)
    return as_frame(df)

