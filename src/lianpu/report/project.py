"""Project impact report 项目影响报告: what a project's spending does for the region.

The planner's question — "what does this 100亿 project do for us?" — answered IMPLAN-style
from one spending profile (:func:`lianpu.read_demand`): direct / indirect / induced output,
value added, labour income, net taxes on production, jobs and CO2, in total and per 亿元 of
spending, by sector; local against leaking (abroad, other provinces); Type I and Type II side
by side with the household closure stated; a Monte-Carlo band. Every number is
:func:`lianpu.impact`'s on the same basis (default ``"auto"``, :mod:`lianpu.analysis.basis`).

Leakage (Type I). Spending a on products, of which f = a ⊙ local share is met locally:

- first round 首轮漏出 = a − f, split abroad / other provinces in proportion to the product's
  imports (Zm + Ym row sums) and inflows (Zr + Yr row sums) in the table's view;
- supply chain 产业链漏出 = Am x₁ (abroad) and Ar x₁ (other provinces), Am = Zm x̂⁻¹,
  Ar = Zr x̂⁻¹, x₁ the Type I output.

Since each sector's output pays for local inputs, imported and inflowing inputs and value
added (column sums: x = 1ᵀ(A + Am + Ar) x̂ + v) and x₁ − A x₁ = f, Σ a = 1ᵀv̂ x₁ + first-round
+ supply-chain leakage: each yuan of the project ends up as local value added or leaks out —
up to the table's own column imbalance, which is reported.
"""
from __future__ import annotations

import datetime as _dt
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from markupsafe import Markup

from ..analysis._result import code_str
from ..atomic import umask
from ..core.errors import LianpuError
from ..core.notes import Note
from ..core.notes import zh as note_zh
from ..core.units import Unit, fmt_num
from . import figures as fg
from .build import INDEX, MARKER, PDF, WORKBOOK, ReportError, _check_target, _swap, recover
from .i18n import note_text, result_notes, source_text
from .model import Figure, Section, Sheet, assign_sheet_names
from .render import decimals_by_row, env, plotly_js, write_workbook

DRAWS = 200
MONEY = ("output", "value_added", "income", "production_taxes")
NAMES = {"output": ("总产出", "Gross output"), "value_added": ("增加值", "Value added"),
         "income": ("劳动者报酬", "Labour income"),
         "production_taxes": ("生产税净额", "Net taxes on production"),
         "jobs": ("就业", "Jobs"), "co2": ("二氧化碳排放", "CO2 emissions")}
EFFECTS = ("direct", "indirect", "type1", "induced", "type2")
EFFECT_NAMES = {"direct": ("直接效应", "Direct"), "indirect": ("间接效应", "Indirect"),
                "type1": ("I型合计", "Type I total"), "induced": ("诱发效应", "Induced"),
                "type2": ("II型合计", "Type II total")}
LEAK_NAMES = {"local_value_added": ("本地增加值（I型）", "Local value added (Type I)"),
              "abroad_first_round": ("首轮漏出·境外进口", "First-round leakage · abroad"),
              "abroad_supply_chain": ("产业链漏出·境外进口", "Supply-chain leakage · abroad"),
              "provinces_first_round": ("首轮漏出·省外调入", "First-round leakage · other provinces"),
              "provinces_supply_chain": ("产业链漏出·省外调入",
                                         "Supply-chain leakage · other provinces"),
              "imbalance": ("表内列不平衡（残差）", "Table column imbalance (residual)")}


# --------------------------------------------------------------------------- analysis
@dataclass(frozen=True, eq=False)
class ProjectImpact:
    """The project's effects, in the table's units (satellites in theirs).

    ``impact``: the :class:`~lianpu.analysis.scenarios.impact.ImpactResult` (Type II where the table
    allows, else Type I); ``taxes``: net taxes on production per unit of output (n,) or None;
    ``leak_first`` / ``leak_chain``: {"abroad", "provinces"} → (n,) by product; ``mc``: the
    :class:`~lianpu.analysis.scenarios.montecarlo.MonteCarloResult` or None (``mc_error`` says why)."""

    table: object          # the view analysed (resolve_basis)
    impact: object
    amount: np.ndarray     # (n,) gross spending
    local: np.ndarray      # (n,) met locally
    taxes: np.ndarray | None
    leak_first: dict
    leak_chain: dict
    mc: object = None
    mc_error: str = ""
    no_type2: str = ""
    satellite_notes: dict = field(default_factory=dict)   # kind → data note (a Note)
    satellite_missing: dict = field(default_factory=dict)  # kind → why not

    @property
    def spend(self) -> float:
        return float(self.amount.sum())

    @property
    def indicators(self) -> tuple:
        r = self.impact
        out = [i for i in ("output", "value_added", "income") if i in r.intensities]
        if self.taxes is not None:
            out.append("production_taxes")
        return tuple(out + [k for k in ("jobs", "co2") if k in r.intensities])

    def intensity(self, ind: str) -> np.ndarray:
        return self.taxes if ind == "production_taxes" else self.impact.intensities[ind]

    def unit(self, ind: str) -> str:
        return self.table.unit if ind == "production_taxes" else self.impact.units[ind]

    def effect(self, ind: str, eff: str) -> np.ndarray:
        """(n,) effect of ``eff`` in :data:`EFFECTS` on ``ind``; NaN for Type II parts when
        the table allows Type I only."""
        r, s = self.impact, self.intensity(ind)
        if eff in ("direct", "indirect"):
            return s * r.output(eff)[:, 0]
        if eff == "type1":
            return s * r.type1[:, 0]
        if r.type2 is None:
            return np.full(len(s), np.nan)
        return s * (r.output("induced")[:, 0] if eff == "induced" else r.type2[:, 0])

    def totals(self) -> pd.DataFrame:
        """Rows indicators; columns :data:`EFFECTS`, per 亿元-free ratios ``type1_per_unit`` /
        ``type2_per_unit`` (effect per unit of spending, in the indicator's unit per table
        unit), the Monte-Carlo p5/p50/p95 of the Type II (else Type I) total, and ``unit``."""
        rows = {}
        for ind in self.indicators:
            vals = {e: float(np.sum(self.effect(ind, e))) for e in EFFECTS}
            vals["type1_per_unit"] = vals["type1"] / self.spend
            vals["type2_per_unit"] = vals["type2"] / self.spend
            for p in ("p5", "p50", "p95"):
                vals[p] = np.nan
            if self.mc is not None and ind in self.mc.point.indicators:
                t = self.mc.totals().xs("total", level="effect")
                for p in ("p5", "p50", "p95"):
                    vals[p] = float(t.loc[(ind, self.impact.scenarios[0]), p])
            vals["unit"] = self.unit(ind)
            rows[ind] = vals
        return pd.DataFrame.from_dict(rows, orient="index")

    def leakage(self) -> pd.Series:
        """Where the spending ends up (Type I): local value added, the four leakages and the
        table's residual; sums to :attr:`spend`."""
        va = float(self.impact.intensities["value_added"] @ self.impact.type1[:, 0])
        s = pd.Series({"local_value_added": va,
                       "abroad_first_round": float(self.leak_first["abroad"].sum()),
                       "abroad_supply_chain": float(self.leak_chain["abroad"].sum()),
                       "provinces_first_round": float(self.leak_first["provinces"].sum()),
                       "provinces_supply_chain": float(self.leak_chain["provinces"].sum())})
        s["imbalance"] = self.spend - s.sum()
        return s

    def to_dict(self) -> dict:
        return {"table": self.impact.table, "year": self.impact.year, "unit": self.table.unit,
                "spend": self.spend, "type": self.impact.type, "basis": dict(self.impact.basis),
                "closure": dict(self.impact.closure) or None,
                "totals": self.totals().reset_index(names="indicator").to_dict("records"),
                "leakage": self.leakage().to_dict(), "draws": None if self.mc is None
                else self.mc.draws, "satellites": dict(self.satellite_notes),
                "satellites_missing": dict(self.satellite_missing)}


def project_impact(table, demand, *, local_share=None, basis: str = "auto", draws: int = DRAWS,
                   seed: int = 0, data_dir=None) -> ProjectImpact:
    """The project's effects on ``table`` (see the module docstring).

    ``demand``: a spending-profile file or anything :func:`lianpu.analysis.scenarios.demand.as_demand`
    takes (one scenario); ``local_share``: overrides the file's shares — a scalar for every
    row, or {sector code: share}. ``draws``: Monte-Carlo draws (0: none)."""
    from ..analysis.basis import resolve_basis
    from ..analysis.defaults import impact_with_fallback
    from ..analysis.scenarios.demand import Demand, as_demand
    from ..satellites.attach import SHIPPED, attach
    sat_notes, sat_missing = {}, {}
    for kind in SHIPPED:
        try:
            a = attach(table, kind, data_dir)
        except LianpuError as exc:
            sat_missing[kind] = str(exc)
            continue
        table = a.table
        sat_notes[kind] = Note(a.note, a.note_zh or note_zh(a.note))
    view, _ = resolve_basis(table, basis)
    d = as_demand(view, demand)
    if d.amount.shape[1] != 1:
        raise ReportError(f"argument 'demand': found {d.amount.shape[1]} scenarios "
                          f"{list(d.scenarios)[:3]}, expected one project")
    if local_share is not None:
        d = _with_shares(view, d, local_share)
    r, no2 = impact_with_fallback(table, d, "II", basis=basis, data_dir=data_dir)
    amount, local = d.amount[:, 0], d.local[:, 0]
    taxes = None
    roles = list(view.primary_roles)
    if "production_taxes" in roles:
        x = view.x.to_numpy()
        taxes = view.V.to_numpy()[roles.index("production_taxes")] / np.where(x > 0, x, np.inf)
    first, chain = _leakage(view, amount, local, r.type1[:, 0])
    mc, mc_err = None, ""
    if draws:
        from ..analysis.households import closure
        from ..analysis.scenarios.montecarlo import montecarlo
        try:
            hh = closure(view, None, data_dir).split if r.type == "II" else None
            mc = montecarlo(table, Demand(d.amount, d.local, d.scenarios, d.source),
                            draws=int(draws), type=r.type, seed=seed, scheduler="serial",
                            basis=basis, households=hh)
        except LianpuError as exc:
            mc_err = str(exc)
    return ProjectImpact(view, r, amount, local, taxes, first, chain, mc, mc_err, no2,
                         sat_notes, sat_missing)


def _with_shares(view, d, local_share):
    from ..analysis.scenarios.demand import Demand
    share = np.asarray(d.local[:, 0] / np.where(d.amount[:, 0] != 0, d.amount[:, 0], 1.0))
    share = np.where(d.amount[:, 0] != 0, share, 1.0)
    if isinstance(local_share, dict):
        codes = [str(c) for c in view.index]
        for c, v in local_share.items():
            key = str(c).zfill(2) if str(c).isdigit() and str(c).zfill(2) in codes else str(c)
            if key not in codes:
                raise ReportError(f"argument 'local_share': found sector {c!r}, expected a "
                                  f"sector code of {view.name} such as {codes[0]!r}")
            share[codes.index(key)] = float(v)
    else:
        share = np.full(view.n, float(local_share))
    if np.any((share < 0) | (share > 1)) or not np.all(np.isfinite(share)):
        raise ReportError(f"argument 'local_share': found {local_share!r}, expected shares "
                          "between 0 and 1")
    local = d.amount * share[:, None]
    return Demand(d.amount, local, d.scenarios, d.source,
                  tuple(d.notes) + (Note(f"local shares set by local_share={local_share!r}",
                                         f"本地份额按 local_share={local_share!r} 设定"),))


def _arr(frame):
    return None if frame is None else frame.to_numpy()


def _leakage(view, amount, local, x1):
    n = view.n
    zero = np.zeros(n)
    x = view.x.to_numpy()
    xs = np.where(x > 0, x, np.inf)
    blocks = {"abroad": (_arr(view.Zm), _arr(view.Ym)),
              "provinces": (_arr(view.Zr), _arr(view.Yr))}
    use, chain = {}, {}
    for k, (Z, Y) in blocks.items():
        if Z is None:
            use[k], chain[k] = zero, zero
            continue
        use[k] = Z.sum(axis=1) + (0 if Y is None else Y.sum(axis=1))
        chain[k] = (Z / xs[None, :]) @ x1   # by imported product
    tot = use["abroad"] + use["provinces"]
    gap = amount - local
    # a product the table shows no imports or inflows of (or a table that separates neither,
    # e.g. a competitive one as published): its leak counts as imports from abroad
    only_provinces = blocks["abroad"][0] is None and blocks["provinces"][0] is not None
    w_ab = np.where(tot > 0, use["abroad"] / np.where(tot > 0, tot, 1),
                    0.0 if only_provinces else 1.0)
    first = {"abroad": gap * w_ab, "provinces": gap * (1 - w_ab)}
    return first, chain


# --------------------------------------------------------------------------- report content
def _n(key, lang, table=NAMES):
    return table[key][0 if lang == "zh" else 1]


def _disp(p: ProjectImpact, ind: str, lang: str) -> tuple[float, str]:
    """(factor, unit) to show an indicator: money in 亿元, jobs in persons, CO2 in 万吨."""
    zh = lang == "zh"
    if ind in MONEY:
        return Unit.parse(p.table.unit).display(lang)
    u = p.unit(ind)
    if ind == "jobs" and "10,000 persons" in u:
        return 1e4, "人" if zh else "persons"
    if ind == "co2" and u.strip() == "Mt CO2":
        return 100.0, "万吨CO2" if zh else "10,000 t CO2"
    return 1.0, u


def sections(p: ProjectImpact, table, lang: str, project_name: str = "") -> list[Section]:
    """The report's sections, built only from ``p``."""
    zh = lang == "zh"
    r = p.impact
    k, dunit = _disp(p, "output", lang)
    spend = p.spend * k
    src, year = source_text(table, lang), table.year
    names = p.table.label(lang)
    codes = [code_str(c) for c in p.table.index]
    tot = p.totals()
    # 1. summary
    s1 = Section("project-summary", "一、项目概况" if zh else "1. The project")
    lead = (f"项目支出合计 {fmt_num(spend, 2)} {dunit}（{project_name}），其中本地满足 "
            f"{fmt_num(p.local.sum() * k, 2)} {dunit}。" if zh else
            f"Project spending {fmt_num(spend, 2)} {dunit} ({project_name}), of which "
            f"{fmt_num(p.local.sum() * k, 2)} {dunit} is supplied locally.")
    s1.lead = lead
    head = []
    for ind in p.indicators:
        f_, u = _disp(p, ind, lang)
        t1, t2 = tot.at[ind, "type1"] * f_, tot.at[ind, "type2"] * f_
        per = 1 / spend
        if np.isnan(t2):
            head.append(f"{_n(ind, lang)} {fmt_num(t1, 2)} {u}（每{dunit} {fmt_num(t1 * per, 3)}）"
                        if zh else f"{_n(ind, lang)} {fmt_num(t1, 2)} {u} "
                        f"({fmt_num(t1 * per, 3)} per {dunit})")
        else:
            head.append(f"{_n(ind, lang)} I型 {fmt_num(t1, 2)} / II型 {fmt_num(t2, 2)} {u}"
                        f"（每{dunit} {fmt_num(t1 * per, 3)} / {fmt_num(t2 * per, 3)}）" if zh else
                        f"{_n(ind, lang)} Type I {fmt_num(t1, 2)} / Type II {fmt_num(t2, 2)} {u} "
                        f"({fmt_num(t1 * per, 3)} / {fmt_num(t2 * per, 3)} per {dunit})")
    s1.paragraphs.append(("带动效应：" if zh else "Effects: ") + ("；".join(head) if zh
                                                              else "; ".join(head))
                         + ("。" if zh else "."))
    s1.paragraphs.append(("计算口径：" + r.basis["note_zh"]) if zh else
                         ("Basis: " + r.basis["note_en"]))
    if r.closure:
        s1.paragraphs.append(("II型居民收口：" if zh else "Type II closure: ")
                             + r.closure[f"text_{lang}"])
        if r.closure[f"warning_{lang}"]:
            s1.paragraphs.append("⚠ " + r.closure[f"warning_{lang}"])
    if p.no_type2:
        s1.paragraphs.append(("未计算诱发效应（II型）：" if zh else "No induced (Type II) effects: ")
                             + p.no_type2)
    nz = np.flatnonzero(p.amount)
    s1.sheets.append(Sheet("project-demand", "项目支出结构" if zh else "Project spending", pd.DataFrame({
        "代码" if zh else "code": [codes[i] for i in nz],
        "部门" if zh else "sector": [names.iloc[i] for i in nz],
        f"{'支出' if zh else 'spending'} [{dunit}]": p.amount[nz] * k,
        f"{'本地满足' if zh else 'local'} [{dunit}]": p.local[nz] * k,
        f"{'本地份额' if zh else 'local share'} [%]": 100 * p.local[nz] / p.amount[nz]})))
    # 2. totals, Type I and II side by side
    s2 = Section("project-effects", "二、带动效应（I型与II型）" if zh else
                 "2. Effects (Type I and Type II)")
    s2.lead = ("I型：居民外生（直接 + 间接）；II型：居民内生，另加劳动者报酬转化为消费后的诱发效应。"
               "“每亿元”为每亿元项目支出的效应。" if zh else
               "Type I: households exogenous (direct + indirect); Type II: households endogenous, "
               "adding the induced effect of labour income re-spent. 'Per' columns are per "
               f"{dunit} of project spending.")
    rows = []
    for ind in p.indicators:
        f_, u = _disp(p, ind, lang)
        row = {"指标" if zh else "indicator": _n(ind, lang), "单位" if zh else "unit": u}
        for e in EFFECTS:
            row[_n(e, lang, EFFECT_NAMES)] = tot.at[ind, e] * f_
        per = f"每{dunit}" if zh else f"per {dunit}"
        row[f"I型 {per}" if zh else f"Type I {per}"] = tot.at[ind, "type1"] * f_ / spend
        row[f"II型 {per}" if zh else f"Type II {per}"] = tot.at[ind, "type2"] * f_ / spend
        for q in ("p5", "p95"):
            row[f"{'蒙特卡洛' if zh else 'Monte Carlo'} {q}"] = tot.at[ind, q] * f_
        rows.append(row)
    s2.sheets.append(Sheet("project-totals", "效应合计" if zh else "Total effects",
                           decimals_by_row(pd.DataFrame(rows)), note=_mc_note(p, lang)))
    mind = [i for i in p.indicators if i in MONEY]
    parts = [e for e in ("direct", "indirect", "induced") if not np.isnan(tot.at[mind[0], e])]
    fig = fg.bars_grouped([_n(i, lang) for i in mind],
                          {_n(e, lang, EFFECT_NAMES): np.array([tot.at[i, e] * k for i in mind])
                           for e in parts}, "项目带动效应" if zh else "Effects of the project",
                          dunit, src, year, lang, colors=["#1f77b4", "#2e8b57", "#d35400"],
                          stacked=True)
    s2.figures.append(Figure("project-effects-chart", "项目带动效应" if zh else
                             "Effects of the project", fig, dunit, src, year))
    # 3. by sector
    s3 = Section("project-sectors", "三、分部门效应" if zh else "3. Effects by sector")
    by = pd.DataFrame({"代码" if zh else "code": codes, "部门" if zh else "sector": list(names)})
    last = "type2" if r.type2 is not None else "type1"
    for e in ("direct", "indirect", "induced", last):
        if e == "induced" and r.type2 is None:
            continue
        by[f"{_n('output', lang)}·{_n(e, lang, EFFECT_NAMES)} [{dunit}]"] = \
            p.effect("output", e) * k
    for ind in p.indicators[1:]:
        f_, u = _disp(p, ind, lang)
        by[f"{_n(ind, lang)}·{_n(last, lang, EFFECT_NAMES)} [{u}]"] = p.effect(ind, last) * f_
    total_col = by.columns[2 + (4 if r.type2 is not None else 3) - 1]
    by = by.sort_values(total_col, ascending=False).reset_index(drop=True)
    s3.sheets.append(Sheet("project-by-sector", "分部门效应" if zh else "Effects by sector", by,
                           show=20))
    head15 = by.head(15)
    sec_parts = [c for c in by.columns[2:2 + (3 if r.type2 is not None else 2)]]
    fig = fg.bars_grouped(list(head15[by.columns[1]]),
                          {c.split("·")[1].split(" [")[0]: head15[c].to_numpy() for c in sec_parts},
                          "受影响最大的部门（总产出）" if zh else "Most affected sectors (gross output)",
                          dunit, src, year, lang, colors=["#1f77b4", "#2e8b57", "#d35400"],
                          stacked=True, horizontal=True, height=max(380, 30 * len(head15) + 170))
    s3.figures.append(Figure("project-sectors-chart", "受影响最大的部门" if zh else
                             "Most affected sectors", fig, dunit, src, year))
    # 4. local vs leaking
    s4 = Section("project-leakage", "四、本地留存与漏出" if zh else "4. Local and leaking")
    lk = p.leakage()
    if abs(lk["imbalance"]) < 1e-9 * p.spend:  # rounding, not the table's imbalance
        lk["imbalance"] = 0.0
    if p.table.Zr_ is None:  # no other provinces in this table
        lk = lk.drop(["provinces_first_round", "provinces_supply_chain"])
    s4.lead = ("项目每支出一元，或在本地形成增加值，或以进口（境外）、省外调入（国内其他省份）的形式漏出："
               "首轮漏出为项目自身采购中非本地供应的部分，产业链漏出为本地生产所用的进口和调入中间品（I型）。"
               if zh else "Every yuan of the project ends up as local value added or leaks out as "
               "imports from abroad or inflows from other provinces: the first-round leakage is "
               "the part of the project's own purchases not supplied locally, the supply-chain "
               "leakage the imported and inflowing inputs of local production (Type I).")
    if p.table.Zr_ is None:
        s4.paragraphs.append("本表不区分省外调入，漏出均为进口。" if zh else
                             "This table has no inflows from other provinces: all leakage is "
                             "imports.")
    s4.sheets.append(Sheet("project-leakage", "支出去向" if zh else "Where the spending goes",
                           pd.DataFrame({"项目" if zh else "item": [_n(i, lang, LEAK_NAMES)
                                                                   for i in lk.index],
                                         f"{'金额' if zh else 'amount'} [{dunit}]": lk.to_numpy() * k,
                                         f"{'占支出' if zh else 'share of spending'} [%]":
                                             100 * lk.to_numpy() / p.spend})))
    show = lk.drop("imbalance")
    s4.figures.append(Figure("project-leakage-chart", "支出去向" if zh else "Where the spending goes",
                             fg.donut([_n(i, lang, LEAK_NAMES) for i in show.index],
                                      show.to_numpy() * k, "支出去向" if zh else
                                      "Where the spending goes", dunit, src, year, lang),
                             dunit, src, year))
    lb = pd.DataFrame({"代码" if zh else "code": codes, "部门" if zh else "sector": list(names)})
    for key, part in (("abroad_first_round", p.leak_first["abroad"]),
                      ("abroad_supply_chain", p.leak_chain["abroad"]),
                      ("provinces_first_round", p.leak_first["provinces"]),
                      ("provinces_supply_chain", p.leak_chain["provinces"])):
        if key in lk.index:
            lb[f"{_n(key, lang, LEAK_NAMES)} [{dunit}]"] = part * k
    lb["sum"] = lb.iloc[:, 2:].sum(axis=1)
    lb = lb.sort_values("sum", ascending=False).drop(columns="sum").reset_index(drop=True)
    s4.sheets.append(Sheet("project-leakage-products", "漏出（按产品）" if zh else
                           "Leakage by product", lb, show=15))
    # 5. uncertainty and data
    s5 = Section("project-notes", "五、不确定性与数据说明" if zh else "5. Uncertainty and data")
    s5.paragraphs.append(_mc_note(p, lang))
    for kind, note in p.satellite_notes.items():
        s5.paragraphs.append(note_text(note, lang))
    for kind, why in p.satellite_missing.items():
        s5.paragraphs.append((f"{_n(kind, lang)}：未计算——{why}" if zh else
                              f"{_n(kind, lang)}: not computed — {why}"))
    s5.paragraphs.extend(result_notes(r, lang,
                                      keep=lambda n: not n.startswith(("jobs:", "co2:"))))
    return [s1, s2, s3, s4, s5]


def _mc_note(p, lang):
    zh = lang == "zh"
    if p.mc is None:
        return (("未做蒙特卡洛：" + p.mc_error) if zh else ("No Monte Carlo: " + p.mc_error)) \
            if p.mc_error else ("未做蒙特卡洛。" if zh else "No Monte Carlo run.")
    m = p.mc
    return (f"不确定性区间：蒙特卡洛 {m.draws} 次抽样（直接消耗系数与卫星强度乘以均值为 1 的对数正态因子，"
            f"σ = {m.sigma:g}，随机种子 {m.seed}），p5–p95 为{('II' if m.point.type == 'II' else 'I')}"
            "型合计的 5% 与 95% 分位数。" if zh else
            f"Uncertainty band: Monte Carlo with {m.draws} draws (direct input coefficients and "
            f"satellite intensities × log-normal factors with mean 1, σ = {m.sigma:g}, seed "
            f"{m.seed}); p5–p95 are the 5th and 95th percentiles of the Type {m.point.type} "
            "total.")



# --------------------------------------------------------------------------- writing
def chromium() -> str | None:
    """The headless Chromium to print PDFs with: $LIANPU_CHROMIUM, else the first found."""
    env_ = os.environ.get("LIANPU_CHROMIUM")
    if env_:
        return env_ if Path(env_).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


def build_project_report(table, demand, out_dir="project-report", *, lang: str = "zh",
                         local_share=None, basis: str = "auto", draws: int = DRAWS,
                         pdf: bool = False, data_dir=None, name: str = "") -> Path:
    """Write the project impact report (``index.html``, ``lianpu-report.xlsx`` and, with
    ``pdf``, ``lianpu-report.pdf`` printed by headless Chromium) into ``out_dir``, atomically
    and with the same folder rules as :func:`lianpu.report.build_report`. Returns the path of
    ``index.html``."""
    from ..core.errors import check_lang
    check_lang(lang)
    out = Path(out_dir)
    browser = chromium() if pdf else None
    if pdf and browser is None:
        raise ReportError("argument 'pdf': no headless Chromium found (looked for "
                          "$LIANPU_CHROMIUM, chromium, chromium-browser, google-chrome); "
                          "install Chromium or open "
                          "index.html and print it to PDF from the browser")
    recover(out)
    _check_target(out)
    p = project_impact(table, demand, local_share=local_share, basis=basis, draws=draws,
                       data_dir=data_dir)
    label = name or (Path(demand).name if isinstance(demand, (str, Path)) else "project")
    secs = sections(p, table, lang, label)
    sheets = assign_sheet_names(secs)
    html = _render(table, secs, lang, label)
    parent = out.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-{os.getpid()}-", dir=parent))
    tmp.chmod(0o777 & ~umask())
    try:
        (tmp / INDEX).write_text(html, encoding="utf-8")
        meta = {"report": "project impact", "table": table.name, "year": table.year,
                "unit": table.unit, "project": label, "spend": p.spend, "type": p.impact.type,
                "basis": p.impact.basis.get("basis", ""), "draws": draws, "language": lang,
                "generated": _dt.datetime.now().isoformat(timespec="seconds")}
        write_workbook(sheets, tmp / WORKBOOK, meta)
        if pdf:
            _print_pdf(browser, tmp / INDEX, tmp / PDF)
        (tmp / MARKER).write_text("lianpu report\n", encoding="utf-8")
        _swap(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return out / INDEX


def _print_pdf(browser: str, html: Path, pdf: Path, timeout: float = 120) -> None:
    with tempfile.TemporaryDirectory(prefix="lianpu-chromium-") as prof:
        cmd = [browser, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run",
               f"--user-data-dir={prof}", "--no-pdf-header-footer",
               "--virtual-time-budget=10000", f"--print-to-pdf={pdf}", html.resolve().as_uri()]
        try:
            res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise ReportError(f"argument 'pdf': Chromium did not finish printing in {timeout:g} s")
    if not pdf.exists() or pdf.stat().st_size == 0:
        tail = (res.stderr or res.stdout).strip().splitlines()[-1:] or ["no output"]
        raise ReportError(f"argument 'pdf': Chromium printed no PDF (exit {res.returncode}: "
                          f"{tail[0]})")


def _render(table, secs, lang, label) -> str:
    from .. import __version__
    from .build import _view
    css = (Path(__file__).with_name("templates") / "report.css").read_text("utf-8")
    counter = [0]
    zh = lang == "zh"
    return env().get_template("project.html.j2").render(
        lang=lang, sections=[_view(s, lang, counter) for s in secs], css=Markup(css),
        plotly_js=Markup(plotly_js()), T=_T(lang),
        title=("项目影响报告" if zh else "Project impact report"),
        subtitle=(f"{label} — 直接、间接与诱发效应，本地留存与漏出" if zh else
                  f"{label} — direct, indirect and induced effects; local and leaking"),
        table_title=source_text(table, lang), year=table.year,
        unit=Unit.parse(table.unit).text(lang), xlsx=WORKBOOK, version=__version__,
        contents="目录" if zh else "Contents",
        footer=("本报告由 lianpu 依据投入产出表自动生成；表中数字与 lianpu.impact 在同一口径下的结果一致。"
                if zh else "Generated by lianpu from the input-output table; the numbers equal "
                "lianpu.impact's on the same basis."),
        generated=_dt.datetime.now().strftime("%Y-%m-%d %H:%M"))


def _T(lang):
    from .i18n import Text
    return Text(lang)
