"""What ``lianpu.regions`` shows: the multi-regional analyses of :mod:`.spillover` and the
twin-core comparison and complementarity of :mod:`.twin`, in one namespace.

    lianpu.regions.spillover(t, "value_added")      # Miller decomposition by region
    lianpu.regions.complementarity(t, "EAS", "CHN", "ev")
"""
from .spillover import (Spillover, gross_exports, induced, records, region_intensities,
                        require_mrio, resolve_region, spillover, trade_value_added,
                        value_added_matrix)
from .twin import Complementarity, Twin, complementarity, twin

__all__ = ["Spillover", "Twin", "Complementarity", "spillover", "induced", "value_added_matrix",
           "trade_value_added", "gross_exports", "region_intensities", "require_mrio",
           "resolve_region", "records", "twin", "complementarity"]
