"""The reader contract and registry.

A reader is an object with

- ``name`` (str): the format id used by ``lianpu.load(path, format=name)``;
- ``description`` (str): one line for ``lianpu formats`` and error messages;
- ``guess_can_open(path) -> bool``: cheap sniffing (extension, header) — must not raise;
- ``open(path, **kwargs) -> IOTable``: read and validate; raise :class:`FormatError` naming
  file, row and column on anything unexpected.

Readers are found through the ``lianpu.readers`` entry-point group, so a third-party package
registers one exactly as lianpu registers its own (see pyproject.toml).
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from typing import Callable

from ..core.errors import FormatError


@dataclass(frozen=True)
class Reader:
    name: str
    description: str
    guess_can_open: Callable[[Path], bool]
    open: Callable[..., object]


_cache: dict[str, Reader] | None = None


def readers() -> dict[str, Reader]:
    """All registered readers by name (loaded once from entry points)."""
    global _cache
    if _cache is None:
        found = {}
        for ep in entry_points(group="lianpu.readers"):
            try:
                reader = ep.load()
            except Exception as exc:  # a broken plug-in must not take the others down
                warnings.warn(f"lianpu reader plug-in {ep.name!r} ({ep.value}) failed to load: "
                              f"{type(exc).__name__}: {exc}", RuntimeWarning, stacklevel=2)
                continue
            found[reader.name] = reader
        _cache = found
    return _cache


def get_reader(name: str) -> Reader:
    r = readers()
    if name not in r:
        raise FormatError(f"argument 'format': unknown format {name!r} "
                          f"(expected one of: {', '.join(sorted(r))})")
    return r[name]


def detect(path: Path) -> Reader:
    """The first reader whose ``guess_can_open`` accepts the file, or a FormatError listing all."""
    for reader in readers().values():
        try:
            if reader.guess_can_open(path):
                return reader
        except Exception:  # sniffing must never decide by crashing; the next reader is asked
            continue
    known = "; ".join(f"{r.name} ({r.description})" for r in readers().values())
    raise FormatError(f"{path}: unknown table format (known formats: {known})")


def open_table(path, format: str | None = None, **kwargs):
    """Open a table file with the named reader, or auto-detect the format."""
    path = Path(path)
    if not path.exists():
        raise FormatError(f"{path}: file not found")
    reader = get_reader(format) if format else detect(path)
    return reader.open(path, **kwargs)
