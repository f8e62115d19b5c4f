"""链谱 lianpu — industrial-chain analytics on input-output tables.

Public API::

    import lianpu
    t = lianpu.load("cn-nbs-2020-153")           # dataset id or file path
    lianpu.multipliers(t, "output")              # Series by sector, unit in .attrs
"""
from .core.errors import (BalanceError, DatasetError, DownloadError, FormatError, LianpuError,
                          ProductivityError, TableError)

__version__ = "0.1.0"

# analyses imported on first use (keeps `import lianpu` light): public name → (module, attribute);
# attribute None means the module itself (e.g. ``lianpu.shock``)
_LAZY = {
    # the table, the loader and the multipliers too: `import lianpu` (and `lianpu --help`)
    # does not pay for pandas/scipy until a table is touched
    "IOTable": ("lianpu.table", "IOTable"),
    "Satellite": ("lianpu.table", "Satellite"),
    "load": ("lianpu.io", "load"),
    "multipliers": ("lianpu.analysis.multipliers", "multipliers"),
    "leontief_inverse": ("lianpu.analysis.multipliers", "leontief_inverse"),
    "ghosh_inverse": ("lianpu.analysis.multipliers", "ghosh_inverse"),
    "tracks": ("lianpu.analysis.tracks.catalogue", "tracks"),
    "keysectors": ("lianpu.analysis.chains.keysectors", "keysectors"),
    "chain": ("lianpu.analysis.chains.chainmap", "chain"),
    "weaklinks": ("lianpu.analysis.chains.weaklinks", "weaklinks"),
    "import_content": ("lianpu.analysis.chains.imports", "import_content"),
    "regions": ("lianpu.analysis.regions.api", None),
    "value_added_matrix": ("lianpu.analysis.regions.spillover", "value_added_matrix"),
    "twin": ("lianpu.analysis.regions.twin", "twin"),
    "regionalize": ("lianpu.analysis.regions.regionalize", "regionalize"),
    "gras": ("lianpu.analysis.regions.regionalize", "gras"),
    "impact": ("lianpu.analysis.scenarios.impact", "impact"),
    "shock": ("lianpu.analysis.scenarios.shock", None),
    "montecarlo": ("lianpu.analysis.scenarios.montecarlo", "montecarlo"),
    "footprint": ("lianpu.analysis.carbon.footprint", "footprint"),
    "sda": ("lianpu.analysis.change.sda", "sda"),
    "employment_satellite": ("lianpu.satellites.employment", "employment_satellite"),
    "read_demand": ("lianpu.analysis.scenarios.demand", "read_demand"),
    "co2_satellite": ("lianpu.analysis.carbon.footprint", "co2_satellite"),
    "gvc": ("lianpu.analysis.valuechains.gvc", None),
    "prices": ("lianpu.analysis.valuechains.prices", None),
    "cost_push": ("lianpu.analysis.valuechains.prices", "cost_push"),
    "cbam": ("lianpu.analysis.valuechains.cbam", None),
    "cbam_exposure": ("lianpu.analysis.valuechains.cbam", "exposure"),
    "build_china_mrio": ("lianpu.analysis.regions.mrio.build", "build_china_mrio"),
    "aggregate_regions": ("lianpu.analysis.regions.mrio.build", "aggregate_regions"),
}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        mod = importlib.import_module(module)
        value = mod if attr is None else getattr(mod, attr)
        globals()[name] = value          # found once; later lookups are plain attributes
        return value
    raise AttributeError(f"module 'lianpu' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))

__all__ = [
    "IOTable", "Satellite", "load", "multipliers", "leontief_inverse", "ghosh_inverse",
    "LianpuError", "TableError", "BalanceError", "ProductivityError", "FormatError",
    "DatasetError", "DownloadError",
]
