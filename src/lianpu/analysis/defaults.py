"""Defaults 默认口径: the analysis choices the report and the dashboard make for a user who
did not make them — decided once, here, and called by both (the presentation layer never
re-decides them).

- which chains a report diagnoses (:data:`DEFAULT_TRACKS`, :func:`report_tracks`);
- which region a chain is traced in on a multi-regional table (:func:`chain_region`) and which
  province the 区域联动 section shows (:func:`regional_province`);
- which view of the table effects are computed on (:func:`effects_view`: the basis
  :func:`lianpu.analysis.basis.resolve_basis` chooses with ``"auto"``);
- which households Type II closes, and what happens where it cannot
  (:func:`impact_with_fallback`: Type I, with the reason);
- the size of the example project (:func:`example_demand`: 10 亿元 / 1 billion).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.errors import LianpuError, TableError
from ..core.units import Unit

#: default chains when none are asked for (those the track registry knows are used)
DEFAULT_TRACKS = ("electronic_information", "aerospace", "new_energy", "biomedicine")

#: the province the 区域联动 section shows on the China MRIO when none is named
DEFAULT_PROVINCE = "SC"


def report_tracks(table, tracks=None) -> list[str]:
    """Track ids to report: those asked for (an unknown one, or one without codes for this
    table, is an error), else those of :data:`DEFAULT_TRACKS` this table can resolve."""
    from .tracks.catalogue import find_track, resolve
    if tracks:
        ids = [find_track(t).id for t in tracks]
        for i in ids:
            resolve(table, i)  # a track without codes for this table: say so now
        return ids
    out = []
    for i in DEFAULT_TRACKS:
        try:
            resolve(table, i)
        except TableError:
            continue
        out.append(i)
    return out


def chain_region(table, region=None):
    """The region a chain is traced in on a multi-regional table: ``region`` when given (code
    or name), else China where present (the planners' own economy), else the first region;
    None for a single-region table."""
    if not table.is_multiregional:
        return None
    if region is not None:
        from .regions.mrio.build import region_code
        return region_code(table, region)
    return "CHN" if "CHN" in table.regions else table.regions[0]


def regional_province(table, region=None):
    """The province of the 区域联动 section: ``region`` when given, else 四川 (``SC``) where
    present, else the first region; None for a single-region table."""
    if region:
        return region
    if DEFAULT_PROVINCE in getattr(table, "regions", ()):
        return DEFAULT_PROVINCE
    return table.regions[0] if table.is_multiregional else None


def effects_view(table):
    """(table for effects, how): the view :func:`lianpu.analysis.basis.resolve_basis` chooses
    by default (the one the CLI, the Python API, the report and the dashboard use); ``how`` is
    the basis name where the view differs from the table as published ("domestic", "local"),
    else ""."""
    from .basis import resolve_basis
    view, b = resolve_basis(table, "auto")  # cached on the table: one view, one LU
    return view, ("" if view is table else b.name)


def effects_basis(table):
    """The :class:`~lianpu.analysis.basis.Basis` of :func:`effects_view`."""
    from .basis import resolve_basis
    return resolve_basis(table, "auto")[1]


def type2_households(table):
    """Households closed for Type II: always the library's default (None: the table's own
    household columns, else households split from total consumption TC by the same year's
    detailed table, :func:`lianpu.analysis.households.closure`)."""
    return None


def demand_items(table, demand) -> dict:
    """{sector: amount} of ``demand``: a mapping as given, or the non-zero amounts of a parsed
    :class:`~lianpu.analysis.scenarios.demand.Demand` (its first scenario)."""
    if isinstance(demand, dict):
        return demand
    col = demand.amount[:, 0]
    return {table.index[i]: float(col[i]) for i in np.flatnonzero(col)}


def impact_with_fallback(table, demand, type: str = "II", *, basis=None, **kw):
    """(``lianpu.impact`` result, why not Type II) of ``demand`` on :func:`effects_view` (or,
    with ``basis``, on the view that basis names; ``kw`` go to ``lianpu.impact``).

    ``demand``: a parsed :class:`~lianpu.analysis.scenarios.demand.Demand` (passed on as it
    is), a Series over the view's sectors, or ``{sector: amount}`` in the table's unit.
    Type II where asked and households can be closed; where they cannot (no household column,
    no compensation row) the Type I result, with the reason as second value ("" otherwise).
    """
    from .scenarios.impact import impact
    if basis is not None:
        view, kw = table, {**kw, "basis": basis}
    else:
        view, _ = effects_view(table)
    if isinstance(demand, dict):
        s = pd.Series(0.0, index=view.index)
        for c, a in demand.items():
            s[c] += a
        demand = s
    if type == "II":
        try:
            return impact(view, demand, type="II",
                          households=type2_households(view) or None, **kw), ""
        except LianpuError as exc:  # no household column or no compensation row: Type I
            return impact(view, demand, type="I", **kw), str(exc)
    return impact(view, demand, type="I", **kw), ""


def example_demand(table, track_ids=()) -> dict:
    """The example project: 1 billion CNY (10 亿元 = 100,000 万元) of final demand for the
    largest sector of the first track this table can resolve (else the largest sector);
    1,000 (1 billion) in a table in millions or in a unit that is not 万元."""
    from .tracks.catalogue import resolve
    x = table.x.to_numpy()
    for tid in track_ids:
        try:
            idx = resolve(table, tid)
        except TableError:
            continue
        j = max(idx, key=lambda i: x[i])
        break
    else:
        j = int(np.argmax(x))
    u = Unit.parse(table.unit)
    amount = 100_000.0 if (u.currency, u.scale) == ("CNY", 1e4) else 1000.0
    return {table.index[j]: amount}
