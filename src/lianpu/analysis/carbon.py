"""Carbon footprints 碳足迹: production- and consumption-based emissions on an IO table.

Equations (Miller & Blair 2009, ch. 10; Peters 2008; Davis & Caldeira 2010). With the
domestic (non-competitive) view of the table — A_d domestic coefficients, A_m imported
coefficients, y_d,k domestic and y_m,k imported final use of category k — and direct
emissions F by sector (e = F/x per unit of output):

- CO2 multipliers 碳排放乘数: m_d' = e' (I − A_d)⁻¹ (domestic supply chain) and, under the
  domestic-technology assumption (DTA: imports are made with China's technology, Chinese
  emission intensities), m' = e' (I − A_d − A_m)⁻¹;
- embodied in category k, from domestic production: D_k = m_d' y_d,k; from imports (DTA):
  I_k = m' A_m L_d y_d,k + m' y_m,k (imported inputs of domestic production, and imported
  final goods);
- production-based 生产侧 PBA = Σ F + household direct emissions H;
  consumption-based 消费侧 CBA = Σ_{k ≠ exports} (D_k + I_k) + H;
  embodied in exports EEE = D_EX + I_EX; embodied in imports EEI = Σ_k I_k. Hence
  Σ_k D_k = e'x (the domestic, closed-economy identity: domestic final use + exports =
  production) and PBA − CBA = EEE − EEI (balance of emissions embodied in trade).

Nothing forms an inverse: every m is one transposed solve on the cached LU factors.
Competitive tables are split by import proportionality (``table.domestic()``); the table's
statistical discrepancy (ERR) is treated as domestic final use and reported as its own row.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..core import leontief as leo
from ..core.errors import TableError, message

BY = ("category", "sector", "track")
EXPORTS = ("EX", "EXPO")
CO2_ZH, CO2_EN = "二氧化碳排放", "CO2 emissions"


def match_year(year: int) -> tuple[int, str]:
    """The CEADs inventory year used for a table of ``year``, and why (empty when equal)."""
    from ..data.registry import CEADS_YEARS
    first, last = CEADS_YEARS[0], CEADS_YEARS[-1]
    if year is None:
        raise TableError("table has no year: pass year= to choose the CEADs inventory year")
    if first <= year <= last:
        return int(year), ""
    use = last if year > last else first
    return use, (f"the table is of {year} but CEADs publishes inventories only for "
                 f"{first}–{last}, so {use} emissions are used (nearest year)")


def co2_satellite(table, year: int | None = None, data_dir=None, *, inventory=None):
    """A new table with satellite ``co2`` (Mt CO2) from the CEADs national inventory.

    Emissions by CEADs sector are put on the table's sectors with the shipped concordance
    (:mod:`lianpu.carbon.concordance`); urban and rural household emissions become direct
    emissions of the household final-demand columns. ``year`` defaults to the table's year
    (2020 → 2019, see :func:`match_year`); the choice is written in ``table.notes``.
    """
    from ..carbon import concordance, inventory as inv
    use, why = match_year(table.year if year is None else int(year))
    if year is not None and int(year) != table.year and not why:
        why = f"the table is of {table.year}; {use} emissions were asked for"
    invent = inventory if inventory is not None else inv.read_national(use, data_dir=data_dir)
    by_ceads = invent.sector_totals("China", use)
    values, hh = concordance.to_table(table, by_ceads)
    note = (f"co2: CEADs national inventory {use} (scope 1, IPCC sectoral, Mt CO2; Shan et al. "
            f"2018, 2020) put on {concordance.table_key(table)} sectors by ceads47_to_nbs42.csv"
            + (f"; {why}" if why else ""))
    from ..table import Satellite
    sats = dict(table.satellites)
    sats["co2"] = Satellite("co2", values, "Mt CO2", CO2_ZH, CO2_EN, hh)
    return table.evolve(satellites=sats, notes=tuple(table.notes) + (note,))  # one validation


@dataclass(frozen=True)
class Footprint:
    """Result of :func:`footprint`: a frame by ``by`` plus national totals (``unit``)."""

    table: str
    year: int | None
    satellite: str
    unit: str
    by: str
    frame: pd.DataFrame
    totals: dict
    multipliers: pd.DataFrame
    notes: tuple = field(default=())

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    def to_dict(self) -> dict:
        rows = self.frame.reset_index().to_dict(orient="records")
        return {"table": self.table, "year": self.year, "satellite": self.satellite,
                "unit": self.unit, "by": self.by, "totals": self.totals, "rows": rows,
                "notes": list(self.notes)}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, default=_plain)


def _plain(v):
    if isinstance(v, tuple):
        return "/".join(map(str, v))
    return v.item() if hasattr(v, "item") else str(v)


def _last(c):
    return c[-1] if isinstance(c, tuple) else c


def domestic_view(table):
    """The non-competitive view: the table itself, or ``table.domestic()`` (import
    proportionality; re-exports spread over exports where imports exceed domestic use).
    Satellites are dropped from the view: footprints take them from the original table."""
    if table.imports == "non-competitive":
        return table
    bare = table.evolve(satellites={})
    if not any(_last(c) == "IM" for c in bare.final_demand_labels.index):  # a closed table
        return bare.evolve(Zm_=np.zeros_like(bare.Z_), Ym_=np.zeros_like(bare.Y_))
    return bare.domestic()


def _views(table):
    """(domestic view, full-technology factor of I − A_d − A_m)."""
    td = domestic_view(table)
    if table.imports == "non-competitive":
        A_full = td.A_ + td.Zm_ / np.where(td.x_ > 0, td.x_, 1.0)
        return td, leo.leontief_factor(A_full, labels=list(td.label("en")), table=td.name)
    return td, table.factor  # a competitive table's A is the full technology


def accounts(table, satellite: str = "co2") -> dict:
    """The arrays behind :func:`footprint` (all in the satellite's unit)."""
    if satellite not in table.satellites:
        raise TableError(message(table.name, f"no satellite {satellite!r}", argument="satellite",
                                 expected=f"one of {list(table.satellites)} (add CO2 with "
                                          "lianpu.analysis.carbon.co2_satellite)"))
    sat = table.satellites[satellite]
    F = sat.values
    x = table.x_
    if ((x <= 0) & (F != 0)).any():
        i = int(np.argmax((x <= 0) & (F != 0)))
        raise TableError(message(table.name, "emissions in a sector without output",
                                 row=table.index[i], column=satellite, found=f"{F[i]:.4g}",
                                 expected="0 where gross output is 0"))
    e = np.divide(F, x, out=np.zeros_like(F), where=x > 0)
    td, full = _views(table)
    fd = [str(c) for c in td.final_demand_labels.index]
    Yd, Ym = td.Y_, td.Ym_
    if td.discrepancy_ is not None:
        Yd = np.column_stack([Yd, td.discrepancy_])
        Ym = np.column_stack([Ym, np.zeros(td.n)])
        fd = fd + ["ERR"]
    md = leo.left_solve(td.factor, e)
    mf = leo.left_solve(full, e)
    Am = td.Zm_ / np.where(x > 0, x, 1.0)
    g = leo.left_solve(td.factor, Am.T @ mf)  # g' = m' A_m L_d
    hh = np.zeros(len(fd))
    if sat.final_demand is not None:
        orig = [str(c) for c in table.final_demand_labels.index]
        for j, c in enumerate(orig):
            if sat.final_demand[j] and c not in fd:
                raise TableError(message(table.name, "direct final-demand emissions on a column "
                                         "the domestic view drops", column=c))
            if c in fd:
                hh[fd.index(c)] = sat.final_demand[j]
    return {"e": e, "F": F, "md": md, "mf": mf, "g": g, "Yd": Yd, "Ym": Ym, "fd": fd, "hh": hh,
            "td": td, "unit": sat.unit}


def _totals(D, Im, hh, fd, F) -> dict:
    ex = np.array([c in EXPORTS for c in fd])
    pba = float(F.sum() + hh.sum())
    cba = float(D[~ex].sum() + Im[~ex].sum() + hh.sum())
    eee = float(D[ex].sum() + Im[ex].sum())
    eei = float(Im.sum())
    return {"production_based": pba, "consumption_based": cba, "embodied_in_exports": eee,
            "embodied_in_imports": eei, "household_direct": float(hh.sum()),
            "domestic_final_use_and_exports": float(D.sum()),
            "identity_gap": float(D.sum() - F.sum()),
            "trade_balance_gap": float((pba - cba) - (eee - eei))}


def footprint(table, satellite: str = "co2", by: str = "category", *, data_dir=None,
              tracks=None) -> Footprint:
    """Production- vs consumption-based accounts of ``satellite`` (default CO2).

    Parameters
    ----------
    table : IOTable
        An NBS table (CO2 is added from CEADs if missing) or any table with the satellite.
    by : "category" | "sector" | "track"
        Rows by final-demand category (with household direct emissions), by product sector
        (direct emissions, intensity, multipliers, footprint of final demand for its
        products), or by industrial-chain track (:mod:`lianpu.analysis.tracks`).
    tracks : optional path of a user tracks file (``by="track"``).

    Returns
    -------
    Footprint with ``frame``, ``totals`` (production_based, consumption_based,
    embodied_in_exports, embodied_in_imports, household_direct, identity gaps) and
    ``multipliers`` (domestic and DTA, by sector), all in the satellite's unit.
    """
    if by not in BY:
        raise ValueError(f"argument 'by': found {by!r}, expected one of {list(BY)}")
    notes = list(table.notes)
    if satellite not in table.satellites and satellite == "co2":
        table = co2_satellite(table, data_dir=data_dir)
        notes = list(table.notes)
    a = accounts(table, satellite)
    fd, hh, Yd, Ym, md, mf, g = a["fd"], a["hh"], a["Yd"], a["Ym"], a["md"], a["mf"], a["g"]
    D = md @ Yd
    Im = g @ Yd + mf @ Ym  # embodied in imports (DTA), by category
    totals = _totals(D, Im, hh, fd, a["F"])
    unit = a["unit"]
    scale, iunit = (1e6, f"t CO2 per {table.unit}") if unit == "Mt CO2" else \
        (1.0, f"{unit} per {table.unit}")
    mult = pd.DataFrame({"name_zh": table.sectors["name_zh"], "name_en": table.sectors["name_en"],
                         "intensity": a["e"] * scale, "multiplier_domestic": md * scale,
                         "multiplier_dta": mf * scale}, index=table.index)
    mult.attrs["unit"] = iunit
    notes.append("imports: domestic-technology assumption (imports embody China's emission "
                 "intensities and input structure)")
    if table.imports == "competitive":
        notes.append("competitive table split into domestic and imported use by import "
                     "proportionality; the statistical discrepancy (ERR) counts as domestic "
                     "final use")
        notes.extend(n for n in a["td"].notes[-1:] if "re-exports" in n)
    if by == "category":
        labels = a["td"].final_demand_labels
        frame = pd.DataFrame({
            "name_zh": [labels["name_zh"].get(c, "统计误差") for c in fd],
            "name_en": [labels["name_en"].get(c, "statistical discrepancy") for c in fd],
            "domestic": D, "imported": Im, "household_direct": hh, "total": D + Im + hh,
        }, index=pd.Index(fd, name="category"))
    else:
        frame = _by_sector(table, a, scale)
        if by == "track":
            frame, skipped = _by_track(table, frame, tracks)
            if skipped:
                notes.append("tracks without codes for this table: " + ", ".join(skipped))
            notes.append("tracks may share sectors, so track rows do not add up to the totals")
    return Footprint(table=table.name, year=table.year, satellite=satellite, unit=unit, by=by,
                     frame=frame, totals=totals, multipliers=mult, notes=tuple(notes))


def _by_sector(table, a, scale) -> pd.DataFrame:
    fd, Yd, Ym = a["fd"], a["Yd"], a["Ym"]
    ex = np.array([c in EXPORTS for c in fd])
    md, mf, g = a["md"], a["mf"], a["g"]
    yd_use, ym_use = Yd[:, ~ex].sum(axis=1), Ym[:, ~ex].sum(axis=1)
    yd_ex, ym_ex = Yd[:, ex].sum(axis=1), Ym[:, ex].sum(axis=1)
    return pd.DataFrame({
        "name_zh": table.sectors["name_zh"], "name_en": table.sectors["name_en"],
        "direct": a["F"],
        "consumption_domestic": md * yd_use,
        "consumption_imported": g * yd_use + mf * ym_use,
        "embodied_in_exports": (md + g) * yd_ex + mf * ym_ex,
        "embodied_in_imports": g * Yd.sum(axis=1) + mf * Ym.sum(axis=1),
        "intensity": a["e"] * scale, "multiplier_domestic": md * scale,
    }, index=table.index)


def _by_track(table, sec: pd.DataFrame, path) -> tuple[pd.DataFrame, list]:
    from . import tracks as tr  # written alongside; imported only when asked
    ts = tr.tracks(path)
    rows, skipped = [], []
    total_direct = float(sec["direct"].sum())
    total_cons = float((sec["consumption_domestic"] + sec["consumption_imported"]).sum())
    for tid, track in ts.items():
        try:
            idx = tr.resolve(table, tid, ts)
        except TableError:
            skipped.append(tid)
            continue
        s = sec.iloc[idx]
        cons = float((s["consumption_domestic"] + s["consumption_imported"]).sum())
        rows.append({"track": tid, "name_zh": track.name_zh, "name_en": track.name_en,
                     "sectors": "/".join(map(str, s.index)), "direct": float(s["direct"].sum()),
                     "direct_share": (float(s["direct"].sum()) / total_direct
                                      if total_direct else 0.0),
                     "consumption": cons,
                     "consumption_share": cons / total_cons if total_cons else 0.0,
                     "embodied_in_exports": float(s["embodied_in_exports"].sum()),
                     "embodied_in_imports": float(s["embodied_in_imports"].sum())})
    if not rows:
        raise TableError(message(table.name, "no track has codes for this table's sectors",
                                 argument="by", expected="a table in a classification the "
                                 "tracks file covers"))
    return pd.DataFrame(rows).set_index("track"), skipped
