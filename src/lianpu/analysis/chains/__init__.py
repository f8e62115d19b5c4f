"""Chains 产业链: chain maps, paths, positions, key sectors, extraction, final demand, import content, weak links."""
