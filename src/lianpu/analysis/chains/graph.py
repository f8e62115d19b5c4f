"""A chain map as a graph: its columns (tiers of suppliers, the track, direct buyers), with
the small sectors of each column merged into one "其他 / others" node, and the networkx
DiGraph / GraphML (Gephi, yEd, Cytoscape) built from them. The HTML map
(:mod:`lianpu.report.chain_svg`) draws these same columns."""
from __future__ import annotations

from pathlib import Path

from ...atomic import atomic_path
from ...core.notes import zh
from .._result import code_str


def _layout(cm, per_column: int | None = None, min_share: float = 0.005):
    """Columns of nodes [(title_zh, title_en, kind, [node dicts])] and two code → node-id maps:
    upstream side (suppliers and track) and downstream side (track and buyers), because a
    sector can be both a supplier and a buyer of the track."""
    up, down = cm.upstream, cm.downstream
    n = len(up)
    k = per_column or (8 if n > 60 else 12)
    cols, w_up, w_down = [], {}, {}
    sup = up[~up["in_track"] & (up["indirect"] > 0)]
    total_ind = float(sup["indirect"].sum()) or 1.0
    for t in range(cm.depth, 0, -1):
        part = sup[sup["tier"] == t].sort_values("indirect", ascending=False)
        big = part[part["indirect"] >= min_share * total_ind].head(k)
        cols.append((f"第{t}层供应", f"tier {t} suppliers", "up",
                     _nodes(big, part, "indirect", f"up{t}", w_up)))
    trk = up[up["in_track"]].sort_values("output", ascending=False)
    cols.append(("赛道部门", "track sectors", "track",
                 _nodes(trk.head(k), trk, "output", "trk", w_up)))
    w_down.update({c: v for c, v in w_up.items() if v.startswith("trk:")})
    buy = down[~down["in_track"] & (down["direct_sales"] > 0)].sort_values(
        "direct_sales", ascending=False)
    big = buy[buy["direct_sales"] >= min_share * float(buy["direct_sales"].sum() or 1)].head(k)
    cols.append(("直接下游用户", "direct buyers", "down", _nodes(big, buy, "direct_sales", "down",
                                                           w_down, outputs=up["output"])))
    return cols, w_up, w_down


def _ends(e, w_up, w_down):
    """Node ids of an edge's ends: sales go from the track to the buyers' column."""
    if e.kind == "sale":
        return w_up.get(e.source), w_down.get(e.target)
    return w_up.get(e.source), w_up.get(e.target)


def _nodes(shown, all_, value_col, tag, where, outputs=None):
    nodes = []
    for c, r in shown.iterrows():
        nid = code_str(c)
        where.setdefault(nid, f"{tag}:{nid}")
        out = float(r["output"]) if "output" in r else float(outputs.loc[c])
        nodes.append({"id": f"{tag}:{nid}", "code": nid, "zh": r["name_zh"], "en": r["name_en"],
                      "value": float(r[value_col]), "output": out, "row": r})
    rest = all_.drop(index=shown.index)
    if len(rest):
        out = float(rest["output"].sum()) if "output" in rest else float(outputs.loc[rest.index].sum())
        oid = f"{tag}:others"
        for c in rest.index:
            where.setdefault(code_str(c), oid)
        nodes.append({"id": oid, "code": "", "zh": f"其他{len(rest)}个部门",
                      "en": f"{len(rest)} other sectors", "value": float(rest[value_col].sum()),
                      "output": out, "row": None})
    return nodes


def to_networkx(cm, per_column: int | None = None):
    """A networkx DiGraph of the map: nodes (sectors or merged 'others') with name_zh, name_en,
    output, value, column; edges with flow (table unit) and path_value."""
    import networkx as nx
    cols, w_up, w_down = _layout(cm, per_column)
    g = nx.DiGraph(track=cm.name_zh, track_en=cm.name_en, table=cm.table, unit=cm.unit,
                   basis=str(cm.basis), basis_zh=zh(cm.basis))  # plain str: GraphML types
    for ci, (tzh, ten, kind, nodes) in enumerate(cols):
        for nd in nodes:
            g.add_node(nd["id"], code=nd["code"], name_zh=nd["zh"], name_en=nd["en"],
                       output=nd["output"], value=nd["value"], column=ci, kind=kind,
                       column_zh=tzh, column_en=ten)
    for e in cm.edges.itertuples(index=False):
        s, t = _ends(e, w_up, w_down)
        if s is None or t is None or s == t:
            continue
        if g.has_edge(s, t):
            g[s][t]["flow"] += e.flow
            g[s][t]["path_value"] += e.path_value
        else:
            g.add_edge(s, t, flow=float(e.flow), path_value=float(e.path_value), kind=e.kind)
    return g


def to_graphml(cm, path, **kw) -> Path:
    """Write the graph as GraphML (for Gephi, yEd, Cytoscape)."""
    import networkx as nx
    path = Path(path)
    g = to_networkx(cm, **kw)
    with atomic_path(path) as tmp:
        nx.write_graphml(g, tmp)
    return path
