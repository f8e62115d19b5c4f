"""Regional questions on the China MRIO (:mod:`lianpu.analysis.regions.mrio.build`): 双核联动 (two
cores driving each other: Sichuan and Chongqing), 互补共振 (complementarity: what a supplier
region such as Gansu sells — and could sell — to a target block's track), and (issue 13 item 4)
:func:`chain_across` (a track's suppliers by origin province and tier), :func:`domestic_chains`
(国内价值链), :func:`carbon_flows` (CO2 across provinces) and :func:`inflow_dependence`.

Definitions (docs/china_mrio.md; Miller & Blair 2009 §3.5 for the Miller decomposition):

- **driven a←b** = ŝ_a (L y_b)_a: a's output (s = 1), value added (s = v/x) and CO2 (s = e =
  F/x) that exist because of b's final demand y_b (all its final-use categories, bought from
  any province); by sector of a. One solve with two right-hand sides.
- **Miller** intra / feedback / spillover (:func:`lianpu.analysis.regions.spillover.spillover`) on the
  full MRIO, and the spillover matrix entries between the two; and the same with the two
  merged into one block 成渝 against the rest of China (:func:`aggregate_regions`).
- **realized flows** of the target's track (its sectors in the target regions): direct
  z_i = Σ_{j∈track} Z[(S, i), j] from supplier S, share of the track's inputs of product i
  from everywhere (abroad included); total = (L Σ_{j∈track} Z[:, j])_{(S, i)}, the supplier's
  output in the supply chain of the track's intermediate inputs (direct and indirect).
- **sourcing shift** (a counterfactual, not a forecast): a share σ of the track's purchases of
  product i from abroad (Zm) and from the East (东部 provinces) is bought from S instead, for
  products S produces. Coefficients change, A' = A + ΔA (a column-wise move: the track's
  total input per unit of output is unchanged), final demand stays, and
  Δx = (I − A')⁻¹ ΔA x — exactly zero for σ = 0. Reported: S's Δoutput, Δvalue added (fixed
  v/x) and ΔCO2 (fixed e), the East's Δoutput, and the target's imports from abroad.

One module per question: :mod:`.dual_core`, :mod:`.resonance` (互补共振),
:mod:`.provincial_chains` (chains across provinces, domestic value chains), :mod:`.co2_flows`
(CO2 across provinces, inflow dependence); what they share with the builder is in
:mod:`.common`. Every public name stays importable from here.
"""
from __future__ import annotations

from ....core.errors import ArgumentError  # noqa: F401  (report.regional reaches it here)
from .co2_flows import CarbonFlows, carbon_flows, inflow_dependence
from .common import ABROAD, BASIS, BASIS_ZH, supply_view, target_regions
from .dual_core import DualCore, dual_core
from .provincial_chains import ChainAcross, DomesticChains, chain_across, domestic_chains
from .resonance import Resonance, complement, tradable_products

__all__ = ["ABROAD", "BASIS", "BASIS_ZH", "CarbonFlows", "ChainAcross", "DomesticChains",
           "DualCore", "Resonance", "carbon_flows", "chain_across", "complement",
           "domestic_chains", "dual_core", "inflow_dependence", "supply_view",
           "target_regions", "tradable_products"]
