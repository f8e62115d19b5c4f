"""Structural path analysis 结构路径分析 (SPA), best-first with an exact bound.

Defourny & Thorbecke (1984, Economic Journal 94); Lenzen (2003, Structural Change and Economic
Dynamics 14); Miller & Blair (2009), §12.4. The total effect s'L f of a final demand f expands
into paths: the path i_k → … → i_1 → j carries

    value = s_{i_k} · a_{i_k i_{k−1}} ⋯ a_{i_1 j} · f_j        (order k; order 0 is s_j f_j)

and the values of all paths of order ≤ d add up to s' (Σ_{k≤d} A^k) f → s'L f as d → ∞.

Search: a node reached with required output p (the product a⋯a f_j along its path) roots a
subtree whose paths add up to exactly p · (s'L)_i; no single path in it can be larger. The
search pops the node with the largest such bound first and stops as soon as the best remaining
bound cannot beat the threshold or the N-th best path found so far, so only nodes that might
hold a top path are ever expanded (a branch-and-bound that is exact, not a heuristic).
"""
from __future__ import annotations

import heapq
import time
from dataclasses import dataclass

import numpy as np

from .._result import Result


@dataclass(frozen=True)
class SPAResult(Result):
    """Paths found (largest |value| first) and what the search did.

    ``paths``: tuple of (nodes, value) with nodes ordered from the upstream origin to the
    final-demand sector (positions); ``total``: s'L f; ``expanded``/``pushed``: search nodes;
    ``seconds``: wall time of the search. ``unit``/``basis``: those of s and f where the
    caller knows them (:func:`spa` works on bare arrays, so ``None`` by default; the chain
    map's paths carry the table's).
    """

    paths: tuple
    total: float
    depth: int
    threshold: float
    top: int | None
    expanded: int
    pushed: int
    seconds: float
    unit: str | None = None
    basis: object = None

    @property
    def covered(self) -> float:
        """Sum of the values of the paths found (share of ``total`` when divided by it)."""
        return float(sum(v for _, v in self.paths))

    def to_dict(self) -> dict:
        """Paths as ``{"nodes": [positions], "order", "value", "share"}`` and the search."""
        return {"paths": [{"nodes": list(nodes), "order": len(nodes) - 1, "value": v,
                           "share": v / self.total if self.total else None}
                          for nodes, v in self.paths],
                "total": self.total, "covered": self.covered, "depth": self.depth,
                "threshold": self.threshold, "top": self.top, "expanded": self.expanded,
                "pushed": self.pushed, "seconds": self.seconds,
                "unit": self.unit, "basis": self.basis}


def spa(A, f, multipliers, intensity=None, *, depth: int = 4, top: int | None = 20,
        threshold: float = 0.0, min_order: int = 1, AT=None) -> SPAResult:
    """The largest paths of the total effect s'L f, up to order ``depth``.

    Parameters
    ----------
    A : (n, n) direct coefficients.
    f : (n,) final demand (may have negative entries; paths are ranked by |value|).
    multipliers : (n,) s'L, the total effect per unit of output of each sector (one transposed
        solve by the caller); it bounds every subtree.
    intensity : (n,) s, effect per unit output (default 1: paths in output terms).
    depth : highest path order kept (order 0 is the final demand itself).
    top : keep the ``top`` largest paths (None: every path above ``threshold``).
    threshold : absolute value below which paths are dropped and branches pruned.
    min_order : smallest order reported (1 drops the trivial s_j f_j paths; they are still
        searched through).
    AT : optional Aᵀ as a C-contiguous array (rows of AT are columns of A), to reuse.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[0.0, 0.5], [0.0, 0.0]])       # sector 0 supplies sector 1 only
    >>> m = np.linalg.solve((np.eye(2) - A).T, np.ones(2))
    >>> r = spa(A, np.array([0.0, 10.0]), m, depth=3, top=None)
    >>> r.paths
    (((0, 1), 5.0),)
    """
    t0 = time.perf_counter()
    A = np.asarray(A, dtype=float)
    n = A.shape[0]
    AT = np.ascontiguousarray(A.T) if AT is None else AT
    s = np.ones(n) if intensity is None else np.asarray(intensity, dtype=float)
    m = np.abs(np.asarray(multipliers, dtype=float))
    f = np.asarray(f, dtype=float)
    total = float(np.dot(multipliers, f))
    heap: list = []
    found: list = []                     # min-heap of (|value|, counter, value, path)
    cutoff = float(threshold)
    counter = 0
    for j in np.flatnonzero(f):
        b = abs(f[j]) * m[j]
        if b > cutoff:
            heap.append((-b, counter, float(f[j]), (int(j),)))
            counter += 1
    heapq.heapify(heap)
    expanded = 0
    while heap:
        negb, _, p, path = heapq.heappop(heap)
        if -negb <= cutoff and not (threshold == 0 and top is None):
            break
        expanded += 1
        i = path[-1]
        order = len(path) - 1
        val = float(s[i] * p)
        if order >= min_order and abs(val) >= threshold and val != 0:
            item = (abs(val), counter, val, path)
            counter += 1
            if top is None:
                found.append(item)
            elif len(found) < top:
                heapq.heappush(found, item)
            elif abs(val) > found[0][0]:
                heapq.heapreplace(found, item)
            if top is not None and len(found) == top:
                cutoff = max(cutoff, found[0][0])
        if order < depth:
            vals = p * AT[i]
            bounds = np.abs(vals) * m
            for c in np.flatnonzero(bounds > cutoff):
                heapq.heappush(heap, (-float(bounds[c]), counter, float(vals[c]),
                                      path + (int(c),)))
                counter += 1
    found.sort(key=lambda t: (-t[0], t[1]))
    paths = tuple((tuple(reversed(p)), v) for _, _, v, p in found)
    return SPAResult(paths, total, depth, float(threshold), top, expanded, counter,
                     time.perf_counter() - t0)


def path_sums_by_origin(result: SPAResult, n: int) -> np.ndarray:
    """Σ of path values by origin sector (n,) — for checks against Σ_k s ⊙ A^k f."""
    out = np.zeros(n)
    for nodes, v in result.paths:
        out[nodes[0]] += v
    return out
