"""Plotly figures for the report and the dashboard.

Every figure states its title, unit, data source and year (a caption line inside the figure, so a
screenshot or an exported PNG still carries it). Chinese text uses the Noto Sans CJK SC stack.
Labels never pile up: scatter labels are placed greedily and skipped where they would collide;
chain maps collapse small sectors into one "other" node per tier.
"""
from __future__ import annotations

import plotly.graph_objects as go

from .i18n import tr

FONT = ('"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", '
        '"Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif')
#: one colour per track, by the track's position in the track registry (stable everywhere)
PALETTE = ("#c0392b", "#1f77b4", "#2e8b57", "#8e44ad", "#d35400", "#16a085", "#3949ab",
           "#c2185b", "#6d4c41", "#b7950b", "#00838f", "#e65100", "#5e35b1", "#2e7d32",
           "#ad1457", "#1565c0", "#827717", "#4e342e", "#00695c", "#6a1b9a")
NEUTRAL = "#8a9199"
QUADRANT_COLORS = {"q1": "#c0392b", "q2": "#1f77b4", "q3": "#95a5a6", "q4": "#d35400"}
ITEM_COLORS = ("#1f77b4", "#2e8b57", "#d35400", "#8e44ad", "#c0392b", "#16a085", "#7f5539",
               "#607d8b")


_GRID = "#e8ecf1"
#: a small white template: plotly_white carries defaults for every trace type, and copying it
#: into each figure costs ~50 ms; this one costs ~5 ms
TEMPLATE = go.layout.Template(layout=dict(
    paper_bgcolor="white", plot_bgcolor="white", colorway=list(ITEM_COLORS),
    hoverlabel=dict(font=dict(family=FONT)),
    xaxis=dict(gridcolor=_GRID, linecolor=_GRID, zerolinecolor=_GRID, automargin=True),
    yaxis=dict(gridcolor=_GRID, linecolor=_GRID, zerolinecolor=_GRID, automargin=True)))


def track_color(track_id: str, all_ids) -> str:
    ids = list(all_ids)
    i = ids.index(track_id) if track_id in ids else abs(hash(track_id))
    return PALETTE[i % len(PALETTE)]


def caption(source: str, year, unit: str, lang: str) -> str:
    sep = "；" if lang == "zh" else "; "
    colon = "：" if lang == "zh" else ": "
    return sep.join([f"{tr('source', lang)}{colon}{source}", f"{tr('year', lang)}{colon}{year}",
                     f"{tr('unit', lang)}{colon}{unit}"])


def shorten(s: str, n: int = 12) -> str:
    s = str(s)
    return s if len(s) <= n else s[: n - 1] + "…"


def style(fig, title: str, unit: str, source: str, year, lang: str, height: int = 460,
          legend: bool = True, labels=()):
    """Title (with unit), caption (source · year · unit) and the CJK font stack; ``labels``:
    further annotation dicts, set in the same call (adding annotations one by one copies the
    whole list each time)."""
    fig.update_layout(
        title=dict(text=f"<b>{title}</b>", x=0.01, xanchor="left", font=dict(size=16)),
        font=dict(family=FONT, size=12, color="#222"), height=height, template=TEMPLATE,
        margin=dict(l=60, r=30, t=60, b=78), showlegend=legend, separators=".,",
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=1, xanchor="right"))
    fig.update_xaxes(tickformat=",~r")  # 80,000 rather than 80k (SI prefixes read badly in 亿元)
    fig.update_yaxes(tickformat=",~r")
    cap = dict(text=caption(source, year, unit, lang), xref="paper", yref="paper", x=0, y=0,
               yshift=-62, xanchor="left", yanchor="top", showarrow=False,
               font=dict(size=10, color="#666"), align="left")
    fig.update_layout(annotations=[cap, *labels])
    return fig


def _category_axis(axis, labels, lang):
    """Categories at positions 0..n-1 with shortened tick labels: two sectors whose shortened
    names coincide ("Manufacture of …") must not merge into one bar."""
    n = 16 if lang == "zh" else 30
    axis(tickmode="array", tickvals=list(range(len(labels))),
         ticktext=[shorten(s, n) for s in labels], automargin=True)


def bar_h(labels, values, title, unit, source, year, lang, color="#1f77b4", hover=None,
          height=None):
    """Horizontal bars, largest on top."""
    labels, values = list(labels)[::-1], list(values)[::-1]
    fig = go.Figure(go.Bar(x=values, y=list(range(len(labels))), orientation="h",
                           marker_color=color, hovertext=(list(hover)[::-1] if hover else labels),
                           hovertemplate="%{hovertext}: %{x:,.4g}<extra></extra>"))
    fig.update_xaxes(title_text=unit)
    _category_axis(fig.update_yaxes, labels, lang)
    return style(fig, title, unit, source, year, lang, height or max(320, 28 * len(labels) + 140),
                 legend=False)


def bars_grouped(categories, series: dict, title, unit, source, year, lang, colors=None,
                 stacked=False, height=420, horizontal=False):
    """Bars for several series (``{name: values}``) over ``categories``."""
    fig = go.Figure()
    cats = list(categories)[::-1] if horizontal else list(categories)
    pos = list(range(len(cats)))
    for i, (name, vals) in enumerate(series.items()):
        c = (colors or ITEM_COLORS)[i % len(colors or ITEM_COLORS)]
        vals = list(vals)[::-1] if horizontal else list(vals)
        bar = dict(name=name, marker_color=c, hovertext=cats,
                   hovertemplate="%{hovertext}: %{" + ("x" if horizontal else "y")
                   + ":,.4g}<extra>" + name + "</extra>")
        fig.add_trace(go.Bar(y=pos, x=vals, orientation="h", **bar) if horizontal
                      else go.Bar(x=pos, y=vals, **bar))
    fig.update_layout(barmode="stack" if stacked else "group")
    (fig.update_xaxes if horizontal else fig.update_yaxes)(title_text=unit)
    _category_axis(fig.update_yaxes if horizontal else fig.update_xaxes, cats, lang)
    return style(fig, title, unit, source, year, lang, height)


def donut(labels, values, title, unit, source, year, lang):
    fig = go.Figure(go.Pie(labels=list(labels), values=list(values), hole=0.45, sort=False,
                           marker=dict(colors=list(ITEM_COLORS)), textinfo="percent",
                           hovertemplate="%{label}: %{value:,.4g} (%{percent})<extra></extra>"))
    fig = style(fig, title, unit, source, year, lang, 380)
    fig.update_layout(legend=dict(orientation="v", y=0.5, x=1.02, xanchor="left"))
    return fig


def _place_labels(xs, ys, order, xr, yr, max_labels=14, min_dx=0.17, min_dy=0.06):
    """Indices to label: most salient first, skipping any that would overlap a placed label."""
    placed = []
    for i in order:
        nx, ny = (xs[i] - xr[0]) / (xr[1] - xr[0]), (ys[i] - yr[0]) / (yr[1] - yr[0])
        if all(abs(nx - px) > min_dx or abs(ny - py) > min_dy for px, py, _ in placed):
            placed.append((nx, ny, i))
        if len(placed) >= max_labels:
            break
    return {i for _, _, i in placed}


def quadrant(frame, title, source, year, lang, type_names=None, highlight=None, color_of=None):
    """影响力系数 (x) × 感应度系数 (y) scatter with quadrant lines at 1.

    ``frame``: columns code, name, power, sensitivity, quadrant (q1..q4), size (e.g. output);
    ``type_names``: legend text per quadrant (the analysis' own type names).
    ``highlight``: codes to draw in ``color_of`` (e.g. one track's sectors)."""
    import numpy as np
    xs, ys = frame["power"].to_numpy(float), frame["sensitivity"].to_numpy(float)
    pad = 0.08
    xr = (min(xs.min(), 1) - pad, max(xs.max(), 1) + pad)
    yr = (min(ys.min(), 1) - pad, max(ys.max(), 1) + 2 * pad)
    sal = (xs - 1) + (ys - 1)
    labelled = _place_labels(xs, ys, list(np.argsort(-sal)), xr, yr)
    size = frame["size"].to_numpy(float) if "size" in frame else np.ones(len(frame))
    sz = 8 + 26 * np.sqrt(size / size.max()) if size.max() > 0 else np.full(len(frame), 10.0)
    fig = go.Figure()
    for q in ("q1", "q2", "q3", "q4"):
        m = (frame["quadrant"] == q).to_numpy()
        if not m.any():
            continue
        idx = np.flatnonzero(m)
        fig.add_trace(go.Scatter(
            x=xs[m], y=ys[m], mode="markers", name=(type_names or {}).get(q) or tr(q, lang),
            marker=dict(size=sz[m], color=QUADRANT_COLORS[q], opacity=0.75,
                        line=dict(width=0.5, color="white")),
            customdata=[[frame["code"].iloc[i], frame["name"].iloc[i]] for i in idx],
            hovertemplate=("%{customdata[1]} (%{customdata[0]})<br>" + tr("power", lang)
                           + " %{x:.3f}<br>" + tr("sensitivity", lang)
                           + " %{y:.3f}<extra></extra>")))
    if highlight:
        m = frame["code"].isin(list(highlight)).to_numpy()
        fig.add_trace(go.Scatter(x=xs[m], y=ys[m], mode="markers", name=tr("track", lang),
                                 marker=dict(size=sz[m] + 6, color="rgba(0,0,0,0)",
                                             line=dict(width=2.5, color=color_of or "#000")),
                                 hoverinfo="skip"))
    # labels are annotations: they sit above every marker, on a white ground
    width = 10 if lang == "zh" else 22
    labels = [dict(x=xs[i], y=ys[i], text=shorten(frame["name"].iloc[i], width),
                   yshift=sz[i] / 2 + 8, showarrow=False, font=dict(size=11, color="#222"),
                   bgcolor="rgba(255,255,255,0.82)", borderpad=1) for i in labelled]
    fig.add_hline(y=1, line=dict(color="#999", dash="dash", width=1))
    fig.add_vline(x=1, line=dict(color="#999", dash="dash", width=1))
    fig.update_xaxes(title_text=tr("power", lang), range=list(xr), zeroline=False)
    fig.update_yaxes(title_text=tr("sensitivity", lang), range=list(yr), zeroline=False)
    return style(fig, title, tr("ratio_unit", lang), source, year, lang, 560, labels=labels)
