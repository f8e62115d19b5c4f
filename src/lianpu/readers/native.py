"""lianpu's native lossless format: one Parquet file.

Layout — a long (sparse) table with four columns::

    block : dictionary-encoded string  Z, Y, V, x, Zm, Ym, Zr, Yr, discrepancy, sat:<key>,
                                       satfd:<key>
    row   : int32   position in the block (vectors use row only; col = 0)
    col   : int32
    value : float64

Only non-zero entries are stored (−0.0 is kept, so arrays come back bit for bit); every block's
shape is recorded in the metadata, so an all-zero block still round-trips and an absent block
(e.g. ``Zm`` of a competitive table) stays absent. Labels and metadata travel as JSON in the
Parquet schema's key-value metadata under key ``b"lianpu"`` (format version 1; the inflow
blocks ``Zr``/``Yr`` of a local view are optional blocks of the same version): label frames
column by column with their index levels and names, ``value_added_rows`` /
``compensation_row`` / ``household_columns`` as positions (so tuple labels of multi-regional
tables survive JSON), satellites' names and units, and the table's scalar fields — ``notes``
(English) with ``notes_zh`` parallel to it (their Chinese twins; a file written before
``notes_zh`` existed reads with plain English notes).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import scipy.sparse as sp

from ..core.errors import FormatError, TableError, check_choice, message
from ..core.notes import pair
from ..table import IOTable, Satellite
from ..table_storage import STORAGES, sparse_wanted, with_storage  # noqa: F401 (re-exported)
from .base import Reader
# the writer half (re-exported: ``lianpu.readers.native.save`` is the documented entry)
from .native_write import ARRAYS, KEY, VERSION, _positions, save  # noqa: F401


# ---------------------------------------------------------------------------- labels <-> JSON
def _frame_from_json(d: dict) -> pd.DataFrame:
    # dtypes are restored so that frames compare equal dtype for dtype (object vs str)
    lv = [pd.Index(v, dtype=t) for v, t in zip(d["index"], d["index_dtypes"])]
    idx = (pd.MultiIndex.from_arrays(lv, names=d["index_names"]) if d["multi"]
           else lv[0].rename(d["index_names"][0]))
    return pd.DataFrame({c: pd.Series(v, index=idx, dtype=t) for c, v, t in d["columns"]},
                        index=idx)


# ---------------------------------------------------------------------------- load
def _read_meta(path: Path) -> dict:
    fname = path.name
    try:
        schema = pq.read_schema(path)
    except (pa.ArrowException, OSError) as exc:
        raise FormatError(message(fname, "cannot read the file as Parquet", found=str(exc),
                                  expected="a lianpu table saved with IOTable.save")) from exc
    raw = (schema.metadata or {}).get(KEY)
    if raw is None:
        raise FormatError(message(fname, "not a lianpu table: the Parquet schema metadata has no "
                                  "'lianpu' key", expected="a file written by IOTable.save"))
    try:
        meta = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FormatError(message(fname, "the 'lianpu' metadata is not valid JSON",
                                  found=str(exc), expected="JSON")) from exc
    version = meta.get("version") if isinstance(meta, dict) else None
    if not isinstance(version, int):
        raise FormatError(message(fname, "the 'lianpu' metadata has no format version",
                                  found=repr(version), expected=f"an integer ≤ {VERSION}"))
    if version > VERSION:
        raise FormatError(message(fname, f"written in a newer lianpu format (version {version}); "
                                  "upgrade lianpu to read it", found=f"version {version}",
                                  expected=f"version ≤ {VERSION}"))
    return meta


def _shapes(meta: dict, fname: str) -> dict[str, tuple]:
    """Block shapes of the metadata, checked against its label frames before anything of that
    size is allocated (a tampered shape must not allocate terabytes)."""
    def bad(problem, found=None, expected=None):
        return FormatError(message(fname, f"the 'lianpu' metadata is malformed: {problem}",
                                   found=found, expected=expected))
    shapes = meta.get("shapes")
    if not isinstance(shapes, dict):
        raise bad("no block shapes", found=type(shapes).__name__, expected="an object 'shapes'")
    try:
        dims = {k: len(meta[k]["index"][0]) for k in ("sectors", "final_demand", "primary")}
    except (KeyError, IndexError, TypeError) as exc:
        raise bad("label frames missing or broken", found=f"{type(exc).__name__} {exc}",
                  expected="'sectors', 'final_demand' and 'primary' frames") from None
    n, k, m = dims["sectors"], dims["final_demand"], dims["primary"]
    want = {"Z": (n, n), "Y": (n, k), "V": (m, n), "x": (n,)}
    top = max(n, k, m, 1)
    out = {}
    for b, s in shapes.items():
        if (not isinstance(s, list) or not 1 <= len(s) <= 2
                or not all(isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= top
                           for d in s)):
            raise bad(f"block {b!r} has an impossible shape", found=repr(s)[:80],
                      expected=f"1 or 2 dimensions, each 0…{top} (the label frames' sizes)")
        out[b] = tuple(s)
    for b, s in want.items():
        if out.get(b) != s:
            raise bad(f"block {b!r} does not match the labels", found=out.get(b),
                      expected=f"shape {s} ({n} sectors, {k} final-demand, {m} primary)")
    return out


def load(path, *, name: str | None = None, storage: str = "dense") -> IOTable:
    """Read a table written by :func:`save`. ``name`` overrides the stored table name.

    ``storage``: "dense" (default), "sparse" (Z built as a CSR array straight from the
    file's entries, never an n×n array; see :class:`lianpu.IOTable`) or "auto" (sparse from
    :data:`SPARSE_MIN_N` sectors when under :data:`SPARSE_DENSITY` of Z is non-zero)."""
    check_choice(storage, STORAGES, argument="storage")
    path = Path(path)
    fname = path.name
    meta = _read_meta(path)
    try:
        return _load(path, meta, name, storage)
    except (KeyError, IndexError, TypeError, AttributeError) as exc:
        # the metadata is untrusted input: a missing key or a wrong type is a malformed file
        raise FormatError(message(fname, "the 'lianpu' metadata is malformed",
                                  found=f"{type(exc).__name__}: {str(exc)[:120]}",
                                  expected="metadata as written by IOTable.save")) from None
    except ValueError as exc:
        if isinstance(exc, FormatError) or isinstance(exc, TableError):
            raise
        raise FormatError(message(fname, "the 'lianpu' metadata is malformed",
                                  found=f"{type(exc).__name__}: {str(exc)[:120]}",
                                  expected="metadata as written by IOTable.save")) from None


def _load(path: Path, meta: dict, name, storage: str = "dense") -> IOTable:
    fname = path.name
    shapes = _shapes(meta, fname)
    arrays = {b: np.zeros(s, dtype=np.float64) for b, s in shapes.items() if b != "Z"}
    sparse_z = storage == "sparse"
    try:
        tbl = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise FormatError(message(fname, "cannot read the Parquet data", found=str(exc)[:200],
                                  expected="a lianpu table saved with IOTable.save")) from None
    for c in ("block", "row", "col", "value"):
        if c not in tbl.column_names:
            raise FormatError(message(fname, "column missing from the Parquet data", column=c,
                                      expected="columns block, row, col, value"))
    block = tbl.column("block").combine_chunks()
    if isinstance(block, pa.DictionaryArray):
        bnames, bcodes = block.dictionary.to_pylist(), block.indices.to_numpy(zero_copy_only=False)
    else:  # tolerate a plain string column
        bnames, bcodes = np.unique(block.to_numpy(zero_copy_only=False), return_inverse=True)
        bnames = list(bnames)
    rows = tbl.column("row").to_numpy()
    cols = tbl.column("col").to_numpy()
    vals = tbl.column("value").to_numpy()
    if storage == "auto":
        nz = int(np.count_nonzero(bcodes == bnames.index("Z"))) if "Z" in bnames else 0
        sparse_z = sparse_wanted(storage, shapes["Z"][0], nz)
    if not sparse_z:
        arrays["Z"] = np.zeros(shapes["Z"], dtype=np.float64)
    for i, b in enumerate(bnames):
        sel = bcodes == i
        if not sel.any():
            continue
        if b not in shapes:
            raise FormatError(message(fname, "data block not described in the metadata",
                                      found=repr(b), expected=f"one of {sorted(shapes)}"))
        shape = tuple(shapes[b]) if len(shapes[b]) == 2 else (shapes[b][0], 1)
        r, c, v = rows[sel], cols[sel], vals[sel]
        if r.min() < 0 or c.min() < 0 or r.max() >= shape[0] or c.max() >= shape[1]:
            raise FormatError(message(fname, f"block {b!r} has an entry outside its shape",
                                      found=f"row {r.max()}, col {c.max()}",
                                      expected=f"shape {shapes[b]}"))
        if b in ARRAYS and not np.isfinite(v).all():
            raise FormatError(message(fname, f"block {b!r} holds a value that is not finite",
                                      found=repr(float(v[~np.isfinite(v)][0])),
                                      expected="finite numbers"))
        if b == "Z" and sparse_z:  # CSR straight from the entries, never an n×n array
            arrays["Z"] = sp.csr_array((v, (r, c)), shape=shape)
            continue
        a = arrays[b] if arrays[b].ndim == 2 else arrays[b][:, None]
        a[r, c] = v

    if "Z" not in arrays:  # a table whose Z has no entry at all
        arrays["Z"] = sp.csr_array(tuple(shapes["Z"]))
    pr = _frame_from_json(meta["primary"])
    fd = _frame_from_json(meta["final_demand"])
    sats = {}
    for s in meta["satellites"]:
        k = s["key"]
        sats[k] = Satellite(s["name"], arrays[f"sat:{k}"], s["unit"], s["name_zh"], s["name_en"],
                            arrays.get(f"satfd:{k}"))
    comp = meta["compensation_row"]
    return IOTable(
        arrays["Z"], arrays["Y"], arrays["V"], arrays["x"],
        sectors=_frame_from_json(meta["sectors"]), final_demand_labels=fd, primary_labels=pr,
        value_added_rows=tuple(pr.index[i] for i in meta["value_added_rows"]),
        compensation_row=None if comp is None else pr.index[comp],
        household_columns=tuple(fd.index[i] for i in meta["household_columns"]),
        Zm_=arrays.get("Zm"), Ym_=arrays.get("Ym"), discrepancy_=arrays.get("discrepancy"),
        Zr_=arrays.get("Zr"), Yr_=arrays.get("Yr"),
        satellites=sats, unit=meta["unit"], year=meta["year"], source=meta["source"],
        name=name or meta["name"], imports=meta["imports"], rtol=meta["rtol"],
        allow_negative_flows=meta["allow_negative_flows"], notes=_notes(meta, fname),
        province=meta.get("province"),
    )


def _notes(meta: dict, fname: str) -> tuple:
    """The table's notes, each with its Chinese twin from ``notes_zh`` (parallel to ``notes``;
    absent in files written before it existed: the notes come back as plain English text)."""
    en, zh = meta["notes"], meta.get("notes_zh")
    if zh is not None and (not isinstance(zh, list) or len(zh) != len(en)
                           or not all(isinstance(z, str) for z in zh)):
        raise FormatError(message(fname, "the 'lianpu' metadata is malformed: notes_zh is not "
                                  "parallel to notes",
                                  found=(f"{len(zh)} entries" if isinstance(zh, list)
                                         else type(zh).__name__),
                                  expected=f"a list of {len(en)} strings, one per note"))
    return pair(en, zh)


def _guess(path: Path) -> bool:
    path = Path(path)
    if path.suffix.lower() != ".parquet":
        return False
    try:
        return KEY in (pq.read_schema(path).metadata or {})
    except (pa.ArrowException, OSError):  # a broken or foreign Parquet file is not ours
        return False


def _diagnose(path: Path):
    if Path(path).suffix.lower() != ".parquet":
        return None
    try:
        meta = pq.read_schema(path).metadata or {}
    except (pa.ArrowException, OSError) as exc:  # a diagnosis never raises
        return 0.3, f"cannot read the file as Parquet ({type(exc).__name__}: {str(exc)[:120]})"
    if KEY not in meta:
        return 0.3, "a Parquet file without 'lianpu' metadata (not written by IOTable.save)"
    return 0.3, "a lianpu Parquet file that failed the format check"


READER = Reader(
    name="native",
    description="lianpu native lossless table (*.parquet written by IOTable.save: sparse blocks "
                "+ JSON metadata)",
    guess_can_open=_guess,
    open=load,
    diagnose=_diagnose,
)
