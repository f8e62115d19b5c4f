"""The HTML view of a :class:`~lianpu.analysis.chains.chainmap.ChainMap`.

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

from ..analysis.chains.graph import _ends, _layout  # the map's columns, laid out once
from ..atomic import atomic_open
from ..core.errors import check_lang
from ..core.units import fmt_by_size

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


# --------------------------------------------------------------------------- HTML

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
                     f'{x2 - r2:.1f},{y2:.1f}"><title>{fmt_by_size(fl)} {html.escape(cm.unit)}</title>'
                     "</path>")
    for ci, (_, _, kind, nodes) in enumerate(cols):
        for nd in nodes:
            x, y, r = pos[nd["id"]]
            color = COLORS["other"] if nd["row"] is None else COLORS[kind]
            tip = f"{nd['code']} {nd['zh']} / {nd['en']}\n" if nd["code"] else f"{nd['zh']}\n"
            what = {"up": "induced output 链上诱发产出", "track": "gross output 总产出",
                    "down": "purchases from the track 直接购买"}[kind]
            tip += f"{what}: {fmt_by_size(nd['value'])} {cm.unit}\nsector output 部门总产出: " \
                   f"{fmt_by_size(nd['output'])}"
            row = nd["row"]
            if row is not None and "apl" in row:
                tip += (f"\nAPL 平均传递步长: {fmt_by_size(row['apl'])}"
                        f"\nupstreamness 上游度: {fmt_by_size(row['upstreamness'])}")
            parts.append(
                f'<g class="node" data-id="{html.escape(nd["id"])}"><circle cx="{x}" cy="{y:.1f}" '
                f'r="{r:.1f}" fill="{color}" fill-opacity=".85"><title>{html.escape(tip)}'
                f'</title></circle><text x="{x + r + 4:.1f}" y="{y:.1f}">'
                f'{_t(_short(nd["zh"], 11), _short(nd["en"], 24), lang)}</text></g>')
    parts.append("</svg>")
    return _page(cm, "\n".join(parts), lang)


def _page(cm, svg: str, lang: str) -> str:
    sm = cm.summary
    tiers = " · ".join(f"{i + 1}: {fmt_by_size(v)}" for i, v in enumerate(sm["tiers"]))
    meta = (f"{html.escape(cm.table)} ({cm.year}) · {html.escape(cm.unit)} · "
            f"{html.escape(cm.basis)}<br>final demand 最终需求 {fmt_by_size(sm['final_demand'])} · "
            f"total requirement 完全需要 {fmt_by_size(sm['total_requirement'])} · tiers 各层 {tiers} · "
            f"beyond 更高层 {fmt_by_size(sm['beyond'])}")
    rows = "".join(
        f"<tr><td class='n'>{r.rank}</td><td class='n'>{fmt_by_size(r.value)}</td>"
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
