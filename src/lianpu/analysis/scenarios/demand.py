"""Demand vectors and spending-profile files 需求向量与支出结构文件.

A *spending profile* says how much a project or scenario buys from each sector, in money, and
what share of each purchase is supplied by local (regional or domestic) producers — the rest
leaks out as imports. This is IMPLAN's local purchase percentage (LPP): the direct effect is
amount × local share.

CSV (UTF-8, or GB18030 as saved by Chinese Excel; lines starting with ``#`` are comments)::

    sector,name,amount,unit,local_share
    18,交通运输设备,550000,万元,0.85
    27,建筑,250000,万元,1

required columns ``sector`` (code; "1" matches "01"; an exact Chinese or English sector name
also works), ``amount``, ``unit``; optional ``local_share`` (0–1, default 1), ``region`` (needed
for multi-regional tables; ``REGION/SECTOR`` in the sector cell works too), ``scenario`` (several
scenarios → a sectors × scenarios batch), and free-text ``name``/``note`` columns. Rows for the
same sector add up.

TOML::

    unit = "亿元"
    scenario = "project"          # optional
    [amount]                      # sector → amount ([amount.REGION] for multi-regional tables)
    "18" = 55
    [local_share]                 # optional, sector → share
    "18" = 0.85

Amounts: a plain number (``1500``, ``1.5e3``, ``-20`` with ``allow_negative``); a comma is
read only as a thousands separator between groups of three digits (``1,500`` and
``1,234,567.5``), so a decimal comma (``1,5``, ``1.234,5``) is refused rather than misread —
the same rule in files, arrays, the CLI and the dashboard (:func:`parse_amount`). NaN, infinity
and totals that overflow are errors; so is a negative amount unless ``allow_negative`` is set.

Forms and small tables (the dashboard, the API): :meth:`SectorLookup.demand` takes a list of
``{sector, amount, unit, local_share}`` dicts (or a DataFrame with those columns, or a mapping
sector → amount) and returns the same :class:`Demand` as :func:`read_demand` — one parser, one
loop, for files and forms; its errors are :class:`~lianpu.core.errors.ArgumentError` naming
the row.

Units: the table's unit, or a convertible one of the same currency — 元, 万元, 亿元 (and
thousand / million / billion) for CNY tables; 美元 / USD scales for USD tables. A wrong currency
or a missing unit is an error naming the file line. Units are read by the one parser,
:mod:`lianpu.core.units` (:func:`unit_factor` is :meth:`Unit.factor_to`).
"""
from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ...core.errors import ArgumentError, FormatError, TableError, message
from ...core.units import Unit

OPTIONAL = {"local_share", "region", "scenario"}
FREE_TEXT = {"name", "name_zh", "name_en", "note", "notes", "description", "部门"}


@dataclass(frozen=True, eq=False)
class Demand:
    """Demand by sector in the table's unit: ``amount`` (n, k) gross spending and ``local``
    (n, k) = amount × local share, the part met by producers inside the table's economy."""

    amount: np.ndarray
    local: np.ndarray
    scenarios: tuple
    source: str = "array"
    notes: tuple = ()


# ----------------------------------------------------------------------------- units
def unit_factor(unit, table_unit) -> float:
    """Multiply an amount in ``unit`` by this to get the table's unit (:meth:`Unit.factor_to`,
    the one unit parser of :mod:`lianpu.core.units`); :class:`ArgumentError` if impossible."""
    u = Unit.parse(unit)
    if not u.label:
        raise ArgumentError("missing unit")
    return u.factor_to(table_unit)


# ----------------------------------------------------------------------------- sectors
class SectorLookup:
    """Resolve what a user wrote (code, '1' for '01', a zh/en name, REGION/SECTOR) to a row."""

    def __init__(self, table):
        self.table, self.mr = table, table.is_multiregional
        self.pos = {k: i for i, k in enumerate(table.index)}
        self.alias: dict = {}
        for i, (k, zh, en) in enumerate(zip(table.index, table.sectors["name_zh"],
                                            table.sectors["name_en"])):
            reg, code = (k[0], str(k[-1])) if self.mr else ("", str(k))
            keys = [code, "".join(str(zh).split()), "".join(str(en).split()).lower()]
            if code.isdigit():
                keys.append(str(int(code)))
            for key in keys:
                if key:
                    self.alias.setdefault((reg, key), set()).add(i)

    def __call__(self, sector, region=None) -> int | None:
        s = "".join(str(sector).split())
        reg = "" if region is None else str(region).strip()
        if self.mr and not reg and "/" in s:
            reg, s = s.split("/", 1)
        if not self.mr and reg:
            return None
        for key in (s, s.lower(), str(int(s)) if s.isdigit() else None):
            hit = self.alias.get((reg, key)) if key is not None else None
            if hit and len(hit) == 1:
                return next(iter(hit))
        return None

    def find(self, key) -> int | None:
        """Row of a key as mappings and Series use it: text (as :meth:`__call__`) or a
        ``(region, sector)`` tuple."""
        return self(key[-1], key[0]) if isinstance(key, tuple) else self(key)

    def expected(self) -> str:
        codes = [("/".join(map(str, k)) if self.mr else str(k)) for k in self.table.index]
        return f"one of {', '.join(codes[:3])} … {codes[-1]} ({len(codes)} sectors" + \
            (", as REGION/SECTOR or with a region column)" if self.mr else ")")

    def demand(self, rows, *, unit=None, allow_negative: bool = False,
               source: str = "demand") -> Demand:
        """THE demand parser: what a form or a small table sends, as the :class:`Demand`
        :func:`read_demand` returns for a file (the same rules, one implementation).

        ``rows``: a list of dicts, a DataFrame with these columns (without a ``sector``
        column its index is the sector) or a mapping sector → amount:

        - ``sector`` — a code ('1' for '01'), an exact zh/en name, or ``REGION/SECTOR``
          (or a ``(region, sector)`` key / a ``region`` field on a multi-regional table);
        - ``amount`` — a number, or text by :func:`parse_amount` ('1,500', '1.5e3');
        - ``unit`` — optional: the table's unit or a convertible one of the same currency
          (default ``unit``, itself defaulting to the table's unit; an empty text is refused);
        - ``local_share`` — optional share 0–1 met locally (default 1);
        - ``region``, ``scenario`` (several → a sectors × scenarios batch), and free-text
          ``name``/``note`` fields.

        Rows for the same sector add up. Errors are :class:`ArgumentError` naming the row:
        ``demand: row 2: column 'amount': not a number (…)`` (``source`` is the prefix and the
        ``Demand.source``).

        >>> import lianpu
        >>> t = lianpu.IOTable.from_arrays([[150, 500], [200, 100]], [350, 1700], unit="万元")
        >>> d = SectorLookup(t).demand([{"sector": "1", "amount": "1,200", "unit": "万元",
        ...                              "local_share": 0.5}, {"sector": "2", "amount": 3}])
        >>> d.amount.ravel().tolist(), d.local.ravel().tolist()
        ([1200.0, 3.0], [600.0, 3.0])
        """
        records = _form_records(rows)
        allowed = {"sector", "amount", "unit"} | OPTIONAL | FREE_TEXT
        for k, r in enumerate(records, start=1):
            bad = [c for c in r if str(c).lower() not in allowed]
            if bad:
                raise ArgumentError(message(f"{source}: row {k}", f"unknown field {bad[0]!r}",
                                            expected="sector, amount [, unit, local_share, "
                                                     "region, scenario, name, note]"))
            for col in ("sector", "amount"):
                if r.get(col) in (None, ""):
                    raise ArgumentError(message(f"{source}: row {k}", f"missing {col}",
                                                column=col, expected="a sector code"
                                                if col == "sector" else AMOUNT_RULE))
        if not records:
            raise ArgumentError(message(source, "the demand has no rows",
                                        expected="at least one sector with an amount"))
        return self._collect(records, lambda r, k: f"{source}: row {k}", ArgumentError,
                             allow_negative=allow_negative, source=source,
                             default_unit=self.table.unit if unit is None else unit)

    def _collect(self, records, where_of, err, *, allow_negative, source, default_unit=None,
                 file=None) -> Demand:
        """Rows (dicts) → :class:`Demand`: the one loop of files and forms. ``where_of(row,
        k)`` is the error prefix, ``err`` the error type (files: FormatError)."""
        table = self.table
        scen = list(dict.fromkeys(str(r.get("scenario") or "demand") for r in records))
        amount = np.zeros((table.n, len(scen)))
        local = np.zeros_like(amount)
        for k, r in enumerate(records, start=1):
            where = where_of(r, k)
            i = self(r["sector"], r.get("region") or None)
            if i is None:
                reg = f" in region {r['region']!r}" if r.get("region") else ""
                raise err(message(where, f"unknown sector code {r['sector']!r}{reg}",
                                  column="sector", expected=self.expected()))
            a = _amount(r["amount"], where, "amount", err)
            if a < 0 and not allow_negative:
                raise err(message(where, "negative amount in a spending profile",
                                  column="amount", found=r["amount"],
                                  expected="≥ 0 (allow_negative=True / --allow-negative "
                                           "for a demand reduction)"))
            raw_share = r.get("local_share")
            share = 1.0 if raw_share in (None, "") else _amount(raw_share, where,
                                                                 "local_share", err)
            if not 0 <= share <= 1:
                raise err(message(where, "local share outside [0, 1]", column="local_share",
                                  found=raw_share, expected="a share such as 0.85"))
            u = r.get("unit")
            u = default_unit if u is None else u
            try:
                fac = unit_factor(u, table.unit)
            except ArgumentError as exc:
                raise err(message(where, f"{exc}", column="unit", found=repr(u),
                                  expected=f"the table's unit {table.unit!r} or a "
                                           "convertible unit of the same currency")) from None
            j = scen.index(str(r.get("scenario") or "demand"))
            with np.errstate(over="ignore", invalid="ignore"):  # an overflow is refused below
                amount[i, j] += a * fac
                local[i, j] += a * fac * share
        if file is not None:
            check_amounts(amount, file, allow_negative=allow_negative, table=table)
            check_amounts(local, file, allow_negative=True)
        else:
            check_amounts(amount, None, allow_negative=allow_negative, argument="demand",
                          table=table)
            check_amounts(local, None, allow_negative=True, argument="demand")
        return Demand(amount, local, tuple(scen), source=source)


def _missing_cell(v) -> bool:
    return v is None or (isinstance(v, float) and v != v)


def _form_records(rows) -> list[dict]:
    """Rows of :meth:`SectorLookup.demand` as dicts (missing cells → absent)."""
    if isinstance(rows, pd.DataFrame):
        df = rows if "sector" in rows.columns else rows.rename_axis("sector").reset_index()
        rows = df.to_dict("records")
    elif isinstance(rows, (dict, pd.Series)):
        rows = [{"sector": k[-1], "region": k[0], "amount": v} if isinstance(k, tuple)
                else {"sector": k, "amount": v} for k, v in dict(rows).items()]
    elif not isinstance(rows, (list, tuple)) or not all(isinstance(r, Mapping) for r in rows):
        raise ArgumentError(message(None, "not a list of demand rows", argument="demand",
                                    found=type(rows).__name__,
                                    expected="a list of {sector, amount, unit, local_share} "
                                             "dicts, a DataFrame or a mapping sector → amount"))
    return [{str(c).lower(): v for c, v in r.items() if not _missing_cell(v)} for r in rows]


def _amount(v, where, column, err) -> float:
    try:
        return parse_amount(v, where, column)
    except FormatError as exc:
        if err is FormatError:
            raise
        raise err(str(exc)) from None


# ----------------------------------------------------------------------------- amounts
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?([eE][+-]?\d+)?")
AMOUNT_RULE = ("a number such as 1500, 1,500 or 1.5e3 (a comma only between groups of three "
               "digits; write 1.5, not 1,5)")


def parse_amount(v, where: str | None = None, column: str = "amount") -> float:
    """A finite float from a demand cell by the one documented rule (module docstring):
    thousands commas in groups of three are dropped, any other comma (a decimal comma) is
    refused. Raises :class:`FormatError` naming ``where`` (file: line) and ``column``."""
    if isinstance(v, bool):
        raise FormatError(message(where, "not a number", column=column, found=repr(v),
                                  expected=AMOUNT_RULE))
    if isinstance(v, (int, float, np.integer, np.floating)):
        x = float(v)
    else:
        t = str(v).strip().replace("\u2212", "-")
        if "," in t:
            if not _THOUSANDS.fullmatch(t):
                raise FormatError(message(where, "ambiguous comma in a number (a decimal comma?)",
                                          column=column, found=repr(v), expected=AMOUNT_RULE))
            t = t.replace(",", "")
        try:
            x = float(t)
        except ValueError:
            raise FormatError(message(where, "not a number", column=column, found=repr(v),
                                      expected=AMOUNT_RULE)) from None
    if not np.isfinite(x):
        raise FormatError(message(where, "not a finite number", column=column, found=repr(v),
                                  expected="a finite number"))
    return x


#: an amount above this multiple of the table's gross output is refused: no question needs it
#: and the results (amount × multipliers) would leave the float range (inf/NaN, issue 14)
MAX_OUTPUT_MULTIPLE = 1e12


def check_amounts(amount: np.ndarray, where: str | None, *, allow_negative: bool = False,
                  argument: str | None = None, table=None) -> None:
    """Refuse non-finite totals (overflow of finite cells), amounts over
    :data:`MAX_OUTPUT_MULTIPLE` × the table's gross output (results would not be finite) and,
    unless ``allow_negative``, negative amounts — the one check of the CLI, the API and the
    dashboard."""
    err = ArgumentError if argument else FormatError
    bad = ~np.isfinite(amount)
    if bad.any():
        i, j = (int(v[0]) for v in np.nonzero(bad))
        raise err(message(where, "demand is not finite (NaN, infinity or an overflowing sum)",
                          argument=argument, found=f"{amount[i, j]!r} at position {i}",
                          expected="finite amounts"))
    x = getattr(table, "x_", None) if table is not None else None
    if x is not None and amount.size:
        cap = MAX_OUTPUT_MULTIPLE * max(float(np.abs(np.asarray(x, float)).sum()), 1.0)
        big = np.abs(amount) > cap
        if big.any():
            i, j = (int(v[0]) for v in np.nonzero(big))
            raise err(message(where, "demand amount out of range", argument=argument,
                              found=f"{amount[i, j]:.6g} at position {i}",
                              expected=f"at most {cap:.3g} ({MAX_OUTPUT_MULTIPLE:g} × the "
                                       "table's gross output, in the table's unit)"))
    if not allow_negative and (amount < 0).any():
        i, j = (int(v[0]) for v in np.nonzero(amount < 0))
        raise err(message(where, "negative demand", argument=argument,
                          found=f"{amount[i, j]:.6g} at position {i}",
                          expected="≥ 0 (allow_negative=True / --allow-negative for a demand "
                                   "reduction)"))


# ----------------------------------------------------------------------------- conversion
def as_demand(table, demand, *, local_share=None, allow_negative: bool = False) -> Demand:
    """A :class:`Demand` from an array (n,) / (n, k), a Series by sector, a DataFrame
    (sectors × scenarios), a file path, a list of form rows ({sector, amount, unit,
    local_share} dicts, :meth:`SectorLookup.demand`) or a Demand; ``local_share`` scalar or
    (n,).

    A file is read by :func:`read_demand`; arrays and frames are checked by the same rule
    (:func:`check_amounts`): a negative amount (a demand reduction) needs
    ``allow_negative=True`` — in the API as in the CLI (``--allow-negative``). To pass a
    reduction to an analysis, pass ``as_demand(table, d, allow_negative=True)``."""
    if isinstance(demand, Demand):
        if local_share is not None:
            raise ArgumentError("argument 'local_share': a Demand (or demand file) carries its "
                                "own local shares (found local_share as well, expected one of "
                                "them)")
        return demand
    if isinstance(demand, (str, Path)):
        d = read_demand(demand, table, allow_negative=allow_negative)
        return as_demand(table, d, local_share=local_share)
    if isinstance(demand, (list, tuple)) and demand and all(isinstance(r, Mapping)
                                                            for r in demand):
        d = SectorLookup(table).demand(demand, allow_negative=allow_negative)
        return as_demand(table, d, local_share=local_share)
    n = table.n
    if isinstance(demand, Mapping):  # {sector: amount}; (region, sector) keys on an MRIO
        demand = pd.Series({k: v for k, v in demand.items()}, dtype=float, name="demand")
    if isinstance(demand, (pd.Series, pd.DataFrame)):
        frame = demand.to_frame(demand.name or "demand") if isinstance(demand, pd.Series) else demand
        look = SectorLookup(table)
        amount = np.zeros((n, frame.shape[1]))
        for lab, row in zip(frame.index, frame.to_numpy(float)):
            i = look.find(lab)
            if i is None:
                raise TableError(message(table.name, f"demand names an unknown sector {lab!r}",
                                         argument="demand", expected=look.expected()))
            amount[i] += row
        scen = tuple(str(c) for c in frame.columns)
    else:
        # a copy (results freeze their arrays), in LAPACK's column order: no copy in the solve
        try:
            amount = np.array(demand, dtype=float, order="F", ndmin=1)
        except (TypeError, ValueError):
            raise ArgumentError(message(table.name, "demand is not a set of amounts",
                                        argument="demand", found=type(demand).__name__,
                                        expected="an array by sector, a Series or mapping "
                                                 "{sector: amount}, rows of {sector, amount, "
                                                 "unit}, a Demand or a demand file")) from None
        if amount.ndim == 1:
            amount = amount[:, None]
        if amount.ndim != 2 or amount.shape[0] != n:
            raise ArgumentError(f"argument 'demand': found shape {np.shape(demand)}, expected ({n},) "
                             f"or ({n}, k) for a table of {n} sectors")
        scen = ("demand",) if amount.shape[1] == 1 else tuple(f"s{j}" for j in range(amount.shape[1]))
    if not np.isfinite(amount).all():
        raise ArgumentError("argument 'demand': contains NaN or infinity (expected finite "
                            "amounts)")
    check_amounts(amount, None, allow_negative=allow_negative, argument="demand", table=table)
    share = np.ones(n) if local_share is None else np.broadcast_to(
        np.asarray(local_share, float), (n,)).copy()
    if ((share < 0) | (share > 1)).any() or not np.isfinite(share).all():
        raise ArgumentError("argument 'local_share': found a value outside [0, 1], expected "
                            "shares")
    local = amount if local_share is None else amount * share[:, None]
    return Demand(amount, local, scen)


# ----------------------------------------------------------------------------- files
def read_demand(path, table, *, allow_negative: bool = False) -> Demand:
    """Read a spending-profile CSV or TOML file against ``table`` (see the module docstring).

    Errors are :class:`FormatError` naming the file and line: unknown sector, bad number,
    negative amount (unless ``allow_negative``), local share outside [0, 1], wrong or
    missing unit."""
    from ...readers.base import decode_text
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise FormatError(f"{path}: demand file not found") from None
    except OSError as exc:
        raise FormatError(message(path.name, f"cannot read the demand file: "
                                  f"{exc.strerror or exc}")) from None
    text = decode_text(raw, path.name)[0]
    if path.suffix.lower() == ".toml":
        records = _toml_records(text, path.name)
    elif path.suffix.lower() in (".csv", ".txt"):
        records = _csv_records(text, path.name)
    else:
        raise FormatError(message(path.name, "unknown demand file type", found=path.suffix or "none",
                                  expected=".csv or .toml"))
    if not records:
        raise FormatError(message(path.name, "the demand file has no rows",
                                  expected="at least one sector with an amount"))
    return SectorLookup(table)._collect(records, lambda r, k: f"{path.name}: line {r['line']}",
                                        FormatError, allow_negative=allow_negative,
                                        source=path.name, file=path.name)


def _csv_records(text: str, name: str) -> list[dict]:
    header, out = None, []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            cells = [c.strip() for c in next(csv.reader([line]))]
        except csv.Error as exc:
            raise FormatError(message(f"{name}: line {lineno}", f"broken CSV: {exc}",
                                      expected="comma-separated cells")) from None
        if header is None:
            header = [c.lower() for c in cells]
            for col in header:
                if col and col not in {"sector", "amount", "unit"} | OPTIONAL | FREE_TEXT:
                    raise FormatError(message(f"{name}: line {lineno}", f"unknown column {col!r}",
                                              expected="sector, amount, unit [, local_share, region, "
                                                       "scenario, name, note]"))
            for col in ("sector", "amount", "unit"):
                if col not in header:
                    raise FormatError(message(f"{name}: line {lineno}", f"missing column {col!r}",
                                              found=", ".join(header),
                                              expected="columns sector, amount, unit"))
            continue
        rec = dict(zip(header, cells + [""] * (len(header) - len(cells))))
        if len(cells) > len(header) and any(cells[len(header):]):
            raise FormatError(message(f"{name}: line {lineno}", "more cells than columns",
                                      found=len(cells), expected=len(header)))
        if not rec["sector"]:
            raise FormatError(message(f"{name}: line {lineno}", "empty sector", column="sector",
                                      expected="a sector code"))
        rec["scenario"] = rec.get("scenario") or "demand"
        rec["line"] = lineno
        out.append(rec)
    return out


def _toml_records(text: str, name: str) -> list[dict]:
    import tomllib
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FormatError(f"{name}: {exc}") from None
    if "amount" not in doc or not isinstance(doc["amount"], dict):
        raise FormatError(message(name, "missing table [amount]", expected="[amount] with "
                                  "\"SECTOR\" = amount lines"))
    unit = doc.get("unit", "")
    scenario = str(doc.get("scenario", "demand"))
    shares = doc.get("local_share", {})
    if not isinstance(shares, dict):
        raise FormatError(message(f"{name}: line {_toml_line(text, '', 'local_share')}",
                                  "local_share must be a table [local_share] of sector = share"))
    out = []

    def walk(d, region, section):
        for key, val in d.items():
            if isinstance(val, dict):
                walk(val, key, f"{section}.{key}")
                continue
            sh = shares.get(region, {}).get(key, "") if region else shares.get(key, "")
            out.append({"sector": key, "amount": val, "unit": unit, "region": region,
                        "local_share": sh, "scenario": scenario,
                        "line": _toml_line(text, section, key)})
    walk(doc["amount"], "", "amount")
    return out


def _toml_line(text: str, section: str, key: str) -> int:
    """1-based line of ``key = …`` inside ``[section]`` (0 if not found)."""
    current = ""
    pat = re.compile(r'^\s*["\']?' + re.escape(key) + r'["\']?\s*=')
    for lineno, line in enumerate(text.splitlines(), start=1):
        head = re.match(r"^\s*\[([^\]]+)\]", line)
        if head:
            current = ".".join(p.strip().strip('"\'') for p in head.group(1).split("."))
            continue
        if current == section and pat.match(line):
            return lineno
    return 0
