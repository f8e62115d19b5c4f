"""The trade views of an :class:`~lianpu.table.IOTable`: :meth:`~lianpu.table.IOTable.domestic`
(import proportionality) and :meth:`~lianpu.table.IOTable.local` (imports and inflows split
proportionally). The methods on the table memoize these builders; the equations are in their
docstrings. ``self`` is the table (the functions read like the methods they were).
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from .core import roles
from .core.errors import TableError, message
from .core.notes import Note


def domestic_split(self) -> "IOTable":
    """Import proportionality, uncached (see :meth:`domestic`)."""
    fd = list(self.final_demand_labels.index)
    rl = self.fd_roles
    im_cols = self.fd_positions(roles.IMPORTS)
    if not im_cols:
        raise TableError(message(self.name, "cannot split imports: no column with the role "
                                 "'import'", column="IM",
                                 expected="a competitive table with an imports column"))
    im = -self.Y_[:, im_cols].sum(axis=1)
    exp_cols = self.fd_positions(roles.OUTFLOWS)
    skip = set(self.fd_positions(roles.SUPPLY_FROM_OUTSIDE | {"discrepancy"}))
    use_cols = [j for j in range(len(fd)) if j not in skip and j not in exp_cols]
    use = self.Z_.sum(axis=1) + self.Y_[:, use_cols].sum(axis=1)
    exports = self.Y_[:, exp_cols].sum(axis=1)
    # re-exports: where imports exceed domestic use, the imported share is spread over
    # all uses including exports (μ_i = m_i / (use_i + e_i)), which still balances the row
    reexport = im > use + 1e-9 * np.abs(im).max(initial=1.0)
    den = np.where(reexport, use + exports, use)
    mu = np.divide(im, den, out=np.zeros_like(im), where=den > 0)
    if (mu < 0).any() or (mu > 1).any():
        i = int(np.argmax((mu < 0) | (mu > 1)))
        raise TableError(message(self.name, "imports exceed all uses of the product, so the "
                                 "import share is outside [0, 1]", row=self.index[i],
                                 column="IM", found=f"{mu[i]:.4g}",
                                 expected="0 ≤ m_i / use_i ≤ 1"))
    keep = [j for j in range(len(fd)) if j not in im_cols]
    Y = self.Y_[:, keep].copy()
    Ym = np.zeros_like(Y)
    for jj, j in enumerate(keep):
        if rl[j] == "discrepancy" or rl[j] in roles.SUPPLY_FROM_OUTSIDE:
            continue
        share = mu if j not in exp_cols else np.where(reexport, mu, 0.0)
        Ym[:, jj] = share * Y[:, jj]
        Y[:, jj] = (1 - share) * Y[:, jj]
    kept = [fd[j] for j in keep]
    sats = {k: replace(v, final_demand=None if v.final_demand is None else v.final_demand[keep])
            for k, v in self.satellites.items()}
    notes = (Note("domestic view by import proportionality",
                  "国内视角：按进口比例假设把中间使用和最终使用拆分为国产品和进口品"),)
    if reexport.any():
        codes = ", ".join(map(str, [self.index[i] for i in np.flatnonzero(reexport)]))
        notes += (Note(f"re-exports: imports exceed domestic use for {codes}; their import share "
                       "is spread over exports too",
                       f"转口：{codes}的进口超过国内使用，其进口占比也分摊到出口"),)
    return self.evolve(Z_=(1 - mu)[:, None] * self.Z_, Zm_=mu[:, None] * self.Z_, Y_=Y,
                       Ym_=Ym, final_demand_labels=self.final_demand_labels.loc[kept],
                       household_columns=tuple(c for c in self.household_columns if c in kept),
                       satellites=sats, imports="non-competitive", notes=self.notes + notes)


def local_split(self) -> "IOTable":
    """Proportional split of imports and inflows, uncached (see :meth:`local`)."""
    from .core import tradesplit
    if self.imports == "non-competitive" or self.Zr_ is not None:
        raise TableError(message(self.name, "the local view needs a competitive table "
                                 "(imports and inflows as columns of final use)",
                                 found=f"{self.imports} imports", expected="competitive"))
    imp = self.fd_positions("import")
    inf_ = self.fd_positions("inflow")
    both = self.fd_positions("trade_in")
    combined = bool(both) and not (imp or inf_)
    if combined:
        inf_ = both
    elif both:
        inf_ = inf_ + both
    if not (imp or inf_):
        net = self.fd_positions("net_outflow")
        what = ("net outflow only (role 'net_outflow', e.g. the 2002 provincial tables)"
                if net else "no column with the role 'import', 'inflow' or 'trade_in'")
        raise TableError(message(self.name, "cannot build the local view: gross imports and "
                                 "inflows are not in the table", found=what,
                                 expected="IM/IF columns (provincial tables 2012, 2017) or "
                                          "FU304 (2007, 1997)"))
    out = self.fd_positions(roles.OUTFLOWS)
    skip = self.fd_positions("discrepancy")
    try:
        sp = tradesplit.proportional_trade_split(self.Z_, self.Y_, import_cols=imp,
                                                 inflow_cols=inf_, outflow_cols=out,
                                                 skip_cols=skip)
    except ValueError as exc:
        i = int(str(exc).split("position ")[1].split(":")[0])
        raise TableError(message(self.name, "supply from outside exceeds all uses of the "
                                 "product, so its share is outside [0, 1]",
                                 row=self.index[i], found=str(exc).split(": ", 1)[1],
                                 expected="m_i + r_i ≤ all uses of i")) from None
    fd = list(self.final_demand_labels.index)
    kept = [fd[j] for j in sp.keep]
    sats = {k: replace(v, final_demand=None if v.final_demand is None
                       else v.final_demand[list(sp.keep)])
            for k, v in self.satellites.items()}
    notes = (Note("local view 本地视角 by proportionality: imports from abroad in Zm/Ym, "
                  "inflows from other provinces in Zr/Yr",
                  "本地视角：按比例假设拆分，国外进口计入Zm/Ym，外省调入计入Zr/Yr"),)
    if combined:
        notes += (Note("trade_in combines abroad and other provinces (no partner split in this "
                       "table): the single leakage is in Zr/Yr and Zm/Ym are zero; only the 2012 "
                       "and 2017 provincial tables separate them",
                       "trade_in（流入合计）不区分国外进口和外省调入（本表无来源拆分）：唯一的外部"
                       "流入计入Zr/Yr，Zm/Ym为零；只有2012年和2017年的省级表将两者分列"),)
    if sp.transit.any():
        codes = ", ".join(map(str, [self.index[i] for i in np.flatnonzero(sp.transit)]))
        notes += (Note(f"re-exports / transit: supply from outside exceeds local use for "
                       f"{codes}; their shares are spread over exports and outflows too",
                       f"转口/过境：{codes}的外部供给超过本地使用，其占比也分摊到出口和调出"),)
    return self.evolve(Z_=sp.Z, Zm_=sp.Zm, Zr_=sp.Zr, Y_=sp.Y, Ym_=sp.Ym, Yr_=sp.Yr,
                       final_demand_labels=self.final_demand_labels.loc[kept],
                       household_columns=tuple(c for c in self.household_columns if c in kept),
                       satellites=sats, imports="non-competitive", notes=self.notes + notes)
