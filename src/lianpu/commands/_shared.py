"""What the command modules share: the common options, the consoles, loading a table, the
``--json`` writer and the checks of CLI-only flags.

JSON goes through the library's one encoder (:func:`lianpu.analysis._result.dumps`: strict,
NaN → null, MRIO codes as "R/S"); numbers print through :mod:`lianpu.core.units`
(``fmt_num``/``fmt_pct``); codes through :func:`lianpu.analysis._result.code_str`.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from ..core.errors import ArgumentError, check_lang
from ..safe_text import PlainConsole

# user text (sector and table names, notes) prints as plain text with control characters
# escaped; the few lines with styling pass markup=True and esc() their user parts
out = PlainConsole()
err = PlainConsole(stderr=True)

DATA_DIR = typer.Option(None, "--data-dir", help="Cache directory (default: $LIANPU_DATA or the "
                        "user data dir).", show_default=False)
JSON = typer.Option(False, "--json", help="Machine-readable JSON on stdout only.")
LANG = typer.Option("zh", "--lang", help="Label language: zh or en.")
BASIS = typer.Option("auto", "--basis", help="Accounting basis: auto (domestic view where imports "
                     "can be separated, local view of a provincial table), published, domestic "
                     "or local.")
DOMESTIC = typer.Option(False, "--domestic", help="Alias of --basis domestic.")
FMT = typer.Option(None, "--format", help="Reader name (default: detect).")


class UserError(ArgumentError):
    """A bad flag value found by the CLI itself; its message already names the flag."""


def error_line(msg: str) -> None:
    """One line ``error: …`` on stderr, the message printed verbatim (no markup parsing)."""
    from rich.text import Text
    err.print(Text.assemble(("error: ", "bold red"), msg), soft_wrap=True)


def fail(msg: str) -> None:
    """Print ``msg`` as the one error line and stop with exit code 2."""
    error_line(msg)
    raise typer.Exit(2)


def emit(obj) -> None:
    """``obj`` as strict JSON on stdout (the only thing ``--json`` writes there)."""
    from ..analysis._result import dumps  # pandas: imported when a command writes JSON
    sys.stdout.write(dumps(obj) + "\n")


#: the run's global options (``lianpu --verbose --storage S COMMAND``): ``verbose`` and the
#: tables loaded (for :func:`solver_report`), ``storage`` for :func:`load`
RUN: dict = {"verbose": False, "tables": [], "storage": "dense"}


def load(source: str, data_dir: Optional[Path], fmt: Optional[str] = None):
    """A table from a dataset id or a file (``--format`` forces the reader), its Z held as
    ``lianpu --storage`` asks (dense by default)."""
    from ..io import load as _load
    t = _load(source, format=fmt, data_dir=data_dir, storage=RUN["storage"])
    if RUN["verbose"]:
        RUN["tables"].append(t)
    return t


def solver_report(tables) -> list[str]:
    """One line per solver a run made (a table's own, and those of its views: domestic,
    local, dense): method, backend, right-hand sides, passes over A and the reason — what
    ``--verbose`` prints on stderr (issue 17: the choice and its reason visible)."""
    lines, seen = [], set()
    for t in tables:
        for label, v in t.solvers_made():
            f = v.factor
            if id(f) in seen:  # a view that inherited its parent's solver
                continue
            seen.add(id(f))
            lines.append(f"solver 求解器 [{label}]: {f.method} ({f.backend}), n = {v.n}, "
                         f"storage {v.storage}, {f.rhs_solved} right-hand sides, "
                         f"{f.passes} passes over A — {f.reason}")
    return lines


def lang_arg(lang: str) -> str:
    """``--lang``, checked by the library's one language check."""
    try:
        return check_lang(lang)
    except ArgumentError:
        raise UserError(f"--lang: found {lang!r}, expected 'zh' or 'en'") from None


def at_least(flag: str, value, low):
    """``value`` if it is ≥ ``low``, else ``FLAG: found V, expected ≥ LOW``."""
    if value < low:
        raise UserError(f"{flag}: found {value}, expected ≥ {low}")
    return value


def basis_arg(basis: str, domestic: bool = False) -> str:
    """The --basis value (``--domestic`` is its alias), checked."""
    from ..analysis.basis import BASES
    if domestic:
        if basis not in ("auto", "domestic"):
            raise UserError(f"--domestic: found together with --basis {basis}, expected one of them")
        basis = "domestic"
    if basis not in BASES:
        raise UserError(f"--basis: found {basis!r}, expected one of {', '.join(BASES)}")
    return basis


def basis_line(note_en: str, note_zh: str, lang: str) -> str:
    """The accounting-basis line in one language (``口径：…`` / ``basis: …``)."""
    return ("口径：" + note_zh) if lang == "zh" else ("basis: " + note_en)


def basis_caption(note: str, lang: str) -> str:
    """The basis line for a result that carries only its English note (chain, weak links)."""
    from ..analysis.basis import note_text
    return basis_line(note, note_text(note, "zh"), lang)
