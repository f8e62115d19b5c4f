"""Carbon data: CEADs CO2 inventories and their concordance to the NBS IO sectors.

- :mod:`lianpu.satellites.co2.inventory` reads the CEADs workbooks (national, 30 provinces, 290 cities);
- :mod:`lianpu.satellites.co2.concordance` maps the 47 CEADs sectors onto any NBS table's sectors and
  NBS tables of different years onto one common classification;
- :mod:`lianpu.satellites.co2.satellite` builds the ``co2`` satellite of a table from them (and
  reads what :mod:`lianpu.analysis.carbon.provinces` compares).

Footprints and structural decomposition live in :mod:`lianpu.analysis.carbon.footprint` and
:mod:`lianpu.analysis.change.sda`.
"""
