"""Generators of small files in the published layouts of OECD ICIO (2023 edition CSV) and
EXIOBASE 3 (IOT_YEAR_ixi.zip): 3 regions × 4 sectors, balanced by construction."""
from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

ICIO_INDUSTRIES = ["A01_02", "B05_06", "C10T12", "D"]
ICIO_FD = ["HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR"]


def _balanced(n, k, seed):
    rng = np.random.default_rng(seed)
    Z = rng.uniform(1, 10, (n, n)).round(3)
    Y = rng.uniform(20, 60, (n, k)).round(3)
    return Z, Y, Z.sum(1) + Y.sum(1)


def write_icio(path: Path, *, regions=("AUS", "CHN", "ROW"), extended=False, seed=0,
               mutate=None, fd_split=False) -> dict:
    """An ICIO CSV. ``extended``: CHN industry rows/columns split into CN1/CN2 (final demand
    stays under CHN). Returns the arrays written (for checks)."""
    row_regs = [r2 for r in regions for r2 in (("CN1", "CN2") if extended and r == "CHN" else (r,))]
    codes = [f"{r}_{s}" for r in row_regs for s in ICIO_INDUSTRIES]
    fd = [f"{r}_{c}" for r in (row_regs if fd_split else regions) for c in ICIO_FD]
    n, k = len(codes), len(fd)
    Z, Y, x = _balanced(n, k, seed)
    Y[:, 4::len(ICIO_FD)] -= 25  # inventories: some negative
    x = Z.sum(1) + Y.sum(1)
    tls = np.round(0.02 * x, 3)
    va = x - Z.sum(0) - tls
    tls_fd = np.round(np.full(k, 0.5), 3)
    lines = [",".join(['"V1"'] + [f'"{c}"' for c in codes + fd] + ['"OUT"'])]
    for i, c in enumerate(codes):
        lines.append(",".join([f'"{c}"'] + [repr(float(v)) for v in Z[i]]
                              + [repr(float(v)) for v in Y[i]] + [repr(float(x[i]))]))
    lines.append(",".join(['"TLS"'] + [repr(float(v)) for v in tls] + [repr(float(v)) for v in tls_fd]
                          + [repr(float(tls.sum() + tls_fd.sum()))]))
    lines.append(",".join(['"VA"'] + [repr(float(v)) for v in va] + ["0"] * k
                          + [repr(float(va.sum()))]))
    lines.append(",".join(['"OUT"'] + [repr(float(v)) for v in x] + ["0"] * k + ["0"]))
    if mutate:
        lines = mutate(lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"Z": Z, "Y": Y, "x": x, "codes": codes, "fd": fd, "va": va, "tls": tls}


EXIO_REGIONS = ("AT", "CN", "WM")
EXIO_SECTORS = ["Cultivation of paddy rice", "Mining of coal and lignite",
                "Production of electricity by coal", "Retail trade"]
EXIO_FD = ["Final consumption expenditure by households",
           "Final consumption expenditure by non-profit organisations serving households (NPISH)",
           "Final consumption expenditure by government", "Gross fixed capital formation",
           "Changes in inventories", "Changes in valuables", "Exports: Total (fob)"]
SATELLITE = [("Taxes less subsidies on products purchased: Total", "M.EUR"),
             ("Compensation of employees; wages, salaries, & employers' social contributions: "
              "Low-skilled", "M.EUR"),
             ("CO2 - combustion - air", "kg"), ("Employment: Low-skilled male", "1000 p")]
IMPACTS = [("GHG emissions (GWP100) | Problem oriented approach: baseline (CML, 2001) | GWP100 "
            "(IPCC, 2007)", "kg CO2 eq."), ("Value Added", "M.EUR")]


def _tsv_matrix(head_names, head_levels, labels, label_names, M) -> str:
    nl = len(label_names)
    out = []
    for name, lv in zip(head_names, head_levels):
        out.append("\t".join([name] + [""] * (nl - 1) + list(lv)))
    if nl > 1:
        out.append("\t".join(list(label_names) + [""] * len(head_levels[0])))
    for lab, row in zip(labels, M):
        out.append("\t".join(list(lab) + [repr(float(v)) for v in row]))
    return "\n".join(out) + "\n"


def exiobase_files(*, seed=1, with_z=True, negative=False) -> dict[str, str]:
    """The text files of an EXIOBASE 3 year (relative names inside IOT_YEAR_ixi/)."""
    secs = [(r, s) for r in EXIO_REGIONS for s in EXIO_SECTORS]
    fds = [(r, c) for r in EXIO_REGIONS for c in EXIO_FD]
    n, k = len(secs), len(fds)
    Z, Y, x = _balanced(n, k, seed)
    Y[:, 6::7] = 0.0  # exports to outside the world table: zero, as published
    if negative:  # one small negative flow, as some releases carry
        Z[0, 1] = -0.5
    x = Z.sum(1) + Y.sum(1)
    rng = np.random.default_rng(seed + 1)
    files = {}
    reg_lv, sec_lv = [r for r, _ in secs], [s for _, s in secs]
    if with_z:
        files["Z.txt"] = _tsv_matrix(("region", "sector"), (reg_lv, sec_lv), secs,
                                     ("region", "sector"), Z)
    files["A.txt"] = _tsv_matrix(("region", "sector"), (reg_lv, sec_lv), secs,
                                 ("region", "sector"), Z / x[None, :])
    files["Y.txt"] = _tsv_matrix(("region", "category"), ([r for r, _ in fds], [c for _, c in fds]),
                                 secs, ("region", "sector"), Y)
    files["x.txt"] = "region\tsector\tindout\n" + "".join(
        f"{r}\t{s}\t{float(v)!r}\n" for (r, s), v in zip(secs, x))
    files["unit.txt"] = "region\tsector\tunit\n" + "".join(f"{r}\t{s}\tM.EUR\n" for r, s in secs)
    for folder, rows, idx in (("satellite", SATELLITE, "stressor"), ("impacts", IMPACTS, "impact")):
        F = rng.uniform(0, 5, (len(rows), n)).round(4)
        FY = rng.uniform(0, 1, (len(rows), k)).round(4)
        names = [(nm,) for nm, _ in rows]
        files[f"{folder}/F.txt"] = _tsv_matrix(("region", "sector"), (reg_lv, sec_lv), names,
                                               (idx,), F)
        files[f"{folder}/F_Y.txt"] = _tsv_matrix(("region", "category"),
                                                 ([r for r, _ in fds], [c for _, c in fds]),
                                                 names, (idx,), FY)
        files[f"{folder}/unit.txt"] = f"{idx}\tunit\n" + "".join(f"{nm}\t{u}\n" for nm, u in rows)
    files["_arrays"] = {"Z": Z, "Y": Y, "x": x}  # type: ignore[assignment]
    return files


def write_exiobase(path: Path, *, year=2022, kind="ixi", folder=False, edit=None, **kw) -> Path:
    """Write ``IOT_{year}_{kind}.zip`` (or the extracted folder) into ``path`` (a directory)."""
    files = exiobase_files(**kw)
    files.pop("_arrays")
    if edit:
        files = edit(files)
    root = f"IOT_{year}_{kind}"
    if folder:
        base = path / root
        for rel, text in files.items():
            (base / rel).parent.mkdir(parents=True, exist_ok=True)
            (base / rel).write_text(text, encoding="utf-8")
        return base
    target = path / f"{root}.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for rel, text in files.items():
            z.writestr(f"{root}/{rel}", text)
    return target
