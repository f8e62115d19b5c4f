"""Value-chain position over time 价值链地位: upstreamness and import content, 1995–2018.

For each year of the OECD national IO tables for China (45 sectors, million USD):

- upstreamness 上游度 U = (I − B)⁻¹ 1 = G 1, the row sums of the Ghosh inverse (Miller &
  Temurshoev 2017; equal to Antràs et al. 2012's measure in a closed economy): the average
  number of production stages between a sector's output and final use, ≥ 1. One solve on
  the table's cached Ghosh factor (``table.factor_ghosh``), no inverse;
- import content 进口含量 of a unit of final demand for each product (vertical
  specialisation, Hummels, Ishii & Yi 2001): ic' = 1' A_m (I − A_d)⁻¹, imported intermediate
  inputs used directly and indirectly, from the domestic view of the table (import
  proportionality); one transposed solve. The import content of exports is Σ_j ic_j ex_j /
  Σ_j ex_j.

Prices: every year is in its own current USD prices. Upstreamness and import content are
ratios of flows, so a price index common to all products of a year cancels exactly; changes in
*relative* prices (e.g. of imported inputs against domestic output) remain in the series.
``deflator=`` (by sector and year, :func:`lianpu.analysis.change.sda.read_deflator`) first puts
every year's table in constant prices of the first year's (rows of Z, Zm, Y divided by the
product's index) and reports the series both ways.

Data: :func:`oecd_series` loads the OECD tables (the one place this module reads data);
:func:`position_series` takes them (``tables=``) or asks it. The chart is drawn in
:mod:`lianpu.report.position_figure` (a self-contained HTML file, plotly.js inline).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ...core import leontief as leo
from ...core.errors import ArgumentError, message
from ...core.notes import Note
from .._result import Result

YEARS = tuple(range(1995, 2019))


def upstreamness(table) -> np.ndarray:
    """U = G 1 (n,), as :func:`lianpu.analysis.chains.position.upstreamness` (one Ghosh solve)."""
    from ..chains.position import upstreamness as u
    return u(table).to_numpy()


def import_content(table, prices=None) -> tuple[np.ndarray, float, float]:
    """(import content of final demand by product (n,), of exports, of all final use).

    ``prices`` (n,), optional: the table's product price indices relative to a base year;
    rows of Z_d, Z_m and Y and output are divided by them first (constant prices)."""
    from ...core import roles
    from ..carbon.footprint import domestic_view
    td = domestic_view(table)
    x, Zm, Y, factor = td.x_, td.Zm_, td.Y_, td.factor
    if prices is not None:
        p = np.asarray(prices, float)
        x, Zm, Y = x / p, Zm / p[:, None], Y / p[:, None]
        if not np.allclose(p, p[0]):  # a common index leaves A_d (and its LU) unchanged
            Zd = td.Z_ / p[:, None]
            A = np.divide(Zd, x[None, :], out=np.zeros_like(Zd), where=x[None, :] > 0)
            factor = leo.leontief_factor(A, labels=list(td.label("en")), table=td.name)
    um = np.divide(Zm.sum(axis=0), x, out=np.zeros_like(x), where=x > 0)
    ic = leo.left_solve(factor, um)
    # exports by role (export, purchases by non-residents), as in IOTable.domestic()
    ex = Y[:, td.fd_positions(roles.EXPORTS)].sum(axis=1)
    y = Y.sum(axis=1)
    return ic, float(ic @ ex / ex.sum()) if ex.sum() else np.nan, float(ic @ y / y.sum())


@dataclass(frozen=True)
class PositionSeries(Result):
    """Upstreamness and import content by year (rows) and sector (columns)."""

    upstreamness: pd.DataFrame
    import_content: pd.DataFrame
    summary: pd.DataFrame       # by year: output-weighted upstreamness, import content
    sectors: pd.DataFrame       # code → name_zh, name_en
    notes: tuple = field(default=())
    basis: str = Note("current prices of each year (not deflated)", "各年现价（未平减）")
    unit: str = "ratio (upstreamness: production stages; import content: share of final use)"
    #: import content in constant prices (when a deflator was given), same shape
    import_content_deflated: pd.DataFrame | None = None
    deflated_basis: str = ""

    def to_frame(self) -> pd.DataFrame:
        """Long format: year, sector, name_zh, name_en, upstreamness, import_content."""
        u = self.upstreamness.stack().rename("upstreamness")
        ic = self.import_content.stack().rename("import_content")
        df = pd.concat([u, ic], axis=1).reset_index()
        df.columns = ["year", "sector", "upstreamness", "import_content"]
        df.insert(2, "name_zh", df["sector"].map(self.sectors["name_zh"]))
        df.insert(3, "name_en", df["sector"].map(self.sectors["name_en"]))
        return df

    def to_dict(self) -> dict:
        d = {"years": [int(y) for y in self.upstreamness.index], "unit": self.unit,
             "basis": self.basis,
             "summary": self.summary.reset_index().to_dict(orient="records"),
             "rows": self.to_frame().to_dict(orient="records"), "notes": list(self.notes)}
        if self.import_content_deflated is not None:
            d["deflated"] = {"basis": self.deflated_basis, "import_content": [
                {"year": int(y), "sector": c, "import_content": v}
                for y, row in self.import_content_deflated.iterrows() for c, v in row.items()]}
        return d


def oecd_series(start: int = YEARS[0], end: int = YEARS[-1], *, data_dir=None) -> list:
    """The OECD national IO tables of China ``cn-oecd-{start}`` … ``cn-oecd-{end}`` from the
    dataset cache (the data :func:`position_series` reads when given no ``tables``)."""
    if not (YEARS[0] <= start <= end <= YEARS[-1]):
        raise ArgumentError(message(None, "years outside the OECD series", argument="start",
                                    found=f"{start}–{end}",
                                    expected=f"years within {YEARS[0]}–{YEARS[-1]} with "
                                             "start ≤ end"))
    from ...io import load
    return [load(f"cn-oecd-{y}", data_dir=data_dir) for y in range(start, end + 1)]


def position_series(start: int = YEARS[0], end: int = YEARS[-1], *, data_dir=None,
                    tables=None, deflator=None) -> PositionSeries:
    """Upstreamness and import content of China's sectors from the OECD series.

    ``tables`` (optional) replaces the registry: an iterable of tables with identical sectors
    (e.g. loaded elsewhere); otherwise :func:`oecd_series` loads ``cn-oecd-{year}`` for
    start…end.
    ``deflator`` (optional, :func:`lianpu.analysis.change.sda.read_deflator`; indices by sector and
    year in the tables' codes): import content is also computed in constant prices of the
    first year (``import_content_deflated``). Upstreamness needs none: B = x̂⁻¹Z divides each
    row by its own product's output, so any product price index cancels.
    """
    if tables is None:
        tables = oecd_series(start, end, data_dir=data_dir)
    tables = list(tables)
    if not tables:
        raise ArgumentError(message(None, "no table", argument="tables", found="an empty series",
                                    expected="at least one table"))
    codes = list(map(str, tables[0].index))
    from .sda import read_deflator
    d = read_deflator(deflator)
    base = tables[0].year
    up, ic, icd, summ = {}, {}, {}, {}
    for t in tables:
        if list(map(str, t.index)) != codes:
            raise ArgumentError(message(None, f"{t.name} has other sectors than "
                                        f"{tables[0].name}", argument="tables",
                                        expected="a consistent series (identical sectors)"))
        u = upstreamness(t)
        c, c_ex, c_all = import_content(t)
        up[t.year], ic[t.year] = u, c
        summ[t.year] = {"upstreamness_output_weighted": float(u @ t.x_ / t.x_.sum()),
                        "import_content_exports": c_ex, "import_content_final_use": c_all}
        if d is not None:
            cd, cd_ex, cd_all = import_content(t, d.relative(t.year, base, codes))
            icd[t.year] = cd
            summ[t.year].update({"import_content_exports_deflated": cd_ex,
                                 "import_content_final_use_deflated": cd_all})
    sectors = tables[0].sectors[["name_zh", "name_en"]].copy()
    sectors.index = codes
    frame = lambda d: pd.DataFrame(d, index=codes).T.rename_axis("year")  # noqa: E731
    summary = pd.DataFrame(summ).T.rename_axis("year")
    notes = (Note("upstreamness from the competitive table's Ghosh inverse (imported inputs "
                  "counted as supplied by the sector of the product)",
                  "上游度按竞争型表的戈什逆矩阵计算（进口中间投入视为由该产品所属部门供给）"),
             Note("import content: domestic view by import proportionality; exports are the "
                  "columns with the role export or nonresident (OECD CONS_NONRES)",
                  "进口含量：按进口比例法的国内视角；出口为角色为 export 或 nonresident 的列"
                  "（OECD CONS_NONRES）"),
             Note("current prices of each year: ratios, so a price index common to all products "
                  "cancels; relative price changes remain (pass deflator= for constant prices; "
                  "upstreamness is unaffected by any product price index)",
                  "各年现价：指标为比率，所有产品共同的价格指数会相互抵消，但相对价格变化仍在"
                  "（用 deflator= 得到不变价结果；上游度不受任何产品价格指数影响）"))
    if d is None:
        return PositionSeries(frame(up), frame(ic), summary, sectors, notes)
    basis = Note(f"constant prices of {base} (deflator: {d.source})",
                 f"{base} 年不变价（价格指数：{d.source}）")
    return PositionSeries(frame(up), frame(ic), summary, sectors,
                          notes + (Note(f"import content also in {basis}",
                                        f"另有 {base} 年不变价（价格指数：{d.source}）的进口含量"),),
                          import_content_deflated=frame(icd), deflated_basis=basis)
