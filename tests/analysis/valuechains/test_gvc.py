"""Value-chain decompositions (lianpu.analysis.valuechains.gvc, lianpu.core.gvc).

Where the expected numbers come from:
(a) a 3-country toy MRIO (and a 3-country system with a fourth, non-producing final-demand
    region) solved by brute force here: explicit inverses with numpy.linalg.inv, every term
    typed in as printed in the papers — KWW (2014) eq. (36), WWZ (2013) eq. (37), Borin &
    Mancini (2023) with B^{/s} = (I − A^{/s})⁻¹ inverted explicitly, Wang et al. (2017a,b)
    V̂BŶ split and production lengths; the library computes the same by block solves;
(b) identities on WIOD 2013 (2011): every decomposition sums to gross exports at every level;
    KWW's DVA (K1–K5), domestic double counting (K6) and VS = FVA + FDC (K7–K9) equal the
    independent routes of lianpu.regions.trade_value_added (Los, Timmer & de Vries 2016; HIY
    2001); WWZ summed over partners reproduces KWW's groups; Wang et al.'s forward terms sum
    to value added and backward terms to final goods, sector by sector.
"""
import json

import numpy as np
import pandas as pd
import pytest

import lianpu
from lianpu.analysis.valuechains import gvc
from lianpu.analysis.regions import spillover as regions
from lianpu.core import gvc as core
from lianpu.core.notes import notes_zh
from lianpu.table import _label_frame


class _F:
    def __init__(self, M):
        self.inv = np.linalg.inv(M)

    def solve(self, b):
        return self.inv @ b

    def solve_transposed(self, b):
        return self.inv.T @ b


def toy(G=3, N=2, D=3, seed=1):
    rng = np.random.default_rng(seed)
    n = G * N
    Z = rng.uniform(1, 10, (n, n))
    for s in range(G):
        Z[s * N:(s + 1) * N, s * N:(s + 1) * N] *= 4
    Y = rng.uniform(5, 30, (n, D))
    for s in range(G):
        Y[s * N:(s + 1) * N, s] *= 5
    x = Z.sum(1) + Y.sum(1)
    return Z, Y, x


def brute(A, Y, G, N):
    """Every term by explicit inverses, literally as in the papers."""
    n, D = G * N, Y.shape[1]
    B = np.linalg.inv(np.eye(n) - A)
    v = 1 - A.sum(0)
    x = B @ Y.sum(1)
    P = [slice(s * N, (s + 1) * N) for s in range(G)]
    b = lambda M, s, r: M[P[s], P[r]]  # noqa: E731
    L = [np.linalg.inv(np.eye(N) - b(A, s, s)) for s in range(G)]
    V = [v[P[s]] for s in range(G)]
    y = lambda s, r: Y[P[s], r]  # noqa: E731
    z = np.zeros(N)
    E = lambda s, r: (b(A, s, r) @ x[P[r]] if r < G else 0) + y(s, r)  # noqa: E731
    Es = [sum(E(s, r) for r in range(D) if r != s) for s in range(G)]
    T = np.zeros((16, G, D, N))
    for s in range(G):
        VB, VL = V[s] @ b(B, s, s), V[s] @ L[s]
        for r in range(D):
            if r == s:
                continue
            T[0, s, r] = VB * y(s, r)
            if r >= G:
                T[13, s, r] = sum(V[t] @ b(B, t, s) for t in range(G) if t != s) * y(s, r)
                continue
            Asr, th = b(A, s, r), [t for t in range(G) if t not in (s, r)]
            T[1, s, r] = VL * (Asr @ b(B, r, r) @ y(r, r))
            T[2, s, r] = VL * (Asr @ sum((b(B, r, t) @ y(t, t) for t in th), z))
            T[3, s, r] = VL * (Asr @ b(B, r, r) @ sum((y(r, t) for t in range(D) if t not in (s, r)), z))
            T[4, s, r] = VL * (Asr @ sum((b(B, r, t) @ sum((y(t, u) for u in range(D) if u not in (s, t)), z)
                                          for t in th), z))
            T[5, s, r] = VL * (Asr @ b(B, r, r) @ y(r, s))
            T[6, s, r] = VL * (Asr @ sum((b(B, r, t) @ y(t, s) for t in th), z))
            T[7, s, r] = VL * (Asr @ b(B, r, s) @ y(s, s))
            T[8, s, r] = VL * (Asr @ b(B, r, s) @ sum(y(s, t) for t in range(D) if t != s))
            T[9, s, r] = (VL @ sum(b(A, s, t) @ b(B, t, s) for t in range(G) if t != s)) * (Asr @ x[P[r]])
            VBrs = V[r] @ b(B, r, s)
            thv = sum((V[t] @ b(B, t, s) for t in th), z)
            for k, w in ((10, VBrs), (13, thv)):
                T[k, s, r] = w * y(s, r)
                T[k + 1, s, r] = w * (Asr @ L[r] @ y(r, r))
                T[k + 2, s, r] = w * (Asr @ L[r] @ Es[r])
    K = np.zeros((9, G))
    for s in range(G):
        o = [r for r in range(G) if r != s]
        fin = sum(y(s, r) for r in range(D) if r != s)
        K[0, s] = V[s] @ b(B, s, s) @ fin
        K[1, s] = sum(V[s] @ b(B, s, r) @ y(r, r) for r in o)
        K[2, s] = sum(V[s] @ b(B, s, r) @ sum((y(r, t) for t in range(D) if t not in (s, r)), z) for r in o)
        K[3, s] = sum(V[s] @ b(B, s, r) @ y(r, s) for r in o)
        K[4, s] = sum(V[s] @ b(B, s, r) @ b(A, r, s) @ L[s] @ y(s, s) for r in o)
        K[5, s] = sum(V[s] @ b(B, s, r) @ b(A, r, s) @ L[s] @ Es[s] for r in o)
        fc = sum(V[t] @ b(B, t, s) for t in o)
        K[6, s] = fc @ fin
        K[7, s] = fc @ sum(b(A, s, r) @ L[r] @ y(r, r) for r in o)
        K[8, s] = fc @ sum(b(A, s, r) @ L[r] @ Es[r] for r in o)
    bm = {k: np.zeros((G, D, N)) for k in ("sDVA", "sDDC", "sFVA", "sFDC", "kDVA", "kDDC", "kFVA", "kFDC")}
    for s in range(G):
        As = A.copy()
        for j in range(G):
            if j != s:
                As[P[s], P[j]] = 0
        Bs = np.linalg.inv(np.eye(n) - As)          # B^{/s}
        fvs = sum(V[t] @ b(Bs, t, s) for t in range(G) if t != s)
        fc = sum(V[t] @ b(B, t, s) for t in range(G) if t != s)
        xes = Bs[:, P[s]] @ Es[s]
        for r in range(D):
            if r == s:
                continue
            e = E(s, r)
            bm["sDVA"][s, r] = (V[s] @ b(Bs, s, s)) * e
            bm["sDDC"][s, r] = (V[s] @ (b(B, s, s) - b(Bs, s, s))) * e
            bm["sFVA"][s, r], bm["sFDC"][s, r] = fvs * e, (fc - fvs) * e
            ees = (b(A, s, r) @ L[r] @ sum(b(A, r, j) @ xes[P[j]] for j in range(G) if j != r)
                   if r < G else z)
            for k, w, m in (("kDVA", V[s] @ b(B, s, s), e - ees), ("kDDC", V[s] @ b(B, s, s), ees),
                            ("kFVA", fc, e - ees), ("kFDC", fc, ees)):
                bm[k][s, r] = w * m
    # Wang et al. 2017: V̂BŶ split with explicit blocks
    AD = np.zeros_like(A)
    for s in range(G):
        AD[P[s], P[s]] = A[P[s], P[s]]
    AF, Ld = A - AD, np.linalg.inv(np.eye(n) - AD)
    yv = Y.sum(1)
    yD = np.concatenate([y(s, s) for s in range(G)])
    Vh, Yh, YDh = np.diag(v), np.diag(yv), np.diag(yD)
    parts = {"D": Vh @ Ld @ YDh, "RT": Vh @ Ld @ (Yh - YDh), "S": Vh @ Ld @ AF @ Ld @ YDh,
             "C": Vh @ Ld @ AF @ (B @ Yh - Ld @ YDh)}
    Xv = Vh @ Ld @ Ld @ AF @ B @ Yh + Vh @ Ld @ AF @ B @ B @ Yh
    return dict(T=T, K=K, bm=bm, parts=parts, Xv=Xv, B=B, x=x)


def system(G=3, N=2, D=3, seed=1):
    Z, Y, x = toy(G, N, D, seed)
    A = Z / x
    return core.prepare(A, Y, _F(np.eye(G * N) - A), G), A, Y


@pytest.mark.parametrize("G,N,D", [(3, 2, 3), (3, 3, 4)])
def test_core_terms_equal_brute_force(G, N, D):
    S, A, Y = system(G, N, D, seed=G + D)
    ref = brute(A, Y, G, N)
    np.testing.assert_allclose(core.wwz(S), ref["T"], atol=1e-10)
    np.testing.assert_allclose(core.kww(S), ref["K"], atol=1e-10)
    b = core.borin_mancini(S)
    for k in ("DVA", "DDC", "FVA", "FDC"):
        np.testing.assert_allclose(b["source"][k], ref["bm"]["s" + k], atol=1e-10)
        np.testing.assert_allclose(b["sink"][k], ref["bm"]["k" + k], atol=1e-10)
    p = core.participation(S)
    np.testing.assert_allclose(p["f_D"], ref["parts"]["D"].sum(1), atol=1e-10)
    np.testing.assert_allclose(p["f_GVC_S"], ref["parts"]["S"].sum(1), atol=1e-10)
    np.testing.assert_allclose(p["f_GVC_C"], ref["parts"]["C"].sum(1), atol=1e-10)
    np.testing.assert_allclose(p["b_GVC_S"], ref["parts"]["S"].sum(0), atol=1e-10)
    np.testing.assert_allclose(p["b_GVC_C"], ref["parts"]["C"].sum(0), atol=1e-10)
    np.testing.assert_allclose(p["b_RT"], ref["parts"]["RT"].sum(0), atol=1e-10)
    np.testing.assert_allclose(p["Xv_GVC"], ref["Xv"].sum(1), atol=1e-9)
    np.testing.assert_allclose(p["Xy_GVC"], ref["Xv"].sum(0), atol=1e-9)


def test_core_sums_to_gross_exports_and_country_identities():
    S, A, Y = system(3, 3, 4, seed=7)
    E = core.exports(S)
    np.testing.assert_allclose(core.wwz(S).sum(0), E, atol=1e-10)
    np.testing.assert_allclose(core.kww(S).sum(0), E.sum(axis=(1, 2)), atol=1e-10)
    b = core.borin_mancini(S)
    for a in ("source", "sink"):
        np.testing.assert_allclose(sum(b[a].values()), E, atol=1e-10)
    # Borin & Mancini: for a country's total exports source- and sink-based DVA coincide,
    # and equal KWW's DVA (K1–K5) = v_s L_ss E_s* (Los, Timmer & de Vries 2016)
    K = core.kww(S)
    np.testing.assert_allclose(b["source"]["DVA"].sum(axis=(1, 2)), K[:5].sum(0), rtol=1e-12)
    np.testing.assert_allclose(b["sink"]["DVA"].sum(axis=(1, 2)), K[:5].sum(0), rtol=1e-12)


def mrio_table(G=3, N=2, D=4, seed=3):
    """The toy as an IOTable: producing regions a, b, c; a fourth final-demand region 'W'."""
    Z, Y, x = toy(G, N, D, seed)
    regs = ["a", "b", "c", "W"][:G] + (["W"] if D > G else [])
    idx = pd.MultiIndex.from_product([regs[:G], [f"s{i}" for i in range(N)]], names=["region", "sector"])
    fd = pd.MultiIndex.from_tuples([(r, "FD") for r in regs[:D]], names=["region", "category"])
    return lianpu.IOTable(Z, Y, (x - Z.sum(0))[None, :], x, sectors=_label_frame(idx),
                          final_demand_labels=_label_frame(fd),
                          primary_labels=_label_frame(["VA"], index_name="row"), name="toy")


@pytest.mark.parametrize("method,levels", [("wwz", gvc.LEVELS), ("bm", gvc.LEVELS), ("kww", ("country",))])
def test_labelled_levels_sum_to_gross_exports_on_toy(method, levels):
    t = mrio_table()
    e = regions.gross_exports(t)
    for level in levels:
        r = gvc.decompose(t, method, level)
        f = r.to_frame()
        assert f["residual"].abs().max() < 1e-9, level
        assert f["gross_exports"].sum() == pytest.approx(e.sum(), rel=1e-12)
        d = json.loads(r.to_json())          # strict JSON: NaN would raise
        assert d["basis"]["basis"] == "published" and d["rows"]
    assert set(gvc.decompose(t, method, "country").frame.index) == {"a", "b", "c"}


def test_bad_arguments_are_named():
    t = mrio_table()
    with pytest.raises(ValueError, match="argument 'method'"):
        gvc.decompose(t, "xyz")
    with pytest.raises(ValueError, match="argument 'level'.*'country'"):
        gvc.decompose(t, "kww", "sector")


@pytest.fixture(scope="module")
def wiod(wiod_dir):
    return lianpu.load(wiod_dir / "wiot_2011.RData")


@pytest.mark.parametrize("method", ["wwz", "bm"])
def test_wiod_sums_at_every_level(wiod, method):
    for level in gvc.LEVELS:
        f = gvc.decompose(wiod, method, level).frame
        tol = 1e-9 * f["gross_exports"].abs().max()
        assert f["residual"].abs().max() < tol, level
        if method == "bm":
            assert f["residual_sink"].abs().max() < tol, level


def test_wiod_kww_identities(wiod):
    k = gvc.decompose(wiod, "kww").frame
    tv = regions.trade_value_added(wiod)
    assert k["residual"].abs().max() < 1e-6
    np.testing.assert_allclose(k["DVA"], tv["dva"], rtol=1e-9)
    np.testing.assert_allclose(k["K6"], tv["domestic_double_counted"], rtol=1e-8)
    np.testing.assert_allclose(k["VS"], tv["vs"], rtol=1e-9)
    np.testing.assert_allclose(k["VS"], k["FVA"] + k["FDC"], rtol=1e-12)
    # VAX (K1–K3) = Johnson–Noguera VAX; here ERR counts as the producer's own final use,
    # in regions.value_added_matrix as its own column, so they differ by that share only
    np.testing.assert_allclose(k["VAX"], tv["vax"], rtol=5e-3)
    # WWZ summed over partners and sectors gives KWW's groups
    w = gvc.decompose(wiod, "wwz").frame
    for g in ("VAX", "RDV", "DDC", "FVA", "FDC"):
        np.testing.assert_allclose(w[g], k[g], rtol=1e-7, atol=1e-6)
    chn = k.loc["CHN"]
    assert chn["gross_exports"] == pytest.approx(2_084_965, abs=1)
    assert chn["DVA_share"] == pytest.approx(0.7744, abs=1e-4)


def test_wiod_wang_identities(wiod):
    p = gvc.participation(wiod)
    f = p.to_frame()
    fw = f[["f_D", "f_RT", "f_GVC_S", "f_GVC_C"]].sum(axis=1)
    bw = f[["b_D", "b_RT", "b_GVC_S", "b_GVC_C"]].sum(axis=1)
    va = wiod.value_added_
    np.testing.assert_allclose(fw, va, rtol=1e-8, atol=1e-4 * va.max() * 1e-6)
    np.testing.assert_allclose(bw, f["y"], rtol=1e-8, atol=1e-6)
    # world: value added = final goods (the rounding residual counts as final use)
    assert fw.sum() == pytest.approx(bw.sum(), rel=1e-10)
    c = p.extra["by_country"]
    assert ((c.forward > 0) & (c.forward < 1) & (c.backward > 0) & (c.backward < 1)).all()
    assert (c.PLv_GVC > 1).all() and (c.PLy_GVC > 1).all()
    q = gvc.position(wiod, country="CHN")
    r = q.extra["by_country"].loc["CHN"]
    assert r.koopman_position == pytest.approx(np.log1p(r.iv / r.gross_exports)
                                               - np.log1p(r.fv / r.gross_exports))
    json.loads(q.to_json())


def test_report_section_on_mrio():
    from lianpu.report.valuechains import valuechains_section
    s = valuechains_section(mrio_table(), "zh")
    assert [sh.key for sh in s.sheets] == ["gvc-kww", "gvc-participation"]
    assert s.sheets[0].frame.shape[0] == 3


def test_results_share_the_one_result_shape():
    """Issue 11: GVCResult is a Result (to_json written once: strict, unit and basis kept;
    by_country in extra goes out as records); to_dict stays plain data."""
    from lianpu.analysis._result import Result
    t = mrio_table()
    for r in (gvc.decompose(t, "wwz", "sector"), gvc.participation(t), gvc.position(t)):
        assert isinstance(r, Result) and "to_json" not in type(r).__dict__
        d = json.loads(r.to_json(), parse_constant=lambda c: pytest.fail(f"bare {c}"))
        assert d["unit"] == t.unit and d["basis"] == r.basis.to_dict()
        # to_dict plus the notes' Chinese beside them (issue 15: Result writes notes_zh)
        assert d == {**json.loads(json.dumps(r.to_dict(), allow_nan=False)),
                     "notes_zh": list(notes_zh(r.notes))}
    assert {row["country"] for row in d["by_country"]} == {"a", "b", "c"}
