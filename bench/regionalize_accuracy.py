"""How accurate are location-quotient regionalizations? A test on real data (WIOD 2011).

Set-up (docs/regionalize.md, section "Accuracy"): the 41 WIOD economies together are "the
nation" — Z^n_ij = Σ_{r,s} z_(r,i),(s,j), x^n = Σ_r x_r, all trade internal. Each economy r
is then regionalized from its gross output by industry alone (``lianpu.regionalize``, the
library's own code path), and the estimated Type I output multipliers (column sums of
(I − A^r)⁻¹, intra-regional) are compared with the economy's real ones from its domestic
block of the MRIO, A_rr = Z_rr x̂_r⁻¹. Error per economy: mean absolute percentage error over
the industries with positive output; reported: the mean over the 40 economies (RoW
excluded) per method and δ, and per economy for the largest ones.

Run:  python bench/regionalize_accuracy.py [--data ../shared/data] [--out bench/results]
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd

import lianpu
from lianpu.core import leontief as leo

DELTAS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)
SHOWN = ("CHN", "USA", "JPN", "DEU", "FRA", "GBR", "ITA", "BRA", "IND", "KOR", "RUS", "MEX",
         "CAN", "AUS", "IDN", "TWN")


def nation(t) -> lianpu.IOTable:
    """The 41 economies as one closed economy (sum over regions of each industry)."""
    sec = np.asarray(t.index.get_level_values(1))
    codes = list(dict.fromkeys(sec))
    G = pd.get_dummies(pd.Categorical(sec, categories=codes)).to_numpy(float)  # (n, 35)
    cats = np.asarray(t.final_demand_labels.index.get_level_values(1))
    catl = list(dict.fromkeys(cats))
    H = pd.get_dummies(pd.Categorical(cats, categories=catl)).to_numpy(float)
    return lianpu.IOTable.from_arrays(
        G.T @ t.Z_ @ G, G.T @ t.Y_ @ H, x=G.T @ t.x_, sectors=codes, final_demand=catl,
        discrepancy_=G.T @ t.discrepancy_, name="WIOD 2011, 41 economies pooled",
        unit=t.unit, year=t.year, rtol=t.rtol)


def real_multipliers(t, r) -> tuple[np.ndarray, np.ndarray]:
    p = np.flatnonzero(np.asarray(t.index.get_level_values(0)) == r)
    A = np.ascontiguousarray(t.A_[np.ix_(p, p)])
    return leo.left_solve(leo.leontief_factor(A), np.ones(p.size)), t.x_[p]


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[1].parent
                    / "shared" / "data")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    t = lianpu.load(a.data / "wiod2013" / "raw" / "wiot_2011.RData")
    nat = nation(t)
    configs = [("national", None, 0.0), ("slq", "slq", 0.0), ("cilq", "cilq", 0.0)]
    configs += [(f"{m} δ={d:g}", m, d) for m in ("flq", "aflq") for d in DELTAS]
    m_nat = lianpu.multipliers(nat).to_numpy()
    economies = [r for r in t.regions if r != "RoW"]
    err, bias = {}, {}
    for r in economies:
        real, xr = real_multipliers(t, r)
        ok = xr > 0
        for label, method, delta in configs:
            est = m_nat if method is None else lianpu.multipliers(
                lianpu.regionalize(nat, pd.Series(xr, index=nat.index), method, delta,
                                   region=r)).to_numpy()
            rel = (est[ok] - real[ok]) / real[ok]
            err[(r, label)] = float(100 * np.mean(np.abs(rel)))
            bias[(r, label)] = float(100 * np.mean(rel))
    E = pd.Series(err).unstack()[[c[0] for c in configs]]
    B = pd.Series(bias).unstack()[[c[0] for c in configs]]
    mean = E.mean()
    share = {r: float(t.x_[np.asarray(t.index.get_level_values(0)) == r].sum() / nat.x_.sum())
             for r in economies}
    res = {"table": "WIOD 2013 release, 2011 (wiot_2011.RData)", "economies": len(economies),
           "mape_mean": mean.round(2).to_dict(), "mape_median": E.median().round(2).to_dict(),
           "mean_percentage_error": B.mean().round(2).to_dict(),
           "best": mean.idxmin(), "by_economy": E.loc[list(SHOWN)].round(1).to_dict("index"),
           "output_share_of_pooled_total": {r: round(share[r], 4) for r in SHOWN},
           "seconds": round(time.perf_counter() - t0, 1)}
    a.out.mkdir(parents=True, exist_ok=True)
    (a.out / "regionalize_accuracy.json").write_text(json.dumps(res, ensure_ascii=False, indent=1))
    lines = ["| method | " + " | ".join(["MAPE mean (40)", "median", "bias"] + list(SHOWN[:6]))
             + " |", "|---" * (4 + 6) + "|"]
    for c in E.columns:
        lines.append(f"| {c} | {mean[c]:.1f} | {E[c].median():.1f} | {B[c].mean():+.1f} | "
                     + " | ".join(f"{E.loc[r, c]:.1f}" for r in SHOWN[:6]) + " |")
    text = "\n".join(lines)
    (a.out / "regionalize_accuracy.md").write_text(text + "\n")
    print(text)
    print(f"\nbest on average: {res['best']}; {res['seconds']} s")
    return res


if __name__ == "__main__":
    main()
