"""Tables from labelled frames: the rules behind :meth:`lianpu.IOTable.from_frames`.

A user table (ONS, Eurostat, a planner's own workbook) arrives as pandas frames whose column
and row labels are the publication's own: ``"Final consumption expenditure by households"``,
``P52``, ``D1`` … This module turns the declarations a user may add into what
:class:`~lianpu.IOTable` takes:

- ``roles={code: role}``, one mapping for final-use columns *and* primary rows (a code is
  looked up among the columns of Y first, then among the rows of V); codes not named keep
  the role inferred from standard codes and labels (:mod:`lianpu.core.roles`);
- ``compensation_row``: when not given, the one primary row whose role is ``compensation``
  (so income multipliers work on a table whose row is "Compensation of employees");
- ``satellites`` as pymrio's F frame (stressors × sectors, one satellite per *row*) with
  units from ``satellite_units`` (pymrio's ``unit`` frame, a mapping, or ``F.attrs["units"]``
  as :attr:`lianpu.IOTable.F` writes it), or as ``{name: Series | Satellite}``.
"""
from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from ..core import roles as R
from ..core.codes import code_str
from ..core.errors import TableError, message
from ..table_labels import _role_list


def _lookup(codes) -> dict:
    """code (as given, as text, and its last level) → position."""
    out: dict = {}
    for i, c in enumerate(codes):
        for k in (c, code_str(c), str(c[-1]) if isinstance(c, tuple) else str(c)):
            out.setdefault(k, i)
    return out


def split_roles(roles, fd_codes, primary_codes, table: str, fd_roles=None, primary_roles=None):
    """``roles`` (code → role) split into per-position role lists for Y's columns and V's rows.

    Explicit ``fd_roles``/``primary_roles`` (lists or mappings, as ``from_arrays`` takes them)
    are applied first; ``roles`` overrides them. Returns ``(fd_list | None, primary_list |
    None)`` with ``""`` where the role is to be inferred. A code that is neither a final-use
    column nor a primary row, or a role that is not known, is an error naming ``roles``."""
    fdl = _role_list(list(fd_codes), fd_roles)
    prl = _role_list(list(primary_codes), primary_roles)
    if not roles:
        return fdl, prl
    if not isinstance(roles, Mapping):
        raise TableError(message(table, "roles must map a column or row code to a role",
                                 argument="roles", found=type(roles).__name__,
                                 expected="a dict such as {'Changes in inventories': 'inventory'}"))
    fdl = list(fdl) if fdl is not None else [""] * len(fd_codes)
    prl = list(prl) if prl is not None else [""] * len(primary_codes)
    at_fd, at_pr = _lookup(fd_codes), _lookup(primary_codes)
    for code, role in roles.items():
        role = str(role)
        in_fd, in_pr = code in at_fd, code in at_pr
        if in_fd and (role in R.FD_ROLES or not in_pr):
            if role not in R.FD_ROLES:
                raise TableError(message(table, "unknown final-use role", argument="roles",
                                         column=code_str(code), found=repr(role),
                                         expected=f"one of {sorted(R.FD_ROLES)}"))
            fdl[at_fd[code]] = role
        elif in_pr:
            if role not in R.PRIMARY_ROLES:
                raise TableError(message(table, "unknown primary-input role", argument="roles",
                                         row=code_str(code), found=repr(role),
                                         expected=f"one of {sorted(R.PRIMARY_ROLES)}"))
            prl[at_pr[code]] = role
        else:
            raise TableError(message(table, "roles names a code that is neither a final-use "
                                     "column (Y) nor a primary-input row (V)", argument="roles",
                                     found=repr(code),
                                     expected=f"one of {[code_str(c) for c in fd_codes][:8]} or "
                                              f"{[code_str(c) for c in primary_codes][:8]}"))
    return fdl, prl


def compensation_from_roles(primary_codes, primary_roles) -> str | None:
    """The one primary row whose role is ``compensation`` (``None`` if none or several).

    ``primary_roles``: the declared roles by position (``""`` = infer from the code)."""
    found = []
    for i, c in enumerate(primary_codes):
        r = (primary_roles[i] if primary_roles is not None else "") or R.infer_primary_role(c)
        if r == "compensation":
            found.append(c)
    return found[0] if len(found) == 1 else None


def _units(units, names) -> dict:
    if units is None:
        return {}
    if isinstance(units, pd.DataFrame):
        col = "unit" if "unit" in units.columns else units.columns[0]
        return {k: str(v) for k, v in units[col].items()}
    if isinstance(units, str):
        return {k: units for k in names}
    return {k: str(v) for k, v in dict(units).items()}


def satellites_from(satellites, codes, table: str, units=None) -> dict:
    """``{key: Satellite}`` from pymrio's F frame (stressors × sectors) or a mapping.

    A frame whose columns are the sector codes holds one satellite per row (pymrio's F);
    a frame whose index is the sectors (and columns not) one per column. A MultiIndex row
    label (pymrio's (stressor, compartment)) becomes the key ``"stressor/compartment"``.
    ``units``: pymrio's unit frame (index = stressors, column ``unit``), a mapping, one unit for
    all, or nothing (then ``F.attrs["units"]``, else ``""``)."""
    from ..table_satellite import Satellite
    if satellites is None:
        return {}
    keys = [code_str(c) for c in codes]
    if isinstance(satellites, pd.Series):
        satellites = satellites.to_frame().T
    if isinstance(satellites, pd.DataFrame):
        F = satellites
        cols, idx = [code_str(c) for c in F.columns], [code_str(c) for c in F.index]
        if set(cols) != set(keys) and set(idx) == set(keys):
            F = F.T
            cols = [code_str(c) for c in F.columns]
        if set(cols) != set(keys):
            missing = [k for k in keys if k not in cols][:3]
            raise TableError(message(table, "satellites frame does not have the sectors as its "
                                     "columns (pymrio's F: stressors × sectors)",
                                     argument="satellites", found=f"columns {cols[:3]}…, "
                                     f"missing {missing}", expected=f"the sector codes {keys[:3]}…"))
        F = F.set_axis(cols, axis=1)[keys]
        un = _units(units if units is not None else F.attrs.get("units"), list(F.index))
        out = {}
        for lab, row in zip(F.index, F.to_numpy(float)):
            k = code_str(lab)
            unit = un.get(lab, un.get(k, ""))
            out[k] = Satellite(k, row, unit=unit)
        return out
    un = _units(units, list(satellites))
    out = {}
    for k, v in dict(satellites).items():
        if isinstance(v, Satellite):
            out[k] = v
            continue
        s = pd.Series(v)
        if len(s.index) == len(keys) and set(map(code_str, s.index)) == set(keys):
            vals = s.set_axis([code_str(c) for c in s.index]).reindex(keys).to_numpy(float)
        else:
            vals = np.asarray(v, float)  # positional; its length is checked by IOTable
        out[k] = Satellite(k, vals, unit=un.get(k, ""))
    return out


def negative_role_hint(codes, roles_, kind: str):
    """A function j → the sentence telling which argument declares the role of column/row j."""
    ok = R.NEGATIVE_OK_FD if kind == "fd" else R.NEGATIVE_OK_VA
    example = "inventory" if kind == "fd" else "production_taxes"
    what = "final-use column" if kind == "fd" else "primary-input row"
    other = "fd_roles=" if kind == "fd" else "primary_roles="

    def hint(j):
        lab = code_str(codes[j])
        return (f"the {what} {lab!r} has the role {roles_[j]!r}, which does not allow negative "
                f"entries: declare its role with roles={{{lab!r}: {example!r}}} "
                f"(IOTable.from_frames; {other} in from_arrays); roles that allow negatives: "
                f"{', '.join(sorted(ok))}")
    return hint


def table_from_frames(cls, Z: pd.DataFrame, Y: pd.DataFrame, V: pd.DataFrame | None = None,
                      x=None, value_added_rows=None, satellites=None, sectors=None, regions=None,
                      unit=None, roles=None, satellite_units=None, **kw):
    """:meth:`lianpu.IOTable.from_frames` (``cls``: the table class); see its docstring."""
    name = kw.get("name", "table")
    if list(map(str, Z.index)) != list(map(str, Z.columns)):
        raise TableError(message(name, "Z's row and column labels differ",
                                 found=f"{list(Z.index)[:3]}… vs {list(Z.columns)[:3]}…",
                                 expected="the same sector codes in the same order"))
    codes = list(Z.index)
    for nm, fr in (("Y", Y),) + ((("V", V.T),) if V is not None else ()):
        if list(map(str, fr.index)) != list(map(str, codes)):
            raise TableError(message(name, f"{nm}'s sector labels do not match Z's",
                                     found=f"{list(fr.index)[:3]}…", expected=f"{codes[:3]}…"))
    zh = en = None
    if sectors is not None:
        s = sectors.reindex([str(c) for c in codes]) if not isinstance(Z.index, pd.MultiIndex) \
            else sectors.reindex(Z.index)
        zh, en = s.get("name_zh"), s.get("name_en")
    sats = satellites_from(satellites, codes, name, satellite_units)
    fd_codes = Y.columns if isinstance(Y.columns, pd.MultiIndex) else [str(c) for c in Y.columns]
    pr_codes = ["VA"] if V is None else [str(r) for r in V.index]
    kw["fd_roles"], kw["primary_roles"] = split_roles(
        roles, list(fd_codes), pr_codes, name, kw.get("fd_roles"), kw.get("primary_roles"))
    if "compensation_row" not in kw and V is not None:
        kw["compensation_row"] = compensation_from_roles(pr_codes, kw["primary_roles"])
    t = cls.from_arrays(Z.to_numpy(float), Y.to_numpy(float),
                        None if V is None else V.to_numpy(float),
                        None if x is None else np.asarray(x, float),
                        sectors=[c[-1] if isinstance(c, tuple) else c for c in codes],
                        regions=regions if regions is not None else (
                            [c[0] for c in codes] if isinstance(Z.index, pd.MultiIndex) else None),
                        names_zh=zh, names_en=en,
                        final_demand=(Y.columns if isinstance(Y.columns, pd.MultiIndex)
                                      else [str(c) for c in Y.columns]),
                        primary=None if V is None else [str(r) for r in V.index],
                        value_added_rows=tuple(value_added_rows or ()), satellites=sats,
                        unit=unit or "", **kw)
    return t
