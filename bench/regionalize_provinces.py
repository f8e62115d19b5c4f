"""How accurate are location-quotient regionalizations for Chinese provinces? A test on the 31
provincial tables of 2012 and 2017 (docs/regionalize.md §7).

For each province and year the national 42-sector table of that year is regionalized from the
province's gross output by sector alone (``lianpu.regionalize``, the library's own code path)
by SLQ, CILQ, FLQ and AFLQ over a δ grid, and the estimated coefficients and Type I output
multipliers (column sums of (I − A)⁻¹) are compared with the province's own **local** ones
(its published table with imports from abroad and inflows from other provinces removed in
proportion, ``table.local()``).

National tables, aligned to the provincial sectors:
- 2017: ``cn-nbs-2017-42`` (non-competitive; its codes and names are the provincial 2017 ones);
- 2012: ``cn-nbs-2012-139`` in its domestic view (import proportionality at 139 sectors), then
  aggregated onto the 2012 provincial 42 sectors (``provincial42_codes_2012``: the shipped
  nbs42 concordance, with 2017's 22 split and 35/36 merged back into the 2012 list).

Also measured: the national coefficients unchanged, and a one-parameter **calibration** —
LQ coefficients min(λ·LQ, 1)·a^n with λ set so that the province's local intermediate inputs
equal what its published totals of imports, inflows, exports and outflows imply
(``local_intermediate_target``); and, for reference only, the same with the true local total
(not known to a planner). The default method and δ are chosen by leave-one-province-out
validation: for each province, the configuration with the lowest mean MAPE over the other 30
(both years) is applied to it and measured there (the LOPO error); the default is what that
procedure chooses on all 31 (2007, 2012 and 2017 together; the 2007 tables combine abroad and
other provinces in one leakage, which the local view removes as one).

Run:  python bench/regionalize_provinces.py [--data ../shared/data] [--out bench/results]
"""
from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np
import pandas as pd

import lianpu
from lianpu.analysis.regions import regionalize_accuracy as ra
from lianpu.satellites.co2.concordance import nbs_concordance
from lianpu.data import registry

YEARS = (2007, 2012, 2017)
MAIN = (2012, 2017)          # abroad and other provinces apart (2007: combined)
DELTAS = tuple(round(0.05 * k, 2) for k in range(1, 11))       # 0.05 … 0.5 (δ = 0 is CILQ)
CAL = ("slq", "cilq", "aflq")                                   # calibrated LQ bases
ISSUE = "flq δ=0.3"                                             # the old default


def lq_configs() -> list[tuple[str, str, float]]:
    out = [("slq", "slq", 0.0), ("cilq", "cilq", 0.0)]
    return out + [(f"{m} δ={d:g}", m, d) for m in ("flq", "aflq") for d in DELTAS]


def national_tables() -> dict[int, lianpu.IOTable]:
    """The national table of each year on the provincial 42 sectors (domestic coefficients)."""
    n17 = lianpu.load("cn-nbs-2017-42")
    t139 = lianpu.load("cn-nbs-2012-139").domestic()
    n12 = ra.aggregate_table(t139, ra.provincial42_codes_2012(t139, nbs_concordance()),
                             lianpu.load("cn-prov-2012-51").sectors,
                             name="cn-nbs-2012-139 (domestic) on the 2012 provincial 42 sectors")
    t135 = lianpu.load("cn-nbs-2007-135").domestic()
    n07 = ra.aggregate_table(t135, ra.provincial42_codes_2007(t135),
                             lianpu.load("cn-prov-2007-51").sectors,
                             name="cn-nbs-2007-135 (domestic) on the 2007 provincial 42 sectors")
    return {2007: n07, 2012: n12, 2017: n17}


def study(nats) -> tuple[pd.DataFrame, dict]:
    rows, meta, prev = [], {}, {}
    have = {d.id for d in registry.datasets(provincial=True)}
    for year in YEARS:
        nat = nats[year]
        An, xn = nat.A_, nat.x_
        for p in registry.provinces():
            pid = f"cn-prov-{year}-{p.gb}"
            if pid not in have:          # 2007: no table for Tibet
                continue
            prov = lianpu.load(pid)
            if [str(c) for c in prov.index] != [str(c) for c in nat.index]:
                raise SystemExit(f"{pid}: sector codes differ from the national table's")
            if list(prov.sectors["name_zh"]) != list(nat.sectors["name_zh"]):
                raise SystemExit(f"{pid}: sector names differ from cn-nbs-2017-42")
            At = ra.local_coefficients(prov)
            xr = prov.x_
            if (xr > xn * (1 + 1e-9)).any():
                raise SystemExit(f"{pid}: a sector's provincial output exceeds the national")
            base = {"year": year, "gb": p.gb, "province": p.name_zh, "pinyin": p.pinyin,
                    "share": float(xr.sum() / xn.sum())}
            totals = ra.trade_totals(prov)
            target, mu = ra.local_intermediate_target(totals)
            true_local = float((At * xr).sum())
            meta[(year, p.gb)] = {
                "output_share": base["share"], "outside_share_of_local_use": round(mu, 4),
                "target_vs_true_local_intermediate": round(target / true_local - 1, 4),
                "true_local_share_of_intermediate": round(true_local / totals["intermediate"], 4)}
            rows.append({**base, "config": "national", "method": "national", "delta": None,
                         **ra.errors(An, At, xr)})
            series = pd.Series(xr, index=nat.index)
            for label, method, delta in lq_configs():
                r = lianpu.regionalize(nat, series, method, delta, region=p.pinyin)
                rows.append({**base, "config": label, "method": method, "delta": delta,
                             "capped_rows": sum("capped" in n for n in r.notes),
                             **ra.errors(r.A_, At, xr)})
            for m in CAL:
                for tag, tgt in (("cal", target), ("cal-true", true_local)):
                    A, lam = ra.calibrated_coefficients(xr, xn, An, tgt, m)
                    rows.append({**base, "config": f"{tag} {m}", "method": f"{tag} {m}",
                                 "delta": None, "lambda": lam, **ra.errors(A, At, xr)})
            # a table five years old: calibrated with what the province's previous table says
            # (its published trade totals, or its exact local share of intermediate inputs)
            if p.gb in prev.get(year - 5, {}):
                mu0, s0 = prev[year - 5][p.gb]
                for label, tgt in (("cal slq, totals 5 years earlier",
                                    (1 - mu0) * totals["intermediate"]),
                                   ("cal slq, local share 5 years earlier",
                                    s0 * totals["intermediate"])):
                    A, lam = ra.calibrated_coefficients(xr, xn, An, tgt, "slq")
                    rows.append({**base, "config": label, "method": label, "delta": None,
                                 "lambda": lam, **ra.errors(A, At, xr)})
            prev.setdefault(year, {})[p.gb] = (mu, true_local / totals["intermediate"])
    return pd.DataFrame(rows), meta


def lopo(df: pd.DataFrame, configs: list[str], by_year: bool = False) -> dict:
    """Leave one province out: choose the configuration with the lowest mean MAPE on the other
    provinces (all years of ``df``, or the same year), measure it on the held-out province."""
    E = df[df["config"].isin(configs)].pivot_table(index=["year", "gb"], columns="config",
                                                   values="mape")
    held, chosen = {}, {}
    for (year, gb) in E.index:
        rest = E.drop(index=[k for k in E.index if k[1] == gb
                             and (not by_year or k[0] == year)])
        if by_year:
            rest = rest.loc[year]
        c = rest.mean().idxmin()
        held[(year, gb)] = float(E.loc[(year, gb), c])
        chosen[(year, gb)] = c
    h = pd.Series(held)
    return {"mape_mean": round(float(h.mean()), 2),
            "mape_mean_by_year": {int(y): round(float(h.loc[y].mean()), 2)
                                  for y in sorted(set(E.index.get_level_values(0)))},
            "chosen": dict(pd.Series(chosen).value_counts().items()),
            "held_out": {f"{y}-{g}": round(v, 2) for (y, g), v in held.items()},
            "chosen_by_province": {f"{y}-{g}": c for (y, g), c in chosen.items()}}


def _f(v, fmt=".1f") -> str:
    return "–" if v is None or (isinstance(v, float) and np.isnan(v)) else format(v, fmt)


def markdown(df, res) -> str:
    E = df.pivot_table(index=["year", "gb"], columns="config", values="mape")
    B = df.pivot_table(index=["year", "gb"], columns="config", values="bias")
    W = df.pivot_table(index=["year", "gb"], columns="config", values="wape")
    main_ = E.index.get_level_values(0).isin(MAIN)
    order = list(dict.fromkeys(df["config"]))
    default = res["default"]
    out = ["### Mean over provinces (MAPE of Type I output multipliers, %)", "",
           "Columns 2012+2017: mean, median and bias (mean signed error) over the 62 "
           "province-years, WAPE of the intermediate flows; 2007: abroad and other provinces "
           "combined; all: the 92 province-years (the default is chosen on these). cal: "
           "calibrated to the published trade totals; cal-true: to the true local share (not "
           "known to a planner).", "",
           "| method | 2012 | 2017 | 2012+2017 | median | bias | WAPE of Z | 2007 | all |",
           "|---|---|---|---|---|---|---|---|---|"]
    for c in order:
        mark = "**" if c == default else ""
        by = {y: E[c].loc[y].mean() for y in YEARS}
        out.append(f"| {mark}{c}{mark} | {_f(by[2012])} | {_f(by[2017])} | "
                   f"{_f(E[c][main_].mean())} | {_f(E[c][main_].median())} | "
                   f"{_f(B[c][main_].mean(), '+.1f')} | {_f(W[c][main_].mean())} | "
                   f"{_f(by[2007])} | {_f(E[c].mean()) if E[c].notna().all() else '–'} |")
    lq = [c for c, _, _ in lq_configs()]
    out += ["", f"### By province (MAPE %; best LQ = lowest of SLQ, CILQ, FLQ/AFLQ δ 0.05–0.5 "
                f"for that province; default = {default}; cal = calibrated SLQ)", "",
            "| province | year | share of national output | national | SLQ | FLQ δ=0.3 | default | "
            "best LQ (method) | cal slq |", "|---|---|---|---|---|---|---|---|---|"]
    share = df.drop_duplicates(["year", "gb"]).set_index(["year", "gb"])["share"]
    names = df.drop_duplicates("gb").set_index("gb")["province"]
    for (year, gb) in sorted(E.index, key=lambda k: (k[1], -k[0])):
        e = E.loc[(year, gb)]
        best = e[lq].idxmin()
        out.append(f"| {gb} {names[gb]} | {year} | {100 * share[(year, gb)]:.1f} % | "
                   f"{e['national']:.1f} | {e['slq']:.1f} | {e[ISSUE]:.1f} | {e[default]:.1f} | "
                   f"{e[best]:.1f} ({best}) | {e['cal slq']:.1f} |")
    out += ["", "### By province, compact (MAPE %, 2007 / 2012 / 2017; – no table)", "",
            "| province | output share 2017 | national | SLQ | FLQ δ=0.3 | default | best LQ | "
            "best LQ method | calibrated SLQ |", "|---|---|---|---|---|---|---|---|---|"]

    def three(gb, col):
        return " / ".join(_f(E.loc[(y, gb), col]) if (y, gb) in E.index else "–" for y in YEARS)

    for gb in sorted(set(E.index.get_level_values(1))):
        bests = [(E.loc[(y, gb), lq].idxmin() if (y, gb) in E.index else None) for y in YEARS]
        best = " / ".join(_f(E.loc[(y, gb), b]) if b else "–" for y, b in zip(YEARS, bests))
        meth = " / ".join(b.replace(" δ=", " ") if b else "–" for b in bests)
        out.append(f"| {gb} {names[gb]} | {100 * share[(2017, gb)]:.1f} % | "
                   f"{three(gb, 'national')} | {three(gb, 'slq')} | {three(gb, ISSUE)} | {three(gb, default)} | {best} | "
                   f"{meth} | {three(gb, 'cal slq')} |")
    R = df.pivot_table(index=["year", "gb"], columns="config", values="rank")
    out += ["", "Spearman rank correlation of estimated and true multipliers (mean over "
            "province-years, all years): " + ", ".join(
                f"{c} {R[c].mean():.2f}" for c in ("national", "slq", "flq δ=0.1", ISSUE,
                                                    default, "cal slq"))]
    out += ["", "### Leave one province out (MAPE % on the held-out province)", "",
            "Chosen on the other 30 provinces (the province left out in every year): on all 92 "
            "province-years of 2007, 2012 and 2017, or on the 62 of 2012 and 2017 only.", "",
            "| choice among | all years | 2007 | 2012 | 2017 | chosen | 2012+2017 only | "
            "chosen (2012+2017 only) |", "|---|---|---|---|---|---|---|---|"]

    def chosen(v):
        return ", ".join(f"{c} ×{n}" for c, n in v["chosen"].items())

    for k, v in res["lopo"].items():
        w = res["lopo_2012_2017"][k]
        by = v["mape_mean_by_year"]
        out.append(f"| {k} | {v['mape_mean']:.1f} | {by[2007]:.1f} | {by[2012]:.1f} | "
                   f"{by[2017]:.1f} | {chosen(v)} | {w['mape_mean']:.1f} | {chosen(w)} |")
    return "\n".join(out)


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[1].parent
                    / "shared" / "data")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results")
    a = ap.parse_args(argv)
    os.environ.setdefault("LIANPU_DATA", str(a.data))
    t0 = time.perf_counter()
    df, meta = study(national_tables())
    main_df = df[df["year"].isin(MAIN)]
    lq = [c for c, _, _ in lq_configs()]
    families = {"SLQ": ["slq"], "CILQ": ["cilq"],
                "FLQ δ": [c for c in lq if c.startswith("flq")],
                "AFLQ δ": [c for c in lq if c.startswith("aflq")]}
    fam = {**families, "any LQ method and δ (output only)": lq,
           "calibrated SLQ (needs trade totals)": ["cal slq"],
           "LQ or calibrated": lq + [f"cal {m}" for m in CAL]}
    res = {"years": list(YEARS), "default_chosen_on": list(YEARS)}
    res["lopo"] = {k: lopo(df, v) for k, v in fam.items()}
    res["lopo_2012_2017"] = {k: lopo(main_df, v) for k, v in fam.items()}
    res["lopo_same_year"] = {k: lopo(df, v, by_year=True) for k, v in fam.items()}
    E = df.pivot_table(index=["year", "gb"], columns="config", values="mape")
    Em = E[E.index.get_level_values(0).isin(MAIN)]
    # the default: what the LOPO procedure (lowest mean MAPE over output-only configurations)
    # chooses on all provinces and years; its LOPO error is res["lopo"]["any LQ …"]
    res["default"] = E[lq].mean().idxmin()
    res["mape_mean_all_years"] = {c: round(float(E[c].mean()), 2) for c in E.columns}
    res["mape_mean_2012_2017"] = {c: round(float(Em[c].mean()), 2) for c in E.columns}
    res["mape_median_2012_2017"] = {c: round(float(Em[c].median()), 2) for c in E.columns}
    res["mape_mean_by_year"] = {int(y): {c: round(float(E.loc[y, c].mean()), 2)
                                         for c in E.columns if E.loc[y, c].notna().any()}
                                for y in YEARS}
    res["sichuan"] = {int(y): {c: round(float(E.loc[(y, "51"), c]), 2)
                               for c in ("national", "slq", "cilq", "flq δ=0.1", ISSUE,
                                         res["default"], "cal slq", "cal-true slq")}
                      for y in YEARS}
    res["by_province"] = [{k: (None if isinstance(v, float) and np.isnan(v) else v)
                           for k, v in r.items()} for r in df.round(4).to_dict("records")]
    res["provinces"] = {f"{y}-{g}": m for (y, g), m in meta.items()}
    res["national_tables"] = {
        2007: "cn-nbs-2007-135, domestic view (import proportionality), aggregated to the 2007 "
              "provincial 42 sectors",
        2012: "cn-nbs-2012-139, domestic view (import proportionality), aggregated to the 2012 "
              "provincial 42 sectors",
        2017: "cn-nbs-2017-42 (non-competitive)"}
    res["seconds"] = round(time.perf_counter() - t0, 1)
    a.out.mkdir(parents=True, exist_ok=True)
    (a.out / "regionalize_provinces.json").write_text(
        json.dumps(res, ensure_ascii=False, indent=1, default=str))
    text = markdown(df, res)
    (a.out / "regionalize_provinces.md").write_text(text + "\n")
    print(text)
    print(f"\ndefault (lowest mean MAPE over output-only configurations, all years: the LOPO "
          f"procedure on all provinces): {res['default']}; {res['seconds']} s")
    return res


if __name__ == "__main__":
    main()
