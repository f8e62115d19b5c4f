"""Satellite accounts 卫星账户: rows of physical or social quantities per sector (jobs, …)
built from public data and attached to a table with :meth:`IOTable.with_satellite`."""
from .employment import employment_satellite

__all__ = ["employment_satellite"]
