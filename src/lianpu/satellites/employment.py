"""Employment satellite 就业卫星账户: jobs by IO sector from China's employment statistics.

Source: ``cn_employment_1990_2018.csv`` (employed persons by industry section/division of the
national industry classification, GB/T 4754, 1990–2018, unit 10,000 persons 万人; via the R
package *ionet*). Registry id ``cn-employment``.

Concordance: ``lianpu/data/employment_concordance.csv`` (shipped) maps each *leaf* row of the
employment file — every division (A01 … S06), and the sections that have no divisions (K 房地产,
P 教育, T 国际组织) — to the sectors of four NBS IO classifications:

=============  =====================================================================
``nbs42``      the 42 sectors of the 2017, 2018 and 2020 tables (cn_io_20{17,18,20}_42)
``nbs42_2012`` the 42 sectors of the 2012-based tables (cn_io_2015_42: 废品废料 separate)
``nbs149``     the 149 sectors of the 2017 table
``nbs153``     the 153 sectors of the 2018 and 2020 tables
=============  =====================================================================

Columns: ``classification, source, source_zh, target, target_zh``; one row per (source,
target) pair. At 42 sectors every division falls into exactly one sector (several divisions
add up, e.g. C01–C04 → 06 食品和烟草). At 149/153 sectors a division can span several products
(e.g. C24 汽车制造业 → 汽车整车 + 汽车零部件及配件).

Allocation rule (stated, tested): a source row's employment is split over its target sectors
in proportion to the table's **compensation of employees** (劳动者报酬, ``compensation_row``,
NBS VA001) of those sectors — the wage bill is the table's closest measure of labour input. If
the targets have no compensation the split uses gross output, and equal shares if that is zero
too. Weights of each source row sum to 1, so the satellite's total equals the leaf rows' total
(which equals the published national total ``TOT`` up to the file's rounding of ±1 per row).

Year: the table's year; tables after 2018 use 2018 employment (the last year in the file) and
say so in the returned table's ``notes``. Employment is counted by establishment industry while
IO sectors are product groups; the concordance treats them as equal (the usual practice).
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.errors import ArgumentError, DatasetError, FormatError, TableError, message
from ..core.notes import Note

UNIT = "10,000 persons (万人)"
FIRST_YEAR, LAST_YEAR = 1990, 2018
CLASSIFICATIONS = ("nbs42", "nbs42_2012", "nbs149", "nbs153")


def concordance(classification: str | None = None) -> pd.DataFrame:
    """The shipped concordance (all classifications, or one), as a frame of strings."""
    with resources.files("lianpu.data").joinpath("employment_concordance.csv").open(
            "r", encoding="utf-8") as fh:
        df = pd.read_csv(fh, dtype=str, keep_default_na=False)
    if classification is None:
        return df
    if classification not in CLASSIFICATIONS:
        raise ArgumentError(f"argument 'classification': found {classification!r}, expected one "
                            f"of {list(CLASSIFICATIONS)}")
    return df[df.classification == classification].reset_index(drop=True)


def detect_classification(table) -> str:
    """The concordance classification whose sector codes and Chinese names equal the table's."""
    if table.is_multiregional:
        raise TableError(message(table.name, "the employment satellite is national (China); the "
                                 "table is multi-regional", expected="a single-region NBS table"))
    codes = [str(c) for c in table.index]
    zh = [_norm(s) for s in table.sectors["name_zh"]]
    conc = concordance()
    for cl in CLASSIFICATIONS:
        t = conc[conc.classification == cl].drop_duplicates("target").set_index("target")
        if len(t) == len(codes) and set(t.index) == set(codes) and \
                all(_norm(t.at[c, "target_zh"]) == z for c, z in zip(codes, zh)):
            return cl
    raise TableError(message(
        table.name, "sector list matches no employment concordance (codes and Chinese names)",
        found=f"{len(codes)} sectors {codes[:2]}… {zh[:2]}…",
        expected=f"one of {list(CLASSIFICATIONS)} (NBS 2015/2017/2018/2020 42, 2017 149, "
                 "2018/2020 153), or pass classification=… for a table without names"))


def allocation(table, classification: str | None = None) -> pd.DataFrame:
    """Weights W (source rows × table sectors): jobs_sector = Σ_source jobs_source · W.

    Each row sums to 1 (see the module docstring for the rule)."""
    cl = classification or detect_classification(table)
    conc = concordance(cl)
    codes = [str(c) for c in table.index]
    unknown = sorted(set(conc.target) - set(codes))
    if unknown:
        raise TableError(message(table.name, f"concordance {cl!r} names sectors the table lacks",
                                 found=unknown[:5], expected=f"the {len(codes)} sectors of the table"))
    pos = {c: i for i, c in enumerate(codes)}
    if table.compensation_row is not None:
        comp = table.V_[list(table.primary_labels.index).index(table.compensation_row)]
    else:
        comp = np.zeros(table.n)
    sources = list(dict.fromkeys(conc.source))
    W = np.zeros((len(sources), table.n))
    for src, grp in conc.groupby("source", sort=False):
        cols = [pos[t] for t in grp.target]
        for basis in (comp[cols], table.x_[cols], np.ones(len(cols))):
            if basis.sum() > 0:
                W[sources.index(src), cols] = basis / basis.sum()
                break
    return pd.DataFrame(W, index=pd.Index(sources, name="source"),
                        columns=pd.Index(codes, name="sector"))


def read_employment(path) -> pd.DataFrame:
    """Employment by leaf row (index: code; columns: years as int), 10,000 persons."""
    path = Path(path)
    try:
        df = pd.read_csv(path, dtype={"Code": str})
    except FileNotFoundError:
        raise DatasetError(f"employment data not found: {path} (expected "
                           "cn_employment_1990_2018.csv; run `lianpu download cn-employment`)") from None
    if "Code" not in df.columns:
        raise FormatError(message(path.name, "missing column 'Code'",
                                  found=list(df.columns)[:5], expected="Code, Description, …, years"))
    df = df.set_index("Code")
    years = [c for c in df.columns if str(c).isdigit()]
    if not years:
        raise FormatError(message(path.name, "no year columns", expected="columns 1990 … 2018"))
    out = df[years].apply(pd.to_numeric, errors="coerce")
    out.columns = [int(y) for y in years]
    return out


def employment_satellite(table, data=None, data_dir=None, *, year: int | None = None,
                         classification: str | None = None):
    """A new table with satellite ``jobs`` (就业, 10,000 persons) for the table's year.

    Parameters
    ----------
    table : IOTable (single-region NBS table; see :data:`CLASSIFICATIONS`)
    data : path of ``cn_employment_1990_2018.csv`` or a frame from :func:`read_employment`;
        default: the registry's ``cn-employment`` in the cache (``data_dir``)
    year : employment year (default: ``table.year``; after 2018 → 2018, noted)
    classification : concordance to use (default: detected from codes and Chinese names)
    """
    if data is None:
        from ..data import registry
        data = registry.path_of("cn-employment", data_dir)
    emp = data if isinstance(data, pd.DataFrame) else read_employment(data)
    want = year if year is not None else table.year
    if want is None:
        raise TableError(message(table.name, "the table has no year", argument="year",
                                 expected="year=… for the employment statistics"))
    notes = []
    use = int(want)
    if use > LAST_YEAR:
        use = LAST_YEAR
        notes.append(Note(f"jobs: the table is for {want}, employment data end in {LAST_YEAR}: "
                          f"{LAST_YEAR} employment used (万人)",
                          f"就业：表为{want}年，就业统计截至{LAST_YEAR}年，采用{LAST_YEAR}年的"
                          "就业人数（万人）"))
    if use < FIRST_YEAR or use not in emp.columns:
        raise TableError(message(table.name, "no employment data for this year", argument="year",
                                 found=want, expected=f"{FIRST_YEAR}–{LAST_YEAR} (later years use {LAST_YEAR})"))
    cl = classification or detect_classification(table)
    W = allocation(table, cl)
    missing = [s for s in W.index if s not in emp.index]
    if missing:
        raise FormatError(message("employment data", "rows named by the concordance are missing",
                                  found=missing[:5], expected="every leaf row A01 … T"))
    col = emp.loc[list(W.index), use]
    if col.isna().any():
        raise FormatError(message("employment data", f"missing value in {use}",
                                  row=col.index[col.isna()][0], expected="a number"))
    jobs = col.to_numpy(float) @ W.to_numpy()
    notes.append(Note(f"jobs: {use} employment by industry (cn_employment_1990_2018) mapped to "
                      f"{cl} by employment_concordance.csv, divisions split by compensation shares",
                      f"就业：{use}年分行业就业人数（cn_employment_1990_2018）按"
                      f"employment_concordance.csv对应到{cl}，门类内按劳动者报酬占比拆分"))
    t = table.with_satellite("jobs", jobs, UNIT, name_zh="就业", name_en="employment")
    return t.evolve(notes=t.notes + tuple(notes))


def _norm(s) -> str:
    return "".join(str(s).split())
