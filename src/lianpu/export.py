"""Write a table to Excel (one sheet per block, units in headers), CSV (the generic wide
template layout, readable back by ``lianpu.load``) or native Parquet. All writes are atomic."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .atomic import atomic_path
from .core.errors import FormatError
from .safe_text import neutralise_writer

SUFFIXES = (".xlsx", ".csv", ".parquet")


def _flat(index: pd.Index) -> list[str]:
    return ["/".join(map(str, c)) if isinstance(c, tuple) else str(c) for c in index]


def table_sheets(t) -> dict[str, pd.DataFrame]:
    """The workbook content: labelled blocks with the unit in each sheet's header cell."""
    codes = _flat(t.index)
    labels = t.sectors.reset_index()
    labels.columns = [*(t.index.names if t.is_multiregional else ["code"]), "name_zh 中文名称",
                      "name_en English name"]
    u = f"[{t.unit}]"

    def block(df, rows, cols):
        out = pd.DataFrame(df.to_numpy(), index=rows, columns=cols)
        out.index.name = u
        return out

    fd = _flat(t.final_demand_labels.index)
    pr = _flat(t.primary_labels.index)
    sheets = {
        "sectors 部门": labels,
        "Z 中间流量": block(t.Z, codes, codes),
        "Y 最终使用": block(t.Y, codes, fd),
        "V 初始投入": block(t.V, pr, codes),
        "x 总产出": block(t.x.to_frame(f"x {u}"), codes, [f"x {u}"]),
    }
    if t.Zm_ is not None:
        sheets["Zm 进口中间投入"] = block(t.Zm, codes, codes)
        sheets["Ym 进口最终使用"] = block(t.Ym, codes, fd)
    if t.satellites:
        F = t.F
        sheets["F 卫星账户"] = pd.DataFrame(
            F.to_numpy(), columns=codes,
            index=[f"{k} [{s.unit}]" for k, s in t.satellites.items()])
    sheets["meta 元数据"] = pd.DataFrame(
        {"field": ["name", "source", "year", "unit", "imports", "value_added_rows",
                   "compensation_row", "household_columns"],
         "value": [t.name, t.source, t.year, t.unit, t.imports, ",".join(t.value_added_rows),
                   t.compensation_row or "", ",".join(t.household_columns)]})
    return sheets


def export_table(t, path) -> Path:
    """Write ``t`` to ``path`` by suffix (.xlsx, .csv, .parquet); returns the path."""
    path = Path(path)
    suf = path.suffix.lower()
    if suf not in SUFFIXES:
        raise FormatError(f"{path}: argument '--to': unknown export format {suf or '(none)'!r} "
                          f"(expected one of {', '.join(SUFFIXES)})")
    if suf == ".parquet":
        from .readers.native import save
        save(t, path)
    elif suf == ".csv":
        from .readers.generic import write_table
        write_table(t, path)
    else:
        with atomic_path(path) as tmp:
            with pd.ExcelWriter(tmp, engine="openpyxl") as xw:
                for name, df in table_sheets(t).items():
                    df.to_excel(xw, sheet_name=name[:31], index=not name.startswith(("sectors", "meta")))
                neutralise_writer(xw)  # sector names like '=HYPERLINK(…)' stay text
    return path
