"""双核联动 (two cores driving each other, e.g. Sichuan and Chongqing) on the China MRIO: each
region's output, value added and CO2 driven by the other's final demand, the Miller
decomposition of both and of the two merged into one block against the rest of China
(definitions: :mod:`lianpu.analysis.regions.mrio.questions`, docs/china_mrio.md)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ....core import leontief as leo
from ....core.errors import ArgumentError, message
from ....core.notes import Note
from ..._result import Result
from ...multipliers import intensity
from ..spillover import final_demand_by_region, positions, records, require_mrio, spillover
from .common import BASIS, BASIS_ZH, _kinds, _rc
from .groups import aggregate_regions


@dataclass(frozen=True, eq=False)
class DualCore(Result):
    """Result of :func:`dual_core`. ``summary``: rows "a←b" and "b←a" with output,
    value_added [, co2] driven and their shares of the driven region's totals; ``by_sector``:
    the same by sector of the driven region; ``miller``: intra/feedback/spillover (per unit of
    final demand, final-demand mix) of a, b, the merged block and the rest of China, by kind;
    ``spill``: the matrix entries between a and b (effect in one per unit of the other's final
    demand) and between the block and the rest."""

    a: str
    b: str
    table: str
    year: int | None
    unit: str
    co2_unit: str | None
    summary: pd.DataFrame
    by_sector: pd.DataFrame
    miller: pd.DataFrame
    spill: pd.DataFrame
    block: pd.DataFrame
    notes: tuple = ()
    basis: str = BASIS

    def to_frame(self) -> pd.DataFrame:
        return self.summary.copy()

    def to_dict(self) -> dict:
        return {"a": self.a, "b": self.b, "table": self.table, "year": self.year,
                "unit": self.unit, "co2_unit": self.co2_unit, "basis": self.basis,
                "basis_zh": BASIS_ZH, "summary": records(self.summary),
                "block": records(self.block), "miller": records(self.miller),
                "spill": records(self.spill), "by_sector": records(self.by_sector),
                "notes": list(self.notes)}


def dual_core(table, a="SC", b="CQ", *, missing: tuple = ()) -> DualCore:
    """双核联动 of regions ``a`` and ``b`` on a multi-regional table (best: the China MRIO with a
    ``co2`` satellite from :func:`lianpu.analysis.regions.mrio.build.co2_satellite`; ``missing``:
    regions without CO2 data, for the notes)."""
    require_mrio(table)
    a, b = _rc(table, a), _rc(table, b)
    if a == b:
        raise ArgumentError(message(table.name, "the two regions must differ", argument="b",
                                    found=repr(b)))
    kinds = _kinds(table)
    S = {k: intensity(table, k) for k in kinds}
    regs, Yd = final_demand_by_region(table)
    X = leo.leontief_solve(table.factor, Yd[:, [regs.index(a), regs.index(b)]])
    pos = positions(table)
    names = table.label("zh")
    summ, secs = [], []
    for r, d, xd in ((a, b, X[:, 1]), (b, a, X[:, 0])):
        p = pos[r]
        row = {"direction": f"{r}←{d}", "driven": r, "by_final_demand_of": d}
        sec = pd.DataFrame({"direction": f"{r}←{d}", "sector": [c[-1] for c in table.index[p]],
                            "name": names.iloc[p].to_numpy()})
        for k in kinds:
            s = S[k][0]
            eff, tot = s[p] * xd[p], s[p] * table.x_[p]
            row[k] = float(eff.sum())
            row[f"{k}_share"] = float(eff.sum() / tot.sum()) if tot.sum() else None
            sec[k] = eff
            sec[f"{k}_share"] = np.divide(eff, tot, out=np.full_like(eff, np.nan), where=tot != 0)
        summ.append(row)
        secs.append(sec)
    summary = pd.DataFrame(summ).set_index("direction")
    by_sector = pd.concat(secs).set_index(["direction", "sector"])
    blk = aggregate_regions(table, {"CY": {"members": [a, b], "name_zh": "成渝" if {a, b} == {"SC", "CQ"}
                                           else f"{a}+{b}", "name_en": f"{a}+{b}"}}, rest="RoC")
    mil, spl = [], []
    for k in kinds:
        sp = spillover(table, k)
        sb = spillover(blk, k)
        for r in (a, b):
            mil.append({"kind": k, "region": r, **{c: float(sp.by_region.loc[r, c]) for c in
                                                     ("intra", "feedback", "spillover", "total")}})
        for r in ("CY", "RoC"):
            mil.append({"kind": k, "region": r, **{c: float(sb.by_region.loc[r, c]) for c in
                                                     ("intra", "feedback", "spillover", "total")}})
        for ein, dfor, m in ((b, a, sp.matrix), (a, b, sp.matrix), ("RoC", "CY", sb.matrix),
                             ("CY", "RoC", sb.matrix)):
            spl.append({"kind": k, "effect_in": ein, "demand_for": dfor,
                        "per_unit": float(m.loc[ein, dfor]), "unit": sp.unit})
    # the block against the rest: amounts driven each way
    bregs, bYd = final_demand_by_region(blk)
    bX = leo.leontief_solve(blk.factor, bYd[:, [bregs.index("CY"), bregs.index("RoC")]])
    bpos = positions(blk)
    brows = []
    for r, d, xd in (("CY", "RoC", bX[:, 1]), ("RoC", "CY", bX[:, 0])):
        p = bpos[r]
        row = {"direction": f"{r}←{d}"}
        for k in kinds:
            s = intensity(blk, k)[0]
            eff, tot = s[p] * xd[p], s[p] * blk.x_[p]
            row[k], row[f"{k}_share"] = float(eff.sum()), float(eff.sum() / tot.sum())
        brows.append(row)
    notes = [Note(f"{a}←{b}: {a}'s amounts that exist because of {b}'s final demand "
                  "(consumption, investment, inventories; bought from any province); exports "
                  "abroad are nobody's provincial final demand",
                  f"{a}←{b}：{a} 因 {b} 的最终需求（消费、投资、存货变动；可购自任何省份）而存在的"
                  "数量；出口至境外不属于任何省份的最终需求")]
    if "co2" not in table.satellites:
        notes.append(Note("no co2 satellite on the table: CO2 left out (add it with "
                          "china_mrio.co2_satellite)",
                          "表上没有 co2 卫星账户：不计算 CO2（可用 china_mrio.co2_satellite 添加）"))
    if missing:
        notes.append(Note(f"no CEADs inventory for {', '.join(missing)} (西藏): its CO2 is 0 in "
                          "the satellite, so CO2 spillovers into it are missing, not zero",
                          f"{'、'.join(missing)}（西藏）没有 CEADs 排放清单：卫星账户中其 CO2 为 0，"
                          "因此流入该地的 CO2 溢出是缺失，而不是零"))
    block = "+".join((a, b))
    notes.append(Note("block CY = " + block + " against RoC = the other 29 provinces, "
                      "aggregated with aggregate_regions (trade between the two becomes internal)",
                      f"区块 CY = {block}，对照 RoC = 其余 29 个省份，用 aggregate_regions 合并"
                      "（两者之间的贸易变为内部贸易）"))
    co2_unit = table.satellites["co2"].unit if "co2" in table.satellites else None
    return DualCore(a, b, table.name, table.year, table.unit, co2_unit, summary, by_sector,
                    pd.DataFrame(mil).set_index(["kind", "region"]),
                    pd.DataFrame(spl).set_index(["kind", "effect_in", "demand_for"]),
                    pd.DataFrame(brows).set_index("direction"), tuple(notes))
