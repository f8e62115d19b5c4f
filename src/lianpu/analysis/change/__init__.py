"""Change over time 时序变化: structural decomposition and position series."""
