"""Write a table to Excel (one sheet per block, units in headers), CSV (the generic wide
template layout, readable back by ``lianpu.load``) or native Parquet. All writes are atomic."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .atomic import atomic_path
from .core.codes import code_str
from .core.errors import FormatError
from .safe_text import neutralise_writer, xlsx_frame

SUFFIXES = (".xlsx", ".csv", ".parquet")


def _flat(index: pd.Index) -> list[str]:
    return [code_str(c) for c in index]


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
    sheets.update(_readback_sheets(t, codes, fd, pr, block))
    sheets["meta 元数据"] = pd.DataFrame(
        {"field": ["name", "source", "year", "unit", "imports", "value_added_rows",
                   "compensation_row", "household_columns"] + list(_extra_meta(t)),
         "value": [t.name, t.source, t.year, t.unit, t.imports, _codes_json(t.value_added_rows),
                   _codes_json([t.compensation_row] if t.compensation_row is not None else []),
                   _codes_json(t.household_columns)] + list(_extra_meta(t).values())})
    return sheets


# what lianpu.load needs to read the workbook back as the same table
# (lianpu.readers.workbook): label sheets with roles, the optional blocks, the scalar fields
LABEL_HEAD = ["name_zh 中文名称", "name_en English name", "role 角色"]


def _codes_json(codes) -> str:
    import json
    return json.dumps(_flat(pd.Index(list(codes), tupleize_cols=False)) if codes else [],
                      ensure_ascii=False)


def _labels_sheet(frame: pd.DataFrame, role: bool) -> pd.DataFrame:
    out = frame.reset_index()
    names = [n if n is not None else "code" for n in frame.index.names]
    out.columns = names + LABEL_HEAD[:2] + (LABEL_HEAD[2:] if role else [])
    return out


def _readback_sheets(t, codes, fd, pr, block) -> dict[str, pd.DataFrame]:
    sheets = {"FD 最终使用类别": _labels_sheet(t.final_demand_labels[["name_zh", "name_en", "role"]], True),
              "VA 初始投入项目": _labels_sheet(t.primary_labels[["name_zh", "name_en", "role"]], True)}
    if t.discrepancy_ is not None:
        sheets["ERR 统计误差"] = block(pd.DataFrame({"ERR": t.discrepancy_}), codes, ["ERR"])
    if t.Zr_ is not None:
        sheets["Zr 省外流入中间投入"] = block(t.Zr, codes, codes)
        sheets["Yr 省外流入最终使用"] = block(t.Yr, codes, fd)
    if t.satellites:
        sheets["SAT 卫星账户项目"] = pd.DataFrame(
            [(k, s.unit, s.name_zh, s.name_en) for k, s in t.satellites.items()],
            columns=["key", "unit", "name_zh 中文名称", "name_en English name"])
        with_fd = [(k, s) for k, s in t.satellites.items() if s.final_demand is not None]
        if with_fd:
            sheets["FY 卫星账户最终使用"] = pd.DataFrame(
                [s.final_demand for _, s in with_fd], columns=fd, index=[k for k, _ in with_fd])
    return sheets


def _extra_meta(t) -> dict:
    import json

    from .core.notes import notes_zh
    return {"format": "lianpu workbook 1", "notes": json.dumps(list(t.notes), ensure_ascii=False),
            # the notes' Chinese twins, parallel to notes (read back by lianpu.core.notes.pair)
            "notes_zh": json.dumps(list(notes_zh(t.notes)), ensure_ascii=False),
            "province": t.province or "", "rtol": t.rtol,
            "allow_negative_flows": str(bool(t.allow_negative_flows)).lower(),
            "sector_index_names": json.dumps(list(t.index.names), ensure_ascii=False)}


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
        from .readers.workbook import exact_floats  # read back by lianpu.load, bit for bit
        with atomic_path(path) as tmp, exact_floats():
            with pd.ExcelWriter(tmp, engine="openpyxl") as xw:
                for name, df in table_sheets(t).items():
                    xlsx_frame(df).to_excel(xw, sheet_name=name[:31],
                                index=not name.startswith(("sectors", "meta", "FD ", "VA ", "SAT ")))
                neutralise_writer(xw)  # sector names like '=HYPERLINK(…)' stay text
    return path
