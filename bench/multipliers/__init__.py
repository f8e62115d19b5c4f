"""The multipliers benchmark (bench/bench_multipliers.py, its entry point), by concern:
``cases`` (inputs), ``runners`` (one function per row), ``breakdown`` (where lianpu's time
goes), ``memory`` (the peak-RSS child process), ``machine`` (machine and BLAS info),
``driver`` (one case end to end) and ``report`` (printing)."""
