"""The one shape of an analysis result, and the one JSON encoder.

Every public analysis returns a :class:`Result`:

- dataclass results (``Chain``, ``Spillover``, ``ImpactResult`` …) subclass it and implement
  ``to_dict()`` (plain Python: codes, numbers, notes) and, where the result is tabular,
  ``to_frame()``;
- results that are a table by nature (``multipliers`` → :class:`ResultSeries`,
  ``keysectors`` → :class:`ResultFrame`) stay a pandas Series/DataFrame — everything pandas
  offers still works — and add the same ``to_json()``.

``to_json()`` is written once, here: strict JSON (NaN and ±inf → ``null``; ``json.loads(...,
parse_constant=...)`` never sees a bare ``NaN``), MRIO codes as ``"REGION/SECTOR"``, the
keys ``unit`` and ``basis`` always present (``null`` only where a result truly has none), and
beside a ``notes`` list its Chinese, ``notes_zh`` (parallel; :func:`lianpu.core.notes.notes_zh`:
each note's twin, a note without one as written), unless the result writes ``notes_zh`` itself.
:func:`jsonable` / :func:`dumps` are the encoder the CLI's ``--json``, the dashboard's API and
the report's data files use too.
"""
from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping
from pathlib import PurePath

import numpy as np
import pandas as pd

from ..core.codes import code_str  # noqa: F401 (re-exported: results write codes this way)
from ..core.notes import notes_zh


def frame_records(df: pd.DataFrame, index_name: str = "sector") -> list[dict]:
    """Rows of ``df`` as dicts with the index under ``index_name`` (MRIO codes as 'R/S')."""
    name = df.index.name if index_name is None else index_name
    out = []
    for idx, row in zip(df.index, df.to_dict("records")):
        rec = {str(name or "index"): code_str(idx)}
        rec.update({code_str(k): jsonable(v) for k, v in row.items()})
        out.append(rec)
    return out


def jsonable(v):
    """Plain Python for JSON: NaN/±inf → None, numpy → Python, tuple keys → 'A/B' codes,
    frames → records, units and bases → their text/dict, results → their dict."""
    if isinstance(v, Result) and not isinstance(v, (pd.Series, pd.DataFrame)):
        return jsonable(v._payload())   # pandas results inside a dict stay records / mappings
    if isinstance(v, Mapping):
        return {code_str(k): jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple, set, frozenset)):
        return [jsonable(x) for x in v]
    if isinstance(v, pd.DataFrame):
        return frame_records(v)
    if isinstance(v, pd.Series):
        return {code_str(k): jsonable(x) for k, x in v.items()}
    if isinstance(v, pd.Index):
        return [code_str(x) for x in v]
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(v, np.ndarray):
        return [jsonable(x) for x in v.tolist()]
    if isinstance(v, PurePath):
        return str(v)
    if v is None or isinstance(v, str):
        return v
    if type(v).__name__ == "Unit":            # core.units.Unit: its label, as tables write it
        return str(v)
    if hasattr(v, "to_dict"):                  # Basis and other small value objects
        return jsonable(v.to_dict())
    if dataclasses.is_dataclass(v):
        return jsonable(dataclasses.asdict(v))
    if isinstance(v, (pd.Timestamp, np.datetime64)):
        return str(v)
    raise TypeError(f"cannot write {type(v).__name__} as JSON")


def dumps(obj, *, indent: int | None = 2) -> str:
    """Strict JSON text (``allow_nan=False``; Chinese kept as written)."""
    return json.dumps(jsonable(obj), ensure_ascii=False, indent=indent, allow_nan=False)


def _attr_or_none(obj, name):
    v = getattr(obj, name, None)
    return None if callable(v) else v


class Result:
    """Base of every analysis result: ``to_json()`` once, ``unit`` and ``basis`` always there.

    Subclasses implement ``to_dict(**options)``; the JSON is that dict plus ``unit`` and
    ``basis`` (taken from the attributes of those names when the dict does not carry them)
    and, where it has a ``notes`` list and no ``notes_zh``, ``notes_zh`` parallel to it.
    """

    __slots__ = ()

    def _result_dict(self, **options) -> dict:
        """The result's own fields (``to_dict``; the pandas results build theirs)."""
        return dict(self.to_dict(**options))

    def _payload(self, **options) -> dict:
        d = self._result_dict(**options)
        if "unit" not in d:
            d["unit"] = _attr_or_none(self, "unit")
        if "basis" not in d:
            d["basis"] = _attr_or_none(self, "basis")
        notes = d.get("notes")
        if "notes_zh" not in d and isinstance(notes, (list, tuple)):
            d["notes_zh"] = list(notes_zh(notes))
        return d

    def to_json(self, *, indent: int | None = 2, **options) -> str:
        """Strict JSON of :meth:`to_dict` (``options`` go to it, e.g. ``rows=`` on a chain)."""
        return dumps(self._payload(**options), indent=indent)


def _pandas_meta(obj) -> dict:
    a = obj.attrs
    basis = a.get("basis_info") or a.get("basis")
    return {"unit": a.get("unit"), "basis": basis,
            **{k: v for k, v in a.items() if k not in ("unit", "basis", "basis_info", "zh", "en")}}


class _PandasResult(Result):
    """``to_json`` of the pandas results, keeping pandas' signature (``path_or_buf`` first:
    the JSON is also written there, atomically)."""

    __slots__ = ()

    def to_json(self, path_or_buf=None, *, indent: int | None = 2, **options) -> str:
        text = dumps(self._payload(), indent=indent)
        if path_or_buf is not None:
            from ..atomic import atomic_open
            with atomic_open(path_or_buf, "w", encoding="utf-8") as fh:
                fh.write(text)
        return text


class ResultSeries(_PandasResult, pd.Series):
    """A Series result (``multipliers``): pandas in every respect; ``to_json`` is the
    result's (name, unit, basis, notes from ``attrs``, then ``values`` by sector code)."""

    _metadata: list = []

    @property
    def _constructor(self):          # arithmetic and slicing give a plain Series
        return pd.Series

    @property
    def _constructor_expanddim(self):
        return pd.DataFrame

    def _result_dict(self, **options) -> dict:
        meta = _pandas_meta(self)
        return {"name": None if self.name is None else str(self.name), **meta,
                "values": [{"sector": code_str(k), "value": jsonable(v)} for k, v in self.items()]}


class ResultFrame(_PandasResult, pd.DataFrame):
    """A DataFrame result (``keysectors``): pandas in every respect; ``to_json`` gives
    unit, basis, notes from ``attrs`` and the rows as records keyed by sector code."""

    _metadata: list = []

    @property
    def _constructor(self):
        return pd.DataFrame

    @property
    def _constructor_sliced(self):
        return pd.Series

    def _result_dict(self, **options) -> dict:
        return {**_pandas_meta(self), "rows": frame_records(self)}


def as_series(s: pd.Series) -> ResultSeries:
    """``s`` as a :class:`ResultSeries` (same values, index, name and attrs; a copy)."""
    r = ResultSeries(s.to_numpy(copy=True), index=s.index.copy(), name=s.name)
    r.attrs = dict(s.attrs)
    return r


def as_frame(df: pd.DataFrame) -> ResultFrame:
    """``df`` as a :class:`ResultFrame` (a copy, attrs kept)."""
    r = ResultFrame(df.copy())
    r.attrs = dict(df.attrs)
    return r


def readonly(df):
    """A copy of a frame/series for a result's field (callers cannot change the result)."""
    return None if df is None else df.copy()
