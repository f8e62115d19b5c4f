"""EU CBAM exposure 欧盟碳边境调节机制（CBAM）敞口: an estimate at IO-sector resolution.

For every IO sector that holds a CBAM product group (Regulation (EU) 2023/956, Annex I:
iron and steel, aluminium, cement, fertilisers, electricity, hydrogen; the shipped mapping
``lianpu/data/cbam_sectors.csv`` documents the CN codes and what each sector over-counts):

    embodied emissions per unit of export  ε_j  [t CO2 per 元]
    potential charge  C_j = ε_j · EX_j · s_EU · φ · (P_EU − P_CN) · r   [元]
    share of export value  C_j / EX_j

- ε_j, ``emissions`` = ``"cbam"`` (default): direct (scope 1) emissions per unit of output,
  plus — for the groups where CBAM counts indirect emissions (cement, fertilisers) — the
  emissions of the electricity the sector buys per unit of output (a_elec,j · e_elec, all
  origins of the electricity, at the electricity sector's own direct intensity);
  ``"direct"``: scope 1 only; ``"total"``: direct + indirect along the whole domestic supply
  chain (e'L_d, an upper bound: CBAM counts precursors, not the whole chain).
- EX_j exports (role ``export``; a province's exports abroad, not its outflows to other
  provinces); s_EU the share going to the EU (default 1: the table does not know
  destinations, so the default is the upper bound "all exports of these sectors go to the
  EU"); φ the phase-in factor of the CBAM obligation (default 1, the full obligation of 2034;
  free allocation under the EU ETS is phased out 2026–2034).
- P_EU − P_CN the carbon-price gap in EUR/t (EU ETS price minus the price paid in China,
  which CBAM deducts) and r the EUR/CNY rate: **required** — lianpu ships no default price,
  because it cannot cite a current one; give the prices and date you use.

It is an estimate: an IO sector is far coarser than the CN codes CBAM covers (all metal
smelting stands for steel and aluminium; all chemicals for fertilisers and hydrogen), so
exports and intensities are those of the whole sector. Read it as an order of magnitude and
a ranking of exposed sectors, not as a bill.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources

import numpy as np
import pandas as pd

from ...core import leontief as leo
from ...core import roles
from ...core.errors import ArgumentError, TableError, message
from ...core.notes import Note
from .._result import Result, frame_records, jsonable
from ..basis import resolve_basis
from .prices import _tonnes, _yuan_per_unit

EMISSIONS = ("cbam", "direct", "total")
GROUPS = {"iron_steel": ("钢铁", "iron and steel"), "aluminium": ("铝", "aluminium"),
          "cement": ("水泥", "cement"), "fertilisers": ("化肥", "fertilisers"),
          "electricity": ("电力", "electricity"), "hydrogen": ("氢", "hydrogen")}
ESTIMATE_EN = ("an estimate at IO-sector resolution: whole sectors stand for the CBAM goods "
               "they contain, so exports and intensities are those of the sector (an upper "
               "bound for most groups); exports go to all destinations unless eu_share is given")
ESTIMATE_ZH = ("按投入产出部门口径的估算：以整个部门代表其中的CBAM产品，出口额和排放强度均为部门整体数据"
               "（多数产品组为上限）；除非给出 eu_share，出口按全部目的地计")
#: the estimate's caveat as the note every result ends with (English with its Chinese)
ESTIMATE = Note(ESTIMATE_EN, ESTIMATE_ZH)


def mapping() -> pd.DataFrame:
    """The shipped CBAM mapping (classification, code, groups, indirect_emissions, notes)."""
    with resources.files("lianpu.data").joinpath("cbam_sectors.csv").open(encoding="utf-8") as fh:
        df = pd.read_csv(fh, comment="#", dtype=str)
    df["indirect_emissions"] = df["indirect_emissions"].str.strip().str.lower() == "yes"
    return df


@dataclass(frozen=True, eq=False)
class CBAMExposure(Result):
    """``by_sector`` (CBAM sectors: groups, exports, intensity, charge, share of exports),
    ``by_group`` (groups; a sector holding two groups is shown under both names joined),
    ``total`` (charge, exports of CBAM sectors, all exports), the ``assumptions`` and notes."""

    table: str
    region: str
    unit: str
    basis: object
    assumptions: dict
    by_sector: pd.DataFrame
    by_group: pd.DataFrame
    total: dict
    notes: tuple = ()
    extra: dict = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        return self.by_sector.copy()

    def to_dict(self) -> dict:
        return {"table": self.table, "region": self.region, "unit": self.unit,
                "basis": self.basis.to_dict(), "estimate_en": ESTIMATE_EN,
                "estimate_zh": ESTIMATE_ZH, "assumptions": jsonable(self.assumptions),
                "total": jsonable(self.total), "by_group": frame_records(self.by_group, "group"),
                "by_sector": frame_records(self.by_sector), "notes": list(self.notes)}


def _classification(table) -> str:
    from ..tracks.catalogue import classification_of
    return classification_of(table)


def exposure(table, *, price_gap: float | None = None, eur_cny: float | None = None,
             emissions: str = "cbam", eu_share: float = 1.0, phase_in: float = 1.0,
             satellite: str = "co2", data_dir=None, basis: str = "auto") -> CBAMExposure:
    """Potential CBAM charge on a (national or provincial) table's exports, by sector.

    Parameters
    ----------
    table : an NBS national table (42, 149 or 153 sectors) or a provincial one (cn-prov-…)
    price_gap : EUR per t CO2, EU ETS price minus China's carbon price (required; 0 allowed)
    eur_cny : 元 per EUR (required)
    emissions : "cbam" (default: direct, + purchased electricity for cement and fertilisers),
        "direct" or "total" (whole domestic supply chain)
    eu_share : share of the sectors' exports going to the EU, in [0, 1] (default 1)
    phase_in : share of the full CBAM obligation, in [0, 1] (default 1)
    satellite : CO2 satellite name; built from CEADs (national or the province's inventory)
        by :func:`lianpu.co2_satellite` when missing, reading ``data_dir``

    Returns
    -------
    CBAMExposure with charges in the table's unit (万元) and shares of export value.
    """
    if price_gap is None or eur_cny is None:
        raise ArgumentError(message(None, "the carbon-price gap and the exchange rate must be "
                                    "given: lianpu ships no default because it cannot cite a "
                                    "current price", argument="price_gap" if price_gap is None
                                    else "eur_cny", expected="price_gap in EUR/t CO2 (EU ETS − "
                                    "China ETS, your date and source) and eur_cny in 元/EUR"))
    if emissions not in EMISSIONS:
        raise ArgumentError(message(None, "unknown emissions scope", argument="emissions",
                                    found=repr(emissions), expected=f"one of {list(EMISSIONS)}"))
    for name, val, lo in (("eu_share", eu_share, 0.0), ("phase_in", phase_in, 0.0)):
        if not (lo <= float(val) <= 1.0):
            raise ArgumentError(message(None, "share outside [0, 1]", argument=name, found=val,
                                        expected="0 ≤ share ≤ 1"))
    if eur_cny <= 0:
        raise ArgumentError(message(None, "non-positive exchange rate", argument="eur_cny",
                                    found=eur_cny, expected="> 0 元 per EUR"))
    if table.is_multiregional:
        raise TableError(message(table.name, "CBAM exposure is computed on a national or "
                                 "provincial table", found="a multi-regional table"))
    notes = []
    src = table
    if satellite not in table.satellites:
        if satellite != "co2":
            raise TableError(message(table.name, f"no satellite {satellite!r}",
                                     argument="satellite", expected=f"one of {list(table.satellites)}"))
        from ...satellites.co2.satellite import co2_satellite
        src = co2_satellite(table, data_dir=data_dir)
        notes.append(src.notes[-1])
    sat = src.satellites[satellite]
    cid = _classification(src)
    mp = mapping()
    mp = mp[mp.classification == cid]
    if mp.empty:
        raise TableError(message(table.name, "no CBAM mapping for this table's sectors",
                                 found=f"classification {cid!r}",
                                 expected="an NBS table of 42 (2017–2020), 149 or 153 sectors"))
    codes = [str(c) for c in src.index]
    pos = {c: i for i, c in enumerate(codes)}
    x = src.x_
    yuan = _yuan_per_unit(src.unit, src.name)
    e = np.asarray(sat.values, float) * _tonnes(sat.unit, src.name)            # t CO2
    direct = np.divide(e, x, out=np.zeros_like(e), where=x > 0)                # t per table unit
    ex_cols = src.fd_positions(roles.EXPORTS)
    if not ex_cols:
        raise TableError(message(table.name, "the table has no exports column (role 'export')",
                                 expected="an EX column"))
    EX = src.Y_[:, ex_cols].sum(axis=1)
    t, bs = resolve_basis(src, basis)
    elec = [pos[c] for c in mp[mp.groups.str.contains("electricity")].code if c in pos]
    if emissions == "total":
        intensity = leo.left_solve(t.factor, direct)
        what = "direct + indirect emissions along the whole domestic supply chain (e'L_d; an upper bound)"
    else:
        intensity = direct.copy()
        what = "direct (scope 1) emissions per unit of output"
    ind = np.zeros_like(direct)
    if emissions == "cbam" and elec:
        # electricity bought per unit of output, all origins (published A), × electricity's
        # direct intensity
        Z_all = src.Z_ + (src.Zm_ if src.Zm_ is not None else 0)
        a_el = np.divide(Z_all[elec].sum(axis=0), x, out=np.zeros_like(x), where=x > 0)
        e_el = float(e[elec].sum() / x[elec].sum()) if x[elec].sum() > 0 else 0.0
        ind = a_el * e_el
        what = ("direct (scope 1) emissions, plus the emissions of purchased electricity for the "
                "groups where CBAM counts indirect emissions (cement, fertilisers)")
    rate = float(price_gap) * float(eur_cny) * float(eu_share) * float(phase_in)   # 元 per t
    rows = []
    for _, m in mp.iterrows():
        if m.code not in pos:
            continue
        j = pos[m.code]
        eps = intensity[j] + (ind[j] if (emissions == "cbam" and m.indirect_emissions) else 0.0)
        charge = eps * EX[j] * rate                       # t per unit × unit × 元/t = 元
        rows.append({"sector": m.code, "name_zh": src.label("zh").iloc[j],
                     "name_en": src.label("en").iloc[j], "groups": m.groups,
                     "indirect_counted": bool(m.indirect_emissions and emissions == "cbam"),
                     "exports": float(EX[j]), "intensity_t_per_10k_yuan": float(eps * 1e4 / yuan),
                     "embodied_Mt": float(eps * EX[j] / 1e6 * float(eu_share)),
                     "charge": float(charge / yuan),
                     "charge_share_of_exports": float(charge / yuan / EX[j]) if EX[j] > 0 else None,
                     "note_en": m.note_en, "note_zh": m.note_zh})
    by_sector = pd.DataFrame(rows).set_index("sector")
    g = by_sector.groupby("groups", sort=False)[["exports", "embodied_Mt", "charge"]].sum()
    g["charge_share_of_exports"] = g.charge / g.exports.where(g.exports > 0)
    g.insert(0, "name_zh", ["、".join(GROUPS[k][0] for k in i.split(";")) for i in g.index])
    g.insert(1, "name_en", [" and ".join(GROUPS[k][1] for k in i.split(";")) for i in g.index])
    total_ex = float(EX.sum())
    total = {"charge": float(by_sector.charge.sum()), "exports_cbam_sectors": float(by_sector.exports.sum()),
             "exports_all": total_ex,
             "charge_share_of_cbam_exports": float(by_sector.charge.sum() / by_sector.exports.sum())
             if by_sector.exports.sum() > 0 else None,
             "charge_share_of_all_exports": float(by_sector.charge.sum() / total_ex) if total_ex else None,
             "embodied_Mt": float(by_sector.embodied_Mt.sum()), "unit": src.unit}
    region = "China 中国"
    if getattr(src, "province", None):
        from ...data.registry import province as province_of
        p = province_of(src.province)
        region = f"{p.name_en} {p.name_zh}"
    assumptions = {"price_gap_eur_per_t": float(price_gap), "eur_cny": float(eur_cny),
                   "eu_share": float(eu_share), "phase_in": float(phase_in),
                   "charge_yuan_per_t": rate, "emissions": emissions, "emissions_text": what,
                   "classification": cid, "mapping": "lianpu/data/cbam_sectors.csv",
                   "exports": "the table's exports abroad (role 'export')"
                   + ("; a province's outflows to other provinces are not exports" if
                      src.fd_positions(roles.OUTFLOWS - roles.EXPORTS) else "")}
    if eu_share == 1.0:
        notes.append(Note("eu_share = 1: all exports of the CBAM sectors are assumed to go to "
                          "the EU (an upper bound; the table has no destinations)",
                          "eu_share = 1：假定 CBAM 部门的全部出口都输往 EU（为上限；表中没有出口"
                          "目的地）"))
    return CBAMExposure(src.name, str(region), src.unit, bs, assumptions, by_sector, g, total,
                        tuple(notes) + (ESTIMATE,))


__all__ = ["CBAMExposure", "exposure", "mapping"]
