"""Readers: one module per source format, all registered through the ``lianpu.readers``
entry-point group (built-ins exactly like third-party plug-ins). See :mod:`.base`."""
from .base import Reader, get_reader, open_table, readers

__all__ = ["Reader", "get_reader", "open_table", "readers"]
