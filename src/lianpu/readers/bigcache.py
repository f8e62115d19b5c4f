"""The Parquet cache of the big MRIO readers (:mod:`.icio`, :mod:`.exiobase`).

Parsing a 3,500- or 9,800-sector text table takes minutes; the parsed table is written once in
lianpu's native format (:func:`lianpu.readers.native.save`) to
``{data dir}/parsed/{reader}/{source stem}-{key}.parquet`` and read from there afterwards.
``key`` hashes the source's absolute path, size and modification time (ns; for an extracted
folder, those of every file in it) with the reader's
own options and cache version, so a changed source file (or other options) can never be served
a stale table: it gets a new key, and the older cache files of the same source are removed.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Callable

from ..core.errors import FormatError
from ..data.cache import data_dir as _data_dir


def source_key(path: Path, options: dict, version: int) -> str:
    """A hex key of ``path``'s identity (absolute path, size, mtime) and the reading options."""
    if path.is_dir():  # an extracted folder: every file's size and mtime
        files = sorted(p for p in path.rglob("*") if p.is_file())
        ident = [[p.relative_to(path).as_posix(), p.stat().st_size, p.stat().st_mtime_ns]
                 for p in files]
    else:
        st = path.stat()
        ident = [st.st_size, st.st_mtime_ns]
    rec = {"path": str(path.resolve()), "ident": ident, "options": options, "version": version}
    return hashlib.sha256(json.dumps(rec, sort_keys=True, default=str).encode()).hexdigest()[:16]


def cache_path(reader: str, path: Path, options: dict, version: int, data_dir=None) -> Path:
    stem = path.name.replace(".", "_")
    return (_data_dir(data_dir) / "parsed" / reader
            / f"{stem}-{source_key(path, options, version)}.parquet")


def cached(reader: str, path: Path, options: dict, version: int, parse: Callable[[], object], *,
           use_cache: bool = True, data_dir=None, name: str | None = None,
           storage: str = "dense"):
    """The table parsed from ``path``: from the cache if it holds this exact source, else
    ``parse()`` and (with ``use_cache``) store the result for the next load. ``storage``
    ("dense", "sparse", "auto": :func:`lianpu.readers.native.load`) is how Z is held; the
    cache file is the same for all three (it stores the non-zero entries)."""
    from ..table_storage import with_storage
    from .native import load, save  # native imports the table module: only when needed
    if not use_cache:
        return with_storage(parse(), storage)
    target = cache_path(reader, path, options, version, data_dir)
    if target.is_file():
        try:
            return load(target, name=name, storage=storage)
        except FormatError:  # unreadable (e.g. written by a newer lianpu): parse again
            pass
    table = parse()
    target.parent.mkdir(parents=True, exist_ok=True)
    for old in target.parent.glob(f"{target.name.rsplit('-', 1)[0]}-*.parquet"):
        old.unlink(missing_ok=True)  # the same source before it changed: never valid again
    save(table, target)
    return with_storage(table, storage)
