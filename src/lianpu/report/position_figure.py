"""The value-chain position chart 价值链地位图: upstreamness and import content over time.

Drawn from a :class:`lianpu.analysis.change.position_series.PositionSeries` (the analysis
computes the numbers; the layout lives here, with the report's other figures).
"""
from __future__ import annotations


def position_figure(ps, lang: str = "zh", top: int = 8):
    """A plotly figure: upstreamness (top) and import content (bottom) by sector of ``ps``;
    the ``top`` sectors by last-year upstreamness are shown, the others one click away.

    A sector's two lines share one colour and one legend entry (clicking it shows or hides
    both), so the legend matches the lines in both panels; the two economy-wide lines are
    black, dashed and dotted, and named in the legend."""
    from plotly.subplots import make_subplots

    from .figures import PALETTE
    zh = lang == "zh"
    titles = ("上游度（戈什逆矩阵行和）" if zh else "Upstreamness (Ghosh row sums)",
              "最终需求的进口含量" if zh else "Import content of final demand")
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, subplot_titles=titles,
                        vertical_spacing=0.08)
    shown = set(ps.upstreamness.iloc[-1].nlargest(top).index)
    names = ps.sectors["name_zh" if zh else "name_en"]
    for i, code in enumerate(ps.upstreamness.columns):
        vis = True if code in shown else "legendonly"
        label = f"{code} {names[code]}"
        line = {"color": PALETTE[i % len(PALETTE)], "width": 2}
        for row, frame in ((1, ps.upstreamness), (2, ps.import_content)):
            fig.add_scatter(x=list(frame.index), y=list(frame[code]), mode="lines",
                            name=label, legendgroup=code, showlegend=row == 1, line=line,
                            visible=vis, row=row, col=1)
    for col, dash in (("import_content_exports", "dash"), ("import_content_final_use", "dot")):
        fig.add_scatter(x=list(ps.summary.index), y=list(ps.summary[col]), mode="lines",
                        line={"width": 4, "dash": dash, "color": "black"},
                        name=(("出口进口含量" if col.endswith("exports")
                               else "全部最终需求进口含量") if zh else
                              ("Import content of exports" if col.endswith("exports")
                               else "Import content of all final demand")),
                        legendgroup=col, row=2, col=1)
    fig.update_layout(title="中国各部门价值链地位（OECD投入产出表）" if zh else
                      "China's sectors: value-chain position (OECD IOTs)",
                      height=900, legend={"font": {"size": 10}})
    return fig


def write_html(ps, path, lang: str = "zh") -> None:
    """Write the chart of ``ps`` to ``path`` as one self-contained HTML file (plotly.js
    inline, works offline)."""
    from ..atomic import atomic_open
    html = position_figure(ps, lang).to_html(include_plotlyjs=True, full_html=True)
    with atomic_open(path, "w", encoding="utf-8") as fh:
        fh.write(html)


__all__ = ["position_figure", "write_html"]
