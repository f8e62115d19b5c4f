"""Impact analysis: Miller & Blair (2009) figures, identities of the effects, independent
routes (explicit inverses with numpy), demand files and their errors."""
import json

import numpy as np
import pandas as pd
import pytest

import lianpu
from lianpu.analysis.scenarios.demand import read_demand
from lianpu.core.errors import FormatError, TableError
from lianpu.core.units import parse_money

EXAMPLE = __import__("pathlib").Path(__file__).resolve().parents[3] / "docs/examples/project_demand.csv"


@pytest.fixture(scope="module")
def t2020(nbs_dir):
    return lianpu.load(nbs_dir / "cn_io_2020_42.csv")


def test_book_type1_output(mb):
    """M&B (2009) §2.3: f = [600, 1500] gives x = L f = [1247.52, 1841.58]."""
    r = lianpu.impact(mb, [600, 1500], type="I")
    np.testing.assert_allclose(r.output("total").ravel(), [1247.52, 1841.58], atol=5e-3)
    np.testing.assert_allclose(r.output("direct").ravel(), [600, 1500])
    np.testing.assert_allclose(r.output("indirect").ravel(), [647.52, 341.58], atol=5e-3)
    assert r.effects == ("direct", "indirect", "total")


def test_type2_induced_against_explicit_augmented_inverse(mb):
    """Independent route: numpy.linalg.inv of I − Ā (M&B eq. 2.25) with hr = COMP/x and
    hc = HH / total COMP."""
    A = mb.Z_ / mb.x_
    hr, hc = mb.V_[0] / mb.x_, mb.Y_[:, 0] / mb.V_[0].sum()
    Lbar = np.linalg.inv(np.eye(3) - np.block([[A, hc[:, None]], [hr[None, :], np.zeros((1, 1))]]))
    f = np.array([600.0, 1500.0])
    r = lianpu.impact(mb, f, type="II")
    x2 = Lbar[:2, :2] @ f
    np.testing.assert_allclose(r.output("total").ravel(), x2, rtol=1e-12)
    np.testing.assert_allclose(r.output("induced").ravel(), x2 - np.linalg.solve(np.eye(2) - A, f),
                               rtol=1e-12)
    # income total = household row of L̄ f̄ (income earned, incl. induced rounds)
    inc = r.effect("income", "total").sum()
    assert inc == pytest.approx((Lbar[2, :2] @ f), rel=1e-12)


@pytest.mark.parametrize("which", ["mb", "t2020"])
def test_effects_add_up_and_type2_ge_type1(which, request):
    t = request.getfixturevalue(which)
    hh = ("TC",) if which == "t2020" else None
    rng = np.random.default_rng(5)
    f = rng.uniform(0, 1000, (t.n, 3))
    r1 = lianpu.impact(t, f, type="I")
    r2 = lianpu.impact(t, f, type="II", households=hh)
    for ind in r2.indicators:
        parts = sum(r2.effect(ind, e) for e in ("direct", "indirect", "induced"))
        np.testing.assert_allclose(parts, r2.effect(ind, "total"), rtol=1e-12, atol=1e-9)
        assert (r2.effect(ind, "total") >= r1.effect(ind, "total") - 1e-9).all()
        assert (r2.effect(ind, "induced") >= -1e-9).all()
    tot = r2.totals()
    np.testing.assert_allclose(tot[["direct", "indirect", "induced"]].sum(axis=1), tot["total"],
                               rtol=1e-12)


def test_net_mode_one_sector_is_output_to_output_formula(mb):
    """Contribution of sector 1 with output 100: x = L e₁ · 100 / l₁₁ (partition (I − A)L = I),
    L from numpy.linalg.inv."""
    L = np.linalg.inv(np.eye(2) - mb.Z_ / mb.x_)
    r = lianpu.impact(mb, [100.0, 0.0], type="I", mode="net")
    np.testing.assert_allclose(r.output("total").ravel(), L[:, 0] * 100 / L[0, 0], rtol=1e-12)
    assert r.output("indirect")[0, 0] == pytest.approx(0.0, abs=1e-12)  # own sales not recounted
    assert r.output("total")[1, 0] < lianpu.impact(mb, [100.0, 0], type="I").output("total")[1, 0]


def test_net_mode_group_equals_row_extraction(t2020):
    """Independent route for a group J = {18, 19}: zero the rows J of A (their output is given)
    and solve (I − Ã) x = [x_J at J, 0 elsewhere] with numpy.linalg.solve."""
    codes = list(t2020.index)
    J = [codes.index("18"), codes.index("19")]
    d = np.zeros(t2020.n)
    d[J] = [5e6, 2e6]
    At = np.array(t2020.A_)
    At[J] = 0.0
    x = np.linalg.solve(np.eye(t2020.n) - At, d)
    r = lianpu.impact(t2020, d, type="I", mode="net")
    np.testing.assert_allclose(r.output("total").ravel(), x, rtol=1e-10)
    r2 = lianpu.impact(t2020, d, type="II", mode="net", households=("TC",))
    assert (r2.output("induced")[J] == 0).all() and r2.output("induced").sum() > 0


def test_batch_of_10000_equals_single_solves(t2020):
    """A 10,000-scenario matrix RHS on one factorization equals 10,000 separate solves (all
    columns through the factor, and 30 through a full single-vector impact())."""
    rng = np.random.default_rng(11)
    D = rng.uniform(0, 1e5, (t2020.n, 10_000))
    r = lianpu.impact(t2020, D, type="I")
    X = r.output("total")
    single = np.column_stack([t2020.factor.solve(D[:, j]) for j in range(D.shape[1])])
    np.testing.assert_allclose(X, single, rtol=1e-10)
    tot = r.totals()
    for j in rng.choice(10_000, 30, replace=False):
        one = lianpu.impact(t2020, D[:, j], type="I")
        np.testing.assert_allclose(one.totals()["total"], tot.xs(f"s{j}", level="scenario")
                                   ["total"], rtol=1e-10)


def test_local_share_and_frame(mb):
    r = lianpu.impact(mb, pd.Series({"1": 600.0, "2": 1500.0}), type="II", local_share=[0.5, 1.0])
    np.testing.assert_allclose(r.output("direct").ravel(), [300, 1500])
    np.testing.assert_allclose(r.demand_gross.ravel(), [600, 1500])
    df = r.to_frame()
    assert list(df.columns) == ["indicator", "effect", "region", "sector", "value", "unit"]
    assert set(df.effect) == {"direct", "indirect", "induced", "total"}
    sums = df.groupby(["indicator", "effect"], sort=False)["value"].sum()
    tot = r.totals().xs("demand", level="scenario")
    for (ind, eff), v in sums.items():
        assert v == pytest.approx(tot.loc[ind, eff], rel=1e-12)
    d = json.loads(r.to_json())
    assert d["type"] == "II" and d["effects"]["induced"]["name_zh"] == "诱发效应"
    assert len(d["by_sector"]) == len(df) and d["unit"] == "万元"


def test_satellite_effect_is_intensity_times_output(mb):
    t = mb.with_satellite("jobs", [10.0, 40.0], "persons", name_zh="就业")
    r = lianpu.impact(t, [600, 1500], type="II")
    for e in r.effects:
        np.testing.assert_allclose(r.effect("jobs", e), np.array([[0.01], [0.02]]) * r.output(e))
    assert r.units["jobs"] == "persons" and r.to_dict()["indicators"]["jobs"]["name_zh"] == "就业"


def test_multiregional_demand_and_type2_refused():
    Z = np.array([[10, 5, 1, 0], [4, 10, 0, 2], [1, 0, 10, 5], [0, 3, 6, 10.0]])
    t = lianpu.IOTable.from_arrays(Z, np.full((4, 1), 50.0), sectors=["a", "b", "a", "b"],
                                   regions=["R1", "R1", "R2", "R2"], unit="million USD")
    r = lianpu.impact(t, pd.Series({("R2", "a"): 10.0}), type="I")
    np.testing.assert_allclose(r.output("total").ravel(), t.factor.solve(np.array([0, 0, 10, 0.0])))
    assert set(r.to_frame().region) == {"R1", "R2"}
    with pytest.raises(TableError, match="multi-regional"):
        lianpu.impact(t, [1, 0, 0, 0], type="II")


# ----------------------------------------------------------------------------- demand files
def test_example_file_units_and_local_shares(t2020):
    d = read_demand(EXAMPLE, t2020)
    codes = list(t2020.index)
    assert d.amount.sum() == pytest.approx(1_000_000)            # 100亿元 in 万元 (file header)
    assert d.local[codes.index("18"), 0] == pytest.approx(550_000 * 0.92)
    assert d.scenarios == ("demand",) and d.source == "project_demand.csv"


def test_units_convert_within_a_currency(tmp_path, t2020):
    p = tmp_path / "d.csv"
    p.write_text("sector,amount,unit\n1,2,亿元\n交通运输设备,3,万元\n18,1000,元\n", encoding="utf-8")
    d = read_demand(p, t2020)
    assert d.amount[0, 0] == pytest.approx(20_000)                   # 2 亿元 = 20,000 万元
    assert d.amount[list(t2020.index).index("18"), 0] == pytest.approx(3.1)  # 3 万元 + 1000 元
    assert parse_money("10,000 CNY (万元)") == ("CNY", 1e4) and parse_money("百万美元") == ("USD", 1e6)


@pytest.mark.parametrize("body, match", [
    ("sector,amount,unit\n18,5,万元\n# c\n99,5,万元\n", r"d\.csv: line 4: column 'sector': unknown sector code '99'"),
    ("sector,amount,unit\n18,-5,万元\n", r"line 2: column 'amount': negative amount"),
    ("sector,amount,unit,local_share\n18,5,万元,1.2\n", r"line 2: column 'local_share': local share outside"),
    ("sector,amount\n18,5\n", r"line 1: missing column 'unit'"),
    ("sector,amount,unit\n18,5,\n", r"line 2: column 'unit': missing unit"),
    ("sector,amount,unit\n18,5,million USD\n", r"line 2: column 'unit': unit 'million USD' is in USD"),
    ("sector,amount,unit\n18,abc,万元\n", r"line 2: column 'amount': not a number"),
    ("sektor,amount,unit\n18,5,万元\n", r"line 1: unknown column 'sektor'"),
])
def test_csv_errors_name_the_line(tmp_path, t2020, body, match):
    p = tmp_path / "d.csv"
    p.write_text(body, encoding="utf-8")
    with pytest.raises(FormatError, match=match):
        read_demand(p, t2020)


def test_negative_allowed_on_request_and_scenarios_and_gb18030(tmp_path, t2020):
    p = tmp_path / "d.csv"
    p.write_bytes("sector,amount,unit,scenario\n18,-5,万元,低\n18,7,万元,高\n".encode("gb18030"))
    d = read_demand(p, t2020, allow_negative=True)
    i = list(t2020.index).index("18")
    assert d.scenarios == ("低", "高") and list(d.amount[i]) == [-5, 7]
    r = lianpu.impact(t2020, d, type="I")
    assert "scenario" in r.to_frame().columns


def test_toml_profile_and_error_line(tmp_path, t2020):
    p = tmp_path / "d.toml"
    p.write_text('unit = "亿元"\nscenario = "p"\n[amount]\n"18" = 55\n"27" = 15\n'
                 '[local_share]\n"18" = 0.9\n', encoding="utf-8")
    d = read_demand(p, t2020)
    i = list(t2020.index).index("18")
    assert d.amount[i, 0] == pytest.approx(550_000) and d.local[i, 0] == pytest.approx(495_000)
    p.write_text('unit = "亿元"\n[amount]\n"18" = 55\n"77" = 1\n', encoding="utf-8")
    with pytest.raises(FormatError, match=r"d\.toml: line 4: column 'sector': unknown sector code '77'"):
        read_demand(p, t2020)


def test_argument_errors(mb):
    with pytest.raises(ValueError, match="argument 'type'"):
        lianpu.impact(mb, [1, 1], type="III")
    with pytest.raises(ValueError, match="argument 'demand': found shape"):
        lianpu.impact(mb, [1, 2, 3])
    with pytest.raises(TableError, match="unknown sector '9'"):
        lianpu.impact(mb, pd.Series({"9": 1.0}))


def test_multiregional_csv_region_column_and_prefix(tmp_path):
    """(region, sector) rows by a region column or REGION/SECTOR; 百万美元 = million USD."""
    Z = np.array([[10, 5, 1, 0], [4, 10, 0, 2], [1, 0, 10, 5], [0, 3, 6, 10.0]])
    t = lianpu.IOTable.from_arrays(Z, np.full((4, 1), 50.0), sectors=["a", "b", "a", "b"],
                                   regions=["R1", "R1", "R2", "R2"], unit="million USD")
    p = tmp_path / "m.csv"
    p.write_text("sector,region,amount,unit\na,R2,10,million USD\nR1/b,,5,百万美元\n", encoding="utf-8")
    np.testing.assert_allclose(read_demand(p, t).amount.ravel(), [0, 5, 10, 0])
    p.write_text("sector,amount,unit\na,10,million USD\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"line 2: column 'sector': unknown sector code 'a'.*REGION/SECTOR"):
        read_demand(p, t)
