"""The chain panorama map 产业链全景图 drawn from a ``lianpu.chain`` result.

Columns left to right: upstream tier ≥3, tier 2, tier 1 (direct suppliers), the track's own
sectors (core), direct buyers (downstream). Each column keeps its largest sectors and merges
the rest into one "other" node, so 153-sector tables stay legible; labels sit right of their
node with a fixed row pitch, so they cannot overlap.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ..analysis._result import code_str
from . import figures as fg
from .i18n import tr

PER_COLUMN = 7
UP_COLOR, DOWN_COLOR, OTHER_COLOR = "#5d7a99", "#6c8f5e", "#b8bec6"


def _col_name(x, lang):
    """Axis label of column x: 0..2 upstream tiers ≥3, 2, 1; 3 core; 4 downstream."""
    if x == 3:
        return tr("core", lang)
    if x == 4:
        return tr("downstream", lang)
    tier = ("≥3", "2", "1")[x]
    return f"上游第{tier}层" if lang == "zh" else f"upstream tier {tier}"


def layout_nodes(cm, lang, per_column=PER_COLUMN):
    """Nodes: dicts with code, label, col (0, 1, 2: upstream tiers ≥3, 2, 1; 3: the track's
    sectors; 4: direct buyers), value, kind, y; merged 'other' nodes have code None."""
    up, down = cm.upstream, cm.downstream
    name = "name_zh" if lang == "zh" else "name_en"
    nodes = []
    core = up[up.in_track]
    for c, r in core.sort_values("output", ascending=False).iterrows():
        nodes.append({"code": c, "label": r[name] or str(c), "col": 3, "value": r["output"],
                      "kind": "core"})
    sup = up[~up.in_track & (up["indirect"] > 0)]
    tier = sup["tier"].clip(lower=1)
    for col, sel in ((2, tier == 1), (1, tier == 2), (0, tier >= 3)):
        part = sup[sel].sort_values("indirect", ascending=False)
        for c, r in part.head(per_column).iterrows():
            nodes.append({"code": c, "label": r[name] or str(c), "col": col,
                          "value": r["indirect"], "kind": "up"})
        rest = part.iloc[per_column:]
        if len(rest):
            nodes.append({"code": None, "label": tr("others", lang, n=len(rest)), "col": col,
                          "value": float(rest["indirect"].sum()), "kind": "other",
                          "members": list(rest.index)})
    buy = down[~down.in_track & (down["direct_sales"] > 0)].sort_values("direct_sales",
                                                                        ascending=False)
    for c, r in buy.head(per_column).iterrows():
        nodes.append({"code": c, "label": r[name] or str(c), "col": 4, "value": r["direct_sales"],
                      "kind": "down"})
    rest = buy.iloc[per_column:]
    if len(rest):
        nodes.append({"code": None, "label": tr("others", lang, n=len(rest)), "col": 4,
                      "value": float(rest["direct_sales"].sum()), "kind": "other",
                      "members": list(rest.index)})
    for col in range(5):
        colnodes = [n for n in nodes if n["col"] == col]
        for i, n in enumerate(colnodes):
            n["y"] = -(i - (len(colnodes) - 1) / 2)
    return nodes


def _edges(cm, nodes, Z=None, index=None, per_node=2):
    """{(source node, target node): flow} between shown nodes, left to right: the chain's own
    edges (structural paths, suppliers → track → buyers), plus, where ``Z`` (the intermediate
    flows the chain was computed on) is given, each upstream node's ``per_node`` largest sales
    to the next column."""
    pos = {n["code"]: k for k, n in enumerate(nodes) if n["code"] is not None}
    out = {}
    codes = {code_str(c): c for c in pos}
    for e in cm.edges.itertuples(index=False):
        s, t = codes.get(e.source), codes.get(e.target)
        if s is None or t is None:
            continue
        a, b = nodes[pos[s]], nodes[pos[t]]
        if a["col"] < b["col"] and e.flow > 0:
            out[(pos[s], pos[t])] = float(e.flow)
    if Z is not None:
        at = {c: i for i, c in enumerate(index)}
        for k, a in enumerate(nodes):
            if a["code"] is None or a["col"] > 2:
                continue
            nxt = [(j, b) for j, b in enumerate(nodes) if b["col"] == a["col"] + 1 and b["code"]
                   is not None]
            flows = sorted(((Z[at[a["code"]], at[b["code"]]], j) for j, b in nxt), reverse=True)
            for f, j in flows[:per_node]:
                if f > 0:
                    out.setdefault((k, j), float(f))
    return out


def panorama(cm, lang, color, source, year, unit_k=1.0, unit="", Z=None, index=None):
    """Plotly figure of the chain map; ``unit_k`` scales values for hover text; ``Z`` and
    ``index``: the flows the chain was computed on, to link adjacent upstream tiers."""
    nodes = layout_nodes(cm, lang)
    edges = _edges(cm, nodes, Z, index)
    xs = {c: float(c) for c in range(5)}
    fig = go.Figure()
    if edges:
        flows = np.array(list(edges.values()))
        lo, hi = np.log10(flows.min() + 1), np.log10(flows.max() + 1)
        bins = np.linspace(lo, hi + 1e-9, 5)
        for b in range(4):
            xe, ye = [], []
            for (i, j), f in edges.items():
                lf = np.log10(f + 1)
                if bins[b] <= lf < bins[b + 1]:
                    xe += [xs[nodes[i]["col"]], xs[nodes[j]["col"]], None]
                    ye += [nodes[i]["y"], nodes[j]["y"], None]
            if xe:
                fig.add_trace(go.Scatter(x=xe, y=ye, mode="lines", hoverinfo="skip",
                                         showlegend=False, line=dict(width=0.8 + 1.6 * b,
                                                                     color=_alpha(color, 0.28))))
    vmax = max(n["value"] for n in nodes) or 1.0
    labels, width = [], (9 if lang == "zh" else 18)
    groups = (("core", tr("core_sectors", lang), color), ("up", tr("upstream", lang), UP_COLOR),
              ("down", tr("downstream", lang), DOWN_COLOR),
              ("other", tr("other_nodes", lang), OTHER_COLOR))
    for kind, name, col in groups:
        ns = [n for n in nodes if n["kind"] == kind]
        if not ns:
            continue
        sizes = [10 + 26 * np.sqrt(max(n["value"], 0) / vmax) for n in ns]
        fig.add_trace(go.Scatter(
            x=[xs[n["col"]] for n in ns], y=[n["y"] for n in ns], mode="markers", name=name,
            cliponaxis=False, marker=dict(size=sizes, color=col, line=dict(width=1, color="white")),
            customdata=[[n["label"], n["value"] * unit_k] for n in ns],
            hovertemplate="%{customdata[0]}<br>%{customdata[1]:,.4g} " + unit + "<extra></extra>"))
        labels += [dict(x=xs[n["col"]], y=n["y"], text=fg.shorten(n["label"], width),
                        xanchor="left", xshift=sz / 2 + 3, showarrow=False,
                        font=dict(size=11, color="#222"), bgcolor="rgba(255,255,255,0.88)",
                        borderpad=1) for n, sz in zip(ns, sizes, strict=True)]  # above edges
    ymax = max(abs(n["y"]) for n in nodes) + 0.8
    fig.update_xaxes(range=[-0.3, 4.9], showgrid=False, zeroline=False, tickmode="array",
                     tickvals=list(xs.values()),
                     ticktext=[_col_name(c, lang) for c in range(5)], side="top")
    fig.update_yaxes(range=[-ymax, ymax], visible=False)
    rows = max(sum(1 for n in nodes if n["col"] == c) for c in range(5))
    title = f"{tr('panorama', lang)}：{cm.name_zh}" if lang == "zh" else \
        f"{tr('panorama', lang)}: {cm.name_en}"
    fig = fg.style(fig, title, unit, source, year, lang, height=max(420, 46 * rows + 190),
                   labels=labels)
    fig.update_layout(margin=dict(l=20, r=20, t=95, b=78),
                      legend=dict(orientation="h", y=-0.02, yanchor="top", x=1, xanchor="right"))
    return fig, nodes


def _alpha(hex_color, a):
    h = hex_color.lstrip("#")
    r, g, b = int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)
    return f"rgba({r},{g},{b},{a})"
