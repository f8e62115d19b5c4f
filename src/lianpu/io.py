"""``lianpu.load``: one entry point for dataset ids and files."""
from __future__ import annotations

from pathlib import Path

from .readers.base import open_table


def load(source, format: str | None = None, *, data_dir=None, **kwargs):
    """Load a table from a registry id (e.g. ``cn-nbs-2020-153``) or a file path.

    A string that names an existing path is a file; otherwise it is looked up in the dataset
    registry (:mod:`lianpu.data.registry`) and read from the cache directory.
    """
    p = Path(str(source))
    if p.exists() or format is not None:
        return open_table(p, format=format, **kwargs)
    from .data.registry import load_dataset
    return load_dataset(str(source), data_dir=data_dir, **kwargs)
