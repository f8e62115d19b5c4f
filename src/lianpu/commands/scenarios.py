"""CLI commands for the scenarios analyses (registered on the app of commands._app): ``impact``,
``shock``, ``inoperability`` and ``montecarlo``. Each calls the library and prints; errors
(a bad demand file, an unknown sector) become one line on stderr and exit code 2."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..core.codes import code_str
from ..core.units import fmt_num
from ._app import app
from ._shared import (BASIS, DATA_DIR, DOMESTIC, FMT, JSON, LANG, UserError, at_least, basis_arg,
                      basis_line, emit, lang_arg, load, out)

TYPE = typer.Option("II", "--type", help="I (households exogenous) or II (adds induced effects).")
HOUSEHOLDS = typer.Option(None, "--households", help="Comma list of final-demand columns closed "
                          "for Type II (default: the table's household columns; for the "
                          "2017/2018/2020 42-sector tables households split from TC by the same "
                          "year's detailed table; TC closes TC as it is).")
TOP = typer.Option(10, "--top", help="Sectors shown in the table (JSON has all).")


def _pairs(values: list[str], flag: str) -> dict[str, float]:
    """['20=30', …] → {'20': 0.30, …} (percent → share)."""
    res: dict[str, float] = {}
    for v in values or []:
        key, sep, pct = v.partition("=")
        try:
            share = float(pct) / 100.0
        except ValueError:
            share = None
        if not sep or not key.strip() or share is None:
            raise UserError(f"{flag}: found {v!r}, expected SECTOR=PCT such as 20=30")
        if not 0 <= share <= 1:
            raise UserError(f"{flag}: {key.strip()}: found {pct}%, expected 0–100")
        res[key.strip()] = share
    return res


def _hh(households):
    return tuple(h.strip() for h in households.split(",")) if households else None


def _table(source, data_dir, fmt, lang):
    lang_arg(lang)
    return load(source, data_dir, fmt)


def _with_jobs(t, jobs: bool, employment: Optional[Path], data_dir):
    if not (jobs or employment):
        return t
    from ..satellites.employment import employment_satellite
    return employment_satellite(t, employment, data_dir)


def _print_sectors(title, caption, df, cols, names, top, lang, money_cols=(), k=1.0):
    """The ``top`` rows of ``df`` by sector: code, whole name (folded), ``cols`` with their
    screen words; ``money_cols`` multiplied by the display factor ``k`` (万元 → 亿元)."""
    from ._screen import columns, show, table, word
    tab = table(title, caption)
    columns(tab, [(word("code", lang), "code"), (word("sector", lang), "text")]
            + [(word(c, lang), "code" if c == "binding" else "num") for c in cols])
    for code, row in df.head(top).iterrows():
        tab.add_row(code_str(code), str(names[code]), *(
            fmt_num(row[c] * (k if c in money_cols else 1.0)) if isinstance(row[c], float)
            else str(row[c]) for c in cols))
    show(tab)


def _notes(lang, *results):
    """Every caveat of ``results`` (their notes are in the JSON too), after 说明/note, in the
    screen's language (:func:`._screen.notes_of`)."""
    from ._screen import notes, notes_of
    notes([n for r in results for n in notes_of(r, lang)], lang)


@app.command("impact")
def impact_cmd(source: str = typer.Argument(..., help="Dataset id or table file."),
               demand: Path = typer.Option(..., "--demand", help="Spending profile (CSV/TOML)."),
               type_: str = TYPE, households: Optional[str] = HOUSEHOLDS,
               mode: str = typer.Option("gross", "--mode", help="gross (demand = final demand) or "
                                        "net (demand = the industries' own output; contribution)."),
               jobs: bool = typer.Option(False, "--jobs", help="Add jobs (employment satellite, "
                                         "dataset cn-employment) to an NBS table."),
               employment: Optional[Path] = typer.Option(None, "--employment", help="Employment "
                                                         "CSV for --jobs (default: the cache)."),
               allow_negative: bool = typer.Option(False, "--allow-negative",
                                                   help="Accept negative amounts (a demand cut)."),
               basis: str = BASIS, domestic: bool = DOMESTIC,
               top: int = TOP, fmt: Optional[str] = FMT, lang: str = LANG,
               data_dir: Optional[Path] = DATA_DIR, as_json: bool = JSON):
    """Direct, indirect and induced effects of a spending profile (直接/间接/诱发效应)."""
    from ..analysis.scenarios.demand import read_demand
    from ..analysis.scenarios.impact import impact
    basis = basis_arg(basis, domestic)
    t = _with_jobs(_table(source, data_dir, fmt, lang), jobs, employment, data_dir)
    d = read_demand(demand, t, allow_negative=allow_negative)
    r = impact(t, d, type_, mode=mode, households=_hh(households), basis=basis,
               data_dir=data_dir)
    if as_json:
        return emit(r.to_dict())
    _impact_screen(r, t, lang, top)
    out.print(basis_line(r.basis["note_en"], r.basis["note_zh"], lang), markup=False)
    if r.closure:  # Type II: which households were closed
        out.print(("居民收口：" if lang == "zh" else "closure: ")
                  + r.closure[f"text_{lang}"], soft_wrap=True, markup=False)
    _notes(lang, r)  # every caveat of the JSON, in the screen's language


def _montecarlo_screen(r, t, draws, sigma, lang):
    """Point values and percentile bands by indicator and effect (money in 亿元)."""
    from ..core.units import Unit
    from ._screen import columns, money, pick, show, table, unit_text, word
    tot = r.totals()
    pcols = [c for c in tot.columns if c.startswith("p")]
    tab = table(pick(f"蒙特卡洛 — {t.name}，{draws} 次抽样，σ = {sigma:g}",
                     f"Monte Carlo — {t.name}, {draws} draws, σ = {sigma:g}", lang),
                pick("货币量按亿元显示（--json 为表的原单位）；p5…p95：抽样分位数",
                     "money in the display unit (--json keeps the table's unit); p5…p95: "
                     "percentiles of the draws", lang))
    columns(tab, [(word("indicator", lang), "text"), (word("effect", lang), "text"),
                  (word("scenario", lang), "text"), (word("unit", lang), "text"),
                  (word("value", lang), "num")] + [(pick(f"{c[1:]}分位", c, lang), "num")
                                                   for c in pcols])
    for (ind, eff, sc), row in tot.iterrows():
        unit = Unit.parse(row["unit"])
        k, label = money(unit, lang) if unit.is_money else (1.0, unit_text(unit, lang))
        tab.add_row(pick(*INDICATORS.get(ind, (ind, ind)), lang), word(EFFECTS.get(eff, eff), lang),
                    str(sc), label, *(fmt_num(row[c] * k) for c in ["value", *pcols]))
    show(tab)


INDICATORS = {"output": ("产出", "output"), "value_added": ("增加值", "value added"),
              "income": ("劳动者报酬", "labour income"), "jobs": ("就业", "jobs"),
              "co2": ("二氧化碳排放", "CO2 emissions")}
EFFECTS = {"direct": "direct_effect", "indirect": "indirect", "induced": "induced",
           "total": "total_effect"}


def _impact_screen(r, t, lang, top):
    """Totals by indicator (money in the display unit: 万元 → 亿元; jobs, CO2 as they are)
    and the output effect by sector, in one language."""
    from ..core.units import Unit
    from ._screen import columns, money, pick, show, table, unit_line, unit_text, word
    tot = r.totals()
    kind = pick(f"{r.type}型", f"Type {r.type}", lang)
    mode = {"gross": pick("总量口径", "gross", lang), "net": pick("净贡献口径", "net", lang)}
    tab = table(pick("影响", "Impact", lang) + f" — {t.name}（{kind}，{mode.get(r.mode, r.mode)}）"
                if lang == "zh" else f"Impact — {t.name} ({kind}, {mode.get(r.mode, r.mode)})",
                pick("货币量按亿元显示（--json 为表的原单位）",
                     "money shown in the display unit (--json keeps the table's unit)", lang))
    columns(tab, [(word("indicator", lang), "text"), (word("scenario", lang), "text"),
                  (word("unit", lang), "text")]
                 + [(word(EFFECTS[e], lang), "num") for e in r.effects])
    for (ind, sc), row in tot.iterrows():
        unit = Unit.parse(row["unit"])
        k, label = money(unit, lang) if unit.is_money else (1.0, unit_text(unit, lang))
        tab.add_row(pick(*INDICATORS.get(ind, (ind, ind)), lang), str(sc), label,
                    *(fmt_num(row[e] * k, 2) for e in r.effects))
    show(tab)
    total = r.output("total")[:, 0]
    order = total.argsort()[::-1][:top]
    k, shown = money(t.unit, lang)
    st = table(pick("分部门产出效应", "Output effect by sector", lang), unit_line(shown, lang))
    columns(st, [(word("code", lang), "code"), (word("sector", lang), "text"),
                 (word("direct_effect", lang), "num"), (word("total_effect", lang), "num")])
    names = t.label(lang)
    for i in order:
        c = t.sectors.index[i]
        st.add_row(code_str(c), str(names[c]), fmt_num(r.direct[i, 0] * k, 2),
                   fmt_num(total[i] * k, 2))
    show(st)


@app.command("shock")
def shock_cmd(source: str = typer.Argument(..., help="Dataset id or non-competitive table file."),
              cut: List[str] = typer.Option([], "--cut", help="PRODUCT=PCT: cut imports of a "
                                            "product by PCT percent (repeatable)."),
              capacity: List[str] = typer.Option([], "--capacity", help="SECTOR=PCT: a domestic "
                                                 "sector loses PCT percent of its capacity "
                                                 "(repeatable)."),
              substitution: float = typer.Option(0.0, "--substitution", help="Share (0–1) of the "
                                                 "lost imports replaceable by domestic supply."),
              critical: float = typer.Option(0.0, "--critical", help="Smallest input coefficient "
                                             "that limits output (0 = strict Leontief)."),
              objective: str = typer.Option("value_added", "--objective", help="value_added "
                                            "(maximise GDP) or final_use (priority to final "
                                            "demand)."),
              rationing: str = typer.Option("proportional", "--rationing", help="proportional "
                                            "(no sector below uniform scaling) or free."),
              basis: str = BASIS, domestic: bool = DOMESTIC,
              top: int = TOP, fmt: Optional[str] = FMT, lang: str = LANG,
              data_dir: Optional[Path] = DATA_DIR, as_json: bool = JSON):
    """Import cut-off or capacity loss: maximum feasible output, losses and what binds (进口中断、
    产能冲击)."""
    from ..analysis.scenarios.disruption import OBJECTIVES, RATIONING, binding_summary, disruption
    for flag, v in (("--substitution", substitution), ("--critical", critical)):
        if not 0 <= v <= 1:
            raise UserError(f"{flag}: found {v}, expected a share in [0, 1] (0.5 for 50 %)")
    if objective not in OBJECTIVES:
        raise UserError(f"--objective: found {objective!r}, expected one of {OBJECTIVES}")
    if rationing not in RATIONING:
        raise UserError(f"--rationing: found {rationing!r}, expected one of {RATIONING}")
    if not cut and not capacity:
        raise UserError("--cut/--capacity: found neither, expected at least one (e.g. --cut 20=30)")
    basis = basis_arg(basis, domestic)
    t = _table(source, data_dir, fmt, lang)
    r = disruption(t, imports=_pairs(cut, "--cut"), capacity=_pairs(capacity, "--capacity"),
                   substitution=substitution, critical=critical, objective=objective,
                   rationing=rationing, model="import_cut" if not capacity else "disruption",
                   basis=basis)
    if as_json:
        d = r.to_dict()
        d["binding"] = [{"constraint": c, "sectors": k, "output_loss": v}
                        for c, k, v in binding_summary(r, t.n)]
        return emit(d)
    from ._screen import columns, money, pick, show, table, unit_line, word
    tot = r.totals
    k, shown = money(t.unit, lang)
    cols = ["output_loss", "output_loss_pct", "value_added_loss", "binding"]
    _print_sectors(pick("供给中断", "Supply disruption", lang) + f" — {t.name}",
                   unit_line(shown, lang) + pick(
                       f"；产出损失 {fmt_num(tot['output_loss'] * k)}（{tot['output_loss_pct']:.2f} %），"
                       f"增加值损失 {fmt_num(tot['value_added_loss'] * k)}"
                       f"（{tot['value_added_loss_pct']:.2f} %）；损失上限 {tot['loss_bound_pct']:.1f} %",
                       f"; output loss {fmt_num(tot['output_loss'] * k)} ({tot['output_loss_pct']:.2f} %), "
                       f"value added {fmt_num(tot['value_added_loss'] * k)} "
                       f"({tot['value_added_loss_pct']:.2f} %); bound {tot['loss_bound_pct']:.1f} %",
                       lang),
                   r.to_frame().sort_values("output_loss", ascending=False), cols, t.label(lang),
                   top, lang, money_cols=("output_loss", "value_added_loss"), k=k)
    # the zh title keeps 'what binds': tests/analysis/scenarios/test_disruption.py pins it
    tab = table(pick("约束（what binds）", "what binds", lang), unit_line(shown, lang) + pick(
        "；import:k 进口品 k 的配额；supply:i 关键国内投入 i 不足；capacity 产能；demand 需求（下游萎缩）",
        "; import:k own allotment of imported k; supply:i a critical domestic input short; "
        "capacity; demand (its buyers shrank)", lang))
    columns(tab, [(word("constraint", lang), "code"), (word("sectors_n", lang), "num"),
                  (word("output_lost", lang), "num")])
    for c, n, v in binding_summary(r, top):
        tab.add_row(c, str(n), fmt_num(v * k))
    show(tab)
    _notes(lang, r)


@app.command("inoperability")
def inoperability_cmd(source: str = typer.Argument(..., help="Dataset id or table file."),
                      shock: List[str] = typer.Option(..., "--shock", help="SECTOR=PCT: initial "
                                                      "inoperability (repeatable)."),
                      days: int = typer.Option(90, "--days", help="Days simulated."),
                      recovery: Optional[float] = typer.Option(
                          None, "--recovery", help="Days for a sector to recover to 1 % of its "
                          "initial inoperability (default: --days)."),
                      static: bool = typer.Option(False, "--static", help="Static IIM: PCT is the "
                                                  "lost final demand as % of output (c*)."),
                      basis: str = BASIS, domestic: bool = DOMESTIC,
                      top: int = TOP, fmt: Optional[str] = FMT, lang: str = LANG,
                      data_dir: Optional[Path] = DATA_DIR, as_json: bool = JSON):
    """Inoperability IO model: static equilibrium or recovery paths over days (不可运行性)."""
    from ..analysis.scenarios import inoperability as inop
    at_least("--days", days, 1)
    basis = basis_arg(basis, domestic)
    t = _table(source, data_dir, fmt, lang)
    from ._screen import money, pick, unit_line
    k, shown = money(t.unit, lang)
    pairs = _pairs(shock, "--shock")
    if static:
        r = inop.inoperability(t, c_star=pairs, basis=basis)
        if as_json:
            return emit(r.to_dict())
        _print_sectors(pick("不可运行性（静态）", "Inoperability (static)", lang) + f" — {t.name}",
                       unit_line(shown, lang),
                       r.to_frame().sort_values("economic_loss", ascending=False),
                       ["inoperability", "economic_loss"], t.label(lang), top, lang,
                       money_cols=("economic_loss",), k=k)
        return _notes(lang, r)
    r = inop.recovery(t, q0=pairs, days=days, recovery_days=recovery or days, basis=basis)
    if as_json:
        return emit(r.to_dict())
    _print_sectors(pick(f"不可运行性恢复路径 — {t.name}，{days} 天",
                        f"Inoperability recovery — {t.name}, {days} days", lang),
                   unit_line(shown, lang) + pick(f"；总损失 {fmt_num(r.loss().sum() * k)}",
                                                 f"; total loss {fmt_num(r.loss().sum() * k)}", lang),
                   r.to_frame().sort_values("loss", ascending=False),
                   ["initial", "peak", "peak_day", "final", "loss"], t.label(lang), top, lang,
                   money_cols=("loss",), k=k)
    _notes(lang, r)


@app.command("montecarlo")
def montecarlo_cmd(source: str = typer.Argument(..., help="Dataset id or table file."),
                   demand: Path = typer.Option(..., "--demand", help="Spending profile (CSV/TOML)."),
                   draws: int = typer.Option(1000, "--draws", help="Number of draws."),
                   sigma: float = typer.Option(0.1, "--sigma", help="Log-normal σ for A."),
                   sigma_satellites: float = typer.Option(0.1, "--sigma-satellites"),
                   type_: str = typer.Option("I", "--type", help="I or II."),
                   households: Optional[str] = HOUSEHOLDS,
                   jobs: bool = typer.Option(False, "--jobs", help="Add the employment satellite."),
                   employment: Optional[Path] = typer.Option(None, "--employment"),
                   seed: int = typer.Option(0, "--seed"),
                   scheduler: Optional[str] = typer.Option(
                       None, "--scheduler", help="Dask scheduler address (tcp://…), or threads, "
                       "processes, serial (default: local threads)."),
                   progress: bool = typer.Option(True, "--progress/--no-progress",
                                                 help="Progress bar on stderr."),
                   basis: str = BASIS, domestic: bool = DOMESTIC,
                   fmt: Optional[str] = FMT, lang: str = LANG,
                   data_dir: Optional[Path] = DATA_DIR, as_json: bool = JSON):
    """Monte-Carlo percentile bands for an impact (log-normal perturbation of A)."""
    from ..analysis.scenarios.demand import read_demand
    from ..analysis.scenarios.montecarlo import montecarlo
    at_least("--draws", draws, 1)
    from ..analysis.households import remember_data_dir
    t = _with_jobs(_table(source, data_dir, fmt, lang), jobs, employment, data_dir)
    remember_data_dir(t, data_dir)  # Type II household split: its detailed table is in this cache
    r = montecarlo(t, read_demand(demand, t), draws, sigma=sigma,
                   sigma_satellites=sigma_satellites, type=type_, seed=seed, scheduler=scheduler,
                   progress=progress, households=_hh(households),
                   basis=basis_arg(basis, domestic))
    if as_json:
        return emit(r.to_dict())
    _montecarlo_screen(r, t, draws, sigma, lang)
    _notes(lang, r, r.point)
