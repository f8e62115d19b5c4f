"""Graph and HTML views of a :class:`~lianpu.analysis.chains.chainmap.ChainMap`.

The HTML map is one self-contained file: hand-written SVG plus a few lines of inline script
(language switch, highlight on hover). No asset is fetched from anywhere, so it opens offline
and can be mailed or archived with a report. Tiers run left to right (the furthest suppliers
first, then the track, then its buyers); node area follows gross output, edge width the
intermediate flow. On large tables the small nodes of each column are merged into one
"其他 / others" node so that labels never overlap.
"""
from __future__ import annotations

import html
import math
from pathlib import Path

from ..analysis._result import code_str
from ..atomic import atomic_open, atomic_path
from ..core.errors import check_lang
from ..core.units import fmt_num

COLORS = {"up": "#3b7dd8", "track": "#d64545", "down": "#2e9e6a", "other": "#9aa3ad"}
SCRIPT = """
function setLang(l){document.querySelectorAll('[data-zh]').forEach(function(e){
  e.textContent=e.getAttribute('data-'+l);});
  document.documentElement.lang=l==='zh'?'zh-CN':'en';}
document.querySelectorAll('.node').forEach(function(n){
  n.addEventListener('mouseenter',function(){var id=n.getAttribute('data-id');
    document.querySelectorAll('.edge').forEach(function(e){
      var on=e.getAttribute('data-s')===id||e.getAttribute('data-t')===id;
      e.classList.toggle('dim',!on);});});
  n.addEventListener('mouseleave',function(){
    document.querySelectorAll('.edge').forEach(function(e){e.classList.remove('dim');});});});
"""
CSS = """
body{font-family:-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;
 margin:16px;color:#222}
h1{font-size:20px;margin:0 0 4px} .meta{color:#555;font-size:13px;margin-bottom:8px}
.edge{fill:none;stroke:#8aa0b8;stroke-opacity:.55} .edge.dim{stroke-opacity:.06}
.node text{font-size:12px;dominant-baseline:middle} .col{font-size:13px;font-weight:600;fill:#444}
table{border-collapse:collapse;font-size:13px;margin-top:12px}
td,th{border-bottom:1px solid #ddd;padding:3px 8px;text-align:left} td.n{text-align:right}
button{margin-right:6px}
"""


# --------------------------------------------------------------------------- graph
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
                   basis=cm.basis)
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


# --------------------------------------------------------------------------- HTML
def _fmt(v) -> str:
    """A number of the chain map by its size (the one formatter, :func:`fmt_num`): no
    decimals from 100, three from 0.01, scientific below; '—' if missing."""
    if fmt_num(v) == "—":
        return "—"
    v = float(v)
    a = abs(v)
    return fmt_num(v, 0) if a >= 100 else fmt_num(v, 3) if a >= 0.01 else f"{v:.2e}"


def _t(zh: str, en: str, lang: str) -> str:
    """A text node that the language switch can flip."""
    return (f'<tspan data-zh="{html.escape(zh)}" data-en="{html.escape(en)}">'
            f'{html.escape(zh if lang == "zh" else en)}</tspan>')


def _s(zh: str, en: str, lang: str, tag: str = "span") -> str:
    return (f'<{tag} data-zh="{html.escape(zh)}" data-en="{html.escape(en)}">'
            f'{html.escape(zh if lang == "zh" else en)}</{tag}>')


def _short(s: str, k: int) -> str:
    s = s.removeprefix("Manufacture of ")   # the en names of most manufacturing sectors
    return s if len(s) <= k else s[: k - 1] + "…"


def render_html(cm, lang: str = "zh", per_column: int | None = None) -> str:
    check_lang(lang)
    cols, w_up, w_down = _layout(cm, per_column)
    omax = max((nd["value"] for _, _, _, ns in cols for nd in ns), default=1.0) or 1.0
    colw, top, pad = 230, 60, 14
    pos = {}
    height = 0
    for ci, (_, _, _, nodes) in enumerate(cols):
        y = top
        for nd in nodes:
            r = 4 + 22 * math.sqrt(max(nd["value"], 0) / omax)
            y += r
            pos[nd["id"]] = (40 + ci * colw, y, r)
            y += r + pad
        height = max(height, y)
    width = 40 + len(cols) * colw + 120
    edges = {}
    for e in cm.edges.itertuples(index=False):
        s, t = _ends(e, w_up, w_down)
        if s in pos and t in pos and s != t:
            edges[(s, t)] = edges.get((s, t), 0.0) + float(e.flow)
    fmax = max(edges.values(), default=1.0) or 1.0
    parts = [f'<svg width="{width}" height="{height + 20}" role="img">']
    for ci, (tzh, ten, _, _) in enumerate(cols):
        parts.append(f'<text class="col" x="{40 + ci * colw - 10}" y="30">{_t(tzh, ten, lang)}'
                     "</text>")
    for (s, t), fl in sorted(edges.items(), key=lambda kv: kv[1]):
        (x1, y1, r1), (x2, y2, r2) = pos[s], pos[t]
        w = 0.8 + 13 * math.sqrt(fl / fmax)
        mx = (x1 + x2) / 2
        parts.append(f'<path class="edge" data-s="{s}" data-t="{t}" stroke-width="{w:.1f}" '
                     f'd="M{x1 + r1:.1f},{y1:.1f} C{mx:.1f},{y1:.1f} {mx:.1f},{y2:.1f} '
                     f'{x2 - r2:.1f},{y2:.1f}"><title>{_fmt(fl)} {html.escape(cm.unit)}</title>'
                     "</path>")
    for ci, (_, _, kind, nodes) in enumerate(cols):
        for nd in nodes:
            x, y, r = pos[nd["id"]]
            color = COLORS["other"] if nd["row"] is None else COLORS[kind]
            tip = f"{nd['code']} {nd['zh']} / {nd['en']}\n" if nd["code"] else f"{nd['zh']}\n"
            what = {"up": "induced output 链上诱发产出", "track": "gross output 总产出",
                    "down": "purchases from the track 直接购买"}[kind]
            tip += f"{what}: {_fmt(nd['value'])} {cm.unit}\nsector output 部门总产出: " \
                   f"{_fmt(nd['output'])}"
            row = nd["row"]
            if row is not None and "apl" in row:
                tip += (f"\nAPL 平均传递步长: {_fmt(row['apl'])}"
                        f"\nupstreamness 上游度: {_fmt(row['upstreamness'])}")
            parts.append(
                f'<g class="node" data-id="{html.escape(nd["id"])}"><circle cx="{x}" cy="{y:.1f}" '
                f'r="{r:.1f}" fill="{color}" fill-opacity=".85"><title>{html.escape(tip)}'
                f'</title></circle><text x="{x + r + 4:.1f}" y="{y:.1f}">'
                f'{_t(_short(nd["zh"], 11), _short(nd["en"], 24), lang)}</text></g>')
    parts.append("</svg>")
    return _page(cm, "\n".join(parts), lang)


def _page(cm, svg: str, lang: str) -> str:
    sm = cm.summary
    tiers = " · ".join(f"{i + 1}: {_fmt(v)}" for i, v in enumerate(sm["tiers"]))
    meta = (f"{html.escape(cm.table)} ({cm.year}) · {html.escape(cm.unit)} · "
            f"{html.escape(cm.basis)}<br>final demand 最终需求 {_fmt(sm['final_demand'])} · "
            f"total requirement 完全需要 {_fmt(sm['total_requirement'])} · tiers 各层 {tiers} · "
            f"beyond 更高层 {_fmt(sm['beyond'])}")
    rows = "".join(
        f"<tr><td class='n'>{r.rank}</td><td class='n'>{_fmt(r.value)}</td>"
        f"<td class='n'>{r.share:.2%}</td><td class='n'>{r.order}</td>"
        f"<td>{_s(r.path_zh, r.path_en, lang)}</td></tr>" for r in cm.paths.itertuples())
    head = _s("结构路径（上游 → 赛道）", "structural paths (upstream → track)", lang, "h2")
    title = _s(f"产业链全景图：{cm.name_zh}", f"Chain map: {cm.name_en}", lang, "h1")
    return (f"<!DOCTYPE html>\n<html lang=\"{'zh-CN' if lang == 'zh' else 'en'}\"><head>"
            f"<meta charset=\"utf-8\"><title>{html.escape(cm.name_zh)} · {html.escape(cm.name_en)}"
            f"</title><style>{CSS}</style></head><body>{title}"
            f"<div class='meta'>{meta}</div><div><button onclick=\"setLang('zh')\">中文</button>"
            f"<button onclick=\"setLang('en')\">English</button></div>{svg}{head}"
            "<table><tr><th>#</th><th>value</th><th>share</th><th>order</th><th>path</th></tr>"
            f"{rows}</table><p class='meta'>{_s(cm.note_zh or cm.note, cm.note, lang)}</p>"
            f"<script>{SCRIPT}</script></body></html>\n")


def to_html(cm, path=None, lang: str = "zh", **kw) -> str:
    """The map as a self-contained HTML page; written atomically to ``path`` if given."""
    text = render_html(cm, lang=lang, **kw)
    if path is not None:
        with atomic_open(Path(path), "w", encoding="utf-8") as fh:
            fh.write(text)
    return text
