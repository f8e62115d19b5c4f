"""The labelled layer: an immutable input-output table.

:class:`IOTable` holds the textbook blocks (Miller & Blair symbols) as arrays and exposes
them as labelled pandas objects. It never mutates: ``with_*`` methods and views such as
:meth:`IOTable.domestic` return new tables. Expensive derived objects (the LU factorization
of I − A) are cached on the instance; since the instance cannot change, they cannot go stale.

The memo (:meth:`IOTable._memo`) holds derived numerics only, under explicit keys, and is its
only writer (analyses reach it through :func:`lianpu.analysis._common.cached`). A new table
made by :meth:`IOTable.evolve` / :meth:`IOTable.with_satellite` inherits what depends on A
alone — the coefficients, the factorization of I − A (and of I − B), memo entries marked
``carry=True`` — when Z, x, V and the sector labels are unchanged (:data:`A_FIELDS`).
Label frames are built by :mod:`lianpu.table_labels`; the trade views by :mod:`lianpu.table_views`.
"""
from __future__ import annotations

import contextvars
from dataclasses import dataclass, field, replace
from functools import cached_property
from types import MappingProxyType
from typing import Mapping

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .core import coefficients as coef
from .core import leontief as leo
from .core import roles
from .core import validation as val
from .core.codes import code_str
from .core.errors import ArgumentError, TableError, message
from .core.units import Unit
from .table_labels import (_BAD_TEXT, _check_label_text, _label_frame, _last,  # noqa: F401
                           _role_list, _with_roles)
from .table_satellite import Satellite
from .table_views import domestic_split, local_split

__all__ = ["IOTable", "Satellite", "NEGATIVE_OK_FD", "NEGATIVE_OK_VA", "A_FIELDS"]
# the label helpers stay importable from here (readers and analyses use ``_label_frame``)

#: final-use roles where negative entries are legitimate (inventory change, imports, inflows,
#: discrepancy …); see :mod:`lianpu.core.roles`
NEGATIVE_OK_FD = roles.NEGATIVE_OK_FD
#: primary-input roles where negative entries are legitimate (net taxes, subsidies, operating
#: surplus in a loss year)
NEGATIVE_OK_VA = roles.NEGATIVE_OK_VA

#: the fields A (and so the factorization of I − A) is made from, with the sector labels its
#: messages name: a table evolved without changing them inherits the A-derived entries
A_FIELDS = ("Z_", "x_", "V_", "sectors", "name")
#: cached properties that depend on A alone (and the labels in their messages)
_A_DERIVED = ("A_", "B_", "factor", "factor_ghosh")
#: the memo's attribute in the instance ``__dict__`` (written by :meth:`IOTable._memo` only)
_MEMO = "_lianpu_cache"
#: memo keys (in a table's memo) that depend on A alone; see :meth:`IOTable._memo`
_CARRY = "_lianpu_carry"
#: A-derived entries handed by :meth:`IOTable.evolve` to the table it is building
_INHERIT: contextvars.ContextVar = contextvars.ContextVar("lianpu_inherit", default=None)


@dataclass(frozen=True, eq=False)
class IOTable:
    """An input-output table (competitive or non-competitive imports, single- or multi-region).

    Arrays (use the labelled properties ``Z``, ``Y``, ... to read them):

    - ``Z_`` (n, n) intermediate flows of domestic (or all, if competitive) products;
    - ``Y_`` (n, k) final demand, one column per category (imports as a negative column
      ``IM`` in competitive tables);
    - ``V_`` (p, n) primary inputs (value-added rows and, e.g., taxes);
    - ``x_`` (n,) gross output;
    - ``Zm_`` (n, n) and ``Ym_`` (n, k) imported-product blocks (non-competitive tables);
    - ``discrepancy_`` (n,) the table's own statistical discrepancy column (ERR), if any;
    - ``Zr_`` (n, n) and ``Yr_`` (n, k) products from other provinces (inflows), kept apart
      from ``Zm_``/``Ym_`` (imports from abroad) in a province's local view
      (:meth:`IOTable.local`); column balance then reads 1'Z + 1'Zm + 1'Zr + 1'V = x.

    Storage: ``Z_`` may be a scipy.sparse matrix (any format; kept as a canonical CSR array,
    ``storage == "sparse"``): validation, the balance, ``A_``/``B_`` (CSR), ``factor`` and the
    multipliers and footprints then work on the stored entries only, O(nnz). An analysis that
    needs dense blocks works on :meth:`dense` (the same table with Z densified, made once).
    A dense table's ``factor`` reads A = Z x̂⁻¹ through Z (never a second n×n), so its
    memory is Z plus what is asked for.

    Labels: ``sectors`` (index: code, or (region, code) for MRIO; columns name_zh, name_en),
    ``final_demand_labels`` and ``primary_labels`` likewise, each with a ``role`` column
    (what the column/row *is*: household, export, import, inflow …; see
    :mod:`lianpu.core.roles`) set by the reader or inferred from standard codes and labels.
    """

    Z_: np.ndarray
    Y_: np.ndarray
    V_: np.ndarray
    x_: np.ndarray
    sectors: pd.DataFrame
    final_demand_labels: pd.DataFrame
    primary_labels: pd.DataFrame
    value_added_rows: tuple = ()
    compensation_row: str | None = None
    household_columns: tuple = ()
    Zm_: np.ndarray | None = None
    Ym_: np.ndarray | None = None
    discrepancy_: np.ndarray | None = None
    satellites: Mapping[str, Satellite] = field(default_factory=dict)
    unit: str = ""
    year: int | None = None
    source: str = ""
    name: str = "table"
    imports: str = "competitive"  # or "non-competitive"
    rtol: float = 1e-4
    allow_negative_flows: bool = False
    notes: tuple = ()
    #: GB/T 2260 code of the province a provincial table describes ("51" Sichuan); None for a
    #: national or multi-regional table. Set by the reader; analyses use it to pick the
    #: province's own data (CEADs provincial inventory, names in texts).
    province: str | None = None
    Zr_: np.ndarray | None = None
    Yr_: np.ndarray | None = None

    # ------------------------------------------------------------------ construction
    def __post_init__(self):
        inherit = _INHERIT.get()
        if inherit is not None:  # taken by this table only (not by tables built while validating)
            _INHERIT.set(None)
        t = self.name
        n = len(self.sectors)
        if n == 0:
            raise TableError(message(t, "the table has no sectors", found=0, expected="≥ 1"))
        codes = list(self.sectors.index)
        val.check_unique("sector", codes, t)
        val.check_unique("final-demand", list(self.final_demand_labels.index), t)
        val.check_unique("primary-input", list(self.primary_labels.index), t)
        k, p = len(self.final_demand_labels), len(self.primary_labels)
        fd = list(self.final_demand_labels.index)
        pr = list(self.primary_labels.index)
        set_ = lambda a, v: object.__setattr__(self, a, v)  # noqa: E731 (frozen dataclass)
        set_("final_demand_labels", _with_roles(self.final_demand_labels, "fd", t))
        set_("primary_labels", _with_roles(self.primary_labels, "primary", t))
        for what, lab in (("sector", self.sectors), ("final-use", self.final_demand_labels),
                          ("primary-input", self.primary_labels)):
            _check_label_text(what, lab, t)
        set_("Z_", val.as_matrix("Z", self.Z_, (n, n), t, codes, codes, sparse_ok=True))
        set_("Y_", val.as_matrix("Y", self.Y_, (n, k), t, codes, fd))
        set_("V_", val.as_matrix("V", self.V_, (p, n), t, pr, codes))
        set_("x_", val.as_vector("x", self.x_, n, t, codes))
        if self.Zm_ is not None:
            set_("Zm_", val.as_matrix("Zm", self.Zm_, (n, n), t, codes, codes))
            Ym = self.Ym_ if self.Ym_ is not None else np.zeros((n, k))
            set_("Ym_", val.as_matrix("Ym", Ym, (n, k), t, codes, fd))
            set_("imports", "non-competitive")
        if self.discrepancy_ is not None:
            set_("discrepancy_", val.as_vector("discrepancy", self.discrepancy_, n, t, codes))
        if self.Zr_ is not None:
            set_("Zr_", val.as_matrix("Zr", self.Zr_, (n, n), t, codes, codes))
            Yr = self.Yr_ if self.Yr_ is not None else np.zeros((n, k))
            set_("Yr_", val.as_matrix("Yr", Yr, (n, k), t, codes, fd))
        elif self.Yr_ is not None:
            raise TableError(message(t, "Yr (final use of inflows) given without Zr",
                                     expected="both blocks of inflows from other provinces"))
        if not self.value_added_rows:
            set_("value_added_rows", tuple(pr))
        for r in self.value_added_rows:
            if r not in pr:
                raise TableError(message(t, "value_added_rows names an unknown primary-input row",
                                         found=repr(r), expected=f"one of {pr}"))
        if self.compensation_row is not None and self.compensation_row not in pr:
            raise TableError(message(t, "compensation_row is not a primary-input row",
                                     found=repr(self.compensation_row), expected=f"one of {pr}"))
        for c in self.household_columns:
            if c not in fd:
                raise TableError(message(t, "household_columns names an unknown final-demand column",
                                         found=repr(c), expected=f"one of {fd}"))
        sats = {}
        for key, s in dict(self.satellites).items():
            vals = val.as_vector(f"satellite {key!r}", s.values, n, t, codes)
            fdv = None if s.final_demand is None else val.as_vector(
                f"satellite {key!r} final demand", s.final_demand, k, t, fd)
            sats[key] = replace(s, values=vals, final_demand=fdv)
        set_("satellites", MappingProxyType(sats))
        for a in ("Z_", "Y_", "V_", "x_", "Zm_", "Ym_", "discrepancy_", "Zr_", "Yr_"):
            arr = getattr(self, a)
            if arr is not None:
                (arr.data if sp.issparse(arr) else arr).setflags(write=False)
        if not self.allow_negative_flows:
            val.check_nonnegative("Z (intermediate flows)", self.Z_, t, codes, codes)
            if self.Zm_ is not None:
                val.check_nonnegative("Zm (imported intermediate flows)", self.Zm_, t, codes, codes)
            if self.Zr_ is not None:
                val.check_nonnegative("Zr (intermediate inflows from other provinces)", self.Zr_,
                                      t, codes, codes)
            from .readers.frames import negative_role_hint
            ok = [j for j, r in enumerate(self.fd_roles) if r in NEGATIVE_OK_FD]
            val.check_nonnegative("Y (final demand)", self.Y_, t, codes, fd, allowed_columns=ok,
                                  hint=negative_role_hint(fd, self.fd_roles, "fd"))
            okv = [i for i, r in enumerate(self.primary_roles) if r in NEGATIVE_OK_VA]
            val.check_nonnegative("V (primary inputs)", self.V_.T, t, codes, pr, allowed_columns=okv,
                                  hint=negative_role_hint(pr, self.primary_roles, "primary"))
            if (self.x_ < 0).any():
                i = int(np.argmax(self.x_ < 0))
                raise TableError(message(t, "negative gross output", row=val._lab(codes, i),
                                         column="x", found=f"{self.x_[i]:.6g}", expected="≥ 0"))
        val.check_balance(self.balance, t)
        if inherit:  # from evolve: Z, x, V, labels unchanged, so A and its factorization are too
            carried = inherit.pop(_MEMO, None)
            self.__dict__.update(inherit)
            if carried:
                self.__dict__[_MEMO] = dict(carried)
                self.__dict__[_CARRY] = set(carried)
        self.factor  # productive? (cheap proof or LU; see IOTable.factor); cached for reuse

    @classmethod
    def from_arrays(cls, Z, Y, V=None, x=None, *, sectors=None, names_zh=None, names_en=None,
                    final_demand=None, primary=None, regions=None, fd_roles=None,
                    primary_roles=None, **kw) -> "IOTable":
        """Build a table from plain arrays.

        ``x`` defaults to Z·1 + Y·1; ``V`` defaults to one row ``VA`` = x − 1'Z (value added
        as the balancing item). ``sectors`` are codes (default '1'..'n'); ``regions`` (one per
        sector) turns the index into (region, sector).
        """
        Z = Z if sp.issparse(Z) else np.asarray(Z, dtype=float)  # a sparse Z stays sparse
        Y = np.asarray(Y, dtype=float)
        if Y.ndim == 1:
            Y = Y[:, None]
        n = Z.shape[0]
        x = coef.calc_x(Z, Y) if x is None else np.asarray(x, dtype=float)
        if V is None:
            V = (x - np.asarray(Z.sum(axis=0)).ravel())[None, :]
            primary = primary or ["VA"]
        V = np.asarray(V, dtype=float)
        if V.ndim == 1:
            V = V[None, :]
        codes = [str(s) for s in (sectors if sectors is not None else range(1, n + 1))]
        if regions is not None:
            idx = pd.MultiIndex.from_arrays([[str(r) for r in regions], codes],
                                            names=["region", "sector"])
        else:
            idx = codes
        fd = final_demand if final_demand is not None else [f"FD{j + 1}" for j in range(Y.shape[1])]
        pr = primary if primary is not None else [f"VA{i + 1:03d}" for i in range(V.shape[0])]
        return cls(Z, Y, V, x, sectors=_label_frame(idx, names_zh, names_en),
                   final_demand_labels=_label_frame(fd, index_name="category",
                                                    role=_role_list(fd, fd_roles)),
                   primary_labels=_label_frame(pr, index_name="row",
                                               role=_role_list(pr, primary_roles)), **kw)

    @classmethod
    def from_frames(cls, Z: pd.DataFrame, Y: pd.DataFrame, V: pd.DataFrame | None = None,
                    x=None, value_added_rows=None, satellites=None, sectors=None, regions=None,
                    unit=None, roles=None, satellite_units=None, **kw) -> "IOTable":
        """Build a table from labelled frames (index/columns are the sector codes).

        ``sectors``: optional DataFrame indexed by code with columns name_zh/name_en.
        ``satellites``: pymrio's F frame (stressors × sectors, one satellite per row; units
        from ``satellite_units`` — pymrio's unit frame, a mapping or one string — or
        ``F.attrs["units"]``), or {name: Series by sector}, or {name: Satellite}.
        ``roles``: {code: role} for final-use columns of Y and primary rows of V whose role is
        not recognised from their standard code or label (:mod:`lianpu.core.roles`), e.g.
        ``roles={"Changes in inventories": "inventory", "Wages": "compensation"}``.
        ``compensation_row`` defaults to the one row whose role is ``compensation``.
        See :mod:`lianpu.readers.frames`.
        """
        from .readers.frames import table_from_frames
        return table_from_frames(cls, Z, Y, V, x, value_added_rows=value_added_rows,
                                 satellites=satellites, sectors=sectors, regions=regions,
                                 unit=unit, roles=roles, satellite_units=satellite_units, **kw)

    # ------------------------------------------------------------------ labelled views
    @property
    def n(self) -> int:
        return self.x_.shape[0]

    @property
    def index(self) -> pd.Index:
        return self.sectors.index

    @property
    def is_multiregional(self) -> bool:
        return isinstance(self.sectors.index, pd.MultiIndex)

    @property
    def regions(self) -> list[str]:
        return list(dict.fromkeys(self.index.get_level_values(0))) if self.is_multiregional else []

    @property
    def fd_roles(self) -> tuple:
        """The role of every final-use column (:mod:`lianpu.core.roles`)."""
        return tuple(self.final_demand_labels["role"])

    @property
    def primary_roles(self) -> tuple:
        """The role of every primary-input row (:mod:`lianpu.core.roles`)."""
        return tuple(self.primary_labels["role"])

    def fd_positions(self, which) -> list[int]:
        """Positions of the final-use columns whose role is in ``which`` (a role or a set)."""
        which = {which} if isinstance(which, str) else set(which)
        return [j for j, r in enumerate(self.fd_roles) if r in which]

    def primary_positions(self, which) -> list[int]:
        """Positions of the primary-input rows whose role is in ``which``."""
        which = {which} if isinstance(which, str) else set(which)
        return [i for i, r in enumerate(self.primary_roles) if r in which]

    def _frame(self, a, rows, cols):
        if sp.issparse(a):
            a = a.toarray()
        return pd.DataFrame(a, index=rows, columns=cols, copy=False)

    @property
    def storage(self) -> str:
        """"sparse" when Z is held as a scipy.sparse CSR array, else "dense"."""
        return "sparse" if sp.issparse(self.Z_) else "dense"

    def dense(self) -> "IOTable":
        """This table with Z stored densely (itself when it already is), made once per table:
        what the analyses that read dense blocks work on (through ``resolve_basis``)."""
        if self.storage == "dense":
            return self
        return self._memo(("dense",), lambda: self.evolve(Z_=self.Z_.toarray()))

    @property
    def Z(self) -> pd.DataFrame:
        return self._frame(self.Z_, self.index, self.index)

    @property
    def Y(self) -> pd.DataFrame:
        return self._frame(self.Y_, self.index, self.final_demand_labels.index)

    @property
    def V(self) -> pd.DataFrame:
        return self._frame(self.V_, self.primary_labels.index, self.index)

    @property
    def x(self) -> pd.Series:
        return pd.Series(self.x_, index=self.index, name="x")

    @property
    def Zm(self) -> pd.DataFrame | None:
        return None if self.Zm_ is None else self._frame(self.Zm_, self.index, self.index)

    @property
    def Ym(self) -> pd.DataFrame | None:
        return None if self.Ym_ is None else self._frame(self.Ym_, self.index,
                                                         self.final_demand_labels.index)

    @property
    def Zr(self) -> pd.DataFrame | None:
        """Intermediate use of products from other provinces (local view), or None."""
        return None if self.Zr_ is None else self._frame(self.Zr_, self.index, self.index)

    @property
    def Yr(self) -> pd.DataFrame | None:
        """Final use of products from other provinces (local view), or None."""
        return None if self.Yr_ is None else self._frame(self.Yr_, self.index,
                                                         self.final_demand_labels.index)

    @property
    def F(self) -> pd.DataFrame:
        """Satellite rows (k, n) with units in ``.attrs['units']``."""
        df = pd.DataFrame({k: s.values for k, s in self.satellites.items()}, index=self.index).T
        df.attrs["units"] = {k: s.unit for k, s in self.satellites.items()}
        return df

    @property
    def A(self) -> pd.DataFrame:
        return self._frame(self.A_, self.index, self.index)

    @property
    def B(self) -> pd.DataFrame:
        return self._frame(self.B_, self.index, self.index)

    def label(self, lang: str = "zh") -> pd.Series:
        """Sector display names in ``lang`` (falls back to the other language, then the code)."""
        main, other = ("name_zh", "name_en") if lang == "zh" else ("name_en", "name_zh")
        s = self.sectors[main].where(self.sectors[main].astype(bool), self.sectors[other])
        codes = pd.Series([code_str(c) if isinstance(c, tuple) else c for c in self.index],
                          index=self.index)
        return s.where(s.astype(bool), codes)

    # ------------------------------------------------------------------ derived (cached)
    @cached_property
    def A_(self) -> np.ndarray:
        """Technical coefficients (domestic for non-competitive tables); a CSR array when Z is
        sparse."""
        a = coef.calc_A(self.Z_, self.x_)
        (a.data if sp.issparse(a) else a).setflags(write=False)
        return a

    @cached_property
    def B_(self) -> np.ndarray:
        b = coef.calc_B(self.Z_, self.x_)
        (b.data if sp.issparse(b) else b).setflags(write=False)
        return b

    @cached_property
    def factor(self):
        """The solver of I − A, made once per table and reused by every analysis: an LU, or
        batched GMRES on large tables until the right-hand sides asked for make an LU cheaper
        (``.method``, ``.reason``; :class:`lianpu.core.leontief.LeontiefSolver`). Making it
        checks productivity — without an LU where Hawkins–Simon or Collatz–Wielandt decide.
        A dense table's solver reads A through Z (``ColumnScaled``: no second n×n); a sparse
        one's iterates on the CSR ``A_``."""
        A = self.A_ if self.storage == "sparse" else coef.ColumnScaled(self.Z_, self.x_)
        return leo.leontief_factor(A, labels=list(self.label("en")), table=self.name)

    @cached_property
    def factor_ghosh(self):
        """Factor of I − B (Ghosh): the Leontief LU rescaled (G = x̂⁻¹ L x̂) when all x > 0,
        otherwise an LU of I − B itself."""
        return leo.ghosh_factor(self.A_, self.B_, self.x_, self.factor,
                                labels=list(self.label("en")), table=self.name)

    @cached_property
    def balance(self) -> val.BalanceReport:
        return val.balance_report(self.Z_, self.Y_, self.V_, self.x_, Zm=self.Zm_,
                                  discrepancy=self.discrepancy_, labels=list(self.index),
                                  rtol=self.rtol, Zr=self.Zr_)

    @property
    def value_added_(self) -> np.ndarray:
        """Value added by sector (sum of ``value_added_rows``), shape (n,)."""
        rows = [list(self.primary_labels.index).index(r) for r in self.value_added_rows]
        return self.V_[rows].sum(axis=0)

    @property
    def final_demand_total_(self) -> np.ndarray:
        """f = Y·1 (+ ERR), the right-hand side with x = L f; shape (n,)."""
        f = self.Y_.sum(axis=1)
        return f + self.discrepancy_ if self.discrepancy_ is not None else f

    @property
    def imports_total_(self) -> np.ndarray | None:
        """Imports by product: Zm·1 + Ym·1 (non-competitive) or −IM (competitive), or None."""
        if self.Zm_ is not None:
            return self.Zm_.sum(axis=1) + self.Ym_.sum(axis=1)
        cols = self.fd_positions(roles.IMPORTS)
        if cols:
            return -self.Y_[:, cols].sum(axis=1)
        return None

    @property
    def units(self) -> Unit:
        """The table's unit as a value (:class:`lianpu.core.units.Unit`: currency, scale, zh/en
        label) parsed from the free-text ``unit`` the reader set."""
        return Unit.parse(self.unit)

    # ------------------------------------------------------------------ the memo
    def _memo(self, key, fn, *, carry: bool = False):
        """``fn()`` computed once per table under ``key`` (hashable; a tuple whose first item
        names the analysis), for derived numerics only: never a user's selection or a rendered
        result. The one writer of the table's memo. ``carry=True`` marks a value that depends
        on A alone (Z, x and the sector labels): :meth:`evolve` hands it on to a table with
        the same A (e.g. one :meth:`with_satellite` adds a satellite to)."""
        try:
            hash(key)
        except TypeError:
            raise ArgumentError(message(self.name, "a memo key must be hashable",
                                        argument="key", found=type(key).__name__,
                                        expected="a str or a tuple of str/numbers")) from None
        memo = self.__dict__.setdefault(_MEMO, {})
        if key not in memo:
            value = fn()
            memo.setdefault(key, value)  # another thread may have stored it meanwhile
            if carry:
                self.__dict__.setdefault(_CARRY, set()).add(key)
        return memo[key]

    def solvers_made(self) -> list:
        """(label, table) for this table and its views made so far (domestic, local, dense)
        whose solver exists (``lianpu --verbose``); makes nothing."""
        views = [(self.name, self)] + [(f"{self.name}, {k[0]} view", v) for k, v in
                                       dict(self.__dict__.get(_MEMO, {})).items()
                                       if isinstance(v, IOTable)]
        return [(lab, t) for lab, t in views if "factor" in t.__dict__]

    def _inheritance(self, changes: dict) -> dict:
        """What a table evolved with ``changes`` inherits: the A-derived entries already made,
        when none of :data:`A_FIELDS` changes (a field given as the very same object counts as
        unchanged)."""
        if any(f in changes and changes[f] is not getattr(self, f) for f in A_FIELDS):
            return {}
        out = {a: self.__dict__[a] for a in _A_DERIVED if a in self.__dict__}
        memo, keys = self.__dict__.get(_MEMO, {}), self.__dict__.get(_CARRY, ())
        carried = {k: memo[k] for k in keys if k in memo}
        if carried:
            out[_MEMO] = carried
        return out

    # ------------------------------------------------------------------ new tables
    def evolve(self, **changes) -> "IOTable":
        """A new table with some fields replaced (validated again). Where Z, x, V and the
        sector labels stay, it inherits A, B, their factorizations and the memo entries
        marked ``carry`` (:meth:`_memo`) instead of making them again."""
        token = _INHERIT.set(self._inheritance(changes) or None)
        try:
            return replace(self, **changes)
        finally:
            _INHERIT.reset(token)

    def with_satellite(self, name: str, values, unit: str, *, name_zh: str = "",
                       name_en: str = "", final_demand=None) -> "IOTable":
        """A new table with satellite ``name`` added (or replaced). ``values`` by sector."""
        if isinstance(values, pd.Series):
            values = values.reindex(self.index).to_numpy(float)
        sats = dict(self.satellites)
        sats[name] = Satellite(name, np.asarray(values, float), unit, name_zh, name_en,
                               None if final_demand is None else np.asarray(final_demand, float))
        return self.evolve(satellites=sats)

    def domestic(self, method: str = "import_proportionality") -> "IOTable":
        """The non-competitive (domestic-technology) view of a competitive table.

        ``import_proportionality`` (the standard assumption when import matrices are not
        published, e.g. OECD TiVA and NBS practice): every user of product i buys the same
        imported share μ_i = m_i / (Σ_j z_ij + Σ_k y_ik), the denominator being domestic use
        (intermediate plus final use other than exports — columns whose role is in
        ``roles.OUTFLOWS``: exports, OECD's purchases by non-residents, a province's outflows).
        Then Z_d = (1 − μ) ⊙ Z,
        Zm = μ ⊙ Z, and likewise for final use; exports stay domestic (except re-exports: where
        m_i exceeds domestic use, μ_i = m_i / (use_i + exports_i) applies to exports too) and the
        IM column(s) (matched on the last label level) are dropped because imports now sit in
        Zm/Ym. The columns are found by their roles (``import``), never by code. Row and column
        balances are preserved.
        Already non-competitive tables are returned unchanged.
        """
        if self.imports == "non-competitive":
            return self
        if method != "import_proportionality":
            raise ArgumentError(message(None, f"unknown method {method!r}", argument="method",
                                        expected="'import_proportionality'"))
        # the table is immutable, so its domestic view (and that view's LU) is built once
        return self._memo(("domestic", method), lambda: domestic_split(self.dense()))

    def local(self, method: str = "proportionality") -> "IOTable":
        """The local view 本地视角 of a provincial table: imports from abroad and inflows from
        other provinces removed from every use of a product in proportion, kept apart.

        Each user of product i buys the same shares μ^m_i = m_i / u_i from abroad and
        μ^r_i = r_i / u_i from other provinces, u_i = intermediate use + final use other than
        exports and outflows (columns with the roles ``import``/``inflow`` give m and r;
        ``roles.OUTFLOWS`` are not local use). Z_local = (1 − μ^m − μ^r) ⊙ Z, Zm = μ^m ⊙ Z,
        Zr = μ^r ⊙ Z, likewise for final use; the supply columns are dropped. Where m_i + r_i
        exceeds u_i (re-exports / transit trade, e.g. Chongqing 2017) the shares are taken of
        all uses and apply to exports and outflows too, and a note names the products. So
        x = (I − A_local)⁻¹ (local final use + exports + outflows [+ ERR]), A_local = Z_local x̂⁻¹.
        See :mod:`lianpu.core.tradesplit`.

        Tables that publish trade without the partner split (role ``trade_in``: the 2007 and
        1997 provincial tables) get the same split with a single leakage, abroad and other
        provinces together, stored in ``Zr``/``Yr`` (``Zm``/``Ym`` are zero) and said in a note.
        A table with net outflow only (2002) or without any supply column is refused.
        """
        if method != "proportionality":
            raise ArgumentError(message(None, f"unknown method {method!r}", argument="method",
                                        expected="'proportionality'"))
        # the table is immutable, so its local view (and that view's LU) is built once
        return self._memo(("local", method), lambda: local_split(self.dense()))

    # ------------------------------------------------------------------ aggregation, carve-out
    def aggregate(self, concordance, **kw) -> "IOTable":
        """Sectors summed into groups (a CSV/TOML concordance code → group, or a dict); see
        :func:`lianpu.analysis.aggregate.aggregate`."""
        from .analysis.aggregate import aggregate
        return aggregate(self, concordance, **kw)

    def split_sector(self, code, into, shares, **kw) -> "IOTable":
        """A sub-industry carved out of sector ``code`` under stated assumptions; see
        :func:`lianpu.analysis.aggregate.split_sector`."""
        from .analysis.aggregate import split_sector
        return split_sector(self, code, into, shares, **kw)

    # ------------------------------------------------------------------ I/O shortcuts
    @classmethod
    def from_pymrio(cls, io, **kw) -> "IOTable":
        """A table from a pymrio ``IOSystem``; see :mod:`lianpu.readers.pymrio_io`."""
        from .readers.pymrio_io import from_pymrio
        return from_pymrio(io, table_class=cls, **kw)

    def to_pymrio(self, **kw):
        """This table as a pymrio ``IOSystem``; see :mod:`lianpu.readers.pymrio_io`."""
        from .readers.pymrio_io import to_pymrio
        return to_pymrio(self, **kw)

    def save(self, path) -> None:
        """Native lossless format (Parquet + JSON metadata); see :mod:`lianpu.readers.native`."""
        from .readers.native_write import save
        save(self, path)

    def __repr__(self) -> str:
        reg = f", {len(self.regions)} regions" if self.is_multiregional else ""
        return (f"<IOTable {self.name!r}: {self.n} sectors{reg}, {self.imports} imports, "
                f"year={self.year}, unit={self.unit!r}>")

    def aggregate_regions(self, groups, *, rest: str | None = None) -> "IOTable":
        """Regions merged into groups, the model kept consistent
        (:func:`lianpu.analysis.regions.mrio.build.aggregate_regions`)."""
        from .analysis.regions.mrio.groups import aggregate_regions
        return aggregate_regions(self, groups, rest=rest)
