"""The hostile corpus's context and file-mutation helpers (issue 14): the real sources read
once (:class:`Ctx`) and small edits of their rows, metadata and archives. The cases that use
them are in :mod:`make_corpus`."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

NBS = "cn/nbs/cn_io_2015_42.csv"
OECD = "cn/oecd-icio-2021/oecd2021_chn_2018.csv"


class Ctx:
    """Sources read once; ``out`` is the folder the cases are written into."""

    def __init__(self, data: Path, out: Path):
        import lianpu
        from lianpu.readers.generic import write_table
        self.data, self.out = Path(data), Path(out)
        self.nbs_text = (self.data / NBS).read_text(encoding="utf-8")
        self.oecd_text = (self.data / OECD).read_text(encoding="utf-8")
        self.table = lianpu.load(self.data / NBS)
        self.oecd = lianpu.load(self.data / OECD)
        self.generic_path = self.out / "_generic_src.csv"
        write_table(self.table, self.generic_path)
        self.generic_text = self.generic_path.read_text(encoding="utf-8-sig")
        self.native_path = self.out / "_native_src.parquet"
        self.table.save(self.native_path)

    def write(self, name: str, data, encoding="utf-8") -> Path:
        p = self.out / name
        p.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
        return p

    def lines(self, which="nbs") -> list[str]:
        return {"nbs": self.nbs_text, "oecd": self.oecd_text,
                "generic": self.generic_text}[which].splitlines()

    def cell(self, which: str, code: str, col: str, value: str) -> str:
        """The text with the cell (row ``code``, column ``col``) replaced (naive CSV edit:
        the real files quote only names, which lie before any numeric column)."""
        import csv
        rows = list(csv.reader(io.StringIO({"nbs": self.nbs_text, "oecd": self.oecd_text,
                                            "generic": self.generic_text}[which])))
        j = rows[0].index(col)
        for r in rows:
            if r[0].strip() == code:
                r[j] = value
                break
        else:  # pragma: no cover - corpus bug
            raise KeyError(code)
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        return buf.getvalue()

    def rows(self, which="nbs"):
        import csv
        return list(csv.reader(io.StringIO({"nbs": self.nbs_text, "oecd": self.oecd_text,
                                            "generic": self.generic_text}[which])))

    @staticmethod
    def join(rows, delimiter=",") -> str:
        import csv
        buf = io.StringIO()
        csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows(rows)
        return buf.getvalue()

    def native(self, name: str, edit) -> Path:
        """A copy of the native file whose JSON metadata went through ``edit(meta)``."""
        import pyarrow.parquet as pq
        tbl = pq.read_table(self.native_path)
        meta = json.loads(tbl.schema.metadata[b"lianpu"])
        meta = edit(meta)
        raw = meta if isinstance(meta, bytes) else json.dumps(meta).encode()
        tbl = tbl.replace_schema_metadata({b"lianpu": raw})
        p = self.out / name
        pq.write_table(tbl, p)
        return p

    def demand(self, name: str, body: str, encoding="utf-8") -> Path:
        return self.write(name, "sector,amount,unit\n" + body, encoding)


def _drop_col(rows, col):
    j = rows[0].index(col)
    return [r[:j] + r[j + 1:] for r in rows]


def _set_meta(key, value):
    def edit(m):
        m[key] = value
        return m
    return edit


def _set_shape(block, shape):
    def edit(m):
        m["shapes"][block] = shape
        return m
    return edit


def _xlsx(ctx: Ctx, name: str, edit=None) -> Path:
    """An NBS table as .xlsx (pandas/openpyxl), optionally with one cell edited."""
    import pandas as pd
    rows = ctx.rows("nbs")
    if edit:
        rows = edit(rows)
    p = ctx.out / name
    pd.DataFrame(rows[1:], columns=rows[0]).to_excel(p, index=False)
    return p


def _zip(ctx: Ctx, name: str, members: dict) -> Path:
    p = ctx.out / name
    with zipfile.ZipFile(p, "w") as z:
        for k, v in members.items():
            z.writestr(k, v)
    return p


def _edit(rows, code, col, value):
    j = rows[0].index(col)
    for r in rows:
        if r[0].strip() == code:
            r[j] = value
    return rows


LONG = "S" * 300
FE, TE, AE = "FormatError", "TableError", "ArgumentError"
