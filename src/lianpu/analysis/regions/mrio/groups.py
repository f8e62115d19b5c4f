"""Regions of the China MRIO grouped 区域合并: the shipped groupings (``data/china_regions.toml``:
NBS four regions, 成渝, the West …), a region of a table from any of its names, and the MRIO
with regions merged into groups (identities and totals kept exactly)."""
from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ....core.errors import ArgumentError, message
from ....core.notes import Note
from .inputs import FOREIGN


@cache
def _shipped_groupings() -> dict:
    text = resources.files("lianpu.data").joinpath("china_regions.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def region_groups(spec) -> dict:
    """{group code: {"name_zh", "name_en", "members": [...]}} from a set or group name of the
    shipped ``data/china_regions.toml`` ("nbs4", "chengyu", "west" …), a TOML path with the
    same layout (its [sets] entry if it has exactly one, else all its [groups]), or a mapping
    {code: members | {"members": …, "name_zh": …, "name_en": …}}."""
    if isinstance(spec, dict):
        out = {}
        for k, v in spec.items():
            v = {"members": list(v)} if not isinstance(v, dict) else dict(v)
            out[str(k)] = {"name_zh": v.get("name_zh", str(k)), "name_en": v.get("name_en", str(k)),
                           "members": list(v["members"])}
        return out
    data = None
    key = str(spec)
    p = Path(key)
    if p.suffix.lower() == ".toml":
        if not p.is_file():
            raise ArgumentError(message(None, "region grouping file not found", argument="groups",
                                        found=key))
        data = tomllib.loads(p.read_text(encoding="utf-8"))
        sets = data.get("sets", {})
        key = next(iter(sets)) if len(sets) == 1 else None
    else:
        data = _shipped_groupings()
    groups, sets = data.get("groups", {}), data.get("sets", {})
    if key is None:
        names = list(groups)
    elif key in sets:
        names = list(sets[key]["groups"])
    elif key in groups:
        names = [key]
    else:
        known = sorted(set(sets) | set(groups))
        raise ArgumentError(message(None, "unknown region grouping", argument="groups",
                                    found=repr(spec), expected=f"one of {known} or a .toml file"))
    return region_groups({g: groups[g] for g in names})


def region_code(table, name) -> str:
    """A region of ``table`` from its code, a GB/T 2260 code ('51'), or a Chinese or English
    name."""
    from ..spillover import resolve_region
    if name not in table.regions:
        from ....core.errors import DatasetError
        from ....data.registry import province
        try:
            iso = province(name).iso
        except DatasetError:
            iso = None
        if iso in table.regions:
            return iso
    return resolve_region(table, name)


def aggregate_regions(table, groups, *, rest: str | None = None):
    """The MRIO with regions merged into groups (``groups``: see :func:`region_groups`):
    Z, Zm, Y, Ym, V, x, the discrepancy and satellites are summed over member regions (rows
    and columns), so trade between members becomes internal to the group; identities and
    totals are kept exactly. Regions in no group keep their own block, or are merged into
    one group named ``rest`` when given (e.g. ``rest="RoC"``: the rest of China)."""
    from ..spillover import require_mrio
    from ....table_labels import _label_frame
    require_mrio(table)
    g = region_groups(groups)
    owner, info = {}, {}
    for code, v in g.items():
        for m in v["members"]:
            r = region_code(table, m)
            if r in owner:
                raise ArgumentError(message(table.name, "a region is in two groups",
                                            argument="groups", found=f"{r}: {owner[r]}, {code}"))
            owner[r] = code
        info[code] = v
    if rest is not None:
        left = [r for r in table.regions if r not in owner and r != FOREIGN]
        for r in left:
            owner[r] = rest
        info[rest] = {"name_zh": "其他省份", "name_en": "Rest of China", "members": left}
    lev = np.asarray(table.index.get_level_values(0))
    sec = [str(c[-1]) for c in table.index]
    new_reg = [owner.get(r, r) for r in lev]
    rows = list(dict.fromkeys(zip(new_reg, sec)))
    pos = {k: i for i, k in enumerate(rows)}
    Gr = np.zeros((len(rows), table.n))
    for j, key in enumerate(zip(new_reg, sec)):
        Gr[pos[key], j] = 1.0
    fdi = table.final_demand_labels.index
    fcols = list(dict.fromkeys((owner.get(r, r), c) for r, c in fdi))
    fpos = {k: i for i, k in enumerate(fcols)}
    Gc = np.zeros((len(fdi), len(fcols)))
    for j, (r, c) in enumerate(fdi):
        Gc[j, fpos[(owner.get(r, r), c)]] = 1.0
    agg = lambda M: None if M is None else Gr @ M @ Gr.T  # noqa: E731
    aggY = lambda M: None if M is None else Gr @ M @ Gc  # noqa: E731
    names = table.sectors

    def rname(r, lang):
        if r in info:
            return info[r]["name_zh" if lang == "zh" else "name_en"]
        i = int(np.flatnonzero(lev == r)[0])
        s = str(names["name_zh" if lang == "zh" else "name_en"].iloc[i])
        return s.split("·")[0] if lang == "zh" else s.split(": ")[0]

    first = {}
    for j, key in enumerate(zip(lev, sec)):
        first.setdefault(key[1], j)
    szh = {s: str(names["name_zh"].iloc[j]).split("·")[-1] for s, j in first.items()}
    sen = {s: str(names["name_en"].iloc[j]).split(": ")[-1] for s, j in first.items()}
    idx = pd.MultiIndex.from_tuples(rows, names=list(table.index.names))
    zh = [f"{rname(r, 'zh')}·{szh[s]}" for r, s in rows]
    en = [f"{rname(r, 'en')}: {sen[s]}" for r, s in rows]
    fl = table.final_demand_labels
    froles = [fl["role"].iloc[[fdi.get_loc(k) for k in fdi if (owner.get(k[0], k[0]), k[1]) == c][0]]
              for c in fcols]
    czh = {c: str(fl["name_zh"].iloc[j]).split("·")[-1] for j, (_, c) in enumerate(fdi)}
    cen = {c: str(fl["name_en"].iloc[j]).split(": ")[-1] for j, (_, c) in enumerate(fdi)}
    fzh = [f"{rname(r, 'zh')}·{czh[c]}" if r != FOREIGN else str(fl.loc[(r, c), "name_zh"])
           for r, c in fcols]
    fen = [f"{rname(r, 'en')}: {cen[c]}" if r != FOREIGN else str(fl.loc[(r, c), "name_en"])
           for r, c in fcols]
    sats = {}
    from ....table_satellite import Satellite
    for k_, s in table.satellites.items():
        sats[k_] = Satellite(s.name, Gr @ s.values, s.unit, s.name_zh, s.name_en,
                             None if s.final_demand is None else s.final_demand @ Gc)
    hh = tuple(dict.fromkeys((owner.get(r, r), c) for r, c in table.household_columns))
    members = {c: [r for r in table.regions if owner.get(r) == c] for c in info}
    parts = [f"{c} {info[c]['name_zh']} = {'+'.join(m)}" for c, m in members.items()]
    note = Note("regions aggregated: " + "; ".join(parts), "区域合并：" + "；".join(parts))
    return type(table)(
        agg(table.Z_), aggY(table.Y_), table.V_ @ Gr.T, Gr @ table.x_,
        sectors=_label_frame(idx, zh, en),
        final_demand_labels=_label_frame(pd.MultiIndex.from_tuples(fcols, names=list(fdi.names)),
                                         fzh, fen, role=froles),
        primary_labels=table.primary_labels.copy(), value_added_rows=table.value_added_rows,
        compensation_row=table.compensation_row, household_columns=hh,
        Zm_=agg(table.Zm_), Ym_=aggY(table.Ym_),
        discrepancy_=None if table.discrepancy_ is None else Gr @ table.discrepancy_,
        satellites=sats, unit=table.unit, year=table.year, source=table.source,
        name=f"{table.name} [{'+'.join(info)}]", rtol=table.rtol,
        allow_negative_flows=table.allow_negative_flows,
        notes=tuple(table.notes) + (note,))
