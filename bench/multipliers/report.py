"""The report on the terminal: the machine, then per case the rows' times and memory, their
components, where lianpu's time goes, the load average and the agreement."""
from __future__ import annotations

import sys


def print_report(report: dict) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table
    con = Console(width=None if sys.stdout.isatty() else 140)
    m = report["machine"]
    con.print(f"[bold]Machine[/]: {m['cpu']} — {m['os.cpu_count']} CPUs "
              f"(affinity {m['affinity']}); numpy {m['numpy']}, scipy {m['scipy']}, "
              f"pandas {m['pandas']}, pymrio {m['pymrio']}, mario {m.get('mario')}, "
              f"lianpu {m['lianpu']}")
    con.print(f"BLAS: {m['blas_config']}; threads: {m['blas_threads']}; env: {m['env']}")
    for c in report["cases"]:
        tab = Table(title=f"{c['case']} — {c['note']}")
        for h in ("library", "median [s]", "best [s]", "÷ LU floor", "÷ lianpu",
                  "peak RSS Δ [MiB]", "RSS Δ ÷ matrix"):
            tab.add_column(h, justify="right" if h != "library" else "left")
        for lib, o in c["libs"].items():
            if "error" in o:
                tab.add_row(lib, "error", *["—"] * 5)
                continue
            mem = o.get("memory", {})
            tab.add_row(lib, f"{o['median_s']:.3f}", f"{o['best_s']:.3f}",
                        f"{o['time_ratio_vs_floor']:.2f}" if "time_ratio_vs_floor" in o else "—",
                        f"{o['time_ratio_vs_lianpu']:.2f}" if "time_ratio_vs_lianpu" in o else "—",
                        f"{mem['rss_peak_delta_mib']:.0f}" if mem else "—",
                        f"{o['rss_peak_over_matrix']:.2f}" if "rss_peak_over_matrix" in o else "—")
        con.print(tab)
        comp = Table(title=f"{c['case']}: components (best run, seconds)")
        comp.add_column("library")
        comp.add_column("component")
        comp.add_column("s", justify="right")
        for lib, o in c["libs"].items():
            for k, v in o.get("components_best_run", {}).items():
                if k == "solver":
                    comp.add_row(lib, "solver", f"{v['method']} ({v['backend']}), "
                                 f"{v['passes']} passes: {v['reason']}")
                else:
                    comp.add_row(lib, k, v if isinstance(v, str) else f"{v:.3f}")
        con.print(comp)
        if "lianpu_breakdown" in c:
            bd = Table(title=f"{c['case']}: where lianpu's time goes (one instrumented run, s)")
            bd.add_column("step")
            bd.add_column("s", justify="right")
            for k, v in c["lianpu_breakdown"].items():
                bd.add_row(k, f"{v:.3f}")
            con.print(bd)
        con.print("  load average (1/5/15 min) before / after timing: "
                  f"{' '.join(f'{v:.2f}' for v in c['loadavg_before'])} / "
                  f"{' '.join(f'{v:.2f}' for v in c['loadavg_after'])}")
        for lib, o in c["libs"].items():
            for key in ("error", "memory_error"):
                if key in o:
                    con.print(f"  [bold red]{key.replace('_', ' ')}[/] "
                              f"{escape(o[key]['message'])}", highlight=False)
        for k, v in c["agreement"].items():
            con.print(f"  agreement {k}: max abs diff {v['max_abs']:.3g}, relative {v['rel']:.3g}"
                      f" (≤ {v['tol']:g})")
