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
procedure chooses on all 31.

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
from lianpu.analysis import regionalize_accuracy as ra
from lianpu.carbon.concordance import nbs_concordance
from lianpu.data import registry

YEARS = (2012, 2017)
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
    names = lianpu.load("cn-prov-2012-51").sectors
    n12 = ra.aggregate_table(t139, ra.provincial42_codes_2012(t139, nbs_concordance()), names,
                             name="cn-nbs-2012-139 (domestic) on the 2012 provincial 42 sectors")
    return {2012: n12, 2017: n17}


def study(nats) -> tuple[pd.DataFrame, dict]:
    rows, meta = [], {}
    for year in YEARS:
        nat = nats[year]
        An, xn = nat.A_, nat.x_
        for p in registry.provinces():
            pid = f"cn-prov-{year}-{p.gb}"
            prov = lianpu.load(pid)
            if [str(c) for c in prov.index] != [str(c) for c in nat.index]:
                raise SystemExit(f"{pid}: sector codes differ from the national table's")
            if year == 2017 and list(prov.sectors["name_zh"]) != list(nat.sectors["name_zh"]):
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
            meta[(year, p.gb)] = {"output_share": base["share"],
                                  "outside_share_of_local_use": round(mu, 4),
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
    return pd.DataFrame(rows), meta


def lopo(df: pd.DataFrame, configs: list[str], by_year: bool) -> dict:
    """Leave one province out: choose the configuration with the lowest mean MAPE on the other
    provinces (both years, or the same year), measure it on the held-out province."""
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
            "mape_mean_by_year": {int(y): round(float(h.loc[y].mean()), 2) for y in YEARS},
            "chosen": dict(pd.Series(chosen).value_counts().items()),
            "held_out": {f"{y}-{g}": round(v, 2) for (y, g), v in held.items()},
            "chosen_by_province": {f"{y}-{g}": c for (y, g), c in chosen.items()}}


def markdown(df, res) -> str:
    E = df.pivot_table(index=["year", "gb"], columns="config", values="mape")
    B = df.pivot_table(index=["year", "gb"], columns="config", values="bias")
    W = df.pivot_table(index=["year", "gb"], columns="config", values="wape")
    order = list(dict.fromkeys(df["config"]))
    default = res["default"]
    out = ["### Mean over provinces (MAPE of Type I output multipliers, %)", "",
           "| method | 2012 MAPE | 2017 MAPE | both: mean | median | bias | WAPE of Z |",
           "|---|---|---|---|---|---|---|"]
    for c in order:
        mark = "**" if c == default else ""
        out.append(f"| {mark}{c}{mark} | {E[c].loc[2012].mean():.1f} | {E[c].loc[2017].mean():.1f}"
                   f" | {E[c].mean():.1f} | {E[c].median():.1f} | {B[c].mean():+.1f} | "
                   f"{W[c].mean():.1f} |")
    lq = [c for c, _, _ in lq_configs()]
    out += ["", f"### By province (MAPE %; best LQ = lowest of SLQ, CILQ, FLQ/AFLQ δ 0.05–0.5 "
                f"for that province; default = {default}; cal = calibrated SLQ)", "",
            "| province | year | share of national output | national | SLQ | FLQ δ=0.3 | default | "
            "best LQ (method) | cal slq |", "|---|---|---|---|---|---|---|---|---|"]
    share = df.drop_duplicates(["year", "gb"]).set_index(["year", "gb"])["share"]
    names = df.drop_duplicates("gb").set_index("gb")["province"]
    for (year, gb) in E.index:
        e = E.loc[(year, gb)]
        best = e[lq].idxmin()
        out.append(f"| {gb} {names[gb]} | {year} | {100 * share[(year, gb)]:.1f} % | "
                   f"{e['national']:.1f} | {e['slq']:.1f} | {e[ISSUE]:.1f} | {e[default]:.1f} | "
                   f"{e[best]:.1f} ({best}) | {e['cal slq']:.1f} |")
    lo = res["lopo"]
    out += ["", "### Leave one province out (MAPE % on the held-out province)", "",
            "| choice among | both years | 2012 | 2017 | configurations chosen |", "|---|---|---|---|---|"]
    for k, v in lo.items():
        ch = ", ".join(f"{c} ×{n}" for c, n in v["chosen"].items())
        out.append(f"| {k} | {v['mape_mean']:.1f} | {v['mape_mean_by_year'][2012]:.1f} | "
                   f"{v['mape_mean_by_year'][2017]:.1f} | {ch} |")
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
    lq = [c for c, _, _ in lq_configs()]
    families = {"SLQ": ["slq"], "CILQ": ["cilq"],
                "FLQ δ": [c for c in lq if c.startswith("flq")],
                "AFLQ δ": [c for c in lq if c.startswith("aflq")]}
    fam = {**families, "any LQ method and δ (output only)": lq,
           "calibrated SLQ (needs trade totals)": ["cal slq"],
           "LQ or calibrated": lq + [f"cal {m}" for m in CAL]}
    res = {"lopo": {k: lopo(df, v, by_year=False) for k, v in fam.items()}}
    res["lopo_same_year"] = {k: lopo(df, v, by_year=True) for k, v in fam.items()}
    E = df.pivot_table(index=["year", "gb"], columns="config", values="mape")
    # the default: what the LOPO procedure (lowest mean MAPE over output-only configurations)
    # chooses on all 31 provinces; its LOPO error is res["lopo"]["any LQ …"]
    res["default"] = E[lq].mean().idxmin()
    res["mape_mean"] = {c: round(float(E[c].mean()), 2) for c in E.columns}
    res["mape_mean_by_year"] = {int(y): {c: round(float(E.loc[y, c].mean()), 2) for c in E.columns}
                                for y in YEARS}
    res["mape_median"] = {c: round(float(E[c].median()), 2) for c in E.columns}
    res["sichuan"] = {int(y): {c: round(float(E.loc[(y, "51"), c]), 2)
                               for c in ("national", "slq", "cilq", ISSUE, res["default"],
                                         "cal slq", "cal-true slq")} for y in YEARS}
    res["by_province"] = [{k: (None if isinstance(v, float) and np.isnan(v) else v)
                           for k, v in r.items()} for r in df.round(4).to_dict("records")]
    res["provinces"] = {f"{y}-{g}": m for (y, g), m in meta.items()}
    res["national_tables"] = {2012: "cn-nbs-2012-139, domestic view (import proportionality), "
                                    "aggregated to the 2012 provincial 42 sectors",
                              2017: "cn-nbs-2017-42 (non-competitive)"}
    res["seconds"] = round(time.perf_counter() - t0, 1)
    a.out.mkdir(parents=True, exist_ok=True)
    (a.out / "regionalize_provinces.json").write_text(
        json.dumps(res, ensure_ascii=False, indent=1, default=str))
    text = markdown(df, res)
    (a.out / "regionalize_provinces.md").write_text(text + "\n")
    print(text)
    print(f"\ndefault (lowest mean MAPE over output-only configurations, the LOPO procedure "
          f"on all provinces): {res['default']}; {res['seconds']} s")
    return res


if __name__ == "__main__":
    main()
