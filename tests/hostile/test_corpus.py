"""The hostile-input corpus (issue 14): every malformed input gives a LianpuError naming the
file, the place and what was expected — never a traceback, never a silent misreading.

The table of cases — (mutation, expected exception class, expected message fragment) — is
:func:`make_corpus.cases`; the files are written from the real data into a tmp folder.
"""
from __future__ import annotations

import pytest

from . import make_corpus as M

CASES = M.cases()


@pytest.fixture(scope="module")
def ctx(shared_data, tmp_path_factory):
    return M.Ctx(shared_data, tmp_path_factory.mktemp("hostile"))


def test_corpus_size_and_classes():
    kinds = {c.kind for c in CASES}
    assert len(CASES) >= 60
    for k in ("encodings", "delimiters", "title rows", "missing/extra columns", "non-numbers",
              "NaN/inf", "huge fields", "NUL bytes", "duplicate codes", "unbalanced rows",
              "negative flows", "truncated files", "tampered Parquet metadata",
              "zip/xlsx oddities", "long ids", "bad demand files", "full disk"):
        assert k in kinds, k
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case, ctx):
    ok, detail = M.run_case(case, ctx)
    assert ok, f"{case.name}: expected {case.error} containing {case.fragment!r}; got {detail}"


def test_outcome_line(ctx, capsys):
    results, line = M.run(ctx.data, ctx.out)
    with capsys.disabled():
        print(f"\nhostile corpus: {line}")
    bad = [(c.name, d) for c, ok, d in results if not ok]
    assert not bad, bad
    assert line == f"{len(CASES)} clear of {len(CASES)}"


# ---------------------------------------------------------------------------- through the CLI
@pytest.mark.parametrize("name", ["nbs-semicolon", "nbs-title-row", "nbs-column-after-go",
                                  "nbs-nul-name", "nbs-huge-name", "native-huge-shape",
                                  "native-bad-position", "nbs-long-id", "xlsx-empty-zip"])
def test_cli_exit_2_one_line(name, ctx, capsys):
    from lianpu.cli import main
    case = next(c for c in CASES if c.name == name)
    path = case.make(ctx)
    code = main(["info", str(path)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert path.name in err and case.fragment.split("(")[0].strip() in " ".join(err.split())
    assert "Traceback" not in err


def test_cli_disk_full(ctx, capsys, monkeypatch):
    """A full disk while writing an export: 'cannot write X: disk full', exit 2."""
    import errno

    import lianpu.atomic as A
    from lianpu.cli import main

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(A.os, "replace", full)
    out = ctx.out / "export.xlsx"
    code = main(["export", str(ctx.native_path), "--to", str(out)])
    err = capsys.readouterr().err
    if code == 2 and "No such command" in err:  # pragma: no cover - no export command
        pytest.skip("no export command")
    assert code == 2, err
    assert "cannot write" in err and "disk full" in err and not out.exists()


def test_cli_negative_demand_needs_flag(ctx, capsys):
    """CLI and API refuse a negative amount by the same rule."""
    import lianpu
    from lianpu.cli import main
    from lianpu.core.errors import ArgumentError, FormatError
    d = ctx.demand("neg_cli.csv", "01,-5,万元\n")
    with pytest.raises(FormatError, match="negative amount"):
        lianpu.read_demand(d, ctx.table)
    with pytest.raises(FormatError, match="negative amount"):
        lianpu.impact(ctx.table, d, type="I")
    with pytest.raises(ArgumentError, match="negative demand"):
        lianpu.impact(ctx.table, [-1.0] + [0.0] * 41, type="I")
    from lianpu.analysis.scenarios.demand import as_demand
    r = lianpu.impact(ctx.table, as_demand(ctx.table, d, allow_negative=True), type="I")
    assert r.output("total").sum() < 0
    code = main(["impact", str(ctx.data / M.NBS), "--demand", str(d), "--type", "I"])
    assert code == 2 and "negative amount" in capsys.readouterr().err


def test_every_reader_forced_on_every_file(ctx):
    """``lianpu.load(path, format=R)`` for each registered reader R and each corpus file (and
    the sound sources): a table or a LianpuError naming the file, never a traceback."""
    import traceback

    import lianpu
    from lianpu.core.errors import LianpuError
    from lianpu.readers.base import readers
    files = [c.make(ctx) for c in CASES if c.action == "load" and c.name != "missing-file"]
    files += [ctx.data / M.NBS, ctx.data / M.OECD, ctx.native_path, ctx.generic_path]
    bad = []
    for f in files:
        for r in readers():
            try:
                lianpu.load(f, format=r)
            except LianpuError as exc:
                if f.name not in str(exc):
                    bad.append((r, f.name, f"message does not name the file: {exc}"))
            except Exception as exc:  # noqa: BLE001 - a traceback is what this test looks for
                where = traceback.extract_tb(exc.__traceback__)[-1]
                bad.append((r, f.name, f"{type(exc).__name__} at {where.filename}:{where.lineno}"))
    assert not bad, bad
