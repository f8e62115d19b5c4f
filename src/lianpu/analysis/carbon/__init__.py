"""Carbon 碳: footprints (national, provincial, MRIO) and provincial emission profiles."""
