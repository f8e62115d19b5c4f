"""Carbon footprints 碳足迹: production-based emissions and a consumption-side footprint under
the domestic-technology assumption (DTA), on a single-country IO table.

Equations (Miller & Blair 2009, ch. 10; Peters 2008; Davis & Caldeira 2010; Dietzenbacher &
Mukhopadhyay 2007 for "emissions avoided by imports"). With the domestic (non-competitive) view
of the table — A_d domestic coefficients, A_m imported coefficients, y_d,k domestic and y_m,k
imported final use of final-use column k — and direct emissions F by sector (e = F/x):

- CO2 multipliers 碳排放乘数: m_d' = e' (I − A_d)⁻¹ (domestic supply chain) and, under the
  DTA (imports made with China's technology and China's emission intensities),
  m' = e' (I − A_d − A_m)⁻¹;
- China's own emissions for column k: D_k = m_d' y_d,k (no assumption about foreign producers);
- emissions avoided by importing for column k (DTA): I_k = m' A_m L_d y_d,k + m' y_m,k — what
  the imported inputs and imported final goods of k would have emitted *had they been made in
  China*. This is **not** the emissions embodied in imports: foreign producers' intensities
  are not on a single-country table (:mod:`lianpu.analysis.carbon.mrio` uses an MRIO where one
  is available);
- production-based 生产侧 PBA = Σ F + household direct emissions H;
  DTA footprint 国内技术假设下的消费侧足迹 = Σ_{k not leaving} (D_k + I_k) + H, where the columns
  "leaving" the economy are those whose role is in ``roles.OUTFLOWS`` (exports, OECD's
  purchases by non-residents, a province's outflows) — never a list of codes;
  net transfer (DTA) = PBA − DTA footprint = D_out + I_out − Σ_k I_k.
  Σ_k D_k = e'x (the domestic identity: domestic final use + exports = production).

Most of China's imports come from producers cleaner than China: valued at China's
intensities they "avoid" more than their producers emit, so the DTA footprint is *higher* than
an MRIO consumption-based account and the net transfer (PBA − footprint) much *smaller* — the
gap to MRIO studies is the price of the assumption, not a finding.

Nothing forms an inverse: every m is one transposed solve on the cached LU factors.
Competitive tables are split by import proportionality (``table.domestic()``); the table's
statistical discrepancy (ERR) is treated as domestic final use and reported as its own row.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ...core import leontief as leo
from ...core import roles as R
from ...core.errors import ArgumentError, TableError, message
from ...core.notes import Note
from ...satellites.attach import notes_zh as table_notes_zh
from ...satellites.co2.satellite import CO2_EN, CO2_ZH, co2_satellite, match_year  # noqa: F401
from .._result import Result
from ..basis import resolve_basis

BY = ("category", "sector", "track")
BASIS = ("domestic-technology assumption (DTA): imported goods are valued with China's input "
         "structure and emission intensities; foreign producers' intensities are not used")
BASIS_ZH = "国内技术假设（DTA）：进口品按本国投入结构和排放强度计算，未使用国外生产者的排放强度"

#: final-use role → footprint component (a column ``fp_<component>``)
COMPONENT_OF = {"household": "household", "npish": "household", "government": "government",
                "consumption": "consumption", "consumption_abroad": "consumption_abroad",
                "investment": "investment", "inventory": "inventory", "capital": "capital",
                "export": "exports", "nonresident": "exports", "outflow": "outflows",
                "trade_out": "outflows", "net_outflow": "outflows",
                "discrepancy": "discrepancy", "other": "other"}
COMPONENTS = ("household", "government", "consumption", "consumption_abroad", "investment",
              "inventory", "capital", "discrepancy", "other", "exports", "outflows")
LEAVING = ("exports", "outflows")
COMPONENT_NAMES = {
    "household": ("居民消费", "household consumption"),
    "government": ("政府消费", "government consumption"),
    "consumption": ("最终消费（居民与政府）", "final consumption (households and government)"),
    "consumption_abroad": ("居民境外直接购买", "purchases abroad by residents"),
    "investment": ("固定资本形成", "fixed capital formation"),
    "inventory": ("存货变动", "changes in inventories"),
    "capital": ("资本形成总额", "gross capital formation"),
    "discrepancy": ("统计误差", "statistical discrepancy"),
    "other": ("其他最终使用", "other final use"),
    "exports": ("出口（含非居民境内购买）", "exports (incl. purchases by non-residents)"),
    "outflows": ("省外流出", "outflow to other provinces"),
}

#: totals → (中文, English); every key of :attr:`Footprint.totals`
TOTAL_NAMES = {
    "production_based": ("生产侧排放（本国生产的直接排放＋居民直接排放）",
                         "production-based emissions (direct emissions of domestic production "
                         "and households)"),
    "footprint_dta": ("消费侧足迹（国内技术假设，DTA）",
                      "consumption footprint under the domestic-technology assumption (DTA)"),
    "footprint_domestic": ("本国生产为国内最终使用排放（不含进口）",
                           "domestic emissions for domestic final use (imports excluded; no "
                           "assumption needed)"),
    "avoided_by_imports": ("进口避免的排放（DTA：进口品若在国内生产的排放）",
                           "emissions avoided by importing (DTA: what imports would emit if "
                           "made in China)"),
    "avoided_by_imports_domestic_use": ("国内最终使用的进口避免排放（DTA）",
                                        "emissions avoided by imports for domestic final use "
                                        "(DTA)"),
    "avoided_by_imports_exports": ("出口所用进口的避免排放（DTA）",
                                   "emissions avoided by imported inputs of exports (DTA)"),
    "embodied_in_exports_domestic": ("出口中本国生产的排放",
                                     "domestic emissions embodied in exports"),
    "embodied_in_exports_dta": ("出口隐含排放（含进口中间投入，DTA）",
                                "embodied in exports incl. imported inputs (DTA)"),
    "net_transfer_dta": ("净转移排放（生产侧 − DTA 足迹）",
                         "net emission transfer (production-based − DTA footprint)"),
    "household_direct": ("居民直接排放", "household direct emissions"),
    "domestic_final_use_and_exports": ("本国生产排放合计（国内最终使用＋出口）",
                                       "domestic emissions, all final use (= e'x)"),
    "identity_gap": ("恒等式误差 Σ D_k − e'x", "identity gap Σ D_k − e'x"),
    "trade_balance_gap": ("恒等式误差（贸易平衡）", "identity gap (trade balance)"),
}


@dataclass(frozen=True)
class Footprint(Result):
    """Result of :func:`footprint`: a frame by ``by`` plus national totals (``unit``).

    ``basis`` says what the consumption side rests on (the DTA); ``totals`` keys are
    described in :data:`TOTAL_NAMES` (zh/en)."""

    table: str
    year: int | None
    satellite: str
    unit: str
    by: str
    frame: pd.DataFrame
    totals: dict
    multipliers: pd.DataFrame
    notes: tuple = field(default=())
    basis: str = BASIS
    #: ``notes`` in Chinese, same order and facts (a note with no Chinese stays as written)
    notes_zh: tuple = field(default=())

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    def to_dict(self) -> dict:
        rows = self.frame.reset_index().to_dict(orient="records")
        return {"table": self.table, "year": self.year, "satellite": self.satellite,
                "unit": self.unit, "basis": self.basis, "basis_zh": BASIS_ZH, "by": self.by,
                "totals": self.totals,
                "totals_labels": {k: {"zh": TOTAL_NAMES[k][0], "en": TOTAL_NAMES[k][1]}
                                  for k in self.totals if k in TOTAL_NAMES},
                "rows": rows, "notes": list(self.notes), "notes_zh": list(self.notes_zh)}


def domestic_view(table):
    """The carbon view: :func:`lianpu.analysis.basis.resolve_basis` (``"auto"``), then, on a
    provincial local view, imports from abroad and inflows from other provinces merged.

    - a non-competitive table: itself; a competitive one with an imports column:
      ``table.domestic()`` (import proportionality; the cached view every analysis uses);
    - a provincial table with inflows: its local view, with imports from abroad and inflows
      from other provinces taken together as supply from outside the province (both valued
      at the province's own technology and intensities under the DTA; the inter-provincial
      MRIO separates them);
    - a closed table (no column with the role 'import'): itself with zero imports.

    Footprints take the satellites from the original table, never from the view."""
    tb, _ = resolve_basis(table)
    if getattr(tb, "Zr_", None) is not None:
        return tb.evolve(Zm_=tb.Zm_ + tb.Zr_, Ym_=tb.Ym_ + tb.Yr_, Zr_=None, Yr_=None,
                         notes=tuple(tb.notes) + (Note(
                             "carbon (province): imports from abroad and inflows from other "
                             "provinces together as supply from outside the province (DTA)",
                             "碳核算（省级）：境外进口与外省调入合并为省外供给（国内技术假设 DTA）"),))
    if tb.Zm_ is None:  # published: a closed table, nothing to split off
        return tb.evolve(Zm_=np.zeros_like(tb.Z_), Ym_=np.zeros_like(tb.Y_), satellites={})
    return tb


def leaving(roles) -> np.ndarray:
    """Mask of final-use columns whose sales leave the economy of the table (role in
    ``roles.OUTFLOWS``: exports, purchases by non-residents, outflows to other provinces)."""
    return np.array([r in R.OUTFLOWS for r in roles], dtype=bool)


def _views(table):
    """(domestic view, full-technology factor of I − A_d − A_m)."""
    td = domestic_view(table)
    if table.imports == "non-competitive":
        A_full = td.A_ + td.Zm_ / np.where(td.x_ > 0, td.x_, 1.0)
        return td, leo.leontief_factor(A_full, labels=list(td.label("en")), table=td.name)
    return td, table.factor  # a competitive table's A is the full technology


def accounts(table, satellite: str = "co2") -> dict:
    """The arrays behind :func:`footprint` (all in the satellite's unit); ``roles`` gives the
    role of each final-use column of the domestic view (ERR appended as 'discrepancy')."""
    if satellite not in table.satellites:
        raise TableError(message(table.name, f"no satellite {satellite!r}", argument="satellite",
                                 expected=f"one of {list(table.satellites)} (add CO2 with "
                                          "lianpu.co2_satellite)"))
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
    rl = list(td.fd_roles)
    Yd, Ym = td.Y_, td.Ym_
    if td.discrepancy_ is not None:
        Yd = np.column_stack([Yd, td.discrepancy_])
        Ym = np.column_stack([Ym, np.zeros(td.n)])
        fd = fd + ["ERR"]
        rl = rl + ["discrepancy"]
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
    return {"e": e, "F": F, "md": md, "mf": mf, "g": g, "Yd": Yd, "Ym": Ym, "fd": fd,
            "roles": rl, "hh": hh, "td": td, "unit": sat.unit}


def _totals(D, Im, hh, out, F) -> dict:
    pba = float(F.sum() + hh.sum())
    own = float(D[~out].sum() + hh.sum())
    avoided_use = float(Im[~out].sum())
    fp = own + avoided_use
    eee_dom = float(D[out].sum())
    eee = eee_dom + float(Im[out].sum())
    eai = float(Im.sum())
    return {"production_based": pba, "footprint_dta": fp, "footprint_domestic": own,
            "avoided_by_imports": eai, "avoided_by_imports_domestic_use": avoided_use,
            "avoided_by_imports_exports": float(Im[out].sum()),
            "embodied_in_exports_domestic": eee_dom, "embodied_in_exports_dta": eee,
            "net_transfer_dta": pba - fp, "household_direct": float(hh.sum()),
            "domestic_final_use_and_exports": float(D.sum()),
            "identity_gap": float(D.sum() - F.sum()),
            "trade_balance_gap": float((pba - fp) - (eee - eai))}


def footprint(table, satellite: str = "co2", by: str = "category", *, data_dir=None,
              tracks=None) -> Footprint:
    """Production-based emissions and the DTA consumption footprint of ``satellite``.

    Parameters
    ----------
    table : IOTable
        An NBS table (CO2 is added from CEADs if missing) or any table with the satellite.
    by : "category" | "sector" | "track"
        Rows by final-use column (with its role and household direct emissions), by product
        sector (direct emissions, intensity, multipliers, footprint of final use of its
        products split by final-use role), or by industrial-chain track
        (:mod:`lianpu.analysis.tracks.catalogue`), with the same split and a note where a track's
        footprint is negative.
    tracks : optional path of a user tracks file (``by="track"``).

    Returns
    -------
    Footprint with ``frame``, ``totals`` (see :data:`TOTAL_NAMES`: production_based,
    footprint_dta, footprint_domestic, avoided_by_imports, embodied_in_exports_domestic,
    net_transfer_dta …) and ``multipliers`` (domestic and DTA, by sector), all in the
    satellite's unit. The consumption side is a **DTA footprint**, not an MRIO
    consumption-based account: for one with foreign intensities see
    :func:`lianpu.analysis.carbon.mrio.mrio_footprint`.
    """
    if by not in BY:  # the template's place, with the text the tests pin
        raise ArgumentError(message(None, f"found {by!r}, expected one of {list(BY)}",
                                    argument="by"))
    if satellite not in table.satellites and satellite == "co2":
        table = co2_satellite(table, data_dir=data_dir)
    notes, zh = list(table.notes), list(table_notes_zh(table.notes))
    a = accounts(table, satellite)
    fd, hh, Yd, Ym, md, mf, g = a["fd"], a["hh"], a["Yd"], a["Ym"], a["md"], a["mf"], a["g"]
    out = leaving(a["roles"])
    D = md @ Yd
    Im = g @ Yd + mf @ Ym  # avoided by imports (DTA), by final-use column
    totals = _totals(D, Im, hh, out, a["F"])
    unit = a["unit"]
    scale, iunit = (1e6, f"t CO2 per {table.unit}") if unit == "Mt CO2" else \
        (1.0, f"{unit} per {table.unit}")
    mult = pd.DataFrame({"name_zh": table.sectors["name_zh"], "name_en": table.sectors["name_en"],
                         "intensity": a["e"] * scale, "multiplier_domestic": md * scale,
                         "multiplier_dta": mf * scale}, index=table.index)
    mult.attrs["unit"] = iunit
    notes.append("consumption side: a DTA footprint — imports are valued with China's emission "
                 "intensities and input structure ('emissions avoided by importing'), not with "
                 "their producers' intensities; it is not an MRIO consumption-based account "
                 "(MRIO studies put China's net transfer several times higher than the DTA's)")
    zh.append("消费侧为国内技术假设（DTA）下的碳足迹：进口品按本国排放强度和投入结构计算（“进口避免的"
              "排放”），而非其生产者的排放强度；这不是多区域投入产出表（MRIO）的消费侧排放核算"
              "（MRIO研究得到的中国净转移排放是DTA结果的数倍）")
    leave = ", ".join(c for c, o in zip(fd, out) if o)
    notes.append("exports: final-use columns whose role leaves the economy (export, "
                 "purchases by non-residents, outflows); " + leave)
    zh.append("出口：流出本经济体的最终使用列（出口、非居民境内购买、省外流出）：" + leave)
    if table.imports == "competitive":
        notes.append("competitive table split into domestic and imported use by import "
                     "proportionality; the statistical discrepancy (ERR) counts as domestic "
                     "final use")
        zh.append("竞争型投入产出表按进口比例假设拆分为国内使用和进口使用；统计误差（ERR）计为国内"
                  "最终使用")
        reex = [n for n in a["td"].notes[-1:] if "re-exports" in n]
        notes.extend(reex)
        zh.extend(table_notes_zh(reex))
    if by == "category":
        labels = a["td"].final_demand_labels
        frame = pd.DataFrame({
            "name_zh": [labels["name_zh"].get(c, "统计误差") for c in fd],
            "name_en": [labels["name_en"].get(c, "statistical discrepancy") for c in fd],
            "role": a["roles"], "leaves_economy": out,
            "domestic": D, "avoided_by_imports_dta": Im, "household_direct": hh,
            "total_dta": D + Im + hh,
        }, index=pd.Index(fd, name="category"))
    else:
        frame = _by_sector(table, a, scale)
        if by == "track":
            frame, skipped = _by_track(table, frame, tracks, unit)
            if skipped:
                notes.append("tracks without codes for this table: " + ", ".join(skipped))
                zh.append("在本表中没有对应部门代码的产业链：" + ", ".join(skipped))
            notes.append("tracks may share sectors, so track rows do not add up to the totals")
            zh.append("不同产业链可能共用部门，各产业链行相加不等于合计")
            for en_, zh_ in zip(frame["note_en"], frame["note_zh"]):
                if en_:
                    notes.append(en_)
                    zh.append(zh_ or en_)
    return Footprint(table=table.name, year=table.year, satellite=satellite, unit=unit, by=by,
                     frame=frame, totals=totals, multipliers=mult, notes=tuple(notes),
                     notes_zh=tuple(zh))


def _components(a) -> dict[str, np.ndarray]:
    """DTA footprint of final use of each product (n,) by component of final use
    (:data:`COMPONENT_OF`), only components the table has."""
    Yd, Ym, md, mf, g = a["Yd"], a["Ym"], a["md"], a["mf"], a["g"]
    out = {}
    comp = [COMPONENT_OF.get(r, "other") for r in a["roles"]]
    for c in COMPONENTS:
        cols = [j for j, k in enumerate(comp) if k == c]
        if cols:
            out[c] = (md + g) * Yd[:, cols].sum(axis=1) + mf * Ym[:, cols].sum(axis=1)
    return out


def _by_sector(table, a, scale) -> pd.DataFrame:
    Yd, Ym = a["Yd"], a["Ym"]
    ex = leaving(a["roles"])
    md, mf, g = a["md"], a["mf"], a["g"]
    yd_use, ym_use = Yd[:, ~ex].sum(axis=1), Ym[:, ~ex].sum(axis=1)
    yd_ex, ym_ex = Yd[:, ex].sum(axis=1), Ym[:, ex].sum(axis=1)
    frame = pd.DataFrame({
        "name_zh": table.sectors["name_zh"], "name_en": table.sectors["name_en"],
        "direct": a["F"],
        "footprint_domestic": md * yd_use,
        "avoided_by_imports_domestic_use": g * yd_use + mf * ym_use,
        "footprint_dta": md * yd_use + g * yd_use + mf * ym_use,
        "embodied_in_exports_domestic": md * yd_ex,
        "avoided_by_imports_exports": g * yd_ex + mf * ym_ex,
        "avoided_by_imports": g * Yd.sum(axis=1) + mf * Ym.sum(axis=1),
        "intensity": a["e"] * scale, "multiplier_domestic": md * scale,
    }, index=table.index)
    for c, v in _components(a).items():
        frame[f"fp_{c}"] = v
    return frame


def _negative_note(tid, name_zh, name_en, total, parts, unit) -> tuple[str, str]:
    """Planner-facing explanation of a negative DTA footprint (English, Chinese)."""
    neg = sorted(((v, c) for c, v in parts.items() if v < 0 and c not in LEAVING))
    why = {"inventory": ("stocks drawn down", "存货减少"),
           "discrepancy": ("a negative statistical discrepancy", "统计误差为负")}
    what_en = ", ".join(f"{COMPONENT_NAMES[c][1]} {v:,.1f} {unit}"
                        + (f" ({why[c][0]})" if c in why else "") for v, c in neg)
    what_zh = "，".join(f"{COMPONENT_NAMES[c][0]} {v:,.1f} {unit}"
                       + (f"（{why[c][1]}）" if c in why else "") for v, c in neg)
    en = (f"{tid} ({name_en}): the DTA footprint of final use of its products is negative "
          f"({total:,.1f} {unit}) because final use of these products is negative in: "
          f"{what_en}, which outweighs the other domestic uses (exports are counted apart). "
          "It does not mean the chain removes CO2: its products are mostly intermediate "
          "inputs, whose emissions are counted in the footprint of the final goods that use "
          "them. For planning, use direct emissions and the CO2 multiplier.")
    zh = (f"{name_zh}：其产品最终使用的碳足迹（DTA）为负（{total:,.1f} {unit}），原因是以下最终使用"
          f"为负：{what_zh}，抵消了其他国内最终使用（出口另计）。这不表示该产业链吸收二氧化碳："
          "其产品主要用作中间投入，排放计入使用它们的最终产品的足迹中。规划时请看直接排放和"
          "碳排放乘数。")
    return en, zh


def _by_track(table, sec: pd.DataFrame, path, unit: str = "Mt CO2"
              ) -> tuple[pd.DataFrame, list]:
    from ..tracks import catalogue as tr
    ts = tr.tracks(path)
    rows, skipped = [], []
    total_direct = float(sec["direct"].sum())
    total_fp = float(sec["footprint_dta"].sum())
    comps = [c for c in sec.columns if c.startswith("fp_")]
    for tid, track in ts.items():
        try:
            idx = tr.resolve(table, tid, ts)
        except TableError:
            skipped.append(tid)
            continue
        s = sec.iloc[idx]
        fp = float(s["footprint_dta"].sum())
        parts = {c[3:]: float(s[c].sum()) for c in comps}
        note_en, note_zh = (_negative_note(tid, track.name_zh, track.name_en, fp, parts, unit)
                            if fp < 0 else ("", ""))
        rows.append({"track": tid, "name_zh": track.name_zh, "name_en": track.name_en,
                     "sectors": "/".join(map(str, s.index)), "direct": float(s["direct"].sum()),
                     "direct_share": (float(s["direct"].sum()) / total_direct
                                      if total_direct else 0.0),
                     "footprint_dta": fp,
                     "footprint_dta_share": fp / total_fp if total_fp else 0.0,
                     "footprint_domestic": float(s["footprint_domestic"].sum()),
                     "avoided_by_imports_domestic_use":
                         float(s["avoided_by_imports_domestic_use"].sum()),
                     "embodied_in_exports_domestic":
                         float(s["embodied_in_exports_domestic"].sum()),
                     "avoided_by_imports": float(s["avoided_by_imports"].sum()),
                     **{c: parts[c[3:]] for c in comps},
                     "note_en": note_en, "note_zh": note_zh})
    if not rows:
        raise TableError(message(table.name, "no track has codes for this table's sectors",
                                 argument="by", expected="a table in a classification the "
                                 "tracks file covers"))
    return pd.DataFrame(rows).set_index("track"), skipped
