"""Label frames of an :class:`~lianpu.table.IOTable`: building them, completing their roles and
refusing text a table cannot hold. Split out of :mod:`lianpu.table` (which re-exports them)."""
from __future__ import annotations

import re
from typing import Mapping

import numpy as np
import pandas as pd

from .core import roles
from .core.errors import TableError, message


def _with_roles(labels: pd.DataFrame, kind: str, table: str) -> pd.DataFrame:
    """``labels`` with a complete ``role`` column: given roles are checked, missing ones
    inferred from the code and names (:mod:`lianpu.core.roles`)."""
    infer = roles.infer_fd_role if kind == "fd" else roles.infer_primary_role
    given = labels["role"] if "role" in labels.columns else pd.Series([""] * len(labels),
                                                                       index=labels.index)
    out = []
    for code, r, zh, en in zip(labels.index, given, labels.get("name_zh", [""] * len(labels)),
                               labels.get("name_en", [""] * len(labels))):
        r = "" if r is None or (isinstance(r, float) and np.isnan(r)) else str(r)
        if r:
            known = roles.FD_ROLES if kind == "fd" else roles.PRIMARY_ROLES
            if r not in known:
                what = "final-use" if kind == "fd" else "primary-input"
                raise TableError(message(table, f"unknown {what} role", row=code, column="role",
                                         found=repr(r), expected=f"one of {sorted(known)}"))
            out.append(r)
        else:
            out.append(infer(code, zh, en))
    if "role" in labels.columns and list(labels["role"]) == out:
        return labels
    labels = labels.copy()
    labels["role"] = out
    return labels


def _label_frame(codes, zh=None, en=None, index_name="code", role=None) -> pd.DataFrame:
    if isinstance(codes, pd.MultiIndex):
        idx = codes
    else:
        idx = pd.Index([str(c) for c in codes], name=index_name)
    n = len(idx)
    df = pd.DataFrame({"name_zh": list(zh) if zh is not None else [""] * n,
                       "name_en": list(en) if en is not None else [""] * n}, index=idx)
    if role is not None:
        df["role"] = list(role)
    return df


_BAD_TEXT = re.compile("\x00")


def _has_nul(values) -> bool:
    """Whether any text among ``values`` holds a NUL (non-text values hold none)."""
    vals = values.to_numpy(dtype=object) if hasattr(values, "to_numpy") else values
    return "\x00" in "".join(v for v in vals if isinstance(v, str))


def _check_label_text(what: str, labels: pd.DataFrame, table: str) -> None:
    """Codes and names must not hold a NUL: it cannot be written to Excel and truncates text in
    C libraries, so it is refused where it enters (other control characters are kept and
    shown escaped by the terminal output, lianpu.safe_text)."""
    cols = [c for c in ("name_zh", "name_en") if c in labels.columns]
    idx = labels.index
    levels = ([idx.get_level_values(i) for i in range(idx.nlevels)]
              if isinstance(idx, pd.MultiIndex) else [idx])
    if not any(_has_nul(v) for v in levels + [labels[c] for c in cols]):
        return  # the common case, decided column by column; the loop below names the cell
    for code, *names in zip(labels.index, *(labels[c] for c in cols)):
        parts = list(code) if isinstance(code, tuple) else [code]
        for v, where in [(p, "code") for p in parts] + list(zip(names, cols)):
            if isinstance(v, str) and _BAD_TEXT.search(v):
                ch = _BAD_TEXT.search(v).group(0)
                raise TableError(message(table, f"{what} label holds a NUL character",
                                         row=code, column=where, found=repr(ch),
                                         expected="text without NUL"))


def _role_list(codes, given):
    """Roles for ``codes`` from a list or a mapping (missing → '' = inferred), or None."""
    if given is None:
        return None
    if isinstance(given, Mapping) or isinstance(given, pd.Series):
        g = dict(given)
        return [g.get(c, g.get(_last(c), g.get(str(c), ""))) for c in codes]
    given = list(given)
    if len(given) != len(codes):
        raise TableError(message("roles", "one role per column/row is needed",
                                 found=len(given), expected=len(codes)))
    return given


def _last(c):
    return c[-1] if isinstance(c, tuple) else c
