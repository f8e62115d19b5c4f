"""How an IOTable holds Z 存储方式: dense, sparse (a scipy CSR array), or chosen by size and
density ("auto") — the one rule every reader, the registry and the CLI's ``--storage`` apply.

Kept apart from :mod:`lianpu.table` (it works on any table through ``storage``, ``n``, ``Z_``
and ``evolve``) so that the readers' registry can apply it without importing the table.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .core.errors import check_choice

#: "auto" storage keeps Z sparse below this share of non-zeros (and from SPARSE_MIN_N sectors)
SPARSE_DENSITY = 0.05
SPARSE_MIN_N = 2000
STORAGES = ("auto", "dense", "sparse")


def sparse_wanted(storage: str, n: int, nnz: int) -> bool:
    """Whether Z is to be held sparse: asked ("sparse"), or "auto" on a large, sparse Z."""
    return storage == "sparse" or (storage == "auto" and n >= SPARSE_MIN_N
                                   and nnz < SPARSE_DENSITY * n * n)


def with_storage(table, storage: str):
    """``table`` with Z held as ``storage`` asks: "dense" densifies a sparse table
    (``table.dense()``), "sparse"/"auto" convert a dense one to CSR where :func:`sparse_wanted`."""
    check_choice(storage, STORAGES, argument="storage")
    if storage == "dense":
        return table.dense()
    if table.storage == "sparse" or not sparse_wanted(storage, table.n,
                                                       int(np.count_nonzero(table.Z_))):
        return table
    return table.evolve(Z_=sp.csr_array(table.Z_))


__all__ = ["SPARSE_DENSITY", "SPARSE_MIN_N", "STORAGES", "sparse_wanted", "with_storage"]
