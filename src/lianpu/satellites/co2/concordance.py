"""Concordances: CEADs sectors → NBS IO sectors, and NBS tables of all years → one classification.

Two shipped files (``lianpu/data``):

``ceads47_to_nbs42.csv`` — ceads_code, ceads_name_en, ceads_name_zh, nbs42, weight, rule, note.
  Each of the 45 CEADs production sectors maps to one or more sectors of the NBS 42-sector
  classification of 2017 (codes '01'…'42'); the two household rows (Urban, Rural) map to
  final demand (``FD:urban``, ``FD:rural``). ``rule`` is ``one`` (weight 1), ``final_demand``
  or ``fossil_fuel_inputs``: a one-to-many sector is split in proportion to the target
  sectors' intermediate purchases of fossil-fuel products (coal, crude oil and gas, refined
  petroleum and coke, gas supply; domestic + imported) in the IO table the emissions are put
  on — so the weights are recomputed for every table; the ``weight`` column shows them for
  the 2017 42-sector table. CEADs emissions are scope 1, mostly fuel combustion, hence fuel
  purchases as the split key (they include feedstock use; stated in docs/carbon.md).

``nbs42_concordance.csv`` — table, source_code, source_name_zh/en, nbs42, common,
  common_name_zh/en, weight, rule, note. Every sector of every NBS table (2002-122 … 2020-42)
  with its place in the 2017 42-sector classification (``16|17`` where an older sector spans
  two) and in the *common* 39-sector classification used to compare years (general and
  special machinery and repair merged; research and technical services merged).
"""
from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from ...core.errors import TableError, message

FUEL_SECTORS = ("02", "03", "11", "25")  # coal, crude oil & gas, petroleum & coke, gas supply
#: CEADs household rows → words that pick the urban / rural household column by its label
HOUSEHOLD_WORDS = {"FD:urban": ("urban", "城镇"), "FD:rural": ("rural", "农村")}


@cache
def _csv(name: str) -> pd.DataFrame:
    with resources.files("lianpu.data").joinpath(name).open(encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


def ceads_concordance() -> pd.DataFrame:
    """The shipped CEADs → NBS 42 concordance (a copy)."""
    c = _csv("ceads47_to_nbs42.csv").copy()
    c["weight"] = pd.to_numeric(c["weight"])
    return c


def nbs_concordance() -> pd.DataFrame:
    """The shipped NBS tables → NBS 42 (2017) / common 39 concordance (a copy)."""
    c = _csv("nbs42_concordance.csv").copy()
    c["weight"] = pd.to_numeric(c["weight"])
    return c


def _classifications() -> pd.DataFrame:
    """Rows of every shipped classification: the NBS national tables (nbs42_concordance.csv)
    and the provincial tables' 2002 and 2007 classifications (chnio42_concordance.csv, keys
    ``chnio-2002-42``, ``chnio-2007-42``; 2012 and 2017 provinces use the national rows)."""
    return pd.concat([_csv("nbs42_concordance.csv"), _csv("chnio42_concordance.csv")],
                     ignore_index=True)


def table_key(table) -> str:
    """The NBS table a table is (``cn-nbs-2017-42``), recognised by year, size and codes; a
    provincial table (``table.province`` set) by the national table of its classification —
    the one with the same codes and the same Chinese sector names (2017 provinces →
    cn-nbs-2017-42, 2012 provinces → the 2012 classification of cn-nbs-2015-42, 2007 and
    2002 provinces → chnio-2007-42 / chnio-2002-42)."""
    c = _classifications()
    key = f"cn-nbs-{table.year}-{table.n}"
    rows = c[c["table"] == key]
    codes = [str(i) for i in table.index]
    if getattr(table, "province", None) and (rows.empty or list(rows["source_code"]) != codes):
        names = [str(z).strip() for z in table.sectors["name_zh"]]
        for k, g in c.groupby("table", sort=False):
            if list(g["source_code"]) == codes and [str(z).strip() for z in
                                                     g["source_name_zh"]] == names:
                return k
    if rows.empty or list(rows["source_code"]) != codes:
        known = ", ".join(dict.fromkeys(c["table"]))
        raise TableError(message(table.name, "no sector concordance for this table",
                                 found=f"year {table.year}, {table.n} sectors {codes[:3]}…",
                                 expected=f"an NBS table with the sector codes of one of: {known}"))
    return key


def _rows(table) -> pd.DataFrame:
    c = _classifications()
    return c[c["table"] == table_key(table)].reset_index(drop=True)


def nbs42_sets(table) -> list[set[str]]:
    """For each sector of ``table``, its set of NBS 42 (2017) codes."""
    return [set(s.split("|")) for s in _rows(table)["nbs42"]]


def fuel_inputs(table) -> np.ndarray:
    """Intermediate purchases of fossil-fuel products by each sector (n,), table's unit.

    Rows whose NBS 42 code is coal (02), crude oil and gas (03), petroleum and coke (11) or gas
    supply (25); domestic plus imported inputs (``Zm``) in a non-competitive table.
    """
    fuel = [i for i, s in enumerate(nbs42_sets(table)) if s & set(FUEL_SECTORS)]
    Z = table.Z_ if table.Zm_ is None else table.Z_ + table.Zm_
    return Z[fuel].sum(axis=0)


@cache
def _targets() -> dict[str, frozenset]:
    """CEADs production sector code → its NBS 42 target codes (shipped file, parsed once)."""
    c = _csv("ceads47_to_nbs42.csv")
    prod = c[c["rule"] != "final_demand"]
    out: dict[str, set] = {}
    for code, t in zip(prod["ceads_code"], prod["nbs42"]):
        out.setdefault(code, set()).add(t)
    return {k: frozenset(v) for k, v in out.items()}


def ceads_weights(table) -> pd.DataFrame:
    """Split matrix W (45 CEADs production sectors × n table sectors); every row sums to 1.

    Row c spreads CEADs sector c over the table sectors whose NBS 42 codes meet c's targets:
    in proportion to their fossil-fuel inputs (:func:`fuel_inputs`), or to gross output where
    those are all zero, or equally where output is zero too.
    """
    sets = nbs42_sets(table)
    fuel = fuel_inputs(table)
    targets = _targets()
    W = np.zeros((len(targets), table.n))
    for r, (code, tg) in enumerate(targets.items()):
        cols = [j for j, s in enumerate(sets) if s & tg]
        if not cols:
            raise TableError(message(table.name, f"CEADs sector {code} maps to no sector of this "
                                     "table", found=f"targets {sorted(tg)}",
                                     expected="a concordance covering every CEADs sector"))
        for key in (fuel[cols], table.x_[cols], np.ones(len(cols))):
            if key.sum() > 0:
                W[r, cols] = key / key.sum()
                break
    return pd.DataFrame(W, index=pd.Index(list(targets), name="ceads"), columns=table.index)


def household_columns(table) -> dict[str, str]:
    """CEADs household rows ('46' urban, '47' rural) → the table's final-demand column."""
    conc = ceads_concordance()
    fd = [str(c) for c in table.final_demand_labels.index]
    labs = table.final_demand_labels
    hh = table.fd_positions("household")
    cons = table.fd_positions("consumption")
    out = {}
    for _, r in conc[conc["rule"] == "final_demand"].iterrows():
        # the household column of that kind (by label), else the table's (only) household
        # column, else total consumption (TC): chosen by role, never by code
        words = HOUSEHOLD_WORDS[r["nbs42"]]
        named = [j for j in hh if any(w in str(labs["name_en"].iloc[j]).lower()
                                      or w in str(labs["name_zh"].iloc[j]) for w in words)]
        pick = (named or hh or cons or [None])[0]
        if pick is None:
            raise TableError(message(table.name, "no household final-demand column for CEADs "
                                     f"{r['ceads_name_en']} emissions", found=f"columns {fd}",
                                     expected="a column with the role 'household' or "
                                              "'consumption'"))
        out[r["ceads_code"]] = fd[pick]
    return out


def to_table(table, by_ceads: pd.Series, weights: pd.DataFrame | None = None
             ) -> tuple[np.ndarray, np.ndarray]:
    """Put emissions by CEADs sector (index '01'…'47') on ``table``.

    Returns (sector values (n,), final-demand direct emissions (k,)); their sum equals the sum
    of ``by_ceads`` (every CEADs row is mapped, households to final demand). ``weights``: a
    precomputed :func:`ceads_weights` of the same table.
    """
    W = ceads_weights(table) if weights is None else weights
    missing = [c for c in list(W.index) + ["46", "47"] if c not in by_ceads.index]
    if missing:
        raise TableError(message("emissions by CEADs sector", "missing CEADs sectors",
                                 found=f"no rows {missing[:5]}", expected="all 47 sectors"))
    values = by_ceads.reindex(W.index).to_numpy(float) @ W.to_numpy()
    fd = [str(c) for c in table.final_demand_labels.index]
    hh = np.zeros(len(fd))
    for code, col in household_columns(table).items():
        hh[fd.index(col)] += float(by_ceads[code])
    return values, hh


def common_groups(table) -> tuple[np.ndarray, pd.DataFrame]:
    """(group index of each sector (n,), labels of the groups (code, name_zh, name_en)).

    Groups are the common 39-sector classification (``common`` column) for NBS tables; a
    sector that spans several common sectors (``common`` like ``37|38``, the 2002 provincial
    其他社会服务业) merges them into one group.
    """
    (g, labels), _ = common_groups_pair(table, table)
    return g, labels


def common_groups_pair(a, b):
    """((groups of a, labels), (groups of b, labels)) in one classification: the common
    sectors, with every set of common sectors that some sector of ``a`` or ``b`` spans merged
    into one group (so both tables aggregate to exactly the same groups)."""
    ra, rb = _rows(a), _rows(b)
    parent: dict[str, str] = {}

    def find(c):
        while parent.setdefault(c, c) != c:
            c = parent[c]
        return c

    names = {}
    for rows in (ra, rb):
        for com, zh, en in zip(rows["common"], rows["common_name_zh"], rows["common_name_en"]):
            parts = str(com).split("|")
            if len(parts) == 1:
                names[parts[0]] = (zh, en)
            for p in parts[1:]:
                x, y = find(parts[0]), find(p)
                if x != y:
                    parent[max(x, y)] = min(x, y)
            find(parts[0])
    groups: dict[str, list[str]] = {}
    for c in sorted(parent):
        groups.setdefault(find(c), []).append(c)
    codes = sorted(groups)
    lab = pd.DataFrame({
        "name_zh": ["、".join(names.get(m, (m, m))[0] for m in groups[c]) for c in codes],
        "name_en": ["; ".join(names.get(m, (m, m))[1] for m in groups[c]) for c in codes]},
        index=pd.Index(["|".join(groups[c]) for c in codes], name="code"))
    pos = {c: i for i, c in enumerate(codes)}

    def idx(rows):
        return np.array([pos[find(str(com).split("|")[0])] for com in rows["common"]])

    return (idx(ra), lab), (idx(rb), lab)


def same_classification(a, b) -> bool:
    """Whether two NBS tables use the same sectors (same codes and the same NBS 42 places)."""
    ra, rb = _rows(a), _rows(b)
    return (list(ra["source_code"]) == list(rb["source_code"])
            and list(ra["nbs42"]) == list(rb["nbs42"]))
