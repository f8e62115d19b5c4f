"""Checks on an untrusted table file *before* a reader parses it (the dashboard's uploads).

A small file can declare a huge table: a Parquet file whose metadata says 6,000 dense sectors
(17.8 MB on disk, 2.6 GB once allocated), an ``.xlsx`` zip bomb (880 KB that inflate to 255 MB
of XML), a gzip'd ``.rda`` of the same kind. Each check reads only what the format declares —
the zip directory and sheet dimensions, the Parquet schema metadata, a CSV's header line and
line count, the decompressed length of a compressed stream — and raises :class:`TooBig` naming
the limit before anything of that size is allocated.

:func:`check_file` dispatches on the suffix; :func:`check_table` checks a parsed table against
the same limits (the last line of defence for formats without declared shapes).
"""
from __future__ import annotations

import bz2
import gzip
import json
import lzma
import math
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import FormatError

DENSE_COPIES = 6  # Z, A, the LU factors, Zm, a Leontief solve and scratch: n×n float64 each


class TooBig(FormatError):
    """A file or table over one of the limits of :class:`Limits` (HTTP 413 in the dashboard)."""


@dataclass(frozen=True)
class Limits:
    """What an untrusted table may declare.

    max_sectors : sectors (rows of Z) of the table.
    max_dense_mb : memory of the table's dense n×n blocks, estimated as
        ``8 bytes × n² × DENSE_COPIES``.
    max_cells : cells of a sheet or CSV, or entries of a Parquet file.
    max_unpacked_mb : bytes an archive or compressed stream may inflate to.
    max_ratio : largest compression ratio of one zip member (XML compresses 5–30×).
    """

    max_sectors: int = 2500
    max_dense_mb: int = 2048
    max_cells: int = 16_000_000
    max_unpacked_mb: int = 256
    max_ratio: float = 200.0

    def dense_mb(self, n: int) -> float:
        return 8.0 * n * n * DENSE_COPIES / 2**20

    def check_sectors(self, fname: str, n: int, what: str = "declares") -> None:
        if n > self.max_sectors:
            raise TooBig(f"{fname}: the table {what} {n:,} sectors, more than {self.max_sectors:,} "
                         "(the sector limit of this server)")
        if self.dense_mb(n) > self.max_dense_mb:
            raise TooBig(f"{fname}: the table {what} {n:,} sectors, whose dense blocks would "
                         f"need about {self.dense_mb(n):,.0f} MB, more than {self.max_dense_mb:,} "
                         "MB (the table memory limit of this server)")

    def check_cells(self, fname: str, cells: int, what: str) -> None:
        if cells > self.max_cells:
            raise TooBig(f"{fname}: {what} {cells:,} cells, more than {self.max_cells:,} "
                         "(the cell limit of this server)")


def check_file(path, limits: Limits = Limits()) -> None:
    """Raise :class:`TooBig` (or FormatError for a broken container) if ``path`` declares more
    than ``limits`` allow; read nothing beyond the declarations."""
    path = Path(path)
    suf = path.suffix.lower()
    if suf in (".xlsx", ".xlsm"):
        check_xlsx(path, limits)
    elif suf == ".parquet":
        check_parquet(path, limits)
    elif suf == ".csv":
        check_csv(path, limits)
    elif suf in (".rda", ".rdata"):
        check_compressed(path, limits)


# ---------------------------------------------------------------------------- xlsx
_DIM = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?\"")


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def check_xlsx(path: Path, limits: Limits = Limits()) -> None:
    """Zip bomb and size checks from the archive directory and each sheet's ``<dimension>``."""
    fname = path.name
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise FormatError(f"{fname}: not a valid .xlsx file (not a zip archive: {exc})") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > 10_000:
            raise TooBig(f"{fname}: the archive holds {len(infos):,} members, more than 10,000 "
                         "(not a plausible workbook)")
        total = sum(i.file_size for i in infos)
        cap = limits.max_unpacked_mb * 2**20
        if total > cap:
            raise TooBig(f"{fname}: the workbook declares {total / 2**20:,.0f} MB of content "
                         f"once unpacked, more than {limits.max_unpacked_mb:,} MB (the unpacked "
                         "size limit of this server)")
        for i in infos:
            ratio = i.file_size / max(i.compress_size, 1)
            if i.file_size > 1 << 20 and ratio > limits.max_ratio:
                raise TooBig(f"{fname}: member {i.filename!r} inflates {ratio:,.0f}× "
                             f"({i.compress_size:,} → {i.file_size:,} bytes), more than "
                             f"{limits.max_ratio:,.0f}× (a zip bomb, refused)")
        for i in infos:
            if not re.match(r"xl/worksheets/[^/]+\.xml$", i.filename):
                continue
            with zf.open(i) as fh:  # the dimension element comes first in the sheet's XML
                head = fh.read(16384)
            m = _DIM.search(head)
            if not m:
                # no dimension: each cell takes ≥ 10 bytes of XML, so the size bounds the cells
                limits.check_cells(fname, i.file_size // 10,
                                   f"sheet {i.filename!r} may hold up to")
                continue
            c1, r1, c2, r2 = (g.decode() if g else None for g in m.groups())
            if c2 is None:  # a single cell "A1"
                continue
            cells = (_col(c2) - _col(c1 or "A") + 1) * (int(r2) - int(r1 or 1) + 1)
            limits.check_cells(fname, cells, f"sheet {i.filename!r} declares")


# ---------------------------------------------------------------------------- parquet
def parquet_shapes(path: Path) -> dict[str, list[int]]:
    """The block shapes a lianpu Parquet file declares (``{}`` for other Parquet files)."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    try:
        raw = (pq.read_schema(path).metadata or {}).get(b"lianpu")
    except (pa.ArrowException, OSError) as exc:  # pyarrow's errors for a damaged footer
        raise FormatError(f"{path.name}: not a readable Parquet file ({exc})") from None
    if raw is None:
        return {}
    try:
        shapes = json.loads(raw).get("shapes", {})
    except (ValueError, AttributeError):
        return {}
    return {k: [int(d) for d in v] for k, v in shapes.items()
            if isinstance(v, list) and all(isinstance(d, int) and d >= 0 for d in v)}


def check_parquet(path: Path, limits: Limits = Limits()) -> None:
    import pyarrow.parquet as pq
    fname = path.name
    shapes = parquet_shapes(path)
    z = shapes.get("Z")
    if z:
        limits.check_sectors(fname, max(z))
    dense_mb = 8.0 * sum(math.prod(s) for s in shapes.values()) / 2**20
    if dense_mb > limits.max_dense_mb:
        raise TooBig(f"{fname}: the table's blocks declare {dense_mb:,.0f} MB of numbers, more "
                     f"than {limits.max_dense_mb:,} MB (the table memory limit of this server)")
    rows = pq.read_metadata(path).num_rows
    limits.check_cells(fname, rows, "the file holds")


# ---------------------------------------------------------------------------- csv
def check_csv(path: Path, limits: Limits = Limits()) -> None:
    """Header width × line count against the cell limit (a cheap pass over the bytes)."""
    fname = path.name
    with open(path, "rb") as fh:
        head = fh.readline(4 << 20)
        if head and not head.endswith(b"\n") and fh.read(1):
            raise TooBig(f"{fname}: the header line is longer than 4 MB (not a plausible "
                         "table)")
        lines = 1 + sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
    width = head.count(b",") + 1
    limits.check_cells(fname, width * lines, f"the CSV has {width:,} columns × {lines:,} lines =")
    n = min(width, lines)
    if n > limits.max_sectors + 64:  # a square table: sectors plus a few FD / VA lines
        limits.check_sectors(fname, n - 64, "has at least")


# ---------------------------------------------------------------------------- rda
_OPENERS = {b"\x1f\x8b": gzip.open, b"BZ": bz2.open, b"\xfd7": lzma.open}


def check_compressed(path: Path, limits: Limits = Limits()) -> None:
    """A compressed stream (R's .rda: gzip, bzip2 or xz) inflated and counted, not kept."""
    fname = path.name
    with open(path, "rb") as fh:
        magic = fh.read(2)
    opener = _OPENERS.get(magic)
    if opener is None:
        return
    cap = limits.max_unpacked_mb * 2**20
    got = 0
    try:
        with opener(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                got += len(chunk)
                if got > cap:
                    raise TooBig(f"{fname}: the file inflates to more than "
                                 f"{limits.max_unpacked_mb:,} MB (the unpacked size limit of "
                                 "this server)")
    except (OSError, EOFError, lzma.LZMAError) as exc:
        raise FormatError(f"{fname}: the compressed data is damaged ({exc})") from None


# ---------------------------------------------------------------------------- parsed table
def check_table(table, fname: str, limits: Limits = Limits()) -> None:
    """The parsed table against the sector and memory limits."""
    limits.check_sectors(fname, int(table.n), "has")
