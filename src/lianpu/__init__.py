"""链谱 lianpu — industrial-chain analytics on input-output tables.

Public API::

    import lianpu
    t = lianpu.load("cn-nbs-2020-153")           # dataset id or file path
    lianpu.multipliers(t, "output")              # Series by sector, unit in .attrs
"""
from .analysis.multipliers import ghosh_inverse, leontief_inverse, multipliers
from .core.errors import (BalanceError, DatasetError, DownloadError, FormatError, LianpuError,
                          ProductivityError, TableError)
from .io import load
from .table import IOTable, Satellite

__version__ = "0.1.0"
__all__ = [
    "IOTable", "Satellite", "load", "multipliers", "leontief_inverse", "ghosh_inverse",
    "LianpuError", "TableError", "BalanceError", "ProductivityError", "FormatError",
    "DatasetError", "DownloadError",
]
