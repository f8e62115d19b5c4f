"""Writing lianpu's native format (one Parquet file: the non-zero entries of every block, the
labels and metadata as JSON in the schema): :func:`save`, used by :meth:`IOTable.save`.
Reading it back is :mod:`lianpu.readers.native`; this half needs nothing but the table's
public fields, so the table can call it without a circle."""
from __future__ import annotations

import json

import numpy as np
import scipy.sparse as sp
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..atomic import atomic_path
from ..core.notes import notes_zh

KEY = b"lianpu"
VERSION = 1
ARRAYS = {"Z": "Z_", "Y": "Y_", "V": "V_", "x": "x_", "Zm": "Zm_", "Ym": "Ym_",
          "discrepancy": "discrepancy_", "Zr": "Zr_", "Yr": "Yr_"}


def _py(v):
    """A JSON-able Python scalar (numpy scalars → Python; tuples → lists)."""
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, tuple):
        return [_py(e) for e in v]
    return v


def _frame_to_json(df: pd.DataFrame) -> dict:
    idx = df.index
    lv = [idx.get_level_values(i) for i in range(idx.nlevels)]
    return {"index": [list(map(_py, v)) for v in lv], "index_names": [_py(n) for n in idx.names],
            "index_dtypes": [str(v.dtype) for v in lv], "multi": isinstance(idx, pd.MultiIndex),
            "columns": [[_py(c), list(map(_py, df[c].tolist())), str(df[c].dtype)]
                        for c in df.columns]}


def _positions(labels, wanted) -> list[int]:
    labels = list(labels)
    return [labels.index(w) for w in wanted]


def _nonzero(a: np.ndarray):
    """Positions and values of entries that are not +0.0 (−0.0 counts as non-zero); a sparse
    block (a sparse Z) gives its stored entries."""
    if sp.issparse(a):
        c = sp.coo_array(a)
        return c.row.astype(np.int32), c.col.astype(np.int32), c.data.astype(np.float64)
    a2 = a if a.ndim == 2 else a[:, None]
    r, c = np.nonzero((a2 != 0) | np.signbit(a2))
    return r.astype(np.int32), c.astype(np.int32), a2[r, c].astype(np.float64)


def _blocks(table) -> dict[str, np.ndarray]:
    out = {b: getattr(table, a) for b, a in ARRAYS.items() if getattr(table, a) is not None}
    for key, s in table.satellites.items():
        out[f"sat:{key}"] = s.values
        if s.final_demand is not None:
            out[f"satfd:{key}"] = s.final_demand
    return out


def _metadata(table, shapes: dict) -> dict:
    pr, fd = table.primary_labels.index, table.final_demand_labels.index
    return {
        "format": "lianpu-native", "version": VERSION, "shapes": shapes,
        "sectors": _frame_to_json(table.sectors),
        "final_demand": _frame_to_json(table.final_demand_labels),
        "primary": _frame_to_json(table.primary_labels),
        "value_added_rows": _positions(pr, table.value_added_rows),
        "compensation_row": (None if table.compensation_row is None
                             else _positions(pr, [table.compensation_row])[0]),
        "household_columns": _positions(fd, table.household_columns),
        "satellites": [{"key": k, "name": s.name, "unit": s.unit, "name_zh": s.name_zh,
                        "name_en": s.name_en} for k, s in table.satellites.items()],
        "unit": table.unit, "year": None if table.year is None else int(table.year),
        "source": table.source, "name": table.name, "imports": table.imports,
        "rtol": float(table.rtol), "allow_negative_flows": bool(table.allow_negative_flows),
        "notes": [_py(n) for n in table.notes], "province": table.province,
        "notes_zh": list(notes_zh(table.notes)),  # parallel to notes (lianpu.core.notes.pair)
    }


def save(table, path) -> None:
    """Write ``table`` to ``path`` (``*.parquet``) losslessly; atomic (old file kept on failure)."""
    blocks = _blocks(table)
    names, rows, cols, vals, codes = [], [], [], [], []
    for i, (b, a) in enumerate(blocks.items()):
        r, c, v = _nonzero(a if sp.issparse(a) else np.asarray(a))
        names.append(b)
        rows.append(r), cols.append(c), vals.append(v)
        codes.append(np.full(len(v), i, dtype=np.int32))
    cat = lambda parts, dt: np.concatenate(parts) if parts else np.zeros(0, dt)  # noqa: E731
    block = pa.DictionaryArray.from_arrays(pa.array(cat(codes, np.int32)),
                                           pa.array(names, type=pa.string()))
    tbl = pa.table({"block": block, "row": pa.array(cat(rows, np.int32)),
                    "col": pa.array(cat(cols, np.int32)), "value": pa.array(cat(vals, np.float64))})
    shapes = {b: list(np.shape(a)) for b, a in blocks.items()}
    meta = json.dumps(_metadata(table, shapes), ensure_ascii=False, allow_nan=True)
    tbl = tbl.replace_schema_metadata({KEY: meta.encode("utf-8")})
    with atomic_path(path) as tmp:
        pq.write_table(tbl, tmp, compression="zstd")
