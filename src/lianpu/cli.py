"""The ``lianpu`` command line (typer + rich): a thin shell with one error boundary.

This module only builds the app (:data:`lianpu.commands._app.app`, with ``--version``),
imports the command modules so that they register, and has :func:`main`, the console-script
entry point. ``main`` is the one place where errors become output:

- a :class:`~lianpu.core.errors.LianpuError` (a bad file, an unknown dataset, a bad argument) →
  one line ``error: …`` on stderr and exit code 2, the Python argument names in its text
  (``argument 'data_dir'``) shown as the command's flags (``--data-dir``) by :func:`flag_text`;
- a usage error (``lianpu chian``, a missing option, a value of the wrong type, an extra
  argument) → one line plus a hint line, exit code 2;
- anything else is a bug and stays a traceback.

``--json`` prints machine-readable output only (nothing else on stdout).
"""
from __future__ import annotations

import difflib
import re
import sys
from typing import Optional

import typer

from . import __version__
from .commands._app import app
from .commands._shared import RUN, UserError, err, error_line, solver_report
from .core.errors import LianpuError

# the command modules register themselves on `app` when imported
from .commands import (carbon, chains, mrio, regions, report, scenarios,  # noqa: E402,F401
                       tables, valuechains, web)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"lianpu {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _root(version: Optional[bool] = typer.Option(None, "--version", callback=_version,
                                                 is_eager=True, help="Print the version and "
                                                 "exit."),
          verbose: bool = typer.Option(False, "--verbose", "-v", help="After the command, say "
                                       "on stderr which solver each table used (LU or GMRES), "
                                       "its work and why."),
          storage: str = typer.Option("dense", "--storage", help="How tables hold Z: dense, "
                                      "sparse (large sparse tables: O(non-zeros) memory) or "
                                      "auto (sparse from 2000 sectors under 5 % non-zeros).")
          ) -> None:
    """链谱 lianpu — industrial-chain analytics on input-output tables."""
    if storage not in ("auto", "dense", "sparse"):
        raise UserError(f"--storage: found {storage!r}, expected 'dense', 'sparse' or 'auto'")
    RUN.update(verbose=verbose, storage=storage)


# ------------------------------------------------------------------------ argument → flag
#: library argument names that are not the flag's own name (``position_series(start, end)``
#: is ``--from/--to``, ``disruption(imports=…)`` is ``--cut`` …). A name maps to the flag
#: only when the command being run has that flag.
FLAG_ALIASES = {
    "start": "--from", "end": "--to", "imports": "--cut", "c_star": "--shock", "q0": "--shock",
    "recovery_days": "--recovery", "u": "--rows", "v": "--cols", "format": "--format",
    "type": "--type", "tracks_file": "--tracks",
}
_ARGUMENT = re.compile(r"argument '([^']+)'")


def _command_for(argv) -> object:
    """The click command that ``argv`` runs (the group itself when it names none)."""
    cmd = typer.main.get_command(app)
    for tok in map(str, argv or ()):
        if tok.startswith("-"):
            continue
        sub = getattr(cmd, "commands", None)
        if not sub or tok not in sub:
            break
        cmd = sub[tok]
    return cmd


def _flags(cmd) -> dict[str, str]:
    """Python parameter name (trailing ``_`` dropped) → first long flag, of ``cmd``."""
    flags = {}
    for p in getattr(cmd, "params", ()):
        longs = [o for o in getattr(p, "opts", ()) if o.startswith("--")]
        if getattr(p, "param_type_name", "") == "option" and longs and p.name:
            flags[p.name.rstrip("_")] = longs[0]
    return flags


def flag_of(name: str, flags: dict[str, str]) -> str | None:
    """The flag of a library argument ``name`` among ``flags`` (the command's), or None."""
    dashed = "--" + name.replace("_", "-")
    known = set(flags.values())
    if name in flags:
        return flags[name]
    if dashed in known:
        return dashed
    alias = FLAG_ALIASES.get(name)
    return alias if alias in known else None


def flag_text(text: str, argv=None) -> str:
    """``text`` with ``argument 'kind'`` written as ``--kind`` (and ``argument 'tol,
    max_iter'`` as ``--tol, --max-iter``) wherever the command ``argv`` runs has that flag;
    other argument names are left as they are."""
    flags = _flags(_command_for(argv))

    def one(m):
        names = [n.strip() for n in m.group(1).split(",")]
        shown = [flag_of(n, flags) for n in names]
        return ", ".join(shown) if all(shown) else m.group(0)
    return _ARGUMENT.sub(one, text)


# ------------------------------------------------------------------------ usage errors
def _usage_classes():
    """typer's UsageError and ClickException classes (typer ≥ 0.16 vendors click: they are
    found through the public ``typer.BadParameter``, whatever package defines them)."""
    by_name = {c.__name__: c for c in typer.BadParameter.__mro__}
    return by_name["UsageError"], by_name["ClickException"]


def _hint(exc, argv) -> str:
    """The line under a usage error: the closest command name, the option a stray argument
    was probably meant for (``template my_table.xlsx`` → ``--to my_table.xlsx``), and where
    the help is."""
    ctx = getattr(exc, "ctx", None)
    path = ctx.command_path if ctx is not None else "lianpu"
    see = f"see {path} --help"
    m = re.match(r"No such command '([^']+)'", exc.format_message())
    if m and ctx is not None and hasattr(ctx.command, "commands"):
        close = difflib.get_close_matches(m.group(1), list(ctx.command.commands), n=1)
        if close:
            return f"did you mean '{close[0]}'? {see}"
    param = getattr(exc, "param", None)
    if (ctx is not None and type(exc).__name__ == "MissingParameter"
            and getattr(param, "param_type_name", "") == "option"):
        takes_arguments = any(getattr(p, "param_type_name", "") == "argument"
                              for p in ctx.command.params)
        words = [str(a) for a in argv or () if not str(a).startswith("-")]
        stray = [w for w in words if w not in path.split()]
        flag = next((o for o in param.opts if o.startswith("--")), param.opts[0])
        if stray and not takes_arguments and len(stray) == 1:
            return f"did you mean '{path} {flag} {stray[0]}'? {see}"
    return see


def _usage_line(exc) -> str:
    """click's message on one line, without its own 'Did you mean' (the hint says it)."""
    text = " ".join(exc.format_message().split())
    return re.sub(r"\s*Did you mean '[^']+'\?$", "", text)


def main(argv=None) -> int:
    """Console-script entry point: run the app; lianpu and usage errors → exit code 2."""
    usage_error, click_exception = _usage_classes()
    RUN.update(verbose=False, tables=[], storage="dense")
    try:
        rv = _run(argv)
    except LianpuError as exc:
        error_line(flag_text(str(exc), argv if argv is not None else sys.argv[1:]))
        return 2
    except usage_error as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # `lianpu`, `lianpu mrio`: the help
            exc.show()
            return exc.exit_code
        error_line(_usage_line(exc))
        err.print("hint: " + _hint(exc, argv if argv is not None else sys.argv[1:]),
                  soft_wrap=True)
        return 2
    except click_exception as exc:
        exc.show()
        return exc.exit_code
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        err.print("aborted")
        return 1
    return rv if isinstance(rv, int) else 0


def _run(argv):
    """The app, then (``--verbose``) the solvers the run used, on stderr."""
    try:
        return app(args=argv, standalone_mode=False, prog_name="lianpu")
    finally:
        if RUN["verbose"]:
            for line in solver_report(RUN["tables"]):
                err.print(line, soft_wrap=True, markup=False)
        RUN.update(verbose=False, tables=[], storage="dense")


def run() -> None:  # pragma: no cover - used by `python -m lianpu`
    sys.exit(main())
