"""OECD Inter-Country Input-Output tables (ICIO), 2023 edition (also 2021), as the CSV files
the OECD publishes, one per year (``ICIO2023_2020.csv``; older names ``ICIO2021_2018.csv``).
Unit: million USD. See docs/big_mrio.md.

Layout (one comma-separated matrix with one header row and one label column)::

    header  V1 (any text) | AUS_A01_02 … ROW_T | AUS_HFCE … ROW_DPABR | OUT
    rows    AUS_A01_02 … ROW_T                  intermediate and final use of each
                                                region × industry (``{region}_{industry}``)
            TLS                                 taxes less subsidies on products
            VA                                  value added at basic prices
            OUT                                 output (and total use)

Final-demand columns are ``{region}_{category}`` with the categories HFCE, NPISH, GGFC, GFCF,
INVNT, DPABR (direct purchases abroad by residents) and, in older editions, NONRES (purchases
by non-residents) — each with its role set here (:data:`CATEGORY_ROLES`). The 2023 edition has
76 countries + ROW × 45 industries (3,465 rows); its *extended* files split China and Mexico
into CN1/CN2 and MX1/MX2 (processing / non-processing exporters) in the industry rows and
columns, while final demand stays under CHN and MEX.

How it maps onto :class:`~lianpu.table.IOTable`:

- Z, Y and x (the OUT column) are read as they are; the index is (region, industry).
- V has two rows, ``TLS`` (role product_taxes) and ``VA`` (value_added); only VA counts as
  value added (``value_added_rows=("VA",)``). TLS on final-demand columns (taxes on final
  products) has no place in V (it is by industry) and is reported in the table's notes.
- ``split="merge"`` (default) sums CN1+CN2 into CHN and MX1+MX2 into MEX, rows and columns,
  which gives the table of the non-extended release; ``split="keep"`` keeps them as regions
  of their own (final-demand columns of split regions, where present, are merged alike). A
  file with both CHN and CN1/CN2 industry rows is refused (double counting). Older spellings
  TAXSUB, VALU, OUTPUT/TOTAL are read as TLS, VA, OUT.
- Checked: the OUT column equals the OUT row (within ``rtol``), and the table balances.

The numeric block is read once, straight into float64 (pandas' C parser, one consolidated
block); nothing of object dtype the size of the matrix is built. The parsed table is cached in
lianpu's native Parquet format (:mod:`.bigcache`): the second load of the same file reads it.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.errors import FormatError, TableError, message
from ..core.notes import Note
from ..table import IOTable, _label_frame
from . import bigcache
from .base import Reader, decode_text, text_encoding

#: the ICIO final-demand categories: (中文, English)
CATEGORIES = {
    "HFCE": ("居民消费", "Household final consumption expenditure"),
    "NPISH": ("为住户服务的非营利机构消费", "Final consumption expenditure of NPISH"),
    "GGFC": ("政府消费", "General government final consumption"),
    "GFCF": ("固定资本形成总额", "Gross fixed capital formation"),
    "INVNT": ("存货变动", "Changes in inventories and valuables"),
    "DPABR": ("居民境外直接购买", "Direct purchases abroad by residents"),
    "NONRES": ("非居民境内直接购买", "Direct purchases by non-residents"),
    "CONS_ABR": ("居民境外直接购买", "Direct purchases abroad by residents"),
    "CONS_NONRES": ("非居民境内直接购买", "Direct purchases by non-residents"),
}
#: roles (lianpu.core.roles) of the categories, set explicitly
CATEGORY_ROLES = {"HFCE": "household", "NPISH": "npish", "GGFC": "government",
                  "GFCF": "investment", "INVNT": "inventory", "DPABR": "consumption_abroad",
                  "NONRES": "nonresident", "CONS_ABR": "consumption_abroad",
                  "CONS_NONRES": "nonresident"}
PRIMARY = {"TLS": ("产品税减补贴", "Taxes less subsidies on products", "product_taxes"),
           "VA": ("增加值", "Value added at basic prices", "value_added")}
TOTAL = "OUT"
# spellings of the same rows in older editions (2016/2018: TAXSUB, VALU, OUTPUT)
_ROW_ALIASES = {"TAXSUB": "TLS", "VALU": "VA", "OUTPUT": "OUT", "TOTAL": "OUT"}
#: split regions of the extended files → the region they belong to
SPLITS = {"CN1": "CHN", "CN2": "CHN", "MX1": "MEX", "MX2": "MEX"}
UNIT = "million USD"
SOURCE = "OECD Inter-Country Input-Output (ICIO) tables"
CACHE_VERSION = 1
_NAME = re.compile(r"^ICIO\d{0,4}[_-]?(?:ext[_-]?)?(\d{4})\.csv$", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def _header(path: Path) -> list[str]:
    enc = text_encoding(path)  # the one decoding rule (FormatError naming the file)
    try:
        with open(path, newline="", encoding=enc) as fh:
            row = next(csv.reader(fh), None)
    except (OSError, UnicodeDecodeError) as exc:
        raise FormatError(message(path.name, "cannot be read as a CSV text file", found=str(exc),
                                  expected="the OECD ICIO CSV")) from exc
    if not row or len(row) < 3:
        raise FormatError(message(path.name, "the header row is missing or too short",
                                  found=f"{len(row or [])} cells",
                                  expected="V1, {region}_{industry} …, {region}_{category} …, OUT"))
    return [c.strip() for c in row]


def _split(code: str, fname: str, where: str) -> tuple[str, str]:
    reg, sep, rest = code.partition("_")
    if not sep or not reg or not rest:
        raise FormatError(message(fname, f"{where} label is not {{region}}_{{code}}",
                                  found=repr(code), expected="e.g. 'AUS_A01_02' or 'AUS_HFCE'"))
    return reg, rest


def _layout(cols: list[str], fname: str):
    """Positions (in the CSV, label column = 0) of the industry and final-demand columns."""
    cols[-1] = _ROW_ALIASES.get(cols[-1], cols[-1])
    if cols[-1] != TOTAL:
        raise FormatError(message(fname, "the last column is not the output column",
                                  column=cols[-1], found=repr(cols[-1]), expected=repr(TOTAL)))
    ind, fd = [], []
    for j, c in enumerate(cols[1:-1], start=1):
        reg, code = _split(c, fname, f"column {j + 1}")
        if code.upper() in CATEGORIES:
            fd.append((j, reg, code.upper()))
        elif fd:
            raise FormatError(message(fname, "an industry column after the final-demand columns",
                                      column=c, expected="industries first, then final demand"))
        else:
            ind.append((j, reg, code))
    if not ind or not fd:
        raise FormatError(message(fname, "no industry or no final-demand columns in the header",
                                  found=f"{len(ind)} industry, {len(fd)} final-demand columns",
                                  expected=f"{{region}}_{{industry}} then {{region}}_{{category}} "
                                           f"with categories {list(CATEGORIES)[:6]}"))
    return ind, fd


def _parse(path: Path, split: str, name: str | None, year: int | None, rtol: float) -> IOTable:
    fname = path.name
    cols = _header(path)
    ind, fd = _layout(cols, fname)
    ncols = len(cols)
    enc = text_encoding(path)
    try:  # one pass, numbers straight into float64; the label column alone is text
        frame = pd.read_csv(path, index_col=0, header=0, encoding=enc, engine="c",
                            dtype={c: np.float64 for c in cols[1:]}, na_filter=True)
    except (ValueError, TypeError) as exc:
        raise FormatError(message(fname, "the numeric block holds something that is not a "
                                  "number", found=str(exc).splitlines()[0][:200],
                                  expected="numbers in every cell after the label column")) from exc
    if frame.shape[1] != ncols - 1:
        raise FormatError(message(fname, "rows do not have as many cells as the header",
                                  found=frame.shape[1] + 1, expected=ncols))
    labels = [_ROW_ALIASES.get(str(s).strip(), str(s).strip()) for s in frame.index]
    data = frame.to_numpy(dtype=np.float64, copy=False)
    del frame
    if np.isnan(data).any():
        i, j = map(int, np.argwhere(np.isnan(data))[0])
        raise FormatError(message(fname, "empty or non-numeric cell", row=labels[i],
                                  column=cols[j + 1], expected="a number"))
    pos = {lab: i for i, lab in enumerate(labels)}
    for r in (*PRIMARY, TOTAL):
        if r not in pos:
            raise FormatError(message(fname, f"row {r!r} is missing", found=f"rows …{labels[-3:]}",
                                      expected=f"rows {list(PRIMARY) + [TOTAL]} after the "
                                               "industries"))
    n = len(ind)
    col_codes = [cols[j] for j, _, _ in ind]
    row_codes = labels[:n]
    extra = [lab for lab in labels[n:] if lab not in PRIMARY and lab != TOTAL]
    if extra:
        raise FormatError(message(fname, "unexpected row below the industry rows", row=extra[0],
                                  expected=f"only {list(PRIMARY) + [TOTAL]} after the {n} "
                                           "industry rows"))
    if row_codes != col_codes:
        bad = next((a, b) for a, b in zip(row_codes + [None] * n, col_codes + [None] * n)
                   if a != b)
        raise FormatError(message(fname, "industry rows differ from the industry columns",
                                  row=bad[0], found=f"{len(row_codes)} rows",
                                  expected=f"the {n} industry columns in the same order "
                                           f"(first difference: column {bad[1]!r})"))
    jz = [j - 1 for j, _, _ in ind]
    jy = [j - 1 for j, _, _ in fd]
    Z = data[:n][:, jz]
    Y = data[:n][:, jy]
    x = data[:n, ncols - 2]
    V = data[[pos["TLS"], pos["VA"]]][:, jz]
    out_row = data[pos[TOTAL], jz]
    tls_fd = float(data[pos["TLS"], jy].sum())
    del data
    if not np.allclose(x, out_row, rtol=rtol, atol=1e-6 * max(1.0, float(np.abs(x).max()))):
        i = int(np.argmax(np.abs(x - out_row)))
        raise TableError(message(fname, "output column and output row differ", row=col_codes[i],
                                 column=TOTAL, found=f"{x[i]:.6g} vs {out_row[i]:.6g}",
                                 expected=f"equal within rtol={rtol:g}"))
    regs = [r for _, r, _ in ind]
    secs = [s for _, _, s in ind]
    present = set(regs)
    split_regs = sorted(present & set(SPLITS))
    notes = []
    if split not in ("merge", "keep"):
        from ..core.errors import ArgumentError
        raise ArgumentError(message(None, "unknown value", argument="split", found=repr(split),
                                    expected="'merge' or 'keep'"))
    if split_regs and split == "merge":
        clash = sorted({SPLITS[r] for r in split_regs} & present)
        if clash:
            raise FormatError(message(fname, "both a region and its split parts are present",
                                      found=f"{clash} and {split_regs}",
                                      expected="either CHN/MEX or CN1/CN2/MX1/MX2 rows, not both"))
        target = [(SPLITS.get(r, r), s) for r, s in zip(regs, secs)]
        uniq = list(dict.fromkeys(target))
        where = {k: i for i, k in enumerate(uniq)}
        from scipy import sparse  # aggregation matrix (new × old), sparse: O(n²) not O(n³)
        m = sparse.csr_matrix((np.ones(n), ([where[t] for t in target], np.arange(n))),
                              shape=(len(uniq), n))
        Z = np.asarray((m @ np.asarray(m @ Z).T).T)
        Y, x, V = np.asarray(m @ Y), np.asarray(m @ x), np.asarray((m @ V.T).T)
        if any(r in SPLITS for _, r, _ in fd):  # final demand split too: merge its columns
            ftarget = [(SPLITS.get(r, r), c) for _, r, c in fd]
            funiq = list(dict.fromkeys(ftarget))
            fwhere = {t: i for i, t in enumerate(funiq)}
            mf = sparse.csr_matrix((np.ones(len(fd)), ([fwhere[t] for t in ftarget],
                                                       np.arange(len(fd)))),
                                   shape=(len(funiq), len(fd)))
            Y = np.asarray((mf @ Y.T).T)
            fd = [(None, r, c) for r, c in funiq]
        regs, secs = [r for r, _ in uniq], [s for _, s in uniq]
        into = sorted({SPLITS[r] for r in split_regs})
        notes.append(Note(f"{', '.join(split_regs)} merged into {', '.join(into)} (split='merge')",
                          f"{'、'.join(split_regs)} 已合并为 {'、'.join(into)}（split='merge'）"))
    elif split_regs:
        notes.append(Note(f"{', '.join(split_regs)} kept as regions (split='keep'); their final "
                          "demand stays under CHN/MEX",
                          f"{'、'.join(split_regs)} 保留为单独的地区（split='keep'）；其最终需求仍记在 "
                          "CHN/MEX 名下"))
    notes.append(Note(f"taxes less subsidies on final products (TLS row, final-demand columns: "
                      f"{tls_fd:.6g} {UNIT}) are not part of V",
                      f"最终产品的产品税减补贴（TLS 行，最终需求各列合计 {tls_fd:.6g} {UNIT}）"
                      "不计入 V"))
    idx = pd.MultiIndex.from_arrays([regs, secs], names=["region", "sector"])
    fidx = pd.MultiIndex.from_arrays([[r for _, r, _ in fd], [c for _, _, c in fd]],
                                     names=["region", "category"])
    m = _NAME.match(fname)
    found = [m.group(1)] if m else _YEAR.findall(fname)  # else the last year-like number
    year = year or (int(found[-1]) if found else None)
    return IOTable(
        np.ascontiguousarray(Z), np.ascontiguousarray(Y), np.ascontiguousarray(V),
        np.ascontiguousarray(x),
        sectors=_label_frame(idx, [""] * len(regs), [f"{r}: {s}" for r, s in zip(regs, secs)]),
        final_demand_labels=_label_frame(
            fidx, [f"{r}·{CATEGORIES[c][0]}" for _, r, c in fd],
            [f"{r}: {CATEGORIES[c][1]}" for _, r, c in fd],
            role=[CATEGORY_ROLES[c] for _, _, c in fd]),
        primary_labels=_label_frame(list(PRIMARY), [v[0] for v in PRIMARY.values()],
                                    [v[1] for v in PRIMARY.values()], index_name="row",
                                    role=[v[2] for v in PRIMARY.values()]),
        value_added_rows=("VA",), compensation_row=None,
        household_columns=tuple((r, c) for _, r, c in fd if c == "HFCE"),
        unit=UNIT, year=year, name=name or fname, rtol=rtol,
        source=f"{SOURCE}; {len(set(regs))} regions × {len(set(secs))} industries; file {fname}",
        notes=tuple(notes),
    )


def read_icio(path, *, split: str = "merge", name: str | None = None, year: int | None = None,
              rtol: float = 1e-4, cache: bool = True, data_dir=None,
              storage: str = "dense") -> IOTable:
    """Read one OECD ICIO CSV into a multi-regional :class:`IOTable`.

    Parameters
    ----------
    split : {'merge', 'keep'}
        CN1/CN2 and MX1/MX2 of the extended files: summed into CHN/MEX, or kept as regions.
    cache : bool
        Use (and fill) the Parquet cache in the data folder (``data_dir``, default
        ``$LIANPU_DATA``); the cache is keyed by the file's path, size and mtime.
    storage : {'dense', 'sparse', 'auto'}
        How Z is held (:class:`lianpu.IOTable`; "auto": sparse for a large table with under
        5 % non-zeros). A sparse Z keeps multipliers at O(nnz) memory.
    """
    path = Path(path)
    if not path.is_file():
        raise FormatError(message(path.name, "file not found", found=str(path),
                                  expected="an OECD ICIO CSV file"))
    opts = {"split": split, "year": year, "rtol": rtol}
    return bigcache.cached("icio", path, opts, CACHE_VERSION,
                           lambda: _parse(path, split, name, year, rtol),
                           use_cache=cache, data_dir=data_dir, name=name, storage=storage)


def _guess(path: Path) -> bool:
    path = Path(path)
    if path.suffix.lower() != ".csv" or not path.is_file():
        return False
    if _NAME.match(path.name):
        return True
    try:
        with open(path, "rb") as fh:
            head = decode_text(fh.read(1024), path.name, partial=True)[0][:256]
    except (OSError, FormatError):  # unreadable or undecodable: not an ICIO file
        return False
    cells = head.split("\n", 1)[0].split(",")
    # the ICIO header: a label cell (V1 or empty), then {region}_{industry} codes
    return (len(cells) > 2 and cells[0].strip().strip('"') in ("", "V1")
            and bool(re.match(r'^"?[A-Z0-9]{3}_[A-Z0-9]', cells[1].strip())))

READER = Reader(
    name="icio",
    description="OECD Inter-Country Input-Output table, 2023/2021 edition CSV (ICIO2023_YEAR.csv: "
                "{region}_{industry} rows and columns, TLS/VA/OUT rows)",
    guess_can_open=_guess,
    open=read_icio,
)
