"""Chain map 产业链全景图 of a track: upstream suppliers by tier, downstream buyers, structural
paths and chain position.

For the track's sectors S with final demand f (zero outside S; the domestic view of a
competitive table by default):

- direct suppliers 直接供应: z_iS = Σ_{j∈S} z_ij (A: per unit of the track's output);
- total requirements 完全需要: L f, by one solve; indirect = L f − f;
- tiers 逐层传递: t_k = A^k f for k = 1..depth, with Σ_k t_k + beyond = L f − f
  (beyond = L A^{depth+1} f, reported, never dropped);
- downstream 下游: direct sales z_Sj = Σ_{i∈S} z_ij = (x_S' B)_j (B: share of the track's
  output) and the Ghosh total x_S' (G − I) = x_S'(B + B² + …): output that uses the track's
  products directly or through other users;
- structural paths (:mod:`lianpu.analysis.chains.spa`), average propagation length to the track and
  upstreamness / downstreamness (:mod:`lianpu.analysis.chains.position`).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd

from ...core import leontief as leo
from ...core.errors import TableError, check_choice, check_range, message
from .._common import cached, code_str, domestic_basis, frame_records, labels, name_columns
from .._result import Result, readonly
from .position import apl_from_supply, apl_to_demand, downstreamness, upstreamness
from .spa import spa
from ..tracks.catalogue import resolve_track

DRIVERS = ("final_demand", "output")
UP_NAMES = {
    "direct_input": ("直接投入", "direct input"), "direct_coef": ("直接消耗系数", "direct input coefficient"),
    "total": ("完全需要", "total requirement"), "indirect": ("间接需要", "indirect requirement"),
    "beyond": ("更高层", "beyond depth"), "apl": ("平均传递步长", "average propagation length"),
    "upstreamness": ("上游度", "upstreamness"), "downstreamness": ("下游度", "downstreamness"),
    "tier": ("主要层级", "main tier"), "in_track": ("属于赛道", "in track"),
    "output": ("总产出", "gross output"),
}
DOWN_NAMES = {
    "direct_sales": ("直接销售", "direct sales"), "direct_share": ("直接分配系数", "direct output share"),
    "forward_total": ("完全分配（直接+间接）", "total forward use (Ghosh)"),
    "apl_forward": ("前向平均传递步长", "forward average propagation length"),
}


@dataclass(frozen=True, eq=False)
class ChainMap(Result):
    """Result of :func:`chain`. Frames are indexed by sector code (or (region, sector)); they
    are the result's own copies. ``to_json(rows=…)`` is :meth:`to_dict` as strict JSON."""

    table: str
    year: int | None
    unit: str
    track_id: str | None
    name_zh: str
    name_en: str
    classification: str | None
    note: str
    basis: str
    driver: str
    track_sectors: tuple
    depth: int
    upstream: pd.DataFrame
    downstream: pd.DataFrame
    paths: pd.DataFrame
    edges: pd.DataFrame
    summary: dict = field(default_factory=dict)
    note_zh: str = ""          # ``note`` (English) in Chinese

    def to_frame(self) -> pd.DataFrame:
        """Upstream and downstream columns side by side, one row per sector."""
        down = self.downstream.drop(columns=["name_zh", "name_en", "in_track"], errors="ignore")
        return self.upstream.join(down, how="outer")

    def to_dict(self, rows: int | None = None) -> dict:
        up = self.upstream if rows is None else self.upstream.head(rows)
        down = self.downstream if rows is None else self.downstream.head(rows)
        return {"table": self.table, "year": self.year, "unit": self.unit,
                "track": {"id": self.track_id, "name_zh": self.name_zh, "name_en": self.name_en,
                          "classification": self.classification, "note": self.note,
                          "note_zh": self.note_zh,
                          "sectors": [code_str(c) for c in self.track_sectors]},
                "basis": self.basis, "driver": self.driver, "depth": self.depth,
                "summary": dict(self.summary), "upstream": frame_records(up),
                "downstream": frame_records(down),
                "paths": self.paths.assign(codes=self.paths["codes"].map(list)).to_dict("records")}

    def to_networkx(self, **kw):
        from .graph import to_networkx
        return to_networkx(self, **kw)

    def to_graphml(self, path, **kw):
        from .graph import to_graphml
        return to_graphml(self, path, **kw)


def tiers(A, f, depth: int) -> np.ndarray:
    """[A f, A² f, …, A^depth f] as columns, shape (n, depth) — depth mat-vecs."""
    out = np.empty((len(f), depth))
    v = np.asarray(f, dtype=float)
    for k in range(depth):
        v = A @ v
        out[:, k] = v
    return out


def _driver(tb, idx, driver):
    f = np.zeros(tb.n)
    if driver == "final_demand":
        f[idx] = tb.Y_.sum(axis=1)[idx]
    elif driver == "output":
        f[idx] = tb.x_[idx]
    else:
        check_choice(driver, DRIVERS, argument="driver")
    if not f.sum() > 0:
        raise TableError(message(tb.name, "the track's final demand is not positive, so there "
                                 "is nothing to trace", argument="driver",
                                 found=f"{f.sum():.6g}", expected="driver='output' for a "
                                 "track of intermediate goods"))
    return f


def chain(table, track_or_sectors, depth: int = 4, top: int = 20, threshold: float = 1e-4, *,
          region: str | None = None, tracks=None, domestic: bool = True, basis: str | None = None,
          driver: str = "final_demand", rows: int = 12, share: float | None = None,
          share_source: str | None = None) -> ChainMap:
    """Chain map of a track (id, zh/en name, Track) or a list of sector codes.

    Parameters
    ----------
    depth : tiers reported and highest structural-path order (≥ 1).
    top : number of structural paths kept.
    threshold : paths whose value is below ``threshold`` × the total effect s'L f are pruned.
    region : for a multi-regional table, the track's region (default: every region).
    tracks : a TrackSet from :func:`lianpu.tracks` (a user file); default the shipped one.
    domestic : use the domestic view of a competitive table (imports leave the chain); the old
        spelling of ``basis="auto"`` (True) / ``basis="published"`` (False).
    basis : "auto", "published", "domestic" or "local"
        (:func:`lianpu.analysis.basis.resolve_basis`; default from ``domestic``).
    driver : "final_demand" (f = the track's final demand) or "output" (f = its gross output,
        for tracks of intermediate goods; counts flows inside the track twice).
    rows : suppliers and buyers per side kept as graph nodes (edges frame).
    share, share_source : for a track carved out of a sector (集成电路, 新能源汽车 …; see
        :mod:`lianpu.analysis.tracks.carveout`), its share of the parent's output and the source of
        that figure, where none is shipped for the table's classification and year.
    """
    check_range(depth, argument="depth", low=1)
    check_range(top, argument="top", low=1)
    check_range(threshold, argument="threshold", low=0, high=1, high_open=True)
    check_choice(driver, DRIVERS, argument="driver")
    from ..tracks.carveout import carve_out_for  # the carve-out is applied to a copy of the table
    table, carved = carve_out_for(table, track_or_sectors, tracks, share=share,
                                  share_source=share_source, region=region)
    tb, basis = domestic_basis(table, domestic, basis)
    sel = carved or resolve_track(tb, track_or_sectors, tracks, region=region)
    S = list(sel.indices)
    f = _driver(tb, S, driver)
    n, A, x, Z = tb.n, tb.A_, tb.x_, tb.Z_
    xf = leo.leontief_solve(tb.factor, f)
    T = tiers(A, f, depth)
    beyond = xf - f - T.sum(axis=1)
    in_track = np.zeros(n, bool)
    in_track[S] = True
    xS = x[S].sum()
    up = name_columns(tb)
    up["in_track"] = in_track
    up["output"] = x
    up["direct_input"] = Z[:, S].sum(axis=1)
    up["direct_coef"] = up["direct_input"] / xS
    up["total"] = xf
    up["indirect"] = xf - f
    for k in range(depth):
        up[f"tier_{k + 1}"] = T[:, k]
    up["beyond"] = beyond
    up["tier"] = np.where(T.max(axis=1) > 0, T.argmax(axis=1) + 1, 0)
    up["apl"] = apl_to_demand(tb, S, f[S])
    up["upstreamness"] = cached(tb, ("U",), lambda: upstreamness(tb).to_numpy())
    up["downstreamness"] = cached(tb, ("D",), lambda: downstreamness(tb).to_numpy())
    up = up.sort_values("indirect", ascending=False, kind="stable")
    # downstream: who buys the track's products, directly (x_S'B) and in total (x_S'(G − I))
    xs_vec = np.zeros(n)
    xs_vec[S] = x[S]
    down = name_columns(tb)
    down["in_track"] = in_track
    down["direct_sales"] = Z[S, :].sum(axis=0)
    down["direct_share"] = down["direct_sales"] / xS
    down["forward_total"] = leo.ghosh_solve(tb.factor_ghosh, xs_vec) - xs_vec
    down["apl_forward"] = apl_from_supply(tb, S, x[S])
    down = down.sort_values("direct_sales", ascending=False, kind="stable")
    # structural paths, in output terms
    m = cached(tb, ("colsum_L",), lambda: leo.left_solve(tb.factor, np.ones(n)))
    AT = cached(tb, ("AT",), lambda: np.ascontiguousarray(A.T))
    total_effect = float(m @ f)
    res = spa(A, f, m, depth=depth, top=top, threshold=threshold * abs(total_effect), AT=AT)
    paths = _paths_frame(tb, res)
    edges = _edges(tb, S, up, down, res, rows, xf, depth)
    summary = {
        "track_output": float(xS), "final_demand": float(f.sum()),
        "total_requirement": float(xf.sum()), "indirect_requirement": float((xf - f).sum()),
        "tiers": [float(v) for v in T.sum(axis=0)], "beyond": float(beyond.sum()),
        "output_multiplier": float(xf.sum() / f.sum()),
        "upstreamness": float(np.average(up.loc[up.in_track, "upstreamness"],
                                         weights=up.loc[up.in_track, "output"])),
        "apl_upstream": _wavg(up["apl"], up["indirect"].where(~up.in_track, 0)),
        "spa_paths": len(res.paths), "spa_share": res.covered / total_effect if total_effect else None,
        "spa_expanded": res.expanded, "spa_seconds": res.seconds,
    }
    return ChainMap(tb.name, tb.year, tb.unit, sel.track.id if sel.track else None,
                    sel.label_zh, sel.label_en, sel.classification, sel.note, basis, driver,
                    sel.codes, depth, readonly(up), readonly(down), readonly(paths),
                    readonly(edges), MappingProxyType(summary),
                    sel.note_zh)


def _wavg(v, w):
    v, w = np.asarray(v, float), np.asarray(w, float)
    ok = np.isfinite(v) & (w > 0)
    return float(np.average(v[ok], weights=w[ok])) if ok.any() else None


def _paths_frame(tb, res) -> pd.DataFrame:
    zh, en = labels(tb, "zh").to_numpy(), labels(tb, "en").to_numpy()
    idx = tb.index
    rows = []
    for r, (nodes, v) in enumerate(res.paths, 1):
        rows.append({"rank": r, "value": v, "share": v / res.total if res.total else np.nan,
                     "order": len(nodes) - 1, "codes": tuple(code_str(idx[i]) for i in nodes),
                     "path_zh": " → ".join(zh[i] for i in nodes),
                     "path_en": " → ".join(en[i] for i in nodes)})
    cols = ["rank", "value", "share", "order", "codes", "path_zh", "path_en"]
    return pd.DataFrame(rows, columns=cols)


def _edges(tb, S, up, down, res, rows, xf, depth) -> pd.DataFrame:
    """Edges for the graph. ``flow`` is the chain's own flow a_ij (L f)_j — what j buys from i
    to deliver the track's final demand — except for sales to buyers (kind 'sale': the table's
    z_ij). Kinds: 'path' (links of the structural paths, with their summed path values),
    'tier' (each main supplier of tier t to its three largest customers in tier t − 1, or in
    the track for t = 1), 'supply' (the largest direct suppliers to the track) and 'sale'."""
    A, Z, idx = tb.A_, tb.Z_, tb.index
    pos = {c: i for i, c in enumerate(idx)}
    acc: dict = {}

    def add(i, j, kind, pv=0.0):
        flow = float(Z[i, j]) if kind == "sale" else float(A[i, j] * xf[j])
        e = acc.setdefault((i, j), {"flow": flow, "path_value": 0.0, "kind": kind})
        e["path_value"] += pv

    for nodes, v in res.paths:
        for a, b in itertools.pairwise(nodes):
            add(a, b, "path", v)
    sup = up[~up.in_track & (up["indirect"] > 0)]
    layer = {t: [pos[c] for c in sup[sup["tier"] == t].nlargest(rows, "indirect").index]
             for t in range(1, depth + 1)}
    layer[0] = list(S)
    for t in range(1, depth + 1):
        for i in layer[t]:
            w = sorted(((A[i, j] * xf[j], j) for j in layer[t - 1]), reverse=True)[:3]
            for val, j in w:
                if val > 0:
                    add(i, j, "tier")
    for c in sup[sup.direct_input > 0].nlargest(rows, "direct_input").index:
        for j in S:
            if A[pos[c], j] > 0:
                add(pos[c], j, "supply")
    buy = down[~down.in_track & (down.direct_sales > 0)].nlargest(rows, "direct_sales")
    for c in buy.index:
        for i in S:
            if Z[i, pos[c]] > 0:
                add(i, pos[c], "sale")
    out = [{"source": code_str(idx[i]), "target": code_str(idx[j]), **e}
           for (i, j), e in acc.items()]
    return pd.DataFrame(out, columns=["source", "target", "flow", "path_value", "kind"])
