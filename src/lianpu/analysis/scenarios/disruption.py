"""Supply disruptions 供给中断: import cut-offs 进口中断 and domestic capacity losses 产能损失,
solved as one linear programme (maximum feasible production).

The model
---------
Non-competitive table: domestic coefficients A = Z x̂⁻¹, imported coefficients Am = Zm x̂⁻¹,
baseline output x⁰ and domestic final use f⁰ = x⁰ − A x⁰ (households, government, investment,
inventories, exports; it can be negative where inventories are drawn down). A shock is

- an import cut p_k ∈ [0, 1]: the availability of imported product k falls to (1 − p_k) of the
  baseline imports M_k = Σ_j Zm_kj + Σ Ym_k;
- a capacity loss q_i ∈ [0, 1] of a domestic sector (a disaster, a plant closing):
  x_i ≤ (1 − q_i) x⁰_i.

Variables (all ≥ 0 unless stated): output x (n), domestic final use delivered f (n), deliveries
u_ij of non-critical domestic inputs (only their row totals Σ_j u_ij matter, so the LP carries
one variable per product), domestic substitutes d_kj for cut imports. The LP::

    maximise   Σ_j v_j x_j           (objective="value_added", v_j = baseline VA / x⁰_j: GDP)
        or     Σ_{i: f⁰_i ≥ 0} f_i   (objective="final_use": priority to final demand)
    subject to
      x_i = Σ_{j: a_ij ≥ τ} a_ij x_j + Σ_{j: a_ij < τ} u_ij + Σ_j d_ij + f_i   (supply balance)
      0 ≤ u_ij ≤ a_ij x_j                     (non-critical inputs: taken if there, not needed)
      am_kj x_j ≤ (1 − p_k) Zm_kj + d_kj      (critical users j of cut import k, am_kj ≥ τ:
      0 ≤ d_kj ≤ s p_k Zm_kj                    Leontief in the import; substitution s)
      x_i ≤ (1 − q_i) x⁰_i                    (capacity)
      x ≤ x⁰ + L Δ                            (demand: the baseline plus what the domestic
                                                substitutes Δ_k = s p_k M_k need)
      0 ≤ f_i ≤ f⁰_i + s p_i Ym_i 1 where f⁰_i ≥ 0  (final use at most the baseline, plus the
                                                  domestic substitutes final users buy)
      f⁰_i ≤ f_i ≤ ĉ f⁰_i where f⁰_i < 0       (an inventory draw-down is a source of supply:
                                                  at most the baseline's, at least its uniform
                                                  scaling)
      x_j ≥ ĉ x⁰_j, ĉ = 1 − max(max_k p_k, max_i q_i)   (rationing="proportional" only)

1. **Rationing of the cut import: proportional.** Every user of imported k — each industry and
   each final-use category — keeps (1 − p_k) of its baseline purchase (its allotment; freed
   allotments are not re-allocated).
2. **Substitution** s ∈ [0, 1]: a user may replace up to s of its lost imports (s p_k Zm_kj)
   by purchases from domestic producers of k, who must produce them (they appear in k's
   supply balance). A critical user therefore produces at most c_k x⁰_j,
   c_k = 1 − p_k (1 − s), as in the old rule; final users buy s p_k Ym_k domestically.
3. **Fixed proportions in critical inputs, substitution for the rest** (Pichler et al. 2022,
   J. Econ. Dyn. Control 144): an input — imported or domestic — is critical for j when its
   coefficient is ≥ ``critical`` = τ; critical inputs are needed in fixed proportion to
   output, non-critical ones are used if available and do not limit output. τ = 0 (default)
   is strict Leontief.
4. **Domestic rationing.** The LP allocates scarce domestic products among industries and
   final users so as to maximise the objective. With ``rationing="proportional"`` (default)
   no sector may fall below the uniform-scaling level ĉ x⁰ (every user keeps at least the
   uniform share): the answer is the best reallocation that leaves no sector worse off than
   uniform rationing. ``rationing="free"`` drops that floor (pure efficiency: a low-value
   sector may be starved to keep a high-value one going). ``objective="final_use"`` gives
   priority to final demand (scarce products go to households, government, investment and
   exports before industries that cannot turn them into more final use).

Proposition (the uniform-scaling point is feasible; proof). Let ĉ be as above. Then x = ĉ x⁰,
f = ĉ f⁰, u_ij = a_ij ĉ x⁰_j, d = 0 satisfies every constraint: the balance holds because
x⁰ = A x⁰ + f⁰ is linear; ĉ f⁰ lies in the bounds of f (0 ≤ ĉ f⁰_i ≤ f⁰_i, and f⁰_i ≤ ĉ f⁰_i
for a draw-down); ĉ x⁰ ≤ x⁰ meets the demand ceiling; am_kj ĉ x⁰_j = ĉ Zm_kj ≤
(1 − p_k) Zm_kj because ĉ ≤ 1 − p_k; ĉ x⁰_i ≤ (1 − q_i) x⁰_i; and x = ĉ x⁰ meets the floor with
equality. Consequences:

- the LP is always feasible and never does worse than uniform scaling: with the floor, every
  sector's output is ≥ ĉ x⁰_j, so outputs are never negative and the loss of every sector, of
  gross output and of value added is at most (1 − ĉ) of its baseline (the stated bound,
  ``totals["loss_bound_pct"]``); without it (``free``) the objective is still ≥ its value at
  ĉ x⁰, so the loss in the objective is at most (1 − ĉ);
- monotone in the cut (s = 0): for cuts p' = θ p with θ ≥ 1 (e.g. one product, a larger
  share), take an optimum x' for p' and μ = 1 − 1/θ; the mix x = (1 − μ) x' + μ x⁰ (with the
  same mix of f, u, d) is feasible for p — every constraint is linear, (1 − μ)(1 − θ p_k) + μ
  = 1 − p_k meets the import caps, the floor and the draw-down bound ĉ f⁰ move from ĉ' to ĉ
  exactly — and its objective is ≥ that of x' because x⁰ maximises the objective without a
  shock (x ≤ x⁰ and v ≥ 0; final use f_i ≤ f⁰_i of the products with f⁰_i ≥ 0, which are
  the ones the final-use objective counts: a smaller draw-down of inventories is not a
  delivery). So a larger cut never loses less, with either rationing rule. With s > 0 the mix
  is still feasible but x⁰ is no longer the best point (the substitutes raise domestic output
  above x⁰), so a larger cut can lose less.

The LP is solved by HiGHS (``scipy.optimize.linprog(method="highs")``) on sparse matrices,
with variables in shares of their baseline (x_j = x⁰_j ξ_j, u_ij = a_ij x⁰_j μ_ij, …) so that
all coefficients are of order one; the balance rows are divided by x⁰_i (coefficients
z_ij / x⁰_i, the allocation matrix). The constraint matrices are built once per table and τ.

**What binds** (column ``binding``), per sector with a loss: ``capacity`` (its own capacity),
``import:k`` (its allotment of imported k, plus substitutes, is used up), ``demand`` (all its
final users are served; its buyers shrank), ``supply:i`` (a critical domestic input i is
short: i's shadow price in the LP is positive or its final users are not fully served).

Value added lost = (v_j / x⁰_j) · output lost (value-added ratios fixed).

This replaces the earlier knock-on loop, which only ever lowered caps and applied them against
current output, and so could spiral down to zero output although uniform scaling is feasible
(a 30 % cut of imported coal at τ = 0.01 lost all gross output of cn-nbs-2020-42).
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

from ...core import coefficients as coef
from ...core.errors import ArgumentError, ConvergenceError, TableError, message
from ...core.notes import Note
from .._common import cached
from .._result import code_str
from .demand import SectorLookup
from .shockbase import ShockResult, basis_note, checked
from .shockbase import labels as _labels

TOL = 1e-7          # in shares of baseline output
EPS = 1e-6          # weight of the secondary objective (ties)
OBJECTIVES = ("value_added", "final_use")
RATIONING = ("proportional", "free")


def import_cut(table, cut, substitution: float = 0.0, critical: float = 0.0, *,
               objective: str = "value_added", rationing: str = "proportional",
               basis: str = "auto") -> ShockResult:
    """Lost output and value added by sector when imports of some products are cut.

    Parameters
    ----------
    table : a non-competitive IOTable (imports in ``Zm``/``Ym``, e.g. cn_io_2020_42.csv)
    cut : mapping imported product (sector code) → share of its imports cut, in [0, 1]
    substitution : share s of the lost imports each user may replace by domestic supply
    critical : τ, the smallest coefficient that constrains output (0 = strict Leontief)
    objective : "value_added" (maximise GDP) or "final_use" (priority to final demand)
    rationing : "proportional" (no sector below uniform scaling) or "free"

    The model, its proof of feasibility and monotonicity: module docstring. Columns (table
    unit unless stated): ``baseline_output``, ``output``, ``output_loss``, ``output_loss_pct``
    (%), ``value_added_loss``, ``final_use`` (domestic final use delivered), ``final_use_lost``
    (final demand for the sector's product, incl. substitution purchases, not served),
    ``uniform_output`` (the uniform-scaling point ĉ x⁰), ``binding`` (``import:k``,
    ``supply:i``, ``capacity``, ``demand`` or '').
    """
    return disruption(table, imports=cut, substitution=substitution, critical=critical,
                      objective=objective, rationing=rationing, model="import_cut",
                      basis=basis)


def capacity_cut(table, capacity, critical: float = 0.0, *, imports=None,
                 substitution: float = 0.0, objective: str = "value_added",
                 rationing: str = "proportional", basis: str = "auto") -> ShockResult:
    """Lost output when domestic sectors lose capacity (share q_i of their output, e.g. after
    a disaster), with the knock-on shortages of the same LP as :func:`import_cut`.

    ``capacity``: mapping sector → share of its output capacity lost, in [0, 1]; ``imports``
    optionally adds import cuts. Columns as :func:`import_cut`; ``binding`` is ``capacity`` for
    the sectors hit directly.
    """
    return disruption(table, imports=imports or {}, capacity=capacity,
                      substitution=substitution, critical=critical, objective=objective,
                      rationing=rationing, model="capacity_cut", basis=basis)


def _shares(table, values, what, look, allow_empty=True):
    p = np.zeros(table.n)
    for key, share in dict(values or {}).items():
        i = look.find(key)
        if i is None:
            kind = "imported product" if what == "cut" else "sector"
            raise TableError(message(table.name, f"unknown {kind} {key!r}", argument=what,
                                     expected=look.expected()))
        try:
            s = float(share)
        except (TypeError, ValueError):
            s = np.nan
        if not 0 <= s <= 1:
            raise ArgumentError(message(table.name, f"product {key!r}", argument=what,
                                        found=share, expected="a share in [0, 1] (0.3 for 30 %)"))
        p[i] = s
    return p


def _check_share(table, name, v):
    try:
        ok = 0 <= float(v) <= 1
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ArgumentError(message(table.name, "not a share", argument=name, found=v,
                                    expected="a share in [0, 1]"))
    return float(v)


class _Base:
    """Constraint blocks that depend only on the table and τ (built once, cached)."""

    def __init__(self, table, tau):
        x0 = np.asarray(table.x_, dtype=float)
        self.P = P = np.flatnonzero(x0 > 0)            # sectors with output: LP sectors
        m = len(P)
        self.x0 = x0[P]
        Z = np.asarray(table.Z_, dtype=float)[np.ix_(P, P)]
        A = Z / self.x0[None, :]
        self.Zm = np.asarray(table.Zm_, dtype=float)[:, P]            # (n, m): all import rows
        self.Ym = np.asarray(table.Ym_, dtype=float).sum(axis=1)
        self.f0 = self.x0 - A @ self.x0
        self.va = np.asarray(table.value_added_, dtype=float)[P]
        self.tau = tau
        crit = (A > 0) & (A >= tau)
        nc = (A > 0) & ~crit
        self.crit = crit
        self.B = Z / self.x0[:, None]                  # b_ij = z_ij / x⁰_i (row-scaled balance)
        # non-critical deliveries enter only through their row total U_i ≤ Σ_{j nc} a_ij x_j
        # (how the total is split among buyers that do not need it changes nothing), so one
        # variable per product: U_i = x⁰_i η_i
        nu = m
        Bc = np.where(crit, self.B, 0.0)
        self.Bn = sp.csr_matrix(np.where(nc, self.B, 0.0))
        # balance rows: ξ_i − Σ_crit b_ij ξ_j − η_i − φ_i (− substitution) = 0
        self.eq_x = sp.csr_matrix(sp.eye(m) - sp.csr_matrix(Bc))
        self.eq_u = -sp.eye(m, format="csr")
        self.eq_f = -sp.eye(m, format="csr")
        # η_i − Σ_nc b_ij ξ_j ≤ 0
        self.ub_x = -self.Bn
        self.ub_u = sp.eye(m, format="csr")
        self.m, self.nu = m, nu


def _base(table, tau):
    return cached(table, ("disruption_base", float(tau)), lambda: _Base(table, tau))


def disruption(table, imports=None, capacity=None, *, substitution: float = 0.0,
               critical: float = 0.0, objective: str = "value_added",
               rationing: str = "proportional", model: str = "disruption",
               basis: str = "auto") -> ShockResult:
    """Maximum feasible production under import cuts and capacity losses (the LP of the module
    docstring). ``imports``: product → share of its imports cut; ``capacity``: sector → share
    of its capacity lost. See :func:`import_cut` for the other arguments and the columns.
    ``basis``: :func:`lianpu.analysis.basis.resolve_basis` (default: the domestic view, so a
    competitive table is split by import proportionality first)."""
    from ..basis import resolve_basis
    table, bs = resolve_basis(table, basis)
    if table.Zm_ is None:
        raise TableError(message(table.name, "an import cut-off needs imported inputs by user",
                                 found="a competitive-import table", expected="a non-competitive "
                                 "table (cn_io_2020_42.csv, …) or table.domestic()"))
    s = _check_share(table, "substitution", substitution)
    tau = _check_share(table, "critical", critical)
    if objective not in OBJECTIVES:
        raise ArgumentError(message(table.name, "unknown objective", argument="objective",
                                    found=repr(objective), expected=f"one of {OBJECTIVES}"))
    if rationing not in RATIONING:
        raise ArgumentError(message(table.name, "unknown rationing rule", argument="rationing",
                                    found=repr(rationing), expected=f"one of {RATIONING}"))
    look = SectorLookup(table)
    p_all = _shares(table, imports, "cut", look)
    q_all = _shares(table, capacity, "capacity", look)
    b = _base(table, tau)
    P, m, nu = b.P, b.m, b.nu
    p, q = p_all, q_all[P]
    c_hat = 1.0 - max(p.max(initial=0.0), q.max(initial=0.0))
    Am = b.Zm / b.x0[None, :]

    # import caps: critical users of each cut product k
    cut_k = np.flatnonzero(p > 0)
    caps = []                                   # (k, j, share of x⁰_j allowed from imports)
    for k in cut_k:
        users = (b.Zm[k] > 0) & (Am[k] >= tau)
        for j in np.flatnonzero(users):
            caps.append((k, j))
    # substitutes can only come from a domestic producer of k with output (k in P)
    pos = {int(i): a for a, i in enumerate(P)}
    ub_xi = np.full(m, np.inf)
    why_cap = np.full(m, "", dtype=object)
    cap_share = np.full(m, np.inf)
    sub_rows = []                               # (k, j) with a substitution variable
    for k, j in caps:
        ck = 1.0 - p[k] * (1.0 - s) if k in pos else 1.0 - p[k]
        if ck < cap_share[j]:
            cap_share[j], why_cap[j] = ck, f"import:{code_str(table.index[k])}"
        if s > 0 and k in pos:
            sub_rows.append((k, j))
        else:
            ub_xi[j] = min(ub_xi[j], 1.0 - p[k])
    capq = 1.0 - q
    hit = q > 0
    ub_xi[hit] = np.minimum(ub_xi[hit], capq[hit])
    nd = len(sub_rows)

    # final use bounds: [0, f⁰ + substitutes] where f⁰ ≥ 0; an inventory draw-down (f⁰ < 0, a
    # source of supply) stays between its baseline and its uniform scaling, [f⁰, ĉ f⁰]
    neg = b.f0 < 0
    f_hi = np.where(neg, c_hat * b.f0, b.f0)
    f_lo = np.where(neg, b.f0, 0.0)
    sub_demand = np.zeros(table.n)                     # domestic substitutes demanded at most
    if s > 0:
        for k in cut_k:
            if k in pos:
                f_hi[pos[k]] += s * p[k] * b.Ym[k]
                sub_demand[k] = s * p[k] * (b.Zm[k].sum() + b.Ym[k])
    # demand-driven ceiling: baseline plus what the substitutes need, x ≤ x⁰ + L Δ
    if sub_demand.any():
        x_dem = b.x0 + np.asarray(table.factor.solve(sub_demand))[P]
    else:
        x_dem = b.x0
    ub_xi = np.minimum(ub_xi, x_dem / b.x0)
    # equality: [ξ | φ | μ | δ]
    if nd:
        dk = np.array([pos[k] for k, _ in sub_rows])
        dj = np.array([j for _, j in sub_rows])
        zk = np.array([b.Zm[k, j] for k, j in sub_rows])
        eq_d = sp.csr_matrix((-zk / b.x0[dk], (dk, np.arange(nd))), shape=(m, nd))
        # ξ_j − δ_kj ≤ 1 − p_k  (am_kj x⁰_j = Zm_kj: the cap in shares of x⁰_j)
        ub_sx = sp.csr_matrix((np.ones(nd), (np.arange(nd), dj)), shape=(nd, m))
        ub_sd = -sp.eye(nd, format="csr")
        b_sub = np.array([1.0 - p[k] for k, _ in sub_rows])
        d_hi = np.array([s * p[k] for k, _ in sub_rows])
    else:
        eq_d = sp.csr_matrix((m, 0))
    A_eq = sp.hstack([b.eq_x, b.eq_f, b.eq_u, eq_d], format="csr")
    blocks = [[b.ub_x, sp.csr_matrix((nu, m)), b.ub_u, sp.csr_matrix((nu, nd))]]
    b_ub = [np.zeros(nu)]
    if nd:
        blocks.append([ub_sx, sp.csr_matrix((nd, m)), sp.csr_matrix((nd, nu)), ub_sd])
        b_ub.append(b_sub)
    A_ub = sp.vstack([sp.hstack(r, format="csr") for r in blocks], format="csr")
    b_ub = np.concatenate(b_ub)
    lo_xi = np.full(m, c_hat if rationing == "proportional" else 0.0)
    lo_xi = np.minimum(lo_xi, ub_xi)
    bounds = np.vstack([
        np.column_stack([lo_xi, ub_xi]),
        np.column_stack([f_lo / b.x0, f_hi / b.x0]),
        np.column_stack([np.zeros(nu), np.full(nu, np.inf)]),
        np.column_stack([np.zeros(nd), d_hi if nd else np.zeros(0)])])
    w_va = b.va / b.va.sum() if b.va.sum() > 0 else np.ones(m) / m
    w_f = np.where(neg, 0.0, b.x0) / max(f_hi[~neg].sum(), 1e-300)
    if objective == "value_added":
        c = np.concatenate([-w_va, -EPS * w_f, np.zeros(nu + nd)])
    else:
        c = np.concatenate([-EPS * w_va, -w_f, np.zeros(nu + nd)])
    res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=np.zeros(m), bounds=bounds,
                  method="highs")
    if res.status != 0:
        raise ConvergenceError(message(table.name, "the disruption LP was not solved",
                                       found=f"HiGHS status {res.status}: {res.message}",
                                       expected="an optimal solution (the uniform-scaling point "
                                                "is always feasible: please report this table)"))
    z = res.x
    xi, phi = z[:m], z[m:2 * m]
    delta = z[2 * m + nu:]
    mu = z[2 * m:2 * m + nu]

    # binding constraints (primal): a product is short when some buyer is turned away — its
    # final users get less than their bound, or a non-critical buyer less than its need
    short = phi < f_hi / b.x0 - TOL
    short |= mu < b.Bn @ xi - TOL
    why = np.full(m, "", dtype=object)
    for j in range(m):
        if xi[j] >= 1 - TOL:
            continue
        if hit[j] and xi[j] >= capq[j] - TOL:
            why[j] = "capacity"
        elif np.isfinite(cap_share[j]) and xi[j] >= cap_share[j] - TOL:
            why[j] = why_cap[j]
        elif not short[j]:
            why[j] = "demand"                      # every buyer served: its buyers shrank
        else:                                      # a critical input is short
            inputs = np.flatnonzero(b.crit[:, j] & short)
            inputs = inputs[inputs != j]
            A_j = b.B[inputs, j] * b.x0[inputs] / b.x0[j]          # a_ij
            why[j] = (f"supply:{code_str(table.index[P[inputs[np.argmax(A_j)]]])}"
                      if inputs.size else "demand")

    n = table.n
    x0 = np.asarray(table.x_, dtype=float)
    x = np.zeros(n)
    x[P] = np.where(np.abs(xi - 1.0) <= 1e-10, 1.0, np.maximum(xi, 0.0)) * b.x0
    f_full = np.zeros(n)
    f_full[P] = phi * b.x0
    f_target = np.zeros(n)                             # baseline final use + substitutes
    f_target[P] = b.f0 + (f_hi - np.where(neg, c_hat * b.f0, b.f0))
    binding = np.full(n, "", dtype=object)
    binding[P] = why
    loss = x0 - x
    va_ratio = np.asarray(table.value_added_, dtype=float) * coef.safe_reciprocal(x0)
    sub_used = np.zeros(n)
    for (k, j), dv in zip(sub_rows, delta):
        sub_used[k] += dv * b.Zm[k, j]
    imports = np.asarray(table.Zm_).sum(axis=1) + np.asarray(table.Ym_).sum(axis=1)
    cols = {"baseline_output": x0, "output": x, "output_loss": loss,
            "output_loss_pct": 100 * loss * coef.safe_reciprocal(x0),
            "value_added_loss": va_ratio * loss, "final_use": f_full,
            "final_use_lost": f_target - f_full, "uniform_output": c_hat * x0,
            "binding": binding}
    units = {k: table.unit for k in cols}
    units.update(output_loss_pct="% of baseline output", binding="")
    capped = int(np.isfinite(cap_share).sum())
    proportional = rationing == "proportional"
    notes = [Note(f"maximum feasible production (LP, HiGHS): objective {objective}; imports "
                  "rationed proportionally across users; fixed proportions in critical inputs "
                  f"(coefficient ≥ {tau:g}), non-critical inputs substitutable; "
                  + ("no sector below uniform scaling" if proportional else
                     "free domestic allocation (no floor)") + "; value-added ratios fixed",
                  f"最大可行产出（线性规划 LP，HiGHS）：目标 {objective}；进口在各使用者间按比例配给；"
                  f"关键投入（系数 ≥ {tau:g}）保持固定比例，非关键投入可替代；"
                  + ("任何部门不低于统一缩减水平" if proportional else
                     "国内产品自由分配（无下限）") + "；增加值率固定")]
    if tau == 0 and capped > n / 2:
        notes.append(Note(f"strict Leontief (critical=0) capped {capped} of {n} sectors that buy "
                          "any of the cut imports: an upper bound; critical=0.01 keeps only "
                          "inputs worth ≥ 1 % of output binding",
                          f"严格列昂惕夫假设（critical=0）使 {n} 个部门中购买任一被切断进口品的 "
                          f"{capped} 个受限：结果为上限；critical=0.01 时只有价值 ≥ 产出 1 % 的投入"
                          "构成约束"))
    va0 = float(np.asarray(table.value_added_).sum())
    totals = {"output_loss": float(loss.sum()),
              "output_loss_pct": float(100 * loss.sum() / x0.sum()),
              "value_added_loss": float((va_ratio * loss).sum()),
              "value_added_loss_pct": float(100 * (va_ratio * loss).sum() / va0) if va0 else 0.0,
              "loss_bound_pct": float(100 * (1 - c_hat)),
              "imports_cut": float((p * imports).sum()),
              "imports_substituted": float((s * p * imports).sum()),
              "substitutes_supplied": float(sub_used.sum()),
              "sectors_capped_by_imports": capped,
              "sectors_capped_by_capacity": int(hit.sum())}
    params = {"cut": {code_str(table.index[i]): float(p_all[i]) for i in np.flatnonzero(p_all)},
              "substitution": s, "critical": tau, "objective": objective, "rationing": rationing}
    if q_all.any():
        params["capacity"] = {code_str(table.index[i]): float(q_all[i])
                              for i in np.flatnonzero(q_all)}
    return checked(ShockResult(model, table.index, _labels(table), cols, units, totals=totals,
                               table=table.name, year=table.year, unit=table.unit,
                               notes=tuple(notes) + (basis_note(bs),),
                               params=params, basis=bs.to_dict()), x0)


def binding_summary(result, top: int = 10) -> list[tuple[str, int, float]]:
    """(constraint, sectors, output lost) for each binding constraint of a disruption result,
    largest loss first — 'what binds' in one line per constraint."""
    df = result.to_frame()
    df = df[df["binding"] != ""]
    g = df.groupby("binding")["output_loss"].agg(["size", "sum"]).sort_values("sum",
                                                                             ascending=False)
    return [(str(k), int(r["size"]), float(r["sum"])) for k, r in g.head(top).iterrows()]

