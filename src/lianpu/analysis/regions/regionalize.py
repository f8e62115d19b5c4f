"""Regionalization 区域化: a regional (or region + rest-of-nation) table from a national one.

Location quotients 区位商 (Flegg, Webber & Elliott 1995; Flegg & Webber 1997, 2000; Flegg &
Tohmo 2013), from a regional measure RE_i (gross output or employment by sector) and the
same national measure NE_i, with TRE = Σ RE_i and TNE = Σ NE_i:

- SLQ_i  = (RE_i / TRE) / (NE_i / TNE)                     (simple LQ, row i: selling sector)
- CILQ_ij = SLQ_i / SLQ_j  (i ≠ j),  CILQ_ii = SLQ_i       (cross-industry LQ, Smith & Morrison 1974)
- FLQ_ij = λ* · CILQ_ij  with  λ* = [log₂(1 + TRE/TNE)]^δ,  0 ≤ δ < 1   (Flegg & Webber 1997)
- AFLQ_ij = FLQ_ij · log₂(1 + SLQ_j)  where SLQ_j > 1, else FLQ_ij   (Flegg & Webber 2000;
  tested by Flegg & Tohmo 2013)

Regional coefficients a^r_ij = min(LQ_ij, 1) · a^n_ij (the standard cap at 1): never above the
national ones. a^n is the national **domestic** coefficient matrix (a competitive national
table is first converted with ``table.domestic()``; a provincial table given as the parent of
a city is used through its local view ``table.local()``). Further rules and the estimation of
interregional trade in the two-region table are documented in docs/regionalize.md.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from ...atomic import atomic_path
from ...core import gras as _gras
from ...core.errors import ArgumentError, FormatError, TableError, message
from ...core.notes import Note
from ...table import NEGATIVE_OK_FD, IOTable, _label_frame

METHODS = ("slq", "cilq", "flq", "aflq")
TEMPLATE_COLUMNS = ["code", "name_zh", "name_en", "regional_output", "regional_employment",
                    "national_employment"]
INFLOW = ("IMN", "国内其他地区调入", "Inflows from the rest of the nation")
INFLOW_PROVINCE = ("IMN", "省内其他地区调入", "Inflows from the rest of the province")
OTHER_PROVINCES = ("IMR", "省外调入", "Inflows from other provinces")
FOREIGN = ("IMF", "进口", "Imports from abroad")
#: the default method and δ: chosen by leave-one-province-out validation on China's provincial
#: tables of 2007, 2012 and 2017 (docs/regionalize.md §7, bench/regionalize_provinces.py)
DEFAULT_METHOD, DEFAULT_DELTA = "aflq", 0.1


# --------------------------------------------------------------------------- location quotients
def location_quotients(regional, national, method: str = DEFAULT_METHOD,
                       delta: float = DEFAULT_DELTA) -> np.ndarray:
    """Capped LQ matrix c (n, n) with c_ij = min(LQ_ij, 1); a^r = c ⊙ a^n.

    ``regional``, ``national`` (n,): the same measure (output or employment) by sector.
    A sector with no national (or regional) activity gets LQ 0 in its row (column).
    """
    if method not in METHODS:
        raise ArgumentError(message("regionalize", f"unknown method {method!r}",
                                    argument="method", expected=f"one of {list(METHODS)}"))
    if method in ("flq", "aflq") and not (0 <= delta < 1):
        raise ArgumentError(message("regionalize", "δ is outside the FLQ range",
                                    argument="delta", found=delta,
                                    expected="0 ≤ δ < 1 (Flegg & Webber 1997)"))
    tre, tne = np.asarray(regional, dtype=float).sum(), np.asarray(national, dtype=float).sum()
    if tre <= 0 or tne <= 0:
        raise ArgumentError(message("regionalize", "regional and national totals must be "
                                    "positive", argument="regional_data",
                                    found=f"Σ regional {tre:g}, Σ national {tne:g}",
                                    expected="> 0"))
    return np.minimum(lq_matrix(regional, national, method, delta), 1.0)


def lq_matrix(regional, national, method: str = "slq", delta: float = 0.0) -> np.ndarray:
    """The location quotients **before** the cap at 1 (n, n): SLQ_i along rows, CILQ, FLQ or
    AFLQ (formulas in the module docstring; :func:`location_quotients` checks the arguments
    and returns min(·, 1))."""
    re_, ne = np.asarray(regional, float), np.asarray(national, float)
    tre, tne = re_.sum(), ne.sum()
    slq = np.divide(re_ / tre, ne / tne, out=np.zeros_like(re_), where=ne > 0)
    if method == "slq":
        return np.repeat(slq[:, None], slq.size, axis=1)
    with np.errstate(over="ignore"):  # a vanishing SLQ_j gives a huge ratio (capped by callers)
        q = np.divide(slq[:, None], slq[None, :], out=np.zeros((slq.size, slq.size)),
                      where=slq[None, :] > 0)
    np.fill_diagonal(q, slq)
    if method in ("flq", "aflq"):
        q *= math.log2(1.0 + tre / tne) ** delta
    if method == "aflq":
        q *= np.where(slq > 1, np.log2(1.0 + slq), 1.0)[None, :]
    return q


# --------------------------------------------------------------------------- regional data
def _number(v, fname, row, col) -> float | None:
    if v is None or (isinstance(v, float) and math.isnan(v)) or str(v).strip() == "":
        return None
    try:
        f = float(str(v).strip().replace(",", ""))
    except ValueError:
        raise FormatError(message(fname, "cell is not a number", row=row, column=col,
                                  found=repr(v), expected="a number")) from None
    if not math.isfinite(f) or f < 0:
        raise FormatError(message(fname, "cell must be a finite number ≥ 0", row=row, column=col,
                                  found=repr(v), expected="≥ 0"))
    return f


def read_regional_data(data, national: IOTable) -> tuple[np.ndarray, np.ndarray, np.ndarray, str]:
    """Parse the regional template (path, DataFrame, or Series of regional output by code).

    Returns (x_r, regional measure, national measure, measure name) aligned to the national
    sector order. Regional output from employment: x^r_i = x^n_i · e^r_i / e^n_i (the region
    has the national output per worker of each sector).
    """
    fname = "regional data"
    if isinstance(data, pd.Series):
        data = pd.DataFrame({"code": data.index.astype(str), "regional_output": data.to_numpy()})
    elif not isinstance(data, pd.DataFrame):
        fname = Path(data).name
        if not Path(data).exists():
            raise FormatError(f"{data}: file not found")
        data = (pd.read_excel(data, dtype=object) if Path(data).suffix.lower() in (".xlsx", ".xlsm")
                else pd.read_csv(data, dtype=str, keep_default_na=False, encoding="utf-8-sig"))
    cols = [str(c).strip() for c in data.columns]
    if "code" not in cols:
        raise FormatError(message(fname, "no 'code' column", row="header", found=cols,
                                  expected=f"columns {TEMPLATE_COLUMNS}"))
    data = data.set_axis(cols, axis=1)
    codes = [str(c) for c in national.index]
    pos = {c: i for i, c in enumerate(codes)}
    digits = {c.lstrip("0"): c for c in codes if c.isdigit()}
    from ...safe_text import csv_unescape
    got = {}
    opt = {c: [None] * len(codes) for c in TEMPLATE_COLUMNS[3:]}
    for k, rec in enumerate(data.to_dict("records")):
        line = k + 2  # header is line 1
        code = csv_unescape(str(rec["code"]).strip())  # undo write_template's quoting
        code = code if code in pos else digits.get(code.lstrip("0"), code)  # Excel: 01 → 1
        if code not in pos:
            raise FormatError(message(fname, "unknown sector code", row=line, column="code",
                                      found=repr(code), expected=f"one of the national table's "
                                      f"codes {codes[:5]}…"))
        if code in got:
            raise FormatError(message(fname, "duplicated sector code", row=line, column="code",
                                      found=repr(code), expected=f"once (first on line {got[code]})"))
        got[code] = line
        for c in opt:
            if c in rec:
                opt[c][pos[code]] = _number(rec[c], fname, line, c)
    missing = [c for c in codes if c not in got]
    if missing:
        raise FormatError(message(fname, "sector missing", row=repr(missing[0]), column="code",
                                  found=f"{len(got)} of {len(codes)} sectors",
                                  expected="one line per sector of the national table"))
    filled = {c: sum(v is not None for v in vals) for c, vals in opt.items()}
    by_output = filled["regional_output"] > 0
    by_emp = filled["regional_employment"] + filled["national_employment"] > 0
    if by_output == by_emp:
        raise FormatError(message(fname, "fill either regional_output, or regional_employment "
                                  "together with national_employment", column="regional_output",
                                  found=f"filled cells {filled}", expected="exactly one option"))
    need = ["regional_output"] if by_output else ["regional_employment", "national_employment"]
    for c in need:
        if filled[c] < len(codes):
            i = opt[c].index(None)
            raise FormatError(message(fname, "cell is empty", row=got[codes[i]], column=c,
                                      expected="a number (0 for none)"))
    xn = national.x_
    if by_output:
        xr = np.array(opt["regional_output"], float)
        bad = xr > xn * (1 + 1e-9) + 1e-12
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise FormatError(message(fname, "regional output exceeds national output",
                                      row=got[codes[i]], column="regional_output",
                                      found=f"{xr[i]:.6g}", expected=f"≤ {xn[i]:.6g}"))
        return xr, xr, xn.copy(), "output"
    er = np.array(opt["regional_employment"], float)
    en = np.array(opt["national_employment"], float)
    bad = (er > en * (1 + 1e-9)) | ((en == 0) & (er > 0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise FormatError(message(fname, "regional employment exceeds national employment",
                                  row=got[codes[i]], column="regional_employment",
                                  found=f"{er[i]:.6g}", expected=f"≤ {en[i]:.6g}"))
    xr = xn * np.divide(er, en, out=np.zeros_like(er), where=en > 0)
    return xr, er, en, "employment"


def write_template(national: IOTable, path) -> Path:
    """Write the regional-data CSV template (one line per national sector, atomic)."""
    if national.is_multiregional:
        raise TableError(message(national.name, "the national table must be single-region",
                                 found=f"{len(national.regions)} regions", expected="1"))
    df = pd.DataFrame({"code": [str(c) for c in national.index],
                       "name_zh": national.sectors["name_zh"].to_numpy(),
                       "name_en": national.sectors["name_en"].to_numpy()})
    for c in TEMPLATE_COLUMNS[3:]:
        df[c] = ""
    path = Path(path)
    with atomic_path(path) as tmp:
        from ...safe_text import csv_frame  # a name like '=HYPERLINK(…)' stays text in Excel
        csv_frame(df).to_csv(tmp, index=False, encoding="utf-8-sig")
    return path


# --------------------------------------------------------------------------- estimation
def domestic_national(table: IOTable) -> tuple[IOTable, tuple]:
    """The parent table whose A is used, and a note: the domestic view of a competitive
    national table; the local view of a provincial table with inflows from other provinces
    (a city regionalized from its province: a^p = the province's own coefficients, inflows
    in ``Zr``)."""
    if table.is_multiregional:
        raise TableError(message(table.name, "the national table must be single-region",
                                 argument="national", found=f"{len(table.regions)} regions",
                                 expected="a national table (aggregate an MRIO first)"))
    if table.imports == "competitive" and table.fd_positions({"inflow", "trade_in"}):
        return table.local(), (Note("parent coefficients: the provincial table's local view "
                                    "(imports and inflows from other provinces removed in "
                                    "proportion)",
                                    "母表系数：省级表的本地视角（按比例扣除进口和省外流入）"),)
    if table.imports == "competitive" and table.fd_positions("import"):
        return table.domestic(), (Note("national domestic coefficients by import "
                                       "proportionality", "按进口比例法计算的全国国内直接消耗系数"),)
    if table.imports == "competitive" and table.fd_positions("net_outflow"):
        # e.g. the 2002 provincial tables: no gross imports or inflows, so no local view
        return table, (Note("parent coefficients as published: they include inputs bought from "
                            "other provinces and abroad (the table has net outflows only), so the "
                            "regional coefficients are overstated",
                            "母表系数按原表：其中包含从其他省份和境外购入的投入（该表只有净调出），"
                            "因此区域系数偏高"),)
    return table, ()


def _row_cap(Z, target):
    """A region cannot sell to its own producers more of a product than it has for them: rows
    with Z·1 > target are scaled down to Z·1 = target (the rest is bought from outside)."""
    use = Z.sum(axis=1)
    k = np.divide(target, use, out=np.ones_like(use), where=use > target)
    return Z * np.minimum(k, 1.0)[:, None], int((use > target).sum())


def _shift(need, Z_from, Z_to):
    """Move ``need`` (≥ 0) of each row from Z_from to Z_to, proportionally over columns, as far
    as Z_from's row allows; returns what is still missing."""
    have = Z_from.sum(axis=1)
    take = np.minimum(np.maximum(need, 0.0), have)
    k = np.divide(take, have, out=np.zeros_like(have), where=have > 0)
    moved = Z_from * k[:, None]
    Z_from -= moved
    Z_to += moved
    return np.maximum(need, 0.0) - take


def _signed_final_use(nat: IOTable):
    """National final-use parts that may be negative (inventory change, discrepancy, …):
    category codes, their (n, k) block and the discrepancy vector. They are shared between
    regions in proportion to output; the rest of final use is the non-negative residual."""
    fd = list(nat.final_demand_labels.index)
    always = {"inventory", "import", "inflow", "trade_in", "discrepancy"}
    cols = [j for j, r in enumerate(nat.fd_roles)
            if (r in always and (nat.Y_[:, j] != 0).any())
            or (r in NEGATIVE_OK_FD and (nat.Y_[:, j] < 0).any())]
    disc = nat.discrepancy_ if nat.discrepancy_ is not None else np.zeros(nat.n)
    return [fd[j] for j in cols], nat.Y_[:, cols], disc


def regionalize(national: IOTable, regional_data, method: str = DEFAULT_METHOD,
                delta: float = DEFAULT_DELTA, *,
                region: str = "R", rest: str = "RoN", two_region: bool = False,
                name: str | None = None) -> IOTable:
    """Estimate a regional table from a national one and regional output (or employment).

    Parameters
    ----------
    national : IOTable, single-region (competitive tables are used through ``domestic()``;
        a provincial table with inflows, the parent of a city, through ``local()``)
    regional_data : CSV/XLSX path in the template layout (``write_template``), a DataFrame
        with those columns, or a Series of regional gross output indexed by sector code
    method : "slq" | "cilq" | "flq" | "aflq"; default "aflq" with δ = 0.1, the choice of a
        leave-one-province-out validation on China's provincial tables (docs/regionalize.md §7)
    delta : FLQ/AFLQ δ, 0 ≤ δ < 1 (ignored by SLQ and CILQ)
    two_region : also estimate the rest of the nation (same method and δ) and return a
        two-region table (region, rest) with estimated interregional trade

    Returns
    -------
    IOTable. Single-region: Z = c ⊙ A^n · x̂^r; primary rows = national primary-input
    coefficients · x^r, plus ``IMN`` (inflows from the rest of the nation) and ``IMF``
    (foreign imports, when the national table has them); with a provincial parent, ``IMN``
    is the rest of the province and ``IMR`` the parent's inflows from other provinces
    (its ``Zr`` coefficients · x^r); final use: ``FD`` = the
    non-negative residual (regional final use, exports and outflows, not split) and the
    national sign-free categories (e.g. inventory change) and discrepancy shared by output.
    Two-region: index (region, sector), final-use columns ("ALL", category).
    """
    nat, notes = domestic_national(national.dense())  # dense blocks below
    xr, rm, nm, measure = read_regional_data(regional_data, nat)
    A, xn = nat.A_, nat.x_
    c = location_quotients(rm, nm, method, delta)
    inv_xn = np.divide(1.0, xn, out=np.zeros_like(xn), where=xn > 0)
    pcoef = nat.V_ * inv_xn[None, :]
    am = None if nat.Zm_ is None else nat.Zm_.sum(axis=0) * inv_xn
    ar = None if nat.Zr_ is None else nat.Zr_.sum(axis=0) * inv_xn  # provincial parent
    signed, S, disc = _signed_final_use(nat)
    share = xr * inv_xn
    how = f"{method.upper()}" + (f" δ={delta:g}" if method in ("flq", "aflq") else "")
    measure_zh = {"output": "总产出", "employment": "就业人数"}.get(measure, measure)
    notes = notes + (Note(f"regionalized by {how} from regional {measure} (lianpu.regionalize)",
                          f"按区域{measure_zh}用 {how} 法区域化（lianpu.regionalize）"),)
    tname = name or f"{region} ({how}) from {nat.name}"
    kw = dict(value_added_rows=nat.value_added_rows, compensation_row=nat.compensation_row,
              unit=nat.unit, year=nat.year, source=f"{tname}; national table: {nat.source}",
              name=tname, rtol=nat.rtol, imports="non-competitive")
    fdl = nat.final_demand_labels

    def primary(x, inflow=None):
        k = x.size // xn.size  # 1 or 2 regions, each with the national technology
        rows, labels = [np.tile(pcoef, k) * x[None, :]], list(nat.primary_labels.itertuples(name=None))
        if inflow is not None:
            rows.append(inflow[None, :])
            labels.append(INFLOW if ar is None else INFLOW_PROVINCE)
        if ar is not None:
            rows.append((np.tile(ar, k) * x)[None, :])
            labels.append(OTHER_PROVINCES)
        if am is not None:
            rows.append((np.tile(am, k) * x)[None, :])
            labels.append(FOREIGN)
        return np.vstack(rows), _label_frame([r[0] for r in labels], [r[1] for r in labels],
                                             [r[2] for r in labels], index_name="row")

    fd_zh, fd_en = "最终使用、出口及调出（余项）", "Final use, exports and outflows (residual, not split)"
    if not two_region:
        Sr, dr = S * share[:, None], disc * share
        Z, capped = _row_cap(c * A * xr[None, :], xr - Sr.sum(axis=1) - dr)
        V, plab = primary(xr, (A * xr[None, :]).sum(axis=0) - Z.sum(axis=0))
        fd = _label_frame(["FD", *signed], [fd_zh, *fdl.loc[signed, "name_zh"]],
                          [fd_en, *fdl.loc[signed, "name_en"]], "category")
        if capped:
            notes += (Note(f"{capped} row(s) capped so that own use ≤ regional supply",
                           f"{capped} 行被截断，使本地使用 ≤ 区域供给"),)
        fres = xr - Z.sum(axis=1) - Sr.sum(axis=1) - dr
        return IOTable(Z, np.column_stack([np.maximum(fres, 0.0), Sr]), V, xr,
                       sectors=nat.sectors.copy(), final_demand_labels=fd, primary_labels=plab,
                       discrepancy_=dr if nat.discrepancy_ is not None else None,
                       notes=notes, **kw)

    xN = np.maximum(xn - xr, 0.0)
    cN = location_quotients(np.maximum(nm - rm, 0.0), nm, method, delta)
    Z_RR, Z_NR = c * A * xr[None, :], (1 - c) * A * xr[None, :]
    Z_NN, Z_RN = cN * A * xN[None, :], (1 - cN) * A * xN[None, :]
    SR, SN = S * share[:, None], S * (1 - share)[:, None]
    oR, oN = SR.sum(axis=1) + disc * share, SN.sum(axis=1) + disc * (1 - share)

    def residual():
        return (xr - Z_RR.sum(axis=1) - Z_RN.sum(axis=1) - oR,
                xN - Z_NR.sum(axis=1) - Z_NN.sum(axis=1) - oN)

    fR, _ = residual()                            # R oversold its product i:
    _shift(_shift(-fR, Z_RN, Z_NN), Z_RR, Z_NR)   # N's users, then R's, buy i from N instead
    _, fN = residual()
    _shift(_shift(-fN, Z_NR, Z_RR), Z_NN, Z_RN)   # and symmetrically
    fR, fN = residual()
    Z = np.block([[Z_RR, Z_RN], [Z_NR, Z_NN]])
    x = np.concatenate([xr, xN])
    V, plab = primary(x)  # no inflow row: interregional trade is explicit in Z
    codes = [str(s) for s in nat.index]
    idx = pd.MultiIndex.from_arrays([[region] * len(codes) + [rest] * len(codes), codes * 2],
                                    names=["region", "sector"])
    s = nat.sectors
    sec = _label_frame(idx, [f"{g}·{z}" for g in (region, rest) for z in s["name_zh"]],
                       [f"{g}: {e}" for g in (region, rest) for e in s["name_en"]])
    fd = _label_frame(pd.MultiIndex.from_tuples([("ALL", k) for k in ["FD", *signed]],
                                                names=["region", "category"]),
                      [fd_zh, *fdl.loc[signed, "name_zh"]], [fd_en, *fdl.loc[signed, "name_en"]])
    notes += (Note(f"rest of the nation ({rest}) estimated with the same method; interregional "
                   "intermediate trade = national minus own-region coefficients",
                   f"全国其余地区（{rest}）用同一方法估计；区域间中间品贸易 = 全国系数减去本区域系数"),)
    Y = np.column_stack([np.maximum(np.concatenate([fR, fN]), 0.0), np.vstack([SR, SN])])
    return IOTable(Z, Y, V, x, sectors=sec, final_demand_labels=fd, primary_labels=plab,
                   discrepancy_=np.concatenate([disc * share, disc * (1 - share)])
                   if nat.discrepancy_ is not None else None, notes=notes, **kw)


# --------------------------------------------------------------------------- GRAS (labelled)
def gras(Z0, u, v, *, tol: float = 1e-10, max_iter: int = 10_000):
    """GRAS-balance ``Z0`` to row totals ``u`` and column totals ``v`` (negatives allowed).

    ``Z0`` a DataFrame (u, v Series aligned by label, or arrays in order) or an array. See
    :mod:`lianpu.core.gras` for the formulation (Junius & Oosterhaven 2003; Lenzen et al. 2007;
    Temurshoev et al. 2013). Returns the same kind as ``Z0`` (a DataFrame with
    ``attrs['iterations']``); the inputs are never changed (targets are aligned on copies).
    Targets that do not fit the prior raise :class:`ArgumentError`.
    """
    if isinstance(Z0, pd.DataFrame):
        def align(t, lab, arg):
            if isinstance(t, pd.Series):
                t = t.set_axis(t.index.map(str))            # a copy: the caller's index stays
                miss = [str(c) for c in lab if str(c) not in t.index]
                if miss:
                    raise ArgumentError(message("gras", "target has no entry for a label",
                                                argument=arg, found=repr(miss[0]),
                                                expected="one total per row/column label"))
                return t.reindex([str(c) for c in lab]).to_numpy(float, copy=True)
            return np.array(t, float)
        uu, vv = align(u, Z0.index, "u"), align(v, Z0.columns, "v")
        P = Z0.to_numpy(float, copy=True)
        Z, it = _balance(P, uu, vv, tol, max_iter, (list(Z0.index), list(Z0.columns)))
        out = pd.DataFrame(Z, index=Z0.index.copy(), columns=Z0.columns.copy())
        out.attrs["iterations"] = it
        return out
    return _balance(Z0, u, v, tol, max_iter, None)[0]  # arrays: read, never written


def _balance(Z0, u, v, tol, max_iter, labels):
    """(balanced matrix, iterations) by :mod:`lianpu.core.gras`, whose checks of the targets
    (shape, grand totals, signs, stopping rule) are about the caller's arguments."""
    r, s, it = _gras.gras_factors(Z0, u, v, tol=tol, max_iter=max_iter, labels=labels)
    return _gras.apply_factors(Z0, r, s), it
