"""CLI through its real entry point (``lianpu.cli.main`` is the console script), asserting
exit codes, stdout/stderr separation and that ``--json`` output parses."""
import json
import subprocess
import sys

import openpyxl
import pytest

from lianpu.cli import main


@pytest.fixture(scope="module")
def cache(tmp_path_factory, shared_data):
    """A cache seeded from ../shared/data the way CI and users with a local copy do it."""
    d = tmp_path_factory.mktemp("cache")
    assert main(["download", "cn-nbs-2020-153", "cn-nbs-2020-42", "--from", str(shared_data),
                 "--data-dir", str(d), "--json"]) == 0
    return d


def run(capsys, *args):
    code = main(list(args))
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def test_datasets_json(capsys, cache):
    code, out, err = run(capsys, "datasets", "--json", "--data-dir", str(cache))
    assert code == 0
    rows = json.loads(out)
    byid = {r["id"]: r for r in rows}
    # 55 IO tables + 26 CEADs/employment datasets + 156 provincial and early national tables
    # (issue 12: 30 + 30 + 31 + 31 provinces in 2002/2007/2012/2017, 29 in 1997, 5 national)
    assert len(rows) == 55 + 26 + 156 and byid["cn-nbs-2020-153"]["cached"] and not byid["cn-oecd-2018"]["cached"]
    assert byid["cn-nbs-2020-153"]["title_zh"].startswith("中国")


def test_multipliers_json_matches_library(capsys, cache):
    import lianpu
    code, out, _ = run(capsys, "multipliers", "cn-nbs-2020-153", "--kind", "output", "--type",
                       "II", "--top", "5", "--json", "--data-dir", str(cache))
    assert code == 0
    d = json.loads(out)
    assert d["type"] == "II" and len(d["multipliers"]) == 5
    m = lianpu.multipliers(lianpu.load("cn-nbs-2020-153", data_dir=cache), "output", type="II")
    top = m.sort_values(ascending=False)
    assert [r["sector"] for r in d["multipliers"]] == list(top.index[:5])
    assert d["multipliers"][0]["value"] == pytest.approx(top.iloc[0], rel=1e-12)


def test_multipliers_table_zh_and_en(capsys, cache):
    code, out, _ = run(capsys, "multipliers", "cn-nbs-2020-153", "--top", "3", "--data-dir",
                       str(cache))
    assert code == 0 and "产出乘数" in out and "部门" in out
    code, out, _ = run(capsys, "multipliers", "cn-nbs-2020-153", "--top", "3", "--lang", "en",
                       "--data-dir", str(cache))
    assert code == 0 and "output multiplier" in out


def test_info_json(capsys, cache):
    code, out, _ = run(capsys, "info", "cn-nbs-2020-42", "--json", "--data-dir", str(cache))
    d = json.loads(out)
    assert code == 0 and d["sectors"] == 42 and d["imports"] == "non-competitive"
    assert d["balance"]["ok"] and d["year"] == 2020


def test_info_file_path(capsys, nbs_dir):
    code, out, _ = run(capsys, "info", str(nbs_dir / "cn_io_2015_42.csv"))
    assert code == 0 and "2015" in out


def test_export_xlsx(capsys, cache, tmp_path):
    p = tmp_path / "t.xlsx"
    code, out, _ = run(capsys, "export", "cn-nbs-2020-42", "--to", str(p), "--json",
                       "--data-dir", str(cache))
    assert code == 0 and json.loads(out)["path"] == str(p)
    wb = openpyxl.load_workbook(p, read_only=True)
    assert "Zm 进口中间投入" in wb.sheetnames and "Z 中间流量" in wb.sheetnames


def test_export_parquet_and_csv_roundtrip(capsys, cache, tmp_path):
    import lianpu
    import numpy as np
    t = lianpu.load("cn-nbs-2020-153", data_dir=cache)
    for suf in ("parquet", "csv"):
        p = tmp_path / f"t.{suf}"
        assert run(capsys, "export", "cn-nbs-2020-153", "--to", str(p), "--data-dir", str(cache))[0] == 0
        u = lianpu.load(p)
        assert np.array_equal(u.Z_, t.Z_) and np.array_equal(u.x_, t.x_)


def test_template(capsys, tmp_path):
    p = tmp_path / "t.csv"
    code, _, _ = run(capsys, "template", "--to", str(p), "--sectors", "4")
    assert code == 0 and p.read_text(encoding="utf-8-sig").startswith("code,name_zh,name_en,S01")


# ------------------------------------------------------------------ user errors: exit 2, one line
@pytest.mark.parametrize("args,msg", [
    (["info", "cn-nbs-2099-1"], "unknown dataset 'cn-nbs-2099-1'"),
    (["multipliers", "cn-nbs-2020-153", "--kind", "jobs"],  # shipped satellite, not cached
     "run `lianpu download cn-employment`"),
    (["multipliers", "cn-nbs-2020-153", "--kind", "wages"], "unknown multiplier kind 'wages'"),
    (["multipliers", "cn-nbs-2020-153", "--type", "III"], "found 'III', expected 'I' or 'II'"),
    (["multipliers", "cn-nbs-2020-42", "--type", "II", "--households", "XX"],
     "unknown household column"),
    (["multipliers", "cn-nbs-2020-153", "--lang", "fr"], "--lang: found 'fr'"),
    (["export", "cn-nbs-2020-153", "--to", "x.docx"], "unknown export format '.docx'"),
    (["download"], "give dataset ids or --all"),
])
def test_user_errors(capsys, cache, args, msg):
    code, out, err = run(capsys, *args, "--data-dir", str(cache))
    assert code == 2, err
    assert msg in err and out == ""
    assert len(err.strip().splitlines()) == 1


def test_not_cached_error(capsys, tmp_path):
    code, out, err = run(capsys, "info", "cn-oecd-2018", "--data-dir", str(tmp_path))
    assert code == 2 and "lianpu download cn-oecd-2018" in err


def test_bad_file_error(capsys, tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("a,b\n1,2\n")
    code, _, err = run(capsys, "info", str(p))
    assert code == 2 and "unknown table format" in err


def test_console_script_subprocess(cache):
    """The installed console script itself (not only main()): exit code and JSON."""
    r = subprocess.run([sys.executable, "-m", "lianpu", "multipliers", "cn-nbs-2020-42",
                        "--kind", "value_added", "--top", "2", "--json", "--data-dir", str(cache)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert len(json.loads(r.stdout)["multipliers"]) == 2
    r = subprocess.run([sys.executable, "-m", "lianpu", "info", "nope-id"], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 2 and "unknown dataset" in r.stderr


def test_verbose_and_storage_options(capsys, cache, tmp_path):
    """--verbose (issue 17): after the command, one stderr line per solver the run made —
    the LU on a 42-sector table (n ≤ 2000), batched GMRES with its passes on a 2100-sector
    one — and stdout stays the command's own (JSON parses)."""
    import numpy as np

    import lianpu
    code, out, err = run(capsys, "--verbose", "multipliers", "cn-nbs-2020-42", "--top", "2",
                         "--json", "--data-dir", str(cache))
    assert code == 0 and json.loads(out)["kind"] == "output"
    assert "solver 求解器 [cn-nbs-2020-42" in err and ": lu (dense), n = 42" in err
    assert "one LU is cheap" in err
    rng = np.random.default_rng(0)
    n = 2100
    A = rng.uniform(0, 1, (n, n)) * (rng.uniform(size=(n, n)) < 0.02)
    A *= 0.5 / np.maximum(A.sum(axis=0), 1e-12)
    x = rng.uniform(50, 150, n)
    Z = A * x[None, :]
    big = tmp_path / "big.parquet"
    lianpu.IOTable.from_arrays(Z, (x - Z.sum(axis=1))[:, None], x=x, name="big").save(big)
    code, out, err = run(capsys, "-v", "multipliers", str(big), "--top", "2")
    assert code == 0, err
    line = next(ln for ln in err.splitlines() if ln.startswith("solver 求解器 [big]"))
    assert ": krylov (gmres), n = 2100" in line and "Hawkins–Simon" in line
    assert int(line.split(" passes over A")[0].rsplit(", ", 1)[1]) > 0
    code, out, err = run(capsys, "multipliers", "cn-nbs-2020-42", "--top", "2",
                         "--data-dir", str(cache))
    assert "solver 求解器" not in err  # off unless asked
    # --storage sparse: the Parquet file's Z read straight into CSR, same multipliers
    code, js_dense, _ = run(capsys, "multipliers", str(big), "--top", "3", "--json")
    code, js_sparse, err = run(capsys, "--storage", "sparse", "-v", "multipliers", str(big),
                               "--top", "3", "--json")
    assert code == 0 and "storage sparse" in err
    a, b = (json.loads(j)["multipliers"] for j in (js_dense, js_sparse))
    assert [r["sector"] for r in a] == [r["sector"] for r in b]
    assert all(abs(x["value"] - y["value"]) <= 1e-10 * abs(x["value"]) for x, y in zip(a, b))
    code, _, err = run(capsys, "--storage", "csr", "multipliers", str(big))
    assert code == 2 and "--storage: found 'csr'" in err
