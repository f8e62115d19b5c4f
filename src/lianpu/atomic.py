"""Atomic file writes: write to a temporary file beside the target, then ``os.replace``.

A failed or interrupted write leaves the previous file (if any) untouched and no partial file
under the target name.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


@contextlib.contextmanager
def atomic_path(target):
    """Yield a temporary path in the target's folder; on success move it onto ``target``.

    >>> with atomic_path("out.xlsx") as tmp:   # doctest: +SKIP
    ...     frame.to_excel(tmp)
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part" + target.suffix,
                               dir=target.parent)
    os.close(fd)
    tmp = Path(tmp)
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


@contextlib.contextmanager
def atomic_open(target, mode: str = "wb", **kw):
    """Open a temporary file for writing; it replaces ``target`` only if the block succeeds."""
    with atomic_path(target) as tmp:
        with open(tmp, mode, **kw) as fh:
            yield fh
