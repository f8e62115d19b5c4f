"""Regions 区域: spillovers, twin cores and complementarity, regionalization, China's inter-provincial MRIO."""
