"""What the MRIO builder and the regional questions share 共用部分: the basis of every question's
result, the supply view the builder applies to the table it returns (:func:`supply_view`), and
the small look-ups of a target, a track and a province the questions use.

Neither :mod:`.build` nor :mod:`.questions` imports the other: both import this module.
"""
from __future__ import annotations

import numpy as np

from ....core.notes import Note
from ..._result import code_str
from ..spillover import final_demand_by_region
from .groups import _shipped_groupings, region_groups
from .groups import region_code as _rc  # a region of the table from any of its names

BASIS = ("China MRIO (lianpu.analysis.regions.mrio.build): imports from abroad are leakages (Zm), "
         "interprovincial trade from the gravity model with Chenery–Moses allocation")
BASIS_ZH = "中国多区域表（lianpu.analysis.regions.mrio.build）：境外进口为漏出（Zm），省际贸易由引力模型估计并按 Chenery–Moses 假设分配"

#: the region code of abroad (exports abroad, imports from outside the system)
ABROAD = "ROW"


def _kinds(table) -> list[str]:
    return ["output", "value_added"] + (["co2"] if "co2" in table.satellites else [])


def target_regions(table, target) -> tuple[str, list[str], str]:
    """(label, member region codes, name) of a target: a region, a list of regions, or a group
    of ``data/china_regions.toml`` ("chengyu" / "成渝", "west" / "西部" …)."""
    if isinstance(target, (list, tuple)):
        regs = [_rc(table, r) for r in target]
        return "+".join(regs), regs, "+".join(regs)
    groups = _shipped_groupings()["groups"]
    for key, g in groups.items():
        if str(target) in (key, g["name_zh"], g["name_en"]):
            members = region_groups({key: g})[key]["members"]
            return key, [_rc(table, m) for m in members], g["name_zh"]
    r = _rc(table, target)
    return r, [r], r


def supply_view(table, floor: float = 1.0):
    """The MRIO ready for supply-side (Ghosh) measures: sectors with output below ``floor``
    (万元) that still sell — reconciliation artefacts of the builder (e.g. Shanghai crude oil
    with x = 0, Tibet electronics with x = 4e-10 万元) — make B = x̂⁻¹Z explode. Their sales are
    moved, for each buyer, to the buyer's purchases of the same product from abroad (Zm at its
    own row), and their rows' discrepancy takes the difference, so every identity still holds.
    Returns (table, note); the table itself when nothing is below the floor."""
    x = table.x_
    tiny = np.flatnonzero((x < floor) & (np.abs(table.Z_).sum(axis=1) > 0))
    if tiny.size == 0:
        return table, ""
    Z, d = table.Z_.copy(), table.discrepancy_.copy() if table.discrepancy_ is not None else np.zeros(table.n)
    Zm = table.Zm_.copy() if table.Zm_ is not None else np.zeros_like(Z)
    lev = np.asarray(table.index.get_level_values(0))
    codes = np.asarray([str(c[-1]) for c in table.index])
    row = {(r, c): i for i, (r, c) in enumerate(zip(lev, codes))}
    moved = 0.0
    for k in tiny:
        d[k] += Z[k].sum()
        for j in np.flatnonzero(Z[k]):
            Zm[row[(lev[j], codes[k])], j] += Z[k, j]
        moved += Z[k].sum()
        Z[k] = 0.0
    shown = (f"{', '.join(code_str(table.index[k]) for k in tiny[:6])}"
             f"{' …' if tiny.size > 6 else ''}")
    moved_yi, moved_pct = f"{moved / 1e4:,.0f}", f"{moved / max(table.Z_.sum(), 1e-300):.4%}"
    note = Note(f"supply view: {tiny.size} sectors with output < {floor:g} {table.unit} that sell "
                f"(reconciliation artefacts; {shown}) have their sales ({moved_yi} 亿元, "
                f"{moved_pct} of Z) treated as the buyers' purchases "
                "from outside the system, so that the Ghosh inverse exists",
                f"供给侧视角：{tiny.size} 个总产出 < {floor:g} {table.unit} 但仍有销售的部门（协调"
                f"过程的残留；{shown}），其销售额（{moved_yi} 亿元，占 Z 的 {moved_pct}）改作购买方"
                "从系统外的购入，使戈什逆矩阵存在")
    return table.evolve(Z_=Z, Zm_=Zm, discrepancy_=d, notes=tuple(table.notes) + (note,)), note


def _track_rows(table, track, region):
    from ...tracks import catalogue as trk
    sel = trk.resolve_track(table, track, region=region)
    tr = sel.track
    return np.asarray(sel.indices), (tr.id if tr is not None else ",".join(map(str, track))), sel


def _track_final_demand(table, cols) -> np.ndarray:
    """f (n,): the track's final demand — every purchase column (all provinces' final uses and
    exports abroad) at the track's rows."""
    regs, Yd = final_demand_by_region(table)
    f = np.zeros(table.n)
    f[cols] = Yd[cols].sum(axis=1)
    return f


def _province_gb(code):
    from ....core.errors import DatasetError
    from ....data.registry import province
    try:
        return province(code).gb
    except DatasetError:  # not a province code: stays unmatched ("other")
        return code
