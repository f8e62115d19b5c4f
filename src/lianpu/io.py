"""``lianpu.load``: one entry point for dataset ids and files."""
from __future__ import annotations

from pathlib import Path

from .core.errors import FormatError, check_choice
from .readers.base import open_table

#: a source ending so is a file name, never a dataset id: a missing one is "file not found"
FILE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".parquet", ".rda",
                 ".rdata", ".rds", ".zip", ".gz", ".json", ".toml")


def load(source, format: str | None = None, *, data_dir=None, storage: str = "dense",
         **kwargs):
    """Load a table from a registry id (e.g. ``cn-nbs-2020-153``) or a file path.

    A string that names an existing path is a file; otherwise it is looked up in the dataset
    registry (:mod:`lianpu.data.registry`) and read from the cache directory.
    ``storage``: how Z is held — "dense" (default), "sparse" (a scipy CSR array: O(nnz)
    validation, solver and multipliers; see :class:`lianpu.IOTable`) or "auto" (sparse from
    2000 sectors under 5 % non-zeros). Parquet, OECD ICIO and EXIOBASE build a sparse Z
    straight from the file; other formats are converted after reading.
    """
    check_choice(storage, ("auto", "dense", "sparse"), argument="storage")
    p = Path(str(source))
    if p.exists() or format is not None:
        return open_table(p, format=format, storage=storage, **kwargs)
    if p.suffix.lower() in FILE_SUFFIXES:
        raise FormatError(f"{source}: file not found (not a file, and a dataset id has no "
                          f"'{p.suffix}' ending)")
    from .data.registry import load_dataset
    return load_dataset(str(source), data_dir=data_dir, storage=storage, **kwargs)
