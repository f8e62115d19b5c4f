"""Sector aggregation and carve-out: tables with other sectors than the published ones.

:func:`aggregate` sums sectors into groups by a concordance (code → group). With the
aggregation matrix S (g × n, s_gi = 1 when sector i belongs to group g)::

    Z* = S Z Sᵀ,  Y* = S Y,  V* = V Sᵀ,  x* = S x        (Miller & Blair 2009, §4.3)

and likewise for the import blocks Zm, Ym, the inflow blocks Zr, Yr, the discrepancy and the
satellites (F* = F Sᵀ). Multi-regional tables are aggregated within each region (region
aggregation is :mod:`lianpu.analysis.regions.mrio.build`'s). Multipliers of the aggregate are *not*
the averages of the detailed multipliers — aggregation bias (Miller & Blair §4.3.3) — which is
why a table is aggregated, not its results.

:func:`split_sector` does the reverse for one sector: a sub-industry (集成电路 inside 电子元器件)
is carved out of its parent under stated assumptions —

- **output**: x_c = s_c · x_p, s_c a user figure with its documented source (required);
- **inputs** (the column): the parent's input coefficients a_ip = z_ip / x_p unless given; given
  domestic coefficients keep the parent's import coefficients, and the primary inputs are the
  parent's, scaled to close the column; the rest of the parent (p′) keeps what is left;
- **sales** (the row): every user buys the parts in proportion to their output (the parent's
  sales structure) unless given, as shares of the part's sales to each sector and final-use
  column; imports and inflows of the product, the discrepancy and the satellites are split by
  output share.

With the parent's structure the split is exact: a_kj = s_k a_pj, a_ik = a_ip, and every other
sector's multipliers are unchanged (x of the parts sums to x_p in every solution). The result
balances, and its notes state each assumption and the source of the share.
"""
from __future__ import annotations

import csv
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd

from ..core import roles as R
from ..core.errors import ArgumentError, FormatError, TableError, message
from ..core.notes import Note, zh as zh_of
from ._result import code_str


# ---------------------------------------------------------------------------- concordance
def read_concordance(concordance) -> tuple[dict[str, str], dict[str, tuple[str, str]], str]:
    """``(code → group, group → (name_zh, name_en), description)`` from a dict or a file.

    - dict: ``{code: group}`` or ``{code: (group, name_zh, name_en)}``;
    - CSV with a header ``code,group[,name_zh,name_en]`` (group names may repeat on each row
      of the group; they must agree);
    - TOML: ``[groups.<group>]`` tables with ``codes = [...]`` and optional ``name_zh``,
      ``name_en``.

    A code listed twice is an error naming the file and both rows."""
    mapping: dict[str, str] = {}
    names: dict[str, tuple[str, str]] = {}
    where: dict[str, str] = {}

    def put(code, group, zh, en, src, at):
        code, group = str(code).strip(), str(group).strip()
        if not code or not group:
            raise FormatError(message(src, "concordance row without a code or a group", row=at,
                                      found=repr((code, group)), expected="code and group"))
        if code in mapping:
            raise FormatError(message(src, f"sector code {code!r} is mapped twice", row=at,
                                      found=f"groups {mapping[code]!r} ({where[code]}) and "
                                            f"{group!r}", expected="each code exactly once"))
        mapping[code], where[code] = group, str(at)
        zh, en = (zh or "").strip(), (en or "").strip()
        if zh or en:
            old = names.get(group)
            if old and old != (zh, en) and all(old):
                raise FormatError(message(src, f"group {group!r} has two different names", row=at,
                                          found=f"{old} and {(zh, en)}", expected="one name"))
            names[group] = (zh or (old or ("", ""))[0], en or (old or ("", ""))[1])

    if isinstance(concordance, Mapping):
        for code, v in concordance.items():
            g, zh, en = (v, "", "") if isinstance(v, str) else (tuple(v) + ("", ""))[:3]
            put(code, g, zh, en, "concordance", f"key {code!r}")
        return mapping, names, Note("a concordance given as a dict", "以字典给出的对照表")
    path = Path(concordance)
    if not path.is_file():
        raise FormatError(message(str(path), "file not found", argument="concordance",
                                  expected="a CSV or TOML concordance, or a dict code → group"))
    src = path.name
    if path.suffix.lower() == ".toml":
        try:
            with open(path, "rb") as fh:
                doc = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise FormatError(message(src, "not valid TOML", found=str(exc))) from None
        groups = doc.get("groups")
        if not isinstance(groups, dict) or not groups:
            raise FormatError(message(src, "no [groups.<code>] tables",
                                      expected="[groups.G1] codes = ['01', '02'], name_zh = …"))
        for g, d in groups.items():
            codes = d.get("codes") if isinstance(d, dict) else None
            if not isinstance(codes, list) or not codes:
                raise FormatError(message(src, "group without a list of codes",
                                          row=f"[groups.{g}]", expected="codes = ['01', …]"))
            for c in codes:
                put(c, g, d.get("name_zh", ""), d.get("name_en", ""), src, f"[groups.{g}]")
        return mapping, names, Note(f"concordance {src}", f"对照表 {src}")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    if not rows:
        raise FormatError(message(src, "the file is empty", expected="a header code,group,…"))
    head = [h.strip().lower() for h in rows[0]]
    if "code" not in head or "group" not in head:
        raise FormatError(message(src, "header lacks the columns code and group", row="line 1",
                                  found=rows[0][:4], expected="code,group[,name_zh,name_en]"))
    at = {h: i for i, h in enumerate(head)}
    cell = lambda r, h: r[at[h]] if h in at and at[h] < len(r) else ""  # noqa: E731
    for ln, r in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in r):
            continue
        put(cell(r, "code"), cell(r, "group"), cell(r, "name_zh"), cell(r, "name_en"), src,
            f"line {ln}")
    return mapping, names, Note(f"concordance {src}", f"对照表 {src}")


def _sector_code(c) -> str:
    return str(c[-1]) if isinstance(c, tuple) else str(c)


def aggregate(table, concordance, *, name: str | None = None):
    """``table`` with its sectors summed into the groups of ``concordance`` (see
    :func:`read_concordance`); every sector code of the table must map exactly once and
    every code of the concordance must be a sector of the table. Multi-regional tables are
    aggregated within each region. Roles, unit and notes are kept, with a note of the
    aggregation."""
    mapping, names, desc = read_concordance(concordance)
    t = table
    codes = [_sector_code(c) for c in t.index]
    known = set(codes)
    extra = [c for c in mapping if c not in known]
    if extra:
        raise TableError(message(t.name, f"{desc} maps codes that are not sectors of the table",
                                 argument="concordance", found=extra[:5],
                                 expected=f"sector codes such as {codes[:3]}"))
    missing = list(dict.fromkeys(c for c in codes if c not in mapping))
    if missing:
        raise TableError(message(t.name, f"{desc} does not map every sector",
                                 argument="concordance", found=f"{len(missing)} unmapped, e.g. "
                                 f"{missing[:5]}", expected="each sector code exactly once"))
    regions = [c[0] for c in t.index] if t.is_multiregional else [None] * t.n
    keys = list(dict.fromkeys((r, mapping[c]) for r, c in zip(regions, codes)))
    pos = {k: g for g, k in enumerate(keys)}
    S = np.zeros((len(keys), t.n))
    for i, (r, c) in enumerate(zip(regions, codes)):
        S[pos[(r, mapping[c])], i] = 1.0
    # group names: the concordance's, else the member's own name when the group has one member
    lab = t.sectors
    out_zh, out_en = [], []
    for r, g in keys:
        members = [i for i in range(t.n) if S[pos[(r, g)], i]]
        zh, en = names.get(g, ("", ""))
        if not (zh or en):
            if len(members) == 1:
                zh, en = lab["name_zh"].iloc[members[0]], lab["name_en"].iloc[members[0]]
            else:
                zh = "、".join(str(lab["name_zh"].iloc[i]) for i in members if lab["name_zh"].iloc[i])
                en = "; ".join(str(lab["name_en"].iloc[i]) for i in members if lab["name_en"].iloc[i])
        if t.is_multiregional and (zh or en):
            # readers of multi-regional tables prefix names with the region; keep that
            first = members[0]
            zh0, en0 = str(lab["name_zh"].iloc[first]), str(lab["name_en"].iloc[first])
            if "·" in zh0 and not zh.startswith(zh0.split("·")[0]) and g in names:
                zh = f"{zh0.split('·')[0]}·{zh}"
            if ": " in en0 and not en.startswith(en0.split(": ")[0]) and g in names:
                en = f"{en0.split(': ')[0]}: {en}"
        out_zh.append(zh)
        out_en.append(en)
    if t.is_multiregional:
        idx = pd.MultiIndex.from_tuples(keys, names=t.index.names)
    else:
        idx = pd.Index([g for _, g in keys], name=t.index.name)
    sectors = pd.DataFrame({"name_zh": out_zh, "name_en": out_en}, index=idx)
    both = lambda a: None if a is None else S @ a @ S.T  # noqa: E731
    left = lambda a: None if a is None else S @ a  # noqa: E731
    sats = {k: replace(s, values=S @ s.values) for k, s in t.satellites.items()}
    note = Note(f"sectors aggregated {t.n} → {len(keys)} by {desc}"
                + (" within each region" if t.is_multiregional else "")
                + ": Z* = S Z Sᵀ, Y* = S Y, V* = V Sᵀ, x* = S x (satellites and import blocks alike)",
                f"按{zh_of(desc)}，将部门由 {t.n} 个合并为 {len(keys)} 个"
                + ("（各区域内分别合并）" if t.is_multiregional else "")
                + "：Z* = S Z Sᵀ，Y* = S Y，V* = V Sᵀ，x* = S x（卫星账户与进口矩阵同样处理）")
    return t.evolve(Z_=both(t.Z_), Y_=left(t.Y_), V_=t.V_ @ S.T, x_=S @ t.x_,
                    Zm_=both(t.Zm_), Ym_=left(t.Ym_), Zr_=both(t.Zr_), Yr_=left(t.Yr_),
                    discrepancy_=left(t.discrepancy_), sectors=sectors, satellites=sats,
                    name=name or t.name, notes=tuple(t.notes) + (note,))


# ---------------------------------------------------------------------------- carve-out
def _position(t, code) -> int:
    idx = list(t.index)
    if code in idx:
        return idx.index(code)
    hits = [i for i, c in enumerate(idx) if _sector_code(c) == str(code)]
    if len(hits) == 1:
        return hits[0]
    raise ArgumentError(message(t.name, "unknown sector" if not hits else
                                "sector code is in several regions", argument="code",
                                found=repr(code),
                                expected="a sector of the table" if not hits else
                                "a (region, sector) tuple"))


def _vector(spec, labels, what, t, arg) -> np.ndarray:
    """A mapping code → value over ``labels`` (missing = 0)."""
    out = np.zeros(len(labels))
    at = {}
    for i, c in enumerate(labels):
        for k in (c, _sector_code(c), code_str(c)):
            at.setdefault(k, i)
    for k, v in dict(spec).items():
        if k not in at:
            raise ArgumentError(message(t.name, f"{arg} names an unknown {what}", argument=arg,
                                        found=repr(k), expected=f"one of {[str(c) for c in labels][:6]}…"))
        out[at[k]] = float(v)
    return out


def split_sector(table, code, into, shares, *, source: str, inputs=None, sales=None,
                 name: str | None = None):
    """Carve sub-industries out of sector ``code`` (the parent keeps the rest).

    Parameters
    ----------
    code : the parent sector (code, or (region, sector) in a multi-regional table)
    into : ``{new_code: (name_zh, name_en)}``, the sub-industries carved out
    shares : ``{new_code: s}`` (or one number when ``into`` has one code): each part's share of
        the parent's gross output, 0 < Σ s < 1
    source : where the shares come from (a statistical publication, an association's
        figure); required, recorded in the notes
    inputs : optional ``{new_code: {sector: a}}``, the part's domestic input coefficients
        (per unit of its output) from the table's *original* sectors (the parent's own code for
        purchases from the parent); default: the parent's coefficients
    sales : optional ``{new_code: {sector or final-use code: share}}``, how the part's sales
        are spread over users (shares of its sales to domestic users, summing to 1); default:
        every user buys the parts in proportion to output (the parent's structure)

    Returns a new, balanced table with the parts right after the parent.
    """
    t = table.dense()  # column and row blocks are cut and scaled densely
    if not isinstance(source, str) or not source.strip():
        raise ArgumentError(message(t.name, "the output share needs its source", argument="source",
                                    found=repr(source), expected="a citation such as 'NBS 2020 "
                                    "industrial statistics, revenue of 3973 集成电路制造'"))
    p = _position(t, code)
    into = dict(into)
    new = list(into)
    if not new:
        raise ArgumentError(message(t.name, "nothing to carve out", argument="into",
                                    expected="{new_code: (name_zh, name_en)}"))
    if not isinstance(shares, Mapping):
        if len(new) != 1:
            raise ArgumentError(message(t.name, "one share per new sector is needed",
                                        argument="shares", found=repr(shares),
                                        expected=f"{{code: share}} for {new}"))
        shares = {new[0]: shares}
    existing = {_sector_code(c) for c in t.index}
    for c in new:
        if str(c) in existing:
            raise ArgumentError(message(t.name, "new sector code is already a sector", argument="into",
                                        found=repr(c), expected="a new code"))
        if c not in shares:
            raise ArgumentError(message(t.name, "new sector without a share", argument="shares",
                                        found=repr(c), expected=f"a share for each of {new}"))
    s_c = np.array([float(shares[c]) for c in new])
    if not np.all(np.isfinite(s_c)) or (s_c <= 0).any() or s_c.sum() >= 1:
        raise ArgumentError(message(t.name, "output shares must be positive and leave part of "
                                    "the parent", argument="shares", found=dict(zip(new, s_c.tolist())),
                                    expected="0 < s and Σ s < 1"))
    xp = float(t.x_[p])
    if not xp > 0:
        raise TableError(message(t.name, "cannot split a sector without output",
                                 row=t.index[p], found=xp, expected="x > 0"))
    s = np.r_[1.0 - s_c.sum(), s_c]  # parts: the rest of the parent first, then the new ones
    xk = s * xp
    m = len(s)
    n = t.n
    orig = list(t.index)
    notes = []

    # ---- step 1: the parent's column becomes m columns (input structure)
    def coef(a):
        return None if a is None else a[:, p] / xp
    cz, czm, czr, cv = coef(t.Z_), coef(t.Zm_), coef(t.Zr_), t.V_[:, p] / xp
    cols = {k: [] for k in ("Z", "Zm", "Zr", "V")}
    given_in = dict(inputs or {})
    for c in given_in:
        if c not in new:
            raise ArgumentError(message(t.name, "inputs names a sector that is not carved out",
                                        argument="inputs", found=repr(c), expected=f"one of {new}"))
    for j, c in enumerate(new):
        if c in given_in:
            a = _vector(given_in[c], orig, "sector", t, "inputs")
            if (a < 0).any():
                raise ArgumentError(message(t.name, "negative input coefficient", argument="inputs",
                                            found=repr(c), expected="a ≥ 0"))
            rest = 1.0 - a.sum() - (czm.sum() if czm is not None else 0) - (
                czr.sum() if czr is not None else 0)
            if cv.sum() == 0 or rest < 0:
                raise ArgumentError(message(t.name, "given inputs leave no room for primary inputs",
                                            argument="inputs", found=f"{c}: 1 − Σa = {rest:.4g}",
                                            expected="Σ a + imported inputs ≤ 1"))
            cols["Z"].append(a)
            cols["V"].append(cv * rest / cv.sum())
            notes.append(Note(f"{c}: domestic input coefficients as given; imported inputs and the "
                              "mix of primary inputs as the parent's, scaled to close the column",
                              f"{c}：国内直接消耗系数按给定值；进口中间投入及最初投入构成沿用母部门，"
                              "按比例缩放使该列平衡"))
        else:
            cols["Z"].append(cz)
            cols["V"].append(cv)
        cols["Zm"].append(czm)
        cols["Zr"].append(czr)

    def rest_col(parent_col, parts):
        r = parent_col * xp - sum(xk[1 + j] * v for j, v in enumerate(parts))
        return r / xk[0]
    colZ = [rest_col(cz, cols["Z"])] + cols["Z"]
    if (colZ[0] < -1e-12).any():
        i = int(np.argmin(colZ[0]))
        raise ArgumentError(message(t.name, "given inputs exceed the parent's purchases",
                                    argument="inputs", row=orig[i], found=f"{colZ[0][i] * xk[0]:.6g}",
                                    expected="what the parent buys, at most"))
    colZ[0] = np.maximum(colZ[0], 0.0)
    colV = [rest_col(cv, cols["V"])] + cols["V"]

    def expand_cols(a, parts):
        """(rows × n) → (rows × (n + m − 1)), column p replaced by the parts (flows)."""
        if a is None:
            return None
        blocks = [a[:, :p]] + [np.asarray(v)[:, None] * xk[k] for k, v in enumerate(parts)] + [a[:, p + 1:]]
        return np.hstack(blocks)
    Zc = expand_cols(t.Z_, colZ)
    Zmc = expand_cols(t.Zm_, [czm] * m) if t.Zm_ is not None else None
    Zrc = expand_cols(t.Zr_, [czr] * m) if t.Zr_ is not None else None
    Vn = expand_cols(t.V_, colV)

    # ---- step 2: the parent's row becomes m rows (sales structure)
    N = n + m - 1
    col_orig = list(range(p)) + [p] * m + list(range(p + 1, n))  # expanded column → original
    fd = list(t.final_demand_labels.index)
    k = len(fd)
    outside = set(t.fd_positions(R.SUPPLY_FROM_OUTSIDE))
    Rz = np.tile(s[:, None], (1, N))
    Ry = np.tile(s[:, None], (1, k))
    given_sales = dict(sales or {})
    for c in given_sales:
        if c not in new:
            raise ArgumentError(message(t.name, "sales names a sector that is not carved out",
                                        argument="sales", found=repr(c), expected=f"one of {new}"))
    if given_sales:
        im_p = t.Y_[p, sorted(outside)].sum() if outside else 0.0
        err_p = float(t.discrepancy_[p]) if t.discrepancy_ is not None else 0.0
        E = Zc[p, p:p + m].sum()  # the parent's purchases from itself, over the parts' columns
        for j, c in enumerate(new):
            if c not in given_sales:
                continue
            q_tot = s_c[j] * (xp - im_p - err_p)  # its domestic uses (imports split by share)
            dest = list(orig) + fd
            sh = _vector(given_sales[c], dest, "sector or final-use column", t, "sales")
            if (sh < 0).any() or abs(sh.sum() - 1) > 1e-9 or any(sh[n + f] for f in outside):
                raise ArgumentError(message(t.name, "sales shares must be ≥ 0, sum to 1 and "
                                            "leave out imports and inflows", argument="sales",
                                            found=f"{c}: Σ = {sh.sum():.6g}",
                                            expected="shares of domestic uses summing to 1"))
            for jj in range(N):
                d = col_orig[jj]
                base = E if d == p else t.Z_[p, d]
                if sh[d] and base <= 0:
                    raise ArgumentError(message(t.name, "sales to a user the parent does not sell to",
                                                argument="sales", row=orig[d], found=repr(c),
                                                expected="users with z_pj > 0"))
                Rz[1 + j, jj] = sh[d] * q_tot / base if base > 0 else 0.0
            for f in range(k):
                if f in outside:
                    continue
                if sh[n + f] and t.Y_[p, f] == 0:
                    raise ArgumentError(message(t.name, "sales to a final use the parent does not "
                                                "sell to", argument="sales", column=fd[f],
                                                found=repr(c), expected="columns with y_pf ≠ 0"))
                Ry[1 + j, f] = sh[n + f] * q_tot / t.Y_[p, f] if t.Y_[p, f] else 0.0
        Rz[0] = 1.0 - Rz[1:].sum(axis=0)
        Ry[0] = 1.0 - Ry[1:].sum(axis=0)
        bad = np.flatnonzero((Rz[0] < -1e-9) & (Zc[p] > 0))
        if bad.size:
            d = col_orig[bad[0]]
            raise ArgumentError(message(t.name, "given sales exceed what the parent sells to a user",
                                        argument="sales", row=orig[d],
                                        found=f"{-Rz[0, bad[0]] * Zc[p, bad[0]]:.6g} too much",
                                        expected="at most the parent's sales"))
        notes.append(Note("sales structure as given for " + ", ".join(map(str, given_sales)) +
                          "; imports/inflows of the product, the discrepancy and satellites by "
                          "output share",
                          "、".join(map(str, given_sales)) + " 的销售结构按给定值；该产品的进口/省外"
                          "流入、误差项和卫星账户按产出份额分配"))

    def expand_rows(a, Rm):
        if a is None:
            return None
        return np.vstack([a[:p], Rm * a[p][None, :], a[p + 1:]])
    shares_rows = lambda a: None if a is None else np.vstack(  # noqa: E731
        [a[:p], s[:, None] * a[p][None, :], a[p + 1:]])
    Z = expand_rows(Zc, Rz)
    Y = expand_rows(t.Y_, Ry)
    Zm, Zr = shares_rows(Zmc), shares_rows(Zrc)
    Ym, Yr = shares_rows(t.Ym_), shares_rows(t.Yr_)
    x = np.r_[t.x_[:p], xk, t.x_[p + 1:]]
    disc = None if t.discrepancy_ is None else np.r_[t.discrepancy_[:p], s * t.discrepancy_[p],
                                                     t.discrepancy_[p + 1:]]
    sats = {key: replace(sat, values=np.r_[sat.values[:p], s * sat.values[p], sat.values[p + 1:]])
            for key, sat in t.satellites.items()}

    # ---- labels
    lab = t.sectors
    region = orig[p][0] if t.is_multiregional else None
    new_labels = [(region, str(c)) if region is not None else str(c) for c in new]
    rows = list(orig[:p + 1]) + new_labels + list(orig[p + 1:])
    idx = (pd.MultiIndex.from_tuples(rows, names=t.index.names) if t.is_multiregional
           else pd.Index(rows, name=t.index.name))
    names = [tuple(into[c]) + ("", "") for c in new]
    def with_new(col, k):
        return list(lab[col].iloc[:p + 1]) + [nm[k] for nm in names] + list(lab[col].iloc[p + 1:])
    sectors = pd.DataFrame({"name_zh": with_new("name_zh", 0), "name_en": with_new("name_en", 1)},
                           index=idx)
    pc = code_str(orig[p])
    parts = ", ".join(f"{c} ({names[j][0] or names[j][1]}) = {s_c[j]:.6g}" for j, c in enumerate(new))
    parts_zh = "，".join(f"{c}（{names[j][0] or names[j][1]}）= {s_c[j]:.6g}"
                         for j, c in enumerate(new))
    ins = "the parent" if not given_in else "given for " + ", ".join(map(str, given_in))
    ins_zh = "沿用母部门" if not given_in else "、".join(map(str, given_in)) + " 按给定值"
    outs = ("the parent (users buy the parts in proportion to output)" if not given_sales
            else "given for " + ", ".join(map(str, given_sales)))
    outs_zh = ("沿用母部门（各使用者按产出比例购买各部分）" if not given_sales
               else "、".join(map(str, given_sales)) + " 按给定值")
    head = Note(f"split_sector: {parts} of the output of {pc}, which keeps the rest ({s[0]:.6g}); "
                f"share source: {source.strip()}; input structure: {ins}; sales structure: {outs}",
                f"split_sector：从 {pc} 的产出中拆分出 {parts_zh}，{pc} 保留其余部分（{s[0]:.6g}）；"
                f"份额来源：{zh_of(source).strip()}；投入结构：{ins_zh}；销售结构：{outs_zh}")
    return t.evolve(Z_=Z, Y_=Y, V_=Vn, x_=x, Zm_=Zm, Ym_=Ym, Zr_=Zr, Yr_=Yr, discrepancy_=disc,
                    sectors=sectors, satellites=sats, name=name or t.name,
                    notes=tuple(t.notes) + (head,) + tuple(notes))
