"""Interchange with pymrio (https://pymrio.readthedocs.io): ``IOTable.from_pymrio(io)`` and
``table.to_pymrio()``.

pymrio's conventions, and where they go in an :class:`~lianpu.IOTable`:

=====================================  ================================================
pymrio ``IOSystem``                    lianpu ``IOTable``
=====================================  ================================================
``Z`` (region, sector)²                ``Z_``, sectors indexed (region, sector)
``Y`` (region, sector) × (region,      ``Y_``, final-use columns (region, category), roles
category)                              inferred from the category names
``x`` (column ``indout``)              ``x_`` (Z·1 + Y·1 when pymrio has not computed it)
``unit`` (one per row)                 ``unit`` (one for the table)
extension ``factor_inputs``            ``V_`` when 1'Z + 1'F = x; otherwise V is the
                                       balancing row ``VA`` = x − 1'Z and the factor
                                       inputs are kept as satellites
every other extension ``ext``: ``F``   satellites ``"ext/stressor[/compartment]"``, each
(stressors × sectors), ``F_Y``,        with its unit and ``final_demand`` (its F_Y row)
``unit``
=====================================  ================================================

A lianpu table's own satellites go out as the extension ``satellites`` (and come back under
their own keys). The extension's index names (pymrio's ``stressor``, ``compartment``) travel in a note
``pymrio extension 'ext' index: stressor, compartment`` so that ``to_pymrio`` restores them.
pymrio has no import blocks: a non-competitive table goes out as its domestic system (Z and
Y of domestic products) with imported intermediate inputs 1'Zm as a factor input row
``imports``; ``Ym`` is not carried (a note says so on the pymrio side's ``description``).
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..core.codes import code_str
from ..core.errors import TableError, message
from ..core.notes import Note

FACTOR_INPUTS = "factor_inputs"
#: the extension that holds satellites of a lianpu table not from pymrio (keys without "/")
OWN = "satellites"
_NOTE = re.compile(r"^pymrio extension '(.+)' index: (.+)$")


def _frame(obj, attr):
    v = getattr(obj, attr, None)
    return v if isinstance(v, pd.DataFrame) else None


def _index_note(ext_name: str, names: list) -> Note:
    """The note that carries an extension's index names (read back by :func:`_index_names`)."""
    return Note(f"pymrio extension '{ext_name}' index: {', '.join(names)}",
                f"pymrio 扩展 '{ext_name}' 的索引：{', '.join(names)}")


def _unit_of(unit_frame, label, default=""):
    if unit_frame is None or label not in unit_frame.index:
        return default
    return str(unit_frame.loc[label].iloc[0])


def from_pymrio(io, *, table_class, name: str | None = None, rtol: float = 1e-4, roles=None):
    """An :class:`~lianpu.IOTable` from a pymrio ``IOSystem`` (Z and Y needed; x, extensions
    and units used when present). ``roles``: as in :meth:`IOTable.from_frames`, keyed by the
    category name (the last level of Y's columns); ``table_class``: the class to build
    (:meth:`IOTable.from_pymrio` passes itself)."""
    from ..table_labels import _label_frame
    from ..table_satellite import Satellite
    from .frames import split_roles
    Z, Y = _frame(io, "Z"), _frame(io, "Y")
    tname = name or str(getattr(io, "name", None) or "pymrio")
    if Z is None or Y is None:
        raise TableError(message(tname, "the pymrio system has no Z or no Y",
                                 found=f"Z {'set' if Z is not None else 'None'}, "
                                       f"Y {'set' if Y is not None else 'None'}",
                                 expected="an IOSystem with Z and Y (io.calc_all() does not "
                                          "recover Z from A alone)"))
    if not Y.index.equals(Z.index) or not Z.columns.equals(Z.index):
        raise TableError(message(tname, "pymrio Z and Y do not share the (region, sector) index",
                                 expected="Z.index == Z.columns == Y.index"))
    xf = _frame(io, "x")
    x = (xf.reindex(Z.index).to_numpy(float)[:, 0] if xf is not None
         else Z.to_numpy(float).sum(axis=1) + Y.to_numpy(float).sum(axis=1))
    Zv = Z.to_numpy(float)
    units = _frame(io, "unit")
    ulist = sorted(set(units.iloc[:, 0].astype(str))) if units is not None else []
    unit = ulist[0] if len(ulist) == 1 else "; ".join(ulist)

    notes, sats = [], {}
    V, pr = None, None
    for ext_name in list(io.get_extensions()):
        ext = getattr(io, ext_name)
        F = _frame(ext, "F")
        if F is None:
            continue
        F = F.reindex(columns=Z.index)
        FY = _frame(ext, "F_Y")
        if FY is not None:
            FY = FY.reindex(columns=Y.columns).fillna(0.0)
        eu = _frame(ext, "unit")
        names = [str(v) if v is not None else "" for v in F.index.names]
        if ext_name == FACTOR_INPUTS and (FY is None or not FY.to_numpy(float).any()):
            Fv = F.to_numpy(float)
            col = Zv.sum(axis=0) + Fv.sum(axis=0)
            if np.all(np.abs(col - x) <= rtol * np.abs(x) + 1e-9 * max(np.abs(x).max(), 1.0)):
                V, pr = Fv, [code_str(c) for c in F.index]
                notes.append(_index_note(ext_name, names))
                continue
            worst = float(np.max(np.abs(col - x) / np.maximum(np.abs(x), 1e-300)))
            notes.append(Note(f"pymrio factor inputs do not close the columns (1'Z + 1'F ≠ x, "
                              f"worst {worst:.3g} of x): V is the balancing row VA = x − 1'Z; "
                              f"the factor inputs are satellites '{ext_name}/…'",
                              f"pymrio 的要素投入不能使各列平衡（1'Z + 1'F ≠ x，最大偏差为 x 的 "
                              f"{worst:.3g}）：V 取平衡项 VA = x − 1'Z；要素投入作为卫星账户 "
                              f"'{ext_name}/…'"))
        notes.append(_index_note(ext_name, names))
        for i, lab in enumerate(F.index):
            # the extension to_pymrio makes of a lianpu table's own satellites: keys as they were
            key = code_str(lab) if ext_name == OWN else f"{ext_name}/{code_str(lab)}"
            fdv = None if FY is None else FY.loc[lab].to_numpy(float) if lab in FY.index else None
            sats[key] = Satellite(key, F.iloc[i].to_numpy(float), _unit_of(eu, lab),
                                  name_en=f"{ext_name}: {code_str(lab)}", final_demand=fdv)
    if V is None:
        V, pr = (x - Zv.sum(axis=0))[None, :], ["VA"]
    idx = Z.index if isinstance(Z.index, pd.MultiIndex) else pd.MultiIndex.from_product(
        [["R"], list(Z.index)], names=["region", "sector"])
    fd = Y.columns if isinstance(Y.columns, pd.MultiIndex) else pd.MultiIndex.from_product(
        [["R"], list(Y.columns)], names=["region", "category"])
    fd_roles, pr_roles = split_roles(roles, list(fd), pr, tname)
    meta = getattr(io, "meta", None)
    desc = str(getattr(meta, "description", "") or "") if meta is not None else ""
    year = getattr(io, "year", None)
    return table_class(
        Zv, Y.to_numpy(float), V, x,
        sectors=_label_frame(idx),
        final_demand_labels=_label_frame(fd, index_name="category", role=fd_roles),
        primary_labels=_label_frame(pr, index_name="row", role=pr_roles),
        satellites=sats, unit=unit, year=int(year) if year not in (None, "") else None,
        source=f"pymrio IOSystem {getattr(io, 'name', '')!s}" + (f" ({desc})" if desc else ""),
        name=tname, rtol=rtol, notes=tuple(notes))


def _index_names(table) -> dict[str, list[str]]:
    out = {}
    for note in table.notes:
        m = _NOTE.match(str(note))
        if m:
            out[m.group(1)] = [s.strip() for s in m.group(2).split(",")]
    return out


def to_pymrio(table, *, region: str | None = None):
    """A pymrio ``IOSystem`` with Z, Y, x, unit and extensions (``factor_inputs`` from V,
    satellites grouped by their ``ext/`` prefix, else in an extension ``satellites``).

    ``region`` names the one region of a single-region table (default: the table's name)."""
    import pymrio

    t = table.dense()  # pymrio holds Z as a dense DataFrame
    if t.Zm_ is not None:
        notes = ("domestic system: imported intermediate inputs are the factor input 'imports'; "
                 "imported final use (Ym) is not carried",)
    else:
        notes = ()
    if t.is_multiregional:
        idx = t.index
        fdl = t.final_demand_labels.index
        if not isinstance(fdl, pd.MultiIndex):
            raise TableError(message(t.name, "to_pymrio needs final-use columns labelled "
                                     "(region, category) on a multi-regional table",
                                     found=f"{list(fdl)[:3]}…", expected="a MultiIndex"))
        disc_col = (fdl[0][0], "ERR")
    else:
        reg = region or t.name
        idx = pd.MultiIndex.from_product([[reg], list(t.index)], names=["region", "sector"])
        fdl = pd.MultiIndex.from_product([[reg], list(t.final_demand_labels.index)],
                                         names=["region", "category"])
        disc_col = (reg, "ERR")
    Y = t.Y_
    if t.discrepancy_ is not None:  # pymrio's x = Z·1 + Y·1: the ERR column is part of f
        Y = np.column_stack([Y, t.discrepancy_])
        fdl = fdl.append(pd.MultiIndex.from_tuples([disc_col], names=fdl.names))
        notes += (Note("the table's discrepancy (ERR) is a column of Y",
                       "表中的统计误差（ERR）作为 Y 的一列"),)
    fdl = fdl.set_names(["region", "category"])
    unit = pd.DataFrame({"unit": [t.unit] * t.n}, index=idx)
    io = pymrio.IOSystem(Z=pd.DataFrame(np.array(t.Z_), index=idx, columns=idx),
                         Y=pd.DataFrame(np.array(Y), index=idx, columns=fdl),
                         x=pd.DataFrame({"indout": np.array(t.x_)}, index=idx),
                         unit=unit, name=t.name, year=t.year,
                         description="; ".join((t.source,) + notes))
    names = _index_names(t)
    groups: dict[str, list] = {}
    for key, s in t.satellites.items():
        ext, _, rest = key.partition("/")
        if ext in names and rest and ext != OWN:
            groups.setdefault(ext, []).append((tuple(rest.split("/")), s))
        else:
            groups.setdefault(OWN, []).append(((key,), s))
    if FACTOR_INPUTS not in groups:
        pr = [code_str(c) for c in t.primary_labels.index]
        V = np.array(t.V_)
        if t.Zm_ is not None:
            pr, V = pr + ["imports"], np.vstack([V, t.Zm_.sum(axis=0)])
        level = names.get(FACTOR_INPUTS, ["inputtype"])[0]
        fi = pd.Index(pr, name=level)
        setattr(io, FACTOR_INPUTS, pymrio.Extension(
            name=FACTOR_INPUTS, F=pd.DataFrame(V, index=fi, columns=idx),
            unit=pd.DataFrame({"unit": [t.unit] * len(pr)}, index=fi)))
    for ext, rows in groups.items():
        depth = max(len(r) for r, _ in rows)
        lv = names.get(ext) or (["stressor", "compartment"][:depth] if depth <= 2
                                else [f"level{i}" for i in range(depth)])
        labels = [r + ("",) * (depth - len(r)) for r, _ in rows]
        ix = (pd.MultiIndex.from_tuples(labels, names=lv) if depth > 1
              else pd.Index([r[0] for r in labels], name=lv[0]))
        F = pd.DataFrame([np.array(s.values) for _, s in rows], index=ix, columns=idx)
        has_fy = any(s.final_demand is not None for _, s in rows)
        FY = None
        if has_fy:
            k = len(t.final_demand_labels)
            FY = pd.DataFrame([np.r_[np.zeros(k) if s.final_demand is None else s.final_demand,
                                     [0.0] * (Y.shape[1] - k)] for _, s in rows],
                              index=ix, columns=fdl)
        setattr(io, ext, pymrio.Extension(name=ext, F=F, F_Y=FY,
                                          unit=pd.DataFrame({"unit": [s.unit for _, s in rows]},
                                                            index=ix)))
    return io
