"""Gross-export decompositions and GVC measures on a multi-regional system: pure array maths.

Notation (Wang, Wei & Zhu 2013, hereafter WWZ; Koopman, Wang & Wei 2014, KWW): G producing
countries of N sectors each (blocks s, r, t, u); A (GN × GN) with blocks A^{sr}; B = (I − A)⁻¹
the global Leontief inverse with blocks B^{sr}; L^{ss} = (I − A^{ss})⁻¹ the *local* inverse of
a country block; V^s (1 × N) value added per unit of output; Y^{sr} (N) final goods of s
bought by r (destinations may include final-demand regions that do not produce, e.g. a
province's foreign exports); E^{sr} = A^{sr} X^r + Y^{sr} gross exports of s to r and
E^{s*} = Σ_{r≠s} E^{sr}. ``#`` is the element-wise product (terms by exporting sector).

Everything is built from one LU of I − A (the caller's, reused) and an LU of every diagonal
block I − A^{ss} (N × N). The only products with B are solves:

- ``VB[t, s] = V^t B^{ts}``: one transposed solve with G right-hand sides;
- ``H[q, :, t, u] = B^{qt} Y^{tu}``: one solve with G·D right-hand sides (the output of q
  needed for the final goods t sells to u), from which every WWZ intermediate term is a sum
  of slices;
- the Borin–Mancini terms need the diagonal blocks B^{ss}: N solves per country (one pass
  of GN right-hand sides, block by block, never the whole inverse at once).

Identities used (each follows from (I − A)B = B(I − A) = I):
B^{ss} = L^{ss} + L^{ss} Σ_{t≠s} A^{st} B^{ts};  X^r = L^{rr}(Y^{rr} + E^{r*});
Σ_t V^t B^{ts} = 1' when V = 1'(I − A) (value added — every primary input — as the
balancing item), which makes every decomposition sum exactly to gross exports.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla

from .errors import ArgumentError

#: WWZ's sixteen terms (WWZ 2013, eq. 37 / Table 1) and their groups
WWZ_TERMS = tuple(f"T{k}" for k in range(1, 17))
WWZ_GROUPS = {
    "DVA_FIN": ("T1",), "DVA_INT": ("T2",), "DVA_INTrex": ("T3", "T4", "T5"),
    "RDV": ("T6", "T7", "T8"), "DDC": ("T9", "T10"),
    "FVA_FIN": ("T11", "T14"), "FVA_INT": ("T12", "T15"), "FDC": ("T13", "T16"),
}
#: KWW's nine terms (KWW 2014, eq. 36)
KWW_TERMS = tuple(f"K{k}" for k in range(1, 10))
KWW_GROUPS = {"VAX": ("K1", "K2", "K3"), "RDV": ("K4", "K5"), "DVA": ("K1", "K2", "K3", "K4", "K5"),
              "DDC": ("K6",), "FVA": ("K7", "K8"), "FDC": ("K9",), "VS": ("K7", "K8", "K9")}


@dataclass(frozen=True)
class System:
    """The prepared MRIO: A (n, n), Y (n, D) by final-demand region (the first G are the
    producing countries, in block order), v (n,), x (n,) = B·Y·1, the global factor and the
    local LU of each diagonal block; blocks of equal size N."""

    A: np.ndarray
    Y: np.ndarray
    v: np.ndarray
    x: np.ndarray
    factor: object
    local: tuple
    G: int
    N: int
    D: int

    @property
    def Ab(self) -> np.ndarray:
        """A as blocks (G, N, G, N): Ab[s, i, r, j] = a^{sr}_{ij}."""
        return self.A.reshape(self.G, self.N, self.G, self.N)

    @property
    def Yb(self) -> np.ndarray:
        """Y as blocks (G, N, D): Yb[s, :, u] = Y^{su}."""
        return self.Y.reshape(self.G, self.N, self.D)

    @property
    def Xb(self) -> np.ndarray:
        return self.x.reshape(self.G, self.N)


def prepare(A, Y, factor, G: int, local=None) -> System:
    """A :class:`System` from A (n, n), final demand Y (n, D) by destination (first G columns
    the producing countries) and ``factor`` (an LU of I − A with ``solve``/
    ``solve_transposed``). ``local``: LU factors of the diagonal blocks (scipy ``lu_factor``
    tuples or objects with ``solve``); made here when omitted. v = 1'(I − A) and x = B Y 1."""
    A = np.asarray(A, dtype=float)
    Y = np.asarray(Y, dtype=float)
    n = A.shape[0]
    if n % G:
        raise ArgumentError(f"argument 'G': found {G} countries for {n} sectors, expected blocks "
                            "of equal size (n divisible by G)")
    N = n // G
    if local is None:
        local = tuple(sla.lu_factor(np.eye(N) - A[s * N:(s + 1) * N, s * N:(s + 1) * N],
                                    check_finite=False) for s in range(G))
    v = 1.0 - A.sum(axis=0)
    x = factor.solve(Y.sum(axis=1))
    return System(A, Y, v, x, factor, tuple(local), G, N, Y.shape[1])


def _lsolve(f, b, trans=False):
    if isinstance(f, tuple):
        return sla.lu_solve(f, b, trans=1 if trans else 0, check_finite=False)
    return f.solve_transposed(b) if trans else f.solve(b)


def local_solve(S: System, b: np.ndarray, trans: bool = False) -> np.ndarray:
    """L^{ss} b_s for every block (b: (G, N) or (G, N, k)); ``trans``: (b_s' L^{ss})'."""
    return np.stack([_lsolve(S.local[s], b[s], trans) for s in range(S.G)])


def exports(S: System) -> np.ndarray:
    """E (G, D, N): E[s, r] = E^{sr} = A^{sr} X^r + Y^{sr} (0 for r = s); fd-only r: Y^{sr}."""
    G, N, D = S.G, S.N, S.D
    E = np.transpose(S.Yb, (0, 2, 1)).copy()          # (G, D, N): Y^{sr}
    E[:, :G] += np.einsum("sirj,rj->sri", S.Ab, S.Xb)
    E[np.arange(G), np.arange(G)] = 0.0
    return E


def va_blocks(S: System) -> np.ndarray:
    """VB (G, G, N): VB[t, s] = V^t B^{ts} (value added of t per unit of s's output)."""
    G, N = S.G, S.N
    Vt = np.zeros((S.A.shape[0], G))
    for t in range(G):
        Vt[t * N:(t + 1) * N, t] = S.v[t * N:(t + 1) * N]
    M = S.factor.solve_transposed(Vt).T               # (G, n): row t = V^t B
    return M.reshape(G, G, N)


def local_va(S: System) -> np.ndarray:
    """VL (G, N): VL[s] = V^s L^{ss}."""
    return local_solve(S, S.v.reshape(S.G, S.N), trans=True)


def kww(S: System, E=None, VB=None) -> np.ndarray:
    """KWW's nine terms of every country's gross exports, (9, G) (KWW 2014, eq. 36):

    K1 V^s B^{ss} Σ_{r≠s} Y^{sr}                       DVA in final exports
    K2 V^s Σ_{r≠s} B^{sr} Y^{rr}                       DVA in intermediates absorbed by direct importers
    K3 V^s Σ_{r≠s} B^{sr} Σ_{t≠s,r} Y^{rt}             DVA in intermediates re-exported to third countries
    K4 V^s Σ_{r≠s} B^{sr} Y^{rs}                       DVA returning home in final imports
    K5 V^s Σ_{r≠s} B^{sr} A^{rs} L^{ss} Y^{ss}         DVA returning home in intermediate imports
    K6 V^s Σ_{r≠s} B^{sr} A^{rs} L^{ss} E^{s*}         domestic double counted
    K7 Σ_{t≠s} V^t B^{ts} Σ_{r≠s} Y^{sr}               FVA in final exports
    K8 Σ_{t≠s} V^t B^{ts} Σ_{r≠s} A^{sr} L^{rr} Y^{rr} FVA in intermediate exports
    K9 Σ_{t≠s} V^t B^{ts} Σ_{r≠s} A^{sr} L^{rr} E^{r*} foreign double counted
    """
    G, N = S.G, S.N
    E = exports(S) if E is None else E
    VB = va_blocks(S) if VB is None else VB
    Yb = S.Yb
    Es = E.sum(axis=1)                                 # (G, N) E^{s*}
    own = np.arange(G)
    yfin = Yb.sum(axis=2) - Yb[own, :, own]            # Σ_{r≠s} Y^{sr}  (G, N)
    ytot = Yb.sum(axis=2)                               # Y^r total (G, N)
    yrr = Yb[own, :, own]                               # Y^{rr}
    yrs = Yb[:, :, :G]                                  # yrs[r, :, s] = Y^{rs}
    LYss = local_solve(S, yrr)
    LEs = local_solve(S, Es)
    out = np.zeros((9, G))
    for s in range(G):
        oth = [r for r in range(G) if r != s]
        vb = VB[s]                                      # (G, N): V^s B^{sr} for each r
        out[0, s] = VB[s, s] @ yfin[s]
        out[1, s] = sum(vb[r] @ yrr[r] for r in oth)
        out[2, s] = sum(vb[r] @ (ytot[r] - yrr[r] - yrs[r, :, s]) for r in oth)
        out[3, s] = sum(vb[r] @ yrs[r, :, s] for r in oth)
        g = sum(vb[r] @ S.Ab[r, :, s, :] for r in oth)  # Σ_{r≠s} V^s B^{sr} A^{rs}
        out[4, s] = g @ LYss[s]
        out[5, s] = g @ LEs[s]
        fc = VB[:, s].sum(axis=0) - VB[s, s]            # Σ_{t≠s} V^t B^{ts}
        out[6, s] = fc @ yfin[s]
        ay = sum(S.Ab[s, :, r, :] @ LYss[r] for r in oth)
        ae = sum(S.Ab[s, :, r, :] @ LEs[r] for r in oth)
        out[7, s] = fc @ ay
        out[8, s] = fc @ ae
    return out


def final_blocks(S: System) -> np.ndarray:
    """H (G, N, G, D): H[q, :, t, u] = B^{qt} Y^{tu}, one solve with G·D right-hand sides."""
    G, N, D = S.G, S.N, S.D
    rhs = np.zeros((G, N, G, D))
    idx = np.arange(G)
    rhs[idx, :, idx, :] = S.Yb                          # Y^{tu} placed in block t
    X = S.factor.solve(rhs.reshape(G * N, G * D))
    return X.reshape(G, N, G, D)


def wwz(S: System, E=None, VB=None, VL=None, H=None) -> np.ndarray:
    """WWZ's sixteen terms of bilateral gross exports by exporting sector: (16, G, D, N),
    T[k, s, r, i] for exports of sector i of s to r (WWZ 2013, eq. 37; zero for r = s).

    T1  (V^s B^{ss})' # Y^{sr}
    T2  (V^s L^{ss})' # (A^{sr} B^{rr} Y^{rr})
    T3  (V^s L^{ss})' # (A^{sr} Σ_{t≠s,r} B^{rt} Y^{tt})
    T4  (V^s L^{ss})' # (A^{sr} B^{rr} Σ_{t≠s,r} Y^{rt})
    T5  (V^s L^{ss})' # (A^{sr} Σ_{t≠s,r} B^{rt} Σ_{u≠s,t} Y^{tu})
    T6  (V^s L^{ss})' # (A^{sr} B^{rr} Y^{rs})
    T7  (V^s L^{ss})' # (A^{sr} Σ_{t≠s,r} B^{rt} Y^{ts})
    T8  (V^s L^{ss})' # (A^{sr} B^{rs} Y^{ss})
    T9  (V^s L^{ss})' # (A^{sr} B^{rs} Σ_{t≠s} Y^{st})
    T10 (V^s L^{ss} Σ_{t≠s} A^{st} B^{ts})' # (A^{sr} X^r)   [= (V^s B^{ss} − V^s L^{ss})']
    T11 (V^r B^{rs})' # Y^{sr}            T14 (Σ_{t≠s,r} V^t B^{ts})' # Y^{sr}
    T12 (V^r B^{rs})' # (A^{sr} L^{rr} Y^{rr})   T15 (Σ_{t≠s,r} V^t B^{ts})' # (A^{sr} L^{rr} Y^{rr})
    T13 (V^r B^{rs})' # (A^{sr} L^{rr} E^{r*})   T16 (Σ_{t≠s,r} V^t B^{ts})' # (A^{sr} L^{rr} E^{r*})
    """
    G, N, D = S.G, S.N, S.D
    E = exports(S) if E is None else E
    VB = va_blocks(S) if VB is None else VB
    VL = local_va(S) if VL is None else VL
    H = final_blocks(S) if H is None else H
    own = np.arange(G)
    Hd = H[:, :, own, own]                              # (G_q, N, G_t): B^{qt} Y^{tt}
    rows = H.sum(axis=3)                                # (G_q, N, G_t): B^{qt} Y^{t}
    cols = H.sum(axis=2)                                # (G_q, N, D_u): Σ_t B^{qt} Y^{tu}
    Xr = rows.sum(axis=2)                               # (G, N): X^r
    Hrr = H[own, :, own, :]                             # (G_r, N, D): B^{rr} Y^{ru}
    sr = lambda a: np.transpose(a[:, :, :G], (2, 0, 1))  # (G_r, N, G_s) → (G_s, G_r, N)  # noqa: E731
    a = Hd[own, :, own][None, :, :]                     # B^{rr} Y^{rr}
    e = sr(Hrr)                                         # B^{rr} Y^{rs}
    c = rows[own, :, own][None] - a - e                 # B^{rr} Σ_{t≠s,r} Y^{rt}
    g = sr(Hd)                                          # B^{rs} Y^{ss}
    h = sr(rows) - g                                    # B^{rs} Σ_{t≠s} Y^{st}
    b = Hd.sum(axis=2)[None] - a - g                    # Σ_{t≠s,r} B^{rt} Y^{tt}
    f = sr(cols) - e - g                                # Σ_{t≠s,r} B^{rt} Y^{ts}
    d = Xr[None] - (a + b + c + e + f + g + h)          # Σ_{t≠s,r} B^{rt} Σ_{u≠s,t} Y^{tu}
    Ab = S.Ab
    AW = lambda w: np.einsum("sirj,srj->sri", Ab, np.broadcast_to(w, (G, G, N)))  # noqa: E731
    T = np.zeros((16, G, D, N))
    Ysr = np.transpose(S.Yb, (0, 2, 1))                 # (G_s, D_r, N)
    VBss = VB[own, own]                                 # (G, N)
    T[0] = VBss[:, None, :] * Ysr
    for k, w in enumerate((a, b, c, d, e, f, g, h), start=1):
        T[k, :, :G] = VL[:, None, :] * AW(w)
    T[9, :, :G] = (VBss - VL)[:, None, :] * AW(Xr[None])
    LYrr = local_solve(S, S.Yb[own, :, own])
    LEr = local_solve(S, E.sum(axis=1))
    AY, AE = np.zeros((G, D, N)), np.zeros((G, D, N))
    AY[:, :G], AE[:, :G] = AW(LYrr[None]), AW(LEr[None])
    VBrs = np.zeros((G, D, N))
    VBrs[:, :G] = np.transpose(VB, (1, 0, 2))           # [s, r] = V^r B^{rs}
    third = (VB.sum(axis=0) - VBss)[:, None, :] - VBrs  # Σ_{t≠s,r} V^t B^{ts}
    for k, (w, m) in enumerate(((VBrs, Ysr), (VBrs, AY), (VBrs, AE),
                                (third, Ysr), (third, AY), (third, AE)), start=10):
        T[k] = w * m
    T[:, own, own] = 0.0
    return T


def diagonal_blocks(S: System) -> np.ndarray:
    """B^{ss} for every country (G, N, N): N solves per country, one country at a time."""
    G, N = S.G, S.N
    out = np.empty((G, N, N))
    n = G * N
    for s in range(G):
        Es = np.zeros((n, N))
        Es[s * N + np.arange(N), np.arange(N)] = 1.0
        out[s] = S.factor.solve(Es)[s * N:(s + 1) * N]
    return out


def borin_mancini(S: System, E=None, VB=None, VL=None, Bss=None) -> dict[str, np.ndarray]:
    """Borin & Mancini (2023) exporting-country perspective, source- and sink-based, of
    bilateral exports by exporting sector; each term (G, D, N).

    Source-based (value added counted the *first* time it leaves its country of origin), with
    A^{/s} = A without s's intermediate exports (so B^{/s}_{ss} = L^{ss}):
      DVA = (V^s L^{ss})' # E^{sr};  DDC = (V^s B^{ss} − V^s L^{ss})' # E^{sr};
      FVA = (Σ_{t≠s} V^t B^{/s}_{ts})' # E^{sr};  FDC = (Σ_{t≠s} V^t (B^{ts} − B^{/s}_{ts}))' # E^{sr}.
      Σ_{t≠s} V^t B^{/s}_{ts} = FC^s (B^{ss})⁻¹ L^{ss} with FC^s = Σ_{t≠s} V^t B^{ts}
      (from B^{/s} = (I − A^{/s})⁻¹ by the partitioned inverse; no second LU).
    Sink-based (counted the *last* time it leaves before final absorption): E^{sr} splits into
      e^{es}_{sr} = A^{sr} L^{rr} Σ_{j≠r} A^{rj} x^{es}_j, the part that returns to s and is
      used in s's exports again, with x^{es} = B^{/s}_{·s} E^{s*}, and e^{sy} = E^{sr} − e^{es};
      DVA = (V^s B^{ss})' # e^{sy};  DDC = (V^s B^{ss})' # e^{es};
      FVA = FC^{s}' # e^{sy};  FDC = FC^{s}' # e^{es}.
    """
    G, N, D = S.G, S.N, S.D
    n = G * N
    E = exports(S) if E is None else E
    VB = va_blocks(S) if VB is None else VB
    VL = local_va(S) if VL is None else VL
    own = np.arange(G)
    VBss = VB[own, own]
    FC = VB.sum(axis=0) - VBss                          # (G, N)
    Es = E.sum(axis=1)                                   # (G, N)
    src = {"DVA": VL[:, None, :] * E, "DDC": (VBss - VL)[:, None, :] * E}
    W = np.empty((G, N))
    Ab = S.Ab
    xes = np.empty((G, G, N))                            # xes[s] = B^{/s}_{·s} E^{s*} by block
    for s in range(G):
        # B[:, block s] and one more right-hand side for x^{es}; B^{ss} is its block s
        q = _lsolve(S.local[s], Es[s])                   # L^{ss} E^{s*}
        bvec = np.einsum("tij,j->ti", Ab[:, :, s, :], q)
        bvec[s] = 0.0                                     # A^{−s,s} L^{ss} E^{s*}
        rhs = np.zeros((n, N + 1))
        rhs[s * N + np.arange(N), np.arange(N)] = 1.0
        rhs[:, N] = bvec.ravel()
        sol = S.factor.solve(rhs)
        Bcol = sol[:, :N].reshape(G, N, N)               # B^{ts} for every t
        Bs = Bcol[s] if Bss is None else Bss[s]
        u = sol[:, N].reshape(G, N)
        # (M_{−s,−s})⁻¹ b = B_{−s,−s} b − B_{−s,s} (B^{ss})⁻¹ B_{s,−s} b
        corr = np.linalg.solve(Bs, u[s])
        z = u - np.einsum("tij,j->ti", Bcol, corr)
        z[s] = q
        xes[s] = z
        W[s] = np.linalg.solve(Bs.T, FC[s])               # FC (B^{ss})⁻¹
        W[s] = _lsolve(S.local[s], W[s], trans=True)     # … L^{ss}
    src["FVA"] = W[:, None, :] * E
    src["FDC"] = (FC - W)[:, None, :] * E
    # sink: e^{es}_{sr} = A^{sr} L^{rr} (Σ_j A^{rj} x^{es}_j − A^{rr} x^{es}_r)
    Ax = np.einsum("rirj,srj->sri", Ab, xes)             # A^{rr} x^{es}_r  (s, r, N)
    Axall = np.einsum("qiuj,suj->sqi", Ab, xes)           # Σ_j A^{rj} x^{es}_j
    inner = Axall - Ax                                    # (s, r, N)
    Linner = np.stack([_lsolve(S.local[r], inner[:, r, :].T) for r in range(G)], axis=1)
    # Linner[:, r] is (N, G_s) → (s, r, N)
    Linner = np.transpose(Linner, (2, 1, 0))
    ees = np.zeros((G, D, N))
    ees[:, :G] = np.einsum("sirj,srj->sri", Ab, Linner)
    ees[own, own] = 0.0
    esy = E - ees
    sink = {"DVA": VBss[:, None, :] * esy, "DDC": VBss[:, None, :] * ees,
            "FVA": FC[:, None, :] * esy, "FDC": FC[:, None, :] * ees}
    return {"source": src, "sink": sink}


def participation(S: System) -> dict[str, np.ndarray]:
    """Production-based GVC participation and production length (Wang, Wei, Yu & Zhu 2017a,b),
    each (n,) by country-sector. With A^D the diagonal blocks, A^F = A − A^D, L = (I − A^D)⁻¹
    (block-diagonal), y = Y·1, y^D the final goods bought at home, y^F = y − y^D:

    V̂BŶ = V̂LŶ^D + V̂LŶ^F + V̂LA^F LŶ^D + V̂LA^F(BŶ − LŶ^D)
          (pure domestic, traditional trade, simple GVC, complex GVC).
    Forward (row sums, by the sector whose value added it is; sum = va = v ⊙ x):
    ``f_D, f_RT, f_GVC_S, f_GVC_C``; backward (column sums, by the sector producing the final
    good; sum = y): ``b_D, b_RT, b_GVC_S, b_GVC_C``.
    Production length (Wang et al. 2017b): Xv_GVC = V̂ L L A^F B Ŷ u + V̂ L A^F B B Ŷ u
    (output counted at every stage, domestic then global segment), PLv_GVC = Xv_GVC / V_GVC;
    likewise Xy_GVC from the column sums, PLy_GVC = Xy_GVC / Y_GVC.
    """
    G, N, D = S.G, S.N, S.D
    own = np.arange(G)
    v = S.v
    y = S.Y.sum(axis=1)
    yD = S.Yb[own, :, own].ravel()
    yF = y - yD
    AD = np.zeros_like(S.A)
    for s in range(G):
        sl = slice(s * N, (s + 1) * N)
        AD[sl, sl] = S.A[sl, sl]
    AF = S.A - AD
    Lv = lambda b: local_solve(S, b.reshape(G, N)).ravel()            # noqa: E731
    Lt = lambda b: local_solve(S, b.reshape(G, N), trans=True).ravel()  # noqa: E731
    x = S.x
    LyD = Lv(yD)
    out = {"va": v * x, "y": y,
           "f_D": v * LyD, "f_RT": v * Lv(yF), "f_GVC_S": v * Lv(AF @ LyD),
           "f_GVC_C": v * Lv(AF @ (x - LyD))}
    vL = Lt(v)
    vLAF = vL @ AF
    vLAFL = Lt(vLAF)
    vLAFB = S.factor.solve_transposed(vLAF)
    out.update(b_D=vL * yD, b_RT=vL * yF, b_GVC_S=vLAFL * yD, b_GVC_C=vLAFB * y - vLAFL * yD)
    # production length: forward V̂(L L A^F B + L A^F B B)ŷ u, with B y = x
    out["Xv_GVC"] = v * (Lv(Lv(AF @ x)) + Lv(AF @ S.factor.solve(x)))
    out["Xy_GVC"] = (S.factor.solve_transposed(Lt(vL) @ AF) + S.factor.solve_transposed(vLAFB)) * y
    return out
